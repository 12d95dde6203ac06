"""The README's command tour is real output of the shipped data, kept current."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
@pytest.mark.usefixtures("report_extra")
def test_readme_tour_is_current() -> None:
    import re
    from importlib.metadata import version

    # The command reference shows typer's help layout, which differs between its versions
    # (metavars, wrapping): it is held current against the versions it was generated with.
    text = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")
    made = re.search(r"<!-- generated with typer (\S+) and rich (\S+) -->", text)
    assert made, "docs/commands.md does not say which versions generated it"
    if made.groups() != (version("typer"), version("rich")):
        pytest.skip(f"docs/commands.md was generated with typer {made[1]} and rich {made[2]}")
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "tour.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_readme_opens_with_the_two_commands() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = text.split("```sh\n")
    assert "pip install . && hkit totals --by year" in blocks[1].split("```")[0]
    assert "scripts/check" in blocks[2].split("```")[0]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install -q . && (cd /tmp && hkit totals --by year)" in ci
    assert "pip install -q -e '.[test]' && scripts/check" in ci


def test_every_command_is_in_the_tour() -> None:
    from hkit_cli.cli import app

    text = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")
    names = [c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands]
    for name in names:
        assert f"$ hkit {name}" in text or f"hkit --data broken.yaml {name}" in text, name


def test_the_check_script_runs_every_step_and_names_each_failure(tmp_path: Path) -> None:
    # Stand-ins for python, ruff and mypy that log how they were called; pytest and the
    # format check fail. Every step must still run, and the script must fail at the end.
    log = tmp_path / "calls.log"
    for name, status in (("python", 1), ("ruff", 0), ("mypy", 0)):
        stub = tmp_path / name
        fails = 'case "$*" in *format*) exit 1;; esac\n' if name == "ruff" else ""
        stub.write_text(f'#!/bin/sh\necho "{name} $*" >> "{log}"\n{fails}exit {status}\n')
        stub.chmod(0o755)
    env = {"PATH": f"{tmp_path}:/usr/bin:/bin"}
    run = subprocess.run(
        ["bash", str(ROOT / "scripts" / "check")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert run.returncode == 1
    assert log.read_text().splitlines() == [
        "python -m pytest",
        "ruff check .",
        "ruff format --check .",
        "mypy src",
    ]
    assert run.stderr.splitlines() == [
        "check: failed: python -m pytest",
        "check: failed: ruff format --check .",
    ]


def test_the_readme_is_short_and_points_to_the_docs() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 170
    for page in ("commands", "filters", "formats", "library", "architecture", "development"):
        assert f"docs/{page}.md" in text, page
        assert (ROOT / "docs" / f"{page}.md").is_file(), page
