"""The message catalogue: the Traditional Chinese of every interface word (domain/messages.py
says how code marks them). Read from the compiled ``hkit.mo`` shipped in the package, once
per process and only when Chinese is asked for; its source is ``hkit.po`` beside it."""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path
from typing import Any

from hkit_cli.domain.messages import Msg

DOMAIN = "hkit"
LOCALE = "zh_Hant"
_MISSING = "\x00"  # what the catalogue answers for a word it does not hold


class _Missing(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return _MISSING

    def pgettext(self, context: str, message: str) -> str:
        return _MISSING

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return _MISSING

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        return _MISSING


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The catalogue of ``lang`` ("zh"); for English, one that holds nothing."""
    if lang != "zh":
        return _Missing()
    path = Path(__file__).parent.parent / "locale" / LOCALE / "LC_MESSAGES" / f"{DOMAIN}.mo"
    with path.open("rb") as fp:
        found = gettext.GNUTranslations(fp)
    found.add_fallback(_Missing())
    return found


def lookup(lang: str, text: str, context: str | None = None) -> str | None:
    """The catalogue's ``text`` in ``lang`` (for a ``Msg``, its template), or None."""
    words = translations(lang)
    if isinstance(text, Msg) and text.plural is not None and text.n is not None:
        if context:
            found = words.npgettext(context, text.template, text.plural, text.n)
        else:
            found = words.ngettext(text.template, text.plural, text.n)
    else:
        key = text.template if isinstance(text, Msg) else str(text)
        found = words.pgettext(context, key) if context else words.gettext(key)
    return None if found == _MISSING else found


def say(lang: str, text: str, context: str | None = None) -> str:
    """``text`` in ``lang``: a marked word, or a ``Msg`` with its values (themselves said in
    ``lang`` where they are messages). A word looked up in a context that does not hold it is
    looked up without one. English, and text the catalogue does not hold, come back as they
    are."""
    if lang == "en":
        return str(text)
    found = lookup(lang, text, context) if context else None
    if found is None:
        found = lookup(lang, text)
    if found is None:
        return str(text)
    if isinstance(text, Msg):
        values = {k: _said(lang, v) for k, v in text.args.items()}
        return found.format(**values)
    return found


def _said(lang: str, value: Any) -> Any:
    """A value inside a message, in ``lang``: a message is said again; a value that knows
    how each language writes it (``in_language``, such as an amount) writes itself."""
    if isinstance(value, Msg):
        return say(lang, value)
    in_language = getattr(value, "in_language", None)
    return in_language(lang) if in_language is not None else value
