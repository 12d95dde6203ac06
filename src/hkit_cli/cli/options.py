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
from hkit_cli.domain.errors import HkitError
from hkit_cli.domain.vocab import (
    DATINGS,
    FORMS,
    GROUPINGS,
    SORTS,
    SOURCE_KINDS,
    STATUSES,
    fiscal_year_problem,
)

if TYPE_CHECKING:
    from hkit_cli.domain.records import Dataset
    from hkit_cli.reports.query import Filters, Selection
    from hkit_cli.reports.request import Request
    from hkit_cli.reports.tables import Report, Table


class ReportFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"


class ExportFormat(StrEnum):
    csv = "csv"
    json = "json"
    sqlite = "sqlite"


GroupBy = StrEnum(  # type: ignore[misc]
    "GroupBy", {value.replace("-", "_"): value for value in GROUPINGS}
)
SortBy = StrEnum("SortBy", {value: value for value in SORTS})  # type: ignore[misc]


class ScopeChoice(StrEnum):
    core = "core"
    all = "all"


DatedChoice = StrEnum("DatedChoice", {value: value for value in DATINGS})  # type: ignore[misc]


class CurrencyChoice(StrEnum):
    hkd = "hkd"
    usd = "usd"


def whole_number(value: str) -> int:
    """A whole number typed with the digits 0-9 (Python's int() would also take ٣ or ３)."""
    text = str(value).strip()
    if not text.isascii() or not text.isdigit():
        raise typer.BadParameter(f"`{value}` is not a whole number; type the digits 0-9")
    return int(text)


def count(value: str) -> int:
    """A whole number of at least 1, typed with the digits 0-9."""
    number = whole_number(value)
    if number < 1:
        raise typer.BadParameter(f"{number} is not in the range x>=1.")
    return number


def check_fiscal_year(value: str | None) -> str | None:
    if value is not None:
        problem = fiscal_year_problem(value)
        if problem:
            raise typer.BadParameter(problem)
    return value


# Shell completion reads the same data file the command would.
def _completion_data(ctx: typer.Context) -> "Dataset | None":
    from hkit_cli.reading import cache

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
    from hkit_cli.reports.report import counted_years

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
        "(any case; English matches whole words, and from four letters the start of a word).",
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


def say_nothing_found(dataset: "Dataset", filters: "Filters", what: str) -> None:
    """Say on stderr why a report is empty (an empty result is not an error)."""
    from hkit_cli.reports.tables.core import nothing_found

    message, hint = nothing_found(dataset, filters, what)
    typer.echo(f"hkit: {message}", err=True)
    if hint:
        typer.echo(f"hint: {hint}", err=True)


def select(dataset: "Dataset", filters: "Filters") -> "list[Selection]":
    from hkit_cli.reports.query import select

    return select(dataset, filters)


def output_path(value: str) -> Path:
    """An output file; `-` is standard output. A path ending in `/` names a folder, which
    Path() would silently turn into a file name."""
    if value != "-" and value.endswith(("/", "\\")):
        raise typer.BadParameter(f"`{value}` is a folder; give a file name, like {value}out.csv")
    return Path(value)


OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        parser=output_path,
        help="Write to this file instead of stdout (- is stdout).",
        show_default=False,
    ),
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")]

# Every option shared by commands, declared once: its parameter name, annotation and default.
# Commands take them by group (request_options), and receive them as one Request.
_SHARED: dict[str, tuple[Any, Any]] = {
    "sector": (SectorOpt, None),
    "year": (YearOpt, None),
    "status": (StatusOpt, None),
    "lead_body": (LeadBodyOpt, None),
    "search": (SearchOpt, None),
    "source_kind": (SourceKindOpt, None),
    "minimum": (MinOpt, None),
    "maximum": (MaxOpt, None),
    "form": (FormOpt, None),
    "scope": (ScopeOpt, ScopeChoice.core),
    "dated": (DatedOpt, DatedChoice("announced")),
    "currency": (CurrencyOpt, CurrencyChoice.hkd),
    "rate": (RateOpt, None),
    "any_rate": (AnyRateOpt, False),
    "format": (ReportFormatOpt, ReportFormat.table),
    "output": (OutputOpt, None),
    "force": (ForceOpt, False),
}
GROUPS = {
    # Filters that choose initiatives or allocations, and the scope counted.
    "filters": (*("sector", "year", "status", "lead_body", "search", "source_kind"), "minimum")
    + ("maximum", "form", "scope"),
    # Filters that choose initiatives only (timeline, figures).
    "initiatives": ("sector", "status", "lead_body", "search"),
    "dated": ("dated",),
    "scope": ("scope",),
    "money": ("currency", "rate", "any_rate"),
    "output": ("format", "output", "force"),
}


def request_options(*groups: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Give a command the shared options of ``groups``, declared once above, so that an option
    is spelt, documented and checked the same way in every command. The command receives
    them as one ``request`` (a Request) beside its own options; it must take ``ctx``."""
    names = [name for group in groups for name in GROUPS[group]]
    names = list(dict.fromkeys(names))

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        import functools
        import inspect

        signature = inspect.signature(command)
        own = [p for p in signature.parameters.values() if p.name != "request"]
        added = [
            inspect.Parameter(
                name,
                inspect.Parameter.KEYWORD_ONLY,
                default=_SHARED[name][1],
                annotation=_SHARED[name][0],
            )
            for name in names
        ]
        # typer passes every option by keyword: the shared ones go after the command's own
        # (its --help lists them after), before any keyword-only ones it has.
        positional = [p for p in own if p.kind is not inspect.Parameter.KEYWORD_ONLY]
        keyword = [p for p in own if p.kind is inspect.Parameter.KEYWORD_ONLY]

        @functools.wraps(command)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            shared = {name: kwargs.pop(name) for name in names if name in kwargs}
            kwargs["request"] = _request(kwargs.get("ctx") or args[0], shared)
            return command(*args, **kwargs)

        parameters = [*positional, *added, *keyword]
        wrapper.__signature__ = signature.replace(  # type: ignore[attr-defined]
            parameters=parameters
        )
        # typer reads the annotations too: those of the options, not the Request.
        wrapper.__annotations__ = {p.name: p.annotation for p in parameters}
        return wrapper

    return decorate


def _request(ctx: typer.Context, shared: dict[str, Any]) -> "Request":
    from hkit_cli.cli.base import lang_of
    from hkit_cli.reports.request import FILTERS, Request

    output = shared.get("output")
    if output is not None and str(output) == "-":
        output = None

    def plain(value: Any) -> Any:
        return value.value if isinstance(value, StrEnum) else value

    return Request(
        filters={k: shared[k] for k in FILTERS if k in shared},
        scope=plain(shared.get("scope", "core")),
        dated=plain(shared.get("dated", "announced")),
        currency=plain(shared.get("currency", "hkd")),
        rate=shared.get("rate"),
        any_rate=bool(shared.get("any_rate", False)),
        lang=lang_of(ctx),
        format=plain(shared.get("format", "table")),
        output=output,
        force=bool(shared.get("force", False)),
    )


def emit(result: "Report | Table", request: "Request") -> None:
    """Print or write a report as the request asks: its format, language and destination."""
    from hkit_cli.reports.tables import Report, single

    report = result if isinstance(result, Report) else single(result)
    for table in report.tables:
        table.lang = request.lang
        if table.grid is not None:
            table.grid.lang = request.lang
    if request.format == "table" and request.output is None:
        from hkit_cli.rendering import render

        render.show(report)  # the common case, which needs none of the export formats
        return
    from hkit_cli.rendering import export

    if request.format == "table":
        from hkit_cli.rendering import render

        text = render.text(report)
    elif request.format == "markdown":
        text = export.markdown_report(report)
    elif request.format == "csv":
        text = export.csv_table(report.primary)
    else:
        text = export.json_text(export.json_data(report))
    export.write_output(text, request.output, force=request.force)
    if request.output is not None:
        typer.echo(f"wrote {request.output}", err=True)
