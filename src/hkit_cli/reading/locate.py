"""Where a path into the data is in the file (FILE:LINE:COL), and how the path reads."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from hkit_cli.domain import vocab
from hkit_cli.domain.errors import Name, Problem, format_path
from hkit_cli.reading.textfile import Lines
from hkit_cli.reading.yamlreader import Node, find


def at(lines: Lines, index: int | None) -> tuple[int | None, int | None]:
    """Line and column of a character offset, if there is one."""
    return lines.at(index) if index is not None else (None, None)


# The key that names the items of each list that has one, so a path reads
# `initiatives[ai-rd-institute].allocations[ai-rd-institute-setup].amount`, not indexes.
_NAMED_BY = {
    "sectors": "slug",
    "bodies": "id",
    "sources": "id",
    "initiatives": "id",
    "allocations": "id",
}


class Namer:
    """Formats a path into the data, naming each item by its id where the id is a valid slug
    used once in its list; other items keep their index."""

    def __init__(self, data: Any) -> None:
        self.data = data
        self._unique: dict[int, set[str]] = {}

    def __call__(self, loc: Iterable[Any]) -> str:
        return format_path(self.named(tuple(loc)))

    def named(self, loc: tuple[Any, ...]) -> tuple[Any, ...]:
        node = self.data
        out: list[Any] = []
        key: Any = None
        for part in loc:
            shown = part
            if isinstance(part, int) and isinstance(node, list) and 0 <= part < len(node):
                item = node[part]
                # Top-level lists and allocations; a citation list is also called `sources`.
                top = len(out) == 1
                name_key = _NAMED_BY.get(key) if top or key == "allocations" else None
                if name_key and isinstance(item, dict):
                    ident = item.get(name_key)
                    if isinstance(ident, str) and ident in self._ids(node, name_key):
                        shown = Name(ident)
                node = item
            elif isinstance(part, str) and isinstance(node, dict):
                node = node.get(part)
            else:
                node = None
            out.append(shown)
            key = part
        return tuple(out)

    def _ids(self, items: list[Any], name_key: str) -> set[str]:
        unique = self._unique.get(id(items))
        if unique is None:
            seen: dict[str, int] = {}
            for item in items:
                ident = item.get(name_key) if isinstance(item, dict) else None
                if isinstance(ident, str) and vocab.SLUG.match(ident):
                    seen[ident] = seen.get(ident, 0) + 1
            unique = {ident for ident, count in seen.items() if count == 1}
            self._unique[id(items)] = unique
        return unique


class Locator:
    """Finds the line and column of a value (or of its key) from its path in the data."""

    def __init__(self, file: str, root: Node | None, data: Any, lines: Lines, namer: Namer):
        self.file = file
        self.root = root
        self.data = data
        self.lines = lines
        self.namer = namer

    def problem(
        self,
        loc: Iterable[Any],
        message: str,
        hint: str = "",
        at_key: bool = False,
        level: str = "error",
    ) -> Problem:
        loc = tuple(loc)
        start = self._find(loc, at_key)
        line, column = self.lines.at(start) if start is not None else (1, 1)
        return Problem(self.file, message, line, column, self.namer(loc), hint, level)

    def line(self, loc: Iterable[Any]) -> int | None:
        """The line of the value at ``loc`` (or of its nearest ancestor)."""
        start = self._find(tuple(loc), at_key=False)
        return self.lines.at(start)[0] if start is not None else None

    def _find(self, loc: tuple[Any, ...], at_key: bool) -> int | None:
        """Where the value at ``loc`` starts (its key, if asked), or its nearest ancestor."""
        start, key_start = find(self.root, self.data, loc)
        return key_start if at_key and key_start is not None else start
