"""Benchmark hkit as a user runs it: whole processes, wall time and peak memory, against baselines.

    python benchmarks/bench.py            # full run (1k, 10k, 100k); rewrites BENCHMARKS.md
    python benchmarks/bench.py --quick    # CI smoke run (200, 1k; 2 runs); prints only

Run it with the project installed in the current venv (`pip install -e .`). Every measurement
is one fresh child process, reaped with os.wait4 so that its own peak RSS is read (not the
running maximum over all children that RUSAGE_CHILDREN gives). Targets are reported, never
asserted: the exit status is 1 only when a command fails or gives a wrong answer.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import TypeVar

import synth

T = TypeVar("T")

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BASELINE = HERE / "baseline_load.py"
REPORT = ROOT / "BENCHMARKS.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
BARE_IMPORT = "import typer, rich.console, pydantic, yaml"
HEAVY = ("pydantic", "yaml", "rich", "hkit_cli.reading.models", "hkit_cli.reading.loader")
PROBE = """
import json, sys
sys.argv = ["hkit", *sys.argv[1:]]
from hkit_cli.cli import base, main
base._end = lambda status: None  # main() ends the process at once; report first
main()
sys.stderr.write("\\nPROBE " + json.dumps([m for m in HEAVY if m in sys.modules]) + "\\n")
""".replace("HEAVY", repr(HEAVY))


@dataclass
class Run:
    wall: float
    cpu: float  # user + system time of the child: less sensitive than wall to a busy machine
    maxrss_kib: int
    code: int
    stdout: str
    stderr: str


@dataclass
class Measure:
    label: str
    command: str
    runs: list[Run] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(r.wall for r in self.runs)

    @property
    def best(self) -> float:
        return min(r.wall for r in self.runs)

    @property
    def runs_s(self) -> list[float]:
        return [r.wall for r in self.runs]

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu for r in self.runs)

    @property
    def rss_mib(self) -> float:
        return max(r.maxrss_kib for r in self.runs) / 1024


class Failed(Exception):
    """A command failed or gave a wrong answer: the benchmark exits 1."""


def child_env(out: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("HKIT_DATA", None)  # the bundled dataset unless --data is given
    env.pop("HKIT_DEBUG", None)
    env["NO_COLOR"] = "1"
    # Compiled bytecode is cached, as after `pip install`, but in our own git-ignored folder:
    # with PYTHONDONTWRITEBYTECODE set (some sandboxes set it) an editable install would
    # recompile hkit's modules on every run, which costs about 0.2 s of start-up here.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(out / "pycache")
    # hkit's cache of validated datasets lives in our folder too, so it starts empty and a
    # user's own cache is never touched. Cold runs add `env HKIT_NO_CACHE=1` to the command.
    env["HKIT_CACHE_DIR"] = str(out / "cache")
    env.pop("HKIT_NO_CACHE", None)
    return env


COLD = ["env", "HKIT_NO_CACHE=1"]  # parse and validate on every run
# Every run with a new, empty cache folder (a new user, or a new data file).
FIRST = ["sh", "-c", 'HKIT_CACHE_DIR="$(mktemp -d)" exec "$@"', "sh"]


ENV = child_env(HERE / "out")


def run_once(cmd: Sequence[str], cwd: Path) -> Run:
    """One fresh process: wall time from spawn to exit, and its own peak RSS."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(cmd), stdout=out, stderr=err, env=ENV, cwd=cwd)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        out.seek(0)
        err.seek(0)
        rss = usage.ru_maxrss // 1024 if sys.platform == "darwin" else usage.ru_maxrss
        return Run(
            wall,
            usage.ru_utime + usage.ru_stime,
            rss,
            proc.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
        )


def shown(cmd: Sequence[str]) -> str:
    """The command as a reader would type it: `python`, `hkit`, paths made short."""
    words = []
    for word in cmd[1:] if cmd[0] == "env" else cmd:
        if word == sys.executable:
            word = "python"
        elif os.sep in word and "\n" not in word:
            path = Path(word)
            if path.name == "hkit":
                word = "hkit"
            elif path.is_relative_to(ROOT):
                word = str(path.relative_to(ROOT))
            else:
                word = path.name
        words.append(f'"{word}"' if " " in word or "," in word else word)
    return " ".join(words)


def expect(run: Run, cmd: Sequence[str], code: int = 0) -> Run:
    if run.code != code:
        tail = "\n".join(run.stderr.strip().splitlines()[-5:])
        raise Failed(f"`{shown(cmd)}` exited {run.code}, expected {code}:\n{tail}")
    return run


def measure(
    label: str,
    cmd: Sequence[str],
    runs: int,
    cwd: Path,
    code: int = 0,
    warm: bool = True,
) -> Measure:
    if warm:
        expect(run_once(cmd, cwd), cmd, code)  # page cache and .pyc files, untimed
    result = Measure(label, shown(cmd))
    for _ in range(runs):
        result.runs.append(expect(run_once(cmd, cwd), cmd, code))
    return result


def interleaved(pairs: Sequence[tuple[str, Sequence[str]]], runs: int, cwd: Path) -> list[Measure]:
    """Alternate the commands run by run, so that drift on a shared machine hits all alike."""
    results = [Measure(label, shown(cmd)) for label, cmd in pairs]
    for _ in range(runs):
        for (_, cmd), result in zip(pairs, results, strict=True):
            result.runs.append(expect(run_once(cmd, cwd), cmd))
    return results


# --- the machine ----------------------------------------------------------------------------


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 2**20:.1f} GiB"
    except OSError:
        pass
    import yaml  # the bench process only: which PyYAML the children get

    libyaml = "no"
    if getattr(yaml, "__with_libyaml__", False):
        from yaml import _yaml

        libyaml = f"yes (libyaml {_yaml.get_version_string()})"
    versions = []
    for name in ("hkit", "typer", "rich", "pydantic", "pydantic-core", "PyYAML"):
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    try:
        commit = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:
        commit = ""
    cores = os.cpu_count() or 0
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    return {
        "Date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "CPU": cpu,
        "Cores": f"{cores} logical ({affinity} usable)",
        "RAM": ram,
        "OS": platform.platform(),
        "Python": f"{platform.python_version()} ({platform.python_implementation()})",
        "Packages": ", ".join(versions),
        "libyaml": libyaml,
        "Bytecode": "cached in the out folder (PYTHONPYCACHEPREFIX), warm-up run first",
        "Commit": f"{commit} (working tree as found; other edits may be uncommitted)"
        if commit
        else "?",
    }


# --- the cases ------------------------------------------------------------------------------


@dataclass
class Sized:
    size: int
    path: Path
    megabytes: float
    hkit: Measure
    base: Measure
    validate: Run
    broken: Measure | None = None
    broken_located: bool = False
    broken_line: str = ""
    miss: Run | None = None  # first run with an empty cache: parse, validate, write the cache
    hit: Measure | None = None  # later runs, served from the cache (None: hkit has no cache)

    @property
    def ratio(self) -> float:
        return self.hkit.median / self.base.median

    @property
    def rss_ratio(self) -> float:
        return self.hkit.rss_mib / self.base.rss_mib


def package(out: Path) -> tuple[Path, str]:
    """Where the children import hkit_cli from, and a hash of its source files."""
    cmd = [sys.executable, "-c", "import hkit_cli; print(hkit_cli.__file__)"]
    where = Path(expect(run_once(cmd, out), cmd).stdout.strip()).parent
    return where, fingerprint(where)


def fingerprint(where: Path) -> str:
    digest = hashlib.sha256()
    for source in sorted(where.rglob("*.py")):
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()[:12]


def find_hkit() -> Path:
    candidate = Path(sys.executable).parent / "hkit"
    if candidate.exists():
        return candidate
    raise Failed(
        f"no `hkit` next to {sys.executable}: install the project in this venv (pip install -e .)"
    )


def startup(hkit: Path, out: Path, runs: int, notes: list[str]) -> tuple[list[Measure], str]:
    """--version, --help and list on the shipped data against the bare import of the stack."""
    shipped = "the shipped dataset (bundled `data/initiatives.yaml`)"
    check = run_once([*COLD, str(hkit), "validate"], out)
    data_args: list[str] = []
    if check.code != 0:
        fallback = synth.write(out / "shipped-fallback-60.yaml", synth.generate(60).text)
        data_args = ["--data", str(fallback)]
        first = (check.stderr.strip().splitlines() or ["?"])[0]
        shipped = "a generated 60-initiative file (the shipped data did not validate)"
        notes.append(
            f"The shipped data did not validate when this ran (`hkit validate` exited "
            f"{check.code}: `{first[:160]}`), so `list --sector ai` ran on a generated "
            "60-initiative file."
        )
    else:
        notes.append(f"Shipped data: {check.stdout.strip().split(': ', 1)[-1]}")
    py = sys.executable
    listing = [str(hkit), *data_args, "list", "--sector", "ai"]
    cases = [
        ("python -c pass (interpreter floor)", [py, "-c", "pass"]),
        ("bare import of the stack", [py, "-c", BARE_IMPORT]),
        ("hkit --version", [str(hkit), "--version"]),
        ("hkit --help", [str(hkit), "--help"]),
        ("hkit list, no cache", [*COLD, *listing]),
        # A new user's first command: an empty cache folder each run (made by the shell,
        # which costs a few ms more than the others are charged).
        ("hkit list, first run (empty cache)", [*FIRST, *listing]),
        ("hkit list, cache hit", listing),  # the warm-up run below fills the cache
    ]
    for _, cmd in cases:
        expect(run_once(cmd, out), cmd)  # warm up
    return interleaved(cases, runs, out), shipped


def probe_imports(out: Path) -> dict[str, list[str]]:
    """Which heavy modules `hkit --version` and `hkit --help` import (a sys.modules probe)."""
    found = {}
    for flag in ("--version", "--help", "--no-cache validate"):
        cmd = [sys.executable, "-c", PROBE, *flag.split()]
        run = expect(run_once(cmd, out), cmd)
        line = next(x for x in run.stderr.splitlines() if x.startswith("PROBE "))
        found[flag] = json.loads(line.removeprefix("PROBE "))
    return found


def import_costs(out: Path, runs: int) -> list[tuple[str, float, float]]:
    """Seconds spent importing, inside each side of the load comparison (-X importtime).

    The sum of the top-level imports' cumulative times, median of ``runs`` runs on a small
    file, for `hkit totals` and for the baseline script: (label, import s, whole run s).
    """
    path = synth.write(out / "import-probe-200.yaml", synth.generate(200).text)
    py = sys.executable
    cases = [
        ("`hkit totals --by year`", [py, "-X", "importtime", "-m", "hkit_cli", "--data"]),
        ("baseline script", [py, "-X", "importtime", str(BASELINE)]),
    ]
    found = []
    for label, cmd in cases:
        cmd = [*cmd, str(path)]
        if label.startswith("`hkit"):
            cmd += ["totals", "--by", "year"]
        seconds, walls = [], []
        for _ in range(runs + 1):  # the first run warms the bytecode cache
            run = expect(run_once(cmd, out), cmd)
            seconds.append(_import_seconds(run.stderr))
            walls.append(run.wall)
        found.append((label, statistics.median(seconds[1:]), statistics.median(walls[1:])))
    return found


def _import_seconds(stderr: str) -> float:
    total = 0
    for line in stderr.splitlines():
        if line.startswith("import time:"):
            parts = line.split("|")
            if len(parts) == 3 and not parts[2].startswith("  ") and parts[1].strip().isdigit():
                total += int(parts[1])  # a top-level import's cumulative microseconds
    return total / 1e6


def sized(hkit: Path, out: Path, size: int, runs: int, broken_runs: int) -> Sized:
    generated = synth.generate(size)
    path = synth.write(out / f"synthetic-{size}.yaml", generated.text)
    megabytes = path.stat().st_size / 1e6
    print(f"  {size:>7,} initiatives: {megabytes:.1f} MB written; validating", flush=True)
    validate_cmd = [*COLD, str(hkit), "--data", str(path), "validate"]
    validate = expect(run_once(validate_cmd, out), validate_cmd)
    totals = [str(hkit), "--data", str(path), "totals", "--by", "year"]
    json_cmd = [*COLD, *totals, "--format", "json"]
    rows = json.loads(expect(run_once(json_cmd, out), json_cmd).stdout)
    grand_cmd = [*COLD, str(hkit), "--data", str(path), "totals", "--format", "json"]
    grand = json.loads(expect(run_once(grand_cmd, out), grand_cmd).stdout)
    got = {r["fiscal_year"]: r["amount_hkd"] for r in rows} | {"Total": grand[0]["amount_hkd"]}
    want = {**generated.by_year, "Total": generated.counted_total}
    if got != want:
        raise Failed(f"hkit totals on {path.name} disagree with the generator: {got} != {want}")
    hkit_cmd = [*COLD, *totals]
    base_cmd = [sys.executable, str(BASELINE), str(path)]
    # The cache starts empty: one miss fills it, then the runs without the cache, the
    # baseline and the cache hits alternate, so that the hit is compared with a baseline
    # measured at the same moments.
    cache = Path(ENV["HKIT_CACHE_DIR"])
    shutil.rmtree(cache, ignore_errors=True)
    print(f"  {size:>7,} initiatives: 1 cache miss, then {runs} runs of each", flush=True)
    miss = expect(run_once(totals, out), totals)
    cached = cache.is_dir() and any(cache.iterdir())
    pairs = [("hkit totals --by year", hkit_cmd), ("baseline", base_cmd)]
    if cached:
        pairs.append(("cache hit", totals))
    measured = interleaved(pairs, runs, out)
    for run in measured[1].runs:
        if json.loads(run.stdout)["total"] != generated.counted_total:
            raise Failed(f"the baseline's total on {path.name} disagrees with the generator")
    result = Sized(size, path, megabytes, measured[0], measured[1], validate)
    result.miss = miss
    if cached:
        result.hit = measured[2]
        if result.hit.runs[0].stdout != measured[0].runs[0].stdout:
            raise Failed(f"totals from the cache differ from a fresh load of {path.name}")
    if broken_runs:
        bad = synth.write(out / f"synthetic-{size}-broken.yaml", generated.broken_text())
        cmd = [*COLD, str(hkit), "--data", str(bad), "totals", "--by", "year"]
        print(f"  {size:>7,} initiatives: broken file, {broken_runs} runs", flush=True)
        result.broken = measure("broken file", cmd, broken_runs, out, code=1, warm=False)
        stderr = result.broken.runs[0].stderr
        where = f"{bad}:{generated.probe_line}:"
        field_path = generated.probe_path
        lines = [x for x in stderr.splitlines() if x.startswith(str(bad))]
        # FILE:LINE:COL: path, without the message (it quotes the bad value in backticks).
        first = lines[0].replace(str(bad), bad.name) if lines else "(no located line)"
        result.broken_line = ": ".join(first.split(": ")[:2])
        result.broken_located = any(x.startswith(where) and field_path in x for x in lines)
    return result


# --- the report -----------------------------------------------------------------------------


def fmt_s(seconds: float) -> str:
    return f"{seconds:.3f}" if seconds < 10 else f"{seconds:.1f}"


def verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


@dataclass
class Results:
    """Everything measured; a part is None (or missing) when its commands failed."""

    quick: bool
    info: dict[str, str]
    starts: list[Measure] | None = None
    shipped: str = ""
    imported: dict[str, list[str]] | None = None
    imports: list[tuple[str, float, float]] | None = None
    sizes: list[Sized] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    elapsed: float = 0.0


def report(r: Results) -> str:
    out: list[str] = []
    mode = "quick (`--quick`)" if r.quick else "full"
    out.append(f"Mode: {mode}; total benchmark time {r.elapsed:.0f} s.\n")
    out.append("| Machine | |")
    out.append("|---|---|")
    out += [f"| {k} | {v} |" for k, v in r.info.items()]
    out.append("")
    targets: list[str] = []
    out += _startup_section(r, targets)
    out += _load_section(r, targets)
    out.append("### Targets (reported, not asserted)\n")
    out.append("| Target | Measured | Verdict |")
    out.append("|---|---|---|")
    out += targets
    if r.quick:
        out.append("")
        out.append(
            "Quick mode: the 10,000 and 100,000 targets are shown on the quick sizes instead "
            "(the same rule, scaled)."
        )
    if r.failures:
        out.append("")
        out.append("### Failures\n")
        out += [f"- {f}" for f in r.failures]
    if r.notes:
        out.append("")
        out += [f"- {n}" for n in r.notes]
    return "\n".join(out) + "\n"


def _startup_section(r: Results, targets: list[str]) -> list[str]:
    out: list[str] = []
    if r.starts:
        bare = next(m for m in r.starts if m.label.startswith("bare import"))
        out.append(f"### Start-up ({len(bare.runs)} runs each, median wall time of the process)\n")
        out.append(f"`list --sector ai` ran on {r.shipped}.\n")
        out.append("| Command | Median s | Min s | CPU s | Peak RSS MiB | vs bare import |")
        out.append("|---|---:|---:|---:|---:|---:|")
        for m in r.starts:
            out.append(
                f"| `{m.command}` | {fmt_s(m.median)} | {fmt_s(m.best)} | {fmt_s(m.cpu)} "
                f"| {m.rss_mib:.0f} | {m.median / bare.median:.2f}x |"
            )
        out.append("")
        goals = {"cache hit": 1.0, "first run (empty cache)": 1.2}
        for listing in (m for m in r.starts if m.label.startswith("hkit list")):
            how = listing.label.removeprefix("hkit list, ")
            if how not in goals:
                continue
            ratio = listing.median / bare.median
            spread = (
                f"{min(listing.runs_s) / bare.median:.2f}-{max(listing.runs_s) / bare.median:.2f}x"
            )
            targets.append(
                f"| 1-2. `list --sector ai` ({how}) ≤ {goals[how]}x the bare import "
                f"| {ratio:.2f}x, runs {spread} ({fmt_s(listing.median)} s vs "
                f"{fmt_s(bare.median)} s) | {verdict(ratio <= goals[how])} |"
            )
    else:
        targets.append("| 1-2. `list --sector ai` against the bare import | failed | **not met** |")
    if r.imported is not None:
        out.append("Heavy modules imported (sys.modules probe, fresh process):\n")
        for flag, mods in r.imported.items():
            found = ", ".join(mods) if mods else "none of " + ", ".join(HEAVY)
            out.append(f"- `hkit {flag}`: {found}")
            if flag.endswith("validate"):
                targets.append(
                    f"| 6. pydantic stays the validator (`hkit {flag}`) "
                    f"| {'imports pydantic' if 'pydantic' in mods else 'no pydantic'} "
                    f"| {verdict('pydantic' in mods)} |"
                )
                continue
            heavy = [m for m in mods if m in ("pydantic", "yaml")]
            measured = "imports " + ", ".join(heavy) if heavy else "neither imported"
            targets.append(
                f"| `{flag}` imports neither pydantic nor yaml | {measured} "
                f"| {verdict(not heavy)} |"
            )
        out.append("")
    if r.imports:
        out.append(
            "Import time inside the load comparison (sum of the top-level imports in "
            "`python -X importtime`, on a 200-initiative file; included in both columns below):\n"
        )
        out.append("| Process | Imports s | Whole run s (under -X importtime) |")
        out.append("|---|---:|---:|")
        for label, seconds, wall in r.imports:
            out.append(f"| {label} | {fmt_s(seconds)} | {fmt_s(wall)} |")
        out.append("")
    return out


def _load_section(r: Results, targets: list[str]) -> list[str]:
    out: list[str] = []
    sizes = r.sizes
    out.append(
        "### Loading: `HKIT_NO_CACHE=1 hkit --data FILE totals --by year` against the bare load\n"
    )
    out.append(
        "Baseline: `python benchmarks/baseline_load.py FILE` (`yaml.load(f, Loader=CSafeLoader)`, "
        "sum of the counted amounts by year, no validation), a fresh process like hkit.\n"
    )
    out.append(
        "| Initiatives | File MB | Runs | hkit median s | baseline median s | time ratio "
        "| hkit / baseline CPU s | hkit peak MiB | baseline peak MiB | memory ratio "
        "| `validate` s (1 run) |"
    )
    out.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for s in sizes:
        out.append(
            f"| {s.size:,} | {s.megabytes:.1f} | {len(s.hkit.runs)} | {fmt_s(s.hkit.median)} "
            f"| {fmt_s(s.base.median)} | {s.ratio:.2f}x "
            f"| {fmt_s(s.hkit.cpu)} / {fmt_s(s.base.cpu)} | {s.hkit.rss_mib:.0f} "
            f"| {s.base.rss_mib:.0f} | {s.rss_ratio:.2f}x | {fmt_s(s.validate.wall)} |"
        )
    out.append("")
    cached = [s for s in sizes if s.miss is not None]
    if cached:
        out.append(
            "The table above runs hkit with `HKIT_NO_CACHE=1`: every run parses and validates. "
            "hkit's cache of validated datasets (keyed by the file's content) changes that:\n"
        )
        out.append(
            "| Initiatives | first run, cache miss s | cache hit median s | hit vs no cache "
            "| hit vs baseline | hit peak MiB |"
        )
        out.append("|---:|---:|---:|---:|---:|---:|")
        for s in cached:
            assert s.miss is not None
            if s.hit is None:
                out.append(f"| {s.size:,} | {fmt_s(s.miss.wall)} | no cache written | | | |")
                continue
            out.append(
                f"| {s.size:,} | {fmt_s(s.miss.wall)} | {fmt_s(s.hit.median)} "
                f"| {s.hit.median / s.hkit.median:.2f}x | {s.hit.median / s.base.median:.2f}x "
                f"| {s.hit.rss_mib:.0f} |"
            )
        out.append("")
    broken = [s for s in sizes if s.broken is not None]
    if broken:
        out.append("### Errors stay located (one bad amount three initiatives from the end)\n")
        out.append(
            "| Initiatives | Runs | Median s | vs valid file | Located `FILE:LINE:` | Reported at |"
        )
        out.append("|---:|---:|---:|---:|---|---|")
        for s in broken:
            assert s.broken is not None
            out.append(
                f"| {s.size:,} | {len(s.broken.runs)} | {fmt_s(s.broken.median)} "
                f"| {s.broken.median / s.hkit.median:.2f}x "
                f"| {'yes' if s.broken_located else '**no**'} | `{s.broken_line}` |"
            )
        out.append("")

    # The 10,000 and 100,000 targets; on other sizes (--quick) the same rules, scaled.
    by_size = {s.size: s for s in sizes}
    ref = by_size.get(10_000) or (sizes[-1] if r.quick and sizes else None)
    if ref is None:
        targets.append("| 3. 10,000: first run ≤ 0.7x the bare load | not measured | **not met** |")
    else:
        runs = [x / ref.base.median for x in ref.hkit.runs_s]
        targets.append(
            f"| 3. {ref.size:,}: first run (no cache) ≤ 0.7x the bare load | {ref.ratio:.2f}x, "
            f"runs {min(runs):.2f}-{max(runs):.2f}x | {verdict(ref.ratio <= 0.7)} |"
        )
        if ref.hit is not None:
            hit = ref.hit.median / ref.base.median
            hits = [x / ref.base.median for x in ref.hit.runs_s]
            targets.append(
                f"| 3. {ref.size:,}: cache hit ≤ 0.08x the bare load | {hit:.3f}x "
                f"({fmt_s(ref.hit.median)} s), runs {min(hits):.3f}-{max(hits):.3f}x "
                f"| {verdict(hit <= 0.08)} |"
            )
    if r.quick and len(sizes) > 1:
        pair: tuple[Sized, Sized] | None = (sizes[-2], sizes[-1])
    elif 10_000 in by_size and 100_000 in by_size:
        pair = (by_size[10_000], by_size[100_000])
    else:
        pair = None
    if pair is not None:
        small, big = pair
        limit = 1.1 * big.size / small.size
        growth = big.hkit.median / small.hkit.median
        targets.append(
            f"| 4. {big.size:,} within {limit:.1f}x the {small.size:,} time (linear) "
            f"| {growth:.2f}x | {verdict(growth <= limit)} |"
        )
        targets.append(
            f"| 4. {big.size:,}: peak memory ≤ 0.7x the bare load's | {big.rss_ratio:.2f}x "
            f"({big.hkit.rss_mib:.0f} vs {big.base.rss_mib:.0f} MiB) "
            f"| {verdict(big.rss_ratio <= 0.7)} |"
        )
    elif not r.quick:
        targets.append(
            "| 4. 100,000 within 11x the 10,000 time (linear) | not measured | **not met** |"
        )
        targets.append(
            "| 4. 100,000: peak memory ≤ 0.7x the bare load's | not measured | **not met** |"
        )
    if broken:
        ok = all(s.broken_located for s in broken) and len(broken) == len(sizes)
        listed = ", ".join(f"{s.size:,}" for s in broken)
        targets.append(
            f"| 5. errors located `FILE:LINE:` at every size | checked at {listed} "
            f"| {verdict(ok)} |"
        )
    return out


def write_report(table: str) -> None:
    block = f"{START}\n{table}{END}"
    text = REPORT.read_text(encoding="utf-8") if REPORT.exists() else ""
    if START in text and END in text:
        head, rest = text.split(START, 1)
        text = head + block + rest.split(END, 1)[1]
    else:
        text = (text or "# Benchmarks\n") + "\n## Latest results\n\n" + block + "\n"
    REPORT.write_text(text, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="sizes 200 and 1,000, 2 runs each")
    parser.add_argument(
        "--write",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="rewrite the results in BENCHMARKS.md (default: yes, except with --quick)",
    )
    parser.add_argument("--sizes", help="comma-separated initiative counts, e.g. 1000,10000")
    parser.add_argument("--runs", type=int, help="runs per small case (default 7; quick 2)")
    parser.add_argument("--big-runs", type=int, help="runs at 100,000 or more (default 3)")
    parser.add_argument(
        "--out", type=Path, default=HERE / "out", help="where generated files go (git-ignored)"
    )
    args = parser.parse_args(argv)
    sizes = [int(x) for x in args.sizes.split(",")] if args.sizes else None
    if args.quick:
        sizes = sizes or [200, 1_000]
        runs, big_runs = args.runs or 2, args.big_runs or 2
    else:
        sizes = sizes or [1_000, 10_000, 100_000]
        runs, big_runs = args.runs or 7, args.big_runs or 3
    write = args.write if args.write is not None else not args.quick
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    ENV.update(child_env(out))

    began = time.perf_counter()
    try:
        hkit = find_hkit()
        where, before = package(out)
    except Failed as exc:
        print(f"bench: FAILED: {exc}", file=sys.stderr)
        return 1
    results = Results(args.quick, machine())
    results.info["hkit_cli"] = f"{where} (sources {before})"
    versions = results.info["Packages"]

    def attempt(what: str, step: Callable[[], T]) -> T | None:
        try:
            return step()
        except Failed as exc:
            results.failures.append(f"{what}: {exc}".replace("\n", " ⏎ "))
            print(f"bench: FAILED: {what}: {exc}", file=sys.stderr, flush=True)
            return None

    print("start-up cases", flush=True)
    started = attempt("start-up", lambda: startup(hkit, out, runs, results.notes))
    if started is not None:
        results.starts, results.shipped = started
    results.imported = attempt("import probe", lambda: probe_imports(out))
    results.imports = attempt("import cost", lambda: import_costs(out, runs))
    print("load cases", flush=True)
    for size in sizes:
        n = big_runs if size >= 100_000 else runs
        broken = 1 if size >= 100_000 else min(3, n)
        one = attempt(f"{size:,} initiatives", partial(sized, hkit, out, size, n, broken))
        if one is not None:
            results.sizes.append(one)
            print(
                f"  {size:>7,} initiatives: hkit {one.hkit.median:.3f} s, baseline "
                f"{one.base.median:.3f} s ({one.ratio:.2f}x); peak {one.hkit.rss_mib:.0f} vs "
                f"{one.base.rss_mib:.0f} MiB",
                flush=True,
            )
    after = fingerprint(where)
    if after != before:
        results.notes.append(
            f"**The hkit_cli sources changed during the run** ({before} -> {after}): "
            "these results mix code versions; run again on a quiet tree."
        )
    if machine()["Packages"] != versions:
        results.notes.append(
            f"**Installed packages changed during the run** (now: {machine()['Packages']})."
        )
    results.elapsed = time.perf_counter() - began
    table = report(results)
    print()
    print(table)
    if write:
        write_report(table)
        print(f"wrote {REPORT.relative_to(ROOT)}")
    return 1 if results.failures else 0


if __name__ == "__main__":
    sys.exit(main())
