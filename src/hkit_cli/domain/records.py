"""The domain model: read-only records (named fields over tuples) with all the behaviour,
read by every layer above the loader (the checks included), cheap to import and unpickle.

Each record class is the one declaration of its shape: its annotated fields, in order, with
their defaults, written in the schema's vocabulary of types (Slug, Text, Amount, Cited...).
The schema (reading/models.py) builds its pydantic models from these declarations, so the two
cannot drift; each validated object is converted into the record of the same class name.
Commands that read a cached dataset never import pydantic, which keeps start-up close to the
bare import of the stack.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, Any, TypeVar, get_args, get_origin

from hkit_cli.domain.dates import PartialDate, parse_partial_date
from hkit_cli.domain.vocab import APPROVAL_UNKNOWN, CORE, NOT_APPROVED, fiscal_year_of, is_counted

R = TypeVar("R", bound="Record")

if TYPE_CHECKING:
    # The schema's types, as the type checker sees the values they hold (reading/models.py
    # gives each its rules: a slug's pattern, text that is not empty, an amount's words...).
    T = TypeVar("T")
    Slug = str
    Text = str
    Prose = str
    ChineseProse = str
    Url = str
    FiscalYear = str
    DateText = str
    SourceKind = str
    Status = str
    Qualifier = str
    Scope = str
    AllocationKind = str
    Form = str
    ApprovalStage = str
    Amount = int
    Number = Decimal
    Flag = bool  # true or false
    Many = tuple[T, ...]  # a list, empty by default
    Some = tuple[T, ...]  # a list that may not be empty
    Citations = tuple["Citation", ...]  # source ids or {id, locator}, empty by default
    Cited = tuple["Citation", ...]  # the same, at least one


class Record(tuple[Any, ...]):
    """Named fields over a tuple, read-only. Each subclass lists its ``_fields``; a property
    per field reads its item. Being a tuple, a record is rebuilt from a pickle by C code alone,
    with no Python call per record, which is most of what a cache hit costs."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()
    _defaults: dict[str, Any] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # The fields are the class's own annotations, in order; a value given with one is its
        # default in the schema. Then a property per field reads its item.
        super().__init_subclass__(**kwargs)
        own = cls.__dict__.get("__annotations__", {})
        cls._fields = tuple(name for name in own if not name.startswith("_"))
        cls._defaults = {n: cls.__dict__[n] for n in cls._fields if n in cls.__dict__}
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
    slug: Slug
    name: Text
    name_zh: Text


class Body(Record):
    """A government body or public organisation that leads or partners in initiatives."""

    __slots__ = ()
    id: Slug
    name: Text
    name_zh: Text
    abbreviation: Text | None = None
    # Former names and other ways of writing it (`Innovation and Technology Bureau` for the
    # bureau renamed in 2022): matched by `--lead-body`, never shown as a second body.
    aliases: Many[Text] = ()

    @property
    def label(self) -> str:
        """The name, with the abbreviation people know it by."""
        return f"{self.name} ({self.abbreviation})" if self.abbreviation else self.name


class Source(Record):
    __slots__ = ()
    id: Slug
    title: Text
    title_zh: Text | None = None  # the title of the document's Chinese version, if it has one
    # True when title_zh is hkit's own translation: the document has no Chinese version, or
    # its Chinese headline was not found. Chinese output marks it as a translation.
    title_zh_translated: Flag = False
    publisher: Text
    date: DateText
    kind: SourceKind
    url: Url | None = None
    locator: Text | None = None
    file: Text | None = None
    # The fiscal year for which this document (a Budget speech, a Policy Address) was read in
    # full for I&T money; `hkit coverage` lists it under that year even if it gave nothing new.
    covers: FiscalYear | None = None


class Citation(Record):
    __slots__ = ()
    # References to other records are checked across the dataset (checks/), where the
    # message can list what exists; here they only need to be text.
    id: Text
    locator: Text | None = None


class Approval(Record):
    """How far LegCo has dealt with the money: by whom, when and how much, cited."""

    __slots__ = ()
    stage: ApprovalStage
    by: Text | None = None  # FCR(2018-19)38, or "Appropriation Ordinance 2024"
    date: DateText | None = None
    amount: Amount | None = None
    sources: Citations = ()
    note: Prose | None = None


class Spent(Record):
    """An official figure of the money spent or committed to date, and what it measures."""

    __slots__ = ()
    amount: Amount
    qualifier: Qualifier = "exact"
    as_of: DateText
    measure: Text  # what the figure counts: "spent", "committed", "approved for projects"
    sources: Cited
    note: Prose | None = None


class Allocation(Record):
    __slots__ = ()
    id: Slug
    amount: Amount
    qualifier: Qualifier = "exact"
    kind: AllocationKind
    fiscal_year: FiscalYear | None = None
    budget_year: FiscalYear | None = None
    period: Text | None = None
    part_of: Text | None = None
    applies_to: Text | None = None
    # A genuine second provision of the same amount (a second injection into one fund), so
    # the double-count check knows it is not a re-announcement; a note must say why.
    repeat_of: Text | None = None
    scope: Scope = "core"
    form: Form | None = None
    approval: Approval | None = None
    spent: Spent | None = None
    note: Prose | None = None
    sources: Cited

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
    date: DateText
    event: Text
    event_zh: Text | None = None
    sources: Cited

    @property
    def when(self) -> PartialDate:
        return parse_partial_date(self.date)


class Figure(Record):
    __slots__ = ()
    metric: Text
    metric_zh: Text | None = None
    value: Number
    unit: Text
    unit_zh: Text | None = None
    qualifier: Qualifier = "exact"
    as_of: DateText | None = None
    sources: Cited


class Initiative(Record):
    __slots__ = ()
    id: Slug
    name: Text
    name_zh: Text | None = None
    # True when name_zh is our own label: no official Chinese name was found (or the English
    # name is a description, not a name). Chinese output marks it; exports leave it out.
    name_zh_translated: Flag = False
    aliases: Many[Text] = ()
    sector: Text
    secondary_sectors: Many[Text] = ()
    # Ids in the bodies registry (checked across the dataset).
    lead_body: Text
    partners: Many[Text] = ()
    status: Status
    announced_in: Text
    # The document in Chinese, where announced_in is not a Budget or Policy Address (whose
    # Chinese names are a rule: domain.words.zh_document).
    announced_in_zh: Text | None = None
    description: Prose
    description_zh: ChineseProse | None = None
    notes: Prose | None = None
    sources: Citations = ()
    allocations: Many[Allocation] = ()
    milestones: Many[Milestone] = ()
    figures: Many[Figure] = ()

    @property
    def sectors(self) -> tuple[str, ...]:
        return (self.sector, *self.secondary_sectors)

    @property
    def official_name_zh(self) -> str | None:
        """The Chinese name if it is the official one, not our label."""
        return None if self.name_zh_translated else self.name_zh

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
    """A running total the government itself gave for its I&T money, as it gave it."""

    __slots__ = ()
    id: Slug
    who: Text  # who said it: the Financial Secretary, the Chief Executive
    date: DateText
    words: Text  # the words of the claim, short: "nearly $200 billion"
    words_zh: Text | None = None  # the same words in the document's Chinese version
    words_zh_translated: Flag = False  # words_zh is our translation: no Chinese version seen
    window_from: FiscalYear  # the first and last fiscal years the claim covers
    window_to: FiscalYear
    amount: Amount
    qualifier: Qualifier = "exact"
    covers: Prose  # what the claim says it counts, in our own words
    covers_zh: ChineseProse | None = None
    sources: Cited
    note: Prose | None = None


class Dataset(Record):
    __slots__ = ()
    sectors: Some[Sector]
    bodies: Some[Body]
    sources: Some[Source]
    initiatives: Many[Initiative] = ()
    claims: Many[Claim] = ()


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


def _convert(model: Any, shared: dict[Any, Any] | None) -> Record:
    """The record of the schema object ``model``: its fields read in one go, lists made
    tuples, schema objects inside lists converted in turn; equal records of a shared kind
    are one object if ``shared`` collects them."""
    cls, fields, lists, nested, share = _PLANS.get(type(model)) or _plan(type(model))
    values = fields(model)
    if shared is not None:
        # Equal text becomes one object: a stored dataset then holds each status, slug, year
        # and repeated phrase once, and reading it back makes a third as many strings.
        values = tuple([shared.setdefault(v, v) if type(v) is str else v for v in values])
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
        elif shared is not None:
            copied[i] = tuple([shared.setdefault(v, v) if type(v) is str else v for v in items])
        else:
            copied[i] = tuple(items)
    return cls(copied)


def from_model(model: Any, kind: type[R]) -> R:
    """The record of a validated schema object (a models.Initiative, say)."""
    record = _convert(model, None)
    assert isinstance(record, kind)
    return record


def from_models(model: Any, share: bool = False, initiatives: Iterable[Any] = ()) -> Dataset:
    """Copy a validated pydantic dataset (models.Dataset) into records; with ``share``, equal
    citations become one object (worth its cost when the dataset is to be stored).

    ``initiatives``, if given, are the dataset's initiatives as validated schema objects, taken
    one at a time (the model then holds none): each is copied before the next is asked for."""
    shared: dict[Any, Any] | None = {} if share else None
    dataset = _convert(model, shared)
    assert isinstance(dataset, Dataset)
    copied = tuple([_convert(item, shared) for item in initiatives])
    if copied:
        dataset = dataset.replace(initiatives=dataset.initiatives + copied)
    return dataset


def _is_model_field(annotation: Any) -> bool:
    """Whether a field holds a schema object (or None): a class named like a record."""
    for arg in (annotation, *get_args(annotation)):
        if isinstance(arg, type) and arg.__name__ in RECORDS and arg.__module__.endswith("models"):
            return True
    return False
