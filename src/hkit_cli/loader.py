"""Read a YAML data file into models, strictly, locating every problem at its file and line."""

from __future__ import annotations

import bisect
import difflib
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, BinaryIO

import yaml
from pydantic import BaseModel, ValidationError
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from hkit_cli import vocab
from hkit_cli.checks import LINE, Parsed, check
from hkit_cli.errors import DataError, Name, Problem, format_path
from hkit_cli.models import (
    Allocation,
    Body,
    Dataset,
    Initiative,
    Sector,
    Source,
    model_for_path,
)

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

    print(
        "hkit: warning: PyYAML has no libyaml support; loading will be slower",
        file=sys.stderr,
    )

MAX_BYTES = vocab.MAX_BYTES
# The dataset itself is 7 levels deep. libyaml's own composer recurses in C and crashes the
# process on a few thousand levels, so the nodes are built here, from events, with this limit.
MAX_DEPTH = 64

TOP_KEYS = "sectors, bodies, sources and initiatives"

_T = "tag:yaml.org,2002:"
# Explicit tags that only restate what the loader does anyway (every scalar is text); any
# other tag, python/... above all, is refused and its value never built.
_ALLOWED_TAGS: dict[type[Event], frozenset[str]] = {
    ScalarEvent: frozenset(("!", _T + "str")),
    MappingStartEvent: frozenset(("!", _T + "map")),
    SequenceStartEvent: frozenset(("!", _T + "seq")),
}
# Plain scalars that mean "no value"; every other scalar keeps its text whatever YAML 1.1 would
# make of it ("no", "0777", "2026-02-25"): the models decide what a value means.
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
# Characters YAML reads as line breaks although editors and `grep -n` do not.
_ODD_BREAKS = {"\x85": "U+0085 NEXT LINE", "\u2028": "U+2028 LINE SEPARATOR"}
_ODD_BREAKS["\u2029"] = "U+2029 PARAGRAPH SEPARATOR"


def load(path: Path) -> Dataset:
    """The dataset in ``path``; raises DataError listing every error if there is any.

    Warnings (likely mistakes that leave the data usable) are for `hkit validate` to show.
    """
    dataset, problems = validate(path)
    if dataset is None:
        raise DataError(str(path), [p for p in problems if p.level == "error"])
    return dataset


def validate(path: Path) -> tuple[Dataset | None, list[Problem]]:
    """Check ``path`` completely: the dataset (None if unusable) and every problem found.

    Never raises for anything in or about the file: every problem is returned, located.
    """
    file = str(path)
    text, problem = _read_text(path, file)
    if problem:
        return None, [problem]
    assert text is not None
    lines = Lines(text)
    composed = _Composer(text, lines)
    composed.run()
    namer = Namer(None if composed.fatal else composed.data)
    problems = [
        Problem(file, message, *_at(lines, index), namer(loc), hint)
        for index, loc, message, hint in composed.problems
    ]
    if composed.fatal:
        return None, problems
    locator = Locator(file, composed.root, lines, namer)
    data = composed.data
    if not isinstance(data, dict):
        if composed.root is None or (data is None and () not in composed.refused):
            problems.append(_empty(file, text, locator))
        elif () not in composed.refused:
            problems.append(
                locator.problem(
                    (),
                    f"the top level must be a mapping with the keys {TOP_KEYS}, "
                    f"not {_describe(data)}",
                )
            )
        return None, problems

    dataset: Dataset | None = None
    try:
        dataset = Dataset.model_validate(data)
    except ValidationError as exc:
        problems.extend(_schema_problems(locator, exc.errors(), composed.refused))
        parsed = _partial(data)
    else:
        parsed = Parsed.of(dataset)
    for finding in check(parsed):
        message, hint = finding.message, finding.hint
        if finding.related is not None:
            line = str(locator.problem(finding.related, "").line)
            message, hint = message.replace(LINE, line), hint.replace(LINE, line)
        problems.append(locator.problem(finding.loc, message, hint, level=finding.level))
    problems.sort(key=lambda p: (p.line or 0, p.column or 0))
    errors = any(p.level == "error" for p in problems)
    return (None if errors else dataset), problems


def _at(lines: Lines, index: int | None) -> tuple[int | None, int | None]:
    return lines.at(index) if index is not None else (None, None)


def _empty(file: str, text: str, locator: Locator) -> Problem:
    hint = f"it needs the keys {TOP_KEYS}; see CURATION.md"
    if any(line.strip() and not line.lstrip().startswith("#") for line in text.splitlines()):
        # The empty value sits after the `---`, often past the last line: point at the marker.
        marker = re.search(r"^(---|\.\.\.)", text, re.MULTILINE)
        line, column = locator.lines.at(marker.start()) if marker else (1, 1)
        return Problem(file, "the YAML document is empty", line, column, hint=hint)
    if text.strip():
        return Problem(file, "the file holds only comments", 1, 1, hint=hint)
    return Problem(file, "the file is empty", 1, 1, hint=hint)


def _read_text(path: Path, file: str) -> tuple[str | None, Problem | None]:
    try:
        if path.is_dir():
            return None, Problem(file, "is a directory, not a data file")
        with path.open("rb") as handle:
            raw = _read_limited(handle)
    except FileNotFoundError:
        return None, Problem(
            file,
            "file not found",
            hint="check the path given as FILE, with --data or in HKIT_DATA",
        )
    except PermissionError:
        return None, Problem(file, "cannot be read: permission denied")
    except OSError as exc:
        return None, Problem(file, f"cannot be read: {exc.strerror or exc}")
    if raw is None:
        return None, Problem(file, f"is larger than {MAX_BYTES // 2**20} MiB, too large to be read")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # Located by characters, as an editor counts them (a byte-order mark is no column).
        before = raw[: exc.start].decode("utf-8", "replace").removeprefix("\ufeff")
        line, column = Lines(before).at(len(before))
        hint = "save the file as UTF-8"
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            hint = "the file looks like UTF-16; save it as UTF-8"
        byte = raw[exc.start]
        return None, Problem(
            file, f"is not valid UTF-8 text (byte 0x{byte:02X})", line, column, hint=hint
        )
    nul = text.find("\x00")
    if nul >= 0:
        line, column = Lines(text).at(nul)
        return None, Problem(file, "contains a NUL byte; it is not a text file", line, column)
    return text, None


def _read_limited(handle: BinaryIO) -> bytes | None:
    """The bytes of ``handle``, or None if there are more than MAX_BYTES."""
    info = os.fstat(handle.fileno())
    if stat.S_ISREG(info.st_mode) and info.st_size > MAX_BYTES:
        return None
    # In pieces: a device or a pipe (`--data /dev/zero`) may never end, and one read of
    # MAX_BYTES would reserve that much memory for every file.
    chunks: list[bytes] = []
    size = 0
    while size <= MAX_BYTES:
        chunk = handle.read(min(2**20, MAX_BYTES + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks) if size <= MAX_BYTES else None


class Lines:
    """Line and column (from 1) of a character offset, counting lines as editors do."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._starts: list[int] | None = None

    def at(self, index: int) -> tuple[int, int]:
        if self._starts is None:
            # libyaml also breaks lines at U+0085, U+2028 and U+2029; counting only the breaks
            # an editor shows keeps every location where the user will look for it.
            self._starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", self._text)]
        line = bisect.bisect_right(self._starts, index)
        return line, index - self._starts[line - 1] + 1


class _Stop(Exception):
    """Raised inside the event loop when reading further would be pointless or unsafe."""


class _Mapping:
    """A mapping as read: where it starts, and each key's offset and value node."""

    __slots__ = ("start", "entries")

    def __init__(self, start: int) -> None:
        self.start = start
        self.entries: dict[str, tuple[int, _Node]] = {}


class _Sequence:
    """A sequence as read: where it starts, and its item nodes."""

    __slots__ = ("start", "items")

    def __init__(self, start: int) -> None:
        self.start = start
        self.items: list[_Node] = []


# Where a value starts in the text (a character offset); for a scalar or an alias that is all
# a location needs, so it is kept as a bare int: a large file has hundreds of thousands.
_Node = int | _Mapping | _Sequence


def _start(node: _Node) -> int:
    return node if isinstance(node, int) else node.start


class _Frame:
    """A mapping or sequence being read, and how to treat what comes next inside it."""

    __slots__ = (
        "node",
        "is_map",
        "values",
        "entries",
        "listed",
        "items",
        "slot",
        "quiet",
        "refused",
        "key",
        "key_start",
        "drop",
    )

    def __init__(
        self, node: _Mapping | _Sequence, slot: object, quiet: bool, refused: bool
    ) -> None:
        self.node = node
        # The data (for the models) and the nodes (for locations) are filled side by side;
        # a frame uses the pair for its kind, the other pair stays empty.
        self.is_map = isinstance(node, _Mapping)
        self.values: dict[str, Any] = {}
        self.entries: dict[str, tuple[int, _Node]] = {}
        self.listed: list[Any] = []
        self.items: list[_Node] = []
        if isinstance(node, _Mapping):
            self.entries = node.entries
        else:
            self.items = node.items
        self.slot = slot  # its key or index in the parent: the last part of its path
        self.quiet = quiet  # inside a refused value, whose contents are not reported again
        self.refused = refused  # refused itself (a tag, or used as a key): read, then dropped
        # A mapping alternates keys and values. While its value is read, ``key`` is the key
        # (None if the key was not text) and ``drop`` says if the key was refused.
        self.key: str | None = None
        self.key_start = -1  # -1 while a key is expected
        self.drop = False

    @property
    def data(self) -> dict[str, Any] | list[Any]:
        return self.values if self.is_map else self.listed


# A problem found while composing: character offset, path into the data, message, hint.
_Found = tuple[int | None, tuple[Any, ...], str, str]


def _index(event: Event) -> int:
    mark = event.start_mark
    return mark.index if mark is not None else 0


class _Composer:
    """Builds located nodes and plain data (dicts, lists, text) from libyaml's events.

    Working from events rather than ``yaml.compose`` is what makes the loader safe: no alias is
    ever expanded (so no "billion laughs"), no tag is ever constructed, nesting is bounded
    before libyaml's recursive C composer could overflow the stack and kill the process, and
    every anchor, alias and duplicate key is seen at its own position. It is also faster,
    because no scalar goes through YAML 1.1's type resolution.
    """

    def __init__(self, text: str, lines: Lines) -> None:
        self.text = text
        self.lines = lines
        self.problems: list[_Found] = []
        self.root: _Node | None = None
        self.data: Any = None
        # Paths whose value was refused (an alias, a tag): the schema must not report them again.
        self.refused: set[tuple[Any, ...]] = set()
        self.fatal = False
        self._stack: list[_Frame] = []
        self._documents = 0

    def run(self) -> None:
        loader = _Loader(self.text)
        try:
            self._read(loader.get_event)
        except _Stop:
            self.fatal = True
        except yaml.MarkedYAMLError as exc:
            self.fatal = True
            self.problems.append(_syntax_problem(self.text, self.lines, exc))
        except yaml.reader.ReaderError as exc:
            self.fatal = True
            self.problems.append(self._reader_problem(exc))
        except yaml.YAMLError as exc:  # pragma: no cover - libyaml locates all it reports
            self.fatal = True
            self.problems.append((None, (), f"invalid YAML: {exc}", ""))
        finally:
            loader.dispose()

    def _read(self, next_event: Callable[[], Event | None]) -> None:
        # The hot loop of every command: one pass over hundreds of thousands of events in a
        # large file, so the common case (a plain scalar) is handled inline.
        stack = self._stack
        nulls = _NULLS
        while True:
            event = next_event()
            if isinstance(event, ScalarEvent):
                mark = event.start_mark
                start = mark.index if mark is not None else 0
                text = event.value
                value: str | None = text
                refused = False
                if event.anchor is not None or event.tag is not None:
                    refused = not self._properties(event)
                    if refused:
                        value = None
                elif not event.style and text in nulls:
                    value = None  # only a plain null is "no value": "no" and "0777" stay text
                parent = stack[-1] if stack else None
                if parent is None:
                    self._attach(start, value, refused)
                elif not parent.is_map:
                    if refused:
                        self._attach(start, value, refused)
                    else:
                        parent.listed.append(value)
                        parent.items.append(start)
                elif parent.key_start < 0:
                    if refused or text in parent.entries or text == "<<":
                        self._key(parent, text, start, refused)
                    else:
                        parent.key, parent.key_start = text, start
                elif refused or parent.drop or parent.key is None:
                    self._attach(start, value, refused)
                else:
                    parent.values[parent.key] = value
                    parent.entries[parent.key] = (parent.key_start, start)
                    parent.key, parent.key_start = None, -1
            elif isinstance(event, (MappingStartEvent, SequenceStartEvent)):
                self._open(event)
            elif isinstance(event, (MappingEndEvent, SequenceEndEvent)):
                frame = stack.pop()
                self._attach(frame.node, None if frame.refused else frame.data, frame.refused)
            elif isinstance(event, AliasEvent):
                if not self._quiet():
                    self._report(
                        _index(event),
                        self._path(),
                        f"aliases (`*{event.anchor}`) are not allowed",
                        "write the value out in full; if it is text, put it in quotes",
                    )
                self._attach(_index(event), None, True)
            elif isinstance(event, DocumentStartEvent):
                self._documents += 1
                if self._documents > 1:
                    self._report(
                        _index(event),
                        (),
                        "the file holds more than one YAML document",
                        "remove the `---` line, or merge what follows it into the document above",
                    )
                    raise _Stop
            elif event is None or isinstance(event, StreamEndEvent):
                return

    def _attach(self, node: _Node, value: Any, refused: bool) -> None:
        """Put a value that has been read into its parent (or make it the root)."""
        stack = self._stack
        if not stack:
            self.root, self.data = node, value
            if refused:
                self.refused.add(())
            return
        parent = stack[-1]
        if not parent.is_map:
            if refused:
                self.refused.add(self._path())
            parent.listed.append(value)
            parent.items.append(node)
            return
        if parent.key_start < 0:
            # A list, a mapping or an alias where a key should be: already reported.
            parent.key, parent.key_start, parent.drop = None, _start(node), True
            return
        key = parent.key
        if not parent.drop and key is not None:
            if refused:
                self.refused.add(self._path())
            parent.values[key] = value
            parent.entries[key] = (parent.key_start, node)
        parent.key, parent.key_start, parent.drop = None, -1, False

    def _key(self, parent: _Frame, key: str, start: int, refused: bool) -> None:
        """Take ``key`` as the next key of ``parent``, unless it must be refused."""
        parent.key, parent.key_start, parent.drop = key, start, refused
        if refused:
            return
        first = parent.entries.get(key)
        if first is not None:
            parent.drop = True
            if not parent.quiet:
                line, _ = self.lines.at(first[0])
                where = (
                    "earlier on this line" if line == self.lines.at(start)[0] else f"at line {line}"
                )
                self._report(
                    start,
                    self._path(key),
                    f"duplicate key `{key}`: it is already set {where}",
                    "keep one of them; YAML would silently use the last",
                )
        elif key == "<<" and self.text.startswith("<<", start):
            # Only a plain << is YAML's merge key; a quoted "<<" is an ordinary (unknown) key.
            parent.drop = True
            if not parent.quiet:
                self._report(
                    start, self._path(key), "merge keys (<<) are not allowed", "write every key out"
                )

    def _path(self, key: object = None) -> tuple[Any, ...]:
        """The path of the node being read (or of ``key`` in the mapping being read)."""
        if not self._stack:
            return ()
        path = tuple(frame.slot for frame in self._stack[1:])
        return (*path, self._next_slot() if key is None else key)

    def _next_slot(self) -> object:
        parent = self._stack[-1]
        if not parent.is_map:
            return len(parent.listed)
        return parent.key if parent.key_start >= 0 and parent.key is not None else "?"

    def _quiet(self) -> bool:
        if not self._stack:
            return False
        parent = self._stack[-1]
        return parent.quiet or (parent.drop and parent.key_start >= 0)

    def _open(self, event: MappingStartEvent | SequenceStartEvent) -> None:
        stack = self._stack
        start = _index(event)
        if len(stack) >= MAX_DEPTH:
            self._report(
                start,
                (),
                f"the data is nested more than {MAX_DEPTH} levels deep",
                "a data file needs about 7 levels; look for unclosed [ or {",
            )
            raise _Stop
        refused = False
        if event.anchor is not None or event.tag is not None:
            refused = not self._properties(event)
        slot: object = None
        if stack:
            parent = stack[-1]
            if not parent.is_map:
                slot = len(parent.listed)
            elif parent.key_start < 0:
                # A list or a mapping where a key should be: read it, then refuse it.
                if not refused and not parent.quiet:
                    self._report(
                        start,
                        self._path()[:-1],
                        "a key must be plain text, not a list or a mapping",
                        "check the indentation and the colons on this line",
                    )
                refused, slot = True, "?"
            else:
                slot = parent.key if parent.key is not None else "?"
        quiet = self._quiet() or refused
        node = _Mapping(start) if isinstance(event, MappingStartEvent) else _Sequence(start)
        stack.append(_Frame(node, slot, quiet, refused))

    def _properties(self, event: ScalarEvent | MappingStartEvent | SequenceStartEvent) -> bool:
        """Report an anchor or a tag on ``event``; False if its value must be refused."""
        quiet = self._quiet()
        parent = self._stack[-1] if self._stack else None
        is_key = parent is not None and parent.is_map and parent.key_start < 0
        if is_key and isinstance(event, ScalarEvent):
            path = self._path(event.value)
        else:
            path = self._path()
        if event.anchor is not None and not quiet:
            self._report(
                _index(event),
                path,
                f"anchors (`&{event.anchor}`) are not allowed",
                "write the value out in full wherever it is needed",
            )
        tag = event.tag
        if tag is None or tag in _ALLOWED_TAGS[type(event)]:
            return True
        if not quiet:
            shown = "!!" + tag.removeprefix(_T) if tag.startswith(_T) else tag
            self._report(
                _index(event),
                path,
                f"the tag `{shown}` is not allowed",
                "remove the tag; if the `!` is part of the text, put the value in quotes",
            )
        return False

    def _report(self, start: int, path: tuple[Any, ...], message: str, hint: str) -> None:
        self.problems.append((start, path, message, hint))

    def _reader_problem(self, exc: yaml.reader.ReaderError) -> _Found:
        # libyaml gives the offset in UTF-8 bytes; turn it into a character offset.
        offset = len(self.text.encode("utf-8")[: exc.position].decode("utf-8", "ignore"))
        char = exc.character
        code = f"U+{char:04X}" if isinstance(char, int) else repr(char)
        return (
            offset,
            (),
            f"contains the control character {code}, which YAML does not allow",
            "delete it; it is invisible in most editors and often comes from copy and paste",
        )


# libyaml's words for where it was, said the way a curator thinks of the file.
_CONTEXTS = {
    "while parsing a block collection": "in the list that starts at line %d",
    "while parsing a block mapping": "in the mapping that starts at line %d",
    "while parsing a flow sequence": "in the [ ] list that starts at line %d",
    "while parsing a flow mapping": "in the { } mapping that starts at line %d",
    "while scanning a quoted scalar": "in the quoted text that starts at line %d",
}


def _syntax_problem(text: str, lines: Lines, exc: yaml.MarkedYAMLError) -> _Found:
    """A located, plain-words version of a libyaml syntax error, with a hint where one helps."""
    problem = str(exc.problem or "")
    context = str(exc.context or "")
    mark = exc.problem_mark or exc.context_mark
    index = mark.index if mark is not None else 0
    # Where the file ends inside quotes or a key lacks its colon, the line to fix is where the
    # construct began, not where libyaml gave up.
    if exc.context_mark is not None and (
        problem.startswith("found unexpected end of stream")
        or problem == "could not find expected ':'"
        or "scanning an anchor" in context
        or "scanning an alias" in context
    ):
        index = exc.context_mark.index
    # An invisible break character is the real cause of whatever libyaml says next to it.
    start = text.rfind("\n", 0, max(0, text.rfind("\n", 0, index))) + 1
    end = text.find("\n", index)
    near = text[start : end if end >= 0 else len(text)]
    for char, name in _ODD_BREAKS.items():
        at = near.find(char)
        if at >= 0:
            return (
                start + at,
                (),
                f"invalid YAML: this text holds {name}, which YAML reads as a line break",
                "delete it; it is invisible in most editors",
            )
    what, hint = _syntax_words(text, index, problem, context, text[index : index + 1])
    if what == "unexpected `key:` here":
        # Point at the over-indented key itself, not at its colon.
        line_start = text.rfind("\n", 0, index) + 1
        before = text[line_start:index]
        index = line_start + len(before) - len(before.lstrip())
    where = ""
    if context in _CONTEXTS and exc.context_mark is not None:
        line, _ = lines.at(exc.context_mark.index)
        if line != lines.at(index)[0]:
            where = " (" + _CONTEXTS[context] % line + ")"
    return index, (), f"invalid YAML: {what}{where}", hint


def _syntax_words(text: str, index: int, problem: str, context: str, char: str) -> tuple[str, str]:
    if problem.startswith("found character that cannot start any token"):
        if char == "\t":
            return "a tab is used for indentation", "indent with spaces; YAML does not allow tabs"
        return f"a value cannot start with `{char}`", "put the value in quotes"
    if problem.startswith("found a tab character"):
        return "a tab is used for indentation", "indent with spaces; YAML does not allow tabs"
    if problem == "did not find expected comment or line break":
        return (
            "unexpected text after a value",
            "put the whole value in quotes; a comment starts with a space and #",
        )
    if problem == "did not find expected node content":
        return "a value is missing here", "look for a stray comma, colon, dash or bracket"
    if problem == "found unexpected document indicator":
        return (
            "a line inside quoted text starts with --- or ...",
            "indent that line, or put the text in a block with |",
        )
    if problem.startswith("mapping values are not allowed"):
        line_start = text.rfind("\n", 0, index) + 1
        if ": " not in text[line_start:index] and text[line_start:index].strip():
            return (
                "unexpected `key:` here",
                "check the indentation: this key is indented more than the keys above it",
            )
        return "unexpected `:` inside a value", 'a value that contains ": " must be put in quotes'
    if problem == "could not find expected ':'":
        return "a key without a `:`", "write a key as `name: value`, with a colon and a space"
    if problem.startswith("found unexpected end of stream"):
        return "a quote is opened here and never closed", "close the quote"
    if problem.startswith("found unknown escape character"):
        return (
            "an unknown escape in double-quoted text",
            "in double quotes a backslash starts an escape; use single quotes instead",
        )
    if "scanning an anchor" in context or "scanning an alias" in context:
        return (
            f"`{char}` starts an {'anchor' if char == '&' else 'alias'} here",
            "a value that starts with & or * must be put in quotes",
        )
    if "tag" in problem or "tag" in context:
        return "an unknown tag", "a value that starts with ! must be put in quotes"
    if problem == "did not find expected key":
        return (
            "expected a key at this indentation",
            "check the indentation: this line must line up with the keys above it",
        )
    if problem == "did not find expected '-' indicator":
        return (
            "expected a `- ` item at this indentation",
            "check the indentation: this line must line up with the items above it",
        )
    if problem.startswith("did not find expected ','"):
        closing = problem[-2]
        return (
            f"expected `,` or `{closing}`",
            "items in [ ] and { } are separated by commas, and every bracket must be closed",
        )
    if problem.startswith("block sequence entries are not allowed"):
        return "a `- ` item cannot start here", "put each `- ` item on its own line, under its key"
    if problem == "did not find expected <document start>":
        return (
            "unexpected text after the data",
            "check the indentation, brackets and quotes on this line",
        )
    if problem == "found incompatible YAML document":
        return "the %YAML line asks for an unknown YAML version", "remove the %YAML line"
    return problem or "the YAML cannot be read", ""


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

    def __init__(self, file: str, root: _Node | None, lines: Lines, namer: Namer) -> None:
        self.file = file
        self.root = root
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

    def _find(self, loc: tuple[Any, ...], at_key: bool) -> int | None:
        """Where the value at ``loc`` starts (its key, if asked), or its nearest ancestor."""
        node = self.root
        if node is None:
            return None
        key_start: int | None = None
        for part in loc:
            key_start = None
            if isinstance(node, _Mapping) and isinstance(part, str) and part in node.entries:
                key_start, node = node.entries[part]
            elif (
                isinstance(node, _Sequence)
                and isinstance(part, int)
                and 0 <= part < len(node.items)
            ):
                node = node.items[part]
            else:
                return _start(node)
        return key_start if at_key and key_start is not None else _start(node)


def _schema_problems(
    locator: Locator, errors: list[Any], refused: set[tuple[Any, ...]]
) -> list[Problem]:
    problems = []
    # A misspelt key (`ammount`) also makes the real one missing: report only the misspelling.
    misspelt = set()
    for error in errors:
        if error["type"] == "extra_forbidden":
            loc = tuple(error["loc"])
            close = _close_key(loc)
            if close:
                misspelt.add((*loc[:-1], close))
    # The keys missing from one record are named together, at the record.
    missing: dict[tuple[Any, ...], list[str]] = {}
    for error in errors:
        loc = tuple(error["loc"])
        if error["type"] == "missing" and loc in misspelt:
            continue
        # A refused value (an alias, a tag) was reported where it was read.
        if any(loc[: len(r)] == r for r in refused):
            continue
        if error["type"] == "missing":
            missing.setdefault(loc[:-1], []).append(str(loc[-1]))
            continue
        message, hint, at_key = _explain(error, loc)
        if message.startswith("the amount says"):
            # Raised for the whole allocation, but it is the qualifier line that contradicts.
            loc = (*loc, "qualifier")
        problems.append(locator.problem(loc, message, hint, at_key=at_key))
    for record, keys in missing.items():
        names = [f"`{key}`" for key in keys]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        message = f"missing required key{'s' if len(names) > 1 else ''} {listed}"
        hint = f"a data file has the keys {TOP_KEYS}" if not record else ""
        problems.append(locator.problem(record, message, hint))
    return problems


def _explain(error: Any, loc: tuple[Any, ...]) -> tuple[str, str, bool]:
    kind, value = error["type"], error.get("input")
    field = loc[-1] if loc else ""
    if kind == "extra_forbidden":
        meant = _close_key(loc)
        model = model_for_path(loc[:-1])
        known = ", ".join(model.model_fields) if model else ""
        hint = f"did you mean `{meant}`?" if meant else f"allowed keys: {known}"
        return f"unknown key `{field}`", hint, True
    if kind == "string_type":
        if value is None:
            return "is empty; expected text", "", False
        return f"expected text, got {_describe(value)}", _text_hint(value), False
    if kind == "list_type":
        if value is None:
            return "is empty; expected a list", "write it as [a, b] or as `- a` lines", False
        return (
            f"expected a list, got {_describe(value)}",
            "write it as [a, b] or as `- a` lines",
            False,
        )
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        if value is None:
            return "is empty; expected a mapping of keys to values", "", False
        hint = ""
        if isinstance(field, int) and len(loc) >= 2 and loc[-2] == "sources":
            hint = "a citation is a source id, or {id: <source id>, locator: <where>}"
        return f"expected a mapping of keys to values, got {_describe(value)}", hint, False
    if kind == "literal_error":
        allowed = re.findall(r"'([^']*)'", error.get("ctx", {}).get("expected", ""))
        if not isinstance(value, str):
            got = "is empty" if value is None else f"got {_describe(value)}"
            return f"{got}; expected one of: {', '.join(allowed)}", "", False
        close = difflib.get_close_matches(value, allowed, n=1)
        hint = f"did you mean `{close[0]}`?" if close else ""
        return f"`{value}` is not one of: {', '.join(allowed)}", hint, False
    if kind == "too_short":
        if loc in (("sources",), ("sectors",)):
            return f"needs at least one {str(field)[:-1]}", "", False
        if loc == ("bodies",):
            return "needs at least one body", "", False
        if field == "sources":
            return "needs at least one source", "cite a source id from the sources list", False
        return "must not be empty", "", False
    message = str(error["msg"]).removeprefix("Value error, ")
    return message, "", False


def _close_key(loc: tuple[Any, ...]) -> str | None:
    """The allowed key that the unknown key at the end of ``loc`` was probably meant to be."""
    model = model_for_path(loc[:-1])
    return _meant(str(loc[-1]), model) if model is not None and loc else None


def _meant(typed: str, model: type[BaseModel]) -> str | None:
    known = list(model.model_fields)
    same = [k for k in known if k == typed.strip().casefold()]
    close = same or difflib.get_close_matches(typed, known, n=1)
    return close[0] if close else None


def _text_hint(value: object) -> str:
    if isinstance(value, list):
        return "write a single value, without [ ] or `- `"
    if isinstance(value, dict):
        return 'if the text contains ": ", put it in quotes'
    return ""


def _describe(value: object) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    text = str(value)
    return f"`{text[:60]}…`" if len(text) > 60 else f"`{text}`"


def _partial(data: dict[str, Any]) -> Parsed:
    """The records that validate on their own, so cross-record checks can still run."""
    parsed = Parsed()
    for kind, name in (("sector", "sectors"), ("body", "bodies"), ("source", "sources")):
        raw_list = data.get(name)
        if not isinstance(raw_list, list) or not raw_list:
            parsed.unsure.add(kind)
    registries: list[tuple[str, str, str, type[BaseModel], list[Any]]] = [
        ("sector", "sectors", "slug", Sector, parsed.sectors),
        ("body", "bodies", "id", Body, parsed.bodies),
        ("source", "sources", "id", Source, parsed.sources),
    ]
    for kind, name, key, model, valid in registries:
        for index, raw in enumerate(_list(data.get(name))):
            try:
                valid.append((index, model.model_validate(raw)))
            except ValidationError:
                raw, known = _with_id(raw, key, model)
                parsed.failed.append((kind, index, raw))
                if not known:
                    parsed.unsure.add(kind)
    initiatives = data.get("initiatives")
    if initiatives is not None and not isinstance(initiatives, list):
        parsed.unsure.add("allocation")
    for index, raw in enumerate(_list(initiatives)):
        try:
            parsed.initiatives.append((index, Initiative.model_validate(raw)))
        except ValidationError:
            allocations = raw.get("allocations", []) if isinstance(raw, dict) else None
            if isinstance(raw, dict) and isinstance(allocations, list):
                with_ids = [_with_id(a, "id", Allocation) for a in allocations]
                raw = {**raw, "allocations": [a for a, _ in with_ids]}
                if not all(known for _, known in with_ids):
                    parsed.unsure.add("allocation")
            else:
                parsed.unsure.add("allocation")
            parsed.failed.append(("initiative", index, raw))
    return parsed


def _with_id(raw: object, key: str, model: type[BaseModel]) -> tuple[object, bool]:
    """``raw`` with its id under ``key`` (found under a misspelt key if need be), and whether
    it has one: `ID: budget-2025` still defines `budget-2025` for the cross-record checks."""
    if not isinstance(raw, dict):
        return raw, False
    if _has_text(raw, key):
        return raw, True
    for typed, value in raw.items():
        if typed not in model.model_fields and isinstance(value, str) and value.strip():
            if _meant(typed, model) == key:
                return {**raw, key: value}, True
    return raw, False


def _has_text(raw: dict[str, Any], key: str) -> bool:
    value = raw.get(key)
    return isinstance(value, str) and bool(value.strip())


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []
