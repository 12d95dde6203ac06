"""Entry point for ``python -m hkit_cli``: the same as the `hkit` command."""

from hkit_cli.cli.entry import main

main()
