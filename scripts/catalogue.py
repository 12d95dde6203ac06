"""The message catalogue: every interface word hkit shows, in English and Traditional Chinese.

Code marks its English (domain/messages.py: N_, Msg, Plural; table columns by their
heading). The Chinese is in src/hkit_cli/locale/zh_Hant/LC_MESSAGES/hkit.po, which translators'
tools (Poedit, Weblate, Lokalize) read; hkit reads the compiled hkit.mo beside it. Babel
extracts the marked words and compiles the catalogue; it is needed only to change the
catalogue, not to run hkit.

    python scripts/catalogue.py update    # after changing marked words: adds new entries,
                                          # untranslated, and drops entries no longer used
    python scripts/catalogue.py compile   # after translating: writes hkit.mo
    python scripts/catalogue.py check     # what tests/test_catalogue.py checks
"""

from __future__ import annotations

import contextlib
import gettext
import io
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from hkit_cli.domain.textrules import SIMPLIFIED_ONLY

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "hkit_cli"
PO = PACKAGE / "locale" / "zh_Hant" / "LC_MESSAGES" / "hkit.po"
MO = PO.with_suffix(".mo")

# How the code marks its words: a column's heading is the catalogue entry for its key.
KEYWORDS = {"N_": None, "Msg": None, "Plural": (1, 2), "Column": ((1, "c"), 2)}
# Entries added by hand for values of the data, not marked in the code: publishers' names as
# Chinese writes them, the periods allocations run for, the Finance Committee items given in
# words, and what a figure of spending measures (a test holds the shipped data's).
BY_HAND = ("publisher", "period", "approved by", "spent measure")

PLACEHOLDER = re.compile(r"\{(\w*)\}")


def marked() -> set[tuple[str | tuple[str, str], str | None]]:
    """Every (msgid, context) the code marks, plus the data's vocabulary words."""
    found: set[tuple[str | tuple[str, str], str | None]] = set()
    with contextlib.redirect_stderr(io.StringIO()):  # Babel's notes on unmarked f-strings
        extracted = list(
            extract_from_dir(str(PACKAGE), method_map=[("**.py", "python")], keywords=KEYWORDS)
        )
    for _file, _line, message, _comments, context in extracted:
        if isinstance(message, tuple):
            if not all(message):
                continue
            found.add(((message[0], message[1]), context))
        elif message:
            found.add((message, context))
    from hkit_cli.domain.words import VOCABULARIES

    for words, context in VOCABULARIES:
        found |= {(word, context) for word in words}
    return found


def read() -> Catalog:
    with PO.open("rb") as fp:
        return read_po(fp, locale="zh_Hant_HK", domain="hkit")


def problems() -> list[str]:
    """What is wrong with the catalogue: missing or empty entries, Simplified characters,
    placeholders that differ, entries no longer used, a compiled file out of date."""
    catalog = read()
    out = []
    wanted = marked()
    held = {(m.id, m.context) for m in catalog if m.id}
    for message, context in sorted(wanted - held, key=str):
        out.append(f"no Chinese for {message!r}" + (f" (context {context!r})" if context else ""))
    for message, context in sorted(held - wanted, key=str):
        if context not in BY_HAND:
            out.append(f"entry no longer used: {message!r}")
    for m in catalog:
        if not m.id:
            continue
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        if not all(strings):
            out.append(f"untranslated: {m.id!r}")
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        names = {n for i in ids for n in PLACEHOLDER.findall(i)}
        for s in strings:
            if set(PLACEHOLDER.findall(s or "")) != names:
                out.append(f"placeholders differ: {m.id!r} -> {s!r}")
            bad = sorted({c for c in s or "" if c in SIMPLIFIED_ONLY})
            if bad:
                out.append(f"Simplified character {''.join(bad)} in {s!r}")
    if not MO.is_file() or _entries(MO.read_bytes()) != _entries(compiled(catalog)):
        out.append("hkit.mo is out of date: run `python scripts/catalogue.py compile`")
    return out


def _entries(mo: bytes) -> dict[object, str]:
    """A compiled catalogue's entries, without its header (which names the Babel version)."""
    found = gettext.GNUTranslations(io.BytesIO(mo))._catalog  # type: ignore[attr-defined]
    return {key: text for key, text in found.items() if key != ""}


def compiled(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def update() -> None:
    catalog = read()
    wanted = marked()
    for message, context in sorted(wanted, key=str):
        if catalog.get(message, context) is None:
            catalog.add(message, "" if isinstance(message, str) else ("",), context=context)
    for m in list(catalog):
        if m.id and (m.id, m.context) not in wanted and m.context not in BY_HAND:
            catalog.delete(m.id, m.context)
    write(catalog)


def write(catalog: Catalog) -> None:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, omit_header=False, sort_output=True)
    PO.write_bytes(buffer.getvalue())


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "update":
        update()
        return 0
    if command == "compile":
        MO.write_bytes(compiled(read()))
        return 0
    if command == "check":
        found = problems()
        for problem in found:
            print(problem)
        return 1 if found else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
