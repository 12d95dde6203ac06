"""libyaml's syntax errors in plain words, located where the curator must look."""

from __future__ import annotations

import re
from typing import Any

import yaml

from hkit_cli.reading.textfile import Lines

# Characters YAML reads as line breaks although editors and `grep -n` do not.
_ODD_BREAKS = {"\x85": "U+0085 NEXT LINE", "\u2028": "U+2028 LINE SEPARATOR"}
_ODD_BREAKS["\u2029"] = "U+2029 PARAGRAPH SEPARATOR"

# A problem found while reading YAML: character offset, path into the data, message, hint.
Found = tuple[int | None, tuple[Any, ...], str, str]

# The dataset itself is 7 levels deep. libyaml's own composer recurses in C and crashes the
# process on a few thousand levels, so hkit builds nodes from events, with this limit.
MAX_DEPTH = 64


def too_deep(index: int) -> Found:
    """hkit's one message for data nested too deep, whichever layer refused it."""
    return (
        index,
        (),
        f"the data is nested more than {MAX_DEPTH} levels deep",
        "a data file needs about 7 levels; look for unclosed [ or {",
    )


def is_depth_limit(exc: yaml.MarkedYAMLError) -> bool:
    """Whether PyYAML or libyaml refused the text for its own nesting limit (PyYAML 6.0.4 and
    newer: "exceeded maximum nesting depth"), before hkit's limit was reached."""
    return "nesting" in str(exc.problem or "") or "nesting" in str(exc.context or "")


# libyaml's words for where it was, said the way a curator thinks of the file.
_CONTEXTS = {
    "while parsing a block collection": "in the list that starts at line %d",
    "while parsing a block mapping": "in the mapping that starts at line %d",
    "while parsing a flow sequence": "in the [ ] list that starts at line %d",
    "while parsing a flow mapping": "in the { } mapping that starts at line %d",
    "while scanning a quoted scalar": "in the quoted text that starts at line %d",
}


def syntax_problem(text: str, lines: Lines, exc: yaml.MarkedYAMLError) -> Found:
    """A located, plain-words version of a libyaml syntax error, with a hint where one helps."""
    problem = str(exc.problem or "")
    context = str(exc.context or "")
    mark = exc.problem_mark or exc.context_mark
    index = mark.index if mark is not None else 0
    if is_depth_limit(exc):
        return too_deep(index)
    # Where the file ends inside quotes or a key lacks its colon, the line to fix is where the
    # construct began, not where libyaml gave up.
    if exc.context_mark is not None and (
        problem.startswith("found unexpected end of stream")
        or problem == "could not find expected ':'"
        or "scanning an anchor" in context
        or "scanning an alias" in context
    ):
        index = exc.context_mark.index
    # An invisible break character is the real cause of whatever libyaml says next to it.
    start = text.rfind("\n", 0, max(0, text.rfind("\n", 0, index))) + 1
    end = text.find("\n", index)
    near = text[start : end if end >= 0 else len(text)]
    for char, name in _ODD_BREAKS.items():
        at = near.find(char)
        if at >= 0:
            return (
                start + at,
                (),
                f"invalid YAML: this text holds {name}, which YAML reads as a line break",
                "delete it; it is invisible in most editors",
            )
    opened = _unclosed_quote(text, index)
    if opened is not None and problem in _AFTER_A_RUNAWAY_QUOTE:
        message = "invalid YAML: a quote is opened here and never closed"
        return opened, (), message, "close the quote"
    what, hint = _syntax_words(text, index, problem, context, text[index : index + 1])
    if what == "unexpected `key:` here":
        # Point at the over-indented key itself, not at its colon.
        line_start = text.rfind("\n", 0, index) + 1
        before = text[line_start:index]
        index = line_start + len(before) - len(before.lstrip())
    where = ""
    if context in _CONTEXTS and exc.context_mark is not None:
        line, _ = lines.at(exc.context_mark.index)
        if line != lines.at(index)[0]:
            where = " (" + _CONTEXTS[context] % line + ")"
    return index, (), f"invalid YAML: {what}{where}", hint


# What libyaml says when a quote left open on an earlier line swallowed the lines after it and
# was closed by the next quote in the file: it then blames the indentation where it stopped.
_AFTER_A_RUNAWAY_QUOTE = frozenset(
    (
        "did not find expected key",
        "did not find expected '-' indicator",
        "did not find expected comment or line break",
        "mapping values are not allowed here",
        "could not find expected ':'",
    )
)
_OPENING_QUOTE = re.compile(r"""^\s*(?:-\s+)?(?:[^\s#'"][^#'"]*?:\s+)?(["'])""")


def _unclosed_quote(text: str, index: int) -> int | None:
    """Where a quoted value that is not closed on its own line opens, on one of the lines before
    the one at ``index`` (the quote that libyaml then ran on from), or None."""
    error_line = text.rfind("\n", 0, index) + 1
    start = error_line
    for _ in range(200):  # a value rarely runs over more lines than this
        if start == 0:
            return None
        start = text.rfind("\n", 0, start - 1) + 1
        line = text[start : text.find("\n", start)]
        match = _OPENING_QUOTE.match(line)
        if match is None:
            continue
        quote = match.group(1)
        rest = line[match.end() :]
        closed = rest.replace("\\" + quote, "").count(quote) if quote == '"' else rest.count(quote)
        if quote == "'":
            closed = rest.replace("''", "").count("'")
        if closed == 0:
            return start + match.start(1)
        return None  # the nearest quoted value is closed: the cause is elsewhere
    return None


def _syntax_words(text: str, index: int, problem: str, context: str, char: str) -> tuple[str, str]:
    if problem.startswith("found character that cannot start any token"):
        if char == "\t":
            return "a tab is used for indentation", "indent with spaces; YAML does not allow tabs"
        return f"a value cannot start with `{char}`", "put the value in quotes"
    if problem.startswith("found a tab character"):
        return "a tab is used for indentation", "indent with spaces; YAML does not allow tabs"
    if problem == "did not find expected comment or line break":
        return (
            "unexpected text after a value",
            "put the whole value in quotes; a comment starts with a space and #",
        )
    if problem == "did not find expected node content":
        return "a value is missing here", "look for a stray comma, colon, dash or bracket"
    if problem == "found unexpected document indicator":
        return (
            "a line inside quoted text starts with --- or ...",
            "indent that line, or put the text in a block with |",
        )
    if problem.startswith("mapping values are not allowed"):
        line_start = text.rfind("\n", 0, index) + 1
        if ": " not in text[line_start:index] and text[line_start:index].strip():
            return (
                "unexpected `key:` here",
                "check the indentation: this key is indented more than the keys above it",
            )
        return "unexpected `:` inside a value", 'a value that contains ": " must be put in quotes'
    if problem == "could not find expected ':'":
        return "a key without a `:`", "write a key as `name: value`, with a colon and a space"
    if problem.startswith("found unexpected end of stream"):
        return "a quote is opened here and never closed", "close the quote"
    if problem.startswith("found unknown escape character"):
        return (
            "an unknown escape in double-quoted text",
            "in double quotes a backslash starts an escape; use single quotes instead",
        )
    if "scanning an anchor" in context or "scanning an alias" in context:
        return (
            f"`{char}` starts an {'anchor' if char == '&' else 'alias'} here",
            "a value that starts with & or * must be put in quotes",
        )
    if "tag" in problem or "tag" in context:
        return "an unknown tag", "a value that starts with ! must be put in quotes"
    if problem == "did not find expected key":
        return (
            "expected a key at this indentation",
            "check the indentation: this line must line up with the keys above it",
        )
    if problem == "did not find expected '-' indicator":
        return (
            "expected a `- ` item at this indentation",
            "check the indentation: this line must line up with the items above it",
        )
    if problem.startswith("did not find expected ','"):
        closing = problem[-2]
        return (
            f"expected `,` or `{closing}`",
            "items in [ ] and { } are separated by commas, and every bracket must be closed",
        )
    if problem.startswith("block sequence entries are not allowed"):
        return "a `- ` item cannot start here", "put each `- ` item on its own line, under its key"
    if problem == "did not find expected <document start>":
        return (
            "unexpected text after the data",
            "check the indentation, brackets and quotes on this line",
        )
    if problem == "found incompatible YAML document":
        return "the %YAML line asks for an unknown YAML version", "remove the %YAML line"
    return problem or "the YAML cannot be read", ""
