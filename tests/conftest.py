"""Shared helpers: run hkit as a user would, on YAML written next to each test."""

from __future__ import annotations

import importlib.util
import os
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from hkit_cli.cli import app
from hkit_cli.domain.errors import DataError
from hkit_cli.reading.loader import load, validate
from hkit_cli.reading.textfile import read_text
from hkit_cli.reading.yamlreader import Composer, find


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str


Invoke = Callable[..., Run]


def require_optional(what: str, modules: tuple[str, ...], variable: str, install: str) -> None:
    """Skip the test, with the reason, when an optional part is missing; fail instead where
    ``variable`` is 1, as in CI, so that nothing is skipped there unseen."""
    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if not missing:
        return
    reason = f"needs {' and '.join(missing)} for {what} ({install})"
    if os.environ.get(variable) == "1":
        pytest.fail(f"{reason}; {variable}=1 asks for every optional part")
    pytest.skip(reason)


@pytest.fixture
def report_extra() -> None:
    """The HTML report and chart files need the [report] extra (Jinja2 and matplotlib)."""
    require_optional(
        "the HTML report",
        ("jinja2", "matplotlib"),
        "HKIT_REQUIRE_REPORT",
        "pip install 'hkit[report]'",
    )


# A small dataset for the commands: three initiatives, every kind of money that is counted,
# shown or drawn from an earlier pot, and text that rich would read as markup.
MINI = """\
sectors:
  - slug: ai
    name: Artificial intelligence
    name_zh: 人工智能
  - slug: life-health
    name: Life and health technology
    name_zh: 生命健康科技
  - slug: industry
    name: New industrialisation
    name_zh: 新型工業化
bodies:
  - {id: dpo, name: Digital Policy Office, name_zh: 數字政策辦公室, abbreviation: DPO}
  - {id: itc, name: Innovation and Technology Commission, name_zh: 創新科技署, abbreviation: ITC}
sources:
  - id: budget-2025
    title: The 2025-26 Budget speech
    publisher: Financial Secretary
    date: 2025-02-26
    kind: official
    url: https://www.budget.gov.hk/2025/eng/budget06.html
  - id: budget-2022
    title: The 2022-23 Budget speech
    publisher: Financial Secretary
    date: 2022-02-23
    kind: official
    url: https://www.budget.gov.hk/2022/eng/budget05.html
  - id: paper
    title: A news story
    publisher: A paper
    date: 2025-02
    kind: news
initiatives:
  - id: ai-institute
    name: AI Institute
    name_zh: 人工智能研發院
    aliases: [AIRDI]
    sector: ai
    lead_body: dpo
    status: approved
    announced_in: 2025-26 Budget
    description: A research institute for artificial intelligence.
    allocations:
      - id: ai-institute-setup
        amount: HK$1 billion
        kind: allocation
        fiscal_year: 2025-26
        sources: [{id: budget-2025, locator: para 39}, paper]
    milestones:
      - date: 2026-H2
        event: Starts operating
        sources: [paper]
  - id: lht
    name: Life and health earmark
    sector: life-health
    secondary_sectors: [ai]
    lead_body: itc
    status: approved
    announced_in: 2022-23 Budget
    description: Money set aside for life and health technology.
    allocations:
      - id: lht-earmark
        amount: HK$10 billion
        kind: earmark
        fiscal_year: 2022-23
        sources: [{id: budget-2022, locator: para 1}]
      - id: lht-institutes
        amount: HK$6 billion
        kind: allocation
        part_of: lht-earmark
        fiscal_year: 2023-24
        sources: [paper]
  - id: upgrade
    name: "[bold]Upgrade[/bold] scheme"
    sector: industry
    lead_body: itc
    status: proposed
    announced_in: 2025-26 Budget
    description: Helps factories add smart production lines.
    allocations:
      - id: upgrade-total
        amount: about HK$220 million
        kind: earmark
        fiscal_year: 2025-26
        period: two years
        sources: [{id: budget-2025, locator: para 1}]
      - id: upgrade-cap
        amount: HK$250,000
        kind: per-recipient-cap
        applies_to: upgrade-total
        sources: [{id: budget-2025, locator: para 1}]
    figures:
      - metric: enterprises to benefit
        value: 400
        unit: enterprises
        qualifier: about
        sources: [{id: budget-2025, locator: para 1}]
"""

# A minimal valid dataset for the loader's tests, which change one line at a time.
BASE = """\
sectors: [{slug: ai, name: Artificial intelligence, name_zh: 人工智能}]
bodies: [{id: dpo, name: Digital Policy Office, name_zh: 數字政策辦公室, abbreviation: DPO},
  {id: itc, name: Innovation and Technology Commission, name_zh: 創新科技署}]
sources:
  - id: budget-2025
    title: The 2025-26 Budget speech
    publisher: Financial Secretary
    date: 2025-02-26
    kind: official
    url: https://www.budget.gov.hk/
initiatives:
  - id: ai-institute
    name: AI Institute
    sector: ai
    lead_body: dpo
    status: approved
    announced_in: 2025-26 Budget
    description: A research institute for artificial intelligence.
    allocations:
      - id: ai-institute-setup
        amount: HK$1 billion
        kind: allocation
        fiscal_year: 2025-26
        sources: [{id: budget-2025, locator: para 1}]
"""


def synthetic(count: int) -> str:
    """A valid dataset of ``count`` initiatives, each with an allocation and a milestone."""
    parts = [BASE.split("initiatives:")[0], "initiatives:\n"]
    for i in range(count):
        parts.append(
            f"  - id: initiative-{i}\n"
            f"    name: Initiative number {i}\n"
            f"    name_zh: 計劃{i}\n"
            "    sector: ai\n"
            "    lead_body: itc\n"
            "    status: approved\n"
            "    announced_in: 2025-26 Budget\n"
            "    description: >-\n"
            "      A synthetic initiative, to see that a large file loads.\n"
            "    allocations:\n"
            f"      - id: initiative-{i}-money\n"
            f"        amount: HK${i + 1} million\n"
            "        kind: allocation\n"
            "        fiscal_year: 2025-26\n"
            f"        sources: [{{id: budget-2025, locator: para {i}}}]\n"
            "    milestones:\n"
            "      - date: 2026-H2\n"
            "        event: Starts\n"
            "        sources: [{id: budget-2025, locator: para 1}]\n"
        )
    return "".join(parts)


@pytest.fixture
def mini(write: Callable[[str], Path]) -> Path:
    return write(MINI)


@pytest.fixture(autouse=True)
def private_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Each test gets its own dataset cache, so no test sees another's entries."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("HKIT_CACHE_DIR", str(folder))
    monkeypatch.delenv("HKIT_NO_CACHE", raising=False)
    return folder


@pytest.fixture
def hkit() -> Invoke:
    """Call ``hkit(*args, env=...)`` and get exit code, stdout and stderr."""

    def invoke(*args: str, env: dict[str, str] | None = None) -> Run:
        runner = CliRunner()
        result = runner.invoke(app, list(args), env=env, catch_exceptions=False)
        return Run(result.exit_code, result.stdout, result.stderr)

    return invoke


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str], Path]:
    """Write dedented YAML to a file in tmp_path and return its path."""
    counter = iter(range(1000))

    def write_yaml(text: str, name: str | None = None) -> Path:
        path = tmp_path / (name or f"data{next(counter)}.yaml")
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write_yaml


Edit = Callable[[str, str], tuple[Path, str]]


@pytest.fixture
def edited(tmp_path: Path) -> Callable[[str, str], tuple[Path, str]]:
    """The shipped dataset with its first ``old`` replaced by ``new``, written to a file:
    (its path, its text)."""

    def edit(old: str, new: str) -> tuple[Path, str]:
        from hkit_cli.cli import BUNDLED_DATA

        text = BUNDLED_DATA.read_text(encoding="utf-8")
        assert old in text, old
        text = text.replace(old, new, 1)
        path = tmp_path / "edited.yaml"
        path.write_text(text, encoding="utf-8")
        return path, text

    return edit


def assert_reader_agrees_with_pyyaml(text: str) -> None:
    """Where hkit's reader finds nothing wrong, it gives the data libyaml's own composer gives
    (every scalar as text, a plain null as None) and finds every value and key where that
    composer says it starts; where it stops reading, it says why."""
    read = Composer(text)
    read.run()
    if read.fatal:
        assert read.problems
        return
    if read.problems:
        return  # an anchor, an alias, a tag, a repeated or merge key: reported, not read
    # hkit read the whole text, no deeper than its limit: libyaml's recursive composer is safe.
    reference = yaml.compose(text, Loader=yaml.CSafeLoader)

    def plain(node: yaml.Node | None) -> Any:
        if isinstance(node, yaml.MappingNode):
            return {k.value: plain(v) for k, v in node.value}
        if isinstance(node, yaml.SequenceNode):
            return [plain(item) for item in node.value]
        if node is None or node.tag == "tag:yaml.org,2002:null":
            return None  # YAML's nulls are hkit's: plain, untagged "", ~ and null
        return node.value

    def nulls_as_one(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: nulls_as_one(v) for k, v in value.items()}
        if isinstance(value, list):
            return [nulls_as_one(v) for v in value]
        return None if value in ("", "~", "null", "Null", "NULL") else value

    if "!" in text:
        # A tagged null (`! ~`) stays text in hkit, by design; the composer's node no longer
        # says it was tagged.
        assert nulls_as_one(read.data) == nulls_as_one(plain(reference))
    else:
        assert read.data == plain(reference)

    def walk(node: yaml.Node, path: tuple[Any, ...], key: yaml.Node | None) -> None:
        start, key_start = find(read.root, read.data, path)
        assert start == node.start_mark.index, path
        assert key_start == (key.start_mark.index if key is not None else None), path
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                walk(v, (*path, k.value), k)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, (*path, i), None)

    if reference is not None:
        walk(reference, (), None)


def assert_load_agrees_with_validate(path: Path) -> None:
    """Commands load a file without looking for warnings or locations unless something is
    wrong: a command's load must give what `hkit validate` gives (the dataset, or the same
    errors), and the reader must agree with PyYAML."""
    text, problem = read_text(path, path.name)
    if problem is None and text is not None:
        assert_reader_agrees_with_pyyaml(text)
    dataset, problems = validate(path)
    errors = [p for p in problems if p.level == "error"]
    try:
        loaded = load(path)
    except DataError as exc:
        assert errors and exc.problems == errors
    else:
        assert not errors and loaded == dataset
