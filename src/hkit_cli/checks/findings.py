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
    # (kind, index, raw data) of records that failed the schema. Their ids still count as
    # defined (no "unknown source" for a source that merely has a bad date) and as taken (a
    # duplicate is found at once), and their references are still checked where readable.
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

    def raw(self, kind: str) -> list[tuple[int, dict[str, Any]]]:
        return [(i, r) for k, i, r in self.failed if k == kind and isinstance(r, dict)]


def known_hint(value: str, known: set[str], what: str) -> str:
    close = suggest(value, sorted(known))
    if close:
        return f"did you mean `{close[0]}`?"
    if not known:
        return f"there are no {what} yet"
    listed = sorted(known)
    more = f", … ({len(listed)} in all)" if len(listed) > 12 else ""
    return f"known {what}: {', '.join(listed[:12])}{more}"


def text_of(value: object) -> str:
    """A raw value as text, or "" if it is not text (a failed record's unreadable field)."""
    return value if isinstance(value, str) else ""


def items_of(value: object) -> list[Any]:
    """A raw value as a list, or [] if it is not one."""
    return value if isinstance(value, list) else []


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
    raw_allocations: list[tuple[Loc, dict[str, Any]]]
    sectors: set[str] | None
    sources: set[str] | None
    known_allocations: set[str] | None

    @classmethod
    def of(cls, parsed: Parsed, line_of: LineOf) -> Index:
        allocations: dict[str, tuple[Loc, Allocation]] = {}
        located: list[tuple[Loc, Allocation]] = []
        allocation_ids: list[tuple[Loc, str, str]] = []
        raw_allocations: list[tuple[Loc, dict[str, Any]]] = []
        for i, initiative in parsed.initiatives:
            for j, allocation in enumerate(initiative.allocations):
                loc = ("initiatives", i, "allocations", j)
                located.append((loc, allocation))
                allocations.setdefault(allocation.id, (loc, allocation))
                allocation_ids.append((loc + ("id",), allocation.id, allocation.id))
        for i, raw in parsed.raw("initiative"):
            for j, allocation in enumerate(items_of(raw.get("allocations"))):
                if isinstance(allocation, dict):
                    loc = ("initiatives", i, "allocations", j)
                    raw_allocations.append((loc, allocation))
                    ident = text_of(allocation.get("id"))
                    if ident:
                        allocation_ids.append((loc + ("id",), ident, ident))
        if raw_allocations:  # the valid ones are in file order already
            allocation_ids.sort(key=lambda item: _order(item[0]))
        sectors: set[str] | None = None
        if "sector" not in parsed.unsure:
            sectors = {s.slug for _, s in parsed.sectors}
            sectors |= {text_of(r.get("slug")) for _, r in parsed.raw("sector")} - {""}
        sources: set[str] | None = None
        if "source" not in parsed.unsure:
            sources = {s.id for _, s in parsed.sources}
            sources |= {text_of(r.get("id")) for _, r in parsed.raw("source")} - {""}
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
