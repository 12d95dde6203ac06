"""The Table: typed columns (a key, English and Chinese headings, a kind) and typed cells,
with a title and notes, and how a cell reads to people. Every output (rich, Markdown, CSV,
JSON) renders a Table, so the formats cannot drift apart."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from hkit_cli.domain.currency import HKD, Currency
from hkit_cli.domain.records import Allocation, Dataset
from hkit_cli.domain.textrules import visible
from hkit_cli.domain.vocab import APPROVAL_UNKNOWN, FISCAL_YEAR, NOT_APPROVED
from hkit_cli.domain.words import BY_COLUMN, zh_locator, zh_value
from hkit_cli.reports.query import Filters
from hkit_cli.reports.report import Sum, counted_years, data_years

APPROX = "≈"
# Keys of year views that are not fiscal years (approval dating), in Chinese.
_ZH_KEYS = {NOT_APPROVED: "未獲批准", APPROVAL_UNKNOWN: "批准情況不明"}
# Kinds of column: id, code, text, list, amount, change, count, share, flag, number. People
# never see an id, code, amount or number split or cut; text and lists wrap between words.
UNSPLIT = frozenset(("id", "code", "amount", "change", "count", "share", "flag", "number"))
RIGHT = frozenset(("amount", "change", "count", "share", "number"))


@dataclass(frozen=True, slots=True)
class Column:
    key: str  # the machine name: the CSV header and the JSON key
    heading: str
    heading_zh: str
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
    title_zh: str = ""
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
    return column.heading_zh if table.lang == "zh" else column.heading


def title(table: Table) -> str:
    return visible(table.title_zh if table.lang == "zh" and table.title_zh else table.title)


def short(table: Table, amount: int) -> str:
    if table.lang == "zh" and table.currency.code == "hkd":
        from hkit_cli.domain.money import short_zh

        return short_zh(amount)
    return table.currency.short(amount)


def human_cell(table: Table, column: Column, row: dict[str, Any]) -> str:
    """A cell as a person reads it, with any control or invisible character visibly escaped
    (data read without `hkit validate` may hold them)."""
    return visible(_human_cell(table, column, row))


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
        value = zh_value(column.key, value) or value
    elif zh and isinstance(value, bool) and column.key in BY_COLUMN:
        return "是" if value else "否"
    if zh and isinstance(value, str) and value in _ZH_KEYS:
        return _ZH_KEYS[value]
    if zh and column.zh_suffix and value and FISCAL_YEAR.match(str(value)):
        return f"{value}{column.zh_suffix}"
    if zh and value == "Total":
        return "總計"
    if kind == "count":
        return "" if value is None or (column.blank_zero and not value) else str(value)
    if kind == "share":
        return "—" if value is None else f"{value}%"
    if kind == "flag":
        if value is None:
            return ""
        return ("是" if value else "否") if zh else ("yes" if value else "no")
    if kind == "list":
        if zh and column.key == "sources_shown":
            return "、".join(zh_locator(str(v)) for v in value or ())
        return ", ".join(str(v) for v in value or ())
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
    return [f"{APPROX} includes {n} approximate allocation{'s' if n != 1 else ''}"]


def not_counted_note(count: int, adjacent: int = 0) -> list[str]:
    notes = []
    if count:
        notes.append(
            f"Government money only: {count} other figure{'s' if count != 1 else ''} (caps, "
            "private money, parts of earlier pots) are shown by `hkit show` and `hkit export`, "
            "never summed."
        )
    if adjacent:
        notes.append(
            f"Core I&T only: {adjacent} adjacent allocation{'s' if adjacent != 1 else ''} "
            "(digital government, Chinese medicine, general parks and campuses, regional "
            "funds) left out; `--scope all` adds them."
        )
    return notes


ATTRIBUTION = "Money counts toward each initiative's primary sector only."

# What each dating means, said under every year view (vocab.DATINGS, CURATION.md).
DATING_NOTES = {
    "announced": "Dated as announced: money counts in the fiscal year of the first official "
    "text that commits it (a Policy Address in the year it was delivered); "
    "`--dated budget` or `--dated approved` dates it otherwise.",
    "budget": "Dated by Budget: Policy Address money counts in the fiscal year of the Budget "
    "that provides it, as the Estimates see it.",
    "approved": "Dated by approval: money counts in the fiscal year LegCo approved it; money "
    "not yet approved, and money whose approval is not known, have rows of their own.",
}


def dating_note(dated: str) -> list[str]:
    return [DATING_NOTES[dated]]


def form_note(not_spending: Sum, currency: Currency) -> list[str]:
    """How much of a total is not money to be spent (an endowment, investment or capital)."""
    if not not_spending.amount:
        return []
    return [
        f"Not all of it is spending: {currency.short(not_spending.amount)} is endowment, "
        "investment or capital (money kept, invested or put into companies); "
        "`--by form` splits it."
    ]


def money_fields(total: Sum) -> dict[str, Any]:
    """The machine fields of a counted sum."""
    return {
        "amount_hkd": total.amount,
        "allocations": total.allocations,
        "approximate_allocations": total.approximate,
        "approximate": total.approximate > 0,
    }


def amount_column(
    heading: str = "Counted", heading_zh: str = "計算在內", empty_if: str = "allocations"
) -> Column:
    """The counted amount: marked ≈ when approximate, blank when ``empty_if`` is zero."""
    return Column(
        "amount_hkd", heading, heading_zh, "amount", approx="approximate", empty_if=empty_if
    )


def money_columns(heading: str = "Counted", heading_zh: str = "計算在內") -> list[Column]:
    return [
        amount_column(heading, heading_zh),
        Column("allocations", "Allocations", "撥款項數", "count", human=False),
        Column("approximate_allocations", "Approximate", "約數項數", "count", human=False),
        Column("approximate", "Approximate", "含約數", "flag", human=False),
    ]


def currency_note(currency: Currency) -> list[str]:
    return [currency.note] if currency.note else []


# --- Reports ---------------------------------------------------------------------------------


# The standard notes in Traditional Chinese, for --lang zh; other notes stay in English.
_NOTES_ZH = [
    (re.compile(r"^≈ includes (\d+) approximate allocations?$"), "約：包括 {0} 項約數撥款"),
    (
        re.compile(r"^Government money only: (\d+) other figures? "),
        "只計政府撥款：另有 {0} 個數字（資助上限、私人投資、從較早撥款中撥出的部分）可用 "
        "`hkit show` 及 `hkit export` 查看，不計入總數。",
    ),
    (
        re.compile(r"^Core I&T only: (\d+) adjacent allocations? "),
        "只計核心創科：{0} 項相關撥款（數字政府、中醫藥、一般園區及校舍、區域基金）不計在內；"
        "`--scope all` 會計入。",
    ),
    (
        re.compile(r"^Money counts toward each initiative's primary sector only\.$"),
        "撥款只計入各項目的主要範疇。",
    ),
    (
        re.compile(r"^Not all of it is spending: (\S+) is endowment"),
        "並非全屬開支：其中 {0} 為留本基金、投資或注資（保留、投資或注入公司的資金）；"
        "`--by form` 可分列。",
    ),
    (
        re.compile(r"^Dated as announced: "),
        "按公布日期：撥款計入首份承諾該筆款項的官方文件所屬財政年度（施政報告以發表年度計）；"
        "`--dated budget` 或 `--dated approved` 另作計算。",
    ),
    (
        re.compile(r"^Dated by Budget: "),
        "按預算案：施政報告的撥款計入提供該筆款項的財政預算案所屬財政年度。",
    ),
    (
        re.compile(r"^Dated by approval: "),
        "按批准日期：撥款計入立法會批准的財政年度；未獲批准或批准情況不明的撥款另列一行。",
    ),
    (
        re.compile(r"^Approved: money LegCo's Finance Committee approved"),
        "已批准：立法會財務委員會批准或隨預算案通過的撥款。已用或已承擔：最新官方數字（如有），"
        "`hkit show ID` 列出日期及來源。",
    ),
    (
        re.compile(r"^hkit core: counted core I&T money"),
        "hkit 核心：該些財政年度公布、計算在內的核心創科撥款；"
        "相關：hkit 有記錄但不計入核心的相關撥款；"
        "hkit 未載：所稱金額超出兩者的部分（hkit 未記錄的撥款、創科以外的撥款，或不同的計算方法）。"
        "`hkit claims -f json` 列出原話、來源及網址。",
    ),
    (re.compile(r"^\(none\)$"), "（沒有）"),
    (
        re.compile(r'^Covers (\S+) to (\S+); "nothing new": '),
        "涵蓋{0}至{1}年度；「沒有新撥款」指該年度的文件已審閱，但沒有新的計算在內撥款。"
        "文件的撥款指該年度引用該文件（或同日官方文本，例如其網頁及新聞公報）的計算在內撥款；"
        "其後再次公布的款項只在首次承諾的年度計算一次。",
    ),
    # A curator's notes stay in English; in Chinese they are labelled as such.
    (re.compile(r"^Approval of (\S+): (.*)$", re.S), "{0} 的批准（整理者備註，英文）：{1}"),
    (re.compile(r"^Spending of (\S+): (.*)$", re.S), "{0} 的開支（整理者備註，英文）：{1}"),
    (re.compile(r"^Note on (\S+): (.*)$", re.S), "{0}（整理者備註，英文）：{1}"),
    (
        re.compile(r"^Showing (\d+) of the (\d+) initiatives that match\.$"),
        "顯示 {1} 個相符項目中的 {0} 個。",
    ),
]
NO_CHINESE_NAME = "† 資料未有中文名稱，以英文名稱顯示。"

# An amount written the English way inside a translated note (HK$72.2bn), to write as 722億元.
_HKD_SHORT = re.compile(r"HK\$[0-9][0-9,.]*(?:bn|m)\b")


def _zh_amount(match: re.Match[str]) -> str:
    from hkit_cli.domain.money import parse_amount, short_zh

    return short_zh(parse_amount(match.group(0)))


def notes(table: Table) -> list[str]:
    """The table's notes as people read them, in Chinese where a translation exists."""
    if table.lang != "zh":
        return [visible(note, multiline=True) for note in table.notes]
    out = []
    for note in table.notes:
        for pattern, text in _NOTES_ZH:
            match = pattern.match(note)
            if match:
                note = _HKD_SHORT.sub(_zh_amount, text.format(*match.groups()))
                break
        out.append(visible(note, multiline=True))
    cells = [human_cell(table, c, r) for r in table.rows for c in table.columns if c.zh_key]
    if any(cell.endswith(" †") for cell in cells):
        out.append(NO_CHINESE_NAME)
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
        "approval_stage": approval.stage if approval else "not recorded",
        "approved_by": approval.by if approval else None,
        "approved_on": approval.date if approval else None,
        "approved_hkd": approval.amount if approval else None,
        "spent_hkd": spent.amount if spent else None,
        "spent_as_of": spent.as_of if spent else None,
    }
