"""The library the command line stands on: load a dataset, then ask for the reports.

Every report returns the same Table the CLI renders: ``table.rows`` are plain dicts keyed by
column (amounts as exact integers of HK dollars under ``amount_hkd``), ``table.columns``
says what each key means. Bad data raises DataError, whose ``problems`` are located.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hkit_cli.domain.records import Dataset
from hkit_cli.reports.tables import Table


def load(path: str | Path | None = None, *, cache: bool = True) -> Dataset:
    """The dataset in ``path`` (the bundled dataset when None), validated; a file whose
    content was validated before comes from the cache. Raises DataError."""
    from hkit_cli.reading import cache as store

    return store.load(Path(path) if path is not None else store.BUNDLED, use_cache=cache)


def loads(text: str, name: str = "<text>") -> Dataset:
    """The dataset in ``text``, validated; messages name it ``name``. Raises DataError."""
    from hkit_cli.reading import loader

    return loader.loads(text, name)


def totals(dataset: Dataset, by: str | None = None, **filters: Any) -> Table:
    """Counted government money: one total row, or one row per group of ``by`` (year,
    sector, lead-body, status, scope, kind or form), as `hkit totals [--by BY]`.

    ``filters`` are the command line's, as keywords: sector, year, status, lead_body,
    search, source_kind, minimum, maximum (each one value or a list) and scope ("core" or
    "all"), written as on the command line: ``totals(ds, by="year", sector="ai")``.
    """
    from hkit_cli.domain.errors import UsageError
    from hkit_cli.reports import query, report, tables

    if by is not None and by not in report.GROUPINGS:
        choices = ", ".join(report.GROUPINGS)
        raise UsageError(f"cannot group by `{by}`", hint=f"by is one of {choices}")
    chosen = query.filters_from(dataset, **filters)
    result = report.totals(dataset, query.select(dataset, chosen), by or "year")
    if by is None:
        return tables.grand_total(result)
    return tables.totals(result, labels_zh=report.labels_zh(dataset, by))


def initiatives(dataset: Dataset, sort: str | None = None, **filters: Any) -> Table:
    """One row per initiative with its counted total, as `hkit list`; ``sort`` is amount,
    year or name (default: the data file's order)."""
    from hkit_cli.reports import query, report, tables

    chosen = query.filters_from(dataset, **filters)
    return tables.initiatives(report.initiative_rows(query.select(dataset, chosen), sort))


def allocations(dataset: Dataset, **filters: Any) -> Table:
    """One row per allocation with its initiative, as `hkit export`."""
    from hkit_cli.reports import query, report, tables

    chosen = query.filters_from(dataset, **filters)
    return tables.allocations(report.records(query.select(dataset, chosen)))
