"""Pure aggregation of selections into report rows and totals; no formatting.

Records that are made and never changed are named tuples, and the two running sums (``Sum``
and ``Stages``) are small classes written out: defining a dataclass costs every command about
0.2 ms at start (Python 3.11 compiles its methods each time), a named tuple a quarter of that
and a plain class almost nothing. The module has no ``from __future__ import annotations``:
with it, ``typing.NamedTuple`` compiles every field's annotation string at import (1 ms here).
"""

from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

from hkit_cli.domain.dates import PartialDate, parse_partial_date
from hkit_cli.domain.records import (
    Allocation,
    Claim,
    Dataset,
    Figure,
    Initiative,
    Milestone,
    Source,
)
from hkit_cli.domain.vocab import CORE, COUNTED_KINDS, FORMS, GROUPINGS
from hkit_cli.reading.catalogue import say
from hkit_cli.reports.query import Selection, YearSpan


class AllocationRow(NamedTuple):
    """One allocation with its initiative: the unit of export."""

    initiative: Initiative
    allocation: Allocation
    counted: bool = False  # counted in the scopes the report takes


class Sum:
    """A counted HK$ sum, with how many allocations went in and how many are approximate."""

    __slots__ = ("amount", "allocations", "approximate")

    def __init__(self, amount: int = 0, allocations: int = 0, approximate: int = 0) -> None:
        self.amount = amount
        self.allocations = allocations
        self.approximate = approximate

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sum):
            return NotImplemented
        return (self.amount, self.allocations, self.approximate) == (
            other.amount,
            other.allocations,
            other.approximate,
        )

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it replaced

    def __repr__(self) -> str:
        return (
            f"Sum(amount={self.amount}, allocations={self.allocations}, "
            f"approximate={self.approximate})"
        )

    @classmethod
    def of(cls, allocations: list[Allocation]) -> "Sum":
        """The sum of ``allocations`` (many at once: a large file has tens of thousands)."""
        return cls(
            sum([a.amount for a in allocations]),
            len(allocations),
            Allocation.count_approximate(allocations),
        )

    def add(self, allocation: Allocation) -> None:
        self.amount += allocation.amount
        self.allocations += 1
        self.approximate += allocation.approximate


class InitiativeRow(NamedTuple):
    initiative: Initiative
    counted: Sum
    shown: int  # allocations shown but not counted
    secondary: tuple[str, ...] = ()  # matched the sector filter by these secondary sectors only
    first_year: str = ""  # the earliest fiscal year among its (selected) allocations
    forms: tuple[str, ...] = ()  # the forms of its counted money, in vocab.FORMS order


class Group(NamedTuple):
    key: str
    label: str
    sum: Sum


class Totals(NamedTuple):
    by: str
    column: str
    groups: list[Group]
    total: Sum
    not_counted: int
    adjacent: int  # government money left out by the scope (`--scope all` adds it)
    dated: str  # how the years are given (vocab.DATINGS)
    not_spending: Sum  # endowment, investment, capital


def records(selections: Iterable[Selection]) -> list[AllocationRow]:
    return [
        AllocationRow(s.initiative, a, a.counted_in(s.scopes))
        for s in selections
        for a in s.allocations
    ]


def initiative_rows(
    selections: Iterable[Selection], sort: str | None = None
) -> list[InitiativeRow]:
    """One row per initiative: in file order, or sorted by ``sort`` (one of SORTS)."""
    rows = []
    for selection in selections:
        counted = Sum()
        shown = 0
        for allocation in selection.allocations:
            if allocation.counted_in(selection.scopes):
                counted.add(allocation)
            else:
                shown += 1
        years = [a.fiscal_year for a in selection.allocations if a.fiscal_year]
        used = {a.money_form for a in selection.allocations if a.counted_in(selection.scopes)}
        forms = tuple(f for f in FORMS if f in used)
        rows.append(
            InitiativeRow(
                selection.initiative,
                counted,
                shown,
                selection.secondary,
                min(years, default=""),
                forms,
            )
        )
    if sort == "amount":  # largest counted money first
        rows.sort(key=lambda r: (-r.counted.amount, r.initiative.id))
    elif sort == "year":  # earliest money first; initiatives without a year last
        rows.sort(key=lambda r: (not r.first_year, r.first_year, r.initiative.id))
    elif sort == "name":
        rows.sort(key=lambda r: (r.initiative.name.casefold(), r.initiative.id))
    return rows


def _counted(
    selections: Iterable[Selection],
) -> tuple[list[tuple[Initiative, Allocation]], int, int]:
    """The counted allocations with their initiatives, and how the others were left out:
    (counted, never counted, adjacent). Never counted: not government money, or part of an
    earlier pot; adjacent: government money outside the scope (`--scope all` adds it). The
    one place the reports apply the counting rule (vocab.is_counted) to many selections."""
    counted: list[tuple[Initiative, Allocation]] = []
    never = adjacent = 0
    for selection in selections:
        scopes = selection.scopes
        for allocation in selection.allocations:
            # vocab.is_government_money, inline: this loop runs once per allocation.
            if allocation.kind not in COUNTED_KINDS or allocation.part_of is not None:
                never += 1
            elif allocation.scope not in scopes:
                adjacent += 1
            else:
                counted.append((selection.initiative, allocation))
    return counted, never, adjacent


def totals(dataset: Dataset, selections: Iterable[Selection], by: str) -> Totals:
    """Counted money grouped by ``by`` (one of GROUPINGS), with a grand total."""
    selections = list(selections)
    dated = selections[0].dated if selections else "announced"
    counted, never, adjacent = _counted(selections)
    grouped: dict[str, list[Allocation]] = {}
    if by == "year" and dated == "announced":  # the common case, without a call per allocation
        for _, allocation in counted:
            grouped.setdefault(allocation.fiscal_year or "", []).append(allocation)
    else:
        key_of = _key(by, dated)
        for initiative, allocation in counted:
            grouped.setdefault(key_of(initiative, allocation), []).append(allocation)
    sums = {key: Sum.of(allocations) for key, allocations in grouped.items()}
    total = Sum.of([allocation for _, allocation in counted])
    labels = _labels(dataset, by)
    groups = [Group(key, labels.get(key, key), sums[key]) for key in _order(by, sums)]
    not_spending = Sum.of([a for _, a in counted if a.money_form != "spending"])
    return Totals(by, GROUPINGS[by], groups, total, never, adjacent, dated, not_spending)


def _labels(dataset: Dataset, by: str) -> dict[str, str]:
    if by == "sector":
        return {s.slug: s.name for s in dataset.sectors}
    if by == "lead-body":
        return {b.id: b.label for b in dataset.bodies}
    return {}


def labels_zh(dataset: Dataset, by: str) -> dict[str, str]:
    """Chinese labels for the keys of a grouping, where the data has them."""
    if by == "form":
        return {form: say("zh", form, "form") for form in FORMS}
    if by == "sector":
        return {s.slug: s.name_zh for s in dataset.sectors}
    if by == "lead-body":
        return {
            b.id: b.name_zh + (f"（{b.abbreviation}）" if b.abbreviation else "")
            for b in dataset.bodies
        }
    return {}


def _order(by: str, sums: dict[str, Sum]) -> list[str]:
    """Years in time order; anything else largest first."""
    if by == "year":
        return sorted(sums)
    return sorted(sums, key=lambda key: (-sums[key].amount, key))


class Pivot(NamedTuple):
    """Counted money in a grid: one grouping across the columns, another down the rows."""

    column_by: str
    row_by: str
    columns: list[Group]  # column keys with their totals
    rows: list[Group]  # row keys with their totals
    cells: dict[tuple[str, str], Sum]  # (row key, column key) -> sum
    total: Sum
    not_counted: int
    adjacent: int
    dated: str
    not_spending: Sum


def pivot(dataset: Dataset, selections: Iterable[Selection], column_by: str, row_by: str) -> Pivot:
    cells: dict[tuple[str, str], Sum] = {}
    column_sums: dict[str, Sum] = {}
    row_sums: dict[str, Sum] = {}
    total = Sum()
    selections = list(selections)
    dated = selections[0].dated if selections else "announced"
    counted, never, adjacent = _counted(selections)
    column_of, row_of = _key(column_by, dated), _key(row_by, dated)
    for initiative, allocation in counted:
        column, row = column_of(initiative, allocation), row_of(initiative, allocation)
        cells.setdefault((row, column), Sum()).add(allocation)
        column_sums.setdefault(column, Sum()).add(allocation)
        row_sums.setdefault(row, Sum()).add(allocation)
        total.add(allocation)
    column_labels, row_labels = _labels(dataset, column_by), _labels(dataset, row_by)
    columns = [
        Group(k, column_labels.get(k, k), column_sums[k]) for k in _order(column_by, column_sums)
    ]
    rows = [Group(k, row_labels.get(k, k), row_sums[k]) for k in _order(row_by, row_sums)]
    not_spending = Sum.of([a for _, a in counted if a.money_form != "spending"])
    return Pivot(
        column_by, row_by, columns, rows, cells, total, never, adjacent, dated, not_spending
    )


class Change(NamedTuple):
    key: str
    label: str
    before: Sum
    after: Sum

    @property
    def change(self) -> int:
        return self.after.amount - self.before.amount


class Comparison(NamedTuple):
    """What two fiscal years' counted money looked like, by sector, and what was new."""

    before_year: str
    after_year: str
    rows: list[Change]
    total: Change
    new: list[tuple[Initiative, Sum]]  # first counted money in the later year


def compare(
    dataset: Dataset, selections: Iterable[Selection], before_year: str, after_year: str
) -> Comparison:
    before: dict[str, Sum] = {}
    after: dict[str, Sum] = {}
    total_before, total_after = Sum(), Sum()
    new: list[tuple[Initiative, Sum]] = []
    for selection in selections:
        initiative = selection.initiative
        counted = [a for a in selection.allocations if a.counted_in(selection.scopes)]
        money_after = Sum()
        for allocation in counted:
            if allocation.fiscal_year == before_year:
                before.setdefault(initiative.sector, Sum()).add(allocation)
                total_before.add(allocation)
            elif allocation.fiscal_year == after_year:
                after.setdefault(initiative.sector, Sum()).add(allocation)
                total_after.add(allocation)
                money_after.add(allocation)
        earlier = [a for a in counted if (a.fiscal_year or "") < after_year]
        if money_after.allocations and not earlier:
            new.append((initiative, money_after))
    labels = _labels(dataset, "sector")
    keys = set(before) | set(after)
    rows = [
        Change(key, labels.get(key, key), before.get(key, Sum()), after.get(key, Sum()))
        for key in keys
    ]
    rows.sort(key=lambda c: (-max(c.after.amount, c.before.amount), c.key))
    new.sort(key=lambda pair: (-pair[1].amount, pair[0].id))
    return Comparison(
        before_year, after_year, rows, Change("Total", "Total", total_before, total_after), new
    )


def counted_years(dataset: Dataset, scopes: tuple[str, ...] = CORE) -> list[str]:
    return sorted(
        {
            a.fiscal_year
            for i in dataset.initiatives
            for a in i.allocations
            if a.counted_in(scopes) and a.fiscal_year
        }
    )


class Event(NamedTuple):
    when: PartialDate
    initiative: Initiative
    milestone: Milestone


def timeline(
    selections: Iterable[Selection],
    years: Sequence[YearSpan] = (),
    calendar_years: Sequence[int] = (),
) -> list[Event]:
    """Milestones in date order (a vaguer date first among those starting together).

    ``years`` keeps milestones whose date may fall in one of those fiscal years (a date given
    only as 2026 may fall in 2025-26 or 2026-27); ``calendar_years`` those dated in one of
    those calendar years.
    """
    events = [
        Event(m.when, s.initiative, m)
        for s in selections
        for m in s.initiative.milestones
        if (not years or any(span.overlaps(m.when) for span in years))
        and (not calendar_years or m.when.year in calendar_years)
    ]
    events.sort(key=lambda e: (e.when.sort_key, e.initiative.id))
    return events


def figures(
    selections: Iterable[Selection], metric: str | None = None, years: Sequence[YearSpan] = ()
) -> list[tuple[Initiative, Figure]]:
    """Figures whose metric or unit holds ``metric``, and whose as-of date may fall in one of
    the fiscal ``years`` (a figure without a date is kept only when no year is asked)."""
    from hkit_cli.reports.query import fold

    needle = fold(metric) if metric else None
    return [
        (s.initiative, f)
        for s in selections
        for f in s.initiative.figures
        if (needle is None or needle in fold(f"{f.metric} {f.unit}"))
        and (
            not years
            or (
                f.as_of is not None
                and any(span.overlaps(parse_partial_date(f.as_of)) for span in years)
            )
        )
    ]


_KEYS: dict[str, Callable[[Initiative, Allocation], str]] = {
    "year": lambda i, a: a.fiscal_year or "",
    "sector": lambda i, a: i.sector,
    "lead-body": lambda i, a: i.lead_body,
    "status": lambda i, a: i.status,
    "scope": lambda i, a: a.scope,
    "kind": lambda i, a: a.kind,
    "form": lambda i, a: a.money_form,
}


def _key(by: str, dated: str) -> Callable[[Initiative, Allocation], str]:
    """The grouping key of an allocation; years under the chosen dating."""
    if by == "year" and dated != "announced":
        return lambda i, a: a.year(dated) or ""
    return _KEYS[by]


class BodyUse(NamedTuple):
    leads: int  # initiatives it leads
    partners: int  # initiatives it is a partner in
    counted: Sum  # counted money of the initiatives it leads


def body_usage(dataset: Dataset, scopes: tuple[str, ...] = CORE) -> dict[str, BodyUse]:
    leads: dict[str, int] = {b.id: 0 for b in dataset.bodies}
    partners: dict[str, int] = {b.id: 0 for b in dataset.bodies}
    counted: dict[str, Sum] = {b.id: Sum() for b in dataset.bodies}
    for initiative in dataset.initiatives:
        leads[initiative.lead_body] = leads.get(initiative.lead_body, 0) + 1
        for partner in initiative.partners:
            partners[partner] = partners.get(partner, 0) + 1
        money = counted.setdefault(initiative.lead_body, Sum())
        for allocation in initiative.allocations:
            if allocation.counted_in(scopes):
                money.add(allocation)
    return {k: BodyUse(leads[k], partners.get(k, 0), counted[k]) for k in leads}


def data_years(dataset: Dataset) -> tuple[str, str] | None:
    """The first and last fiscal years with counted money, if any."""
    years = counted_years(dataset)
    return (years[0], years[-1]) if years else None


def usage(dataset: Dataset) -> tuple[dict[str, tuple[int, int]], dict[str, tuple[int, int]]]:
    """(initiatives, allocations) using each sector (primary or secondary) and each source."""
    sectors: dict[str, tuple[int, int]] = {s.slug: (0, 0) for s in dataset.sectors}
    sources: dict[str, tuple[int, int]] = {s.id: (0, 0) for s in dataset.sources}
    for initiative in dataset.initiatives:
        for slug in dict.fromkeys(initiative.sectors):
            n, m = sectors.get(slug, (0, 0))
            sectors[slug] = (n + 1, m + len(initiative.allocations))
        for source_id in initiative.cited_source_ids():
            n, m = sources.get(source_id, (0, 0))
            cited = sum(any(c.id == source_id for c in a.sources) for a in initiative.allocations)
            sources[source_id] = (n + 1, m + cited)
    return sectors, sources


class CoverageDocument(NamedTuple):
    """A document read in full for one fiscal year, and the money of that year it gave."""

    source: Source
    allocations: list[str]  # ids of that year's allocations that cite the document
    counted: Sum


class CoverageYear(NamedTuple):
    fiscal_year: str
    documents: list[CoverageDocument]
    counted: Sum

    @property
    def status(self) -> str:
        if not self.documents:
            return "not reviewed"
        return "reviewed" if self.counted.allocations else "nothing new"


def coverage(dataset: Dataset, scopes: tuple[str, ...] = CORE) -> list[CoverageYear]:
    """Per fiscal year: the documents reviewed in full, what each gave, and the counted total.

    The years run from the first to the last year that has a reviewed document or counted
    money, so a gap in curation shows as "not reviewed" rather than as an empty year.
    """
    by_year: dict[str, list[Allocation]] = {}
    for initiative in dataset.initiatives:
        for allocation in initiative.allocations:
            if allocation.fiscal_year:
                by_year.setdefault(allocation.fiscal_year, []).append(allocation)
    same_day: dict[str, set[str]] = {}
    for source in dataset.sources:
        if source.kind == "official":
            same_day.setdefault(source.date, set()).add(source.id)
    reviewed: dict[str, list[Source]] = {}
    for source in dataset.sources:
        if source.covers:
            reviewed.setdefault(source.covers, []).append(source)
    counted_in = {
        y for y, allocations in by_year.items() if any(a.counted_in(scopes) for a in allocations)
    }
    years = sorted(counted_in | set(reviewed))
    if not years:
        return []
    first, last = int(years[0][:4]), int(years[-1][:4])
    out = []
    for start in range(first, last + 1):
        year = f"{start}-{(start + 1) % 100:02d}"
        allocations = by_year.get(year, [])
        total = Sum()
        for allocation in allocations:
            if allocation.counted_in(scopes):
                total.add(allocation)
        documents = []
        for source in reviewed.get(year, []):
            # A speech is often cited by its pages or its press-release copies: an official
            # source of the same day stands for the document.
            same = {source.id} | same_day.get(source.date, set())
            cited = [a for a in allocations if any(c.id in same for c in a.sources)]
            given = Sum()
            for allocation in cited:
                if allocation.counted_in(scopes):
                    given.add(allocation)
            documents.append(CoverageDocument(source, [a.id for a in cited], given))
        out.append(CoverageYear(year, documents, total))
    return out


class Stages:
    """Counted money by how far it got: announced, approved by LegCo (or voted with the
    Estimates), still pending, with no known approval, and spent or committed to date."""

    __slots__ = ("announced", "approved", "pending", "approval_unknown", "spent", "spent_unknown")

    def __init__(self) -> None:
        self.announced = Sum()
        self.approved = 0
        self.pending = 0
        self.approval_unknown = 0
        self.spent = 0
        self.spent_unknown = 0  # announced money with no official figure of spending

    def add(self, allocation: Allocation) -> None:
        self.announced.add(allocation)
        stage = allocation.approval.stage if allocation.approval else "unknown"
        if stage in ("approved", "voted"):
            self.approved += allocation.amount
        elif stage == "pending":
            self.pending += allocation.amount
        else:
            self.approval_unknown += allocation.amount
        if allocation.spent is not None:
            self.spent += allocation.spent.amount
        else:
            self.spent_unknown += allocation.amount


class Progress(NamedTuple):
    by: str
    dated: str
    groups: list[tuple[str, str, Stages]]  # key, label, stages
    total: Stages


def progress(dataset: Dataset, selections: Iterable[Selection], by: str) -> Progress:
    """Counted money per group of ``by`` (year under the chosen dating, sector or form), by
    stage: announced, approved, pending, approval not known, spent."""
    selections = list(selections)
    dated = selections[0].dated if selections else "announced"
    counted, _, _ = _counted(selections)
    key_of = _key(by, dated)
    groups: dict[str, Stages] = {}
    total = Stages()
    for initiative, allocation in counted:
        groups.setdefault(key_of(initiative, allocation), Stages()).add(allocation)
        total.add(allocation)
    labels = _labels(dataset, by)
    sums = {key: stages.announced for key, stages in groups.items()}
    ordered = [(key, labels.get(key, key), groups[key]) for key in _order(by, sums)]
    return Progress(by, dated, ordered, total)


class ClaimCheck(NamedTuple):
    """A government claim beside hkit's count for the same window, split by what hkit's core
    count leaves out (adjacent money) and by how much of it is not spending."""

    claim: Claim
    core: Sum
    adjacent: Sum
    not_spending: int  # of the core: endowment, investment and capital

    @property
    def counted_all(self) -> int:
        return self.core.amount + self.adjacent.amount

    @property
    def unexplained(self) -> int:
        """What the claim has beyond everything hkit records in the window: money hkit lacks,
        money outside I&T, or a different way of counting."""
        return self.claim.amount - self.counted_all


def claims(dataset: Dataset) -> list[ClaimCheck]:
    """Each claim of the dataset with hkit's counts for its window (as announced)."""
    from hkit_cli.reports.query import Filters, select

    out = []
    for claim in dataset.claims:
        window = (YearSpan(claim.window_from, claim.window_to),)
        core = totals(dataset, select(dataset, Filters(years=window, scopes=CORE)), "year")
        near = totals(dataset, select(dataset, Filters(years=window, scopes=("adjacent",))), "year")
        out.append(ClaimCheck(claim, core.total, near.total, core.not_spending.amount))
    return out
