"""The commands that report on the data: list, show, totals, progress, compare, chart,
timeline, figures.

Shared options (filters, scope, dating, currency, format, output) are declared once in
cli.options and reach each command as one Request.

This module deliberately has no ``from __future__ import annotations``: typer resolves
every command's annotations on each run, and evaluating them from strings costs start-up time.
"""

import dataclasses
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hkit_cli.cli.base import app, handled, load_data
from hkit_cli.cli.options import (
    GroupBy,
    SortBy,
    check_fiscal_year,
    complete_id,
    complete_year,
    count,
    emit,
    request_options,
    say_nothing_found,
    select,
    whole_number,
)
from hkit_cli.domain.errors import UsageError
from hkit_cli.domain.vocab import PROGRESS_GROUPINGS

if TYPE_CHECKING:
    from hkit_cli.domain.records import Dataset
    from hkit_cli.reports.query import Filters
    from hkit_cli.reports.request import Request
    from hkit_cli.reports.tables import Table


@app.command("list")
@handled
@request_options("filters", "money", "output")
def list_initiatives(
    ctx: typer.Context,
    request: "Request",
    secondary: Annotated[
        bool,
        typer.Option(
            "--secondary",
            help="With --sector: also list initiatives that have it as a secondary sector, "
            "marked +SECTOR (their money stays with their primary sector).",
        ),
    ] = False,
    sort: Annotated[
        SortBy | None,
        typer.Option(
            "--sort",
            help="amount: largest counted money first; year: earliest money first; name. "
            "Default: the data file's order.",
            show_default=False,
        ),
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit", parser=count, help="Show only the first N rows.", show_default=False
        ),
    ] = None,
) -> None:
    """One row per initiative, with its counted HK$ total."""
    from hkit_cli.reports import report, tables

    request = dataclasses.replace(request, secondary=secondary)
    money = request.money()
    dataset = load_data(ctx)
    filters = request.select(dataset)
    rows = report.initiative_rows(select(dataset, filters), sort.value if sort else None)
    matched = len(rows)
    if limit is not None:
        rows = rows[:limit]
    if not rows:
        say_nothing_found(dataset, filters, "initiative")
        if request.format == "table" and request.output is None:
            return
    cut = matched if len(rows) < matched else None
    names_zh = {s.slug: s.name_zh for s in dataset.sectors}
    emit(tables.initiatives(rows, money, cut, names_zh), request)


@app.command()
@handled
@request_options("money", "output")
def show(
    ctx: typer.Context,
    request: "Request",
    initiative_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="Initiative id (any case), name or alias.",
            autocompletion=complete_id,
        ),
    ],
) -> None:
    """Everything about one initiative: allocations, stages, milestones, figures and sources.

    CSV gives its allocations; JSON an object with the initiative and each of its tables.
    """
    from hkit_cli import api

    money = request.money()
    dataset = load_data(ctx)
    emit(api.initiative(dataset, initiative_id, money=money), request)


@app.command()
@handled
@request_options("filters", "dated", "money", "output")
def totals(
    ctx: typer.Context,
    request: "Request",
    by: Annotated[
        list[GroupBy] | None,
        typer.Option(
            "--by",
            help="Group by year, sector, lead-body, status, scope, kind or form. Give it twice "
            "for a pivot: --by year --by sector.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Counted government money: the total, or grouped by year, sector, lead body, status,
    scope, kind or form.

    Money counts toward each initiative's primary sector, so the sector rows add up to the
    total and `--sector S` gives the S row.
    """
    from hkit_cli.reports import report, tables

    groupings = [g.value for g in by or []]
    if len(groupings) > 2 or len(set(groupings)) != len(groupings):
        raise UsageError(
            "give --by once, or twice with two different groupings",
            hint="for example: --by year --by sector",
        )
    money = request.money()
    dataset = load_data(ctx)
    filters = request.select(dataset)
    selections = select(dataset, filters)
    result = report.totals(dataset, selections, groupings[-1] if groupings else "year")
    if not result.total.allocations:
        say_nothing_found(dataset, filters, "counted money")
        if request.format == "table" and request.output is None:
            return
    if not groupings:
        emit(tables.grand_total(result, money), request)
    elif len(groupings) == 1:
        labels = report.labels_zh(dataset, groupings[0])
        emit(tables.totals(result, money, labels_zh=labels), request)
    else:
        grid = report.pivot(dataset, selections, groupings[0], groupings[1])
        labels = report.labels_zh(dataset, groupings[0])
        emit(tables.pivot(grid, money, labels_zh=labels), request)


ProgressBy = StrEnum(  # type: ignore[misc]
    "ProgressBy", {value: value for value in PROGRESS_GROUPINGS}
)


@app.command()
@handled
@request_options("filters", "dated", "money", "output")
def progress(
    ctx: typer.Context,
    request: "Request",
    by: Annotated[
        ProgressBy, typer.Option("--by", help="One row per fiscal year, sector or form.")
    ] = ProgressBy["year"],
) -> None:
    """How far counted money got: announced, approved by LegCo, spent or committed.

    Money with no recorded approval is "approval not known"; money with no official figure
    of spending is in "no spending figure".
    """
    from hkit_cli import api

    money = request.money()
    dataset = load_data(ctx)
    table = api.progress(dataset, by.value, money=money, **request.keywords())
    if not table.rows:
        say_nothing_found(dataset, request.select(dataset), "counted money")
        if request.format == "table" and request.output is None:
            return
    emit(table, request)


@app.command()
@handled
@request_options("filters", "dated", "money", "output")
def compare(
    ctx: typer.Context,
    request: "Request",
    before: Annotated[
        str,
        typer.Argument(
            metavar="YEAR",
            help="The earlier fiscal year, like 2025-26.",
            callback=check_fiscal_year,
            autocompletion=complete_year,
        ),
    ],
    after: Annotated[
        str,
        typer.Argument(
            metavar="LATER_YEAR",
            help="The later fiscal year, like 2026-27.",
            callback=check_fiscal_year,
            autocompletion=complete_year,
        ),
    ],
) -> None:
    """Two fiscal years side by side by sector, and what was new in the later one.

    An initiative is new in LATER_YEAR when its first counted money is in that year. --year
    narrows the money compared (the two years must lie within it).
    """
    from hkit_cli import api

    money = request.money()
    dataset = load_data(ctx)
    emit(api.compare(dataset, before, after, money=money, **request.keywords()), request)


@app.command()
@handled
@request_options("filters", "dated", "money", "output")
def chart(
    ctx: typer.Context,
    request: "Request",
    by: Annotated[GroupBy, typer.Option("--by", help="What each bar stands for.")] = GroupBy[
        "year"
    ],
) -> None:
    """Horizontal bars of counted money, each with its amount and share of the total.

    The other formats give the same rows as `hkit totals --by`. --output FILE.svg or FILE.png
    writes the chart as a picture for slides (it needs the `report` extra: pip install
    'hkit[report]'); any other file gets the chosen format.
    """
    from hkit_cli.reports import report, tables

    money = request.money()
    dataset = load_data(ctx)
    filters = request.select(dataset)
    result = report.totals(dataset, select(dataset, filters), by.value)
    picture = request.output is not None and request.output.suffix.casefold() in (".svg", ".png")
    if request.output is not None and not picture and request.format == "table":
        raise UsageError(
            f"cannot tell the chart format from `{request.output.name}`",
            hint="name the file .svg (text stays text) or .png, or give --format csv, json "
            "or markdown",
        )
    if not result.total.allocations:
        say_nothing_found(dataset, filters, "counted money")
        if request.format == "table" and request.output is None:
            return
    layout = "bars" if request.format == "table" or picture else "table"
    labels = report.labels_zh(dataset, by.value)
    table = tables.totals(result, money, layout, labels)
    if picture:
        assert request.output is not None
        table.lang = request.lang
        _chart_file(table, request.output, request.force)
        return
    emit(table, request)


def _chart_file(table: "Table", path: Path, force: bool) -> None:
    from hkit_cli.rendering import charts
    from hkit_cli.rendering.export import write_atomically
    from hkit_cli.reports.tables.core import title

    kind = path.suffix.casefold().lstrip(".")
    data = charts.chart(table, kind, title(table))

    def fill(tmp_name: str) -> None:
        with open(tmp_name, "wb") as handle:
            handle.write(data)

    write_atomically(path, force, fill)
    typer.echo(f"wrote {path}", err=True)


@app.command()
@handled
@request_options("initiatives", "output")
def timeline(
    ctx: typer.Context,
    request: "Request",
    year: Annotated[
        list[str] | None,
        typer.Option(
            "--year",
            help="Milestones that may fall in this fiscal year (1 April to 31 March) or range, "
            "like 2026-27 or 2025-26..2026-27.",
            autocompletion=complete_year,
            show_default=False,
        ),
    ] = None,
    calendar_year: Annotated[
        list[int] | None,
        typer.Option(
            "--calendar-year",
            parser=whole_number,
            help="Milestones dated in this calendar year.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Milestones in date order; partial dates (2026, 2026 H2, Q3, Dec 2025) are kept as given."""
    from hkit_cli import api

    dataset = load_data(ctx)
    table = api.timeline(dataset, year=year, calendar_year=calendar_year, **request.keywords())
    if not table.rows:
        calendar = tuple(dict.fromkeys(calendar_year or ()))
        also = (f"--calendar-year {','.join(map(str, calendar))}",) if calendar else ()
        _nothing_found(dataset, request.select(dataset, also=also), year, "milestone")
    if table.rows or request.format != "table" or request.output is not None:
        emit(table, request)


def _nothing_found(
    dataset: "Dataset", filters: "Filters", year: list[str] | None, what: str
) -> None:
    """Say why a report of milestones or figures is empty, naming its own --year too."""
    from hkit_cli.reports.query import parse_years

    asked = (*filters.asked, *(f"--year {s.text}" for s in parse_years(year)))
    say_nothing_found(dataset, dataclasses.replace(filters, asked=asked), what)


@app.command()
@handled
@request_options("initiatives", "output")
def figures(
    ctx: typer.Context,
    request: "Request",
    metric: Annotated[
        str | None, typer.Option("--metric", help="Text in the figure's name or unit.")
    ] = None,
    year: Annotated[
        list[str] | None,
        typer.Option(
            "--year",
            help="Figures as of this fiscal year (1 April to 31 March) or range, like 2025-26.",
            autocompletion=complete_year,
            show_default=False,
        ),
    ] = None,
) -> None:
    """Key output figures (laboratories, projects, floor area...) with their sources."""
    from hkit_cli import api

    dataset = load_data(ctx)
    table = api.figures(dataset, metric, year=year, **request.keywords())
    if not table.rows:
        also = (f"--metric {metric}",) if metric else ()
        _nothing_found(dataset, request.select(dataset, also=also), year, "figure")
    if table.rows or request.format != "table" or request.output is not None:
        emit(table, request)
