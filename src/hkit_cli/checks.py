"""Rules across records: unique ids, known references, and money that is never counted twice."""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from hkit_cli.errors import format_path
from hkit_cli.models import Allocation, Citation, Dataset, Initiative, Sector, Source
from hkit_cli.money import exact_hkd

# A problem found by a rule: where it is (a path into the data), what is wrong, and a hint.
Finding = tuple[tuple[Any, ...], str, str]


@dataclass
class Parsed:
    """Records that passed the schema, each with its index in the file."""

    sectors: list[tuple[int, Sector]] = field(default_factory=list)
    sources: list[tuple[int, Source]] = field(default_factory=list)
    initiatives: list[tuple[int, Initiative]] = field(default_factory=list)
    # (kind, id) of records that failed the schema: references to them are not reported again.
    other_ids: set[tuple[str, str]] = field(default_factory=set)

    @classmethod
    def of(cls, dataset: Dataset) -> Parsed:
        return cls(
            list(enumerate(dataset.sectors)),
            list(enumerate(dataset.sources)),
            list(enumerate(dataset.initiatives)),
        )


def check(parsed: Parsed) -> list[Finding]:
    """Every cross-record problem in ``parsed``."""
    return list(_check(parsed))


def _check(parsed: Parsed) -> Iterator[Finding]:
    yield from _unique(((("sectors", i, "slug"), s.slug) for i, s in parsed.sectors), "sector slug")
    yield from _unique(((("sources", i, "id"), s.id) for i, s in parsed.sources), "source id")
    yield from _unique(
        ((("initiatives", i, "id"), x.id) for i, x in parsed.initiatives), "initiative id"
    )
    yield from _unique(
        ((("initiatives", i, "name"), x.name.casefold()) for i, x in parsed.initiatives),
        "initiative name",
    )
    allocations: dict[str, tuple[tuple[Any, ...], Allocation]] = {}
    located: list[tuple[tuple[Any, ...], Allocation]] = []
    for i, initiative in parsed.initiatives:
        for j, allocation in enumerate(initiative.allocations):
            loc = ("initiatives", i, "allocations", j)
            located.append((loc, allocation))
            allocations.setdefault(allocation.id, (loc, allocation))
    yield from _unique(((loc + ("id",), a.id) for loc, a in located), "allocation id")

    sectors = {s.slug for _, s in parsed.sectors} | _ids(parsed, "sector")
    sources = {s.id for _, s in parsed.sources} | _ids(parsed, "source")
    known_allocations = set(allocations) | _ids(parsed, "allocation")
    for i, initiative in parsed.initiatives:
        base: tuple[Any, ...] = ("initiatives", i)
        yield from _sector_refs(base, initiative, sectors)
        yield from _source_refs(base, initiative, sources)
        if not initiative.cited_source_ids():
            yield (
                base + ("sources",),
                "the initiative cites no source",
                ("add `sources: [<source id>]` or an allocation with its sources"),
            )
    for loc, allocation in located:
        yield from _allocation_rules(loc, allocation, allocations, known_allocations)
    yield from _parts_within_whole(located, allocations)


def _ids(parsed: Parsed, kind: str) -> set[str]:
    return {ident for k, ident in parsed.other_ids if k == kind and ident}


def _unique(items: Iterator[tuple[tuple[Any, ...], str]], what: str) -> Iterator[Finding]:
    first: dict[str, tuple[Any, ...]] = {}
    for loc, value in items:
        if value in first:
            where = _describe_loc(first[value])
            yield loc, f"duplicate {what} `{value}`", f"already used at {where}"
        else:
            first[value] = loc


def _describe_loc(loc: tuple[Any, ...]) -> str:
    return format_path(loc[:-1])


def _sector_refs(
    base: tuple[Any, ...], initiative: Initiative, known: set[str]
) -> Iterator[Finding]:
    refs = [(base + ("sector",), initiative.sector)]
    refs += [
        (base + ("secondary_sectors", k), slug)
        for k, slug in enumerate(initiative.secondary_sectors)
    ]
    for loc, slug in refs:
        if slug not in known:
            yield loc, f"unknown sector `{slug}`", _known_hint(slug, known, "sectors")


def _source_refs(
    base: tuple[Any, ...], initiative: Initiative, known: set[str]
) -> Iterator[Finding]:
    groups: list[tuple[tuple[Any, ...], list[Citation]]] = [
        (base + ("sources",), initiative.sources)
    ]
    for name in ("allocations", "milestones", "figures"):
        for j, record in enumerate(getattr(initiative, name)):
            groups.append((base + (name, j, "sources"), record.sources))
    for loc, citations in groups:
        for k, citation in enumerate(citations):
            if citation.id not in known:
                yield (
                    loc + (k,),
                    f"unknown source `{citation.id}`",
                    _known_hint(citation.id, known, "sources"),
                )


def _known_hint(value: str, known: set[str], what: str) -> str:
    close = difflib.get_close_matches(value, sorted(known), n=1)
    if close:
        return f"did you mean `{close[0]}`?"
    listed = sorted(known)
    more = f", … ({len(listed)} in all)" if len(listed) > 12 else ""
    return f"known {what}: {', '.join(listed[:12])}{more}"


def _allocation_rules(
    loc: tuple[Any, ...],
    allocation: Allocation,
    allocations: dict[str, tuple[tuple[Any, ...], Allocation]],
    known: set[str],
) -> Iterator[Finding]:
    if allocation.counted and allocation.fiscal_year is None:
        yield (
            loc + ("fiscal_year",),
            "a counted allocation needs a fiscal_year",
            ("the fiscal year of the Budget that provided the money, like 2026-27"),
        )
    if allocation.part_of is not None:
        if allocation.kind not in ("allocation", "earmark", "injection"):
            yield (
                loc + ("part_of",),
                "part_of is for government money drawn from an earlier pot, "
                f"not a {allocation.kind}",
                "use applies_to to link it to its scheme",
            )
        yield from _link(loc + ("part_of",), allocation, allocation.part_of, allocations, known)
        yield from _cycle(loc + ("part_of",), allocation, allocations)
    if allocation.applies_to is not None:
        yield from _link(
            loc + ("applies_to",), allocation, allocation.applies_to, allocations, known
        )
        target = allocations.get(allocation.applies_to)
        if (
            target is not None
            and allocation.kind == "per-recipient-cap"
            and allocation.amount > target[1].amount
        ):
            yield (
                loc + ("amount",),
                (
                    f"a per-recipient cap of {exact_hkd(allocation.amount)} is larger than its "
                    f"scheme's total of {exact_hkd(target[1].amount)} (`{target[1].id}`)"
                ),
                "",
            )


def _link(
    loc: tuple[Any, ...],
    allocation: Allocation,
    target: str,
    allocations: dict[str, tuple[tuple[Any, ...], Allocation]],
    known: set[str],
) -> Iterator[Finding]:
    if target == allocation.id:
        yield loc, "an allocation cannot refer to itself", ""
    elif target not in known:
        yield (
            loc,
            f"unknown allocation `{target}`",
            _known_hint(target, set(allocations), "allocations"),
        )


def _cycle(
    loc: tuple[Any, ...],
    allocation: Allocation,
    allocations: dict[str, tuple[tuple[Any, ...], Allocation]],
) -> Iterator[Finding]:
    seen = {allocation.id}
    parent = allocation.part_of
    while parent is not None and parent in allocations:
        if parent in seen:
            # Report only on the members of the loop; a self-reference is reported by _link.
            if parent == allocation.id and allocation.part_of != allocation.id:
                yield loc, f"part_of links form a loop through `{allocation.part_of}`", ""
            return
        seen.add(parent)
        parent = allocations[parent][1].part_of


def _parts_within_whole(
    located: list[tuple[tuple[Any, ...], Allocation]],
    allocations: dict[str, tuple[tuple[Any, ...], Allocation]],
) -> Iterator[Finding]:
    children: dict[str, list[Allocation]] = defaultdict(list)
    for _, allocation in located:
        if allocation.part_of is not None and allocation.part_of != allocation.id:
            children[allocation.part_of].append(allocation)
    for parent_id, parts in children.items():
        if parent_id not in allocations:
            continue
        loc, parent = allocations[parent_id]
        total = sum(part.amount for part in parts)
        if total > parent.amount:
            names = ", ".join(f"`{p.id}`" for p in parts)
            yield (
                loc + ("amount",),
                (
                    f"the parts drawn from this allocation ({names}) add up to {exact_hkd(total)}, "
                    f"more than its {exact_hkd(parent.amount)}"
                ),
                "",
            )
