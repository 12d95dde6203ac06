"""The commands for files and curators: export, validate, and the registries and coverage.

This module deliberately has no ``from __future__ import annotations``: typer resolves
every command's annotations on each run, and evaluating them from strings costs start-up time.
"""

from pathlib import Path
from typing import Annotated

import typer

from hkit_cli.cli.base import app, data_path, handled, lang_of, load_data, reading
from hkit_cli.cli.options import (
    AnyRateOpt,
    CurrencyChoice,
    ExportFormat,
    FormOpt,
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
    SourceKindOpt,
    StatusOpt,
    YearOpt,
    currency_of,
    filter_values,
    make_filters,
    output,
    say_nothing_found,
    select,
)
from hkit_cli.errors import DataError, HkitError, UsageError
from hkit_cli.vocab import scopes_for


@app.command()
@handled
def export(
    ctx: typer.Context,
    scope: ScopeOpt = ScopeChoice.core,
    format: Annotated[
        ExportFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="File format (default: from the --output file's extension, else csv).",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file instead of stdout (- is stdout)."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    excel: Annotated[
        bool,
        typer.Option("--excel", help="Start the file with a UTF-8 BOM so Excel reads Chinese."),
    ] = False,
    keep_formulas: Annotated[
        bool,
        typer.Option(
            "--keep-formulas", help="Do not prefix cells starting with = + - @ with an apostrophe."
        ),
    ] = False,
    datapackage: Annotated[
        bool,
        typer.Option(
            "--datapackage",
            help="With CSV and --output: also write a Frictionless datapackage.json beside it "
            "(the CSV then holds every figure, with the counted column).",
        ),
    ] = False,
    all_figures: Annotated[
        bool,
        typer.Option(
            "--all-figures",
            help="Also the figures that are never summed (caps, private money, parts of "
            "earlier pots) and money outside the scope; the counted column tells them apart.",
        ),
    ] = False,
    currency: Annotated[
        CurrencyChoice,
        typer.Option("--currency", help="usd: add an amount_usd column (amounts stay in HK$)."),
    ] = CurrencyChoice.hkd,
    rate: RateOpt = None,
    any_rate: AnyRateOpt = False,
    sector: SectorOpt = None,
    year: YearOpt = None,
    status: StatusOpt = None,
    lead_body: LeadBodyOpt = None,
    search: SearchOpt = None,
    source_kind: SourceKindOpt = None,
    minimum: MinOpt = None,
    maximum: MaxOpt = None,
    form: FormOpt = None,
) -> None:
    """One row per allocation for spreadsheets (CSV, JSON), or the whole dataset as SQLite.

    By default the rows are exactly the money counted under the scope and filters, so the
    amount column sums to `hkit totals`; --all-figures adds every other figure.
    """
    from hkit_cli import report, tables
    from hkit_cli.export import csv_table, json_data, json_text, write_output

    if output is not None and str(output) == "-":
        output = None
    kind = format or _format_of(output)
    money = currency_of(currency, rate, any_rate)
    filtered = any((sector, year, status, lead_body, search, source_kind, minimum, maximum))
    if excel and kind is not ExportFormat.csv:
        raise UsageError("--excel is for CSV only", hint="a byte-order mark would break JSON")
    if kind is ExportFormat.sqlite:
        if output is None:
            raise UsageError("SQLite needs a file", hint="give --output FILE")
        if filtered or datapackage or money.code != "hkd":
            raise UsageError(
                "SQLite export writes the whole dataset",
                hint="leave out the filters and --currency, and filter it with SQL",
            )
    if datapackage and (kind is not ExportFormat.csv or output is None):
        raise UsageError("--datapackage needs --format csv and --output FILE")
    dataset = load_data(ctx)
    if kind is ExportFormat.sqlite:
        from hkit_cli.export import write_sqlite

        assert output is not None
        write_sqlite(dataset, output, force=force)
        typer.echo(f"wrote {output}", err=True)
        return
    filters = make_filters(dataset, **filter_values(locals()))
    rows = report.records(select(dataset, filters))
    if not (all_figures or datapackage):
        rows = [r for r in rows if r.counted]
    table = tables.allocations(rows, money)
    if not table.rows:
        say_nothing_found(dataset, filters, "allocation")
    if kind is ExportFormat.csv:
        text = csv_table(table, sanitize=not keep_formulas)
    else:
        text = json_text(json_data(tables.single(table)))
    if datapackage:
        assert output is not None
        from hkit_cli.export import datapackage as describe

        package = output.parent / "datapackage.json"
        if package.exists() and not force:
            raise HkitError(f"{package} already exists", hint="use --force to overwrite it")
        write_output(text, output, force=force, bom=excel)
        write_output(json_text(describe(output.name, table, excel)), package, force=True)
        typer.echo(
            f"wrote {len(table.rows)} allocations to {output}, described in {package}", err=True
        )
        return
    write_output(text, output, force=force, bom=excel)
    if output is not None:
        typer.echo(f"wrote {len(table.rows)} allocations to {output}", err=True)


_EXTENSIONS = {
    ".csv": ExportFormat.csv,
    ".json": ExportFormat.json,
    ".db": ExportFormat.sqlite,
    ".sqlite": ExportFormat.sqlite,
    ".sqlite3": ExportFormat.sqlite,
}


def _format_of(output: Path | None) -> ExportFormat:
    """The format an output file's extension asks for; CSV when it asks for none we know."""
    if output is None:
        return ExportFormat.csv
    return _EXTENSIONS.get(output.suffix.casefold(), ExportFormat.csv)


@app.command()
@handled
def report(
    ctx: typer.Context,
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="The HTML file to write (- is stdout)."),
    ],
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    lang: Annotated[
        str | None,
        typer.Option("--lang", help="en or zh (default: the global --lang).", show_default=False),
    ] = None,
    scope: ScopeOpt = ScopeChoice.core,
    sector: SectorOpt = None,
    year: YearOpt = None,
    status: StatusOpt = None,
    lead_body: LeadBodyOpt = None,
    search: SearchOpt = None,
    source_kind: SourceKindOpt = None,
    minimum: MinOpt = None,
    maximum: MaxOpt = None,
    form: FormOpt = None,
) -> None:
    """One self-contained HTML page: totals, charts, every initiative and source, the rules.

    It needs the `report` extra: pip install 'hkit[report]'.
    """
    from hkit_cli import __version__
    from hkit_cli.charts import require

    require("The HTML report")
    language = lang or (ctx.obj or {}).get("lang") or "en"
    if language not in ("en", "zh"):
        raise UsageError(f"--lang: `{language}` is not en or zh")
    dataset = load_data(ctx)
    filters = make_filters(dataset, **filter_values(locals()))
    selections = select(dataset, filters)
    if not selections:
        say_nothing_found(dataset, filters, "initiative")
    from hkit_cli.export import write_output
    from hkit_cli.htmlreport import build

    page = build(
        dataset,
        selections,
        filters,
        language,
        file=data_path(ctx).name,
        version=__version__,
    )
    target = None if str(output) == "-" else output
    write_output(page, target, force=force)
    if target is not None:
        size = len(page.encode("utf-8"))
        typer.echo(f"wrote {target} ({size:,} bytes, {len(selections)} initiatives)", err=True)


@app.command()
@handled
def validate(
    ctx: typer.Context,
    file: Annotated[
        Path | None,
        typer.Argument(
            help="Data file to check (default: --data, HKIT_DATA or the bundled dataset).",
            show_default=False,
        ),
    ] = None,
    format: Annotated[
        str,
        typer.Option("--format", "-f", help="text, or json for the problems as objects on stdout."),
    ] = "text",
    strict: Annotated[
        bool,
        typer.Option("--strict", help="Fail (exit 1) on warnings too, not only on errors."),
    ] = False,
) -> None:
    """Check the whole dataset and report every problem as FILE:LINE:COL: path: message.

    Errors stop the data from loading. Warnings point at likely mistakes that would make the
    totals wrong without breaking the file (money counted twice, a doubtful citation); they
    fail only with --strict.
    """
    if format not in ("text", "json"):
        raise typer.BadParameter("choose text or json", param_hint="--format")
    from hkit_cli.loader import validate as check_file

    path = file if file is not None else data_path(ctx)
    with reading():
        dataset, problems = check_file(path)
    errors = [p for p in problems if p.level == "error"]
    warnings = [p for p in problems if p.level == "warning"]
    failed = dataset is None or bool(errors) or (strict and bool(warnings))
    if format == "json":
        from hkit_cli.export import json_text, write_output

        write_output(json_text([p.as_dict() for p in problems]), None)
        if failed:
            raise typer.Exit(1)
        return
    if dataset is None or errors:
        raise DataError(str(path), problems)
    for warning in warnings:
        typer.echo(str(warning), err=True)
    from hkit_cli.money import exact_hkd

    allocations = [a for i in dataset.initiatives for a in i.allocations]
    counted = [a for a in allocations if a.counted_in()]
    noun = "warning" if len(warnings) == 1 else "warnings"
    status = f"{len(warnings)} {noun}" if warnings else "OK"
    summary = (
        f"{status} — {len(dataset.initiatives)} initiatives, {len(allocations)} allocations "
        f"({len(counted)} counted), {len(dataset.sources)} sources; "
        f"counted total {exact_hkd(sum(a.amount for a in counted))}"
    )
    if strict and warnings:
        raise HkitError(
            f"{path}: failed with --strict: {summary}",
            hint="fix each warning, or acknowledge a genuine repeat with `repeat_of` and a note",
        )
    typer.echo(f"{path}: {summary}")


@app.command()
@handled
def sectors(ctx: typer.Context, format: ReportFormatOpt = ReportFormat.table) -> None:
    """The sector registry, with how many initiatives and allocations use each sector."""
    from hkit_cli import tables
    from hkit_cli.report import usage

    dataset = load_data(ctx)
    used, _ = usage(dataset)
    output(tables.sectors(dataset, used), format.value, lang_of(ctx))


@app.command()
@handled
def bodies(ctx: typer.Context, format: ReportFormatOpt = ReportFormat.table) -> None:
    """The lead-body registry: who leads how many initiatives, and their counted money."""
    from hkit_cli import tables
    from hkit_cli.report import body_usage

    dataset = load_data(ctx)
    output(tables.bodies(dataset, body_usage(dataset)), format.value, lang_of(ctx))


@app.command()
@handled
def sources(ctx: typer.Context, format: ReportFormatOpt = ReportFormat.table) -> None:
    """The source registry, with how many initiatives and allocations cite each source."""
    from hkit_cli import tables
    from hkit_cli.report import usage

    dataset = load_data(ctx)
    _, used = usage(dataset)
    output(tables.sources(dataset, used), format.value, lang_of(ctx))


@app.command()
@handled
def coverage(
    ctx: typer.Context,
    scope: ScopeOpt = ScopeChoice.core,
    format: ReportFormatOpt = ReportFormat.table,
) -> None:
    """Per fiscal year: the documents read in full, what each gave, and the counted total."""
    from hkit_cli import tables
    from hkit_cli.report import coverage as coverage_report

    dataset = load_data(ctx)
    years = coverage_report(dataset, scopes_for(scope.value))
    output(tables.coverage(years), format.value, lang_of(ctx))


@app.command()
@handled
def claims(ctx: typer.Context, format: ReportFormatOpt = ReportFormat.table) -> None:
    """The government's own running totals of I&T money beside hkit's count for the same
    fiscal years, and what hkit leaves out."""
    from hkit_cli import tables
    from hkit_cli.report import claims as claim_checks

    dataset = load_data(ctx)
    table = tables.claims(claim_checks(dataset), {s.id: s.url for s in dataset.sources})
    if not table.rows:
        typer.echo("hkit: the data holds no claims", err=True)
    output(table, format.value, lang_of(ctx))
