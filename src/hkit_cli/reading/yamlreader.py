"""Plain data (dicts, lists, text) and located nodes from YAML text, read safely from events.

No alias is expanded, no tag constructed, nesting is bounded, and every anchor, alias,
duplicate key and control character is reported at its own position (the Composer).
`read_plain` is the quick path for a valid file: the same data without positions, giving up
(Unusual) wherever the Composer would report something.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import yaml
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

from hkit_cli.reading.textfile import Lines
from hkit_cli.reading.yamlerrors import MAX_DEPTH, Found, is_depth_limit, syntax_problem, too_deep

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

    print(
        "hkit: warning: PyYAML has no libyaml support; loading will be slower",
        file=sys.stderr,
    )

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


class _Stop(Exception):
    """Raised inside the event loop when reading further would be pointless or unsafe."""


class Unusual(Exception):
    """The quick reader met something only the full reader reports (or a syntax error)."""


def read_plain(text: str) -> Any:
    """The plain data of ``text`` (dicts, lists, text), read without positions; raises
    Unusual at anything the Composer would report, so the caller reads again with it.

    A valid data file needs no positions, and skipping them makes this the fast path of
    every command that loads data. It accepts exactly what the Composer accepts without a
    problem and builds the same data: anything else (an anchor, an alias, a tag, a duplicate
    or merge key, a list or mapping as a key, deep nesting, a second document, a syntax or
    encoding error) raises Unusual instead.
    """
    loader = _Loader(text)
    try:
        return _plain_events(loader.get_event)
    except yaml.YAMLError as exc:
        raise Unusual from exc
    finally:
        loader.dispose()


def _plain_events(next_event: Callable[[], Event | None]) -> Any:
    # The hot loop of every command: once per event, some 900,000 in a file of 10,000
    # initiatives, so a value is put into its parent inline, not by a helper.
    nulls = _NULLS
    scalar_tags = _ALLOWED_TAGS[ScalarEvent]
    parents: list[tuple[Any, bool, str | None]] = []
    top: Any = None  # the mapping or list being read; None at the top level
    is_map = False
    key: str | None = None  # in a mapping: the key whose value comes next (None: a key)
    root: Any = None
    documents = 0
    while True:
        # Any, not Event: each branch reads the attributes of the event class it tests.
        event: Any = next_event()
        kind = type(event)
        if kind is ScalarEvent:
            text = event.value
            if event.anchor is None and event.tag is None:
                # Only a plain null is "no value": "no", "0777" and a quoted "~" stay text.
                value = None if len(text) < 5 and text in nulls and not event.style else text
            elif event.anchor is None and event.tag in scalar_tags:
                value = text  # a harmless tag: a tagged null stays text, as in the Composer
            else:
                raise Unusual
            if is_map:
                if key is None:
                    if text in top or (text == "<<" and not event.style and event.tag is None):
                        raise Unusual  # a repeated key, or YAML's merge key
                    key = text
                else:
                    top[key] = value
                    key = None
            elif top is not None:
                top.append(value)
            else:
                root = value
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            if event.anchor is not None or (
                event.tag is not None and event.tag not in _ALLOWED_TAGS[kind]
            ):
                raise Unusual
            if (is_map and key is None) or len(parents) >= MAX_DEPTH:
                raise Unusual
            parents.append((top, is_map, key))
            is_map = kind is MappingStartEvent
            top, key = ({} if is_map else []), None
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            value = top
            top, is_map, key = parents.pop()
            if is_map:
                top[key] = value
                key = None
            elif top is not None:
                top.append(value)
            else:
                root = value
        elif kind is DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise Unusual
        elif kind is StreamEndEvent or event is None:
            return root
        elif kind is AliasEvent:
            raise Unusual


class MappingNode:
    """A mapping as read: where it starts, and each key's offset and value node."""

    __slots__ = ("start", "entries")

    def __init__(self, start: int) -> None:
        self.start = start
        self.entries: dict[str, tuple[int, Node]] = {}


class SequenceNode:
    """A sequence as read: where it starts, and its item nodes."""

    __slots__ = ("start", "items")

    def __init__(self, start: int) -> None:
        self.start = start
        self.items: list[Node] = []


# Where a value starts in the text (a character offset); for a scalar or an alias that is all
# a location needs, so it is kept as a bare int: a large file has hundreds of thousands.
Node = int | MappingNode | SequenceNode


def node_start(node: Node) -> int:
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
        self, node: MappingNode | SequenceNode, slot: object, quiet: bool, refused: bool
    ) -> None:
        self.node = node
        # The data (for the models) and the nodes (for locations) are filled side by side;
        # a frame uses the pair for its kind, the other pair stays empty.
        self.is_map = isinstance(node, MappingNode)
        self.values: dict[str, Any] = {}
        self.entries: dict[str, tuple[int, Node]] = {}
        self.listed: list[Any] = []
        self.items: list[Node] = []
        if isinstance(node, MappingNode):
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


def _index(event: Event) -> int:
    mark = event.start_mark
    return mark.index if mark is not None else 0


class Composer:
    """Builds located nodes and plain data (dicts, lists, text) from libyaml's events.

    Working from events rather than ``yaml.compose`` is what makes the loader safe: no alias is
    ever expanded (so no "billion laughs"), no tag is ever constructed, nesting is bounded
    before libyaml's recursive C composer could overflow the stack and kill the process, and
    every anchor, alias and duplicate key is seen at its own position. It is also faster,
    because no scalar goes through YAML 1.1's type resolution.
    """

    def __init__(self, text: str, lines: Lines, loader: type[Any] | None = None) -> None:
        self.text = text
        self.lines = lines
        # libyaml's parser unless told otherwise; tests pass PyYAML's pure-Python one.
        self._loader: type[Any] = loader or _Loader
        self.problems: list[Found] = []
        self.root: Node | None = None
        self.data: Any = None
        # Paths whose value was refused (an alias, a tag): the schema must not report them again.
        self.refused: set[tuple[Any, ...]] = set()
        self.fatal = False
        self._stack: list[_Frame] = []
        self._documents = 0

    def run(self) -> None:
        loader = self._loader(self.text)
        try:
            self._read(loader.get_event)
        except _Stop:
            self.fatal = True
        except yaml.MarkedYAMLError as exc:
            self.fatal = True
            if is_depth_limit(exc) and self._deep_again():
                return
            self.problems.append(syntax_problem(self.text, self.lines, exc))
        except yaml.reader.ReaderError as exc:
            self.fatal = True
            self.problems.append(self._reader_problem(exc))
        except yaml.YAMLError as exc:  # pragma: no cover - libyaml locates all it reports
            self.fatal = True
            self.problems.append((None, (), f"invalid YAML: {exc}", ""))
        finally:
            loader.dispose()

    def _deep_again(self) -> bool:
        """Read again with the pure-Python parser after libyaml refused deep nesting itself.

        libyaml (PyYAML 6.0.4 and newer) scans far ahead of the events, so on one long line of
        brackets its own limit refuses the text before hkit's smaller one is reached, at another
        place and in other words. The pure-Python parser has no such limit, so hkit's guard
        reports the problem where it always has. False if that reading ends any other way.
        """
        if self._loader is yaml.SafeLoader:
            return False
        again = Composer(self.text, self.lines, yaml.SafeLoader)
        try:
            again.run()
        except yaml.YAMLError:  # pragma: no cover - the reader refused what libyaml read
            return False
        if not again.problems or again.problems[-1][2] != too_deep(0)[2]:
            return False
        self.problems, self.refused = again.problems, again.refused
        self.root, self.data = again.root, again.data
        return True

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

    def _attach(self, node: Node, value: Any, refused: bool) -> None:
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
            parent.key, parent.key_start, parent.drop = None, node_start(node), True
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
            self.problems.append(too_deep(start))
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
        node = MappingNode(start) if isinstance(event, MappingStartEvent) else SequenceNode(start)
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

    def _reader_problem(self, exc: yaml.reader.ReaderError) -> Found:
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
