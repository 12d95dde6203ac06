"""hkit: a cited, checked tracker of Hong Kong's public funding for innovation and technology.

The library (see docs/library.md)::

    import hkit_cli
    dataset = hkit_cli.load()                      # the bundled dataset
    table = hkit_cli.totals(dataset, by="year")    # the rows `hkit totals --by year` shows

Names are imported on first use, so that the `hkit` command starts fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hkit_cli.version import __version__ as __version__

__all__ = [
    "DataError",
    "HkitError",
    "UsageError",
    "allocations",
    "bodies",
    "claims",
    "compare",
    "coverage",
    "figures",
    "initiative",
    "initiatives",
    "load",
    "loads",
    "progress",
    "sectors",
    "sources",
    "timeline",
    "totals",
]

if TYPE_CHECKING:
    from hkit_cli.api import (
        allocations,
        bodies,
        claims,
        compare,
        coverage,
        figures,
        initiative,
        initiatives,
        load,
        loads,
        progress,
        sectors,
        sources,
        timeline,
        totals,
    )
    from hkit_cli.domain.errors import DataError, HkitError, UsageError


def __getattr__(name: str) -> Any:
    if name in ("DataError", "HkitError", "UsageError"):
        from hkit_cli.domain import errors

        return getattr(errors, name)
    if name in __all__:
        from hkit_cli import api

        return getattr(api, name)
    raise AttributeError(f"module 'hkit_cli' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*__all__, "__version__"])
