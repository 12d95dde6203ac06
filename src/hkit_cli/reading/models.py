"""The schema: pydantic models with strict shapes and per-field rules and messages, no I/O and
no behaviour; a validated dataset is converted into records (records.py) for everything else."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Annotated, Any, Literal, get_args

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from hkit_cli.domain import vocab
from hkit_cli.domain.dates import parse_partial_date
from hkit_cli.domain.money import parse_amount, split_qualifier
from hkit_cli.domain.textrules import join_chinese, text_problem
from hkit_cli.domain.vocab import SLUG, fiscal_year_problem

# The error type of an amount whose words ("about HK$220 million") contradict its qualifier.
QUALIFIER_CONFLICT = "qualifier_conflict"


def _slug(value: str) -> str:
    if not SLUG.match(value):
        raise ValueError(
            f"`{value}` is not a slug; use lower-case letters, digits and single hyphens"
        )
    return value


def _fiscal_year(value: str) -> str:
    problem = fiscal_year_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def _partial_date(value: str) -> str:
    parse_partial_date(value)
    return value


_URL = re.compile(r"^https?://[^\s/?#]+[^\s]*\Z")


def _url(value: str) -> str:
    _clean(value, multiline=False)
    if not _URL.match(value):
        raise ValueError(
            f"`{value}` is not an absolute web address; write it in full, starting with "
            "https:// or http://"
        )
    return value


# The error type of text holding a character no text may hold; its hint travels in ctx.
TEXT_PROBLEM = "hkit_text"


def _text(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return _clean(value, multiline=False)


def _prose(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return _clean(value, multiline=True)


def _chinese_prose(value: str) -> str:
    return join_chinese(_prose(value))


def _clean(value: str, multiline: bool) -> str:
    problem = text_problem(value, multiline)
    if problem is not None:
        message, hint = problem
        raise PydanticCustomError(TEXT_PROBLEM, message, {"hint": hint})
    return value


# Plain decimal notation only: Decimal() alone would also take "1_000", "1e3" or "Infinity",
# and "0777" reads as octal to YAML 1.1 and to some readers of the data.
_PLAIN_NUMBER = re.compile(r"^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?$")


def _number(value: object) -> Decimal:
    if value is None:
        raise ValueError("is empty; expected a number such as 30, 5000 or 2.5")
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise ValueError("expected a number such as 30, 5000 or 2.5")
    text = str(value).strip()
    if not _PLAIN_NUMBER.match(text):
        raise ValueError(f"`{value}` is not a plain number; write it like 30, 5000 or 2.5")
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        raise ValueError(f"`{value}` is not a number; write it like 30, 5000 or 2.5") from None


def _citation(value: object) -> object:
    # A citation is written either as a bare source id or as a mapping with a locator.
    return {"id": value} if isinstance(value, str) else value


Slug = Annotated[str, AfterValidator(_slug)]
Text = Annotated[str, AfterValidator(_text)]  # one line
Prose = Annotated[str, AfterValidator(_prose)]  # may run over several lines
ChineseProse = Annotated[str, AfterValidator(_chinese_prose)]  # folded lines join without spaces
Url = Annotated[str, AfterValidator(_url)]
FiscalYear = Annotated[str, AfterValidator(_fiscal_year)]
DateText = Annotated[str, AfterValidator(_partial_date)]
Amount = Annotated[int, BeforeValidator(parse_amount)]
Number = Annotated[Decimal, BeforeValidator(_number)]

# The closed vocabularies come from vocab.py, where the command line and the checks read them
# too; for the type checker they are plain text.
if TYPE_CHECKING:
    SourceKind = str
    Status = str
    Qualifier = str
    Scope = str
    AllocationKind = str
    Form = str
    ApprovalStage = str
else:
    SourceKind = Literal[vocab.SOURCE_KINDS]
    Status = Literal[vocab.STATUSES]
    Qualifier = Literal[vocab.QUALIFIERS]
    Scope = Literal[vocab.SCOPES]
    AllocationKind = Literal[vocab.ALLOCATION_KINDS]
    Form = Literal[vocab.FORMS]
    ApprovalStage = Literal[vocab.APPROVAL_STAGES]


def _split_qualifier(data: Any) -> Any:
    # "about HK$220 million" may be written as the source words it; the qualifier is kept.
    if isinstance(data, dict) and isinstance(data.get("amount"), str):
        word, rest = split_qualifier(data["amount"])
        if word is not None:
            stated = data.get("qualifier")
            if stated is not None and stated != word:
                raise PydanticCustomError(
                    QUALIFIER_CONFLICT,
                    "the amount says `{word}` but the qualifier is `{stated}`",
                    {"word": word, "stated": stated},
                )
            data = {**data, "amount": rest, "qualifier": word}
    return data


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True)


class Sector(Model):
    slug: Slug
    name: Text
    name_zh: Text


class Body(Model):
    """A government body or public organisation that leads or partners in initiatives."""

    id: Slug
    name: Text
    name_zh: Text
    abbreviation: Text | None = None
    # Former names and other ways of writing it (`Innovation and Technology Bureau` for the
    # bureau renamed in 2022): matched by `--lead-body`, never shown as a second body.
    aliases: list[Text] = Field(default_factory=list)


class Source(Model):
    id: Slug
    title: Text
    title_zh: Text | None = None  # the title of the document's Chinese version, if it has one
    publisher: Text
    date: DateText
    kind: SourceKind
    url: Url | None = None
    locator: Text | None = None
    file: Text | None = None
    # The fiscal year for which this document (a Budget speech, a Policy Address) was read in
    # full for I&T money; `hkit coverage` lists it under that year even if it gave nothing new.
    covers: FiscalYear | None = None


# References to other records are checked across the dataset (checks.py), where the
# message can list what exists; here they only need to be text.


class Citation(Model):
    id: Text
    locator: Text | None = None


Citations = list[Annotated[Citation, BeforeValidator(_citation)]]


class Approval(Model):
    """How far LegCo has dealt with the money: by whom, when and how much, cited."""

    stage: ApprovalStage
    by: Text | None = None  # FCR(2018-19)38, or "Appropriation Ordinance 2024"
    date: DateText | None = None
    amount: Amount | None = None
    sources: Citations = Field(default_factory=list)
    note: Prose | None = None


class Spent(Model):
    """An official figure of the money spent or committed to date, and what it measures."""

    amount: Amount
    qualifier: Qualifier = "exact"
    as_of: DateText
    measure: Text  # what the figure counts: "spent", "committed", "approved for projects"
    sources: Citations = Field(min_length=1)
    note: Prose | None = None


class Allocation(Model):
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
    sources: Citations = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _qualifier_from_amount(cls, data: Any) -> Any:
        return _split_qualifier(data)


class Milestone(Model):
    date: DateText
    event: Text
    event_zh: Text | None = None
    sources: Citations = Field(min_length=1)


class Figure(Model):
    metric: Text
    metric_zh: Text | None = None
    value: Number
    unit: Text
    unit_zh: Text | None = None
    qualifier: Qualifier = "exact"
    as_of: DateText | None = None
    sources: Citations = Field(min_length=1)


class Initiative(Model):
    id: Slug
    name: Text
    name_zh: Text | None = None
    aliases: list[Text] = Field(default_factory=list)
    sector: Text
    secondary_sectors: list[Text] = Field(default_factory=list)
    # Ids in the bodies registry (checked across the dataset).
    lead_body: Text
    partners: list[Text] = Field(default_factory=list)
    status: Status
    announced_in: Text
    description: Prose
    description_zh: ChineseProse | None = None
    notes: Prose | None = None
    sources: Citations = Field(default_factory=list)
    allocations: list[Allocation] = Field(default_factory=list)
    milestones: list[Milestone] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)


class Claim(Model):
    """A running total the government itself gave for its I&T money, as it gave it."""

    id: Slug
    who: Text  # who said it: the Financial Secretary, the Chief Executive
    date: DateText
    words: Text  # the words of the claim, short: "nearly $200 billion"
    window_from: FiscalYear  # the first and last fiscal years the claim covers
    window_to: FiscalYear
    amount: Amount
    qualifier: Qualifier = "exact"
    covers: Prose  # what the claim says it counts, in our own words
    sources: Citations = Field(min_length=1)
    note: Prose | None = None

    @model_validator(mode="before")
    @classmethod
    def _qualifier_from_amount(cls, data: Any) -> Any:
        return _split_qualifier(data)


class Dataset(Model):
    sectors: list[Sector] = Field(min_length=1)
    bodies: list[Body] = Field(min_length=1)
    sources: list[Source] = Field(min_length=1)
    initiatives: list[Initiative] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)


def model_for_path(path: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class whose fields live at ``path`` inside a dataset (None if not a model)."""
    current: Any = Dataset
    for part in path:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(part)
        if field is None:
            return None
        current = _inner_model(field.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    # Unwrap list[...], X | None and Annotated[...] down to a model class, if there is one.
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        inner = _inner_model(arg)
        if inner is not None:
            return inner
    return None
