"""Options shared by the commands, their value checks and completions, and the helpers that
turn option values into filters and send results to the right output.

This module deliberately has no ``from __future__ import annotations``: typer resolves
every command's annotations on each run, and evaluating them from strings costs start-up time.
"""

import os
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from hkit_cli.cli.base import BUNDLED_DATA
from hkit_cli.errors import HkitError, UsageError
from hkit_cli.vocab import FORMS, SOURCE_KINDS, STATUSES, fiscal_year_problem

if TYPE_CHECKING:
    from hkit_cli.currency import Currency
    from hkit_cli.query import Filters, Selection
    from hkit_cli.records import Dataset
    from hkit_cli.tables import Report, Table


class ReportFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"


class ExportFormat(StrEnum):
    csv = "csv"
    json = "json"
    sqlite = "sqlite"


class GroupBy(StrEnum):
    year = "year"
    sector = "sector"
    lead_body = "lead-body"
    status = "status"
    scope = "scope"
    kind = "kind"
    form = "form"


class SortBy(StrEnum):
    # The same values as report.SORTS.
    amount = "amount"
    year = "year"
    name = "name"


class ScopeChoice(StrEnum):
    # The same values as vocab.SCOPE_CHOICES.
    core = "core"
    all = "all"


class DatedChoice(StrEnum):
    # The same values as vocab.DATINGS.
    announced = "announced"
    budget = "budget"
    approved = "approved"


class CurrencyChoice(StrEnum):
    hkd = "hkd"
    usd = "usd"


def check_fiscal_year(value: str | None) -> str | None:
    if value is not None:
        problem = fiscal_year_problem(value)
        if problem:
            raise typer.BadParameter(problem)
    return value


# Shell completion reads the same data file the command would.
def _completion_data(ctx: typer.Context) -> "Dataset | None":
    from hkit_cli import cache

    root = ctx.find_root()
    data = root.params.get("data") or os.environ.get("HKIT_DATA") or BUNDLED_DATA
    try:
        return cache.load(Path(data))
    except HkitError:
        return None


def complete_sector(ctx: typer.Context, incomplete: str) -> list[str]:
    dataset = _completion_data(ctx)
    slugs = [s.slug for s in dataset.sectors] if dataset else []
    return [s for s in slugs if s.startswith(incomplete)]


def complete_year(ctx: typer.Context, incomplete: str) -> list[str]:
    from hkit_cli.report import counted_years

    dataset = _completion_data(ctx)
    years = counted_years(dataset) if dataset else []
    return [y for y in years if y.startswith(incomplete)]


def complete_id(ctx: typer.Context, incomplete: str) -> list[str]:
    dataset = _completion_data(ctx)
    ids = [i.id for i in dataset.initiatives] if dataset else []
    return [i for i in ids if i.startswith(incomplete)]


# Options shared by the commands that filter. Each takes several values, repeated or as a
# comma list: values of one option are alternatives (OR), different options all apply (AND).
SectorOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--sector",
        help="Sector slug; matches an initiative's primary sector, where its money counts.",
        autocompletion=complete_sector,
        show_default=False,
    ),
]
YearOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--year",
        help="Fiscal year (2026-27) or an inclusive range: 2023-24..2026-27, ..2020-21, 2022-23..",
        autocompletion=complete_year,
        show_default=False,
    ),
]


def _completer(values: tuple[str, ...]) -> Callable[[str], list[str]]:
    return lambda incomplete: [v for v in values if v.startswith(incomplete)]


StatusOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--status",
        help=f"Status: {', '.join(STATUSES)}.",
        autocompletion=_completer(STATUSES),
        show_default=False,
    ),
]
LeadBodyOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--lead-body",
        help="Lead body: its id, abbreviation or name, like ITC (`hkit bodies` lists them).",
        show_default=False,
    ),
]
SearchOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--search",
        help="Text in ids, names, aliases, descriptions or sector names, English or Chinese "
        "(any case; English words match from their start).",
        show_default=False,
    ),
]
SourceKindOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--source-kind",
        help=f"Allocations citing a source of this kind: {', '.join(SOURCE_KINDS)}.",
        autocompletion=_completer(SOURCE_KINDS),
        show_default=False,
    ),
]
MinOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--min", help="Allocations of at least this, like 500m or 1.5bn.", show_default=False
    ),
]
MaxOpt = Annotated[
    list[str] | None,
    typer.Option("--max", help="Allocations of at most this, like 10bn.", show_default=False),
]
CurrencyOpt = Annotated[
    CurrencyChoice, typer.Option("--currency", help="Show amounts in HK$ or US$.")
]
RateOpt = Annotated[
    str | None,
    typer.Option("--rate", help="HK$ per US$ for --currency usd (default 7.8, the linked rate)."),
]
AnyRateOpt = Annotated[
    bool,
    typer.Option("--any-rate", help="Accept a --rate outside 7.0-8.5 (the linked rate is 7.8)."),
]
ScopeOpt = Annotated[
    ScopeChoice,
    typer.Option(
        "--scope",
        help="core: innovation and technology money only; all: also adjacent money (digital "
        "government, Chinese medicine, general parks and campuses, regional funds).",
    ),
]


FormOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--form",
        help=f"Form of money: {', '.join(FORMS)} (see CURATION.md).",
        autocompletion=_completer(FORMS),
        show_default=False,
    ),
]
DatedOpt = Annotated[
    DatedChoice,
    typer.Option(
        "--dated",
        help="How money is dated in fiscal years: announced (the year of the text that "
        "commits it), budget (the year of the Budget that provides it) or approved (the year "
        "LegCo approved it).",
    ),
]

ReportFormatOpt = Annotated[ReportFormat, typer.Option("--format", "-f", help="Output format.")]


def make_filters(
    dataset: "Dataset",
    *,
    scope: ScopeChoice = ScopeChoice.core,
    dated: DatedChoice = DatedChoice.announced,
    **values: Any,
) -> "Filters":
    """The filters as the user gave them, each value checked; a bad one is a usage error."""
    from hkit_cli.query import filters_from

    return filters_from(dataset, scope=scope.value, dated=dated.value, **values)


FILTER_OPTIONS = (
    "sector",
    "year",
    "status",
    "lead_body",
    "search",
    "source_kind",
    "minimum",
    "maximum",
    "form",
    "scope",
    "dated",
)


def filter_values(values: dict[str, Any]) -> dict[str, Any]:
    """The filter options among a command's arguments (pass it ``locals()``)."""
    return {name: values[name] for name in FILTER_OPTIONS if name in values}


def say_nothing_found(dataset: "Dataset", filters: "Filters", what: str) -> None:
    """Say on stderr why a report is empty (an empty result is not an error)."""
    from hkit_cli.tables.core import nothing_found

    message, hint = nothing_found(dataset, filters, what)
    typer.echo(f"hkit: {message}", err=True)
    if hint:
        typer.echo(f"hint: {hint}", err=True)


def select(dataset: "Dataset", filters: "Filters") -> "list[Selection]":
    from hkit_cli.query import select

    return select(dataset, filters)


def currency_of(code: CurrencyChoice, rate: str | None, any_rate: bool = False) -> "Currency":
    from hkit_cli.currency import currency

    try:
        return currency(code.value, rate, any_rate)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def output(result: "Report | Table", format: str, lang: str = "en") -> None:
    """Print a report: a rich table for people (in ``lang``), or Markdown, CSV (its main
    table) or JSON."""
    from hkit_cli.tables import Report, single

    report = result if isinstance(result, Report) else single(result)
    for table in report.tables:
        table.lang = lang
        if table.grid is not None:
            table.grid.lang = table.lang
    if format == "table":
        from hkit_cli import render

        render.report(render.console(), report)
        return
    from hkit_cli import export

    if format == "markdown":
        text = export.markdown_report(report)
    elif format == "csv":
        text = export.csv_table(report.primary)
    else:
        text = export.json_text(export.json_data(report))
    export.write_output(text, None)
