"""What a change to the data does: the initiatives and allocations added, removed and changed,
field by field, and the counted totals before and after by fiscal year, sector, form and scope.
Pure: it compares two loaded datasets."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hkit_cli.domain.records import Allocation, Dataset, Initiative, Record
from hkit_cli.domain.vocab import CORE, SCOPES

# The groupings of the totals, and which scopes each counts: by scope, both.
GROUPINGS = ("fiscal_year", "sector", "form", "scope")


@dataclass(frozen=True, slots=True)
class Change:
    what: str  # "initiative" or "allocation"
    action: str  # "added", "removed" or "changed"
    id: str
    initiative: str  # the initiative it belongs to (itself for an initiative)
    field: str = ""  # for "changed": the field
    before: Any = None
    after: Any = None


@dataclass(frozen=True, slots=True)
class TotalChange:
    by: str
    key: str
    before: int
    after: int

    @property
    def change(self) -> int:
        return self.after - self.before


@dataclass(slots=True)
class Diff:
    changes: list[Change] = field(default_factory=list)
    totals: list[TotalChange] = field(default_factory=list)


def _plain(value: Any) -> Any:
    if isinstance(value, Record):
        return value.as_dict()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def _fields(record: Record, skip: tuple[str, ...]) -> dict[str, Any]:
    return {name: _plain(getattr(record, name)) for name in record._fields if name not in skip}


def diff(old: Dataset, new: Dataset) -> Diff:
    """Everything that differs between ``old`` and ``new``, and what it does to the totals."""
    result = Diff()
    before = {i.id: i for i in old.initiatives}
    after = {i.id: i for i in new.initiatives}
    for ident in after:
        if ident not in before:
            result.changes.append(Change("initiative", "added", ident, ident))
    for ident in before:
        if ident not in after:
            result.changes.append(Change("initiative", "removed", ident, ident))
    for ident, initiative in after.items():
        if ident in before:
            old_fields = _fields(before[ident], ("allocations",))
            for name, value in _fields(initiative, ("allocations",)).items():
                if old_fields[name] != value:
                    result.changes.append(
                        Change("initiative", "changed", ident, ident, name, old_fields[name], value)
                    )
    old_allocations = _allocations(old)
    new_allocations = _allocations(new)
    for ident, (initiative, allocation) in new_allocations.items():
        if ident not in old_allocations:
            result.changes.append(
                Change(
                    "allocation", "added", ident, initiative.id, "amount", None, allocation.amount
                )
            )
    for ident, (initiative, allocation) in old_allocations.items():
        if ident not in new_allocations:
            result.changes.append(
                Change(
                    "allocation", "removed", ident, initiative.id, "amount", allocation.amount, None
                )
            )
    for ident, (initiative, allocation) in new_allocations.items():
        if ident in old_allocations:
            was = _fields(old_allocations[ident][1], ())
            for name, value in _fields(allocation, ()).items():
                if was[name] != value:
                    result.changes.append(
                        Change(
                            "allocation", "changed", ident, initiative.id, name, was[name], value
                        )
                    )
    for by in GROUPINGS:
        sums_before, sums_after = _sums(old, by), _sums(new, by)
        for key in sorted(set(sums_before) | set(sums_after)):
            b, a = sums_before.get(key, 0), sums_after.get(key, 0)
            if b != a:
                result.totals.append(TotalChange(by, key, b, a))
        result.totals.append(
            TotalChange(by, "total", sum(sums_before.values()), sum(sums_after.values()))
        )
    return result


def _allocations(dataset: Dataset) -> dict[str, tuple[Initiative, Allocation]]:
    return {a.id: (i, a) for i in dataset.initiatives for a in i.allocations}


def _sums(dataset: Dataset, by: str) -> dict[str, int]:
    """Counted money by ``by``, as `hkit totals --by` gives it: core I&T, except by scope,
    which counts both scopes."""
    from hkit_cli.reports.query import Filters, select
    from hkit_cli.reports.report import totals

    scopes = SCOPES if by == "scope" else CORE
    grouping = "year" if by == "fiscal_year" else by
    result = totals(dataset, select(dataset, Filters(scopes=scopes)), grouping)
    return {group.key: group.sum.amount for group in result.groups}
