"""The loading pipeline: text, YAML, schema, records and checks, every problem located.

Each step lives in its own module (textfile, yamlreader, locate, schemaerrors, checks); this
one runs them in order and decides what a file's problems mean for loading it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from hkit_cli.checks.passes import Parsed, check
from hkit_cli.domain import records
from hkit_cli.domain.errors import DataError, Problem
from hkit_cli.domain.records import Dataset, from_model, from_models
from hkit_cli.domain.vocab import TOP_KEYS
from hkit_cli.reading import models
from hkit_cli.reading.locate import Locator, Namer, at
from hkit_cli.reading.models import Allocation, Body, Initiative, Sector, Source
from hkit_cli.reading.schemaerrors import describe, meant, schema_problems
from hkit_cli.reading.textfile import read_text
from hkit_cli.reading.yamlreader import Composer

R = TypeVar("R", bound=records.Record)


def load(path: Path, share: bool = False) -> Dataset:
    """The dataset in ``path`` (opened and read once); raises DataError listing every error.

    Warnings (likely mistakes that leave the data usable) are for `hkit validate` to show.
    ``share`` makes equal citations one object, for a dataset that is to be stored.
    """
    file = str(path)
    text, problem = read_text(path, file)
    if text is None:
        raise DataError(file, [problem] if problem else [])
    return loads(text, file, share)


def loads(
    text: str, name: str = "<text>", share: bool = False, keep: list[object] | None = None
) -> Dataset:
    """The dataset in ``text``, named ``name`` in messages; raises DataError listing every
    error, each located by line and column.

    The text is read once. A valid one is validated without looking for warnings or
    locations; only a text with a problem is located, from the same reading. ``keep``
    collects what was built on the way (the data as read, the schema objects), for a process
    that ends without freeing them: freeing them one by one costs a tenth of the load.
    """
    read = Composer(text)
    read.run()
    if keep is not None:
        keep.append(read)
    if not read.problems and isinstance(read.data, dict):
        dataset = _valid(read.data, share, keep)
        if dataset is not None:
            return dataset
    dataset, problems = _located(read, name)
    if dataset is None:
        raise DataError(name, [p for p in problems if p.level == "error"])
    return dataset


def validate(path: Path) -> tuple[Dataset | None, list[Problem]]:
    """Check ``path`` completely: the dataset (None if unusable) and every problem found.

    Never raises for anything in or about the file: every problem is returned, located.
    """
    file = str(path)
    text, problem = read_text(path, file)
    if text is None:
        return None, [problem] if problem else []
    return validate_text(text, file)


def validate_text(text: str, file: str) -> tuple[Dataset | None, list[Problem]]:
    """Check the text of a data file named ``file``: the dataset (None if unusable) and every
    problem found, located."""
    read = Composer(text)
    read.run()
    return _located(read, file)


def _located(read: Composer, file: str) -> tuple[Dataset | None, list[Problem]]:
    """The dataset (None if unusable) and every problem found, with warnings, located."""
    lines = read.lines
    namer = Namer(None if read.fatal else read.data)
    problems = [
        Problem(file, message, *at(lines, index), namer(loc), hint)
        for index, loc, message, hint in read.problems
    ]
    if read.fatal:
        return None, problems
    data = read.data
    locator = Locator(file, read.root, data, lines, namer)
    if not isinstance(data, dict):
        if read.root is None or (data is None and () not in read.refused):
            problems.append(_empty(file, read.text, locator))
        elif () not in read.refused:
            problems.append(
                locator.problem(
                    (),
                    f"the top level must be a mapping with the keys {TOP_KEYS}, "
                    f"not {describe(data)}",
                )
            )
        return None, problems

    dataset: Dataset | None = None
    try:
        dataset = from_models(models.Dataset.model_validate(data))
    except ValidationError as exc:
        problems.extend(schema_problems(locator, exc.errors(), read.refused))
        parsed = _partial(data)
    else:
        parsed = Parsed.of(dataset)
    for finding in check(parsed, locator.line):
        problems.append(
            locator.problem(finding.loc, finding.message, finding.hint, level=finding.level)
        )
    problems.sort(key=lambda p: (p.line or 0, p.column or 0))
    errors = any(p.level == "error" for p in problems)
    return (None if errors else dataset), problems


def _valid(data: dict[str, Any], share: bool, keep: list[object] | None) -> Dataset | None:
    """The dataset in ``data`` if it has no error; None at any, to be located.

    Initiatives are validated and copied into records one at a time, each schema object
    dropped once copied: the memory it held is reused, still in the processor's caches, by
    the next. At 10,000 initiatives that is a fifth less time than validating the whole
    dataset first."""
    raw_initiatives = data.get("initiatives")
    try:
        if not isinstance(raw_initiatives, list):  # wrong or missing: the whole path says so
            head = models.Dataset.model_validate(data)
            dataset = from_models(head, share)
        else:
            head = models.Dataset.model_validate({**data, "initiatives": []})
            validate = models.Initiative.model_validate
            dataset = from_models(head, share, (validate(raw) for raw in raw_initiatives))
    except ValidationError:
        return None
    if keep is not None:
        keep.append(head)
    if any(f.level == "error" for f in check(Parsed.of(dataset), warnings=False)):
        return None
    return dataset


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


def _partial(data: dict[str, Any]) -> Parsed:
    """The records that validate on their own, so cross-record checks can still run."""
    parsed = Parsed()
    for kind, name in (("sector", "sectors"), ("body", "bodies"), ("source", "sources")):
        raw_list = data.get(name)
        if not isinstance(raw_list, list) or not raw_list:
            parsed.unsure.add(kind)
    registries: list[tuple[str, str, str, type[BaseModel], type[records.Record], list[Any]]] = [
        ("sector", "sectors", "slug", Sector, records.Sector, parsed.sectors),
        ("body", "bodies", "id", Body, records.Body, parsed.bodies),
        ("source", "sources", "id", Source, records.Source, parsed.sources),
    ]
    for kind, name, key, model, record, valid in registries:
        for index, raw in enumerate(_list(data.get(name))):
            try:
                valid.append((index, from_model(model.model_validate(raw), record)))
            except ValidationError:
                raw, known = _with_id(raw, key, model)
                if isinstance(raw, dict):
                    parsed.failed.append((kind, index, _lenient(kind, raw)))
                if not known:
                    parsed.unsure.add(kind)
    initiatives = data.get("initiatives")
    if initiatives is not None and not isinstance(initiatives, list):
        parsed.unsure.add("allocation")
    for index, raw in enumerate(_list(initiatives)):
        try:
            initiative = from_model(Initiative.model_validate(raw), records.Initiative)
            parsed.initiatives.append((index, initiative))
        except ValidationError:
            allocations = raw.get("allocations", []) if isinstance(raw, dict) else None
            if isinstance(raw, dict) and isinstance(allocations, list):
                with_ids = [_with_id(a, "id", Allocation) for a in allocations]
                raw = {**raw, "allocations": [a for a, _ in with_ids]}
                if not all(known for _, known in with_ids):
                    parsed.unsure.add("allocation")
            else:
                parsed.unsure.add("allocation")
            if isinstance(raw, dict):
                parsed.failed.append(("initiative", index, _lenient("initiative", raw)))
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
            if meant(typed, model) == key:
                return {**raw, key: value}, True
    return raw, False


def _has_text(raw: dict[str, Any], key: str) -> bool:
    value = raw.get(key)
    return isinstance(value, str) and bool(value.strip())


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


# --- Records that failed the schema, as far as they can be read -----------------------------
# The cross-record checks read one shape: a record that failed the schema becomes a record of
# the same class with what can be read (text where text is, "" or None elsewhere), keeping the
# positions of its lists, so that its ids still count as defined and taken and its references
# are still checked.


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _opt(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _blank(record: type[R]) -> R:
    """A record of ``record``'s class with every field empty: lists empty, the rest None (the
    list fields are those the record declares as lists)."""
    declared = record.__dict__["__annotations__"]
    return record(() if _is_list(declared[name]) else None for name in record._fields)


def _is_list(annotation: str) -> bool:
    return annotation.startswith(("Many[", "Some[", "Citations", "Cited"))


def _lenient_citations(raw: object) -> tuple[records.Citation, ...]:
    return tuple(
        records.Citation.of(
            id=_text(c.get("id") if isinstance(c, dict) else c),
            locator=_opt(c.get("locator")) if isinstance(c, dict) else None,
        )
        for c in _list(raw)
    )


def _lenient_stage(raw: object, record: type[R]) -> R | None:
    if not isinstance(raw, dict):
        return None
    return _blank(record).replace(sources=_lenient_citations(raw.get("sources")))


def _lenient_allocation(raw: object) -> records.Allocation:
    blank = _blank(records.Allocation)
    if not isinstance(raw, dict):
        return blank
    return blank.replace(
        id=_text(raw.get("id")),
        part_of=_opt(raw.get("part_of")),
        applies_to=_opt(raw.get("applies_to")),
        sources=_lenient_citations(raw.get("sources")),
        approval=_lenient_stage(raw.get("approval"), records.Approval),
        spent=_lenient_stage(raw.get("spent"), records.Spent),
    )


def _lenient_cited(raw: object, record: type[R]) -> R:
    blank = _blank(record)
    if not isinstance(raw, dict):
        return blank
    return blank.replace(sources=_lenient_citations(raw.get("sources")))


def _lenient(kind: str, raw: dict[str, Any]) -> records.Record:
    """The record of a sector, body, source or initiative that failed the schema."""
    if kind == "sector":
        return _blank(records.Sector).replace(slug=_text(raw.get("slug")))
    if kind == "body":
        return _blank(records.Body).replace(id=_text(raw.get("id")))
    if kind == "source":
        return _blank(records.Source).replace(id=_text(raw.get("id")))
    return _blank(records.Initiative).replace(
        id=_text(raw.get("id")),
        name=_text(raw.get("name")),
        sector=_text(raw.get("sector")),
        secondary_sectors=tuple(_text(s) for s in _list(raw.get("secondary_sectors"))),
        lead_body=_text(raw.get("lead_body")),
        partners=tuple(_text(p) for p in _list(raw.get("partners"))),
        sources=_lenient_citations(raw.get("sources")),
        allocations=tuple(_lenient_allocation(a) for a in _list(raw.get("allocations"))),
        milestones=tuple(
            _lenient_cited(m, records.Milestone) for m in _list(raw.get("milestones"))
        ),
        figures=tuple(_lenient_cited(f, records.Figure) for f in _list(raw.get("figures"))),
    )
