"""Pure aggregation of selections into report rows and totals; no formatting."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from hkit_cli.models import Allocation, Dataset, Initiative
from hkit_cli.query import Selection

GROUPINGS = {
    "year": "fiscal_year",
    "sector": "sector",
    "lead-body": "lead_body",
    "kind": "kind",
}

EXPORT_COLUMNS = (
    "id",
    "name",
    "name_zh",
    "sector",
    "lead_body",
    "status",
    "fiscal_year",
    "amount_hkd",
    "qualifier",
    "kind",
    "counted",
    "announced_in",
    "sources",
    "allocation_id",
    "part_of",
    "applies_to",
    "period",
)


@dataclass(frozen=True, slots=True)
class Record:
    """One allocation with its initiative: the unit of export."""

    initiative: Initiative
    allocation: Allocation

    def as_dict(self) -> dict[str, object]:
        i, a = self.initiative, self.allocation
        return {
            "id": i.id,
            "name": i.name,
            "name_zh": i.name_zh or "",
            "sector": i.sector,
            "lead_body": i.lead_body,
            "status": i.status,
            "fiscal_year": a.fiscal_year or "",
            "amount_hkd": a.amount,
            "qualifier": a.qualifier,
            "kind": a.kind,
            "counted": a.counted,
            "announced_in": i.announced_in,
            "sources": [c.id for c in a.sources],
            "allocation_id": a.id,
            "part_of": a.part_of or "",
            "applies_to": a.applies_to or "",
            "period": a.period or "",
        }


@dataclass(slots=True)
class Sum:
    """A counted HK$ sum, with how many allocations went in and how many are approximate."""

    amount: int = 0
    allocations: int = 0
    approximate: int = 0

    def add(self, allocation: Allocation) -> None:
        self.amount += allocation.amount
        self.allocations += 1
        self.approximate += allocation.approximate


@dataclass(frozen=True, slots=True)
class InitiativeRow:
    initiative: Initiative
    counted: Sum
    shown: int  # allocations shown but not counted


@dataclass(frozen=True, slots=True)
class Group:
    key: str
    label: str
    sum: Sum


@dataclass(slots=True)
class Totals:
    by: str
    column: str
    groups: list[Group]
    total: Sum
    not_counted: int = 0
    notes: list[str] = field(default_factory=list)


def records(selections: Iterable[Selection]) -> list[Record]:
    return [Record(s.initiative, a) for s in selections for a in s.allocations]


def initiative_rows(selections: Iterable[Selection]) -> list[InitiativeRow]:
    rows = []
    for selection in selections:
        counted = Sum()
        shown = 0
        for allocation in selection.allocations:
            if allocation.counted:
                counted.add(allocation)
            else:
                shown += 1
        rows.append(InitiativeRow(selection.initiative, counted, shown))
    return rows


def totals(dataset: Dataset, selections: Iterable[Selection], by: str) -> Totals:
    """Counted money grouped by ``by`` (one of GROUPINGS), with a grand total."""
    sector_names = {s.slug: s.name for s in dataset.sectors}
    sums: dict[str, Sum] = {}
    total = Sum()
    not_counted = 0
    for selection in selections:
        initiative = selection.initiative
        for allocation in selection.allocations:
            if not allocation.counted:
                not_counted += 1
                continue
            key = _key(by, initiative, allocation)
            sums.setdefault(key, Sum()).add(allocation)
            total.add(allocation)
    if by == "year":
        ordered = sorted(sums.items())
    else:
        ordered = sorted(sums.items(), key=lambda kv: (-kv[1].amount, kv[0]))
    groups = [
        Group(key, sector_names.get(key, key) if by == "sector" else key, value)
        for key, value in ordered
    ]
    return Totals(by, GROUPINGS[by], groups, total, not_counted)


def _key(by: str, initiative: Initiative, allocation: Allocation) -> str:
    if by == "year":
        return allocation.fiscal_year or ""
    if by == "sector":
        return initiative.sector
    if by == "lead-body":
        return initiative.lead_body
    return allocation.kind


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
