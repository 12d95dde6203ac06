"""Entry point for ``python -m hkit_cli``."""

from hkit_cli.cli import main

main()
