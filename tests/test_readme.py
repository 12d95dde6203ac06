"""The README's command tour is real output of the shipped data, kept current."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_readme_tour_is_current() -> None:
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

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    names = [c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands]
    for name in names:
        assert f"$ hkit {name}" in text or f"hkit --data broken.yaml {name}" in text, name
