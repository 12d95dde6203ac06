"""The command line: parse options, call the layers, pick a renderer, map errors to exit codes.

Heavy modules (pydantic, yaml, the loader) are imported inside commands so that
``hkit --version`` and ``hkit --help`` start fast. This module deliberately has no
``from __future__ import annotations``: typer resolves every command's annotations on each
run, and evaluating them from strings cost about 50 ms of start-up.
"""

import contextlib
import dataclasses
import functools
import gc
import os
import sys
from collections.abc import Callable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from hkit_cli import __version__
from hkit_cli.errors import DataError, HkitError, UsageError
from hkit_cli.vocab import SOURCE_KINDS, STATUSES, fiscal_year_problem

if TYPE_CHECKING:
    from hkit_cli.currency import Currency
    from hkit_cli.query import Filters, Selection
    from hkit_cli.records import Dataset
    from hkit_cli.views import Grid

BUNDLED_DATA = Path(__file__).resolve().parent / "data" / "initiatives.yaml"

app = typer.Typer(
    name="hkit",
    help="Hong Kong's public funding for innovation and technology: a cited, checked dataset.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class TableFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


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


class SortBy(StrEnum):
    # The same values as report.SORTS.
    amount = "amount"
    year = "year"
    name = "name"


class ScopeChoice(StrEnum):
    # The same values as vocab.SCOPE_CHOICES.
    core = "core"
    all = "all"


class CurrencyChoice(StrEnum):
    hkd = "hkd"
    usd = "usd"


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


def _check_fiscal_year(value: str | None) -> str | None:
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
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            help="Parse and validate the data file even if its content was validated before "
            "(also: HKIT_NO_CACHE=1).",
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Hong Kong's public funding for innovation and technology: a cited, checked dataset."""
    from hkit_cli.vocab import set_counted_scope

    set_counted_scope("core")
    ctx.obj = {"data": data, "no_cache": no_cache}


def _data_path(ctx: typer.Context) -> Path:
    data = (ctx.obj or {}).get("data")
    return data if data is not None else BUNDLED_DATA


@contextlib.contextmanager
def _reading() -> Iterator[None]:
    """Pause the cyclic garbage collector while a dataset is read (parsed or unpickled).

    Reading makes hundreds of thousands of objects and frees almost none until the end, so
    the collector would walk the growing heap again and again and find nothing: about half
    the load time at 10,000 initiatives. The command ends soon after, so what was read is
    then frozen (gc.freeze) out of later collections. Reference counting still frees memory.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def _load(ctx: typer.Context) -> "Dataset":
    from hkit_cli import cache

    with _reading():
        return cache.load(_data_path(ctx), use_cache=not (ctx.obj or {}).get("no_cache"))


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
ScopeOpt = Annotated[
    ScopeChoice,
    typer.Option(
        "--scope",
        help="core: innovation and technology money only; all: also adjacent money (digital "
        "government, Chinese medicine, general parks and campuses, regional funds).",
    ),
]


def _use_scope(scope: ScopeChoice) -> None:
    from hkit_cli.vocab import set_counted_scope

    set_counted_scope(scope.value)


TableFormatOpt = Annotated[TableFormat, typer.Option("--format", "-f", help="Output format.")]
ReportFormatOpt = Annotated[ReportFormat, typer.Option("--format", "-f", help="Output format.")]


def _filters(
    dataset: "Dataset",
    *,
    sector: list[str] | None = None,
    secondary: bool = False,
    year: list[str] | None = None,
    status: list[str] | None = None,
    lead_body: list[str] | None = None,
    search: list[str] | None = None,
    source_kind: list[str] | None = None,
    minimum: list[str] | None = None,
    maximum: list[str] | None = None,
    also: tuple[str, ...] = (),
) -> "Filters":
    """The filters as the user gave them, each value checked; a bad one is a usage error."""
    from hkit_cli import query

    sectors = query.choose(sector, [s.slug for s in dataset.sectors], "sector", "--sector")
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
    ]
    asked = [f"{option} {','.join(query.split_values(v))}" for option, v in given if v]
    if secondary:
        asked.append("--secondary")
    return query.Filters(
        sectors=sectors,
        secondary=secondary,
        years=query.parse_years(year),
        statuses=query.choose(status, STATUSES, "status", "--status"),
        bodies=query.choose_bodies(dataset, lead_body),
        searches=tuple(query.split_values(search)),
        source_kinds=query.choose(source_kind, SOURCE_KINDS, "source kind", "--source-kind"),
        min_amount=_bound(minimum, "--min"),
        max_amount=_bound(maximum, "--max"),
        asked=(*asked, *also),
    )


def _bound(values: list[str] | None, option: str) -> int | None:
    if not values:
        return None
    if len(values) > 1:
        raise UsageError(f"{option} is given {len(values)} times", hint="give it once")
    from hkit_cli.money import parse_amount

    try:
        return parse_amount(values[0])
    except ValueError as exc:
        raise UsageError(f"{option}: {exc}") from None


def _nothing(dataset: "Dataset", filters: "Filters", what: str) -> None:
    """Say on stderr why a report is empty (an empty result is not an error)."""
    from hkit_cli.report import nothing_found

    message, hint = nothing_found(dataset, filters, what)
    typer.echo(f"hkit: {message}", err=True)
    if hint:
        typer.echo(f"hint: {hint}", err=True)


def _select(dataset: "Dataset", filters: "Filters") -> "list[Selection]":
    from hkit_cli.query import select

    return select(dataset, filters)


def _currency(code: CurrencyChoice, rate: str | None) -> "Currency":
    from hkit_cli.currency import currency

    try:
        return currency(code.value, rate)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _emit(format: str, columns: tuple[str, ...], records: list[dict[str, Any]]) -> None:
    from hkit_cli.export import csv_text, json_text, write_output

    if format == "csv":
        write_output(csv_text(columns, records), None)
    else:
        write_output(json_text(records), None)


def _show_grids(format: str, grids: "list[Grid]") -> None:
    if format == "markdown":
        from hkit_cli.export import markdown_all, write_output

        write_output(markdown_all(grids), None)
        return
    from hkit_cli import render

    render.grids(render.console(), grids)


def _usd_columns(currency: "Currency", records: list[dict[str, Any]], key: str) -> tuple[str, ...]:
    # Machine-readable output keeps exact HK$; a converted column is added only when asked.
    if currency.code == "hkd":
        return ()
    for record in records:
        record["amount_usd"] = currency.convert(record[key])
    return ("amount_usd",)


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

    money = _currency(currency, rate)
    _use_scope(scope)
    dataset = _load(ctx)
    filters = _filters(
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
    rows = report.initiative_rows(_select(dataset, filters), sort.value if sort else None)
    matched = len(rows)
    if limit is not None:
        rows = rows[:limit]
    if not rows:
        _nothing(dataset, filters, "initiative")
    if format in (ReportFormat.table, ReportFormat.markdown):
        if rows:
            cut = matched if len(rows) < matched else None
            _show_grids(format, [views.initiatives(rows, money, cut)])
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
    _emit(format, columns + _usd_columns(money, records, "counted_hkd"), records)


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

    money = _currency(currency, rate)
    dataset = _load(ctx)
    found = find_initiative(dataset, initiative_id)
    if format is TableFormat.table:
        from hkit_cli import render, views

        render.initiative(render.console(), views.initiative(found, dataset, money))
        return
    from hkit_cli import report
    from hkit_cli.query import Selection

    if format is TableFormat.csv:
        rows = [r.as_dict() for r in report.records([Selection(found, tuple(found.allocations))])]
        _emit(format, report.EXPORT_COLUMNS + _usd_columns(money, rows, "amount_hkd"), rows)
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
    money = _currency(currency, rate)
    _use_scope(scope)
    dataset = _load(ctx)
    filters = _filters(
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
    selections = _select(dataset, filters)
    table = format in (ReportFormat.table, ReportFormat.markdown)
    if len(groupings) == 2:
        grid = report.pivot(dataset, selections, groupings[0], groupings[1])
        if not grid.total.allocations:
            _nothing(dataset, filters, "counted money")
            if table:
                return
        if table:
            _show_grids(format, [views.pivot(grid, money)])
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
        _emit(format, columns + _usd_columns(money, cells, "amount_hkd"), cells)
        return
    result = report.totals(dataset, selections, groupings[0])
    if not result.total.allocations:
        _nothing(dataset, filters, "counted money")
        if table:
            return
    if table:
        _show_grids(format, [views.totals(result, money)])
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
    _emit(format, plain + _usd_columns(money, records, "amount_hkd"), records)


@app.command()
@handled
def compare(
    ctx: typer.Context,
    before: Annotated[
        str,
        typer.Argument(
            metavar="YEAR",
            help="The earlier fiscal year, like 2025-26.",
            callback=_check_fiscal_year,
            autocompletion=complete_year,
        ),
    ],
    after: Annotated[
        str,
        typer.Argument(
            metavar="LATER_YEAR",
            help="The later fiscal year, like 2026-27.",
            callback=_check_fiscal_year,
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
    money = _currency(currency, rate)
    _use_scope(scope)
    dataset = _load(ctx)
    years = report.counted_years(dataset)
    missing = [y for y in (before, after) if y not in years]
    if missing:
        span = f"; the data covers {years[0]} to {years[-1]}" if years else ""
        raise UsageError(
            f"no counted money in {' or '.join(missing)}{span}",
            hint=f"years with counted money: {', '.join(years)}" if years else "",
        )
    filters = _filters(
        dataset,
        sector=sector,
        status=status,
        lead_body=lead_body,
        search=search,
        source_kind=source_kind,
    )
    result = report.compare(dataset, _select(dataset, filters), before, after)
    if format in (ReportFormat.table, ReportFormat.markdown):
        _show_grids(format, views.comparison(result, money))
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
        _emit(format, ("sector", f"{before}_hkd", f"{after}_hkd", "change_hkd"), rows)
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

    money = _currency(currency, rate)
    _use_scope(scope)
    dataset = _load(ctx)
    filters = _filters(
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
    result = report.totals(dataset, _select(dataset, filters), by.value)
    if not result.total.allocations:
        _nothing(dataset, filters, "counted money")
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

    dataset = _load(ctx)
    calendar = tuple(dict.fromkeys(calendar_year or ()))
    also = (f"--calendar-year {','.join(map(str, calendar))}",) if calendar else ()
    filters = _filters(
        dataset, sector=sector, status=status, lead_body=lead_body, search=search, also=also
    )
    spans = _filters(dataset, year=year).years
    events = report.timeline(_select(dataset, filters), spans, calendar)
    if not events:
        asked = (*filters.asked, *(f"--year {s.text}" for s in spans))
        _nothing(dataset, dataclasses.replace(filters, asked=asked), "milestone")
    if format in (ReportFormat.table, ReportFormat.markdown):
        if events:
            _show_grids(format, [views.timeline(events)])
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
    _emit(format, ("date", "label", "initiative", "event", "sources"), records)


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

    dataset = _load(ctx)
    also = (f"--metric {metric}",) if metric else ()
    filters = _filters(
        dataset, sector=sector, status=status, lead_body=lead_body, search=search, also=also
    )
    pairs = report.figures(_select(dataset, filters), metric)
    if not pairs:
        _nothing(dataset, filters, "figure")
    if format in (ReportFormat.table, ReportFormat.markdown):
        if pairs:
            _show_grids(format, [views.figures(pairs)])
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
    _emit(
        format, ("initiative", "metric", "value", "unit", "qualifier", "as_of", "sources"), records
    )


@app.command()
@handled
def export(
    ctx: typer.Context,
    scope: ScopeOpt = ScopeChoice.core,
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
            "--keep-formulas", help="Do not prefix cells starting with = + - @ with an apostrophe."
        ),
    ] = False,
    datapackage: Annotated[
        bool,
        typer.Option(
            "--datapackage",
            help="With CSV and --output: also write a Frictionless datapackage.json beside it.",
        ),
    ] = False,
    currency: Annotated[
        CurrencyChoice,
        typer.Option("--currency", help="usd: add an amount_usd column (amounts stay in HK$)."),
    ] = CurrencyChoice.hkd,
    rate: RateOpt = None,
    sector: SectorOpt = None,
    year: YearOpt = None,
    status: StatusOpt = None,
    lead_body: LeadBodyOpt = None,
    search: SearchOpt = None,
    source_kind: SourceKindOpt = None,
    minimum: MinOpt = None,
    maximum: MaxOpt = None,
) -> None:
    """One row per allocation for spreadsheets (CSV, JSON), or the whole dataset as SQLite."""
    from hkit_cli import report
    from hkit_cli.export import csv_text, json_text, write_output

    money = _currency(currency, rate)
    filtered = any((sector, year, status, lead_body, search, source_kind, minimum, maximum))
    if format is ExportFormat.sqlite:
        if output is None:
            raise UsageError("SQLite needs a file", hint="give --output FILE")
        if filtered or datapackage or money.code != "hkd":
            raise UsageError(
                "SQLite export writes the whole dataset",
                hint="leave out the filters and --currency, and filter it with SQL",
            )
    if datapackage and (format is not ExportFormat.csv or output is None):
        raise UsageError("--datapackage needs --format csv and --output FILE")
    _use_scope(scope)
    dataset = _load(ctx)
    if format is ExportFormat.sqlite:
        from hkit_cli.export import write_sqlite

        assert output is not None
        write_sqlite(dataset, output, force=force)
        typer.echo(f"wrote {output}", err=True)
        return
    filters = _filters(
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
    rows = [r.as_dict() for r in report.records(_select(dataset, filters))]
    if not rows:
        _nothing(dataset, filters, "allocation")
    columns = report.EXPORT_COLUMNS + _usd_columns(money, rows, "amount_hkd")
    if format is ExportFormat.csv:
        text = csv_text(columns, rows, sanitize=not keep_formulas)
    else:
        text = json_text(rows)
    if datapackage:
        assert output is not None
        from hkit_cli.export import datapackage as describe

        package = output.parent / "datapackage.json"
        if package.exists() and not force:
            raise HkitError(f"{package} already exists", hint="use --force to overwrite it")
        write_output(text, output, force=force, bom=excel)
        write_output(json_text(describe(output.name, columns, excel)), package, force=True)
        typer.echo(f"wrote {len(rows)} allocations to {output}, described in {package}", err=True)
        return
    write_output(text, output, force=force, bom=excel)
    if output is not None:
        typer.echo(f"wrote {len(rows)} allocations to {output}", err=True)


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

    path = file if file is not None else _data_path(ctx)
    with _reading():
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
    counted = [a for a in allocations if a.counted]
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
    from hkit_cli import views
    from hkit_cli.report import usage

    dataset = _load(ctx)
    used, _ = usage(dataset)
    if format in (ReportFormat.table, ReportFormat.markdown):
        _show_grids(format, [views.sectors(dataset, used)])
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
def bodies(ctx: typer.Context, format: ReportFormatOpt = ReportFormat.table) -> None:
    """The lead-body registry: who leads how many initiatives, and their counted money."""
    from hkit_cli import views
    from hkit_cli.report import body_usage

    dataset = _load(ctx)
    used = body_usage(dataset)
    if format in (ReportFormat.table, ReportFormat.markdown):
        _show_grids(format, [views.bodies(dataset, used)])
        return
    records = [
        {
            **b.as_dict(),
            "leads": used[b.id].leads,
            "partners": used[b.id].partners,
            "counted_hkd": used[b.id].counted.amount,
        }
        for b in dataset.bodies
    ]
    columns = ("id", "name", "name_zh", "abbreviation", "aliases", "leads", "partners")
    _emit(format, (*columns, "counted_hkd"), records)


@app.command()
@handled
def sources(ctx: typer.Context, format: ReportFormatOpt = ReportFormat.table) -> None:
    """The source registry, with how many initiatives and allocations cite each source."""
    from hkit_cli import views
    from hkit_cli.report import usage

    dataset = _load(ctx)
    _, used = usage(dataset)
    if format in (ReportFormat.table, ReportFormat.markdown):
        _show_grids(format, [views.sources(dataset, used)])
        return
    columns = (
        "id",
        "title",
        "publisher",
        "date",
        "kind",
        "url",
        "locator",
        "covers",
        "initiatives",
        "allocations",
    )
    records = [
        {
            **{k: v for k, v in s.as_dict().items() if k != "file"},
            "initiatives": used[s.id][0],
            "allocations": used[s.id][1],
        }
        for s in dataset.sources
    ]
    _emit(format, columns, records)


@app.command()
@handled
def coverage(
    ctx: typer.Context,
    scope: ScopeOpt = ScopeChoice.core,
    format: ReportFormatOpt = ReportFormat.table,
) -> None:
    """Per fiscal year: the documents read in full, what each gave, and the counted total."""
    from hkit_cli import views
    from hkit_cli.report import coverage as coverage_report

    _use_scope(scope)
    dataset = _load(ctx)
    years = coverage_report(dataset)
    if format in (ReportFormat.table, ReportFormat.markdown):
        _show_grids(format, [views.coverage(years)])
        return
    columns = (
        "fiscal_year",
        "status",
        "source",
        "allocations",
        "counted_from_source_hkd",
        "counted_in_year_hkd",
        "approximate",
    )
    records: list[dict[str, Any]] = []
    for year in years:
        given: list[tuple[str | None, list[str], int]] = [
            (d.source.id, d.allocations, d.counted.amount) for d in year.documents
        ]
        # A year with no document reviewed still gets its row, so the gap shows.
        for source, allocations, amount in given or [(None, [], 0)]:
            records.append(
                {
                    "fiscal_year": year.fiscal_year,
                    "status": year.status,
                    "source": source,
                    "allocations": allocations,
                    "counted_from_source_hkd": amount,
                    "counted_in_year_hkd": year.counted.amount,
                    "approximate": year.counted.approximate > 0,
                }
            )
    _emit(format, columns, records)


def main() -> None:
    try:
        app()
    except BrokenPipeError:
        _quiet_stdout()
        sys.exit(0)
    except KeyboardInterrupt:
        sys.exit(130)
