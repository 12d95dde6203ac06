"""The library the command line stands on: load a dataset, then ask for the reports.

Every report returns the same Table (or, for reports of several tables, the same Report) the
CLI renders: ``table.rows`` are plain dicts keyed by column (amounts as exact integers of HK
dollars under ``amount_hkd``), ``table.columns`` says what each key means. Bad data raises
DataError, whose ``problems`` are located; a bad filter value raises UsageError.

Filters are the command line's, as keywords, written as on the command line: sector, year,
status, lead_body, search, source_kind, minimum, maximum and form (each one value or a list),
secondary (with sector), scope ("core" or "all") and dated ("announced", "budget" or
"approved"). ``money`` is how amounts read in the columns for people (HK$ unless given); the
machine columns are HK dollars whatever it is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hkit_cli.domain.currency import HKD, Currency
from hkit_cli.domain.errors import UsageError
from hkit_cli.domain.records import Dataset
from hkit_cli.domain.vocab import GROUPINGS, PROGRESS_GROUPINGS, SORTS, scopes_for
from hkit_cli.reports import query, report, tables
from hkit_cli.reports.query import find_initiative, parse_years
from hkit_cli.reports.request import FILTERS
from hkit_cli.reports.tables import Report, Table


def load(path: str | Path | None = None, *, cache: bool = True) -> Dataset:
    """The dataset in ``path`` (the bundled dataset when None), validated; a file whose
    content was validated before comes from the cache. Raises DataError."""
    from hkit_cli.reading import cache as store

    return store.load(Path(path) if path is not None else store.BUNDLED, use_cache=cache)


def loads(text: str, name: str = "<text>") -> Dataset:
    """The dataset in ``text``, validated; messages name it ``name``. Raises DataError."""
    from hkit_cli.reading import loader

    return loader.loads(text, name)


def _selected(dataset: Dataset, filters: dict[str, Any]) -> list[Any]:
    known = (*FILTERS, "secondary", "scope", "dated")
    unknown = [key for key in filters if key not in known]
    if unknown:
        raise UsageError(
            f"no filter called `{unknown[0]}`", hint=f"the filters are {', '.join(known)}"
        )
    return query.select(dataset, query.filters_from(dataset, **filters))


def totals(
    dataset: Dataset, by: str | None = None, *, money: Currency = HKD, **filters: Any
) -> Table:
    """Counted government money: one total row, or one row per group of ``by`` (year,
    sector, lead-body, status, scope, kind or form), as `hkit totals [--by BY]`:
    ``totals(ds, by="year", sector="ai")``."""
    if by is not None and by not in GROUPINGS:
        choices = ", ".join(GROUPINGS)
        raise UsageError(f"cannot group by `{by}`", hint=f"by is one of {choices}")
    result = report.totals(dataset, _selected(dataset, filters), by or "year")
    if by is None:
        return tables.grand_total(result, money)
    return tables.totals(result, money, labels_zh=report.labels_zh(dataset, by))


def initiatives(dataset: Dataset, sort: str | None = None, **filters: Any) -> Table:
    """One row per initiative with its counted total, as `hkit list`; ``sort`` is amount,
    year or name (default: the data file's order)."""
    if sort is not None and sort not in SORTS:
        raise UsageError(f"cannot sort by `{sort}`", hint=f"sort is one of {', '.join(SORTS)}")
    return tables.initiatives(report.initiative_rows(_selected(dataset, filters), sort))


def allocations(dataset: Dataset, **filters: Any) -> Table:
    """One row per allocation with its initiative, as `hkit export`."""
    return tables.allocations(report.records(_selected(dataset, filters)))


def initiative(
    dataset: Dataset, initiative_id: str, *, scope: str = "core", money: Currency = HKD
) -> Report:
    """Everything about one initiative (its id in any case, its name or an alias), as
    `hkit show`: its facts, allocations, approval stages, milestones, figures and sources,
    one table each. Raises UsageError for an unknown id."""
    found = find_initiative(dataset, initiative_id)
    return tables.initiative(found, dataset, money, scopes_for(scope))


def progress(dataset: Dataset, by: str = "year", *, money: Currency = HKD, **filters: Any) -> Table:
    """How far counted money got (announced, approved by LegCo, spent or committed), one
    row per fiscal year, sector or form, as `hkit progress`."""
    if by not in PROGRESS_GROUPINGS:
        choices = ", ".join(PROGRESS_GROUPINGS)
        raise UsageError(f"cannot show progress by `{by}`", hint=f"by is one of {choices}")
    result = report.progress(dataset, _selected(dataset, filters), by)
    return tables.progress(result, money, report.labels_zh(dataset, by))


def compare(
    dataset: Dataset, before: str, after: str, *, money: Currency = HKD, **filters: Any
) -> Report:
    """Two fiscal years side by side by sector, and the initiatives whose first counted
    money is in the later one, as `hkit compare BEFORE AFTER`. Raises UsageError when
    ``before`` is not the earlier year or a year has no counted money."""
    if before >= after:
        raise UsageError(
            f"{before} is not earlier than {after}",
            hint=f"give the earlier year first: hkit compare {min(before, after)} "
            f"{max(before, after)}",
        )
    years = report.counted_years(dataset, scopes_for(filters.get("scope", "core")))
    missing = [y for y in (before, after) if y not in years]
    if missing:
        span = f"; the data covers {years[0]} to {years[-1]}" if years else ""
        raise UsageError(
            f"no counted money in {' or '.join(missing)}{span}",
            hint=f"years with counted money: {', '.join(years)}" if years else "",
        )
    result = report.compare(dataset, _selected(dataset, filters), before, after)
    return tables.comparison(result, money, report.labels_zh(dataset, "sector"))


def timeline(
    dataset: Dataset,
    *,
    year: str | list[str] | None = None,
    calendar_year: int | list[int] | None = None,
    **filters: Any,
) -> Table:
    """Milestones in date order, as `hkit timeline`. ``year`` keeps milestones that may fall
    in that fiscal year or range ("2026-27", "2025-26..2026-27"); ``calendar_year`` those
    dated in that calendar year; the other filters choose the initiatives."""
    spans = parse_years(year)
    calendar = [calendar_year] if isinstance(calendar_year, int) else (calendar_year or [])
    events = report.timeline(_selected(dataset, filters), spans, tuple(dict.fromkeys(calendar)))
    return tables.timeline(events)


def figures(
    dataset: Dataset,
    metric: str | None = None,
    *,
    year: str | list[str] | None = None,
    **filters: Any,
) -> Table:
    """Key output figures (laboratories, projects, floor area...) with their sources, as
    `hkit figures`: ``metric`` is text in a figure's name or unit, ``year`` the fiscal year
    or range a figure is as of; the other filters choose the initiatives."""
    spans = parse_years(year)
    return tables.figures(report.figures(_selected(dataset, filters), metric, spans))


def claims(dataset: Dataset) -> Table:
    """The government's own running totals of I&T money beside hkit's count for the same
    fiscal years, as `hkit claims`."""
    return tables.claims(report.claims(dataset), {s.id: s.url for s in dataset.sources})


def coverage(dataset: Dataset, *, scope: str = "core") -> Table:
    """Per fiscal year: the documents read in full, what each gave, and the counted total,
    as `hkit coverage`."""
    return tables.coverage(report.coverage(dataset, scopes_for(scope)))


def sectors(dataset: Dataset) -> Table:
    """The sector registry, with how many initiatives and allocations use each sector."""
    used, _ = report.usage(dataset)
    return tables.sectors(dataset, used)


def bodies(dataset: Dataset) -> Table:
    """The lead-body registry: who leads how many initiatives, and their counted money."""
    return tables.bodies(dataset, report.body_usage(dataset))


def sources(dataset: Dataset) -> Table:
    """The source registry, with how many initiatives and allocations cite each source."""
    _, used = report.usage(dataset)
    return tables.sources(dataset, used)
