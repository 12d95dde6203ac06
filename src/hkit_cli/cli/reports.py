"""The commands that report on the data: list, show, totals, compare, chart, timeline, figures.

This module deliberately has no ``from __future__ import annotations``: typer resolves
every command's annotations on each run, and evaluating them from strings costs start-up time.
"""

import dataclasses
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hkit_cli.cli.base import app, handled, lang_of, load_data
from hkit_cli.cli.options import (
    AnyRateOpt,
    CurrencyChoice,
    CurrencyOpt,
    DatedChoice,
    DatedOpt,
    FormOpt,
    GroupBy,
    LeadBodyOpt,
    MaxOpt,
    MinOpt,
    RateOpt,
    ReportFormat,
    ReportFormatOpt,
    ScopeChoice,
    ScopeOpt,
    SearchOpt,
    SectorOpt,
    SortBy,
    SourceKindOpt,
    StatusOpt,
    YearOpt,
    check_fiscal_year,
    complete_id,
    complete_year,
    currency_of,
    filter_values,
    make_filters,
    output,
    say_nothing_found,
    select,
)
from hkit_cli.cli.options import output as print_report
from hkit_cli.errors import UsageError
from hkit_cli.vocab import scopes_for

if TYPE_CHECKING:
    from hkit_cli.tables import Table


@app.command("list")
@handled
def list_initiatives(
    ctx: typer.Context,
    sector: SectorOpt = None,
    secondary: Annotated[
        bool,
        typer.Option(
            "--secondary",
            help="With --sector: also list initiatives that have it as a secondary sector, "
            "marked +SECTOR (their money stays with their primary sector).",
        ),
    ] = False,
    year: YearOpt = None,
    status: StatusOpt = None,
    lead_body: LeadBodyOpt = None,
    search: SearchOpt = None,
    source_kind: SourceKindOpt = None,
    minimum: MinOpt = None,
    maximum: MaxOpt = None,
    form: FormOpt = None,
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
        typer.Option("--limit", min=1, help="Show only the first N rows.", show_default=False),
    ] = None,
    currency: CurrencyOpt = CurrencyChoice.hkd,
    rate: RateOpt = None,
    any_rate: AnyRateOpt = False,
    scope: ScopeOpt = ScopeChoice.core,
    format: ReportFormatOpt = ReportFormat.table,
) -> None:
    """One row per initiative, with its counted HK$ total."""
    from hkit_cli import report, tables

    money = currency_of(currency, rate, any_rate)
    dataset = load_data(ctx)
    filters = make_filters(dataset, secondary=secondary, **filter_values(locals()))
    rows = report.initiative_rows(select(dataset, filters), sort.value if sort else None)
    matched = len(rows)
    if limit is not None:
        rows = rows[:limit]
    if not rows:
        say_nothing_found(dataset, filters, "initiative")
        if format is ReportFormat.table:
            return
    cut = matched if len(rows) < matched else None
    output(tables.initiatives(rows, money, cut), format.value, lang_of(ctx))


@app.command()
@handled
def show(
    ctx: typer.Context,
    initiative_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="Initiative id (any case) or alias.", autocompletion=complete_id
        ),
    ],
    currency: CurrencyOpt = CurrencyChoice.hkd,
    rate: RateOpt = None,
    any_rate: AnyRateOpt = False,
    format: ReportFormatOpt = ReportFormat.table,
) -> None:
    """Everything about one initiative: allocations, milestones, figures and sources.

    CSV gives its allocations; JSON an object with the initiative and each of its tables.
    """
    from hkit_cli import tables
    from hkit_cli.query import find_initiative

    money = currency_of(currency, rate, any_rate)
    dataset = load_data(ctx)
    found = find_initiative(dataset, initiative_id)
    output(tables.initiative(found, dataset, money), format.value, lang_of(ctx))


@app.command()
@handled
def totals(
    ctx: typer.Context,
    by: Annotated[
        list[GroupBy] | None,
        typer.Option(
            "--by",
            help="What to group the counted money by; give it twice for a pivot table "
            "(the first across the columns). Without it: the grand total alone.",
        ),
    ] = None,
    sector: SectorOpt = None,
    year: YearOpt = None,
    status: StatusOpt = None,
    lead_body: LeadBodyOpt = None,
    search: SearchOpt = None,
    source_kind: SourceKindOpt = None,
    minimum: MinOpt = None,
    maximum: MaxOpt = None,
    form: FormOpt = None,
    currency: CurrencyOpt = CurrencyChoice.hkd,
    rate: RateOpt = None,
    any_rate: AnyRateOpt = False,
    scope: ScopeOpt = ScopeChoice.core,
    dated: DatedOpt = DatedChoice.announced,
    format: ReportFormatOpt = ReportFormat.table,
) -> None:
    """Counted government money: the total, or grouped by year, sector, lead body, status,
    scope or kind.

    Money counts toward each initiative's primary sector, so the sector rows add up to the
    total and `--sector S` gives the S row.
    """
    from hkit_cli import report, tables

    groupings = [g.value for g in by or []]
    if len(groupings) > 2 or len(set(groupings)) != len(groupings):
        raise UsageError(
            "give --by once, or twice with two different groupings",
            hint="for example: --by year --by sector",
        )
    money = currency_of(currency, rate, any_rate)
    dataset = load_data(ctx)
    filters = make_filters(dataset, **filter_values(locals()))
    selections = select(dataset, filters)
    result = report.totals(dataset, selections, groupings[-1] if groupings else "year")
    if not result.total.allocations:
        say_nothing_found(dataset, filters, "counted money")
        if format is ReportFormat.table:
            return
    if not groupings:
        output(tables.grand_total(result, money), format.value, lang_of(ctx))
    elif len(groupings) == 1:
        labels = report.labels_zh(dataset, groupings[0])
        output(tables.totals(result, money, labels_zh=labels), format.value, lang_of(ctx))
    else:
        grid = report.pivot(dataset, selections, groupings[0], groupings[1])
        labels = report.labels_zh(dataset, groupings[0])
        output(tables.pivot(grid, money, labels_zh=labels), format.value, lang_of(ctx))


class ProgressBy(StrEnum):
    year = "year"
    sector = "sector"
    form = "form"


@app.command()
@handled
def progress(
    ctx: typer.Context,
    by: Annotated[
        ProgressBy, typer.Option("--by", help="One row per fiscal year, sector or form.")
    ] = ProgressBy.year,
    sector: SectorOpt = None,
    year: YearOpt = None,
    status: StatusOpt = None,
    lead_body: LeadBodyOpt = None,
    search: SearchOpt = None,
    source_kind: SourceKindOpt = None,
    minimum: MinOpt = None,
    maximum: MaxOpt = None,
    form: FormOpt = None,
    currency: CurrencyOpt = CurrencyChoice.hkd,
    rate: RateOpt = None,
    any_rate: AnyRateOpt = False,
    scope: ScopeOpt = ScopeChoice.core,
    dated: DatedOpt = DatedChoice.announced,
    format: ReportFormatOpt = ReportFormat.table,
) -> None:
    """How far counted money got: announced, approved by LegCo, spent or committed.

    Money with no recorded approval is "approval not known"; money with no official figure
    of spending is in "no spending figure".
    """
    from hkit_cli import report, tables

    money = currency_of(currency, rate, any_rate)
    dataset = load_data(ctx)
    filters = make_filters(dataset, **filter_values(locals()))
    result = report.progress(dataset, select(dataset, filters), by.value)
    if not result.total.announced.allocations:
        say_nothing_found(dataset, filters, "counted money")
        if format is ReportFormat.table:
            return
    labels = report.labels_zh(dataset, by.value)
    output(tables.progress(result, money, labels), format.value, lang_of(ctx))


@app.command()
@handled
def compare(
    ctx: typer.Context,
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
    sector: SectorOpt = None,
    status: StatusOpt = None,
    lead_body: LeadBodyOpt = None,
    search: SearchOpt = None,
    source_kind: SourceKindOpt = None,
    form: FormOpt = None,
    currency: CurrencyOpt = CurrencyChoice.hkd,
    rate: RateOpt = None,
    any_rate: AnyRateOpt = False,
    scope: ScopeOpt = ScopeChoice.core,
    dated: DatedOpt = DatedChoice.announced,
    format: ReportFormatOpt = ReportFormat.table,
) -> None:
    """Two fiscal years side by side by sector, and what was new in the later one.

    An initiative is new in LATER_YEAR when its first counted money is in that year.
    """
    from hkit_cli import report, tables

    if before >= after:
        raise UsageError(
            f"{before} is not earlier than {after}",
            hint=f"give the earlier year first: hkit compare {min(before, after)} "
            f"{max(before, after)}",
        )
    money = currency_of(currency, rate, any_rate)
    dataset = load_data(ctx)
    years = report.counted_years(dataset, scopes_for(scope.value))
    missing = [y for y in (before, after) if y not in years]
    if missing:
        span = f"; the data covers {years[0]} to {years[-1]}" if years else ""
        raise UsageError(
            f"no counted money in {' or '.join(missing)}{span}",
            hint=f"years with counted money: {', '.join(years)}" if years else "",
        )
    filters = make_filters(dataset, **filter_values(locals()))
    result = report.compare(dataset, select(dataset, filters), before, after)
    output(
        tables.comparison(result, money, report.labels_zh(dataset, "sector")),
        format.value,
        lang_of(ctx),
    )


@app.command()
@handled
def chart(
    ctx: typer.Context,
    by: Annotated[GroupBy, typer.Option("--by", help="What each bar stands for.")] = GroupBy.year,
    sector: SectorOpt = None,
    year: YearOpt = None,
    status: StatusOpt = None,
    lead_body: LeadBodyOpt = None,
    search: SearchOpt = None,
    source_kind: SourceKindOpt = None,
    minimum: MinOpt = None,
    maximum: MaxOpt = None,
    form: FormOpt = None,
    currency: CurrencyOpt = CurrencyChoice.hkd,
    rate: RateOpt = None,
    any_rate: AnyRateOpt = False,
    scope: ScopeOpt = ScopeChoice.core,
    dated: DatedOpt = DatedChoice.announced,
    format: ReportFormatOpt = ReportFormat.table,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the chart as an SVG or PNG file (by its extension), for slides.",
            show_default=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Horizontal bars of counted money, each with its amount and share of the total.

    The other formats give the same rows as `hkit totals --by`; --output writes a chart file
    (it needs the `report` extra: pip install 'hkit[report]').
    """
    from hkit_cli import report, tables

    money = currency_of(currency, rate, any_rate)
    dataset = load_data(ctx)
    filters = make_filters(dataset, **filter_values(locals()))
    result = report.totals(dataset, select(dataset, filters), by.value)
    if not result.total.allocations:
        say_nothing_found(dataset, filters, "counted money")
        if format is ReportFormat.table:
            return
    layout = "bars" if format is ReportFormat.table else "table"
    labels = report.labels_zh(dataset, by.value)
    table = tables.totals(result, money, layout, labels)
    if output is not None:
        table.lang = lang_of(ctx)
        _chart_file(table, output, force)
        return
    print_report(table, format.value, lang_of(ctx))


def _chart_file(table: "Table", path: Path, force: bool) -> None:
    from hkit_cli import charts
    from hkit_cli.export import write_atomically
    from hkit_cli.tables.core import title

    kind = path.suffix.casefold().lstrip(".")
    if kind not in ("svg", "png"):
        raise UsageError(
            f"cannot tell the chart format from `{path.name}`",
            hint="name the file .svg (text stays text) or .png",
        )
    data = charts.chart(table, kind, title(table))

    def fill(tmp_name: str) -> None:
        with open(tmp_name, "wb") as handle:
            handle.write(data)

    write_atomically(path, force, fill)
    typer.echo(f"wrote {path}", err=True)


@app.command()
@handled
def timeline(
    ctx: typer.Context,
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
            "--calendar-year", help="Milestones dated in this calendar year.", show_default=False
        ),
    ] = None,
    sector: SectorOpt = None,
    status: StatusOpt = None,
    lead_body: LeadBodyOpt = None,
    search: SearchOpt = None,
    format: ReportFormatOpt = ReportFormat.table,
) -> None:
    """Milestones in date order; partial dates (2026, 2026 H2, Q3, Dec 2025) are kept as given."""
    from hkit_cli import report, tables

    dataset = load_data(ctx)
    calendar = tuple(dict.fromkeys(calendar_year or ()))
    also = (f"--calendar-year {','.join(map(str, calendar))}",) if calendar else ()
    filters = make_filters(
        dataset, sector=sector, status=status, lead_body=lead_body, search=search, also=also
    )
    spans = make_filters(dataset, year=year).years
    events = report.timeline(select(dataset, filters), spans, calendar)
    if not events:
        asked = (*filters.asked, *(f"--year {s.text}" for s in spans))
        say_nothing_found(dataset, dataclasses.replace(filters, asked=asked), "milestone")
    if events or format is not ReportFormat.table:
        output(tables.timeline(events), format.value, lang_of(ctx))


@app.command()
@handled
def figures(
    ctx: typer.Context,
    metric: Annotated[
        str | None, typer.Option("--metric", help="Text in the figure's name or unit.")
    ] = None,
    sector: SectorOpt = None,
    status: StatusOpt = None,
    lead_body: LeadBodyOpt = None,
    search: SearchOpt = None,
    format: ReportFormatOpt = ReportFormat.table,
) -> None:
    """Key output figures (laboratories, projects, floor area...) with their sources."""
    from hkit_cli import report, tables

    dataset = load_data(ctx)
    also = (f"--metric {metric}",) if metric else ()
    filters = make_filters(
        dataset, sector=sector, status=status, lead_body=lead_body, search=search, also=also
    )
    pairs = report.figures(select(dataset, filters), metric)
    if not pairs:
        say_nothing_found(dataset, filters, "figure")
    if pairs or format is not ReportFormat.table:
        output(tables.figures(pairs), format.value, lang_of(ctx))
