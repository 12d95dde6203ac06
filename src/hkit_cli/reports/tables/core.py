"""The Table: typed columns (a key, English and Chinese headings, a kind) and typed cells,
with a title and notes, and how a cell reads to people. Every output (rich, Markdown, CSV,
JSON) renders a Table, so the formats cannot drift apart."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from hkit_cli.domain.currency import HKD, Currency, ShortAmount
from hkit_cli.domain.messages import N_, Msg, Plural
from hkit_cli.domain.records import Allocation, Dataset, Initiative
from hkit_cli.domain.textrules import visible
from hkit_cli.domain.vocab import APPROVAL_UNKNOWN, FISCAL_YEAR, NOT_APPROVED, NOT_RECORDED
from hkit_cli.domain.words import CONTEXTS_OF_COLUMN, zh_document, zh_locator
from hkit_cli.reading.catalogue import lookup, say
from hkit_cli.reports.query import Filters
from hkit_cli.reports.report import Sum, counted_years, data_years

APPROX = "≈"
# Kinds of column: id, code, text, list, amount, change, count, share, flag, number. People
# never see an id, code, amount or number split or cut; text and lists wrap between words.
UNSPLIT = frozenset(("id", "code", "amount", "change", "count", "share", "flag", "number"))
RIGHT = frozenset(("amount", "change", "count", "share", "number"))


@dataclass(frozen=True, slots=True)
class Column:
    key: str  # the machine name: the CSV header and the JSON key
    heading: str  # English, marked for the catalogue: its key is the catalogue's context
    kind: str = "text"
    human: bool = True  # shown in tables for people
    machine: bool = True  # written in CSV and JSON
    approx: str | None = None  # an amount: the row key that says it includes approximate money
    empty_if: str | None = None  # an amount: the row key of a count; zero shows as "—"
    blank_zero: bool = False  # a count: zero shows as blank to people
    # In Chinese (--lang zh): the row key of the Chinese form of the value, where there is one
    # (a name, a sector's name), and a suffix for the value (年度 after a fiscal year).
    zh_key: str | None = None
    zh_suffix: str = ""
    # A heading that is a value of the data (a sector's name, a fiscal year), in Chinese.
    heading_zh: str | None = None


@dataclass(slots=True)
class Table:
    """A report: columns, rows of typed values keyed by column key, and what people read."""

    name: str
    columns: list[Column]
    rows: list[dict[str, Any]] = field(default_factory=list)
    title: str = ""
    total: dict[str, Any] | None = None  # a total row for people; never in machine output
    notes: list[str] = field(default_factory=list)
    currency: Currency = HKD
    # "table"; "record" (one row shown as facts); "bars" (a chart); "pivot" (people see
    # ``grid``, a wide table built from the same rows; machines get the long rows).
    layout: str = "table"
    grid: Table | None = None
    lang: str = "en"  # "zh": Chinese headings, names and amounts for people

    def machine_columns(self) -> list[Column]:
        """The machine columns, each amount in HK$ followed by its converted value if asked."""
        out = []
        for column in self.columns:
            if not column.machine:
                continue
            out.append(column)
            if self.currency.code != "hkd" and column.key.endswith("_hkd"):
                key = column.key.removesuffix("_hkd") + f"_{self.currency.code}"
                out.append(replace(column, key=key, heading=key, heading_zh=key))
        return out

    def machine_rows(self) -> list[dict[str, Any]]:
        columns = self.machine_columns()
        out = []
        for row in self.rows:
            record: dict[str, Any] = {}
            for column in columns:
                if column.key in row:
                    record[column.key] = row[column.key]
                else:  # a converted amount
                    value = row.get(column.key.rsplit("_", 1)[0] + "_hkd")
                    record[column.key] = None if value is None else self.currency.convert(value)
            out.append(record)
        return out


@dataclass(slots=True)
class Report:
    """The tables of one command's output; CSV carries the ``main`` one."""

    tables: list[Table]
    main: str = ""

    @property
    def primary(self) -> Table:
        return next((t for t in self.tables if t.name == self.main), self.tables[0])


def single(table: Table) -> Report:
    return Report([table], table.name)


# --- Cells as people read them ---------------------------------------------------------------


def heading(table: Table, column: Column) -> str:
    if table.lang == "en":
        return column.heading
    if column.heading_zh is not None:
        return column.heading_zh
    if FISCAL_YEAR.match(column.heading):
        return f"{column.heading}年度"
    return say(table.lang, column.heading, column.key)


def title(table: Table) -> str:
    return visible(say(table.lang, table.title) if table.title else "")


def short(table: Table, amount: int) -> str:
    if table.lang == "zh" and table.currency.code == "hkd":
        from hkit_cli.domain.money import short_zh

        return short_zh(amount)
    return table.currency.short(amount)


def human_cell(table: Table, column: Column, row: dict[str, Any]) -> str:
    """A cell as a person reads it, with any control or invisible character visibly escaped
    (data read without `hkit validate` may hold them)."""
    return visible(_human_cell(table, column, row))


def zh_value(lang: str, column: str, value: str) -> str | None:
    """The Chinese word for a value of the column ``column``, if it is a vocabulary word or a
    document's name."""
    for context in CONTEXTS_OF_COLUMN.get(column, ()):
        found = lookup(lang, value, context)
        if found is not None:
            return found
    if column in ("announced_in", "announced"):
        return zh_document(value)
    return None


def _zh_citation(cited: str) -> str:
    """`id: para 39` as Chinese writes it: `id：第39段`."""
    ident, colon, locator = cited.partition(": ")
    return f"{ident}：{zh_locator(locator)}" if colon else cited


def _human_cell(table: Table, column: Column, row: dict[str, Any]) -> str:
    value = row.get(column.key)
    kind = column.kind
    zh = table.lang == "zh"
    if kind == "amount":
        if value is None or (column.empty_if and not row.get(column.empty_if)):
            return "—"
        text = short(table, value)
        if column.approx and row.get(column.approx):
            return f"約{text}" if zh else f"{APPROX} {text}"
        return text
    if kind == "change":
        if value is None:
            return ""
        text = "0" if value == 0 else ("+" if value > 0 else "−") + short(table, abs(value))
        if column.approx and row.get(column.approx):
            return f"約{text}" if zh else f"{APPROX} {text}"
        return text
    if zh and column.zh_key and row.get(column.zh_key):
        value = row[column.zh_key]
    elif zh and isinstance(value, str):
        value = zh_value(table.lang, column.key, value) or value
    elif zh and isinstance(value, bool) and column.key in CONTEXTS_OF_COLUMN:
        return say(table.lang, "yes" if value else "no", "word")
    if zh and value in (NOT_APPROVED, APPROVAL_UNKNOWN):
        return say(table.lang, value, "year view")
    if zh and column.zh_suffix and value and FISCAL_YEAR.match(str(value)):
        return f"{value}{column.zh_suffix}"
    if zh and value == "Total":
        return say(table.lang, N_("Total"))
    if kind == "count":
        return "" if value is None or (column.blank_zero and not value) else str(value)
    if kind == "share":
        return "—" if value is None else f"{value}%"
    if kind == "flag":
        if value is None:
            return ""
        return say(table.lang, "yes" if value else "no", "word")
    if zh and column.key == "locator" and value:
        return zh_locator(str(value))
    if kind == "list":
        if zh and column.key == "sources_shown":
            return "、".join(_zh_citation(str(v)) for v in value or ())
        return ("、" if zh else ", ").join(str(v) for v in value or ())
    if kind == "number":
        return "" if value is None else f"{value:,}"
    return "" if value is None else str(value)


def share(part: int, whole: int) -> Decimal | None:
    if whole == 0:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)


def approx_note(total: Sum) -> list[str]:
    n = total.approximate
    if not n:
        return []
    return [
        Plural("≈ includes {n} approximate allocation", "≈ includes {n} approximate allocations", n)
    ]


def not_counted_note(count: int, adjacent: int = 0) -> list[str]:
    notes: list[str] = []
    if count:
        notes.append(
            Plural(
                "Government money only: {n} other figure (caps, private money, parts of earlier "
                "pots) is shown by `hkit show` and `hkit export`, never summed.",
                "Government money only: {n} other figures (caps, private money, parts of earlier "
                "pots) are shown by `hkit show` and `hkit export`, never summed.",
                count,
            )
        )
    if adjacent:
        notes.append(
            Plural(
                "Core I&T only: {n} adjacent allocation (digital government, Chinese medicine, "
                "general parks and campuses, regional funds) left out; `--scope all` adds it.",
                "Core I&T only: {n} adjacent allocations (digital government, Chinese medicine, "
                "general parks and campuses, regional funds) left out; `--scope all` adds them.",
                adjacent,
            )
        )
    return notes


ATTRIBUTION = N_("Money counts toward each initiative's primary sector only.")

# What each dating means, said under every year view (vocab.DATINGS, CURATION.md).
DATING_NOTES = {
    "announced": N_(
        "Dated as announced: money counts in the fiscal year of the first official "
        "text that commits it (a Policy Address in the year it was delivered); "
        "`--dated budget` or `--dated approved` dates it otherwise."
    ),
    "budget": N_(
        "Dated by Budget: Policy Address money counts in the fiscal year of the Budget "
        "that provides it, as the Estimates see it."
    ),
    "approved": N_(
        "Dated by approval: money counts in the fiscal year LegCo approved it; money "
        "not yet approved, and money whose approval is not known, have rows of their own."
    ),
}


def dating_note(dated: str) -> list[str]:
    return [DATING_NOTES[dated]]


def form_note(not_spending: Sum, currency: Currency) -> list[str]:
    """How much of a total is not money to be spent (an endowment, investment or capital)."""
    if not not_spending.amount:
        return []
    return [
        Msg(
            "Not all of it is spending: {amount} is endowment, investment or capital (money "
            "kept, invested or put into companies); `--by form` splits it.",
            amount=ShortAmount(not_spending.amount, currency),
        )
    ]


def money_fields(total: Sum) -> dict[str, Any]:
    """The machine fields of a counted sum."""
    return {
        "amount_hkd": total.amount,
        "allocations": total.allocations,
        "approximate_allocations": total.approximate,
        "approximate": total.approximate > 0,
    }


def amount_column(heading: str = N_("Counted"), empty_if: str = "allocations") -> Column:
    """The counted amount: marked ≈ when approximate, blank when ``empty_if`` is zero."""
    return Column("amount_hkd", heading, "amount", approx="approximate", empty_if=empty_if)


def money_columns(heading: str = N_("Counted")) -> list[Column]:
    return [
        amount_column(heading),
        Column("allocations", "Allocations", "count", human=False),
        Column("approximate_allocations", "Approximate", "count", human=False),
        Column("approximate", "Approximate", "flag", human=False),
    ]


def currency_note(currency: Currency) -> list[str]:
    return [currency.note] if currency.note else []


# --- Reports ---------------------------------------------------------------------------------


NO_CHINESE_NAME = N_("† No Chinese name in the data; shown in English.")
# After a document's title in Chinese output when the Chinese title is our own translation.
TRANSLATED_TITLE = "（譯名）"
TRANSLATED_TITLES = N_(
    "A name or title marked （譯名） is our translation: no official Chinese one was found, "
    "or the document has no Chinese version."
)


# After words that Chinese output shows in English (a claim's words, English aliases).
ENGLISH_WORDS = "（英文）"
# After a claim's words in Chinese output when they are our translation of the English.
TRANSLATED_WORDS = "（譯文）"
TRANSLATED_WORDS_NOTE = N_(
    "Words marked （譯文） are our translation of the English: the Chinese version of the "
    "document was not found."
)


def zh_name(initiative: Initiative) -> str:
    """An initiative's name as Chinese output shows it: the official Chinese name, our own
    label marked （譯名）, or the English name marked † when the data has none."""
    if initiative.name_zh:
        return initiative.name_zh + (TRANSLATED_TITLE if initiative.name_zh_translated else "")
    return f"{initiative.name} †"


# The marks Chinese output puts after a name or words, each explained by a note when shown.
_MARKS = (
    (" †", NO_CHINESE_NAME),
    (TRANSLATED_TITLE, TRANSLATED_TITLES),
    (TRANSLATED_WORDS, TRANSLATED_WORDS_NOTE),
)

# Before a curator's notes, which stay in English: in Chinese output the label says so.
CURATORS_NOTES = N_("Notes: ")


def notes(table: Table) -> list[str]:
    """The table's notes as people read them, in Chinese where a translation exists."""
    if table.lang != "zh":
        return [visible(note, multiline=True) for note in table.notes]
    out = []
    for note in table.notes:
        out.append(visible(say(table.lang, note), multiline=True))
    cells = [human_cell(table, c, r) for r in table.rows for c in table.columns if c.zh_key]
    for mark, note in _MARKS:
        if any(cell.endswith(mark) for cell in cells):
            out.append(say(table.lang, note))
    return out


def nothing_found(dataset: Dataset, filters: Filters, what: str) -> tuple[str, str]:
    """Why a report of ``what`` ("counted money", "initiative", "milestone"...) is empty, and
    what to try: (message, hint)."""
    asked = " ".join(filters.asked)
    span = data_years(dataset)
    if filters.years and span is not None and what in ("counted money", "initiative", "allocation"):
        years = counted_years(dataset, filters.scopes)
        if not any(y in s for s in filters.years for y in years):
            wanted = ", ".join(s.text for s in filters.years)
            return (
                f"no counted money in {wanted}; the data covers {span[0]} to {span[1]}",
                "`hkit coverage` lists the documents read for each year",
            )
    if not asked:
        return f"the data has no {what}" + ("" if what == "counted money" else "s"), ""
    return f"no {what} matches {asked}", "try fewer filters; each one narrows the result"


def stage_fields(a: Allocation) -> dict[str, Any]:
    """The approval and spending fields of one allocation, as export and `show` give them."""
    approval, spent = a.approval, a.spent
    return {
        "approval_stage": approval.stage if approval else NOT_RECORDED,
        "approved_by": approval.by if approval else None,
        "approved_on": approval.date if approval else None,
        "approved_hkd": approval.amount if approval else None,
        "spent_hkd": spent.amount if spent else None,
        "spent_as_of": spent.as_of if spent else None,
    }
