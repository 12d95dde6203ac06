"""The command line: parse options, call the layers, pick a renderer, map errors to exit codes.

Heavy modules (pydantic, yaml, the loader) are imported inside commands so that
``hkit --version`` and ``hkit --help`` start fast.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from hkit_cli import __version__
from hkit_cli.errors import DataError, HkitError, UsageError
from hkit_cli.vocab import fiscal_year_problem

if TYPE_CHECKING:
    from hkit_cli.models import Dataset
    from hkit_cli.query import Filters, Selection

BUNDLED_DATA = Path(__file__).resolve().parent / "data" / "initiatives.yaml"

app = typer.Typer(
    name="hkit",
    help="Hong Kong's public funding for innovation and technology: a cited, checked dataset.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


class ExportFormat(StrEnum):
    csv = "csv"
    json = "json"


class StatusChoice(StrEnum):
    # The same values as vocab.STATUSES (a test keeps them in step).
    planned = "planned"
    proposed = "proposed"
    seeking_approval = "seeking-approval"
    approved = "approved"
    launched = "launched"
    in_operation = "in-operation"
    completed = "completed"


class GroupBy(StrEnum):
    year = "year"
    sector = "sector"
    lead_body = "lead-body"
    kind = "kind"


F = TypeVar("F", bound=Callable[..., Any])


def handled(command: F) -> F:
    """Turn project errors into a message on stderr and an exit code; never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except DataError as exc:
            for problem in exc.problems:
                typer.echo(str(problem), err=True)
            _fail(exc)
        except HkitError as exc:
            _fail(exc)
        except (typer.Exit, typer.Abort, typer.BadParameter):
            raise
        except BrokenPipeError:
            _quiet_stdout()
            raise typer.Exit(0) from None
        except Exception as exc:  # a bug: say so plainly, unless asked for the traceback
            if os.environ.get("HKIT_DEBUG"):
                raise
            typer.echo(
                f"hkit: internal error: {type(exc).__name__}: {exc} "
                "(set HKIT_DEBUG=1 to see the traceback)",
                err=True,
            )
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


def _fail(exc: HkitError) -> None:
    typer.echo(f"hkit: error: {exc.message}", err=True)
    if exc.hint:
        typer.echo(f"hint: {exc.hint}", err=True)
    raise typer.Exit(exc.exit_code)


def _quiet_stdout() -> None:
    # The reader went away (`hkit export | head`): stop writing without a traceback.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _version(value: bool) -> None:
    if value:
        typer.echo(f"hkit {__version__}")
        raise typer.Exit()


def _check_year(value: str | None) -> str | None:
    if value is not None:
        problem = fiscal_year_problem(value)
        if problem:
            raise typer.BadParameter(problem)
    return value


@app.callback()
def main_options(
    ctx: typer.Context,
    data: Annotated[
        Path | None,
        typer.Option(
            "--data",
            envvar="HKIT_DATA",
            help="Data file to use instead of the bundled dataset (also: HKIT_DATA).",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Hong Kong's public funding for innovation and technology: a cited, checked dataset."""
    ctx.obj = {"data": data}


def _data_path(ctx: typer.Context) -> Path:
    data = (ctx.obj or {}).get("data")
    return data if data is not None else BUNDLED_DATA


def _load(ctx: typer.Context) -> Dataset:
    from hkit_cli.loader import load

    return load(_data_path(ctx))


# Options shared by the commands that filter.
SectorOpt = Annotated[
    str | None, typer.Option("--sector", help="Primary or secondary sector slug.")
]
YearOpt = Annotated[
    str | None,
    typer.Option("--year", callback=_check_year, help="Fiscal year, like 2026-27."),
]
StatusOpt = Annotated[StatusChoice | None, typer.Option("--status", help="Status.")]
LeadBodyOpt = Annotated[
    str | None, typer.Option("--lead-body", help="Lead body (part of its name, any case).")
]
SearchOpt = Annotated[
    str | None,
    typer.Option("--search", help="Text in English or Chinese names, aliases or descriptions."),
]
FormatOpt = Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")]


def _filters(
    dataset: Dataset,
    sector: str | None,
    year: str | None,
    status: StatusChoice | None,
    lead_body: str | None,
    search: str | None,
) -> Filters:
    from hkit_cli.query import Filters

    if sector is not None:
        known = [s.slug for s in dataset.sectors]
        if sector not in known:
            import difflib

            folded = [k for k in known if k == sector.casefold()]
            close = folded or difflib.get_close_matches(sector, known, n=1)
            hint = f"did you mean `{close[0]}`?" if close else f"known sectors: {', '.join(known)}"
            raise UsageError(f"unknown sector `{sector}`", hint=hint)
    return Filters(sector, year, status.value if status else None, lead_body, search)


def _select(dataset: Dataset, filters: Filters) -> list[Selection]:
    from hkit_cli.query import select

    return select(dataset, filters)


@app.command("list")
@handled
def list_initiatives(
    ctx: typer.Context,
    sector: SectorOpt = None,
    year: YearOpt = None,
    status: StatusOpt = None,
    lead_body: LeadBodyOpt = None,
    search: SearchOpt = None,
    format: FormatOpt = OutputFormat.table,
) -> None:
    """One row per initiative, with its counted HK$ total."""
    from hkit_cli import report

    dataset = _load(ctx)
    filters = _filters(dataset, sector, year, status, lead_body, search)
    rows = report.initiative_rows(_select(dataset, filters))
    if format is OutputFormat.table:
        from hkit_cli import render

        render.initiatives(render.console(), rows, dataset)
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
        }
        for r in rows
    ]
    _emit(format, columns, records)


def _emit(
    format: OutputFormat | ExportFormat, columns: tuple[str, ...], records: list[dict[str, Any]]
) -> None:
    from hkit_cli.export import csv_text, json_text, write_output

    if format.value == "csv":
        write_output(csv_text(columns, records), None)
    else:
        write_output(json_text(records), None)


@app.command()
@handled
def show(
    ctx: typer.Context,
    initiative_id: Annotated[str, typer.Argument(metavar="ID", help="Initiative id.")],
    format: FormatOpt = OutputFormat.table,
) -> None:
    """Everything about one initiative: allocations, milestones, figures and sources."""
    dataset = _load(ctx)
    found = next((i for i in dataset.initiatives if i.id == initiative_id), None)
    if found is None:
        import difflib

        ids = [i.id for i in dataset.initiatives]
        close = difflib.get_close_matches(initiative_id, ids, n=3, cutoff=0.5)
        hint = (
            "did you mean " + ", ".join(f"`{c}`" for c in close) + "?"
            if close
            else "`hkit list` shows every id"
        )
        raise HkitError(f"no initiative with id `{initiative_id}`", hint=hint)
    if format is OutputFormat.table:
        from hkit_cli import render

        render.initiative(render.console(), found, dataset)
        return
    from hkit_cli import report

    if format is OutputFormat.csv:
        rows = report.records([_selection_of(found)])
        _emit(format, report.EXPORT_COLUMNS, [r.as_dict() for r in rows])
        return
    from hkit_cli.export import json_text, write_output

    data = found.model_dump(mode="json")
    for allocation, dumped in zip(found.allocations, data["allocations"], strict=True):
        dumped["counted"] = allocation.counted
    write_output(json_text(data), None)


def _selection_of(initiative: Any) -> Selection:
    from hkit_cli.query import Selection

    return Selection(initiative, tuple(initiative.allocations))


@app.command()
@handled
def totals(
    ctx: typer.Context,
    by: Annotated[
        GroupBy, typer.Option("--by", help="What to group the counted money by.")
    ] = GroupBy.year,
    sector: SectorOpt = None,
    year: YearOpt = None,
    status: StatusOpt = None,
    lead_body: LeadBodyOpt = None,
    search: SearchOpt = None,
    format: FormatOpt = OutputFormat.table,
) -> None:
    """Counted government money grouped by year, sector, lead body or kind, with a total."""
    from hkit_cli import report

    dataset = _load(ctx)
    filters = _filters(dataset, sector, year, status, lead_body, search)
    result = report.totals(dataset, _select(dataset, filters), by.value)
    if format is OutputFormat.table:
        from hkit_cli import render

        render.totals(render.console(), result)
        return
    columns = (result.column, "amount_hkd", "allocations")
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
    _emit(format, columns, records)


@app.command()
@handled
def export(
    ctx: typer.Context,
    format: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="File format.")
    ] = ExportFormat.csv,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    excel: Annotated[
        bool,
        typer.Option("--excel", help="Start the file with a UTF-8 BOM so Excel reads Chinese."),
    ] = False,
    keep_formulas: Annotated[
        bool,
        typer.Option(
            "--keep-formulas",
            help="Do not prefix cells starting with = + - @ with an apostrophe.",
        ),
    ] = False,
    sector: SectorOpt = None,
    year: YearOpt = None,
    status: StatusOpt = None,
    lead_body: LeadBodyOpt = None,
    search: SearchOpt = None,
) -> None:
    """One row per allocation, for spreadsheets and reports (CSV or JSON)."""
    from hkit_cli import report
    from hkit_cli.export import csv_text, json_text, write_output

    dataset = _load(ctx)
    filters = _filters(dataset, sector, year, status, lead_body, search)
    rows = [r.as_dict() for r in report.records(_select(dataset, filters))]
    if format is ExportFormat.csv:
        text = csv_text(report.EXPORT_COLUMNS, rows, sanitize=not keep_formulas)
    else:
        text = json_text(rows)
    write_output(text, output, force=force, bom=excel)
    if output is not None:
        typer.echo(f"wrote {len(rows)} allocations to {output}", err=True)


@app.command()
@handled
def validate(
    ctx: typer.Context,
    format: Annotated[
        ExportFormat | None,
        typer.Option("--format", "-f", help="json: the problems as objects, on stdout."),
    ] = None,
) -> None:
    """Check the whole dataset and report every problem as FILE:LINE:COL: path: message."""
    from hkit_cli.loader import validate as check_file

    path = _data_path(ctx)
    dataset, problems = check_file(path)
    if format is ExportFormat.json:
        from hkit_cli.export import json_text, write_output

        write_output(json_text([p.as_dict() for p in problems]), None)
        if problems:
            raise typer.Exit(1)
        return
    if format is ExportFormat.csv:
        raise typer.BadParameter("validate writes text or json", param_hint="--format")
    if problems or dataset is None:
        raise DataError(str(path), problems)
    from hkit_cli.money import exact_hkd

    allocations = [a for i in dataset.initiatives for a in i.allocations]
    counted = [a for a in allocations if a.counted]
    typer.echo(
        f"{path}: OK — {len(dataset.initiatives)} initiatives, {len(allocations)} allocations "
        f"({len(counted)} counted), {len(dataset.sources)} sources; "
        f"counted total {exact_hkd(sum(a.amount for a in counted))}"
    )


@app.command()
@handled
def sectors(ctx: typer.Context, format: FormatOpt = OutputFormat.table) -> None:
    """The sector registry, with how many initiatives and allocations use each sector."""
    from hkit_cli.report import usage

    dataset = _load(ctx)
    used, _ = usage(dataset)
    if format is OutputFormat.table:
        from hkit_cli import render

        render.sectors(render.console(), dataset, used)
        return
    records = [
        {
            "slug": s.slug,
            "name": s.name,
            "name_zh": s.name_zh,
            "initiatives": used[s.slug][0],
            "allocations": used[s.slug][1],
        }
        for s in dataset.sectors
    ]
    _emit(format, ("slug", "name", "name_zh", "initiatives", "allocations"), records)


@app.command()
@handled
def sources(ctx: typer.Context, format: FormatOpt = OutputFormat.table) -> None:
    """The source registry, with how many initiatives and allocations cite each source."""
    from hkit_cli.report import usage

    dataset = _load(ctx)
    _, used = usage(dataset)
    if format is OutputFormat.table:
        from hkit_cli import render

        render.sources(render.console(), dataset, used)
        return
    columns = (
        "id",
        "title",
        "publisher",
        "date",
        "kind",
        "url",
        "locator",
        "initiatives",
        "allocations",
    )
    records = [
        {
            **s.model_dump(exclude={"file"}),
            "initiatives": used[s.id][0],
            "allocations": used[s.id][1],
        }
        for s in dataset.sources
    ]
    _emit(format, columns, records)


def main() -> None:
    try:
        app()
    except BrokenPipeError:
        _quiet_stdout()
        sys.exit(0)
    except KeyboardInterrupt:
        sys.exit(130)
