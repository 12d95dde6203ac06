"""Regenerate the documented command output from real runs on the shipped data: the README's
everyday examples, and docs/commands.md (every command's --help, then a tour of them all).

python scripts/tour.py          # rewrite README.md and docs/commands.md in place
python scripts/tour.py --check  # exit 1 if either is out of date
"""

from __future__ import annotations

import os
import re
import shlex
import sys
import tempfile
from pathlib import Path

from typer.testing import CliRunner

from hkit_cli.cli import BUNDLED_DATA, app

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
COMMANDS = ROOT / "docs" / "commands.md"
START, END = "<!-- tour:start -->", "<!-- tour:end -->"
EXAMPLES_START, EXAMPLES_END = "<!-- examples:start -->", "<!-- examples:end -->"
HELP_START, HELP_END = "<!-- help:start -->", "<!-- help:end -->"

# The README's five everyday examples.
EXAMPLES: list[tuple[str, str, int | None]] = [
    ("Counted government money by fiscal year:", "hkit totals --by year", None),
    ("What kind of money it is:", "hkit totals --by form", None),
    (
        "Initiatives in a sector, largest first:",
        "hkit list --sector ai --sort amount --limit 4",
        None,
    ),
    ("Everything about one initiative, with its sources:", "hkit show ai-rd-institute", 12),
    ("One row per counted allocation, for a spreadsheet:", "hkit export --format csv", 3),
]

BROKEN = """\
sectors:
  - slug: ai
    name: Artificial intelligence
    name_zh: 人工智能
bodies:
  - id: itc
    name: Innovation and Technology Commission
    name_zh: 創新科技署
    abbreviation: ITC
sources:
  - id: budget
    title: A budget speech
    publisher: Financial Secretary
    date: 2026-02-25
    kind: official
initiatives:
  - id: example
    name: Example scheme
    sector: a.i.
    lead_body: itc
    status: proposed
    announced_in: 2026-27 Budget
    description: An example with three mistakes.
    allocations:
      - id: example-money
        ammount: HK$100 million
        kind: allocation
        fiscal_year: 2026-28
        sources: [budget]
"""

# (what the step shows, the command line, how many lines of output to keep or None for all)
STEPS: list[tuple[str, str, int | None]] = [
    (
        "Initiatives in a sector; money counts toward an initiative's primary sector:",
        "hkit list --sector ai",
        None,
    ),
    (
        "With --secondary, also those with the sector as a secondary one, marked and not summed:",
        "hkit list --sector ai --secondary --sort amount --limit 6",
        None,
    ),
    ("The counted total alone:", "hkit totals", None),
    ("Counted government money by fiscal year:", "hkit totals --by year", None),
    (
        "By sector (primary sector only, so the rows add up to the total):",
        "hkit totals --by sector",
        None,
    ),
    ("The same as CSV, for a spreadsheet:", "hkit totals --by sector --format csv", None),
    ("Everything about one initiative:", "hkit show ai-rd-institute", None),
    ("One row per allocation, for reports (first lines):", "hkit export --format csv", 4),
    ("The same contract in JSON (first lines):", "hkit list --format json --limit 1", 20),
    (
        "Filters combine; search works in English and Chinese:",
        "hkit list --search 人工智能 --status approved",
        None,
    ),
    (
        "A value list is an OR, options are an AND; years take ranges:",
        "hkit totals --by sector --sector ai,microelectronics --year 2023-24..2026-27",
        None,
    ),
    ("Lead bodies by id, abbreviation or name:", "hkit totals --by year --lead-body ITC", None),
    (
        "Money that an official document supports, by status:",
        "hkit totals --by status --source-kind official",
        None,
    ),
    ("An empty result says why:", "hkit list --year 2035-36", None),
    (
        "Money drawn from an earlier pot is linked, shown and never added:",
        "hkit show life-health-technology-research-institutes",
        None,
    ),
    ("A pivot of fiscal years against sectors:", "hkit totals --by year --by sector", None),
    (
        "What kind of money: spending, endowment, investment, capital:",
        "hkit totals --by form",
        None,
    ),
    (
        "Policy Address money in the year of the Budget that provides it:",
        "hkit totals --by year --dated budget",
        None,
    ),
    ("How far the money got: announced, approved by LegCo, spent:", "hkit progress", None),
    ("The government's own totals beside hkit's count:", "hkit claims", None),
    ("What changed between two budgets:", "hkit compare 2025-26 2026-27", None),
    ("A chart (bars are drawn with blocks on a terminal):", "hkit chart --by sector", None),
    (
        "In US dollars at the linked rate, as Markdown for a report:",
        "hkit totals --by year --currency usd --format markdown",
        None,
    ),
    (
        "Milestones in date order, with partial dates kept as given:",
        "hkit timeline --year 2026-27",
        None,
    ),
    ("Key output figures:", "hkit figures --metric projects", None),
    ("Amount filters take the same forms as the data:", "hkit list --min 5bn", None),
    ("Which documents were reviewed, and what each gave:", "hkit coverage", None),
    (
        "Adjacent money (digital government, parks, regional funds) only when asked:",
        "hkit totals --by year --scope all",
        None,
    ),
    (
        "A self-contained HTML page to hand over (pip install 'hkit[report]'):",
        "hkit report -o report.html",
        None,
    ),
    ("The same charts as files for slides:", "hkit chart --by sector -o chart.svg", None),
    ("Tables in Traditional Chinese:", "hkit --lang zh totals --by sector", None),
    ("Check the data (warnings fail only with --strict):", "hkit validate --strict", None),
    ("A broken file gets every problem, located:", "hkit --data broken.yaml validate", None),
    (
        "What a data change does (here: adding the AI R&D Institute to a copy without it):",
        "hkit diff before.yaml after.yaml",
        None,
    ),
    ("The JSON Schema that editors use (first lines):", "hkit schema", 8),
    ("The registries:", "hkit sectors", None),
    ("", "hkit bodies", None),
    ("", "hkit sources --format csv", 4),
]


def run(command: str, workdir: Path) -> str:
    args = shlex.split(command)[1:]
    args = [str(workdir / a) if a.endswith((".yaml", ".html", ".svg")) else a for a in args]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "120", "HKIT_DATA": None})
    text = result.stdout + result.stderr
    # Paths differ from machine to machine; the tour shows them short.
    text = text.replace(str(BUNDLED_DATA), "…/hkit_cli/data/initiatives.yaml")
    # A page's size depends on the plotting library's version; the tour shows it short.
    text = re.sub(r"\(\d[\d,]* bytes, ", "(… bytes, ", text)
    return text.replace(str(workdir) + os.sep, "")


def steps(items: list[tuple[str, str, int | None]], workdir: Path) -> list[str]:
    parts = []
    for title, command, keep in items:
        output = run(command, workdir).rstrip("\n").splitlines()
        if keep is not None and len(output) > keep:
            output = [*output[:keep], "…"]
        if title:
            parts.append(title)
        body = "\n".join(line.rstrip() for line in output)
        parts.append(f"```console\n$ {command}\n{body}\n```")
    return parts


def _workdir(tmp: str) -> Path:
    workdir = Path(tmp)
    (workdir / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    shipped = BUNDLED_DATA.read_text(encoding="utf-8")
    (workdir / "after.yaml").write_text(shipped, encoding="utf-8")
    start = shipped.index("  - id: ai-rd-institute\n")
    end = shipped.index("\n  - id: ", start + 1) + 1
    (workdir / "before.yaml").write_text(shipped[:start] + shipped[end:], encoding="utf-8")
    return workdir


def generated_with() -> str:
    """The libraries whose help layout the reference shows (metavars, wrapping)."""
    from importlib.metadata import version

    return f"<!-- generated with typer {version('typer')} and rich {version('rich')} -->"


def helps() -> list[str]:
    parts = []
    names = [c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands]
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        parts.append(f"```console\n$ hkit --help\n{run('hkit --help', workdir).rstrip()}\n```")
        for name in names:
            text = run(f"hkit {name} --help", workdir).rstrip()
            parts.append(f"### hkit {name}\n\n```console\n$ hkit {name} --help\n{text}\n```")
    return parts


def _between(text: str, start: str, end: str, body: str) -> str:
    head, _, rest = text.partition(start)
    _, _, tail = rest.partition(end)
    return head + start + "\n\n" + body + "\n\n" + end + tail


def updated() -> dict[Path, str]:
    """The new text of each generated file."""
    with tempfile.TemporaryDirectory() as tmp:
        workdir = _workdir(tmp)
        examples = "\n\n".join(steps(EXAMPLES, workdir))
        tour = "\n\n".join(steps(STEPS, workdir))
    readme = _between(README.read_text(encoding="utf-8"), EXAMPLES_START, EXAMPLES_END, examples)
    commands = COMMANDS.read_text(encoding="utf-8")
    commands = _between(
        commands, HELP_START, HELP_END, generated_with() + "\n\n" + "\n\n".join(helps())
    )
    commands = _between(commands, START, END, tour)
    return {README: readme, COMMANDS: commands}


def main() -> int:
    stale = []
    for path, new in updated().items():
        if path.read_text(encoding="utf-8") != new:
            stale.append(path.relative_to(ROOT).as_posix())
            if "--check" not in sys.argv:
                path.write_text(new, encoding="utf-8")
    if stale and "--check" in sys.argv:
        print(f"out of date: {', '.join(stale)}; run python scripts/tour.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
