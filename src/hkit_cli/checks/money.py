"""Checks of money across records: links between allocations, parts within their whole,
acknowledged repeats, citations of counted money, and the warnings for likely double counts
and doubtful official sources."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterator

from hkit_cli.checks.findings import Finding, Index, LineOf, Loc, known_hint
from hkit_cli.domain.money import exact_hkd
from hkit_cli.domain.records import Allocation, Initiative
from hkit_cli.domain.vocab import COUNTED_KINDS, is_government_money


def allocation_rules(
    loc: Loc,
    allocation: Allocation,
    allocations: dict[str, tuple[Loc, Allocation]],
    known: set[str] | None,
    line_of: LineOf,
) -> Iterator[Finding]:
    if allocation.counted_in() and allocation.fiscal_year is None:
        yield Finding(
            loc + ("fiscal_year",),
            "a counted allocation needs a fiscal_year",
            "the fiscal year of the Budget that provided the money, like 2026-27",
        )
    yield from _stage_rules(loc, allocation)
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
            )


def _stage_rules(loc: Loc, allocation: Allocation) -> Iterator[Finding]:
    """The form and the stages: only counted kinds have them, and each stage says enough."""
    counted_kind = allocation.kind in COUNTED_KINDS
    for field in ("form", "approval", "spent"):
        if getattr(allocation, field) is not None and not counted_kind:
            yield Finding(
                loc + (field,),
                f"`{field}` is for government money (allocation, earmark or injection), "
                f"not a {allocation.kind}",
                f"remove `{field}`; a {allocation.kind} is shown, never counted",
            )
    approval = allocation.approval
    if approval is None:
        return  # not recorded: the reports count it as not known
    if approval.stage in ("approved", "voted"):
        # The date is given where a text says it; without it, approval dating puts the money
        # in the row of money whose approval date is not known.
        missing = [f for f in ("by",) if getattr(approval, f) is None]
        if not approval.sources:
            missing.append("sources")
        if missing:
            yield Finding(
                loc + ("approval",),
                f"an approval at stage `{approval.stage}` needs {' and '.join(missing)}",
                "name the Finance Committee item (FCR(2018-19)38) or the Appropriation "
                "Ordinance, and cite the paper, minutes or press release that says so",
            )
    elif approval.note is None:
        yield Finding(
            loc + ("approval",),
            f"an approval at stage `{approval.stage}` needs a note",
            "say what was searched, or where the money stands, in your own words",
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
            loc, f"unknown allocation `{target}`", known_hint(target, others, "allocations")
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


def parts_within_whole(ix: Index) -> Iterator[Finding]:
    """The parts drawn from an allocation add up to no more than it."""
    located, allocations = ix.located, ix.allocations
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


def repeats(ix: Index) -> Iterator[Finding]:
    """A repeat names a known allocation and says why it is new money."""
    allocations, known = ix.allocations, ix.known_allocations
    for loc, allocation in ix.located:
        if allocation.repeat_of is None:
            continue
        yield from _link(loc + ("repeat_of",), allocation, allocation.repeat_of, allocations, known)
        if allocation.note is None:
            yield Finding(
                loc + ("repeat_of",),
                "a repeat needs a note saying why it is new money, not the same money again",
                "add `note:`, e.g. a second injection approved separately by the Finance Committee",
            )


def official_citations(ix: Index) -> Iterator[Finding]:
    """Counted money rests on an official text, located: news may support it, never alone."""
    if ix.sources is None:
        return  # unreadable sources are reported already
    sources = {s.id: s for _, s in ix.parsed.sources}
    for loc, allocation in ix.located:
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
        elif not any(sources[c.id].url for c in official):
            yield Finding(
                loc + ("sources",),
                "counted money cites no official source with a URL",
                "cite the gov.hk or legco.gov.hk page that gives the amount, with its `url:`; "
                "a copy of an official text without an address cannot carry counted money alone",
            )


# Hosts of government and Legislative Council pages; an `official` source elsewhere is
# probably a repost of official text.
_OFFICIAL_SUFFIXES = (".gov.hk",)


def _host(url: str) -> str:
    rest = url.split("://", 1)[-1]
    host = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    return host.rsplit("@", 1)[-1].split(":", 1)[0].casefold().rstrip(".")


def official_hosts(ix: Index) -> Iterator[Finding]:
    """An official source's address is on a government or LegCo site (a warning)."""
    for i, source in ix.parsed.sources:
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
# each initiative. The limit was set when every pair of names was compared; that cost is gone
# (names are compared only with names sharing one of their rarest words), and the limit is
# kept so that the warnings on large files stay as they were.
_MAX_COMPARED = 200


def double_counts(ix: Index) -> Iterator[Finding]:
    """Counted money that may be one fund re-announced in a later year and counted again
    (a warning)."""
    parsed, line_of = ix.parsed, ix.line_of
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
        names = [words[id(item[1])] for item in group]
        same: dict[int, list[int]] = defaultdict(list)
        for k, item in enumerate(group):
            same[id(item[1])].append(k)
        # Names are compared only with names that share a word of their rarest few: two
        # names alike by _alike must (prefix filtering), and most pairs share none.
        index: dict[str, list[int]] = defaultdict(list)
        frequency: Counter[str] = Counter()
        if compare_names:
            for k, name in enumerate(names):
                frequency.update(name)
                for word in name:
                    index[word].append(k)
        for k, (loc, initiative, allocation, year) in enumerate(group):
            latest: tuple[Loc, Initiative, Allocation, str] | None = None
            acknowledged = False
            name = names[k]
            candidates = set(same[id(initiative)])
            if compare_names:
                rarest = sorted(name, key=lambda word: (frequency[word], word))
                for word in rarest[: len(name) - math.ceil(_ALIKE * len(name)) + 1]:
                    candidates.update(index[word])
            for c in sorted(candidates):  # group order: by year, then file order
                candidate = group[c]
                other, other_allocation, other_year = candidate[1:]
                if other_year >= year:
                    break
                if other is initiative or _alike(names[c], name):
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
                level="warning",
            )


def _words(name: str) -> frozenset[str]:
    """The words of a name, in any case, punctuation ignored: "R&D" is "r" and "d"."""
    return frozenset("".join(c if c.isalnum() else " " for c in name.casefold()).split())


_ALIKE = 0.75


def _alike(first: frozenset[str], second: frozenset[str]) -> bool:
    """Names that share at least three quarters of their words: one initiative entered twice
    ("Research and Development" / "Research & Development", "Hong Kong" added or dropped)."""
    union = len(first | second)
    return union > 0 and len(first & second) >= _ALIKE * union
