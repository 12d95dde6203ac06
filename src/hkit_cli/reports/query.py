"""Pure filtering of initiatives and their allocations, and the parsing of filter values.

Every filter takes several values (given as a repeated option or a comma list): values of one
filter are alternatives (OR), different filters must all match (AND). Money always counts
toward its initiative's primary sector, so a sector filter matches primary sectors only,
unless secondary matches are asked for (and then marked, and never summed).
"""

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from hkit_cli.domain.dates import PartialDate
from hkit_cli.domain.errors import UsageError
from hkit_cli.domain.records import Allocation, Body, Dataset, Initiative
from hkit_cli.domain.textrules import has_han
from hkit_cli.domain.vocab import (
    DATINGS,
    FORMS,
    SOURCE_KINDS,
    STATUSES,
    fiscal_year_problem,
    scopes_for,
    suggest,
)

RANGE_EXAMPLES = "2023-24..2026-27, ..2020-21 or 2022-23.."


@dataclass(frozen=True, slots=True)
class YearSpan:
    """Fiscal years from ``first`` to ``last``, inclusive; an open end is None."""

    first: str | None
    last: str | None

    def __contains__(self, year: object) -> bool:
        if not isinstance(year, str) or not year:
            return False
        return (self.first is None or year >= self.first) and (
            self.last is None or year <= self.last
        )

    @property
    def text(self) -> str:
        if self.first is not None and self.first == self.last:
            return self.first
        return f"{self.first or ''}..{self.last or ''}"

    def overlaps(self, when: PartialDate) -> bool:
        """Whether a (partial) date may fall in these fiscal years (1 April to 31 March)."""
        start = when.year * 12 + when.first_month - 1
        end = start + max(when.width, 1)  # months [start, end)
        low = -(10**9) if self.first is None else int(self.first[:4]) * 12 + 3
        high = 10**9 if self.last is None else int(self.last[:4]) * 12 + 15
        return start < high and end > low


@dataclass(frozen=True, slots=True)
class Filters:
    """What the user asked for, already checked against the data.

    ``sectors``, ``statuses``, ``bodies`` and ``searches`` choose initiatives; ``years``,
    ``source_kinds``, ``min_amount`` and ``max_amount`` choose allocations, and an initiative
    is kept only if one of its allocations is (when any of those is given).
    """

    sectors: tuple[str, ...] = ()
    secondary: bool = False  # also initiatives whose secondary sector matches (marked)
    years: tuple[YearSpan, ...] = ()
    statuses: tuple[str, ...] = ()
    bodies: tuple[str, ...] = ()  # body ids
    searches: tuple[str, ...] = ()
    source_kinds: tuple[str, ...] = ()
    min_amount: int | None = None
    max_amount: int | None = None
    scopes: tuple[str, ...] = ("core",)  # the scopes counted (vocab.scopes_for)
    forms: tuple[str, ...] = ()  # forms of money (vocab.FORMS)
    dated: str = "announced"  # how years are given (vocab.DATINGS)
    # The options as the user gave them, to say what matched nothing.
    asked: tuple[str, ...] = ()

    @property
    def by_allocation(self) -> bool:
        return bool(self.years or self.source_kinds or self.forms) or (
            self.min_amount is not None or self.max_amount is not None
        )


class Selection(NamedTuple):
    """An initiative that matched, with the allocations that matched (all, unless filtered).

    ``secondary`` names the asked-for sectors the initiative has only as secondary sectors,
    when it matched by those alone: it is listed, but its money counts toward its primary
    sector. A named tuple, not a frozen dataclass: one is made per initiative, and a frozen
    dataclass takes twice as long to make (10 ms for 10,000).
    """

    initiative: Initiative
    allocations: tuple[Allocation, ...]
    secondary: tuple[str, ...] = ()  # the secondary sectors it matched by, if only by those
    scopes: tuple[str, ...] = ("core",)  # the scopes counted, from the filters
    dated: str = "announced"  # how years are given, from the filters


# --- Matching text ---------------------------------------------------------------------------


def fold(text: str) -> str:
    """Normalise text for matching: full-width forms, case and spacing."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def matcher(needle: str) -> re.Pattern[str]:
    """A search pattern. Chinese matches anywhere. Anything else matches at the start of a
    word and, if shorter than four letters, only a whole word (an id's segments are words):
    `AI` finds "AI" and "AI-powered" but not "aimed" or "Mainland"; `semicon` finds
    "semiconductor"; `半導體` finds "微電子及半導體".
    """
    folded = fold(needle)
    if has_han(folded):
        return re.compile(re.escape(folded))
    end = "" if len(folded) >= PREFIX_FROM else r"(?![0-9a-z])"
    return re.compile(r"(?<![0-9a-z])" + re.escape(folded) + end)


# A search term this long or longer also matches the start of a longer word.
PREFIX_FROM = 4


def search_text(initiative: Initiative, sector_names: dict[str, str]) -> str:
    parts = [initiative.id, initiative.name, initiative.name_zh or "", initiative.description]
    parts += initiative.aliases
    parts += [sector_names.get(slug, "") for slug in initiative.sectors]
    return fold("\n".join(parts))


# --- Selecting -------------------------------------------------------------------------------


def select(dataset: Dataset, filters: Filters) -> list[Selection]:
    """The initiatives matching ``filters``, in file order."""
    patterns = [matcher(s) for s in filters.searches]
    sector_names = {
        s.slug: f"{s.name}\n{s.name_zh}" for s in dataset.sectors
    }  # searched in both languages
    kinds = {s.id: s.kind for s in dataset.sources}
    wanted_sectors = set(filters.sectors)
    scopes, dated = filters.scopes, filters.dated
    statuses, bodies, by_allocation = filters.statuses, filters.bodies, filters.by_allocation
    chosen = []
    for initiative in dataset.initiatives:
        secondary: tuple[str, ...] = ()
        if wanted_sectors and initiative.sector not in wanted_sectors:
            if filters.secondary:
                secondary = tuple(s for s in initiative.secondary_sectors if s in wanted_sectors)
            if not secondary:
                continue
        if statuses and initiative.status not in statuses:
            continue
        if bodies and initiative.lead_body not in bodies:
            continue
        if patterns:
            text = search_text(initiative, sector_names)
            if not any(p.search(text) for p in patterns):
                continue
        allocations = initiative.allocations
        if by_allocation:
            allocations = tuple(a for a in allocations if _allocation_matches(filters, a, kinds))
            if not allocations:
                continue
        chosen.append(Selection(initiative, allocations, secondary, scopes, dated))
    return chosen


def _allocation_matches(filters: Filters, allocation: Allocation, kinds: dict[str, str]) -> bool:
    if filters.years:
        year = allocation.year(filters.dated)
        if not any(year in span for span in filters.years):
            return False
    if filters.forms and allocation.money_form not in filters.forms:
        return False
    if filters.source_kinds and not any(
        kinds.get(c.id) in filters.source_kinds for c in allocation.sources
    ):
        return False
    if filters.min_amount is not None and allocation.amount < filters.min_amount:
        return False
    return filters.max_amount is None or allocation.amount <= filters.max_amount


# --- Parsing what the user typed -------------------------------------------------------------


def split_values(values: str | Iterable[str] | None) -> list[str]:
    """Repeated options and comma lists, flattened: ["ai,research", "talent"] -> 3 values; one
    value may be given alone."""
    out: list[str] = []
    for value in [values] if isinstance(values, str) else values or ():
        out += [part.strip() for part in value.split(",") if part.strip()]
    return list(dict.fromkeys(out))


def parse_years(values: str | Iterable[str] | None, option: str = "--year") -> tuple[YearSpan, ...]:
    """Fiscal years and inclusive ranges: 2025-26, 2023-24..2026-27, ..2020-21, 2022-23.."""
    spans = []
    for value in split_values(values):
        if ".." not in value:
            problem = fiscal_year_problem(value)
            if problem:
                raise UsageError(
                    f"{option}: {problem}", hint=f"a range is written {RANGE_EXAMPLES}"
                )
            spans.append(YearSpan(value, value))
            continue
        first, _, last = value.partition("..")
        first, last = first.strip(), last.strip()
        if (not first and not last) or ".." in last:
            raise UsageError(
                f"{option}: `{value}` is not a range of fiscal years",
                hint=f"write it like {RANGE_EXAMPLES}",
            )
        for end in (first, last):
            problem = fiscal_year_problem(end) if end else None
            if problem:
                raise UsageError(
                    f"{option}: in `{value}`: {problem}", hint=f"write it like {RANGE_EXAMPLES}"
                )
        if first and last and first > last:
            raise UsageError(
                f"{option}: `{value}` runs backwards",
                hint=f"write the earlier year first: {last}..{first}",
            )
        spans.append(YearSpan(first or None, last or None))
    return tuple(spans)


def choose(
    values: Iterable[str] | None, known: Sequence[str], what: str, option: str
) -> tuple[str, ...]:
    """Values that must each be one of ``known`` (any case); otherwise a usage error."""
    chosen = []
    lowered = {k.casefold(): k for k in known}
    for value in split_values(values):
        match = lowered.get(value.casefold())
        if match is None:
            close = suggest(value, known)
            hint = f"did you mean `{close[0]}`?" if close else f"choose from: {', '.join(known)}"
            raise UsageError(f"{option}: unknown {what} `{value}`", hint=hint)
        chosen.append(match)
    return tuple(dict.fromkeys(chosen))


def body_names(body: Body) -> list[str]:
    """Everything a body may be called by: id, abbreviation, names and aliases."""
    return [body.abbreviation or "", body.id, body.name, body.name_zh, *body.aliases]


def choose_bodies(dataset: Dataset, values: Iterable[str] | None) -> tuple[str, ...]:
    """Body ids for `--lead-body` values: an id, abbreviation, name or former name."""
    names: dict[str, tuple[str, str]] = {}  # folded name -> (body id, the name as written)
    for body in dataset.bodies:
        for name in body_names(body):
            if name:
                names.setdefault(fold(name), (body.id, name))
    chosen = []
    # A name may hold a comma ("Innovation, Technology and Industry Bureau"): a value that
    # is a name as a whole is not split into a list.
    whole = [v for v in values or () if fold(v) in names]
    rest = split_values(v for v in values or () if fold(v) not in names)
    for value in [*whole, *rest]:
        found = names.get(fold(value))
        if found is None:
            shown = [b.abbreviation or b.id for b in dataset.bodies]
            close = suggest(fold(value), names)
            hint = (
                f"did you mean `{names[close[0]][1]}`?"
                if close
                else f"`hkit bodies` lists them: {', '.join(shown)}"
            )
            raise UsageError(f"--lead-body: unknown body `{value}`", hint=hint)
        chosen.append(found[0])
    return tuple(dict.fromkeys(chosen))


def find_initiative(dataset: Dataset, text: str) -> Initiative:
    """The initiative with id ``text`` in any case, else the one with that name (English or
    Chinese), else the only one with that alias."""
    wanted = fold(text)
    for initiative in dataset.initiatives:
        if initiative.id == wanted:
            return initiative
    for initiative in dataset.initiatives:
        if wanted in (fold(initiative.name), fold(initiative.name_zh or "")):
            return initiative
    by_alias = [i for i in dataset.initiatives if wanted in {fold(a) for a in i.aliases}]
    if len(by_alias) == 1:
        return by_alias[0]
    if by_alias:
        listed = ", ".join(f"`{i.id}`" for i in by_alias)
        raise UsageError(
            f"`{text}` is an alias of {len(by_alias)} initiatives", hint=f"use an id: {listed}"
        )
    keys = {i.id: i.id for i in dataset.initiatives}
    keys.update({fold(a): i.id for i in dataset.initiatives for a in i.aliases})
    close = suggest(wanted, keys, n=3)
    ids = list(dict.fromkeys(keys[c] for c in close))
    hint = (
        "did you mean " + ", ".join(f"`{c}`" for c in ids) + "?"
        if ids
        else "`hkit list` shows every id; `hkit list --search TEXT` finds one by name"
    )
    raise UsageError(f"no initiative with id or alias `{text}`", hint=hint)


def filters_from(
    dataset: Dataset,
    *,
    sector: str | Iterable[str] | None = None,
    secondary: bool = False,
    year: str | Iterable[str] | None = None,
    status: str | Iterable[str] | None = None,
    lead_body: str | Iterable[str] | None = None,
    search: str | Iterable[str] | None = None,
    source_kind: str | Iterable[str] | None = None,
    minimum: str | Iterable[str] | None = None,
    maximum: str | Iterable[str] | None = None,
    form: str | Iterable[str] | None = None,
    scope: str = "core",
    dated: str = "announced",
    also: tuple[str, ...] = (),
) -> Filters:
    """Filters from values written as on the command line (`sector="ai"`, `year="2023-24.."`,
    `minimum="1bn"`), each checked against ``dataset``; UsageError names a bad one.

    Each filter takes one value or several (a list, or a comma list): values of one filter
    are alternatives (OR), different filters all apply (AND).
    """
    sector, year, status, lead_body, search, source_kind, minimum, maximum, form = (
        [v] if isinstance(v, str) else (list(v) if v is not None else None)
        for v in (sector, year, status, lead_body, search, source_kind, minimum, maximum, form)
    )
    if dated not in DATINGS:
        raise UsageError(f"dating `{dated}` is not one of {', '.join(DATINGS)}")
    sectors = choose(sector, [s.slug for s in dataset.sectors], "sector", "--sector")
    if secondary and not sectors:
        raise UsageError("--secondary needs --sector", hint="for example: --sector ai --secondary")
    given = [
        ("--sector", sector),
        ("--year", year),
        ("--status", status),
        ("--lead-body", lead_body),
        ("--search", search),
        ("--source-kind", source_kind),
        ("--min", minimum),
        ("--max", maximum),
        ("--form", form),
    ]
    asked = [f"{option} {','.join(split_values(v))}" for option, v in given if v]
    if secondary:
        asked.append("--secondary")
    return Filters(
        sectors=sectors,
        secondary=secondary,
        years=parse_years(year),
        statuses=choose(status, STATUSES, "status", "--status"),
        bodies=choose_bodies(dataset, lead_body),
        searches=tuple(split_values(search)),
        source_kinds=choose(source_kind, SOURCE_KINDS, "source kind", "--source-kind"),
        min_amount=_bound(minimum, "--min"),
        max_amount=_bound(maximum, "--max"),
        scopes=scopes_for(scope),
        forms=choose(form, FORMS, "form", "--form"),
        dated=dated,
        asked=(*asked, *also),
    )


def _bound(values: list[str] | None, option: str) -> int | None:
    if not values:
        return None
    if len(values) > 1:
        raise UsageError(f"{option} is given {len(values)} times", hint="give it once")
    from hkit_cli.domain.money import parse_amount

    try:
        return parse_amount(values[0])
    except ValueError as exc:
        raise UsageError(f"{option}: {exc}") from None
