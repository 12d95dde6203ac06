"""What the cross-record checks work on and return: the records that passed the schema (and
those that failed it), and findings as values: a location, a message, a hint, a related place."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hkit_cli.domain.records import Body, Claim, Dataset, Initiative, Sector, Source
from hkit_cli.domain.vocab import suggest

Loc = tuple[Any, ...]

# The line of a location in the file, as the loader knows it (None where it does not).
LineOf = Callable[[Loc], int | None]


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem found by a rule: where it is (a path into the data), what, and a hint; where
    the problem has another half (the first of two duplicates), the message names its line."""

    loc: Loc
    message: str
    hint: str = ""
    level: str = "error"


@dataclass
class Parsed:
    """Records that passed the schema, each with its index in the file, and those that failed."""

    sectors: list[tuple[int, Sector]] = field(default_factory=list)
    bodies: list[tuple[int, Body]] = field(default_factory=list)
    sources: list[tuple[int, Source]] = field(default_factory=list)
    initiatives: list[tuple[int, Initiative]] = field(default_factory=list)
    claims: list[tuple[int, Claim]] = field(default_factory=list)
    # (kind, index, raw data) of records that failed the schema. Their ids still count as
    # defined (no "unknown source" for a source that merely has a bad date) and as taken (a
    # duplicate is found at once), and their references are still checked where readable.
    failed: list[tuple[str, int, Any]] = field(default_factory=list)
    # Kinds ("sector", "source", "allocation") whose ids may be incomplete because a list or
    # an id could not be read: a reference to one of them may well be right, so it is not
    # reported as unknown (the unreadable list or id is reported instead).
    unsure: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, dataset: Dataset) -> Parsed:
        return cls(
            list(enumerate(dataset.sectors)),
            list(enumerate(dataset.bodies)),
            list(enumerate(dataset.sources)),
            list(enumerate(dataset.initiatives)),
            list(enumerate(dataset.claims)),
        )

    def raw(self, kind: str) -> list[tuple[int, dict[str, Any]]]:
        return [(i, r) for k, i, r in self.failed if k == kind and isinstance(r, dict)]


def known_hint(value: str, known: set[str], what: str) -> str:
    close = suggest(value, sorted(known))
    if close:
        return f"did you mean `{close[0]}`?"
    if not known:
        return f"there are no {what} yet"
    listed = sorted(known)
    more = f", … ({len(listed)} in all)" if len(listed) > 12 else ""
    return f"known {what}: {', '.join(listed[:12])}{more}"
