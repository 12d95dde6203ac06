"""Pure filtering of initiatives and their allocations."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from hkit_cli.records import Allocation, Dataset, Initiative


@dataclass(frozen=True, slots=True)
class Filters:
    """What the user asked for; all given filters must match (AND).

    ``sector``, ``status``, ``lead_body`` and ``search`` choose initiatives; ``year``,
    ``min_amount`` and ``max_amount`` choose allocations, and an initiative is kept only
    if one of its allocations is (when any of those three is given).
    """

    sector: str | None = None
    year: str | None = None
    status: str | None = None
    lead_body: str | None = None
    search: str | None = None
    min_amount: int | None = None
    max_amount: int | None = None

    @property
    def by_allocation(self) -> bool:
        return self.year is not None or self.min_amount is not None or self.max_amount is not None

    def allocation_matches(self, allocation: Allocation) -> bool:
        if self.year is not None and allocation.fiscal_year != self.year:
            return False
        if self.min_amount is not None and allocation.amount < self.min_amount:
            return False
        return self.max_amount is None or allocation.amount <= self.max_amount


@dataclass(frozen=True, slots=True)
class Selection:
    """An initiative that matched, with the allocations that matched (all, unless filtered)."""

    initiative: Initiative
    allocations: tuple[Allocation, ...]


def fold(text: str) -> str:
    """Normalise text for matching: full-width forms, case and spacing."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def search_text(initiative: Initiative) -> str:
    parts = [initiative.id, initiative.name, initiative.name_zh or "", initiative.description]
    parts += initiative.aliases
    return fold("\n".join(parts))


def select(dataset: Dataset, filters: Filters) -> list[Selection]:
    """The initiatives matching ``filters``, in file order."""
    needle = fold(filters.search) if filters.search else None
    body = fold(filters.lead_body) if filters.lead_body else None
    chosen = []
    for initiative in dataset.initiatives:
        if filters.sector and filters.sector not in initiative.sectors:
            continue
        if filters.status and initiative.status != filters.status:
            continue
        if body and body not in fold(initiative.lead_body):
            continue
        if needle and needle not in search_text(initiative):
            continue
        allocations = initiative.allocations
        if filters.by_allocation:
            allocations = tuple(a for a in allocations if filters.allocation_matches(a))
            if not allocations:
                continue
        chosen.append(Selection(initiative, allocations))
    return chosen
