"""Plain data (dicts, lists, text) from YAML text, with where each value is, read safely and
once from libyaml's events.

No alias is expanded, no tag constructed, nesting is bounded, and every anchor, alias,
duplicate key and control character is reported at its own position.
"""

from __future__ import annotations

import sys
from array import array
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

# Where a value starts in the text, as a character offset. A scalar (or an alias) is a bare
# int. A mapping or a list is a list of ints and nodes: its own start, then, for a list, one
# node per item and, for a mapping, the key's start and the value's node for each entry, in
# the order of the entries of its data. Nodes are built only when a problem is to be located.
Node = int | list[Any]


class _Drop:
    """In place of a key: the value that comes next is read, reported on, and dropped."""

    def __repr__(self) -> str:
        return "<dropped>"


DROP: Any = _Drop()

# A container being read, as kept while one inside it is read: its data (None at the top
# level), whether it is a mapping, the key whose value is being read (None while a key is
# expected, DROP while a value is dropped), whether problems inside it are left unreported
# (inside a value that is itself refused or dropped), and the number of its opening event.
_Frame = tuple[Any, bool, Any, bool, int]


def node_start(node: Node) -> int:
    return node if isinstance(node, int) else node[0]


def find(root: Node | None, data: Any, loc: tuple[Any, ...]) -> tuple[int | None, int | None]:
    """Where the value at ``loc`` starts, and where its key starts (None for a list item or
    the top); at the nearest ancestor if ``loc`` goes where the data does not."""
    if root is None:
        return None, None
    node: Node = root
    key_start: int | None = None
    for part in loc:
        key_start = None
        if isinstance(node, list) and isinstance(data, dict) and isinstance(part, str):
            if part not in data:
                break
            index = 1 + 2 * next(i for i, key in enumerate(data) if key == part)
            key_start, node, data = node[index], node[index + 1], data[part]
        elif isinstance(node, list) and isinstance(data, list) and isinstance(part, int):
            if not 0 <= part < len(data):
                break
            node, data = node[1 + part], data[part]
        else:
            break
    else:
        return node_start(node), key_start
    return node_start(node), None


class _Stop(Exception):
    """Raised inside the event loop when reading further would be pointless or unsafe."""


class Composer:
    """Plain data (dicts, lists, text) from one pass over libyaml's events, with every problem
    of YAML itself located, and where every value starts.

    Working from events rather than ``yaml.compose`` is what makes the loader safe: no alias is
    ever expanded (so no "billion laughs"), no tag is ever constructed, nesting is bounded
    before libyaml's recursive C composer could overflow the stack and kill the process, and
    every anchor, alias and duplicate key is seen at its own position. It is also faster,
    because no scalar goes through YAML 1.1's type resolution.

    A refused value (an alias, a disallowed tag) reads as None and its path is kept in
    ``refused``; a value whose key is refused or repeated is dropped, and the first one kept.

    Positions cost little while reading: the start of every scalar, alias, mapping and list
    goes into one array, in the order read, with the spans of events that left no data behind
    (a dropped entry, a refused mapping or list). ``root``, the node of every value, is built
    from that and the data only when asked for, which is only when a problem is located.
    """

    def __init__(self, text: str, lines: Lines | None = None, loader: type[Any] | None = None):
        self.text = text
        self._lines = lines
        # libyaml's parser unless told otherwise; tests pass PyYAML's pure-Python one.
        self._loader: type[Any] = loader or _Loader
        self.problems: list[Found] = []
        self.data: Any = None
        # Paths whose value was refused (an alias, a tag): the schema must not report them again.
        self.refused: set[tuple[Any, ...]] = set()
        self.fatal = False
        self._starts = array("q")  # the start of each scalar, alias, mapping and list, in order
        self._read_top = False  # whether a top-level value was read
        # Events read but not in the data, by the number of their first event: a dropped entry
        # (from its key to the end of its value) and a refused mapping or list, each to the
        # number of the first event after it.
        self._drops: dict[int, int] = {}
        self._spans: dict[int, int] = {}
        self._refused_at: set[int] = set()  # opening events of refused mappings and lists
        self._drop_from: dict[int, int] = {}  # by depth: where the entry being dropped began
        self._root: Node | None = None

    @property
    def lines(self) -> Lines:
        if self._lines is None:
            self._lines = Lines(self.text)
        return self._lines

    @property
    def root(self) -> Node | None:
        """The node of the top-level value (None if there is none)."""
        if self._root is None and self._read_top:
            self._root = self._node(self.data, 0)[0]
        return self._root

    def _node(self, data: Any, at: int) -> tuple[Node, int]:
        """The node of ``data``, whose first event is number ``at``, and the number of the
        first event after it."""
        starts, drops = self._starts, self._drops
        if at in self._spans:
            return starts[at], self._spans[at]
        if isinstance(data, dict):
            node: list[Any] = [starts[at]]
            at += 1
            for value in data.values():
                while at in drops:
                    at = drops[at]
                node.append(starts[at])
                child, at = self._node(value, at + 1)
                node.append(child)
            while at in drops:
                at = drops[at]
            return node, at
        if isinstance(data, list):
            node = [starts[at]]
            at += 1
            for item in data:
                child, at = self._node(item, at)
                node.append(child)
            return node, at
        return starts[at], at + 1

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
        again = Composer(self.text, self._lines, yaml.SafeLoader)
        try:
            again.run()
        except yaml.YAMLError:  # pragma: no cover - the reader refused what libyaml read
            return False
        if not again.problems or again.problems[-1][2] != too_deep(0)[2]:
            return False
        self.__dict__.update(again.__dict__)
        self._loader = _Loader
        return True

    def _read(self, next_event: Callable[[], Event | None]) -> None:
        # The hot loop of every command that reads data: once per event, some 900,000 in a
        # file of 10,000 initiatives. The common cases (a plain scalar, a container that is
        # neither tagged nor refused) are handled inline on local variables; everything
        # unusual goes to a method, which returns the state it changed.
        nulls = _NULLS
        drop = DROP
        starts = self._starts
        add = starts.append
        parents: list[_Frame] = []
        top: Any = None  # the mapping or list being read; None at the top level
        is_map = False
        key: Any = None  # in a mapping: the key whose value comes next (None: a key)
        quiet = False
        first = -1  # the number of the opening event of ``top``
        documents = 0
        while True:
            # Any, not Event: each branch reads the attributes of the event class it tests.
            event: Any = next_event()
            kind = type(event)
            if kind is ScalarEvent:
                add(event.start_mark.index)
                text = event.value
                if event.anchor is not None or event.tag is not None:
                    key = self._odd_scalar(parents, top, is_map, key, quiet, first, event)
                    continue
                if is_map and key is None:
                    if text in top or text == "<<":
                        key = self._odd_key(parents, top, key, quiet, first, text, False)
                    else:
                        key = text
                    continue
                # Only a plain null is "no value": "no", "0777" and a quoted "~" stay text.
                value = None if len(text) < 5 and text in nulls and not event.style else text
                if is_map:
                    if key is drop:
                        self._dropped(len(parents))
                    else:
                        top[key] = value
                    key = None
                elif top is not None:
                    top.append(value)
                else:
                    self.data, self._read_top = value, True
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                opening = len(starts)
                add(event.start_mark.index)
                if (
                    quiet
                    or event.anchor is not None
                    or event.tag is not None
                    or (is_map and (key is None or key is drop))
                    or len(parents) >= MAX_DEPTH
                ):
                    child_quiet = self._odd_open(parents, top, is_map, key, quiet, event, opening)
                else:
                    child_quiet = False
                parents.append((top, is_map, key, quiet, first))
                is_map = kind is MappingStartEvent
                top = {} if is_map else []
                key, quiet, first = None, child_quiet, opening
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                value, was_quiet, opening = top, quiet, first
                top, is_map, key, quiet, first = parents.pop()
                if was_quiet:
                    refused = opening in self._refused_at
                    if refused:
                        self._spans[opening] = len(starts)
                        value = None
                    key = self._attach(parents, top, is_map, key, opening, value, refused)
                elif is_map:
                    top[key] = value
                    key = None
                elif top is not None:
                    top.append(value)
                else:
                    self.data, self._read_top = value, True
            elif kind is AliasEvent:
                opening = len(starts)
                add(event.start_mark.index)
                if not (quiet or key is drop):
                    self._report(
                        starts[opening],
                        self._path(parents, top, is_map, key),
                        f"aliases (`*{event.anchor}`) are not allowed",
                        "write the value out in full; if it is text, put it in quotes",
                    )
                key = self._attach(parents, top, is_map, key, opening, None, True)
            elif kind is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    self._report(
                        event.start_mark.index,
                        (),
                        "the file holds more than one YAML document",
                        "remove the `---` line, or merge what follows it into the document above",
                    )
                    raise _Stop
            elif kind is StreamEndEvent or event is None:
                return

    def _dropped(self, depth: int) -> None:
        """The value being dropped at ``depth`` has been read: its entry spans to here."""
        self._drops[self._drop_from.pop(depth)] = len(self._starts)

    def _attach(
        self,
        parents: list[_Frame],
        top: Any,
        is_map: bool,
        key: Any,
        opening: int,
        value: Any,
        refused: bool,
    ) -> Any:
        """Put a value that has been read (its first event is number ``opening``) into its
        parent, or make it the top; the parent's key state after it."""
        if top is None:
            self.data, self._read_top = value, True
            if refused:
                self.refused.add(())
            return None
        if not is_map:
            if refused:
                self.refused.add(self._path(parents, top, is_map, key))
            top.append(value)
            return None
        if key is None:
            # A list, a mapping or an alias where a key should be: already reported; the value
            # that follows it is dropped with it.
            self._drop_from[len(parents)] = opening
            return DROP
        if key is DROP:
            self._dropped(len(parents))
        else:
            if refused:
                self.refused.add(self._path(parents, top, is_map, key))
            top[key] = value
        return None

    def _odd_scalar(
        self,
        parents: list[_Frame],
        top: Any,
        is_map: bool,
        key: Any,
        quiet: bool,
        first: int,
        event: ScalarEvent,
    ) -> Any:
        """A scalar with an anchor or a tag: report it, and refuse its value if the tag is not
        harmless. The parent's key state after it."""
        text = event.value
        is_key = is_map and key is None
        path = self._path(parents, top, is_map, key, text if is_key else None)
        refused = not self._properties(event, path, quiet or key is DROP)
        if is_key:
            return self._odd_key(parents, top, key, quiet, first, text, refused)
        # A harmless tag keeps the text as it is: a tagged null stays text.
        value = None if refused else text
        return self._attach(parents, top, is_map, key, len(self._starts) - 1, value, refused)

    def _odd_key(
        self,
        parents: list[_Frame],
        top: dict[str, Any],
        key: Any,
        quiet: bool,
        first: int,
        text: str,
        refused: bool,
    ) -> Any:
        """Take ``text`` (the last event read) as the next key of the mapping being read, unless
        it must be refused: then DROP, and its value is dropped with it."""
        start = self._starts[-1]
        if refused:
            return self._drop_key(parents)
        if text in top:
            if not quiet:
                node, _ = self._node(top, first)
                assert isinstance(node, list)
                position = next(i for i, k in enumerate(top) if k == text)
                line, _ = self.lines.at(node[1 + 2 * position])
                where = (
                    "earlier on this line" if line == self.lines.at(start)[0] else f"at line {line}"
                )
                self._report(
                    start,
                    self._path(parents, top, True, key, text),
                    f"duplicate key `{text}`: it is already set {where}",
                    "keep one of them; YAML would silently use the last",
                )
            return self._drop_key(parents)
        if text == "<<" and self.text.startswith("<<", start):
            # Only a plain << is YAML's merge key; a quoted "<<" is an ordinary (unknown) key.
            if not quiet:
                self._report(
                    start,
                    self._path(parents, top, True, key, text),
                    "merge keys (<<) are not allowed",
                    "write every key out",
                )
            return self._drop_key(parents)
        return text

    def _drop_key(self, parents: list[_Frame]) -> Any:
        """Drop the key just read, and the value that comes next."""
        self._drop_from[len(parents)] = len(self._starts) - 1
        return DROP

    def _odd_open(
        self,
        parents: list[_Frame],
        top: Any,
        is_map: bool,
        key: Any,
        quiet: bool,
        event: MappingStartEvent | SequenceStartEvent,
        opening: int,
    ) -> bool:
        """A mapping or list that is nested too deep, tagged, anchored, used as a key, dropped
        or inside a refused value: report what needs it. Whether problems inside it go
        unreported; a refused one is remembered, to be read as None when it ends."""
        start = self._starts[opening]
        if len(parents) >= MAX_DEPTH:
            self.problems.append(too_deep(start))
            raise _Stop
        quiet = quiet or key is DROP
        refused = False
        if event.anchor is not None or event.tag is not None:
            refused = not self._properties(event, self._path(parents, top, is_map, key), quiet)
        if is_map and key is None:
            # A list or a mapping where a key should be: read it, then refuse it.
            if not refused and not quiet:
                self._report(
                    start,
                    self._path(parents, top, is_map, key)[:-1],
                    "a key must be plain text, not a list or a mapping",
                    "check the indentation and the colons on this line",
                )
            refused = True
        if refused:
            self._refused_at.add(opening)
        return quiet or refused

    def _path(
        self, parents: list[_Frame], top: Any, is_map: bool, key: Any, for_key: Any = None
    ) -> tuple[Any, ...]:
        """The path of the value to be read next in ``top`` (or of ``for_key`` in it)."""
        if top is None:
            return ()
        slots = tuple(_slot(p_top, p_is_map, p_key) for p_top, p_is_map, p_key, _, _ in parents[1:])
        return (*slots, for_key if for_key is not None else _slot(top, is_map, key))

    def _properties(
        self,
        event: ScalarEvent | MappingStartEvent | SequenceStartEvent,
        path: tuple[Any, ...],
        quiet: bool,
    ) -> bool:
        """Report an anchor or a tag on ``event``; False if its value must be refused."""
        start = event.start_mark.index if event.start_mark is not None else 0
        if event.anchor is not None and not quiet:
            self._report(
                start,
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
                start,
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


def _slot(top: Any, is_map: bool, key: Any) -> Any:
    """The last part of the path of what is read next in ``top``."""
    if not is_map:
        return len(top)
    return key if isinstance(key, str) else "?"
