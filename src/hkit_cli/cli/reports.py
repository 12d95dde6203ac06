"""The commands that report on the data: list, show, totals, compare, chart, timeline, figures.

This module deliberately has no ``from __future__ import annotations``: typer resolves
every command's annotations on each run, and evaluating them from strings costs start-up time.
"""

import dataclasses
from typing import Annotated, Any

import typer

from hkit_cli.cli.base import app, handled, load_data
from hkit_cli.cli.options import (
    CurrencyChoice,
    CurrencyOpt,
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
    TableFormat,
    TableFormatOpt,
    YearOpt,
    check_fiscal_year,
    complete_id,
    complete_year,
    currency_of,
    emit,
    make_filters,
    say_nothing_found,
    select,
    show_grids,
    usd_columns,
    use_scope,
)
from hkit_cli.errors import UsageError


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
    scope: ScopeOpt = ScopeChoice.core,
    format: ReportFormatOpt = ReportFormat.table,
) -> None:
    """One row per initiative, with its counted HK$ total."""
    from hkit_cli import report, views

    money = currency_of(currency, rate)
    use_scope(scope)
    dataset = load_data(ctx)
    filters = make_filters(
        dataset,
        sector=sector,
        secondary=secondary,
        year=year,
        status=status,
        lead_body=lead_body,
        search=search,
        source_kind=source_kind,
        minimum=minimum,
        maximum=maximum,
    )
    rows = report.initiative_rows(select(dataset, filters), sort.value if sort else None)
    matched = len(rows)
    if limit is not None:
        rows = rows[:limit]
    if not rows:
        say_nothing_found(dataset, filters, "initiative")
    if format in (ReportFormat.table, ReportFormat.markdown):
        if rows:
            cut = matched if len(rows) < matched else None
            show_grids(format, [views.initiatives(rows, money, cut)])
        return
    columns = (
        "id",
        "name",
        "name_zh",
        "sector",
        "status",
        "lead_body",
        "announced_in",
        "counted_hkd",
        "counted_allocations",
        "approximate_allocations",
        "other_allocations",
        "secondary_match",
    )
    records = [
        {
            "id": r.initiative.id,
            "name": r.initiative.name,
            "name_zh": r.initiative.name_zh or "",
            "sector": r.initiative.sector,
            "status": r.initiative.status,
            "lead_body": r.initiative.lead_body,
            "announced_in": r.initiative.announced_in,
            "counted_hkd": r.counted.amount,
            "counted_allocations": r.counted.allocations,
            "approximate_allocations": r.counted.approximate,
            "other_allocations": r.shown,
            "secondary_match": list(r.secondary),
        }
        for r in rows
    ]
    emit(format, columns + usd_columns(money, records, "counted_hkd"), records)


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
    format: TableFormatOpt = TableFormat.table,
) -> None:
    """Everything about one initiative: allocations, milestones, figures and sources."""
    from hkit_cli.query import find_initiative

    money = currency_of(currency, rate)
    dataset = load_data(ctx)
    found = find_initiative(dataset, initiative_id)
    if format is TableFormat.table:
        from hkit_cli import render, views

        render.initiative(render.console(), views.initiative(found, dataset, money))
        return
    from hkit_cli import report
    from hkit_cli.query import Selection

    if format is TableFormat.csv:
        rows = [r.as_dict() for r in report.records([Selection(found, tuple(found.allocations))])]
        emit(format, report.EXPORT_COLUMNS + usd_columns(money, rows, "amount_hkd"), rows)
        return
    from hkit_cli.export import json_text, write_output

    data = found.as_dict()
    for allocation, dumped in zip(found.allocations, data["allocations"], strict=True):
        dumped["counted"] = allocation.counted
        if money.code != "hkd":
            dumped["amount_usd"] = money.convert(allocation.amount)
    write_output(json_text(data), None)


@app.command()
@handled
def totals(
    ctx: typer.Context,
    by: Annotated[
        list[GroupBy] | None,
        typer.Option(
            "--by",
            help="What to group the counted money by; give it twice for a pivot table "
            "(the first across the columns).",
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
    currency: CurrencyOpt = CurrencyChoice.hkd,
    rate: RateOpt = None,
    scope: ScopeOpt = ScopeChoice.core,
    format: ReportFormatOpt = ReportFormat.table,
) -> None:
    """Counted government money grouped by year, sector, lead body, status, scope or kind.

    Money counts toward each initiative's primary sector, so the sector rows add up to the
    total and `--sector S` gives the S row.
    """
    from hkit_cli import report, views

    groupings = [g.value for g in (by or [GroupBy.year])]
    if len(groupings) > 2 or len(set(groupings)) != len(groupings):
        raise UsageError(
            "give --by once, or twice with two different groupings",
            hint="for example: --by year --by sector",
        )
    money = currency_of(currency, rate)
    use_scope(scope)
    dataset = load_data(ctx)
    filters = make_filters(
        dataset,
        sector=sector,
        year=year,
        status=status,
        lead_body=lead_body,
        search=search,
        source_kind=source_kind,
        minimum=minimum,
        maximum=maximum,
    )
    selections = select(dataset, filters)
    table = format in (ReportFormat.table, ReportFormat.markdown)
    if len(groupings) == 2:
        grid = report.pivot(dataset, selections, groupings[0], groupings[1])
        if not grid.total.allocations:
            say_nothing_found(dataset, filters, "counted money")
            if table:
                return
        if table:
            show_grids(format, [views.pivot(grid, money)])
            return
        first, second = report.GROUPINGS[groupings[0]], report.GROUPINGS[groupings[1]]
        cells = [
            {
                first: column.key,
                second: row.key,
                "amount_hkd": cell.amount,
                "allocations": cell.allocations,
            }
            for column in grid.columns
            for row in grid.rows
            if (cell := grid.cells.get((row.key, column.key))) is not None
        ]
        columns = (first, second, "amount_hkd", "allocations")
        emit(format, columns + usd_columns(money, cells, "amount_hkd"), cells)
        return
    result = report.totals(dataset, selections, groupings[0])
    if not result.total.allocations:
        say_nothing_found(dataset, filters, "counted money")
        if table:
            return
    if table:
        show_grids(format, [views.totals(result, money)])
        return
    records: list[dict[str, Any]] = [
        {result.column: g.key, "amount_hkd": g.sum.amount, "allocations": g.sum.allocations}
        for g in result.groups
    ]
    records.append(
        {
            result.column: "Total",
            "amount_hkd": result.total.amount,
            "allocations": result.total.allocations,
        }
    )
    plain: tuple[str, ...] = (result.column, "amount_hkd", "allocations")
    emit(format, plain + usd_columns(money, records, "amount_hkd"), records)


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
    currency: CurrencyOpt = CurrencyChoice.hkd,
    rate: RateOpt = None,
    scope: ScopeOpt = ScopeChoice.core,
    format: ReportFormatOpt = ReportFormat.table,
) -> None:
    """Two fiscal years side by side by sector, and what was new in the later one.

    An initiative is new in LATER_YEAR when its first counted money is in that year.
    """
    from hkit_cli import report, views

    if before >= after:
        raise UsageError(
            f"{before} is not earlier than {after}",
            hint=f"give the earlier year first: hkit compare {min(before, after)} "
            f"{max(before, after)}",
        )
    money = currency_of(currency, rate)
    use_scope(scope)
    dataset = load_data(ctx)
    years = report.counted_years(dataset)
    missing = [y for y in (before, after) if y not in years]
    if missing:
        span = f"; the data covers {years[0]} to {years[-1]}" if years else ""
        raise UsageError(
            f"no counted money in {' or '.join(missing)}{span}",
            hint=f"years with counted money: {', '.join(years)}" if years else "",
        )
    filters = make_filters(
        dataset,
        sector=sector,
        status=status,
        lead_body=lead_body,
        search=search,
        source_kind=source_kind,
    )
    result = report.compare(dataset, select(dataset, filters), before, after)
    if format in (ReportFormat.table, ReportFormat.markdown):
        show_grids(format, views.comparison(result, money))
        return
    rows: list[dict[str, Any]] = [
        {
            "sector": c.key,
            f"{before}_hkd": c.before.amount,
            f"{after}_hkd": c.after.amount,
            "change_hkd": c.change,
        }
        for c in [*result.rows, result.total]
    ]
    if format is ReportFormat.csv:
        emit(format, ("sector", f"{before}_hkd", f"{after}_hkd", "change_hkd"), rows)
        return
    from hkit_cli.export import json_text, write_output

    new = [
        {"id": i.id, "name": i.name, "sector": i.sector, "amount_hkd": s.amount}
        for i, s in result.new
    ]
    write_output(json_text({"by_sector": rows, "new_in_" + after: new}), None)


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
    currency: CurrencyOpt = CurrencyChoice.hkd,
    rate: RateOpt = None,
    scope: ScopeOpt = ScopeChoice.core,
) -> None:
    """Horizontal bars of counted money, each with its amount and share of the total."""
    from hkit_cli import render, report

    money = currency_of(currency, rate)
    use_scope(scope)
    dataset = load_data(ctx)
    filters = make_filters(
        dataset,
        sector=sector,
        year=year,
        status=status,
        lead_body=lead_body,
        search=search,
        source_kind=source_kind,
        minimum=minimum,
        maximum=maximum,
    )
    result = report.totals(dataset, select(dataset, filters), by.value)
    if not result.total.allocations:
        say_nothing_found(dataset, filters, "counted money")
        return
    render.chart(render.console(), result, money)


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
    from hkit_cli import report, views

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
    if format in (ReportFormat.table, ReportFormat.markdown):
        if events:
            show_grids(format, [views.timeline(events)])
        return
    records = [
        {
            "date": e.milestone.date,
            "label": e.when.label,
            "initiative": e.initiative.id,
            "event": e.milestone.event,
            "sources": [c.id for c in e.milestone.sources],
        }
        for e in events
    ]
    emit(format, ("date", "label", "initiative", "event", "sources"), records)


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
    from hkit_cli import report, views

    dataset = load_data(ctx)
    also = (f"--metric {metric}",) if metric else ()
    filters = make_filters(
        dataset, sector=sector, status=status, lead_body=lead_body, search=search, also=also
    )
    pairs = report.figures(select(dataset, filters), metric)
    if not pairs:
        say_nothing_found(dataset, filters, "figure")
    if format in (ReportFormat.table, ReportFormat.markdown):
        if pairs:
            show_grids(format, [views.figures(pairs)])
        return
    records = [
        {
            "initiative": i.id,
            "metric": f.metric,
            "value": f.value,
            "unit": f.unit,
            "qualifier": f.qualifier,
            "as_of": f.as_of or "",
            "sources": [c.id for c in f.sources],
        }
        for i, f in pairs
    ]
    emit(
        format, ("initiative", "metric", "value", "unit", "qualifier", "as_of", "sources"), records
    )
