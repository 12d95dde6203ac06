"""The command line, the only place that imports typer: ``base`` holds the application and
its error handling, ``options`` the shared options, ``reports`` and ``data`` the commands."""

# Importing the command modules registers their commands; `hkit --help` lists them in this order.
from hkit_cli.cli import reports  # noqa: F401

# isort: split
from hkit_cli.cli import data  # noqa: F401
from hkit_cli.cli.base import BUNDLED_DATA, app, main
from hkit_cli.cli.options import GroupBy, ScopeChoice, SortBy

__all__ = ["BUNDLED_DATA", "GroupBy", "ScopeChoice", "SortBy", "app", "main"]
