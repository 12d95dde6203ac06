"""Golden tests: each broken dataset in tests/corpus gives exactly the message a user should see.

Each `NAME.yaml` has a `NAME.expected`: the stderr of `hkit --data NAME.yaml validate --strict`,
run from the corpus folder so the file is named as a user would name it, then a last line
`exit N`. With --strict, a file with only warnings (a likely double count) fails like a broken one. To regenerate after a deliberate change of wording, run

    HKIT_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_corpus.py

and read every changed golden before committing it: a golden pins what users are told.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
import typer.main
import typer.testing

from conftest import Invoke
from hkit_cli.cli import app

CORPUS = Path(__file__).parent / "corpus"
CASES = sorted(path.stem for path in CORPUS.glob("*.yaml"))
UPDATE = os.environ.get("HKIT_UPDATE_GOLDEN") == "1"


@pytest.fixture
def in_corpus(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CORPUS)
    # typer rebuilds the click command on every invoke (about 20 ms); build it once.
    command = typer.main.get_command(app)
    monkeypatch.setattr(typer.testing, "_get_command", lambda _app: command)


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 30
    assert {p.stem for p in CORPUS.glob("*.expected")} == set(CASES)


@pytest.mark.parametrize("name", CASES)
def test_broken_dataset_gives_its_golden_message(hkit: Invoke, in_corpus: None, name: str) -> None:
    run = hkit("--data", f"{name}.yaml", "validate", "--strict")
    actual = f"{run.stderr}exit {run.exit_code}\n"
    golden = CORPUS / f"{name}.expected"
    if UPDATE:
        golden.write_text(actual, encoding="utf-8", newline="\n")
    assert "Traceback" not in run.stderr + run.stdout
    assert "internal error" not in run.stderr
    assert run.exit_code == 1
    assert run.stdout == ""
    assert actual == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", CASES)
def test_every_problem_is_located(hkit: Invoke, in_corpus: None, name: str) -> None:
    lines = hkit("--data", f"{name}.yaml", "validate", "--strict").stderr.splitlines()
    *problems, error = [line for line in lines if not line.startswith("hint: ")]
    assert error.startswith(f"hkit: error: {name}.yaml: ")
    assert problems
    for line in problems:
        assert re.match(rf"{re.escape(name)}\.yaml:\d+:\d+: ", line), line


@pytest.mark.parametrize("name", CASES)
def test_json_problems_match_the_text(hkit: Invoke, in_corpus: None, name: str) -> None:
    text = hkit("--data", f"{name}.yaml", "validate", "--strict").stderr.splitlines()
    run = hkit("--data", f"{name}.yaml", "validate", "--strict", "--format", "json")
    assert run.exit_code == 1
    problems = json.loads(run.stdout)
    assert problems, "a broken file must give at least one problem"
    assert len(problems) == len([line for line in text if line.startswith(f"{name}.yaml:")])
    for problem, line in zip(problems, text, strict=False):
        assert set(problem) == {"level", "file", "line", "column", "path", "message", "hint"}
        assert problem["level"] in ("error", "warning")
        assert problem["file"] == f"{name}.yaml"
        assert isinstance(problem["line"], int) and isinstance(problem["column"], int)
        where = f"{name}.yaml:{problem['line']}:{problem['column']}: "
        if problem["level"] == "warning":
            where += "warning: "
        assert line.startswith(where + (f"{problem['path']}: " if problem["path"] else ""))
        assert problem["hint"] is None or line.endswith(")")
