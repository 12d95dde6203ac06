"""The schema: pydantic models with strict shapes and per-field rules and messages, no I/O and
no behaviour. Each model is built from its record's declaration (domain/records.py), so one
declaration gives both shapes; a validated dataset is converted into records for everything
else."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    create_model,
    model_validator,
)
from pydantic_core import PydanticCustomError

from hkit_cli.domain import records, vocab
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
    # Run for some 200,000 values in a large file: text with no control, format or separator
    # character at all (isprintable, in C) needs no closer look.
    if value.isprintable() and value and not value.isspace():
        return value
    if not value.strip():
        raise ValueError("must not be empty")
    return _clean(value, multiline=False)


def _prose(value: str) -> str:
    if value.isprintable() and value and not value.isspace():
        return value
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


def _flag(value: object) -> bool:
    # Every scalar is read as text; only the two YAML words for yes and no are taken.
    if value is True or value == "true":
        return True
    if value is False or value == "false":
        return False
    raise ValueError(f"`{value}` is not true or false; write true or false")


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
Flag = Annotated[bool, BeforeValidator(_flag)]

# The closed vocabularies come from vocab.py, where the command line and the checks read them
# too; for the type checker they are plain text.
if TYPE_CHECKING:
    from hkit_cli.domain.records import (
        AllocationKind,
        ApprovalStage,
        Form,
        Qualifier,
        Scope,
        SourceKind,
        Status,
    )
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


class _Qualified(Model):
    """A model whose amount may carry its qualifier in words ("about HK$220 million")."""

    @model_validator(mode="before")
    @classmethod
    def _qualifier_from_amount(cls, data: Any) -> Any:
        return _split_qualifier(data)


class _Many:
    """`Many[X]` in a record's declaration: a list of X."""

    def __class_getitem__(cls, item: Any) -> Any:
        return list[item]


class _Some:
    """`Some[X]`: a list of X that may not be empty."""

    def __class_getitem__(cls, item: Any) -> Any:
        return Annotated[list[item], Field(min_length=1)]


# The names a record's declaration uses for its types (domain/records.py), with their rules.
_TYPES: dict[str, Any] = {
    "Flag": Flag,
    "Slug": Slug,
    "Text": Text,
    "Prose": Prose,
    "ChineseProse": ChineseProse,
    "Url": Url,
    "FiscalYear": FiscalYear,
    "DateText": DateText,
    "Amount": Amount,
    "Number": Number,
    "SourceKind": SourceKind,
    "Status": Status,
    "Qualifier": Qualifier,
    "Scope": Scope,
    "AllocationKind": AllocationKind,
    "Form": Form,
    "ApprovalStage": ApprovalStage,
    "Many": _Many,
    "Some": _Some,
}


def _model(record: type[records.Record], base: type[Model] = Model) -> Any:
    """The pydantic model of a record class, built from the record's own declaration: the same
    fields in the same order, each with the rules of its type and the record's default."""
    declared = record.__dict__["__annotations__"]
    fields: dict[str, Any] = {}
    for name in record._fields:
        annotation = eval(declared[name], {"__builtins__": {}}, _TYPES)  # noqa: S307
        if name not in record._defaults:
            default: Any = Field()  # required (not `...`, which pydantic 2.6 mistakes here)
        elif record._defaults[name] == ():
            default = Field(default_factory=list)  # an empty list by default
        else:
            default = record._defaults[name]
        fields[name] = (annotation, default)
    model = create_model(
        record.__name__,
        __base__=base,
        __module__=__name__,
        __doc__=record.__doc__,
        **fields,
    )
    _TYPES[record.__name__] = model
    return model


# In dependency order: a model is named in _TYPES once built, for the ones that hold it.
Sector = _model(records.Sector)
Body = _model(records.Body)
Source = _model(records.Source)
Citation = _model(records.Citation)
# A citation is written either as a bare source id or as a mapping with a locator.
_CITATIONS = list[Annotated[Citation, BeforeValidator(_citation)]]  # type: ignore[valid-type]
_TYPES["Citations"] = _CITATIONS
_TYPES["Cited"] = Annotated[_CITATIONS, Field(min_length=1)]
Approval = _model(records.Approval)
Spent = _model(records.Spent)
Allocation = _model(records.Allocation, _Qualified)
Milestone = _model(records.Milestone)
Figure = _model(records.Figure)
Initiative = _model(records.Initiative)
Claim = _model(records.Claim, _Qualified)
Dataset = _model(records.Dataset)


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
