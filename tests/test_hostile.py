"""Hostile text and outputs: nothing invisible reaches a terminal, a spreadsheet or a device."""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import MINI, Invoke
from hkit_cli.domain.errors import DataError

Write = Callable[..., Path]


@pytest.mark.parametrize(
    ("written", "named"),
    [
        ('"AI \\u202e Institute"', "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ('"AI \\e[31m Institute"', "U+001B ESCAPE"),
        ('"AI \\u009b31m Institute"', "U+009B CONTROL SEQUENCE INTRODUCER"),
        ('"AI \\u200b Institute"', "U+200B ZERO WIDTH SPACE"),
        ('"AI \\u2060 Institute"', "U+2060 WORD JOINER"),
        ('"AI \\ufeff Institute"', "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
        ('"AI \\u2066 Institute"', "U+2066 LEFT-TO-RIGHT ISOLATE"),
        ('"AI \\t Institute"', "U+0009 CHARACTER TABULATION"),
        ('"AI \\x7f Institute"', "U+007F DELETE"),
        ("AI \u202e Institute", "U+202E RIGHT-TO-LEFT OVERRIDE"),  # raw in the file
        ("AI \u200b Institute", "U+200B ZERO WIDTH SPACE"),
    ],
)
def test_invisible_and_control_text_is_refused_and_named(
    hkit: Invoke, write: Write, written: str, named: str
) -> None:
    run = hkit("--data", str(write(MINI.replace("name: AI Institute", f"name: {written}"))), "list")
    assert run.exit_code == 1
    line = MINI.splitlines().index("    name: AI Institute") + 1
    assert re.search(
        rf":{line}:\d+: initiatives\[ai-institute\]\.name: holds {re.escape(named)}, an "
        r"invisible or control character \(hint: delete it",
        run.stderr,
    ), run.stderr
    assert "\x1b" not in run.stderr and "\u202e" not in run.stderr


def test_every_forbidden_character_is_refused_in_names_and_prose() -> None:
    """Text is passed quickly when it is printable; no character the rules forbid may be."""
    from hkit_cli.domain.textrules import text_problem
    from hkit_cli.reading.loader import loads

    forbidden = [chr(c) for c in range(0x110000) if text_problem(chr(c), multiline=True)]
    assert len(forbidden) > 90
    lines = {
        "name": "name: AI Institute",
        "description": "description: A research institute for artificial intelligence.",
    }
    for char in forbidden:
        for field, line in lines.items():
            key, value = line.split(": ", 1)
            escaped = f"\\u{ord(char):04x}"
            text = MINI.replace(line, f'{key}: "{value[:2]}{escaped}{value[2:]}"')
            with pytest.raises(DataError) as caught:
                loads(text)
            [problem] = caught.value.problems
            assert problem.path == f"initiatives[ai-institute].{field}", problem
            assert "invisible or control character" in problem.message, problem


def test_a_line_break_is_refused_in_a_name_but_kept_in_a_description(
    hkit: Invoke, write: Write
) -> None:
    fake = MINI.replace("name: AI Institute", 'name: "AI\\nFAKE-ROW ai approved HK$999bn"')
    run = hkit("--data", str(write(fake)), "validate")
    assert run.exit_code == 1
    assert "initiatives[ai-institute].name: holds a line break; this field is one line" in (
        run.stderr
    )
    prose = MINI.replace(
        "description: A research institute for artificial intelligence.",
        "description: |-\n      A research institute.\n      For artificial intelligence.",
    )
    assert hkit("--data", str(write(prose)), "validate").exit_code == 0


def test_text_that_skipped_validation_is_shown_escaped() -> None:
    from hkit_cli.rendering import render
    from hkit_cli.rendering.export import markdown
    from hkit_cli.reports.tables import Column, Table, single

    table = Table("t", [Column("name", "Name", "名稱")], title="Evil \x1b]8;;x\x07")
    table.rows = [{"name": "A\x1b[31mred\u202e\nFAKE-ROW"}, {"name": "ok"}]
    table.notes = ["a note \u009b2J"]
    for shown in (render.text(single(table)), markdown(table)):
        assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e]", shown)
        assert "x1b" in shown and "u202e" in shown and "\\n" in shown
        # The line break in the name did not make a row of its own.
        assert not any(line.lstrip(" |").startswith("FAKE-ROW") for line in shown.splitlines())


@pytest.mark.parametrize("amount", ["HK$٣ billion", "１００億", "HK$1,٥00 million"])
def test_amounts_take_ascii_digits_only(hkit: Invoke, write: Write, amount: str) -> None:
    run = hkit("--data", str(write(MINI.replace("HK$1 billion", amount))), "validate")
    assert run.exit_code == 1
    assert "has digits of another script (hint: type the digits 0-9)" in run.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["totals", "--min", "١bn"],
        ["totals", "--max", "１０bn"],
        ["totals", "--currency", "usd", "--rate", "٧.٨"],
        ["list", "--limit", "٣"],
        ["timeline", "--calendar-year", "２０２６"],
        ["totals", "--year", "２０２５-２６"],
    ],
)
def test_numbers_typed_on_the_command_line_take_ascii_digits(
    hkit: Invoke, mini: Path, args: list[str]
) -> None:
    run = hkit("--data", str(mini), *args)
    assert run.exit_code in (1, 2) and run.stdout == ""
    assert "0-9" in run.stderr or "fiscal year" in run.stderr


def test_csv_quotes_line_breaks_and_neutralises_formulas_after_spaces(
    hkit: Invoke, write: Write
) -> None:
    hostile = MINI.replace(
        "name: AI Institute",
        'name: "x\\r=1+3"',  # refused by validate, so bypass it below
    )
    assert hkit("--data", str(write(hostile)), "validate").exit_code == 1
    from hkit_cli.rendering.export import csv_text

    rows = [
        {"name": "x\r=1+3"},
        {"name": "  =cmd|' /C calc'!A0"},
        {"name": "\n@SUM(A1)"},
        {"name": "\t+1"},
        {"name": 'plain, with "quotes"'},
    ]
    text = csv_text(["name"], rows)
    read = [r["name"] for r in csv.DictReader(io.StringIO(text, newline=""))]
    assert read == [
        "x\r'=1+3",
        "'  =cmd|' /C calc'!A0",
        "\n'@SUM(A1)",
        "'\t+1",
        'plain, with "quotes"',
    ]
    # A reader that breaks lines at CR as well as LF sees no row starting with a formula.
    for line in re.split("\r\n|\r|\n", text):
        assert not line.lstrip(" \t").startswith(("=", "+", "-", "@")), line


def test_output_is_a_file_never_a_device_or_a_folder(
    hkit: Invoke, mini: Path, tmp_path: Path
) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for args in (["export", "-o", str(fifo), "--force"], ["totals", "-o", str(fifo), "--force"]):
        run = hkit("--data", str(mini), *args)
        assert run.exit_code == 1 and "is not a regular file" in run.stderr
        assert fifo.exists() and not fifo.is_file()
    folder = tmp_path / "new"
    run = hkit("--data", str(mini), "export", "-o", f"{folder}/")
    assert run.exit_code == 2 and "is a folder" in run.stderr and not folder.exists()
    to_stdout = hkit("--data", str(mini), "export", "-o", "-")
    assert to_stdout.exit_code == 0 and to_stdout.stdout.startswith("id,name,")
    link = tmp_path / "link.csv"
    target = tmp_path / "target.csv"
    target.write_text("old\n", encoding="utf-8")
    link.symlink_to(target)
    assert hkit("--data", str(mini), "export", "-o", str(link), "--force").exit_code == 0


def test_chinese_prose_joins_folded_lines_without_spaces() -> None:
    from hkit_cli.domain.textrules import join_chinese

    assert join_chinese("資助大學、 研究機構及企業 使用 AI Supercomputing Centre 的算力") == (
        "資助大學、研究機構及企業使用AI Supercomputing Centre的算力"
    )
    assert join_chinese("two English words") == "two English words"
