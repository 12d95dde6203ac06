"""Passes over references and ids: unique ids and names, and known sectors, bodies, sources
and allocations, for the records that passed the schema and, as far as they can be read, for
those that failed it. Every finding is returned, none raised."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from hkit_cli.checks.findings import (
    Finding,
    Index,
    LineOf,
    Loc,
    Parsed,
    known_hint,
)
from hkit_cli.checks.money import allocation_rules
from hkit_cli.domain.records import Citation, Initiative


def unique_ids(ix: Index) -> Iterator[Finding]:
    """Each sector slug, body id, source id and initiative id once."""
    parsed = ix.parsed
    registries: list[tuple[str, str, str, Iterable[tuple[int, str]]]] = [
        ("sector", "sectors", "slug", ((i, s.slug) for i, s in parsed.sectors)),
        ("body", "bodies", "id", ((i, b.id) for i, b in parsed.bodies)),
        ("source", "sources", "id", ((i, s.id) for i, s in parsed.sources)),
        ("initiative", "initiatives", "id", ((i, x.id) for i, x in parsed.initiatives)),
    ]
    for kind, where, key, valid in registries:
        failed = ((i, getattr(r, key)) for i, r in parsed.failed_of(kind))
        what = "sector slug" if kind == "sector" else f"{kind} id"
        yield from _unique(ix.line_of, _merged(valid, failed, where, key), what)


def unique_names(ix: Index) -> Iterator[Finding]:
    """Each initiative's name once, compared without case or spacing."""
    names = _merged(
        ((i, x.name) for i, x in ix.parsed.initiatives),
        ((i, r.name) for i, r in ix.parsed.failed_of("initiative")),
        "initiatives",
        "name",
    )
    yield from _unique(
        ix.line_of, ((loc, " ".join(n.casefold().split()), n) for loc, n, _ in names), "name"
    )


def alias_clashes(ix: Index) -> Iterator[Finding]:
    """An initiative's alias that is another initiative's id or name would make `hkit show
    ALIAS` find the wrong one."""
    owners: dict[str, str] = {}
    for _, x in ix.parsed.initiatives:
        for key in (x.id, x.name, x.name_zh or ""):
            if key:
                owners.setdefault(" ".join(key.casefold().split()), x.id)
    for i, x in ix.parsed.initiatives:
        for j, alias in enumerate(x.aliases):
            owner = owners.get(" ".join(alias.casefold().split()))
            if owner is not None and owner != x.id:
                yield Finding(
                    ("initiatives", i, "aliases", j),
                    f"alias `{alias}` is the id or name of initiative `{owner}`",
                    "drop the alias, or make it say what sets this initiative apart",
                    "warning",
                )


def unique_allocation_ids(ix: Index) -> Iterator[Finding]:
    """Each allocation id once across the file."""
    yield from _unique(ix.line_of, ix.allocation_ids, "allocation id")


def known_references(ix: Index) -> Iterator[Finding]:
    """Every sector, body and source an initiative names exists; every initiative cites one."""
    parsed = ix.parsed
    bodies: dict[str, str] | None = None  # every name, abbreviation and alias -> id
    if "body" not in parsed.unsure:
        bodies = _body_names(parsed)
    body_ids = None if bodies is None else set(bodies.values())
    sectors, sources = ix.sectors, ix.sources
    for i, initiative in parsed.initiatives:
        base: Loc = ("initiatives", i)
        # The references are located only when one is unknown: a large file has many.
        if sectors is not None and not sectors.issuperset(initiative.sectors):
            yield from _sector_refs(_sector_slugs(base, initiative), sectors)
        yield from _body_refs(_body_ids(base, initiative), bodies, body_ids)
        cited = initiative.cited_source_ids()
        if sources is not None and not sources.issuperset(cited):
            yield from _source_refs(_citations(base, initiative), sources)
        if not cited:
            yield Finding(
                base + ("sources",),
                "the initiative cites no source",
                "add `sources: [<source id>]` or an allocation with its sources",
            )
    for i, failed in parsed.failed_of("initiative"):
        base = ("initiatives", i)
        yield from _sector_refs(_sector_slugs(base, failed), sectors)
        yield from _body_refs(_body_ids(base, failed), bodies, body_ids)
        yield from _source_refs(_citations(base, failed), sources)


def allocation_links(ix: Index) -> Iterator[Finding]:
    """Each allocation's own rules and its links (part_of, applies_to) to known allocations."""
    for loc, allocation in ix.located:
        yield from allocation_rules(
            loc, allocation, ix.allocations, ix.known_allocations, ix.line_of
        )
    known = ix.known_allocations
    for loc, failed in ix.raw_allocations:
        for name in ("part_of", "applies_to"):
            target = getattr(failed, name)
            if target and known is not None and target not in known:
                yield Finding(
                    loc + (name,),
                    f"unknown allocation `{target}`",
                    known_hint(target, known, "allocations"),
                )


def claim_rules(ix: Index) -> Iterator[Finding]:
    """A claim cites known sources, and its window runs forwards."""
    for k, claim in ix.parsed.claims:
        base = ("claims", k)
        if ix.sources is not None:
            refs = [(base + ("sources", j), c.id) for j, c in enumerate(claim.sources)]
            yield from _source_refs(refs, ix.sources)
        if claim.window_from > claim.window_to:
            yield Finding(
                base + ("window_to",),
                f"the window ends ({claim.window_to}) before it starts ({claim.window_from})",
                "window_from is the first fiscal year the claim covers, window_to the last",
            )


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
            hint = f"the first `{first[value][1]}` is at line {line_of(other)}"
            if other_shown != shown:
                hint += f", as `{other_shown}`"
            yield Finding(loc, f"duplicate {what} `{shown}`", hint)
        else:
            first[value] = (loc, shown)


def _sector_slugs(base: Loc, initiative: Initiative) -> list[tuple[Loc, str]]:
    refs = [(base + ("sector",), initiative.sector)]
    refs += [
        (base + ("secondary_sectors", k), slug)
        for k, slug in enumerate(initiative.secondary_sectors)
    ]
    return [(loc, slug) for loc, slug in refs if slug]  # "": unreadable in a failed record


def _sector_refs(refs: list[tuple[Loc, str]], known: set[str] | None) -> Iterator[Finding]:
    if known is None:
        return
    for loc, slug in refs:
        if slug not in known:
            yield Finding(loc, f"unknown sector `{slug}`", known_hint(slug, known, "sectors"))


def _body_names(parsed: Parsed) -> dict[str, str]:
    """Each body's id, and its name, abbreviation and aliases folded, mapped to the id."""
    names: dict[str, str] = {}
    for _, body in parsed.bodies:
        for name in (body.name, body.name_zh, body.abbreviation or "", *body.aliases):
            if name:
                names.setdefault(" ".join(name.casefold().split()), body.id)
    for _, failed in parsed.failed_of("body"):
        if failed.id:
            names.setdefault(failed.id.casefold(), failed.id)
    ids = {b.id for _, b in parsed.bodies} | {r.id for _, r in parsed.failed_of("body")}
    names.update({ident: ident for ident in ids if ident})
    return names


def _body_ids(base: Loc, initiative: Initiative) -> list[tuple[Loc, str]]:
    refs = [(base + ("lead_body",), initiative.lead_body)]
    refs += [(base + ("partners", k), p) for k, p in enumerate(initiative.partners)]
    return [(loc, ident) for loc, ident in refs if ident.strip()]


def _body_refs(
    refs: list[tuple[Loc, str]], names: dict[str, str] | None, ids: set[str] | None
) -> Iterator[Finding]:
    """Lead bodies and partners are ids in the bodies registry, each named once."""
    if names is None or ids is None:
        return
    seen: dict[str, Loc] = {}
    for loc, ident in refs:
        if ident not in ids:
            known = names.get(" ".join(ident.casefold().split()))
            hint = f"write the body's id: `{known}`" if known else known_hint(ident, ids, "bodies")
            yield Finding(loc, f"unknown body `{ident}`", hint)
        elif ident in seen:
            role = "the lead body" if seen[ident][-1] == "lead_body" else "already a partner"
            yield Finding(loc, f"`{ident}` is {role}", "name each body once")
        else:
            seen[ident] = loc


def _citations(base: Loc, initiative: Initiative) -> list[tuple[Loc, str]]:
    groups: list[tuple[Loc, Sequence[Citation]]] = [(base + ("sources",), initiative.sources)]
    for name in ("allocations", "milestones", "figures"):
        for j, record in enumerate(getattr(initiative, name)):
            groups.append((base + (name, j, "sources"), record.sources))
    for j, allocation in enumerate(initiative.allocations):
        for stage in ("approval", "spent"):
            value = getattr(allocation, stage)
            if value is not None:
                groups.append((base + ("allocations", j, stage, "sources"), value.sources))
    refs = [(loc + (k,), c.id) for loc, citations in groups for k, c in enumerate(citations)]
    return [(loc, ident) for loc, ident in refs if ident.strip()]


def _source_refs(refs: list[tuple[Loc, str]], known: set[str] | None) -> Iterator[Finding]:
    if known is None:
        return
    for loc, ident in refs:
        if ident not in known:
            yield Finding(loc, f"unknown source `{ident}`", known_hint(ident, known, "sources"))
