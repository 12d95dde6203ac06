"""The loader's strictness: what YAML may do, what it may not, and that each refusal is located."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import BASE, Invoke, assert_load_agrees_with_validate, synthetic
from hkit_cli.cli import BUNDLED_DATA
from hkit_cli.domain.errors import DataError, Problem
from hkit_cli.domain.records import Citation, Dataset
from hkit_cli.reading import loader, textfile
from hkit_cli.reading.loader import load, validate
from hkit_cli.reading.textfile import Lines
from hkit_cli.reading.yamlerrors import MAX_DEPTH, syntax_problem, too_deep
from hkit_cli.reading.yamlreader import Composer

Write = Callable[..., Path]


def messages(problems: list[Problem]) -> list[str]:
    return [str(p).split(": ", 1)[1] for p in problems]


def test_base_is_valid(write: Write) -> None:
    dataset, problems = validate(write(BASE))
    assert problems == []
    assert dataset is not None and dataset.initiatives[0].allocations[0].amount == 10**9


# --- Duplicate keys --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("sources:\n", "sectors: []\nsources:\n", "4:1: sectors"),
        (
            "    kind: official\n",
            "    kind: official\n    kind: news\n",
            "10:5: sources[budget-2025].kind",
        ),
        (
            "        kind: allocation\n",
            "        kind: allocation\n        amount: HK$2 billion\n",
            "23:9: initiatives[ai-institute].allocations[ai-institute-setup].amount",
        ),
        (
            "[{id: budget-2025, locator: para 1}]",
            "[{id: budget-2025, id: other, locator: para 1}]",
            "24:37: initiatives[ai-institute].allocations[ai-institute-setup].sources[0].id",
        ),
    ],
)
def test_duplicate_keys_are_errors(write: Write, old: str, new: str, where: str) -> None:
    path = write(BASE.replace(old, new, 1))
    dataset, problems = validate(path)
    assert dataset is None
    duplicates = [str(p) for p in problems if "duplicate key" in p.message]
    assert len(duplicates) == 1
    assert duplicates[0].startswith(f"{path}:{where}")
    assert "YAML would silently use the last" in duplicates[0]


def test_the_first_of_two_duplicate_keys_is_kept_and_named(write: Write) -> None:
    path = write(BASE.replace("    kind: official\n", "    kind: official\n    kind: news\n"))
    _, problems = validate(path)
    assert [str(p) for p in problems] == [
        f"{path}:10:5: sources[budget-2025].kind: duplicate key `kind`: it is already set at line 9 "
        "(hint: keep one of them; YAML would silently use the last)"
    ]


# --- Anchors and aliases ---------------------------------------------------------------------

BOM = "\ufeff"


@pytest.mark.parametrize(
    "snippet",
    [
        "x: [&a v, *a]",  # right after [
        "x: [v,&a w,*a]",  # right after , with no space
        "x: {k: &a v, j: *a}",  # after : in flow
        "x: {&a k: v, j: *a}",  # on a key, right after {
        "x: {? &a k : v, j: *a}",  # after ? in flow
        "x:\n  - &a v\n  - *a",  # after -
        "x: &a v\ny: *a",  # after :
        "&a x: v\ny: *a",  # at line start, on a key
        "? &a x\n: v\ny: *a",  # after ? in block style
        "x: !!str &a v\ny: *a",  # after a tag
        "x: &a !!str v\ny: *a",  # before a tag
        "x: [!!str &a v, *a]",  # after a tag in flow
        "x:\n" + BOM + "&a [v]\ny:\n" + BOM + "*a",  # after a byte-order mark at line start
        "x: [\n" + BOM + "&a v,\n" + BOM + "*a]",  # the same, inside flow style
    ],
)
def test_every_anchor_and_alias_is_refused(write: Write, snippet: str) -> None:
    path = write(BASE + snippet + "\n")
    dataset, problems = validate(path)
    assert dataset is None
    found = messages(problems)
    assert any("anchors (`&a`) are not allowed" in m for m in found), found
    assert any("aliases (`*a`) are not allowed" in m for m in found), found
    assert all(p.line is not None and p.column is not None for p in problems)


def test_an_alias_is_located_where_it_is_used(write: Write) -> None:
    path = write(
        BASE.replace("lead_body: dpo", "lead_body: &dpo dpo")
        + "  - id: other\n    lead_body: *dpo\n"
    )
    _, problems = validate(path)
    refused = [str(p) for p in problems if "are not allowed" in p.message]
    assert refused == [
        f"{path}:15:16: initiatives[ai-institute].lead_body: anchors (`&dpo`) are not allowed "
        "(hint: write the value out in full wherever it is needed)",
        f"{path}:26:16: initiatives[other].lead_body: aliases (`*dpo`) are not allowed "
        "(hint: write the value out in full; if it is text, put it in quotes)",
    ]


def _bomb(levels: int, width: int, bom: bool) -> str:
    # The "billion laughs": each level repeats the one before `width` times.
    lead = BOM if bom else ""
    lines = ["lol:", f"  a: &a [{', '.join(['lol'] * width)}]"]
    for level in range(1, levels):
        name, previous = f"l{level}", "a" if level == 1 else f"l{level - 1}"
        lines += [f"  {name}:", f"{lead}    &{name} [{', '.join([f'*{previous}'] * width)}]"]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("bom", [False, True])
def test_alias_bomb_fails_fast_in_bounded_memory(hkit: Invoke, write: Write, bom: bool) -> None:
    # 10 levels of 10 would expand to 10**10 strings.
    path = write(BASE + _bomb(levels=10, width=10, bom=bom))
    tracemalloc.start()
    started = time.perf_counter()
    _, problems = validate(path)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 1.0
    assert peak < 20 * 2**20
    assert sum("aliases" in p.message for p in problems) == 9 * 10
    started = time.perf_counter()
    run = hkit("--data", str(path), "validate")
    assert time.perf_counter() - started < 1.0
    assert run.exit_code == 1
    assert "Traceback" not in run.stderr


# --- Tags ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "template",
    [
        "x: !!python/object/apply:os.system ['touch {marker}']",
        "x: !!python/object/apply:subprocess.call [[touch, {marker}]]",
        "x: !!python/object/new:subprocess.Popen [[touch, {marker}]]",
        "x: !<tag:yaml.org,2002:python/object/apply:os.system> ['touch {marker}']",
        "!!python/object/apply:os.system ['touch {marker}']: key",
    ],
)
def test_python_tags_are_refused_and_never_run(
    hkit: Invoke, write: Write, tmp_path: Path, template: str
) -> None:
    marker = tmp_path / "hacked"
    path = write(BASE + template.format(marker=marker) + "\n")
    run = hkit("--data", str(path), "validate")
    assert not marker.exists()
    assert run.exit_code == 1
    assert "is not allowed" in run.stderr
    assert "tag `!!python/object/" in run.stderr


def test_a_tag_directive_cannot_smuggle_a_python_tag(
    hkit: Invoke, write: Write, tmp_path: Path
) -> None:
    marker = tmp_path / "hacked"
    text = "%TAG !p! tag:yaml.org,2002:python/\n---\n" + BASE
    path = write(text + f"x: !p!object/apply:os.system ['touch {marker}']\n")
    run = hkit("--data", str(path), "validate")
    assert not marker.exists()
    assert run.exit_code == 1
    assert "the tag `!!python/object/apply:os.system` is not allowed" in run.stderr


def test_harmless_tags_say_what_the_loader_does_anyway(write: Write) -> None:
    dataset = load(write(BASE.replace("name: AI Institute", "name: !!str AI Institute")))
    assert dataset.initiatives[0].name == "AI Institute"
    _, problems = validate(write(BASE.replace("name: AI Institute", "name: !!int 5")))
    assert messages(problems) == [
        "initiatives[ai-institute].name: the tag `!!int` is not allowed "
        "(hint: remove the tag; if the `!` is part of the text, put the value in quotes)"
    ]


# --- YAML 1.1 look-alikes --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["no", "No", "off", "on", "yes", "y", "n", "0777", "1_000", "0x1F", "1e3", ".inf", ".nan"]
    + ["2026-02-25", "2026-02-25 10:00:00", "12:30:00", "1:20", "+1", "-0", "0b101", "=", "<<"],
)
def test_scalars_keep_their_text(write: Write, text: str) -> None:
    quoted_free = BASE.replace("name: AI Institute", f"name: {text}").replace(
        "    announced_in: 2025-26 Budget", f"    announced_in: {text}"
    )
    dataset = load(write(quoted_free))
    assert dataset.initiatives[0].name == text
    assert dataset.initiatives[0].announced_in == text


def test_ids_years_and_dates_stay_text(write: Write) -> None:
    text = (
        BASE.replace("id: ai-institute\n", "id: 0777\n")
        .replace("date: 2025-02-26", "date: 2025")
        .replace(
            "sources: [{id: budget-2025, locator: para 1}]",
            "sources: [{id: budget-2025, locator: para 1}]\n        period: 2025",
        )
    )
    dataset = load(write(text))
    initiative = dataset.initiatives[0]
    assert initiative.id == "0777"
    assert initiative.allocations[0].fiscal_year == "2025-26"
    assert initiative.allocations[0].period == "2025"
    assert dataset.sources[0].date == "2025"


@pytest.mark.parametrize("null", ["~", "null", "NULL", ""])
def test_null_in_a_required_field_is_located(write: Write, null: str) -> None:
    path = write(BASE.replace("name: AI Institute", f"name: {null}"))
    _, problems = validate(path)
    assert [str(p) for p in problems] == [
        f"{path}:13:{11 if null else 10}: initiatives[ai-institute].name: is empty; expected text"
    ]


def test_quoted_null_is_text(write: Write) -> None:
    dataset = load(write(BASE.replace("name: AI Institute", 'name: "null"')))
    assert dataset.initiatives[0].name == "null"


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("1_000", "`1_000` is not an amount"),
        ("0x1F", "`0x1F` is not an amount"),
        ("1e3", "`1e3` is not an amount"),
        (".inf", "`.inf` is not an amount"),
        ("0777", "`0777` has a leading zero"),
        ("yes", "`yes` is not an amount"),
        ("~", "is empty; expected an amount"),
    ],
)
def test_amounts_never_take_yaml_11_meanings(write: Write, amount: str, message: str) -> None:
    path = write(BASE.replace("amount: HK$1 billion", f"amount: {amount}"))
    _, problems = validate(path)
    assert len(problems) == 1
    assert str(problems[0]).startswith(
        f"{path}:21:17: initiatives[ai-institute].allocations[ai-institute-setup].amount: {message}"
    )


@pytest.mark.parametrize("value", ["1e3", "1_000", "0x1F", ".inf", "0777", "Infinity", "1,000"])
def test_figure_values_are_plain_numbers(write: Write, value: str) -> None:
    figure = (
        "    figures:\n      - metric: jobs\n"
        f"        value: {value}\n        unit: jobs\n"
        "        sources: [{id: budget-2025, locator: para 1}]\n"
    )
    _, problems = validate(write(BASE + figure))
    assert messages(problems) == [
        f"initiatives[ai-institute].figures[0].value: `{value}` is not a plain number "
        "(hint: write it like 30, 5000 or 2.5)"
    ]


# --- Files -----------------------------------------------------------------------------------


def _only(path: Path) -> str:
    dataset, problems = validate(path)
    assert dataset is None and len(problems) == 1
    return str(problems[0])


def test_missing_file_and_directory(hkit: Invoke, tmp_path: Path) -> None:
    assert _only(tmp_path / "nope.yaml") == (
        f"{tmp_path / 'nope.yaml'}: file not found "
        "(hint: check the path given as FILE, with --data or in HKIT_DATA)"
    )
    assert _only(tmp_path) == f"{tmp_path}: is a directory, not a data file"
    run = hkit("--data", str(tmp_path), "validate")
    assert run.exit_code == 1
    assert run.stderr == (
        f"{tmp_path}: is a directory, not a data file\nhkit: error: {tmp_path}: 1 problem found\n"
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file(tmp_path: Path) -> None:  # pragma: no cover - not run as root
    path = tmp_path / "secret.yaml"
    path.write_text(BASE, encoding="utf-8")
    path.chmod(0)
    assert _only(path) == f"{path}: cannot be read: permission denied"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "1:1: the file is empty"),
        ("\n\n   \n", "1:1: the file is empty"),
        ("# only\n# comments\n", "1:1: the file holds only comments"),
        ("---\n", "1:1: the YAML document is empty"),
        ("# a comment\n---\n...\n", "2:1: the YAML document is empty"),
    ],
)
def test_files_without_data(write: Write, text: str, expected: str) -> None:
    path = write(text)
    assert _only(path) == (
        f"{path}:{expected} (hint: it needs the keys sectors, bodies, sources and initiatives; "
        "see CURATION.md)"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "- a\n- b\n",
            "1:1: the top level must be a mapping with the keys sectors, bodies, sources and "
            "initiatives, not a list",
        ),
        (
            "just text\n",
            "1:1: the top level must be a mapping with the keys sectors, bodies, sources and "
            "initiatives, not `just text`",
        ),
        (
            BASE + "---\n" + BASE,
            "25:1: the file holds more than one YAML document (hint: remove "
            "the `---` line, or merge what follows it into the document above)",
        ),
    ],
)
def test_wrong_shapes(write: Write, text: str, expected: str) -> None:
    path = write(text)
    assert _only(path) == f"{path}:{expected}"


def test_invalid_utf8_is_located_by_line_and_character(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(BASE.encode().replace(b"AI Institute", "人工 ".encode() + b"caf\xe9"))
    # `    name: 人工 caf` is 16 characters (but 20 bytes) before the bad byte.
    assert _only(path) == (
        f"{path}:13:17: the file is not UTF-8 text: byte 0xE9 here is not part of a UTF-8 character (hint: save the file as UTF-8)"
    )


def test_utf16_is_recognised(tmp_path: Path) -> None:
    path = tmp_path / "utf16.yaml"
    path.write_bytes(BASE.encode("utf-16"))
    assert _only(path) == (
        f"{path}:1:1: the file is not UTF-8 text: byte 0xFF here is not part of a UTF-8 character "
        "(hint: the file looks like UTF-16; save it as UTF-8)"
    )


def test_byte_order_mark_and_crlf_load_and_locate_correctly(tmp_path: Path) -> None:
    path = tmp_path / "windows.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + BASE.replace("\n", "\r\n").encode())
    assert load(path).initiatives[0].name == "AI Institute"
    path.write_bytes(
        b"\xef\xbb\xbf" + BASE.replace("sectors:", "sectors: 1\nx:").replace("\n", "\r\n").encode()
    )
    _, problems = validate(path)
    assert [(p.line, p.column, p.path) for p in problems] == [(1, 10, "sectors"), (2, 1, "x")]


def test_old_mac_line_endings_count_as_lines(tmp_path: Path) -> None:
    path = tmp_path / "mac.yaml"
    path.write_bytes(
        BASE.replace("fiscal_year: 2025-26", "fiscal_year: 2025-27").replace("\n", "\r").encode()
    )
    _, problems = validate(path)
    assert [(p.line, p.column) for p in problems] == [(23, 22)]


def test_nul_and_control_characters_are_located(write: Write) -> None:
    path = write(BASE.replace("name: AI Institute", "name: AI\x00Institute"))
    assert _only(path) == f"{path}:13:13: contains a NUL byte; it is not a text file"
    path = write(BASE.replace("name: AI Institute", "name: AI\x07Institute"))
    assert _only(path).startswith(
        f"{path}:13:13: contains the control character U+0007, which YAML does not allow"
    )


def test_tab_indentation(write: Write) -> None:
    path = write(BASE.replace("    name: AI Institute", "\tname: AI Institute"))
    assert _only(path) == (
        f"{path}:13:1: invalid YAML: a tab is used for indentation "
        "(hint: indent with spaces; YAML does not allow tabs)"
    )


def test_a_value_that_breaks_a_line_is_printed_on_one_line(write: Write, hkit: Invoke) -> None:
    path = write(BASE.replace("kind: official", 'kind: "offi\\ncial\\u202e"'))
    run = hkit("--data", str(path), "validate")
    assert run.stderr.splitlines()[0] == (
        f"{path}:9:11: sources[budget-2025].kind: `offi\\ncial\\u202e` is not one of: "
        "official, repost, news, opinion, feature (hint: did you mean `official`?)"
    )


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000,
        "{a: " * 100_000,
        "x: " + "[" * 100_000 + "]" * 100_000,
        "- " * 100_000 + "x",
        "".join(" " * i + "a:\n" for i in range(3000)),
    ],
    ids=["brackets", "braces", "closed-brackets", "dashes", "indented-keys"],
)
def test_deep_nesting_is_refused_without_crashing(tmp_path: Path, text: str) -> None:
    # A real process: libyaml's own composer would overflow the C stack (a segfault, not an
    # exception), so the test must not share the process that could die.
    path = tmp_path / "deep.yaml"
    path.write_text(text, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "hkit_cli", "--data", str(path), "validate"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 1, run.stderr
    first = run.stderr.splitlines()[0]
    assert first.startswith(f"{path}:")
    assert first.endswith(
        "the data is nested more than 64 levels deep "
        "(hint: a data file needs about 7 levels; look for unclosed [ or {)"
    )


# Which parser reads the text, and which limit refuses it first, depends on how PyYAML was
# built and on its version (6.0.4 added libyaml's own limit of 1,000 levels). The message and
# its place must not.
_PARSERS = [pytest.param(yaml.SafeLoader, id="pure-python")]
if getattr(yaml, "CSafeLoader", None) is not None:
    _PARSERS.append(pytest.param(yaml.CSafeLoader, id="libyaml"))


@pytest.mark.parametrize("parser", _PARSERS)
@pytest.mark.parametrize(
    ("prefix", "opener", "closer"),
    [
        ("x: ", "[", "]"),
        ("x: ", "{a: ", "}"),
        ("名稱: ", "[", "]"),  # a character offset, not a byte offset, after non-ASCII text
        ("x:\n  ", "[", ""),
    ],
    ids=["brackets", "braces", "after-chinese", "unclosed"],
)
@pytest.mark.parametrize("depth", [65, 1_001, 5_000])
def test_too_deep_gives_one_message_whichever_parser_refuses(
    parser: type, prefix: str, opener: str, closer: str, depth: int
) -> None:
    text = prefix + opener * depth + "1" + closer * depth + "\n"
    composer = Composer(text, Lines(text), parser)
    composer.run()
    # The top-level mapping is the first level, so hkit's guard refuses the 64th opening
    # (the 65th level), whichever layer saw the text first.
    expected = len(prefix) + len(opener) * (MAX_DEPTH - 1)
    assert composer.fatal
    assert composer.problems == [too_deep(expected)]


def test_the_library_own_depth_limit_is_worded_as_hkit_words_it() -> None:
    # Whatever PyYAML's own words for its limit, the message is hkit's, at PyYAML's place.
    exc = yaml.scanner.ScannerError(
        "while increasing flow level",
        None,
        "exceeded maximum nesting depth",
        yaml.Mark("<file>", 7, 0, 7, None, None),
    )
    text = "x: [[[[[[[["
    assert syntax_problem(text, Lines(text), exc) == too_deep(7)


def test_too_large_and_endless_files(monkeypatch: pytest.MonkeyPatch, write: Write) -> None:
    monkeypatch.setattr(textfile, "MAX_BYTES", 2**20)
    path = write(BASE + "#" * 2**20)
    assert _only(path) == f"{path}: is larger than 1 MiB, too large to be read"
    if Path("/dev/zero").exists():
        assert _only(Path("/dev/zero")) == "/dev/zero: is larger than 1 MiB, too large to be read"


@pytest.mark.slow
def test_a_very_large_valid_file_loads(hkit: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "large.yaml"
    path.write_text(synthetic(20_000), encoding="utf-8")
    run = hkit("--data", str(path), "validate")
    assert run.exit_code == 0, run.stderr[:2000]
    total = sum(range(1, 20_001)) * 10**6
    assert run.stdout == (
        f"{path}: OK\n20000 initiatives, 20000 allocations (20000 counted), 1 sources\n"
        f"counted total HK${total:,}\n"
    )


def test_problems_deep_in_a_large_file_are_located(tmp_path: Path) -> None:
    text = synthetic(2_000)
    lines = text.splitlines()
    bad = lines.index("  - id: initiative-1999")
    lines[bad + 11] = "        amount: HK$-5 million"
    lines[bad + 13] = "        fiscal_year: 2025-27"
    path = tmp_path / "large.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, problems = validate(path)
    assert [(p.line, p.path) for p in problems] == [
        (bad + 12, "initiatives[initiative-1999].allocations[initiative-1999-money].amount"),
        (bad + 14, "initiatives[initiative-1999].allocations[initiative-1999-money].fiscal_year"),
    ]


# --- Every problem at once -------------------------------------------------------------------


def test_cross_record_checks_run_beside_schema_problems(write: Write) -> None:
    text = (
        BASE.replace("kind: official", "kind: blog") + "  - id: ai-institute\n"
        "    name: AI Institute\n"
        "    sector: robotics\n"
        "    lead_body: dpo\n"
        "    status: approved\n"
        "    announced_in: 2025-26 Budget\n"
        "    description: A second entry.\n"
        "    sources: [budget-2025, budget-2026]\n"
    )
    path = write(text)
    _, problems = validate(path)
    assert messages(problems) == [
        "sources[budget-2025].kind: `blog` is not one of: official, repost, news, opinion, feature",
        "initiatives[1].id: duplicate initiative id `ai-institute` "
        "(hint: the first `ai-institute` is at line 12)",
        "initiatives[1].name: duplicate name `AI Institute` "
        "(hint: the first `AI Institute` is at line 13)",
        "initiatives[1].sector: unknown sector `robotics` (hint: known sectors: ai)",
        "initiatives[1].sources[1]: unknown source `budget-2026` "
        "(hint: did you mean `budget-2025`?)",
    ]


@pytest.mark.parametrize(
    "broken",
    [
        "sources: nothing here\n",
        "sources: []\n",
        "sources:\n  - title: A source without an id\n",
    ],
)
def test_an_unreadable_source_list_gives_no_unknown_source_noise(write: Write, broken: str) -> None:
    head, rest = BASE.split("sources:\n", 1)
    text = head + broken + "initiatives:" + rest.split("initiatives:", 1)[1]
    _, problems = validate(write(text))
    assert problems
    assert not [p for p in problems if "unknown source" in p.message], messages(problems)


def test_validate_json_on_valid_and_broken_files(hkit: Invoke, write: Write) -> None:
    run = hkit("--data", str(write(BASE)), "validate", "--format", "json")
    assert (run.exit_code, json.loads(run.stdout)) == (0, [])
    path = write(BASE.replace("amount: HK$1 billion", "ammount: HK$1 billion"))
    run = hkit("--data", str(path), "validate", "--format", "json")
    assert run.exit_code == 1
    assert json.loads(run.stdout) == [
        {
            "level": "error",
            "file": str(path),
            "line": 21,
            "column": 9,
            "path": "initiatives[ai-institute].allocations[ai-institute-setup].ammount",
            "message": "unknown key `ammount`",
            "hint": "did you mean `amount`?",
        }
    ]


# --- Look-alikes that would split a total silently -------------------------------------------


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("|\n          2025-26", "2025-26\\n"),  # a block scalar keeps its final newline
        ('"2025-26 "', "2025-26 "),
        ("２０２５-２６", "２０２５-２６"),  # full-width digits
    ],
)
def test_fiscal_years_must_be_exact(write: Write, written: str, shown: str) -> None:
    # Any of these, accepted, would be a fiscal year of its own in `hkit totals --by year`.
    path = write(BASE.replace("fiscal_year: 2025-26", f"fiscal_year: {written}"))
    _, problems = validate(path)
    assert messages(problems) == [
        f"initiatives[ai-institute].allocations[ai-institute-setup].fiscal_year: `{shown}` "
        "is not a fiscal year (hint: write it as 2025-26)"
    ]


def test_slugs_and_dates_must_be_exact(write: Write) -> None:
    text = BASE.replace("slug: ai,", 'slug: "ai\\n",').replace(
        "date: 2025-02-26", 'date: "2025-02-26\\n"'
    )
    _, problems = validate(write(text))
    assert messages(problems)[:2] == [
        "sectors[0].slug: `ai\\n` is not a slug (hint: use lower-case letters, digits and single hyphens)",
        "sources[budget-2025].date: `2025-02-26\\n` is not a date (hint: write it like 2026, "
        "2026-H2, 2026-Q3, 2026-07 or 2026-07-15)",
    ]


@pytest.mark.parametrize("amount", ["HK$10001 billion", "1" + "0" * 14, "9" * 5000])
def test_implausibly_large_amounts_are_refused(write: Write, amount: str) -> None:
    _, problems = validate(write(BASE.replace("amount: HK$1 billion", f"amount: {amount}")))
    assert len(problems) == 1
    assert problems[0].message.endswith("is more than HK$10 trillion")
    assert problems[0].hint == "check the number of zeros"


def test_each_schema_model_is_built_from_its_record() -> None:
    # One declaration per record: the model has the record's fields, in the record's order,
    # with the record's defaults, and a field is required exactly when the record gives no
    # default. A field cannot be added to one shape and not the other.
    from pydantic import BaseModel

    from hkit_cli.domain.records import RECORDS
    from hkit_cli.reading import models

    for name, record in RECORDS.items():
        schema = getattr(models, name)
        assert isinstance(schema, type) and issubclass(schema, BaseModel)
        assert tuple(schema.model_fields) == record._fields, name
        for field, info in schema.model_fields.items():
            assert info.is_required() == (field not in record._defaults), (name, field)
    allocation = models.Allocation.model_fields
    assert allocation["qualifier"].default == "exact" and allocation["scope"].default == "core"
    assert models.Initiative.model_fields["allocations"].default_factory is list


CORPUS = Path(__file__).parent / "corpus"


@pytest.mark.parametrize(
    "path",
    [*sorted(CORPUS.glob("*.yaml")), BUNDLED_DATA],
    ids=lambda p: p.name,
)
def test_loading_reads_once_and_agrees_with_validate(path: Path) -> None:
    assert_load_agrees_with_validate(path)


@pytest.mark.parametrize(
    "name", ["initiatives.yaml", "double-count.yaml", "duplicate-key.yaml", "bad-amounts.yaml"]
)
def test_a_file_is_parsed_once_and_located_only_when_wrong(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """One reading of the text serves both a valid file and the located errors of a bad one;
    locations (and warnings) are looked for only when something is wrong."""
    path = BUNDLED_DATA if name == "initiatives.yaml" else CORPUS / name
    expected_errors = [p for p in validate(path)[1] if p.level == "error"]
    runs: list[str] = []
    run = Composer.run

    def counted(self: Composer) -> None:
        runs.append(self.text)
        run(self)

    located: list[str] = []
    locator = loader.Locator

    def counted_locator(*args: Any) -> Any:
        located.append(args[0])
        return locator(*args)

    monkeypatch.setattr(Composer, "run", counted)
    monkeypatch.setattr(loader, "Locator", counted_locator)
    if expected_errors:
        with pytest.raises(DataError) as caught:
            load(path)
        assert caught.value.problems == expected_errors
        assert located == [str(path)]
    else:
        load(path)
        assert located == []
    assert len(runs) == 1


def test_a_stored_dataset_shares_equal_citations() -> None:
    """Sharing makes a cached dataset smaller and quicker to read, and changes nothing in it."""
    plain, shared = load(BUNDLED_DATA), load(BUNDLED_DATA, share=True)
    assert shared == plain

    def citations(dataset: Dataset) -> list[Citation]:
        return [
            c
            for x in dataset.initiatives
            for group in (x.allocations, x.milestones, x.figures)
            for record in group
            for c in record.sources
        ] + [c for x in dataset.initiatives for c in x.sources]

    assert len({id(c) for c in citations(shared)}) == len(set(citations(shared)))
    assert len({id(c) for c in citations(plain)}) == len(citations(plain))
    assert len(set(citations(plain))) < len(citations(plain))  # some citations repeat
    assert len(pickle.dumps(shared)) < len(pickle.dumps(plain))
