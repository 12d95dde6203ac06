"""Words people read, marked for the message catalogue and said in either language.

Code writes every interface word and sentence in English, marked so that the catalogue's
extractor (scripts/catalogue.py, with Babel) finds it: ``N_("Sources")`` for a fixed word,
``Msg("Covers {first} to {last}", first=..., last=...)`` for a sentence with values, and
``Plural(one, other, n, ...)`` where English needs a plural. The catalogue
(``locale/zh_Hant/LC_MESSAGES/hkit.po``, compiled to ``hkit.mo``) holds the Traditional
Chinese; ``reading.catalogue`` looks it up. Vocabulary words of the data (statuses, kinds...)
are looked up with their vocabulary as the context, so that one English word can have a
different Chinese word in each.

A ``Msg`` is a ``str``: the English sentence, so that English output, JSON and tests read it
as text; it also keeps its template and values, so that the same sentence can be said in
Chinese with the values kept.
"""

from __future__ import annotations

from typing import Any


def N_(text: str) -> str:
    """Mark a fixed interface word for the catalogue; it is translated where it is shown."""
    return text


class Msg(str):
    """An English sentence built from a catalogue template and its values."""

    template: str
    plural: str | None
    n: int | None
    args: dict[str, Any]

    def __new__(cls, template: str, /, **args: Any) -> Msg:
        self = super().__new__(cls, template.format(**args) if args else template)
        self.template = template
        self.plural = None
        self.n = None
        self.args = args
        return self


def Plural(one: str, other: str, n: int, /, **args: Any) -> Msg:  # noqa: N802 - reads as Msg
    """A sentence whose English depends on a count ``n`` (also passed to the template as n)."""
    message = Msg(one if n == 1 else other, n=n, **args)
    message.template = one
    message.plural = other
    message.n = n
    return message
