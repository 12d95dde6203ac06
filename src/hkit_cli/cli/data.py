"""The commands for files and curators: export, validate, and the registries and coverage.

This module deliberately has no ``from __future__ import annotations``: typer resolves
every command's annotations on each run, and evaluating them from strings costs start-up time.
"""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hkit_cli.cli.base import app, data_path, handled, load_data, reading
from hkit_cli.cli.options import (
    ExportFormat,
    ForceOpt,
    OutputOpt,
    emit,
    output_path,
    request_options,
    say_nothing_found,
    select,
)
from hkit_cli.domain.errors import DataError, HkitError, UsageError

if TYPE_CHECKING:
    from hkit_cli.reports.request import Request


@app.command()
@handled
@request_options("filters", "money")
def export(
    ctx: typer.Context,
    request: "Request",
    format: Annotated[
        ExportFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="File format (default: from the --output file's extension, else csv).",
            show_default=False,
        ),
    ] = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
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
) -> None:
    """One row per allocation for spreadsheets (CSV, JSON), or the whole dataset as SQLite.

    By default the rows are exactly the money counted under the scope and filters, so the
    amount column sums to `hkit totals`; --all-figures adds every other figure.
    """
    from hkit_cli.rendering.export import csv_table, json_data, json_text, write_output
    from hkit_cli.reports import report, tables

    if output is not None and str(output) == "-":
        output = None
    kind = format or _format_of(output)
    money = request.money()
    filtered = request.filtered
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
        from hkit_cli.rendering.export import write_sqlite

        assert output is not None
        write_sqlite(dataset, output, force=force)
        typer.echo(f"wrote {output}", err=True)
        return
    filters = request.select(dataset)
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
        from hkit_cli.rendering.export import datapackage as describe

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
@request_options("filters")
def report(
    ctx: typer.Context,
    request: "Request",
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", parser=output_path, help="The HTML file to write (- is stdout)."
        ),
    ],
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """One self-contained HTML page: totals, charts, every initiative and source, the rules.

    It needs the `report` extra: pip install 'hkit[report]'.
    """
    from hkit_cli.rendering.charts import require
    from hkit_cli.version import __version__

    require("The HTML report")
    language = request.lang
    dataset = load_data(ctx)
    filters = request.select(dataset)
    selections = select(dataset, filters)
    if not selections:
        say_nothing_found(dataset, filters, "initiative")
    from hkit_cli.rendering.export import write_output
    from hkit_cli.rendering.htmlreport import build

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
@request_options("output")
def validate(
    ctx: typer.Context,
    request: "Request",
    file: Annotated[
        Path | None,
        typer.Argument(
            help="Data file to check (default: --data, HKIT_DATA or the bundled dataset).",
            show_default=False,
        ),
    ] = None,
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
    from hkit_cli.reading.loader import validate as check_file

    path = file if file is not None else data_path(ctx)
    with reading():
        dataset, problems = check_file(path)
    errors = [p for p in problems if p.level == "error"]
    warnings = [p for p in problems if p.level == "warning"]
    failed = dataset is None or bool(errors) or (strict and bool(warnings))
    if request.format != "table" or request.output is not None:
        # The problems as rows (an empty list when there are none), in the chosen format.
        from hkit_cli.reports import tables

        emit(tables.problems(problems), request)
        if failed:
            raise typer.Exit(1)
        return
    if dataset is None or errors:
        raise DataError(str(path), problems)
    for warning in warnings:
        typer.echo(str(warning), err=True)
    from hkit_cli.domain.money import exact_hkd

    allocations = [a for i in dataset.initiatives for a in i.allocations]
    counted = [a for a in allocations if a.counted_in()]
    noun = "warning" if len(warnings) == 1 else "warnings"
    status = f"{len(warnings)} {noun}" if warnings else "OK"
    # Short lines: the path alone on the first, then what the file holds.
    summary = (
        f"{status}\n{len(dataset.initiatives)} initiatives, {len(allocations)} allocations "
        f"({len(counted)} counted), {len(dataset.sources)} sources\n"
        f"counted total {exact_hkd(sum(a.amount for a in counted))}"
    )
    if strict and warnings:
        repeat = any("repeat_of" in (w.hint or "") for w in warnings)
        raise HkitError(
            f"{path}: failed with --strict: {status}",
            hint="fix each warning, or acknowledge a genuine repeat with `repeat_of` and a note"
            if repeat
            else "fix each warning as its hint says",
        )
    typer.echo(f"{path}: {summary}")


@app.command()
@handled
@request_options("output")
def sectors(ctx: typer.Context, request: "Request") -> None:
    """The sector registry, with how many initiatives and allocations use each sector."""
    from hkit_cli import api

    emit(api.sectors(load_data(ctx)), request)


@app.command()
@handled
@request_options("output")
def bodies(ctx: typer.Context, request: "Request") -> None:
    """The lead-body registry: who leads how many initiatives, and their counted money."""
    from hkit_cli import api

    emit(api.bodies(load_data(ctx)), request)


@app.command()
@handled
@request_options("output")
def sources(ctx: typer.Context, request: "Request") -> None:
    """The source registry, with how many initiatives and allocations cite each source."""
    from hkit_cli import api

    emit(api.sources(load_data(ctx)), request)


@app.command()
@handled
@request_options("scope", "output")
def coverage(ctx: typer.Context, request: "Request") -> None:
    """Per fiscal year: the documents read in full, what each gave, and the counted total."""
    from hkit_cli import api

    emit(api.coverage(load_data(ctx), scope=request.scope), request)


@app.command()
@handled
@request_options("output")
def claims(ctx: typer.Context, request: "Request") -> None:
    """The government's own running totals of I&T money beside hkit's count for the same
    fiscal years, and what hkit leaves out."""
    from hkit_cli import api

    table = api.claims(load_data(ctx))
    if not table.rows:
        typer.echo("hkit: the data holds no claims", err=True)
    emit(table, request)


@app.command()
@handled
def schema(
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """The JSON Schema (draft 2020-12) of a data file, for editors and check-jsonschema.

    Generated from the models. Editors that read `# yaml-language-server: $schema=...` at the
    top of the data file complete keys and flag errors as you type; `hkit validate` still
    checks what a schema cannot (references, counting).
    """
    from hkit_cli.reading.schema import schema_text
    from hkit_cli.rendering.export import write_output

    target = None if output is None or str(output) == "-" else output
    write_output(schema_text(), target, force=force)
    if target is not None:
        typer.echo(f"wrote {target}", err=True)


@app.command()
@handled
@request_options("output")
def diff(
    ctx: typer.Context,
    request: "Request",
    old: Annotated[
        str,
        typer.Argument(
            help="A data file, or a git revision of the data file (default: HEAD).",
            show_default=False,
        ),
    ] = "HEAD",
    new: Annotated[
        str | None,
        typer.Argument(
            help="A data file or a git revision (default: the working data file).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """What a data change does: initiatives and allocations added, removed and changed, field
    by field, and the counted totals before and after by fiscal year, sector, form and scope.

    `hkit diff` compares HEAD with the working file; `hkit diff main` a branch with it;
    `hkit diff OLD.yaml NEW.yaml` two files, in a git repository or not. --format markdown
    gives a comment for a pull request.
    """
    from hkit_cli.reports import tables
    from hkit_cli.reports.diff import diff as compare

    working = data_path(ctx)
    old_name, old_text = _version(old, working)
    if new is None:
        new_name, new_text = str(working), _read_file(working)
    else:
        new_name, new_text = _version(new, working)
    from hkit_cli.reading.loader import loads

    with reading():
        before, after = loads(old_text, old_name), loads(new_text, new_name)
    emit(tables.diff(compare(before, after), old_name, new_name, request.money()), request)


def _read_file(path: Path) -> str:
    from hkit_cli.reading.textfile import read_text

    text, problem = read_text(path, str(path))
    if text is None:
        raise DataError(str(path), [problem] if problem else [])
    return text


def _version(spec: str, working: Path) -> tuple[str, str]:
    """A data file's name and text: ``spec`` is a file, or a git revision of ``working``."""
    path = Path(spec)
    if path.is_file():
        return spec, _read_file(path)
    import subprocess

    real = working.resolve()

    def git(*args: str) -> subprocess.CompletedProcess[str]:
        try:
            return subprocess.run(
                ["git", "-C", str(real.parent), *args],
                capture_output=True,
                text=True,
                encoding="utf-8",
                check=False,
            )
        except OSError:
            raise HkitError(
                f"`{spec}` is not a file, and git is not installed to read it as a revision"
            ) from None

    top = git("rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise HkitError(
            f"`{spec}` is not a file, and {working} is not in a git repository",
            hint="give two data files: hkit diff OLD.yaml NEW.yaml",
        )
    if git("rev-parse", "--verify", "--quiet", f"{spec}^{{commit}}").returncode != 0:
        raise HkitError(
            f"`{spec}` is neither a file nor a revision of this git repository",
            hint="give a branch, tag or commit (main, HEAD~1), or a data file",
        )
    relative = real.relative_to(Path(top.stdout.strip()).resolve()).as_posix()
    shown = git("show", f"{spec}:{relative}")
    if shown.returncode != 0:
        raise HkitError(
            f"{relative} does not exist at revision `{spec}`",
            hint="the data file may have been added or moved after it",
        )
    return f"{spec}:{relative}", shown.stdout
