"""The typer application: global options, reading the data, and the one place where project
errors become a message on stderr and an exit code (never a traceback).

Heavy modules (pydantic, yaml, the loader) are imported inside functions so that
``hkit --version`` and ``hkit --help`` start fast.
"""

import contextlib
import difflib
import errno
import functools
import gc
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from hkit_cli.domain.errors import DataError, HkitError, one_line
from hkit_cli.version import __version__

if TYPE_CHECKING:
    from hkit_cli.domain.records import Dataset

BUNDLED_DATA = Path(__file__).resolve().parent.parent / "data" / "initiatives.yaml"

try:  # typer 0.2x carries its own copy of click
    from typer._click import exceptions as click
except ImportError:  # pragma: no cover - older typer uses click itself
    from click import exceptions as click  # type: ignore[no-redef, import-not-found, unused-ignore]


class _UsageError(click.ClickException):
    """A usage error from option parsing, shown in hkit's one style for usage errors."""

    exit_code = 2

    def __init__(self, message: str, command: str) -> None:
        super().__init__(message)
        self.command = command

    def show(self, file: Any = None) -> None:
        typer.echo(f"hkit: error: {one_line(self.format_message())}", err=True)
        typer.echo(f"hint: `{self.command} --help` lists the options", err=True)


class _Group(typer.core.TyperGroup):
    """Turns click's "Usage: … Error: …" into `hkit: error: … / hint: …`, exit 2."""

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)
        except click.UsageError as exc:
            raise _restyled(exc) from None

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            raise _restyled(exc) from None

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        # Newer typer suggests a command for a typo, older typer does not: say it one way.
        name = args[0] if args else ""
        if name and not ctx.resilient_parsing and self.get_command(ctx, name) is None:
            close = difflib.get_close_matches(name, self.list_commands(ctx))
            message = f"no such command {name!r}."
            if close:
                message += f" Did you mean {', '.join(repr(c) for c in close)}?"
            raise _UsageError(message, ctx.command_path)
        return super().resolve_command(ctx, args)

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        # click 8.2 and newer write "[COMMAND]" here, older ones "COMMAND": say it one way.
        return ["[OPTIONS]", "COMMAND", "[ARGS]..."]


def _restyled(exc: Any) -> _UsageError:
    """A usage error in hkit's words, the same under every version of typer and click."""
    command = exc.ctx.command_path if exc.ctx is not None else "hkit"
    if isinstance(exc, click.NoSuchOption):
        # click 8.2 says "No such option '--x'. (Did you mean one of: …?)", typer's own copy
        # "No such option: --x (Possible options: …)"; both suggest close matches only.
        close = sorted(difflib.get_close_matches(exc.option_name, exc.possibilities or ()))
        message = f"no such option: {exc.option_name}"
        if close:
            message += f" (Possible options: {', '.join(close)})"
        return _UsageError(message, command)
    message = exc.format_message()
    return _UsageError(message[:1].lower() + message[1:] if message else message, command)


app = typer.Typer(
    name="hkit",
    cls=_Group,
    help="Hong Kong's public funding for innovation and technology: a cited, checked dataset.",
    invoke_without_command=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


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
        except OSError as exc:
            if exc.errno not in _WRITE_ERRORS:
                raise _internal(exc) from None
            # Files are written by the export layer, which reports its own errors: this is
            # the standard output (redirected to a full disk, say).
            _quiet_stdout()
            typer.echo(f"hkit: error: cannot write the output: {exc.strerror}", err=True)
            raise typer.Exit(1) from None
        except Exception as exc:  # a bug: say so plainly, unless asked for the traceback
            raise _internal(exc) from None

    return wrapper  # type: ignore[return-value]


# Errors of writing out (no space, over quota, an I/O error, a file too large), not bugs.
_WRITE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EFBIG}


def _internal(exc: Exception) -> typer.Exit:
    """A bug: say so plainly on one line, unless asked for the traceback (HKIT_DEBUG)."""
    if os.environ.get("HKIT_DEBUG"):
        raise exc
    typer.echo(
        f"hkit: internal error: {type(exc).__name__}: {exc} "
        "(set HKIT_DEBUG=1 to see the traceback)",
        err=True,
    )
    return typer.Exit(1)


def _fail(exc: HkitError) -> None:
    # A message may quote what the user typed: shown, like everything, without control codes.
    typer.echo(f"hkit: error: {one_line(exc.message)}", err=True)
    if exc.hint:
        typer.echo(f"hint: {one_line(exc.hint)}", err=True)
    raise typer.Exit(exc.exit_code)


def _quiet_stdout() -> None:
    # The reader went away (`hkit export | head`): stop writing without a traceback.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _version(value: bool) -> None:
    if value:
        typer.echo(f"hkit {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    data: Annotated[
        Path | None,
        typer.Option(
            "--data",
            envvar="HKIT_DATA",
            help="Data file to use instead of the bundled dataset.",
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
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            envvar="HKIT_LANG",
            help="en or zh: tables for people in English or Traditional Chinese (default: zh "
            "in a zh_HK, zh_TW or zh_MO locale, else en).",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Hong Kong's public funding for innovation and technology: a cited, checked dataset."""
    if ctx.invoked_subcommand is None:  # bare `hkit`: the help, which is not an error
        typer.echo(ctx.get_help())
        raise typer.Exit(0)
    if lang is None:
        lang = locale_lang(os.environ)
    if lang not in ("en", "zh"):
        raise click.UsageError(f"invalid value for '--lang': {lang!r} is not 'en' or 'zh'.", ctx)
    ctx.obj = {"data": data, "no_cache": no_cache, "lang": lang}


def locale_lang(environ: Any) -> str:
    """zh where the locale is Traditional Chinese (Hong Kong, Taiwan, Macao), else en; the
    first of LC_ALL, LC_MESSAGES and LANG that is set decides, as for gettext."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            return "zh" if value.split(".")[0] in ("zh_HK", "zh_TW", "zh_MO") else "en"
    return "en"


def lang_of(ctx: typer.Context) -> str:
    """The language of tables for people, from the global `--lang` (or HKIT_LANG)."""
    obj = ctx.find_root().obj or {}
    return str(obj.get("lang", "en"))


def data_path(ctx: typer.Context) -> Path:
    data = (ctx.obj or {}).get("data")
    return data if data is not None else BUNDLED_DATA


@contextlib.contextmanager
def reading() -> Iterator[None]:
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


# The dataset a command read, and what was built on the way to it, kept until the process
# ends: see main().
_read: list[object] = []


def load_data(ctx: typer.Context) -> "Dataset":
    from hkit_cli.reading import cache

    with reading():
        dataset = cache.load(
            data_path(ctx), use_cache=not (ctx.obj or {}).get("no_cache"), keep=_read
        )
    _read.append(dataset)
    return dataset


def main() -> None:
    """The `hkit` command: run, then end the process at once.

    Python would free every object of the dataset one by one on the way out, then tear down
    every module: tens of milliseconds for a large file, a few for any command. The operating
    system reclaims the memory anyway, so once the output is flushed the process just ends.
    """
    try:
        app()
        status = 0
    except BrokenPipeError:
        _quiet_stdout()
        status = 0
    except KeyboardInterrupt:
        status = 130
    except SystemExit as exc:
        status = _status(exc)
    _end(status)


def _status(exc: SystemExit) -> int:
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code
    print(exc.code, file=sys.stderr)  # as Python does for sys.exit("message")
    return 1


def _end(status: int) -> None:
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # the reader went away after the last write
        _quiet_stdout()
    except OSError as exc:  # a full disk, say: the output is incomplete
        print(f"hkit: error: cannot write the output: {exc.strerror or exc}", file=sys.stderr)
        status = status or 1
    with contextlib.suppress(OSError):
        sys.stderr.flush()
    os._exit(status)
