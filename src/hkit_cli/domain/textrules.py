"""What text may hold: no control, bidirectional-override or invisible characters, however
they were written, and line breaks only in prose; and the one function that shows any text to
a person with such characters visibly escaped."""

from __future__ import annotations

import functools
import re
import unicodedata

# C0 controls (tab and line breaks included: prose allows \n alone), DEL and C1 controls;
# bidirectional embeddings, overrides, isolates and marks; zero-width characters, word joiners
# and invisible operators; the byte-order mark; line and paragraph separators.
_FORBIDDEN = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f"
    "\ufeff\ufff9-\ufffb]"
)
_FORBIDDEN_ONE_LINE = re.compile(_FORBIDDEN.pattern[:-1] + "\n]")

# Names of the control characters, which Unicode leaves unnamed.
_CONTROL_NAMES = {
    0x00: "NULL",
    0x07: "BELL",
    0x08: "BACKSPACE",
    0x09: "CHARACTER TABULATION",
    0x0A: "LINE FEED",
    0x0B: "LINE TABULATION",
    0x0C: "FORM FEED",
    0x0D: "CARRIAGE RETURN",
    0x1B: "ESCAPE",
    0x7F: "DELETE",
    0x85: "NEXT LINE",
    0x9B: "CONTROL SEQUENCE INTRODUCER",
    0x9C: "STRING TERMINATOR",
    0x9D: "OPERATING SYSTEM COMMAND",
}


def char_name(char: str) -> str:
    """`U+202E RIGHT-TO-LEFT OVERRIDE`: the code point and its name."""
    code = ord(char)
    name = unicodedata.name(char, "") or _CONTROL_NAMES.get(code, "CONTROL CHARACTER")
    return f"U+{code:04X} {name}"


def text_problem(value: str, multiline: bool = False) -> tuple[str, str] | None:
    """(message, hint) if ``value`` holds a character no text may hold (or a line break in
    a single-line field); None if it is fine."""
    found = (_FORBIDDEN if multiline else _FORBIDDEN_ONE_LINE).search(value)
    if found is None:
        return None
    char = found.group()
    if char == "\n":
        return (
            "holds a line break; this field is one line",
            "join the lines; in YAML, a value written over several lines with `>-` is joined",
        )
    return (
        f"holds {char_name(char)}, an invisible or control character",
        "delete it; if it came with copied text, retype the text around it",
    )


# What `visible` escapes: controls, format characters (bidi overrides, zero-width spaces),
# line and paragraph separators, surrogates and unassigned code points. Spaces such as U+3000
# stay as they are.
_HIDDEN = frozenset(("Cc", "Cf", "Cs", "Cn", "Zl", "Zp"))


def _escape(char: str) -> str:
    code = ord(char)
    if char in "\t\n\r":
        return repr(char)[1:-1]
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, multiline: bool = False) -> str:
    """``text`` for a person, on a terminal, a page, a chart or in a message: every control,
    override or invisible character is shown as a visible escape (`\\u202e`, `\\n`), never
    passed through. With ``multiline``, a line break is kept as a line break."""
    if text.isprintable():
        return text
    return "".join(
        _escape(c) if unicodedata.category(c) in _HIDDEN and not (multiline and c == "\n") else c
        for c in text
    )


# Chinese characters, kana and full-width punctuation, which Chinese writes without spaces.
_CJK = "\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"


@functools.cache
def _space_by_cjk() -> re.Pattern[str]:
    # Compiled when first needed (validating, not showing): it took 1.4 ms of every start.
    return re.compile(f"(?<=[{_CJK}]) +| +(?=[{_CJK}])")


def join_chinese(text: str) -> str:
    """Chinese prose as written: a YAML folded block turns each line break into a space, which
    Chinese does not have, so spaces next to a Chinese character or full-width punctuation go
    (`研究機構、 大學` reads `研究機構、大學`); spaces between Latin words stay."""
    return _space_by_cjk().sub("", text)


# Characters that exist only in Simplified Chinese, the common ones (each differs from its
# Traditional form: 这 這, 发 發...). Traditional text (the data's Chinese, the message
# catalogue) must not hold them.
SIMPLIFIED_ONLY = frozenset(
    "这个们来时为说国会发经对应现实项资产业务计区据术开关门问间议设认证让请读写数报类显"
    "总额预财审亿万长员机构标题约级网页链选择条单简体环节点线图结统场转评论兴创园备还没边"
    "从进运动营决农医药卫识语词库价钱银贷债税费补贴奖励学师课阶历记录载帮电脑软拨获尔导积"
    "极华与东济赋际质储书专过络"
)


def has_han(text: str) -> bool:
    """Whether ``text`` holds a Chinese (Han) character."""
    # A loop rather than a pattern: compiling the pattern cost every command 1 ms at start.
    return any(
        "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" or "\U00020000" <= c <= "\U0003134f"
        for c in text
    )
