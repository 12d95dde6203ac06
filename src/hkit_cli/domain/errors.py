"""Problems found in data and the exceptions that carry them to the command line."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from hkit_cli.domain.textrules import visible


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a data file, located as precisely as we can."""

    file: str
    message: str
    line: int | None = None
    column: int | None = None
    path: str = ""
    hint: str = ""
    # "error" stops the data from loading; "warning" is a likely mistake that does not
    # (a double count, a doubtful citation): `hkit validate` shows it, `--strict` fails on it.
    level: str = "error"

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        if self.level != "error":
            where += f": {self.level}"
        message = one_line(self.message)
        text = f"{where}: {one_line(self.path)}: {message}" if self.path else f"{where}: {message}"
        if self.hint:
            text += f" (hint: {one_line(self.hint)})"
        return text

    def as_dict(self) -> dict[str, object]:
        return {
            "level": self.level,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "message": self.message,
            "hint": self.hint or None,
        }


class HkitError(Exception):
    """An error a user can act on; the CLI prints it and exits with ``exit_code``."""

    exit_code = 1

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(HkitError):
    """A bad option value that only the data can judge (an unknown sector, say)."""

    exit_code = 2


class DataError(HkitError):
    """The data file could not be loaded; ``problems`` lists every problem found."""

    def __init__(self, file: str, problems: list[Problem]) -> None:
        count = sum(1 for problem in problems if problem.level == "error")
        noun = "problem" if count == 1 else "problems"
        warnings = len(problems) - count
        also = f" (and {warnings} warning{'s' if warnings > 1 else ''})" if warnings else ""
        # A file that is missing or unreadable has nothing to fix inside it.
        inside = any(problem.line is not None for problem in problems)
        super().__init__(
            f"{file}: {count} {noun} found{also}",
            hint="fix the data file, then run `hkit validate` to check it" if inside else "",
        )
        self.file = file
        self.problems = problems


def one_line(text: str) -> str:
    """``text`` with line breaks and invisible control characters escaped.

    Messages quote what is in the file; a key or value holding a line break (or a bidi
    override) must not split a problem over two lines or disguise what it says.
    """
    return visible(text)


class Name(str):
    """A list item named by its id in a path: ``initiatives[ai-rd-institute]``."""

    __slots__ = ()


def format_path(loc: Iterable[Any]) -> str:
    """``('initiatives', 3, 'amount')`` -> ``initiatives[3].amount``; a Name stands in brackets
    for the index of the item it names."""
    text = ""
    for part in loc:
        if isinstance(part, int | Name):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text
