"""The domain model: read-only records (named fields over tuples) with all the behaviour,
read by every layer above the loader (the checks included), cheap to import and unpickle.

The schema (models.py) validates a data file; each validated object is converted into the
record of the same class name by one function driven by the records' fields, and a test fails
if a record's fields differ from its schema's. Commands that read a cached dataset never
import pydantic, which keeps start-up close to the bare import of the stack.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from operator import attrgetter, itemgetter
from typing import Any, TypeVar, get_args, get_origin

from hkit_cli.domain.dates import PartialDate, parse_partial_date
from hkit_cli.domain.vocab import APPROVAL_UNKNOWN, CORE, NOT_APPROVED, fiscal_year_of, is_counted

R = TypeVar("R", bound="Record")


class Record(tuple[Any, ...]):
    """Named fields over a tuple, read-only. Each subclass lists its ``_fields``; a property
    per field reads its item. Being a tuple, a record is rebuilt from a pickle by C code alone,
    with no Python call per record, which is most of what a cache hit costs."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for index, name in enumerate(cls._fields):
            setattr(cls, name, property(itemgetter(index), doc=f"The record's {name}."))

    @classmethod
    def of(cls: type[R], **fields: Any) -> R:
        """A record from keywords, one per field."""
        return cls(fields[name] for name in cls._fields)

    def replace(self: R, **fields: Any) -> R:
        """A copy with the given fields replaced."""
        unknown = set(fields) - set(self._fields)
        if unknown:
            raise TypeError(f"{type(self).__name__} has no field {sorted(unknown)[0]}")
        return type(self)(fields.get(n, v) for n, v in zip(self._fields, self, strict=True))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __repr__(self) -> str:
        inner = ", ".join(f"{n}={v!r}" for n, v in zip(self._fields, self, strict=True))
        return f"{type(self).__name__}({inner})"

    def as_dict(self) -> dict[str, Any]:
        """Plain data (lists, dicts, text, numbers), field by field."""
        return {n: _plain(v) for n, v in zip(self._fields, self, strict=True)}


def _plain(value: object) -> Any:
    if isinstance(value, Record):
        return value.as_dict()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


class Sector(Record):
    __slots__ = ()
    _fields = ("slug", "name", "name_zh")
    slug: str
    name: str
    name_zh: str


class Body(Record):
    __slots__ = ()
    _fields = ("id", "name", "name_zh", "abbreviation", "aliases")
    id: str
    name: str
    name_zh: str
    abbreviation: str | None
    aliases: tuple[str, ...]

    @property
    def label(self) -> str:
        """The name, with the abbreviation people know it by."""
        return f"{self.name} ({self.abbreviation})" if self.abbreviation else self.name


class Source(Record):
    __slots__ = ()
    _fields = (
        "id",
        "title",
        "title_zh",
        "publisher",
        "date",
        "kind",
        "url",
        "locator",
        "file",
        "covers",
    )
    id: str
    title: str
    title_zh: str | None
    publisher: str
    date: str
    kind: str
    url: str | None
    locator: str | None
    file: str | None
    covers: str | None


class Citation(Record):
    __slots__ = ()
    _fields = ("id", "locator")
    id: str
    locator: str | None


class Approval(Record):
    __slots__ = ()
    _fields = ("stage", "by", "date", "amount", "sources", "note")
    stage: str
    by: str | None
    date: str | None
    amount: int | None
    sources: tuple[Citation, ...]
    note: str | None


class Spent(Record):
    __slots__ = ()
    _fields = ("amount", "qualifier", "as_of", "measure", "sources", "note")
    amount: int
    qualifier: str
    as_of: str
    measure: str
    sources: tuple[Citation, ...]
    note: str | None


class Allocation(Record):
    __slots__ = ()
    _fields = (
        "id",
        "amount",
        "qualifier",
        "kind",
        "fiscal_year",
        "budget_year",
        "period",
        "part_of",
        "applies_to",
        "repeat_of",
        "scope",
        "form",
        "approval",
        "spent",
        "note",
        "sources",
    )
    id: str
    amount: int
    qualifier: str
    kind: str
    fiscal_year: str | None
    budget_year: str | None
    period: str | None
    part_of: str | None
    applies_to: str | None
    repeat_of: str | None
    scope: str
    form: str | None
    approval: Approval | None
    spent: Spent | None
    note: str | None
    sources: tuple[Citation, ...]

    @property
    def money_form(self) -> str:
        """The form of the money (vocab.FORMS); money whose form is not given is spending."""
        return self.form or "spending"

    def year(self, dated: str = "announced") -> str | None:
        """The fiscal year under a dating (vocab.DATINGS): the year of the announcing text,
        of the Budget that provides the money, or of LegCo's approval."""
        if dated == "budget":
            return self.budget_year or self.fiscal_year
        if dated == "approved":
            approval = self.approval
            if approval is not None and approval.stage == "pending":
                return NOT_APPROVED
            if approval is None or approval.stage not in ("approved", "voted"):
                return APPROVAL_UNKNOWN
            return fiscal_year_of(approval.date) or APPROVAL_UNKNOWN
        return self.fiscal_year

    def counted_in(self, scopes: tuple[str, ...] = CORE) -> bool:
        """Government money not already counted through a parent pot, in one of ``scopes``."""
        return is_counted(self.kind, self.part_of, self.scope, scopes)

    @property
    def approximate(self) -> bool:
        return self.qualifier != "exact"

    @staticmethod
    def count_approximate(allocations: list[Allocation]) -> int:
        """How many of ``allocations`` are approximate (the rule above, for many at once)."""
        return len(allocations) - [a.qualifier for a in allocations].count("exact")


class Milestone(Record):
    __slots__ = ()
    _fields = ("date", "event", "event_zh", "sources")
    date: str
    event: str
    event_zh: str | None
    sources: tuple[Citation, ...]

    @property
    def when(self) -> PartialDate:
        return parse_partial_date(self.date)


class Figure(Record):
    __slots__ = ()
    _fields = ("metric", "metric_zh", "value", "unit", "unit_zh", "qualifier", "as_of", "sources")
    metric: str
    metric_zh: str | None
    value: Decimal
    unit: str
    unit_zh: str | None
    qualifier: str
    as_of: str | None
    sources: tuple[Citation, ...]


class Initiative(Record):
    __slots__ = ()
    _fields = (
        "id",
        "name",
        "name_zh",
        "aliases",
        "sector",
        "secondary_sectors",
        "lead_body",
        "partners",
        "status",
        "announced_in",
        "description",
        "description_zh",
        "notes",
        "sources",
        "allocations",
        "milestones",
        "figures",
    )
    id: str
    name: str
    name_zh: str | None
    aliases: tuple[str, ...]
    sector: str
    secondary_sectors: tuple[str, ...]
    lead_body: str
    partners: tuple[str, ...]
    status: str
    announced_in: str
    description: str
    description_zh: str | None
    notes: str | None
    sources: tuple[Citation, ...]
    allocations: tuple[Allocation, ...]
    milestones: tuple[Milestone, ...]
    figures: tuple[Figure, ...]

    @property
    def sectors(self) -> tuple[str, ...]:
        return (self.sector, *self.secondary_sectors)

    def cited_source_ids(self) -> list[str]:
        """Every source cited by the initiative or its records, in first-cited order."""
        seen: dict[str, None] = {}
        for citation in self.sources:
            seen.setdefault(citation.id, None)
        for group in (self.allocations, self.milestones, self.figures):
            for record in group:
                for citation in record.sources:
                    seen.setdefault(citation.id, None)
        for allocation in self.allocations:
            for stage in (allocation.approval, allocation.spent):
                for citation in stage.sources if stage is not None else ():
                    seen.setdefault(citation.id, None)
        return list(seen)


class Claim(Record):
    __slots__ = ()
    _fields = (
        "id",
        "who",
        "date",
        "words",
        "window_from",
        "window_to",
        "amount",
        "qualifier",
        "covers",
        "sources",
        "note",
    )
    id: str
    who: str
    date: str
    words: str
    window_from: str
    window_to: str
    amount: int
    qualifier: str
    covers: str
    sources: tuple[Citation, ...]
    note: str | None


class Dataset(Record):
    __slots__ = ()
    _fields = ("sectors", "bodies", "sources", "initiatives", "claims")
    sectors: tuple[Sector, ...]
    bodies: tuple[Body, ...]
    sources: tuple[Source, ...]
    initiatives: tuple[Initiative, ...]
    claims: tuple[Claim, ...]


# The record class for each schema class of the same name; the conversion is driven by the
# records' slots, and a test checks that each record has exactly its schema's fields.
RECORDS: dict[str, type[Record]] = {
    cls.__name__: cls
    for cls in (
        Sector,
        Body,
        Source,
        Citation,
        Approval,
        Spent,
        Allocation,
        Milestone,
        Figure,
        Initiative,
        Claim,
        Dataset,
    )
}


# Values copied as they are: most of what a dataset holds.
_PLAIN = (str, int, Decimal, type(None))

# Per schema class: its record class, a getter of all the fields at once, the positions of
# its list fields (the only ones that need more than a copy), and whether equal records are
# shared: citations repeat across a dataset (one source, one locator), and one object per
# distinct citation makes a cached dataset smaller and quicker to read.
_Plan = tuple[
    type["Record"], Callable[[Any], tuple[Any, ...]], tuple[int, ...], tuple[int, ...], bool
]
_PLANS: dict[type, _Plan] = {}
_SHARED = ("Citation",)


def _plan(model_class: type) -> _Plan:
    cls = RECORDS[model_class.__name__]
    assert len(cls._fields) > 1  # attrgetter of one name gives the value, not a tuple
    fields = model_class.model_fields  # type: ignore[attr-defined]
    lists = tuple(
        i for i, name in enumerate(cls._fields) if get_origin(fields[name].annotation) is list
    )
    # Fields holding one schema object or None (an allocation's approval), converted too.
    nested = tuple(
        i
        for i, name in enumerate(cls._fields)
        if i not in lists and _is_model_field(fields[name].annotation)
    )
    shared = cls.__name__ in _SHARED
    assert not (shared and lists)  # a shared record's values are its whole content
    plan = (cls, attrgetter(*cls._fields), lists, nested, shared)
    _PLANS[model_class] = plan
    return plan


def _convert(model: Any, shared: dict[tuple[Any, ...], Record] | None) -> Record:
    """The record of the schema object ``model``: its fields read in one go, lists made
    tuples, schema objects inside lists converted in turn; equal records of a shared kind
    are one object if ``shared`` collects them."""
    cls, fields, lists, nested, share = _PLANS.get(type(model)) or _plan(type(model))
    values = fields(model)
    if share and shared is not None:
        record = shared.get(values)
        if record is None:
            record = shared[values] = cls(values)
        return record
    if not lists and not nested:
        return cls(values)
    copied = list(values)
    for i in nested:
        if copied[i] is not None:
            copied[i] = _convert(copied[i], shared)
    for i in lists:
        items = copied[i]
        if items and not isinstance(items[0], _PLAIN):
            copied[i] = tuple([_convert(item, shared) for item in items])
        else:
            copied[i] = tuple(items)
    return cls(copied)


def from_model(model: Any, kind: type[R]) -> R:
    """The record of a validated schema object (a models.Initiative, say)."""
    record = _convert(model, None)
    assert isinstance(record, kind)
    return record


def from_models(model: Any, share: bool = False) -> Dataset:
    """Copy a validated pydantic dataset (models.Dataset) into records; with ``share``, equal
    citations become one object (worth its cost when the dataset is to be stored)."""
    dataset = _convert(model, {} if share else None)
    assert isinstance(dataset, Dataset)
    return dataset


def _is_model_field(annotation: Any) -> bool:
    """Whether a field holds a schema object (or None): a class named like a record."""
    for arg in (annotation, *get_args(annotation)):
        if isinstance(arg, type) and arg.__name__ in RECORDS and arg.__module__.endswith("models"):
            return True
    return False
