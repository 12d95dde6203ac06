"""pydantic's validation errors as problems in the curator's words, each located."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel

from hkit_cli.domain.errors import Problem
from hkit_cli.domain.vocab import TOP_KEYS, suggest
from hkit_cli.reading.locate import Locator
from hkit_cli.reading.models import QUALIFIER_CONFLICT, TEXT_PROBLEM, model_for_path


def schema_problems(
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
        if error["type"] == QUALIFIER_CONFLICT:
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
    if kind == TEXT_PROBLEM:
        return str(error["msg"]), str(error.get("ctx", {}).get("hint", "")), False
    if kind == "extra_forbidden":
        meant = _close_key(loc)
        model = model_for_path(loc[:-1])
        known = ", ".join(model.model_fields) if model else ""
        hint = f"did you mean `{meant}`?" if meant else f"allowed keys: {known}"
        return f"unknown key `{field}`", hint, True
    if kind == "string_type":
        if value is None:
            return "is empty; expected text", "", False
        return f"expected text, got {describe(value)}", _text_hint(value), False
    if kind == "list_type":
        if value is None:
            return "is empty; expected a list", "write it as [a, b] or as `- a` lines", False
        return (
            f"expected a list, got {describe(value)}",
            "write it as [a, b] or as `- a` lines",
            False,
        )
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        if value is None:
            return "is empty; expected a mapping of keys to values", "", False
        hint = ""
        if isinstance(field, int) and len(loc) >= 2 and loc[-2] == "sources":
            hint = "a citation is a source id, or {id: <source id>, locator: <where>}"
        return f"expected a mapping of keys to values, got {describe(value)}", hint, False
    if kind == "literal_error":
        allowed = re.findall(r"'([^']*)'", error.get("ctx", {}).get("expected", ""))
        if not isinstance(value, str):
            got = "is empty" if value is None else f"got {describe(value)}"
            return f"{got}; expected one of: {', '.join(allowed)}", "", False
        close = suggest(value, allowed)
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
    # A validator says what is wrong, then how to fix it after "; ": the fix is the hint, so
    # that machine output (validate -f json) has it in its own field.
    what, _, fix = message.partition("; ")
    if fix and _FIX.match(fix):
        return what, fix, False
    return message, "", False


_FIX = re.compile(r"^(write|use|type|give|put|add|remove|delete|check|say|name|join)\b")


def _close_key(loc: tuple[Any, ...]) -> str | None:
    """The allowed key that the unknown key at the end of ``loc`` was probably meant to be."""
    model = model_for_path(loc[:-1])
    return meant(str(loc[-1]), model) if model is not None and loc else None


def meant(typed: str, model: type[BaseModel]) -> str | None:
    close = suggest(typed, model.model_fields)
    return close[0] if close else None


def _text_hint(value: object) -> str:
    if isinstance(value, list):
        return "write a single value, without [ ] or `- `"
    if isinstance(value, dict):
        return 'if the text contains ": ", put it in quotes'
    return ""


def describe(value: object) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    text = str(value)
    return f"`{text[:60]}…`" if len(text) > 60 else f"`{text}`"
