"""The cross-record checks as a list of passes over the parsed records, each a function from
the shared index to its findings, run in order."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from hkit_cli.checks.findings import Finding, Index, LineOf, Parsed
from hkit_cli.checks.money import (
    double_counts,
    official_citations,
    official_hosts,
    parts_within_whole,
    repeats,
)
from hkit_cli.checks.prose import chinese_prose
from hkit_cli.checks.references import (
    alias_clashes,
    allocation_links,
    claim_rules,
    known_references,
    unique_allocation_ids,
    unique_ids,
    unique_names,
)

__all__ = ["ERRORS", "WARNINGS", "Finding", "Parsed", "check"]

Pass = Callable[[Index], Iterator[Finding]]

# The passes whose findings make a file unusable, in the order their findings are reported.
ERRORS: tuple[Pass, ...] = (
    unique_ids,
    unique_names,
    unique_allocation_ids,
    known_references,
    allocation_links,
    claim_rules,
    parts_within_whole,
    repeats,
    official_citations,
)

# The passes that can only warn: `hkit validate` runs them; loading skips them.
WARNINGS: tuple[Pass, ...] = (official_hosts, double_counts, alias_clashes, chinese_prose)


def check(
    parsed: Parsed, line_of: LineOf = lambda loc: None, warnings: bool = True
) -> list[Finding]:
    """Every cross-record problem in ``parsed``; ``line_of`` gives the line of a location,
    for messages that point at a second place in the file. ``warnings=False`` skips the
    passes that can only warn (loading needs the errors alone)."""
    index = Index.of(parsed, line_of)
    passes = ERRORS + WARNINGS if warnings else ERRORS
    return [finding for run in passes for finding in run(index)]
