"""What the cross-record checks work on and return: the records that passed the schema (and
those that failed it), the index every pass shares, and findings as values: a location, a
message, a hint."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hkit_cli.domain.records import Allocation, Body, Claim, Dataset, Initiative, Sector, Source
from hkit_cli.domain.vocab import suggest

Loc = tuple[Any, ...]

# The line of a location in the file, as the loader knows it (None where it does not).
LineOf = Callable[[Loc], int | None]


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem found by a rule: where it is (a path into the data), what, and a hint; where
    the problem has another half (the first of two duplicates), the message names its line."""

    loc: Loc
    message: str
    hint: str = ""
    level: str = "error"


@dataclass
class Parsed:
    """Records that passed the schema, each with its index in the file, and those that failed."""

    sectors: list[tuple[int, Sector]] = field(default_factory=list)
    bodies: list[tuple[int, Body]] = field(default_factory=list)
    sources: list[tuple[int, Source]] = field(default_factory=list)
    initiatives: list[tuple[int, Initiative]] = field(default_factory=list)
    claims: list[tuple[int, Claim]] = field(default_factory=list)
    # (kind, index, record) of records that failed the schema, read as far as they can be: the
    # same record classes, with "" or None where a value could not be read. Their ids still
    # count as defined (no "unknown source" for a source that merely has a bad date) and as
    # taken (a duplicate is found at once), and their references are still checked.
    failed: list[tuple[str, int, Any]] = field(default_factory=list)
    # Kinds ("sector", "source", "allocation") whose ids may be incomplete because a list or
    # an id could not be read: a reference to one of them may well be right, so it is not
    # reported as unknown (the unreadable list or id is reported instead).
    unsure: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, dataset: Dataset) -> Parsed:
        return cls(
            list(enumerate(dataset.sectors)),
            list(enumerate(dataset.bodies)),
            list(enumerate(dataset.sources)),
            list(enumerate(dataset.initiatives)),
            list(enumerate(dataset.claims)),
        )

    def failed_of(self, kind: str) -> list[tuple[int, Any]]:
        """The records of ``kind`` that failed the schema, with their index in the file."""
        return [(i, r) for k, i, r in self.failed if k == kind]


def known_hint(value: str, known: set[str], what: str) -> str:
    close = suggest(value, sorted(known))
    if close:
        return f"did you mean `{close[0]}`?"
    if not known:
        return f"there are no {what} yet"
    listed = sorted(known)
    more = f", … ({len(listed)} in all)" if len(listed) > 12 else ""
    return f"known {what}: {', '.join(listed[:12])}{more}"


@dataclass
class Index:
    """What the passes share, built once from the parsed records: the allocations by id and
    in file order, and the ids each kind of reference may name (None where they could not all
    be read: then no reference to that kind is called unknown)."""

    parsed: Parsed
    line_of: LineOf
    allocations: dict[str, tuple[Loc, Allocation]]
    located: list[tuple[Loc, Allocation]]
    # (loc, id, shown) of every allocation id, valid and failed records together, file order
    allocation_ids: list[tuple[Loc, str, str]]
    # The allocations of initiatives that failed the schema, read as far as they can be.
    raw_allocations: list[tuple[Loc, Allocation]]
    sectors: set[str] | None
    sources: set[str] | None
    known_allocations: set[str] | None

    @classmethod
    def of(cls, parsed: Parsed, line_of: LineOf) -> Index:
        allocations: dict[str, tuple[Loc, Allocation]] = {}
        located: list[tuple[Loc, Allocation]] = []
        allocation_ids: list[tuple[Loc, str, str]] = []
        raw_allocations: list[tuple[Loc, Allocation]] = []
        for i, initiative in parsed.initiatives:
            for j, allocation in enumerate(initiative.allocations):
                loc = ("initiatives", i, "allocations", j)
                located.append((loc, allocation))
                allocations.setdefault(allocation.id, (loc, allocation))
                allocation_ids.append((loc + ("id",), allocation.id, allocation.id))
        for i, failed in parsed.failed_of("initiative"):
            for j, allocation in enumerate(failed.allocations):
                loc = ("initiatives", i, "allocations", j)
                raw_allocations.append((loc, allocation))
                if allocation.id:
                    allocation_ids.append((loc + ("id",), allocation.id, allocation.id))
        if raw_allocations:  # the valid ones are in file order already
            allocation_ids.sort(key=lambda item: _order(item[0]))
        sectors: set[str] | None = None
        if "sector" not in parsed.unsure:
            sectors = {s.slug for _, s in parsed.sectors}
            sectors |= {r.slug for _, r in parsed.failed_of("sector")} - {""}
        sources: set[str] | None = None
        if "source" not in parsed.unsure:
            sources = {s.id for _, s in parsed.sources}
            sources |= {r.id for _, r in parsed.failed_of("source")} - {""}
        known: set[str] | None = None
        if "allocation" not in parsed.unsure:
            known = set(allocations) | {ident for _, ident, _ in allocation_ids}
        return cls(
            parsed,
            line_of,
            allocations,
            located,
            allocation_ids,
            raw_allocations,
            sectors,
            sources,
            known,
        )


def _order(loc: Loc) -> tuple[Any, ...]:
    return tuple((0, p) if isinstance(p, int) else (1, str(p)) for p in loc)
