"""Reports laid out as plain grids of strings, shared by the rich and Markdown renderers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from hkit_cli.currency import HKD, Currency
from hkit_cli.records import Citation, Dataset, Figure, Initiative
from hkit_cli.report import (
    BodyUse,
    Comparison,
    CoverageYear,
    Event,
    InitiativeRow,
    Pivot,
    Sum,
    Totals,
)

APPROX = "≈"
HEADINGS = {
    "year": "Fiscal year",
    "sector": "Sector",
    "lead-body": "Lead body",
    "status": "Status",
    "scope": "Scope",
    "kind": "Kind",
}
ATTRIBUTION = "Money counts toward each initiative's primary sector only."


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    numeric: bool = False
    whole: bool = False  # never cut or wrapped (ids, slugs, URLs)


@dataclass(slots=True)
class Grid:
    """A table: columns, rows of text, an optional total row, and notes to print below it."""

    columns: list[Column]
    rows: list[list[str]] = field(default_factory=list)
    total: list[str] | None = None
    title: str = ""
    notes: list[str] = field(default_factory=list)


WHOLE = frozenset(
    {"ID", "Allocation", "Source", "Document", "URL", "Initiative", "Sector", "Fiscal year"}
)


def columns(*names: str, numeric: Sequence[str] = ()) -> list[Column]:
    return [Column(name, name in numeric, name in WHOLE) for name in names]


def money(total: Sum, currency: Currency = HKD) -> str:
    if total.allocations == 0:
        return "—"
    text = currency.short(total.amount)
    return f"{APPROX} {text}" if total.approximate else text


def change(amount: int, currency: Currency = HKD) -> str:
    if amount == 0:
        return "0"
    sign = "+" if amount > 0 else "−"
    return sign + currency.short(abs(amount))


def share(part: int, whole: int) -> str:
    if whole == 0:
        return "—"
    percent = (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return f"{percent}%"


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
            "private money, parts of "
            "earlier pots) are shown by `hkit show` and `hkit export`, never summed."
        )
    if adjacent:
        notes.append(
            f"Core I&T only: {adjacent} adjacent allocation{'s' if adjacent != 1 else ''} "
            "(digital government, Chinese medicine, general parks and campuses, regional "
            "funds) left out; `--scope all` adds them."
        )
    return notes


def _currency_note(currency: Currency) -> list[str]:
    return [currency.note] if currency.note else []


def initiatives(
    rows: Sequence[InitiativeRow], currency: Currency = HKD, matched: int | None = None
) -> Grid:
    """The initiatives listed; ``matched`` is how many matched when the list is cut short."""
    grid = Grid(columns("ID", "Name", "Sector", "Status", "Counted", numeric=["Counted"]))
    total = Sum()
    secondary: dict[str, int] = {}
    for row in rows:
        i = row.initiative
        sector = i.sector + "".join(f" +{s}" for s in row.secondary)
        grid.rows.append([i.id, i.name, sector, i.status, money(row.counted, currency)])
        if row.secondary:
            for slug in row.secondary:
                secondary[slug] = secondary.get(slug, 0) + 1
            continue
        total.amount += row.counted.amount
        total.allocations += row.counted.allocations
        total.approximate += row.counted.approximate
    noun = "initiative" if len(rows) == 1 else "initiatives"
    shown = f"{len(rows)} {noun}" if matched is None else f"{len(rows)} of {matched}"
    grid.total = ["", shown, "", "", money(total, currency)]
    grid.notes = approx_note(total)
    if matched is not None:
        grid.notes.append(f"Showing {len(rows)} of the {matched} initiatives that match.")
    if secondary:
        marks = ", ".join(f"+{slug}" for slug in secondary)
        grid.notes.append(
            f"{marks}: listed for a secondary sector only. Money counts toward each "
            "initiative's primary sector, so these rows are left out of the total."
        )
    grid.notes += _currency_note(currency)
    return grid


def totals(report: Totals, currency: Currency = HKD) -> Grid:
    grid = Grid(
        columns(
            HEADINGS[report.by],
            "Counted",
            "Share",
            "Allocations",
            "Approximate",
            numeric=["Counted", "Share", "Allocations", "Approximate"],
        )
    )
    whole = report.total.amount
    for group in report.groups:
        s = group.sum
        grid.rows.append(
            [
                group.label,
                money(s, currency),
                share(s.amount, whole),
                str(s.allocations),
                str(s.approximate or ""),
            ]
        )
    t = report.total
    grid.total = [
        "Total",
        money(t, currency),
        share(whole, whole) if whole else "—",
        str(t.allocations),
        str(t.approximate or ""),
    ]
    grid.notes = (
        approx_note(t)
        + not_counted_note(report.not_counted, report.adjacent)
        + ([ATTRIBUTION] if report.by == "sector" else [])
        + _currency_note(currency)
    )
    return grid


def pivot(report: Pivot, currency: Currency = HKD) -> Grid:
    names = [HEADINGS[report.row_by]] + [c.label for c in report.columns] + ["Total"]
    grid = Grid(columns(*names, numeric=names[1:]))
    for row in report.rows:
        cells = [money(report.cells.get((row.key, c.key), Sum()), currency) for c in report.columns]
        grid.rows.append([row.key, *cells, money(row.sum, currency)])
    grid.total = [
        "Total",
        *(money(c.sum, currency) for c in report.columns),
        money(report.total, currency),
    ]
    grid.notes = (
        approx_note(report.total)
        + not_counted_note(report.not_counted, report.adjacent)
        + ([ATTRIBUTION] if "sector" in (report.row_by, report.column_by) else [])
        + _currency_note(currency)
    )
    return grid


def comparison(report: Comparison, currency: Currency = HKD) -> list[Grid]:
    a, b = report.before_year, report.after_year
    by_sector = Grid(
        columns("Sector", a, b, "Change", numeric=[a, b, "Change"]),
        title=f"Counted money provided in {a} and {b}, by sector",
    )
    for row in report.rows:
        by_sector.rows.append(
            [
                row.label,
                money(row.before, currency),
                money(row.after, currency),
                change(row.change, currency),
            ]
        )
    t = report.total
    by_sector.total = [
        "Total",
        money(t.before, currency),
        money(t.after, currency),
        change(t.change, currency),
    ]
    approximate = Sum(0, 0, t.before.approximate + t.after.approximate)
    by_sector.notes = approx_note(approximate) + [ATTRIBUTION]
    new = Grid(
        columns("ID", "Name", "Sector", b, numeric=[b]),
        title=f"New in {b}: initiatives whose first counted money is in {b}",
    )
    for initiative, amount in report.new:
        new.rows.append(
            [initiative.id, initiative.name, initiative.sector, money(amount, currency)]
        )
    if not report.new:
        new.notes = ["(none)"]
    new.notes += _currency_note(currency)
    return [by_sector, new]


def figures(pairs: Sequence[tuple[Initiative, Figure]]) -> Grid:
    grid = Grid(
        columns("Initiative", "Figure", "Value", "Unit", "As of", "Sources", numeric=["Value"])
    )
    for initiative, figure in pairs:
        grid.rows.append(
            [
                initiative.id,
                figure.metric,
                figure_value(figure),
                figure.unit,
                figure.as_of or "",
                cites(figure.sources),
            ]
        )
    return grid


def figure_value(figure: Figure) -> str:
    value = f"{figure.value:,}"
    return value if figure.qualifier == "exact" else f"{figure.qualifier} {value}"


def timeline(events: Sequence[Event]) -> Grid:
    grid = Grid(columns("When", "Initiative", "Milestone", "Sources"))
    for event in events:
        grid.rows.append(
            [
                event.when.label,
                event.initiative.id,
                event.milestone.event,
                cites(event.milestone.sources),
            ]
        )
    return grid


def cites(citations: Sequence[Citation]) -> str:
    return ", ".join(c.id + (f" ({c.locator})" if c.locator else "") for c in citations)


def sectors(dataset: Dataset, usage: dict[str, tuple[int, int]]) -> Grid:
    grid = Grid(
        columns(
            "Sector",
            "Name",
            "中文",
            "Initiatives",
            "Allocations",
            numeric=["Initiatives", "Allocations"],
        )
    )
    for s in dataset.sectors:
        n, m = usage.get(s.slug, (0, 0))
        grid.rows.append([s.slug, s.name, s.name_zh, str(n), str(m)])
    return grid


def bodies(dataset: Dataset, usage: dict[str, BodyUse], currency: Currency = HKD) -> Grid:
    grid = Grid(
        columns(
            "ID",
            "Abbr.",
            "Name",
            "Leads",
            "Partners",
            "Counted",
            numeric=["Leads", "Partners", "Counted"],
        )
    )
    for b in dataset.bodies:
        use = usage[b.id]
        grid.rows.append(
            [
                b.id,
                b.abbreviation or "",
                f"{b.name} {b.name_zh}",
                str(use.leads),
                str(use.partners),
                money(use.counted, currency),
            ]
        )
    grid.notes = [
        "Counted: the counted money of the initiatives a body leads; partners are not credited."
    ]
    return grid


def sources(dataset: Dataset, usage: dict[str, tuple[int, int]]) -> Grid:
    grid = Grid(
        columns(
            "Source",
            "Kind",
            "Date",
            "Publisher",
            "Title",
            "Initiatives",
            "Allocations",
            numeric=["Initiatives", "Allocations"],
        )
    )
    for s in dataset.sources:
        n, m = usage.get(s.id, (0, 0))
        grid.rows.append([s.id, s.kind, s.date, s.publisher, s.title, str(n), str(m)])
    return grid


@dataclass(slots=True)
class InitiativeView:
    name: str
    name_zh: str
    facts: list[tuple[str, str]]
    description: str
    notes: str
    grids: list[Grid]


def initiative(item: Initiative, dataset: Dataset, currency: Currency = HKD) -> InitiativeView:
    sectors_by_slug = {s.slug: s for s in dataset.sectors}
    sources_by_id = {s.id: s for s in dataset.sources}
    bodies = {b.id: b for b in dataset.bodies}
    sector = sectors_by_slug.get(item.sector)
    counted = Sum()
    for allocation in item.allocations:
        if allocation.counted:
            counted.add(allocation)
    facts = [
        ("id", item.id),
        ("sector", f"{item.sector} ({sector.name})" if sector else item.sector),
        ("also in", ", ".join(item.secondary_sectors)),
        ("status", item.status),
        ("lead body", bodies[item.lead_body].label if item.lead_body in bodies else item.lead_body),
        ("partners", ", ".join(bodies[p].label if p in bodies else p for p in item.partners)),
        ("announced in", item.announced_in),
        ("aliases", ", ".join(item.aliases)),
        ("counted", money(counted, currency) if item.allocations else ""),
    ]
    grids = []
    if item.allocations:
        grid = Grid(
            columns(
                "Allocation",
                "Amount",
                "Qualifier",
                "Kind",
                "Year",
                "Counted",
                "Sources",
                numeric=["Amount"],
            ),
            title="Allocations",
        )
        for a in item.allocations:
            status = "yes" if a.counted else (f"no (part of {a.part_of})" if a.part_of else "no")
            kind = a.kind + (f" of {a.applies_to}" if a.applies_to else "")
            year = (a.fiscal_year or "—") + (f" ({a.period})" if a.period else "")
            grid.rows.append(
                [a.id, currency.exact(a.amount), a.qualifier, kind, year, status, cites(a.sources)]
            )
        grid.notes = [f"Note on {a.id}: {a.note}" for a in item.allocations if a.note]
        grid.notes += _currency_note(currency)
        grids.append(grid)
    if item.milestones:
        grid = Grid(columns("When", "Milestone", "Sources"), title="Milestones")
        for m in sorted(item.milestones, key=lambda m: m.when.sort_key):
            grid.rows.append([m.when.label, m.event, cites(m.sources)])
        grids.append(grid)
    if item.figures:
        grid = Grid(
            columns("Figure", "Value", "Unit", "As of", "Sources", numeric=["Value"]),
            title="Key figures",
        )
        for f in item.figures:
            grid.rows.append([f.metric, figure_value(f), f.unit, f.as_of or "", cites(f.sources)])
        grids.append(grid)
    grid = Grid(columns("Source", "Kind", "Date", "Publisher", "Title", "URL"), title="Sources")
    for source_id in item.cited_source_ids():
        s = sources_by_id.get(source_id)
        if s is not None:
            grid.rows.append([s.id, s.kind, s.date, s.publisher, s.title, s.url or ""])
    grids.append(grid)
    return InitiativeView(
        item.name,
        item.name_zh or "",
        [(k, v) for k, v in facts if v],
        item.description,
        item.notes or "",
        grids,
    )


def coverage(years: list[CoverageYear], currency: Currency = HKD) -> Grid:
    """One row per document reviewed, with what it gave that year and the year's total."""
    grid = Grid(
        columns(
            "Fiscal year",
            "Document",
            "Gave",
            "Counted",
            "Year total",
            numeric=["Gave", "Counted", "Year total"],
        ),
        title="Documents reviewed, by fiscal year",
    )
    for year in years:
        year_total = money(year.counted, currency) if year.counted.allocations else year.status
        if not year.documents:
            grid.rows.append([year.fiscal_year, "—", "0", "—", year_total])
        for k, document in enumerate(year.documents):
            grid.rows.append(
                [
                    year.fiscal_year if k == 0 else "",
                    document.source.id,
                    str(len(document.allocations)),
                    money(document.counted, currency),
                    year_total if k == 0 else "",
                ]
            )
    if years:
        grid.notes.append(
            f'Covers {years[0].fiscal_year} to {years[-1].fiscal_year}; "nothing new": the '
            "year's documents were reviewed and gave no new counted money. A document's money is "
            "the counted allocations of that year that cite it or an official text of the same "
            "day (its pages, its press release); money re-announced later counts once, in the "
            "year first committed."
        )
    return grid
