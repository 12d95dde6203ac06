"""Read a YAML data file into models, strictly, locating every problem at its file and line."""

from __future__ import annotations

import difflib
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from hkit_cli.checks import Parsed, check
from hkit_cli.errors import DataError, Problem, format_path
from hkit_cli.models import Dataset, Initiative, Sector, Source, model_for_path

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

    print(
        "hkit: warning: PyYAML has no libyaml support; loading will be slower",
        file=sys.stderr,
    )

MAX_BYTES = 512 * 1024 * 1024

_T = "tag:yaml.org,2002:"
_NULL = _T + "null"
_MERGE = _T + "merge"
# Scalars keep their text whatever YAML 1.1 would make of them ("no", "0777", "2026-02-25"):
# the models decide what a value means. Only these implicit or harmless explicit tags pass.
_SCALAR_TAGS = frozenset(_T + t for t in ("str", "int", "float", "bool", "null", "timestamp"))
# A quick filter: anchors (&a) and aliases (*a) can only appear where this matches.
_MAYBE_ANCHOR = re.compile(r"(?:^|[\s\[{,:-])[&*][^\s,\[\]{}]")

TOP_KEYS = "sectors, sources and initiatives"


def load(path: Path) -> Dataset:
    """The dataset in ``path``; raises DataError listing every problem if there is any."""
    dataset, problems = validate(path)
    if problems or dataset is None:
        raise DataError(str(path), problems)
    return dataset


def validate(path: Path) -> tuple[Dataset | None, list[Problem]]:
    """Check ``path`` completely: the dataset (None if unusable) and every problem found."""
    file = str(path)
    text, problem = _read_text(path, file)
    if problem:
        return None, [problem]
    assert text is not None
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(str(p) for p in (exc.context, exc.problem) if p) or "invalid YAML"
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        return None, [Problem(file, f"invalid YAML: {message}", line, column)]
    except yaml.YAMLError as exc:
        return None, [Problem(file, f"invalid YAML: {exc}")]
    except RecursionError:
        return None, [Problem(file, "the YAML is nested too deeply")]
    if root is None:
        return None, [Problem(file, "the file is empty", hint=f"it needs the keys {TOP_KEYS}")]
    locator = Locator(file, root)
    builder = _Builder(track_aliases=_MAYBE_ANCHOR.search(text) is not None)
    try:
        data = builder.build(root)
    except RecursionError:
        return None, [Problem(file, "the YAML is nested too deeply")]
    problems = [locator.problem_at_node(node, msg, hint) for node, msg, hint in builder.problems]
    if not isinstance(data, dict):
        problems.append(
            locator.problem((), f"the top level must be a mapping with the keys {TOP_KEYS}")
        )
        return None, problems

    dataset: Dataset | None = None
    try:
        dataset = Dataset.model_validate(data)
    except ValidationError as exc:
        problems.extend(_schema_problems(locator, exc.errors()))
        parsed = _partial(data)
    else:
        parsed = Parsed.of(dataset)
    for loc, message, hint in check(parsed):
        problems.append(locator.problem(loc, message, hint))
    problems.sort(key=lambda p: (p.line or 0, p.column or 0))
    return (dataset if not problems else None), problems


def _read_text(path: Path, file: str) -> tuple[str | None, Problem | None]:
    try:
        if path.is_dir():
            return None, Problem(file, "is a directory, not a data file")
        if path.stat().st_size > MAX_BYTES:
            return None, Problem(file, f"is larger than {MAX_BYTES // 2**20} MiB")
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, Problem(
            file, "file not found", hint="check the path given with --data or HKIT_DATA"
        )
    except PermissionError:
        return None, Problem(file, "cannot be read: permission denied")
    except OSError as exc:
        return None, Problem(file, f"cannot be read: {exc.strerror or exc}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, Problem(
            file, "is not valid UTF-8 text", line, column, hint="save the file as UTF-8"
        )
    if "\x00" in text:
        return None, Problem(file, "contains a NUL byte; it is not a text file")
    return text, None


class _Builder:
    """Turns composed YAML nodes into plain dicts, lists and strings, noting what it refuses."""

    def __init__(self, track_aliases: bool) -> None:
        self.problems: list[tuple[Node, str, str]] = []
        self._seen: set[int] | None = set() if track_aliases else None

    def build(self, node: Node) -> Any:
        seen = self._seen
        if seen is not None:
            if id(node) in seen:
                self.problems.append(
                    (node, "anchors and aliases are not allowed", "write the value out in full")
                )
                return None
            seen.add(id(node))
        kind = type(node)
        if kind is ScalarNode:
            if node.tag not in _SCALAR_TAGS:
                self.problems.append((node, f"the tag `{node.tag}` is not allowed", ""))
                return None
            return None if node.tag == _NULL else node.value
        if kind is MappingNode:
            if node.tag != _T + "map":
                self.problems.append((node, f"the tag `{node.tag}` is not allowed", ""))
                return None
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if type(key_node) is not ScalarNode or key_node.tag == _MERGE:
                    what = "merge keys (<<)" if key_node.tag == _MERGE else "complex keys"
                    self.problems.append((key_node, f"{what} are not allowed", ""))
                    continue
                key = key_node.value
                if key in result:
                    self.problems.append(
                        (key_node, f"duplicate key `{key}`", "each key may appear once")
                    )
                    continue
                result[key] = self.build(value_node)
            return result
        if node.tag != _T + "seq":
            self.problems.append((node, f"the tag `{node.tag}` is not allowed", ""))
            return None
        return [self.build(item) for item in node.value]


@dataclass
class Locator:
    """Finds the line and column of a value (or of its key) from its path in the data."""

    file: str
    root: Node

    def problem(
        self, loc: Iterable[Any], message: str, hint: str = "", at_key: bool = False
    ) -> Problem:
        loc = tuple(loc)
        node, found_all, key_node = self._find(loc)
        mark_node = key_node if (at_key and found_all and key_node is not None) else node
        mark = mark_node.start_mark
        return Problem(self.file, message, mark.line + 1, mark.column + 1, format_path(loc), hint)

    def problem_at_node(self, target: Node, message: str, hint: str) -> Problem:
        path = self._path_to(self.root, target, ()) or ()
        mark = target.start_mark
        return Problem(self.file, message, mark.line + 1, mark.column + 1, format_path(path), hint)

    def _find(self, loc: tuple[Any, ...]) -> tuple[Node, bool, Node | None]:
        node: Node = self.root
        key_node: Node | None = None
        for part in loc:
            key_node = None
            if isinstance(node, MappingNode) and isinstance(part, str):
                for k, v in node.value:
                    if isinstance(k, ScalarNode) and k.value == part:
                        key_node, node = k, v
                        break
                else:
                    return node, False, None
            elif (
                isinstance(node, SequenceNode)
                and isinstance(part, int)
                and 0 <= part < len(node.value)
            ):
                node = node.value[part]
            else:
                return node, False, None
        return node, True, key_node

    def _path_to(self, node: Node, target: Node, path: tuple[Any, ...]) -> tuple[Any, ...] | None:
        if node is target:
            return path
        if isinstance(node, MappingNode):
            for k, v in node.value:
                key = k.value if isinstance(k, ScalarNode) else "?"
                if k is target:
                    return (*path, key)
                found = self._path_to(v, target, (*path, key))
                if found is not None:
                    return found
        elif isinstance(node, SequenceNode):
            for i, item in enumerate(node.value):
                found = self._path_to(item, target, (*path, i))
                if found is not None:
                    return found
        return None


def _schema_problems(locator: Locator, errors: list[Any]) -> list[Problem]:
    problems = []
    # A misspelt key (`ammount`) also makes the real one missing: report only the misspelling.
    misspelt = set()
    for error in errors:
        if error["type"] == "extra_forbidden":
            loc = tuple(error["loc"])
            model = model_for_path(loc[:-1])
            close = difflib.get_close_matches(
                str(loc[-1]), list(model.model_fields) if model else [], n=1
            )
            if close:
                misspelt.add((*loc[:-1], close[0]))
    for error in errors:
        loc = tuple(error["loc"])
        if error["type"] == "missing" and loc in misspelt:
            continue
        message, hint, at_key = _explain(error, loc)
        problems.append(locator.problem(loc, message, hint, at_key=at_key))
    return problems


def _explain(error: Any, loc: tuple[Any, ...]) -> tuple[str, str, bool]:
    kind, value = error["type"], error.get("input")
    field = loc[-1] if loc else ""
    if kind == "extra_forbidden":
        model = model_for_path(loc[:-1])
        known = list(model.model_fields) if model else []
        close = difflib.get_close_matches(str(field), known, n=1)
        hint = f"did you mean `{close[0]}`?" if close else f"allowed keys: {', '.join(known)}"
        return f"unknown key `{field}`", hint, True
    if kind == "missing":
        return f"missing required key `{field}`", "", False
    if kind == "string_type":
        if value is None:
            return "is empty; expected text", "", False
        return f"expected text, got {_describe(value)}", "", False
    if kind == "list_type":
        return (
            f"expected a list, got {_describe(value)}",
            "write it as [a, b] or as `- a` lines",
            False,
        )
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected a mapping of keys to values, got {_describe(value)}", "", False
    if kind == "literal_error":
        allowed = re.findall(r"'([^']*)'", error.get("ctx", {}).get("expected", ""))
        close = difflib.get_close_matches(str(value), allowed, n=1)
        hint = f"did you mean `{close[0]}`?" if close else ""
        return f"`{value}` is not one of: {', '.join(allowed)}", hint, False
    if kind == "too_short":
        if field == "sources":
            return "needs at least one source", "cite a source id from the sources list", False
        return "must not be empty", "", False
    message = str(error["msg"]).removeprefix("Value error, ")
    return message, "", False


def _describe(value: object) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"`{value}`"


def _partial(data: dict[str, Any]) -> Parsed:
    """The records that validate on their own, so cross-record checks can still run."""
    parsed = Parsed()
    for index, raw in enumerate(_list(data.get("sectors"))):
        try:
            parsed.sectors.append((index, Sector.model_validate(raw)))
        except ValidationError:
            parsed.other_ids.add(("sector", _raw_id(raw, "slug")))
    for index, raw in enumerate(_list(data.get("sources"))):
        try:
            parsed.sources.append((index, Source.model_validate(raw)))
        except ValidationError:
            parsed.other_ids.add(("source", _raw_id(raw, "id")))
    for index, raw in enumerate(_list(data.get("initiatives"))):
        try:
            parsed.initiatives.append((index, Initiative.model_validate(raw)))
        except ValidationError:
            parsed.other_ids.add(("initiative", _raw_id(raw, "id")))
            for allocation in _list(raw.get("allocations") if isinstance(raw, dict) else None):
                parsed.other_ids.add(("allocation", _raw_id(allocation, "id")))
    return parsed


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _raw_id(raw: object, key: str) -> str:
    value = raw.get(key) if isinstance(raw, dict) else None
    return value if isinstance(value, str) else ""
