"""The `hkit` command: start reading the data file, then build the command line and run it.

Importing typer and rich takes longer than reading and hashing even a large data file, and
reading and hashing release the interpreter's lock; so the file the command will read is read
and hashed on a second thread meanwhile (cache.prefetch), and a cache hit finds the work done.
The guess below only saves time: the command line parsed by typer decides what is read, and a
wrong guess is ignored.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

# Global options that take a value, as `--data FILE` or `--data=FILE`.
_VALUED = ("--data", "--lang")
# Commands that read no data through the cache: nothing to start for them.
_WITHOUT_CACHE = ("validate",)


def main() -> None:
    path = data_file(sys.argv[1:], os.environ)
    if path is not None:
        from hkit_cli.reading import cache

        if cache.enabled():
            cache.prefetch(path)
    from hkit_cli.cli import main as run

    run()


def data_file(args: list[str], environ: Mapping[str, str]) -> Path | None:
    """The data file a command line will read through the cache, or None if it reads none
    (help, the version, `validate`, `--no-cache`) or the line is not understood."""
    data = environ.get("HKIT_DATA") or None
    words = iter(args)
    for word in words:
        if word in ("--no-cache", "--help", "-h", "--version"):
            return None
        if word in _VALUED:
            value = next(words, None)
            if value is None:
                return None
            if word == "--data":
                data = value
        elif word.startswith("--data="):
            data = word.removeprefix("--data=")
        elif word.startswith("-"):
            continue  # --lang=zh, or an option typer will refuse
        else:
            if word in _WITHOUT_CACHE or "--help" in args or "-h" in args:
                return None
            if data:
                return Path(data)
            from hkit_cli.reading.cache import BUNDLED

            return BUNDLED
    return None
