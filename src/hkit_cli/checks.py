"""Rules across records: unique ids, known references, and money that is never counted twice."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from hkit_cli.errors import format_path
from hkit_cli.money import exact_hkd
from hkit_cli.records import Allocation, Body, Citation, Dataset, Initiative, Sector, Source
from hkit_cli.vocab import is_government_money, suggest

Loc = tuple[Any, ...]

# The line of a location in the file, as the loader knows it (None where it does not).
LineOf = Callable[[Loc], int | None]


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem found by a rule: where it is (a path into the data), what, and a hint.

    ``related`` is where the other half of the problem is (the first of two duplicates);
    the message or hint gives its line.
    """

    loc: Loc
    message: str
    hint: str = ""
    related: Loc | None = None
    level: str = "error"


@dataclass
class Parsed:
    """Records that passed the schema, each with its index in the file, and those that failed."""

    sectors: list[tuple[int, Sector]] = field(default_factory=list)
    bodies: list[tuple[int, Body]] = field(default_factory=list)
    sources: list[tuple[int, Source]] = field(default_factory=list)
    initiatives: list[tuple[int, Initiative]] = field(default_factory=list)
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
        )

    def raw(self, kind: str) -> list[tuple[int, dict[str, Any]]]:
        return [(i, r) for k, i, r in self.failed if k == kind and isinstance(r, dict)]


def check(parsed: Parsed, line_of: LineOf = lambda loc: None) -> list[Finding]:
    """Every cross-record problem in ``parsed``; ``line_of`` gives the line of a location,
    for messages that point at a second place in the file."""
    return list(_check(parsed, line_of))


def _check(parsed: Parsed, line_of: LineOf) -> Iterator[Finding]:
    yield from _unique(
        line_of,
        _merged(
            ((i, s.slug) for i, s in parsed.sectors),
            ((i, _text(r.get("slug"))) for i, r in parsed.raw("sector")),
            "sectors",
            "slug",
        ),
        "sector slug",
    )
    yield from _unique(
        line_of,
        _merged(
            ((i, b.id) for i, b in parsed.bodies),
            ((i, _text(r.get("id"))) for i, r in parsed.raw("body")),
            "bodies",
            "id",
        ),
        "body id",
    )
    yield from _unique(
        line_of,
        _merged(
            ((i, s.id) for i, s in parsed.sources),
            ((i, _text(r.get("id"))) for i, r in parsed.raw("source")),
            "sources",
            "id",
        ),
        "source id",
    )
    raw_initiatives = parsed.raw("initiative")
    yield from _unique(
        line_of,
        _merged(
            ((i, x.id) for i, x in parsed.initiatives),
            ((i, _text(r.get("id"))) for i, r in raw_initiatives),
            "initiatives",
            "id",
        ),
        "initiative id",
    )
    names = _merged(
        ((i, x.name) for i, x in parsed.initiatives),
        ((i, _text(r.get("name"))) for i, r in raw_initiatives),
        "initiatives",
        "name",
    )
    yield from _unique(
        line_of, ((loc, " ".join(n.casefold().split()), n) for loc, n, _ in names), "name"
    )

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
    for i, raw in raw_initiatives:
        for j, allocation in enumerate(_items(raw.get("allocations"))):
            if isinstance(allocation, dict):
                loc = ("initiatives", i, "allocations", j)
                raw_allocations.append((loc, allocation))
                ident = _text(allocation.get("id"))
                if ident:
                    allocation_ids.append((loc + ("id",), ident, ident))
    allocation_ids.sort(key=lambda item: _order(item[0]))
    yield from _unique(line_of, allocation_ids, "allocation id")

    # None where the ids could not all be read: then no reference is called unknown.
    sectors: set[str] | None = None
    if "sector" not in parsed.unsure:
        sectors = {s.slug for _, s in parsed.sectors}
        sectors |= {_text(r.get("slug")) for _, r in parsed.raw("sector")} - {""}
    bodies: dict[str, str] | None = None  # every name, abbreviation and alias -> id
    if "body" not in parsed.unsure:
        bodies = _body_names(parsed)
    sources: set[str] | None = None
    if "source" not in parsed.unsure:
        sources = {s.id for _, s in parsed.sources}
        sources |= {_text(r.get("id")) for _, r in parsed.raw("source")} - {""}
    known_allocations: set[str] | None = None
    if "allocation" not in parsed.unsure:
        known_allocations = set(allocations) | {ident for _, ident, _ in allocation_ids}
    for i, initiative in parsed.initiatives:
        base: Loc = ("initiatives", i)
        yield from _sector_refs(_sector_slugs(base, initiative), sectors)
        yield from _body_refs(_body_ids(base, initiative), bodies)
        yield from _source_refs(_citations(base, initiative), sources)
        if not initiative.cited_source_ids():
            yield Finding(
                base + ("sources",),
                "the initiative cites no source",
                "add `sources: [<source id>]` or an allocation with its sources",
            )
    for i, raw in raw_initiatives:
        base = ("initiatives", i)
        yield from _sector_refs(_raw_sector_slugs(base, raw), sectors)
        yield from _body_refs(_raw_body_ids(base, raw), bodies)
        yield from _source_refs(_raw_citations(base, raw), sources)
    for loc, allocation in located:
        yield from _allocation_rules(loc, allocation, allocations, known_allocations, line_of)
    for loc, raw_allocation in raw_allocations:
        for name in ("part_of", "applies_to"):
            target = _text(raw_allocation.get(name))
            if target and known_allocations is not None and target not in known_allocations:
                yield Finding(
                    loc + (name,),
                    f"unknown allocation `{target}`",
                    _known_hint(target, known_allocations, "allocations"),
                )
    yield from _parts_within_whole(located, allocations)
    yield from _repeats(located, allocations, known_allocations)
    if sources is not None:
        yield from _official_citations(parsed, located)
    yield from _official_hosts(parsed)
    yield from _double_counts(parsed, line_of)


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _items(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _order(loc: Loc) -> tuple[Any, ...]:
    return tuple((0, p) if isinstance(p, int) else (1, str(p)) for p in loc)


def _merged(
    valid: Iterable[tuple[int, str]], failed: Iterable[tuple[int, str]], where: str, key: str
) -> list[tuple[Loc, str, str]]:
    """(loc, value, shown) of the valid and failed records together, in file order."""
    items = [((where, i, key), value, value) for i, value in [*valid, *failed] if value]
    items.sort(key=lambda item: item[0][1])
    return items


def _unique(line_of: LineOf, items: Iterable[tuple[Loc, str, str]], what: str) -> Iterator[Finding]:
    first: dict[str, tuple[Loc, str]] = {}
    for loc, value, shown in items:
        if value in first:
            other, other_shown = first[value]
            hint = f"already used at {format_path(other[:-1])}, line {line_of(other)}"
            if other_shown != shown:
                hint += f", as `{other_shown}`"
            yield Finding(loc, f"duplicate {what} `{shown}`", hint, other)
        else:
            first[value] = (loc, shown)


def _sector_slugs(base: Loc, initiative: Initiative) -> list[tuple[Loc, str]]:
    refs = [(base + ("sector",), initiative.sector)]
    refs += [
        (base + ("secondary_sectors", k), slug)
        for k, slug in enumerate(initiative.secondary_sectors)
    ]
    return refs


def _raw_sector_slugs(base: Loc, raw: dict[str, Any]) -> list[tuple[Loc, str]]:
    refs = [(base + ("sector",), _text(raw.get("sector")))]
    refs += [
        (base + ("secondary_sectors", k), _text(slug))
        for k, slug in enumerate(_items(raw.get("secondary_sectors")))
    ]
    return [(loc, slug) for loc, slug in refs if slug]


def _sector_refs(refs: list[tuple[Loc, str]], known: set[str] | None) -> Iterator[Finding]:
    if known is None:
        return
    for loc, slug in refs:
        if slug not in known:
            yield Finding(loc, f"unknown sector `{slug}`", _known_hint(slug, known, "sectors"))


def _body_names(parsed: Parsed) -> dict[str, str]:
    """Each body's id, and its name, abbreviation and aliases folded, mapped to the id."""
    names: dict[str, str] = {}
    for _, body in parsed.bodies:
        for name in (body.name, body.name_zh, body.abbreviation or "", *body.aliases):
            if name:
                names.setdefault(" ".join(name.casefold().split()), body.id)
    for _, raw in parsed.raw("body"):
        ident = _text(raw.get("id"))
        if ident:
            names.setdefault(ident.casefold(), ident)
    ids = {b.id for _, b in parsed.bodies} | {_text(r.get("id")) for _, r in parsed.raw("body")}
    names.update({ident: ident for ident in ids if ident})
    return names


def _body_ids(base: Loc, initiative: Initiative) -> list[tuple[Loc, str]]:
    refs = [(base + ("lead_body",), initiative.lead_body)]
    refs += [(base + ("partners", k), p) for k, p in enumerate(initiative.partners)]
    return refs


def _raw_body_ids(base: Loc, raw: dict[str, Any]) -> list[tuple[Loc, str]]:
    refs = [(base + ("lead_body",), _text(raw.get("lead_body")))]
    refs += [(base + ("partners", k), _text(p)) for k, p in enumerate(_items(raw.get("partners")))]
    return [(loc, ident) for loc, ident in refs if ident.strip()]


def _body_refs(refs: list[tuple[Loc, str]], names: dict[str, str] | None) -> Iterator[Finding]:
    """Lead bodies and partners are ids in the bodies registry, each named once."""
    if names is None:
        return
    ids = {ident for ident in names.values()}
    seen: dict[str, Loc] = {}
    for loc, ident in refs:
        if ident not in ids:
            known = names.get(" ".join(ident.casefold().split()))
            hint = f"write the body's id: `{known}`" if known else _known_hint(ident, ids, "bodies")
            yield Finding(loc, f"unknown body `{ident}`", hint)
        elif ident in seen:
            role = "the lead body" if seen[ident][-1] == "lead_body" else "already a partner"
            yield Finding(loc, f"`{ident}` is {role}", "name each body once", related=seen[ident])
        else:
            seen[ident] = loc


def _citations(base: Loc, initiative: Initiative) -> list[tuple[Loc, str]]:
    groups: list[tuple[Loc, Sequence[Citation]]] = [(base + ("sources",), initiative.sources)]
    for name in ("allocations", "milestones", "figures"):
        for j, record in enumerate(getattr(initiative, name)):
            groups.append((base + (name, j, "sources"), record.sources))
    return [(loc + (k,), c.id) for loc, citations in groups for k, c in enumerate(citations)]


def _raw_citations(base: Loc, raw: dict[str, Any]) -> list[tuple[Loc, str]]:
    groups: list[tuple[Loc, object]] = [(base + ("sources",), raw.get("sources"))]
    for name in ("allocations", "milestones", "figures"):
        for j, record in enumerate(_items(raw.get(name))):
            if isinstance(record, dict):
                groups.append((base + (name, j, "sources"), record.get("sources")))
    refs = []
    for loc, citations in groups:
        for k, citation in enumerate(_items(citations)):
            ident = _text(citation.get("id") if isinstance(citation, dict) else citation)
            if ident.strip():
                refs.append((loc + (k,), ident))
    return refs


def _source_refs(refs: list[tuple[Loc, str]], known: set[str] | None) -> Iterator[Finding]:
    if known is None:
        return
    for loc, ident in refs:
        if ident not in known:
            yield Finding(loc, f"unknown source `{ident}`", _known_hint(ident, known, "sources"))


def _known_hint(value: str, known: set[str], what: str) -> str:
    close = suggest(value, sorted(known))
    if close:
        return f"did you mean `{close[0]}`?"
    if not known:
        return f"there are no {what} yet"
    listed = sorted(known)
    more = f", … ({len(listed)} in all)" if len(listed) > 12 else ""
    return f"known {what}: {', '.join(listed[:12])}{more}"


def _allocation_rules(
    loc: Loc,
    allocation: Allocation,
    allocations: dict[str, tuple[Loc, Allocation]],
    known: set[str] | None,
    line_of: LineOf,
) -> Iterator[Finding]:
    if allocation.counted and allocation.fiscal_year is None:
        yield Finding(
            loc + ("fiscal_year",),
            "a counted allocation needs a fiscal_year",
            "the fiscal year of the Budget that provided the money, like 2026-27",
        )
    if allocation.part_of is not None:
        if allocation.kind not in ("allocation", "earmark", "injection"):
            yield Finding(
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
            yield Finding(
                loc + ("amount",),
                f"a per-recipient cap of {exact_hkd(allocation.amount)} is larger than its "
                f"scheme's total of {exact_hkd(target[1].amount)} "
                f"(`{target[1].id}`, line {line_of(target[0] + ('amount',))})",
                "check both amounts, and that applies_to names the scheme's total",
                target[0] + ("amount",),
            )


def _link(
    loc: Loc,
    allocation: Allocation,
    target: str,
    allocations: dict[str, tuple[Loc, Allocation]],
    known: set[str] | None,
) -> Iterator[Finding]:
    if target == allocation.id:
        yield Finding(loc, "an allocation cannot refer to itself")
    elif known is not None and target not in known:
        # An allocation never points at itself, so it is no suggestion either.
        others = known - {allocation.id}
        yield Finding(
            loc, f"unknown allocation `{target}`", _known_hint(target, others, "allocations")
        )


def _cycle(
    loc: Loc,
    allocation: Allocation,
    allocations: dict[str, tuple[Loc, Allocation]],
) -> Iterator[Finding]:
    seen = {allocation.id}
    parent = allocation.part_of
    while parent is not None and parent in allocations:
        if parent in seen:
            # Report only on the members of the loop; a self-reference is reported by _link.
            if parent == allocation.id and allocation.part_of != allocation.id:
                yield Finding(
                    loc,
                    f"part_of links form a loop through `{allocation.part_of}`",
                    "money is drawn from an earlier pot; one of these links is the wrong way",
                )
            return
        seen.add(parent)
        parent = allocations[parent][1].part_of


def _parts_within_whole(
    located: list[tuple[Loc, Allocation]],
    allocations: dict[str, tuple[Loc, Allocation]],
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
            yield Finding(
                loc + ("amount",),
                f"the parts drawn from this allocation ({names}) add up to {exact_hkd(total)}, "
                f"more than its {exact_hkd(parent.amount)}",
                "check the amounts, and that each part_of names the right allocation",
            )


def _repeats(
    located: list[tuple[Loc, Allocation]],
    allocations: dict[str, tuple[Loc, Allocation]],
    known: set[str] | None,
) -> Iterator[Finding]:
    for loc, allocation in located:
        if allocation.repeat_of is None:
            continue
        yield from _link(loc + ("repeat_of",), allocation, allocation.repeat_of, allocations, known)
        if allocation.note is None:
            yield Finding(
                loc + ("repeat_of",),
                "a repeat needs a note saying why it is new money, not the same money again",
                "add `note:`, e.g. a second injection approved separately by the Finance Committee",
            )


def _official_citations(parsed: Parsed, located: list[tuple[Loc, Allocation]]) -> Iterator[Finding]:
    """Counted money rests on an official text, located: news may support it, never alone."""
    sources = {s.id: s for _, s in parsed.sources}
    for loc, allocation in located:
        if not is_government_money(allocation.kind, allocation.part_of):
            continue
        if any(c.id not in sources for c in allocation.sources):
            continue  # an unknown or unreadable source is reported already
        official = [c for c in allocation.sources if sources[c.id].kind == "official"]
        if not official:
            yield Finding(
                loc + ("sources",),
                f"counted money ({exact_hkd(allocation.amount)}) cites no official source",
                "cite the Budget speech, Policy Address, press release or LegCo paper that gives "
                "the amount, with its paragraph; news may support a figure, not stand alone",
            )
        elif not any(c.locator or sources[c.id].locator for c in official):
            yield Finding(
                loc + ("sources",),
                "counted money cites no official source with a locator",
                "say where the amount is: {id: <source id>, locator: para 39}",
            )


# Hosts of government and Legislative Council pages; an `official` source elsewhere is
# probably a repost of official text.
_OFFICIAL_SUFFIXES = (".gov.hk",)


def _host(url: str) -> str:
    rest = url.split("://", 1)[-1]
    host = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    return host.rsplit("@", 1)[-1].split(":", 1)[0].casefold().rstrip(".")


def _official_hosts(parsed: Parsed) -> Iterator[Finding]:
    for i, source in parsed.sources:
        if source.kind != "official" or source.url is None:
            continue
        host = _host(source.url)
        if not (host == "gov.hk" or host.endswith(_OFFICIAL_SUFFIXES)):
            yield Finding(
                ("sources", i, "url"),
                f"an official source on `{host}`, not a government or LegCo site",
                "if this page reproduces official text, make it `kind: repost` and cite the "
                "government page as well",
                level="warning",
            )


# Groups of counted allocations with one amount larger than this are compared only within
# each initiative: comparing every pair of names would be quadratic.
_MAX_COMPARED = 200


def _double_counts(parsed: Parsed, line_of: LineOf) -> Iterator[Finding]:
    """Counted money that may be one fund re-announced in a later year and counted again."""
    by_amount: dict[int, list[tuple[Loc, Initiative, Allocation, str]]] = defaultdict(list)
    for i, initiative in parsed.initiatives:
        for j, allocation in enumerate(initiative.allocations):
            year = allocation.fiscal_year
            if year is not None and is_government_money(allocation.kind, allocation.part_of):
                loc = ("initiatives", i, "allocations", j)
                by_amount[allocation.amount].append((loc, initiative, allocation, year))
    words = {id(x): _words(x.name) for _, x in parsed.initiatives}
    for group in by_amount.values():
        if len({year for *_, year in group}) < 2:
            continue
        compare_names = len(group) <= _MAX_COMPARED
        group.sort(key=lambda item: item[3])  # stable: file order within a year
        for loc, initiative, allocation, year in group:
            latest: tuple[Loc, Initiative, Allocation, str] | None = None
            acknowledged = False
            name = words[id(initiative)]
            for candidate in group:
                other, other_allocation, other_year = candidate[1:]
                if other_year >= year:
                    break
                if other is initiative or (compare_names and _alike(words[id(other)], name)):
                    acknowledged |= allocation.repeat_of == other_allocation.id
                    if latest is None or other_year > latest[3]:
                        latest = candidate
            if latest is None or acknowledged:
                continue
            other_loc, other, first, first_year = latest
            whose = "" if other is initiative else f" of `{other.id}`"
            yield Finding(
                loc + ("amount",),
                f"counted twice? {exact_hkd(allocation.amount)} in {year} "
                f"is the same amount as `{first.id}`{whose} in {first_year} "
                f"(line {line_of(other_loc + ('amount',))})",
                "if it is the same money announced again, cite this document on "
                f"`{first.id}` and remove this allocation; if it is new money, add "
                f"`repeat_of: {first.id}` and a note saying why",
                other_loc + ("amount",),
                level="warning",
            )


def _words(name: str) -> frozenset[str]:
    """The words of a name, in any case, punctuation ignored: "R&D" is "r" and "d"."""
    return frozenset("".join(c if c.isalnum() else " " for c in name.casefold()).split())


def _alike(first: frozenset[str], second: frozenset[str]) -> bool:
    """Names that share at least three quarters of their words: one initiative entered twice
    ("Research and Development" / "Research & Development", "Hong Kong" added or dropped)."""
    union = len(first | second)
    return union > 0 and len(first & second) >= 0.75 * union
