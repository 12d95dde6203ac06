"""Properties over generated input: bad data is always located, never a crash; exports are exact.

Every property drives the real command line (`hkit --data FILE validate` or `export`) through
conftest's CliRunner. Example counts are bounded so the whole suite stays fast; each test
records how many examples it ran (see the `hypothesis examples` lines with `pytest -s`, or
the `-rP` report).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import typer.main
import typer.testing
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import Invoke, assert_load_agrees_with_validate
from hkit_cli.cli import BUNDLED_DATA, app
from hkit_cli.reading.loader import load, validate

# A realistic dataset: every kind of money, links between allocations, all date precisions,
# Chinese names and amounts, flow and block style, folded text, YAML 1.1 look-alikes.
REALISTIC = """\
# A small but complete dataset, shaped like data/initiatives.yaml.
sectors:
  - slug: ai
    name: Artificial intelligence
    name_zh: 人工智能
  - slug: life-health
    name: Life and health technology
    name_zh: 生命健康科技
  - slug: new-industrialisation
    name: New industrialisation
    name_zh: 新型工業化
  - slug: start-ups-venture
    name: Start-ups and venture capital
    name_zh: 初創企業及創投
  - slug: talent
    name: I&T talent
    name_zh: 創科人才

bodies:
  - {id: dpo, name: Digital Policy Office, name_zh: 數字政策辦公室, abbreviation: DPO}
  - {id: itc, name: Innovation and Technology Commission, name_zh: 創新科技署, abbreviation: ITC}
  - {id: fstb, name: Financial Services and the Treasury Bureau, name_zh: 財經事務及庫務局, abbreviation: FSTB}
  - {id: lwb, name: Labour and Welfare Bureau, name_zh: 勞工及福利局, abbreviation: LWB}
sources:
  - id: budget-2025-26-ai
    title: "The 2025-26 Budget speech: Innovation and technology (paras 36-39)"
    publisher: Financial Secretary, HKSAR Government
    date: 2025-02-26
    kind: official
    url: https://www.budget.gov.hk/2025/eng/budget06.html
    locator: paras 36-39
  - id: budget-2022-23-life-health
    title: "The 2022-23 Budget speech: life and health research (paras 59-61)"
    publisher: Financial Secretary, HKSAR Government
    date: 2022-02-23
    kind: official
    url: https://www.budget.gov.hk/2022/eng/budget18.html
  - id: pa-2024
    title: The Chief Executive's 2024 Policy Address
    publisher: Chief Executive, HKSAR Government
    date: 2024-10
    kind: official
    url: https://www.budget.gov.hk/
  - id: news-ai-funding
    title: Hong Kong budgets billions for AI
    publisher: A financial news site
    date: 2025-02-27
    kind: news
  - id: feature-hub
    title: "Hong Kong: a hub for innovation (sponsored feature)"
    publisher: Sponsored feature
    date: 2025
    kind: feature
  - id: repost-itib
    title: 2026-27 Budget, major initiatives under ITIB (bilingual)
    publisher: Innovation, Technology and Industry Bureau
    date: 2026-02-26
    kind: repost
    file: 004_a60ca5f1d7b925f5.txt

initiatives:
  - id: ai-rd-institute
    name: Hong Kong AI Research and Development Institute
    name_zh: 香港人工智能研發院
    aliases: [AI R&D Institute, AIRDI]
    sector: ai
    secondary_sectors: [talent]
    lead_body: dpo
    status: approved
    announced_in: 2025-26 Budget
    description: >-
      A research institute for artificial intelligence, working with universities
      and industry.
    notes: The news report dates the money a year later; the speech is followed.
    sources: [budget-2025-26-ai]
    allocations:
      - id: ai-rd-institute-setup
        amount: HK$1 billion
        kind: allocation
        fiscal_year: 2025-26
        sources:
          - {id: budget-2025-26-ai, locator: para 39}
          - news-ai-funding
    milestones:
      - date: 2026-H2
        event: The institute starts operating
        sources: [news-ai-funding]
      - date: 2025-Q3
        event: Company set up
        sources: [repost-itib]
  - id: life-health-research
    name: Life and health research earmark
    name_zh: 生命健康研究
    sector: life-health
    lead_body: itc
    status: in-operation
    announced_in: 2022-23 Budget
    description: Money set aside for life and health technology research.
    allocations:
      - id: life-health-earmark
        amount: 100億元
        kind: earmark
        fiscal_year: 2022-23
        sources: [{id: budget-2022-23-life-health, locator: para 61}]
      - id: life-health-institutes
        amount: HK$6 billion
        kind: allocation
        part_of: life-health-earmark
        fiscal_year: 2023-24
        period: five years
        note: Drawn from the earmark, so not counted again.
        sources: [budget-2022-23-life-health]
    figures:
      - metric: research institutes
        value: 2.5
        unit: institutes
        qualifier: about
        as_of: 2024-06-30
        sources: [budget-2022-23-life-health]
  - id: new-industrialisation-funding
    name: New Industrialisation Funding Scheme
    sector: new-industrialisation
    lead_body: itc
    status: launched
    announced_in: 2024 Policy Address
    description: Matching funds for smart production lines in Hong Kong.
    allocations:
      - id: nifs-total
        amount: about HK$220 million
        kind: earmark
        fiscal_year: 2024-25
        period: two years
        sources: [{id: pa-2024, locator: para 1}]
      - id: nifs-cap
        amount: HK$15,000,000
        kind: per-recipient-cap
        applies_to: nifs-total
        sources: [{id: pa-2024, locator: para 1}]
      - id: nifs-private
        amount: 1000000000
        qualifier: at-least
        kind: private-investment
        applies_to: nifs-total
        sources: [{id: pa-2024, locator: para 1}]
    figures:
      - metric: applications approved
        value: 30
        unit: applications
        qualifier: over
        as_of: 2025-02
        sources: [repost-itib]
  - id: co-investment-fund
    name: Hong Kong Investment Corporation
    sector: start-ups-venture
    lead_body: fstb
    status: in-operation
    announced_in: 2022 Policy Address
    description: A government-owned company that invests in start-ups.
    allocations:
      - id: hkic-injection
        amount: HK$62 bn
        kind: injection
        fiscal_year: 2023-24
        sources: [feature-hub, {id: pa-2024, locator: para 80}]
      - id: hkic-projects
        amount: $1.5 billion
        kind: project-total
        sources: [feature-hub]
      - id: university-fund
        amount: HK$250,000
        kind: non-government
        fiscal_year: 2024-25
        sources: [feature-hub]
  - id: talent-committee
    name: "No: a committee on talent"
    sector: talent
    lead_body: lwb
    status: planned
    announced_in: 2024 Policy Address
    description: A committee with no money of its own yet.
    sources: [pa-2024, {id: feature-hub, locator: page 2}]
"""

LOCATED_TAIL = re.compile(r"^(hkit: error: |hint: )")


def assert_located(hkit: Invoke, path: Path) -> int:
    """Run `hkit validate` on ``path``: exit 0, or exit 1 with every line of stderr located."""
    run = hkit("--data", str(path), "validate")
    assert "Traceback" not in run.stderr + run.stdout
    assert "internal error" not in run.stderr
    assert run.exit_code in (0, 1), run.stderr
    if run.exit_code == 0:
        # A valid file may still carry warnings, each located like an error.
        warning = re.compile(re.escape(str(path)) + r":\d+:\d+: warning: ")
        assert all(warning.match(line) for line in run.stderr.splitlines()), run.stderr
        return 0
    located = re.compile(re.escape(str(path)) + r":\d+(:\d+)?: ")
    lines = run.stderr.splitlines()
    assert lines, "exit 1 without a message"
    assert lines[-1].startswith("hint: ") or lines[-1].startswith("hkit: error: ")
    problems = [line for line in lines if not LOCATED_TAIL.match(line)]
    assert problems, run.stderr
    for line in problems:
        assert located.match(line), line
    return 1


class Counter:
    """Counts the examples a property ran, and prints the count when the test ends."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.runs = 0
        self.outcomes: dict[int, int] = {}

    def add(self, outcome: int) -> None:
        self.runs += 1
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1

    def report(self) -> None:
        outcomes = dict(sorted(self.outcomes.items()))
        print(f"hypothesis examples: {self.name}: {self.runs} (by exit code: {outcomes})")


@pytest.fixture(autouse=True)
def _command_built_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # typer rebuilds the click command on every invoke (about 20 ms, four times the cost of
    # validating a small file); hundreds of examples only need it built once.
    command = typer.main.get_command(app)
    monkeypatch.setattr(typer.testing, "_get_command", lambda _app: command)


@pytest.fixture
def counter(request: pytest.FixtureRequest) -> Iterator[Counter]:
    count = Counter(request.node.name)
    yield count
    count.report()
    assert count.runs > 0


def _shipped() -> str | None:
    """The shipped dataset when it is there and valid (it is edited by hand, maybe right now)."""
    try:
        dataset, problems = validate(BUNDLED_DATA)
    except Exception:  # pragma: no cover - validate never raises; be safe in a test helper
        return None
    if dataset is None or problems:
        return None
    return BUNDLED_DATA.read_text(encoding="utf-8")


def test_realistic_dataset_is_valid(hkit: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "realistic.yaml"
    path.write_text(REALISTIC, encoding="utf-8")
    run = hkit("--data", str(path), "validate")
    assert run.exit_code == 0, run.stderr
    assert run.stdout == (
        f"{path}: OK\n5 initiatives, 9 allocations (4 counted), 6 sources\n"
        "counted total HK$73,220,000,000\n"
    )


# --- Property 1: mutations of a valid dataset ------------------------------------------------

YAMLISH = [
    "no",
    "yes",
    "on",
    "off",
    "0777",
    "1_000",
    "0x1F",
    "1e3",
    ".inf",
    "-.inf",
    ".nan",
    "2026-02-25",
    "2026-02-25T10:00:00Z",
    "~",
    "null",
    "",
    "''",
    '""',
    "[]",
    "{}",
    "[a, b]",
    "{id: x}",
    "- a",
    "&anchor value",
    "*alias",
    "<<: *base",
    "!!python/object/apply:os.system ['echo hacked']",
    "!!binary aGVsbG8=",
    "!custom x",
    "|",
    ">-",
    '"unterminated',
    "'it''s'",
    "a: b: c",
    "[unclosed",
    "{unclosed: 1",
    "@at",
    "`tick`",
    "%percent",
    "# comment",
    "HK$-5",
    "HK$0",
    "0",
    "-1",
    "US$5 million",
    "about HK$1.5 billion",
    "HK$1.0000001 billion",
    "9" * 40,
    "2026-28",
    "2026-27",
    "2026-13",
    "2026-02-30",
    "official",
    "per-recipient-cap",
    "ai",
    "a.i.",
    "\t",
    "key:\n  nested: 1",
]

ODD_CHARS = [
    "\ufeff",
    "\u2028",
    "\u2029",
    "\x85",
    "\x00",
    "\x07",
    "\x1b",
    "\t",
    "\r",
    "\r\n",
    "\u200b",
    "\u202e",
    "\ud800",  # a lone surrogate: the file becomes invalid UTF-8
    "\U0001f600",
    "\u3000",
    "é",
    "人",
    "\\",
    '"',
    "'",
    ":",
    "#",
    "&",
    "*",
    "!",
    "[",
    "]",
    "{",
    "}",
    ",",
    "-",
    "?",
    "|",
    ">",
    " ",
    "\n",
]

_KEY_LINE = re.compile(r"^(?P<indent> *(?:- )?)(?P<key>[a-z_]+):(?P<rest>.*)$")


def _key_lines(lines: list[str]) -> list[int]:
    return [i for i, line in enumerate(lines) if _KEY_LINE.match(line)]


def _block_end(lines: list[str], start: int) -> int:
    """The end (exclusive) of the entry that starts at ``start``: its more indented lines."""
    indent = len(lines[start]) - len(lines[start].lstrip(" "))
    end = start + 1
    while end < len(lines) and (
        not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip(" ")) > indent
    ):
        end += 1
    return end


@st.composite
def mutated(draw: st.DrawFn, base: str) -> bytes:
    lines = base.splitlines(keepends=True)
    keyed = _key_lines(lines)
    steps = draw(st.integers(min_value=1, max_value=3))
    for _ in range(steps):
        action = draw(
            st.sampled_from(
                ["delete", "rename", "value", "duplicate", "odd", "swap-indent", "truncate"]
            )
        )
        keyed = _key_lines(lines)
        if not keyed:
            break
        index = draw(st.sampled_from(keyed))
        match = _KEY_LINE.match(lines[index].rstrip("\r\n"))
        assert match is not None
        if action == "delete":
            del lines[index : _block_end(lines, index)]
        elif action == "rename":
            new_key = draw(
                st.one_of(
                    st.sampled_from(["ammount", "ID", "Name", "sector ", "kind_", "x", "<<"]),
                    st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=10),
                )
            )
            lines[index] = f"{match['indent']}{new_key}:{match['rest']}\n"
        elif action == "value":
            value = draw(
                st.one_of(
                    st.sampled_from(YAMLISH),
                    st.integers(min_value=-(10**20), max_value=10**20).map(str),
                    st.floats(allow_nan=True, allow_infinity=True).map(repr),
                    st.lists(st.sampled_from(YAMLISH[:20]), max_size=3).map(
                        lambda items: "[" + ", ".join(items) + "]"
                    ),
                    st.text(max_size=20),
                )
            )
            lines[index] = f"{match['indent']}{match['key']}: {value}\n"
        elif action == "duplicate":
            start = index
            while start > 0 and not lines[start].lstrip().startswith("- "):
                start -= 1
            end = _block_end(lines, start)
            lines[end:end] = lines[start:end]
        elif action == "odd":
            line = lines[index]
            at = draw(st.integers(min_value=0, max_value=len(line)))
            lines[index] = line[:at] + draw(st.sampled_from(ODD_CHARS)) + line[at:]
        elif action == "swap-indent":
            delta = draw(st.sampled_from([-2, -1, 1, 2]))
            line = lines[index]
            lines[index] = line[-delta:] if delta < 0 else " " * delta + line
        else:
            whole = "".join(lines).encode("utf-8", "surrogatepass")
            return whole[: draw(st.integers(min_value=0, max_value=len(whole)))]
    return "".join(lines).encode("utf-8", "surrogatepass")


@pytest.mark.slow
@settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=mutated(REALISTIC))
def test_mutations_are_located_or_valid(
    hkit: Invoke, counter: Counter, tmp_path: Path, data: bytes
) -> None:
    path = tmp_path / "mutated.yaml"
    path.write_bytes(data)
    counter.add(assert_located(hkit, path))


SHIPPED = _shipped()


@pytest.mark.slow
@pytest.mark.skipif(SHIPPED is None, reason="the shipped dataset is absent or being edited")
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=mutated(SHIPPED or ""))
def test_mutations_of_the_shipped_dataset(
    hkit: Invoke, counter: Counter, tmp_path: Path, data: bytes
) -> None:
    path = tmp_path / "initiatives.yaml"
    path.write_bytes(data)
    counter.add(assert_located(hkit, path))


# --- Property 2: arbitrary text --------------------------------------------------------------

yaml_alphabet = st.sampled_from(list(" \n-:[]{},#&*!|>'\"%@`?\t\\abcxyz019.~") + ODD_CHARS)


@pytest.mark.slow
@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    text=st.one_of(
        st.text(max_size=200),
        st.lists(yaml_alphabet, max_size=120).map("".join),
        st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
    ),
    raw=st.booleans(),
)
def test_arbitrary_text_is_located_or_valid(
    hkit: Invoke, counter: Counter, tmp_path: Path, text: str, raw: bool
) -> None:
    data = text.encode("latin-1", "replace") if raw else text.encode("utf-8", "surrogatepass")
    path = tmp_path / "arbitrary.yaml"
    path.write_bytes(data)
    counter.add(assert_located(hkit, path))


# --- Property 3: the JSON export is exact ----------------------------------------------------

KINDS = [
    "allocation",
    "earmark",
    "injection",
    "per-recipient-cap",
    "private-investment",
    "project-total",
    "non-government",
]
COUNTED_KINDS = {"allocation", "earmark", "injection"}
QUALIFIERS = ["exact", "about", "over", "up-to", "nearly", "at-least"]
STATUSES = ["planned", "proposed", "approved", "launched", "in-operation", "completed"]


def amount_texts(amount: int) -> st.SearchStrategy[str]:
    """Ways a curator may write ``amount`` exactly."""
    forms = [str(amount), f"HK${amount:,}", f"${amount:,}", f"HKD {amount}"]
    for scale, word in ((10**9, "billion"), (10**6, "million"), (10**8, "億元")):
        if amount % (scale // 100) == 0:
            text = f"{Decimal(amount) / scale:f}"
            text = text.rstrip("0").rstrip(".") if "." in text else text
            forms.append(f"HK${text} {word}" if word != "億元" else f"{text}{word}")
    return st.sampled_from(forms)


names = st.text(
    alphabet=st.characters(
        categories=("L", "N", "Zs", "P", "S"), exclude_characters="\x85\u2028\u2029"
    ),
    min_size=1,
    max_size=30,
).filter(lambda s: s.strip() != "")


@st.composite
def datasets(draw: st.DrawFn) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A valid dataset as plain data, and the export rows it must give."""
    sources = [f"src-{i}" for i in range(draw(st.integers(1, 3)))]
    data: dict[str, Any] = {
        "sectors": [{"slug": "ai", "name": "AI", "name_zh": "人工智能"}],
        "bodies": [
            {"id": f"body-{k}", "name": draw(names), "name_zh": draw(names)} for k in range(2)
        ],
        "sources": [
            {
                "id": s,
                "title": f"Source {s}",
                "publisher": "Gov",
                "date": "2025-02",
                "kind": "official",
                "url": f"https://www.info.gov.hk/{s}.htm",
                "locator": "para 1",
            }
            for s in sources
        ],
        "initiatives": [],
    }
    rows: list[dict[str, Any]] = []
    seen_names: set[str] = set()
    for i in range(draw(st.integers(1, 4))):
        name = draw(names.filter(lambda n: " ".join(n.casefold().split()) not in seen_names))
        seen_names.add(" ".join(name.casefold().split()))
        initiative: dict[str, Any] = {
            "id": f"init-{i}",
            "name": name,
            "sector": "ai",
            "lead_body": draw(st.sampled_from(["body-0", "body-1"])),
            "status": draw(st.sampled_from(STATUSES)),
            "announced_in": draw(st.sampled_from(["2025-26 Budget", "2024 Policy Address"])),
            "description": draw(names),
            "allocations": [],
        }
        name_zh = draw(st.none() | names)
        if name_zh is not None:
            initiative["name_zh"] = name_zh
        for j in range(draw(st.integers(1, 3))):
            kind = draw(st.sampled_from(KINDS))
            amount = draw(
                st.one_of(
                    st.integers(1, 10**13),
                    st.integers(1, 10**4).map(lambda n: n * 10**6),
                )
            )
            cited = draw(st.lists(st.sampled_from(sources), min_size=1, max_size=3, unique=True))
            allocation: dict[str, Any] = {
                "id": f"alloc-{i}-{j}",
                "amount": draw(amount_texts(amount)),
                "qualifier": draw(st.sampled_from(QUALIFIERS)),
                "kind": kind,
                "sources": [
                    draw(st.sampled_from([c, {"id": c}, {"id": c, "locator": "para 1"}]))
                    for c in cited
                ],
            }
            year = draw(st.sampled_from(["2022-23", "2025-26", "1999-00", None]))
            if kind in COUNTED_KINDS and year is None:
                year = "2026-27"
            if year is not None:
                allocation["fiscal_year"] = year
            period = draw(st.none() | st.sampled_from(["two years", "2025-2030"]))
            if period is not None:
                allocation["period"] = period
            initiative["allocations"].append(allocation)
            rows.append(
                {
                    "id": initiative["id"],
                    "name": name,
                    "name_zh": name_zh,
                    "sector": "ai",
                    "lead_body": initiative["lead_body"],
                    "status": initiative["status"],
                    "fiscal_year": year,
                    "amount_hkd": amount,
                    "qualifier": allocation["qualifier"],
                    "kind": kind,
                    "counted": kind in COUNTED_KINDS,
                    "announced_in": initiative["announced_in"],
                    "sources": cited,
                    "allocation_id": allocation["id"],
                    "part_of": None,
                    "applies_to": None,
                    "period": period,
                    "scope": "core",
                    "repeat_of": None,
                    "approximate": allocation["qualifier"] != "exact",
                    "form": "spending" if kind in COUNTED_KINDS else None,
                    "budget_year": None,
                    "approval_stage": "not recorded" if kind in COUNTED_KINDS else None,
                    "approved_by": None,
                    "approved_on": None,
                    "approved_hkd": None,
                    "spent_hkd": None,
                    "spent_as_of": None,
                    "note": None,
                }
            )
        data["initiatives"].append(initiative)
    return data, rows


@pytest.mark.slow
@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(spec=datasets(), flow=st.booleans())
def test_json_export_is_exact(
    hkit: Invoke,
    counter: Counter,
    tmp_path: Path,
    spec: tuple[dict[str, Any], list[dict[str, Any]]],
    flow: bool,
) -> None:
    data, rows = spec
    text = yaml.dump(
        data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, default_flow_style=flow
    )
    path = tmp_path / "generated.yaml"
    path.write_text(text, encoding="utf-8")
    run = hkit("--data", str(path), "export", "--all-figures", "--format", "json")
    assert run.exit_code == 0, run.stderr
    exported = json.loads(run.stdout)
    assert exported == rows
    for record in exported:
        assert type(record["amount_hkd"]) is int
        assert type(record["counted"]) is bool
        assert type(record["sources"]) is list
    dataset = load(path)
    from_models = [
        (i.id, a.id, a.amount, a.counted_in(), [c.id for c in a.sources])
        for i in dataset.initiatives
        for a in i.allocations
    ]
    assert from_models == [
        (r["id"], r["allocation_id"], r["amount_hkd"], r["counted"], r["sources"]) for r in exported
    ]
    counter.add(0)


# --- Property 4: the quick path and the full reader agree (conftest.assert_load_agrees_with_validate) -


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=mutated(REALISTIC))
def test_quick_path_agrees_on_mutated_datasets(tmp_path_factory: Any, data: bytes) -> None:
    path = tmp_path_factory.mktemp("quick") / "mutated.yaml"
    path.write_bytes(data)
    assert_load_agrees_with_validate(path)


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.lists(yaml_alphabet, max_size=120).map("".join))
def test_quick_path_agrees_on_yaml_like_text(tmp_path_factory: Any, text: str) -> None:
    path = tmp_path_factory.mktemp("quick") / "text.yaml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    assert_load_agrees_with_validate(path)


_PROPERTIES = ["", "", "", "&a ", "!!str ", "! ", "!!int ", "!x ", "!!map ", "!!seq "]
_SCALARS = ["x", "k", "~", "null", "''", '"~"', "no", "0777", "*a", "<<", '"<<"', "a b", ""]


@st.composite
def yaml_documents(draw: st.DrawFn, depth: int = 0, indent: str = "") -> str:
    """Block YAML with flow parts, repeated keys, nulls, tags, anchors and aliases here and
    there, nested a few levels: what the two readers must treat alike."""
    kind = draw(st.sampled_from(["map", "seq", "flow"] if depth < 4 else ["flow"]))
    lines = []
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        prop = draw(st.sampled_from(_PROPERTIES))
        if kind == "flow" or draw(st.booleans()):
            items = draw(st.lists(st.sampled_from(_SCALARS), max_size=3))
            value = prop + draw(
                st.sampled_from(
                    [
                        draw(st.sampled_from(_SCALARS)),
                        "[" + ", ".join(items) + "]",
                        "{" + ", ".join(f"{i}: {i}" for i in items) + "}",
                    ]
                )
            )
            nested = ""
        else:
            value = prop.rstrip()
            nested = "\n" + draw(yaml_documents(depth + 1, indent + "  "))
        if kind == "seq":
            lines.append(f"{indent}- {value}{nested}")
        else:
            key = draw(st.sampled_from(["a", "b", "k", "<<", "'k'", "? [x]", "&a k", "!!str k"]))
            lines.append(f"{indent}{key}: {value}{nested}")
    return "\n".join(lines)


@pytest.mark.slow
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=yaml_documents())
def test_quick_path_agrees_on_nested_yaml(tmp_path_factory: Any, text: str) -> None:
    path = tmp_path_factory.mktemp("quick") / "nested.yaml"
    path.write_text(text + "\n", encoding="utf-8")
    assert_load_agrees_with_validate(path)
