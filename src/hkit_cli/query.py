"""Pure filtering of initiatives and their allocations."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from hkit_cli.models import Allocation, Dataset, Initiative


@dataclass(frozen=True, slots=True)
class Filters:
    """What the user asked for; all given filters must match (AND)."""

    sector: str | None = None
    year: str | None = None
    status: str | None = None
    lead_body: str | None = None
    search: str | None = None


@dataclass(frozen=True, slots=True)
class Selection:
    """An initiative that matched, with the allocations that matched (all, unless --year)."""

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
        if filters.year:
            allocations = [a for a in allocations if a.fiscal_year == filters.year]
            if not allocations:
                continue
        chosen.append(Selection(initiative, tuple(allocations)))
    return chosen
