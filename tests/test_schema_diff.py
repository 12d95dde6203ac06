"""The JSON Schema editors use, and the diff a reviewer reads."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from conftest import MINI, Invoke

Write = Callable[..., Path]
ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schema" / "initiatives.schema.json"
DATA = ROOT / "data" / "initiatives.yaml"


def test_the_kept_schema_is_current_and_the_data_file_points_at_it(hkit: Invoke) -> None:
    printed = hkit("schema").stdout
    assert json.loads(printed)["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert SCHEMA.read_text(encoding="utf-8") == printed, "run: hkit schema -o " + str(SCHEMA)
    first = DATA.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schema/initiatives.schema.json"
    assert (DATA.parent / first.split("$schema=")[1]).resolve() == SCHEMA.resolve()


class _Yaml12(yaml.SafeLoader):
    """YAML as editors and check-jsonschema read it: a date is text, not a timestamp."""


_Yaml12.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _load(text: str) -> object:
    return yaml.load(text, Loader=_Yaml12)  # noqa: S506 - a safe loader


def _errors(document: object) -> list[str]:
    import jsonschema

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    return [f"{e.json_path}: {e.message}" for e in validator.iter_errors(document)]


def test_the_shipped_data_and_valid_files_pass_the_schema(write: Write) -> None:
    # The shipped data quotes its dates, so even a YAML 1.1 reader (PyYAML) passes it.
    assert _errors(yaml.safe_load(DATA.read_text(encoding="utf-8"))) == []
    # Written as curators write them: amounts as text, citations as bare ids.
    assert _errors(_load(MINI)) == []


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("    status: approved\n", "    status: maybe\n", "$.initiatives[0].status"),
        ("    status: approved\n", "    status: approved\n    colour: red\n", "$.initiatives[0]"),
        ("        kind: allocation\n", "        kind: gift\n", "$.initiatives[0].allocations[0]"),
    ],
)
def test_the_schema_refuses_unknown_keys_and_values(old: str, new: str, where: str) -> None:
    errors = _errors(_load(MINI.replace(old, new, 1)))
    assert errors and errors[0].startswith(where), errors


@pytest.mark.skipif(shutil.which("check-jsonschema") is None, reason="check-jsonschema absent")
def test_check_jsonschema_accepts_the_shipped_data() -> None:
    run = subprocess.run(
        ["check-jsonschema", "--schemafile", str(SCHEMA), str(DATA)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr


# Changed: 2022-23 +HK$2 billion. Added: 2026-27 +HK$500 million.
NEW_ALLOCATION = """\
      - id: upgrade-more
        amount: HK$500 million
        kind: allocation
        fiscal_year: 2026-27
        sources: [{id: budget-2025, locator: para 2}]
"""
EDITED = MINI.replace("amount: HK$10 billion", "amount: HK$12 billion").replace(
    "      - id: upgrade-cap\n", NEW_ALLOCATION + "      - id: upgrade-cap\n", 1
)


def _remove_ai_setup(text: str) -> str:
    # removed: the AI institute's HK$1 billion in 2025-26 (its milestone keeps a source)
    start = text.index("      - id: ai-institute-setup\n")
    end = text.index("    milestones:\n", start)
    return text[:start].replace("    allocations:\n", "    allocations: []\n", 1) + text[end:]


def _check(report: dict[str, list[dict[str, object]]]) -> None:
    changes = {(c["what"], c["action"], c["id"]) for c in report["changes"]}
    assert ("allocation", "added", "upgrade-more") in changes
    assert ("allocation", "removed", "ai-institute-setup") in changes
    assert ("allocation", "changed", "lht-earmark") in changes
    amount = next(c for c in report["changes"] if c["id"] == "lht-earmark")
    assert (amount["field"], amount["before"], amount["after"]) == (
        "amount",
        10_000_000_000,
        12_000_000_000,
    )
    years = {t["key"]: t["change_hkd"] for t in report["totals"] if t["by"] == "fiscal_year"}
    assert years == {
        "2022-23": 2_000_000_000,
        "2025-26": -1_000_000_000,
        "2026-27": 500_000_000,
        "total": 1_500_000_000,
    }


def test_diff_of_two_files(hkit: Invoke, write: Write, tmp_path: Path) -> None:
    old = write(MINI)
    new = write(_remove_ai_setup(EDITED))
    run = hkit("diff", str(old), str(new), "-f", "json")
    assert run.exit_code == 0, run.stderr
    _check(json.loads(run.stdout))
    markdown = hkit("diff", str(old), str(new), "-f", "markdown").stdout
    assert "| allocation | added | upgrade-more |" in markdown
    outside = hkit("--data", str(new), "diff", "no-such-revision")
    assert outside.exit_code == 1 and "not a file" in outside.stderr


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_diff_against_git_revisions(hkit: Invoke, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "data").mkdir(parents=True)
    data = repo / "data" / "initiatives.yaml"
    data.write_text(MINI, encoding="utf-8")

    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t", *args],
            check=True,
            capture_output=True,
        )

    git("init", "-q", "-b", "main")
    git("add", ".")
    git("commit", "-q", "-m", "data")
    data.write_text(_remove_ai_setup(EDITED), encoding="utf-8")
    for args in (["diff"], ["diff", "HEAD"], ["diff", "main"]):
        run = hkit("--data", str(data), *args, "-f", "json")
        assert run.exit_code == 0, run.stderr
        _check(json.loads(run.stdout))
    unknown = hkit("--data", str(data), "diff", "no-such-branch")
    assert unknown.exit_code == 1
    assert "`no-such-branch` is neither a file nor a revision" in unknown.stderr
    git("mv", "data/initiatives.yaml", "data/moved.yaml")
    git("commit", "-q", "-m", "moved")
    moved = repo / "data" / "moved.yaml"
    missing = hkit("--data", str(moved), "diff", "HEAD~1")
    assert missing.exit_code == 1
    assert "data/moved.yaml does not exist at revision `HEAD~1`" in missing.stderr


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pre-commit") is None, reason="pre-commit is not installed")
def test_pre_commit_passes_on_the_project_and_fails_on_a_broken_dataset(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    for part in ("data/initiatives.yaml", "schema/initiatives.schema.json"):
        (repo / part).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / part, repo / part)
    shutil.copyfile(ROOT / ".pre-commit-config.yaml", repo / ".pre-commit-config.yaml")
    shutil.copyfile(ROOT / "pyproject.toml", repo / "pyproject.toml")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache")}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(args, cwd=repo, capture_output=True, text=True, env=env, check=False)

    run("git", "init", "-q")
    run("git", "add", ".")
    passed = run("pre-commit", "run", "--all-files")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    data = repo / "data" / "initiatives.yaml"
    data.write_text(
        data.read_text(encoding="utf-8").replace("status: in-operation", "status: running", 1),
        encoding="utf-8",
    )
    run("git", "add", ".")
    failed = run("pre-commit", "run", "--all-files")
    assert failed.returncode == 1
    assert "hkit validate --strict" in failed.stdout and "running" in failed.stdout
