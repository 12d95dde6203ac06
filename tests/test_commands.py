"""Every command's output and exit code on a small dataset written in the test."""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import MINI, Invoke, synthetic


def test_list_table(hkit: Invoke, mini: Path) -> None:
    run = hkit("--data", str(mini), "list")
    assert run.exit_code == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].split() == ["ID", "Name", "Sector", "Status", "Counted"]
    assert lines[2].split() == ["ai-institute", "AI", "Institute", "ai", "approved", "HK$1.0bn"]
    assert lines[3].split() == [
        "lht",
        "Life",
        "and",
        "health",
        "earmark",
        "life-health",
        "approved",
        "HK$10.0bn",
    ]
    assert lines[4].split() == [
        "upgrade",
        "[bold]Upgrade[/bold]",
        "scheme",
        "industry",
        "proposed",
        "≈",
        "HK$220m",
    ]
    assert lines[6].split() == ["3", "initiatives", "≈", "HK$11.22bn"]
    assert lines[7] == "≈ includes 1 approximate allocation"
    assert run.stderr == ""


def test_list_filters_combine(hkit: Invoke, mini: Path) -> None:
    def ids(*args: str) -> list[str]:
        run = hkit("--data", str(mini), "list", "--format", "csv", *args)
        assert run.exit_code == 0, run.stderr
        return [row["id"] for row in csv.DictReader(io.StringIO(run.stdout))]

    assert ids() == ["ai-institute", "lht", "upgrade"]
    assert ids("--sector", "ai") == ["ai-institute"]  # primary sector only
    assert ids("--sector", "ai", "--secondary") == ["ai-institute", "lht"]
    assert ids("--sector", "ai", "--secondary", "--status", "approved", "--year", "2022-23") == [
        "lht"
    ]
    assert ids("--year", "2025-26") == ["ai-institute", "upgrade"]
    assert ids("--status", "proposed") == ["upgrade"]
    assert ids("--lead-body", "innovation and technology commission") == ["lht", "upgrade"]
    assert ids("--lead-body", "ITC") == ["lht", "upgrade"]
    assert ids("--search", "研發院") == ["ai-institute"]
    assert ids("--search", "airdi") == ["ai-institute"]
    assert ids("--search", "SMART PRODUCTION") == ["upgrade"]
    assert ids("--search", "nothing like this") == []


def test_list_csv_and_json(hkit: Invoke, mini: Path) -> None:
    run = hkit("--data", str(mini), "list", "--sector", "industry", "--format", "csv")
    assert run.stdout == (
        "id,name,name_zh,sector,status,lead_body,announced_in,forms,amount_hkd,allocations,"
        "approximate_allocations,approximate,other_allocations,secondary_match\n"
        "upgrade,[bold]Upgrade[/bold] scheme,,industry,proposed,"
        "itc,2025-26 Budget,spending,220000000,1,1,true,1,\n"
    )
    run = hkit("--data", str(mini), "list", "--search", "institute", "--format", "json")
    assert json.loads(run.stdout) == [
        {
            "id": "ai-institute",
            "name": "AI Institute",
            "name_zh": "人工智能研發院",
            "sector": "ai",
            "status": "approved",
            "lead_body": "dpo",
            "announced_in": "2025-26 Budget",
            "forms": ["spending"],
            "amount_hkd": 1_000_000_000,
            "allocations": 1,
            "approximate_allocations": 0,
            "approximate": False,
            "other_allocations": 0,
            "secondary_match": [],
        }
    ]


def test_totals_by_year_csv(hkit: Invoke, mini: Path) -> None:
    run = hkit("--data", str(mini), "totals", "--by", "year", "--format", "csv")
    assert run.exit_code == 0
    # The HK$6 billion drawn from the earmark and the per-enterprise cap are never added.
    assert run.stdout == (
        "fiscal_year,amount_hkd,share,allocations,approximate_allocations,approximate\n"
        "2022-23,10000000000,89.1,1,0,false\n"
        "2025-26,1220000000,10.9,2,1,true\n"
    )
    # The grand total is its own output, never a row among the groups.
    total = hkit("--data", str(mini), "totals", "--format", "csv")
    assert total.stdout == (
        "amount_hkd,allocations,approximate_allocations,approximate\n11220000000,3,1,true\n"
    )


@pytest.mark.parametrize(
    ("by", "expected"),
    [
        (
            "sector",
            "sector,name,amount_hkd,share,allocations,approximate_allocations,approximate\n"
            "life-health,Life and health technology,10000000000,89.1,1,0,false\n"
            "ai,Artificial intelligence,1000000000,8.9,1,0,false\n"
            "industry,New industrialisation,220000000,2.0,1,1,true\n",
        ),
        (
            "lead-body",
            "lead_body,name,amount_hkd,share,allocations,approximate_allocations,approximate\n"
            "itc,Innovation and Technology Commission (ITC),10220000000,91.1,2,1,true\n"
            "dpo,Digital Policy Office (DPO),1000000000,8.9,1,0,false\n",
        ),
        (
            "kind",
            "kind,amount_hkd,share,allocations,approximate_allocations,approximate\n"
            "earmark,10220000000,91.1,2,1,true\nallocation,1000000000,8.9,1,0,false\n",
        ),
    ],
)
def test_totals_by_other_groups(hkit: Invoke, mini: Path, by: str, expected: str) -> None:
    run = hkit("--data", str(mini), "totals", "--by", by, "--format", "csv")
    assert run.exit_code == 0
    assert run.stdout == expected


def test_a_grand_total_without_approximate_money_leaves_the_count_blank(
    hkit: Invoke, mini: Path
) -> None:
    """As in the grouped totals: people see a blank, machines a 0."""
    run = hkit("--data", str(mini), "totals", "--year", "2022-23")
    total = next(line for line in run.stdout.splitlines() if line.strip().startswith("Total"))
    assert total.split() == ["Total", "HK$10.0bn", "1"]
    csv_run = hkit("--data", str(mini), "totals", "--year", "2022-23", "-f", "csv")
    assert csv_run.stdout.splitlines()[-1] == "10000000000,1,0,false"


def test_totals_json_and_filters(hkit: Invoke, mini: Path) -> None:
    # lht has AI as a secondary sector: its money stays with life-health.
    run = hkit("--data", str(mini), "totals", "--by", "sector", "--sector", "ai", "-f", "json")
    assert json.loads(run.stdout) == [
        {
            "sector": "ai",
            "name": "Artificial intelligence",
            "amount_hkd": 1_000_000_000,
            "share": 100,
            "allocations": 1,
            "approximate_allocations": 0,
            "approximate": False,
        }
    ]


def test_totals_table_flags_approximate_and_uncounted(hkit: Invoke, mini: Path) -> None:
    run = hkit("--data", str(mini), "totals", "--by", "year")
    lines = run.stdout.splitlines()
    assert lines[0].split() == ["Fiscal", "year", "Counted", "Share", "Allocations", "Approximate"]
    assert lines[2].split() == ["2022-23", "HK$10.0bn", "89.1%", "1"]
    assert lines[3].split() == ["2025-26", "≈", "HK$1.22bn", "10.9%", "2", "1"]
    assert lines[5].split() == ["Total", "≈", "HK$11.22bn", "100.0%", "3", "1"]
    assert lines[6] == "≈ includes 1 approximate allocation"
    assert lines[7].startswith("Government money only: 2 other figures")


def test_show_prints_everything(hkit: Invoke, mini: Path) -> None:
    run = hkit("--data", str(mini), "show", "upgrade")
    assert run.exit_code == 0
    out = run.stdout
    assert out.startswith("[bold]Upgrade[/bold] scheme\n")
    for expected in [
        "status        proposed",
        "upgrade-total   HK$220,000,000   about       earmark",
        "2025-26 (two years)   yes",
        "upgrade-cap     HK$250,000       exact       per-recipient-cap of upgrade-total   —  ",
        "counted       ≈ HK$220m",
        "enterprises to benefit   about 400   enterprises",
        "budget-2025   official   2025-02-26   Financial Secretary   The 2025-26 Budget speech",
        "https://www.budget.gov.hk/2025/eng/budget06.html",
    ]:
        assert expected in out, expected
    run = hkit("--data", str(mini), "show", "lht")
    assert "no (part of lht-earmark)" in run.stdout
    run = hkit("--data", str(mini), "show", "ai-institute")
    assert "budget-2025: para 39, paper" in run.stdout
    assert "2026 H2   Starts operating" in run.stdout


def test_show_json(hkit: Invoke, mini: Path) -> None:
    data = json.loads(hkit("--data", str(mini), "show", "lht", "-f", "json").stdout)
    assert list(data) == [
        "initiative",
        "allocations",
        "stages",
        "milestones",
        "figures",
        "sources",
    ]
    assert data["initiative"]["id"] == "lht"
    assert [(a["allocation_id"], a["amount_hkd"], a["counted"]) for a in data["allocations"]] == [
        ("lht-earmark", 10_000_000_000, True),
        ("lht-institutes", 6_000_000_000, False),
    ]


def test_show_unknown_id_suggests_close_matches(hkit: Invoke, mini: Path) -> None:
    run = hkit("--data", str(mini), "show", "ai-institut")
    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr == (
        "hkit: error: no initiative with id or alias `ai-institut`\n"
        "hint: did you mean `ai-institute`?\n"
    )


def test_export_csv_columns_and_rows(hkit: Invoke, mini: Path) -> None:
    run = hkit("--data", str(mini), "export", "--all-figures", "--format", "csv")
    assert run.exit_code == 0
    rows = list(csv.reader(io.StringIO(run.stdout)))
    assert rows[0][:13] == [
        "id",
        "name",
        "name_zh",
        "sector",
        "lead_body",
        "status",
        "fiscal_year",
        "amount_hkd",
        "qualifier",
        "kind",
        "counted",
        "announced_in",
        "sources",
    ]
    assert [r[:13] for r in rows[1:]] == [
        [
            "ai-institute",
            "AI Institute",
            "人工智能研發院",
            "ai",
            "dpo",
            "approved",
            "2025-26",
            "1000000000",
            "exact",
            "allocation",
            "true",
            "2025-26 Budget",
            "budget-2025;paper",
        ],
        [
            "lht",
            "Life and health earmark",
            "",
            "life-health",
            "itc",
            "approved",
            "2022-23",
            "10000000000",
            "exact",
            "earmark",
            "true",
            "2022-23 Budget",
            "budget-2022",
        ],
        [
            "lht",
            "Life and health earmark",
            "",
            "life-health",
            "itc",
            "approved",
            "2023-24",
            "6000000000",
            "exact",
            "allocation",
            "false",
            "2022-23 Budget",
            "paper",
        ],
        [
            "upgrade",
            "[bold]Upgrade[/bold] scheme",
            "",
            "industry",
            "itc",
            "proposed",
            "2025-26",
            "220000000",
            "about",
            "earmark",
            "true",
            "2025-26 Budget",
            "budget-2025",
        ],
        [
            "upgrade",
            "[bold]Upgrade[/bold] scheme",
            "",
            "industry",
            "itc",
            "proposed",
            "",
            "250000",
            "exact",
            "per-recipient-cap",
            "false",
            "2025-26 Budget",
            "budget-2025",
        ],
    ]


def test_export_json_matches_csv(hkit: Invoke, mini: Path) -> None:
    records = json.loads(
        hkit("--data", str(mini), "export", "--all-figures", "--format", "json").stdout
    )
    rows = list(
        csv.DictReader(io.StringIO(hkit("--data", str(mini), "export", "--all-figures").stdout))
    )
    assert len(records) == len(rows) == 5
    for record, row in zip(records, rows, strict=True):
        assert str(record["amount_hkd"]) == row["amount_hkd"]
        assert ("true" if record["counted"] else "false") == row["counted"]
        assert ";".join(record["sources"]) == row["sources"]


def test_export_to_file_refuses_to_overwrite(hkit: Invoke, mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.csv"
    run = hkit("--data", str(mini), "export", "--all-figures", "--output", str(out))
    assert run.exit_code == 0
    assert run.stderr == f"wrote 5 allocations to {out}\n"
    first = out.read_text(encoding="utf-8")
    assert first.startswith("id,name,name_zh,")
    out.write_text("keep me", encoding="utf-8")
    run = hkit("--data", str(mini), "export", "--all-figures", "--output", str(out))
    assert run.exit_code == 1
    assert run.stderr == (f"hkit: error: {out} already exists\nhint: use --force to overwrite it\n")
    assert out.read_text(encoding="utf-8") == "keep me"
    run = hkit("--data", str(mini), "export", "--all-figures", "--output", str(out), "--force")
    assert run.exit_code == 0
    assert out.read_text(encoding="utf-8") == first
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_export_excel_bom_and_formula_guard(
    hkit: Invoke, write: Callable[..., Path], tmp_path: Path
) -> None:
    data = write(MINI.replace("name: AI Institute", "name: =HYPERLINK(1)"))
    out = tmp_path / "x.csv"
    assert hkit("--data", str(data), "export", "-o", str(out), "--excel").exit_code == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfid,name")
    assert "'=HYPERLINK(1)" in raw.decode("utf-8-sig")
    plain = hkit("--data", str(data), "export", "--keep-formulas").stdout
    assert ",=HYPERLINK(1)," in plain


def test_validate_ok(hkit: Invoke, mini: Path) -> None:
    run = hkit("--data", str(mini), "validate")
    assert run.exit_code == 0
    assert run.stdout == (
        f"{mini}: OK\n3 initiatives, 5 allocations (3 counted), 3 sources\n"
        "counted total HK$11,220,000,000\n"
    )


def test_validate_reports_every_problem(hkit: Invoke, write: Callable[..., Path]) -> None:
    bad = (
        MINI.replace("amount: HK$1 billion", "ammount: HK$1 billion")
        .replace("sector: industry", "sector: a.i.")
        .replace("amount: HK$10 billion", "amount: ten billion")
    )
    data = write(bad)
    run = hkit("--data", str(data), "validate")
    assert run.exit_code == 1
    assert run.stdout == ""
    assert run.stderr.splitlines() == [
        # The misspelt key is reported once, not also as a missing `amount`.
        f"{data}:44:9: initiatives[ai-institute].allocations[ai-institute-setup].ammount: unknown key `ammount` "
        "(hint: did you mean `amount`?)",
        f"{data}:62:17: initiatives[lht].allocations[lht-earmark].amount: `ten billion` is not an amount "
        "(hint: write it like HK$10 billion, HK$220 million, HK$250,000 or 1000000000)",
        f"{data}:74:13: initiatives[upgrade].sector: unknown sector `a.i.` (hint: did you mean `ai`?)",
        f"hkit: error: {data}: 3 problems found",
        "hint: fix the data file, then run `hkit validate` to check it",
    ]


def test_validate_json(hkit: Invoke, write: Callable[..., Path]) -> None:
    data = write(MINI.replace("kind: news", "kind: blog"))
    run = hkit("--data", str(data), "validate", "--format", "json")
    assert run.exit_code == 1
    assert json.loads(run.stdout) == [
        {
            "level": "error",
            "file": str(data),
            "line": 31,
            "column": 11,
            "path": "sources[paper].kind",
            "message": "`blog` is not one of: official, repost, news, opinion, feature",
            "hint": None,
        }
    ]


def test_bad_data_stops_every_command(hkit: Invoke, write: Callable[..., Path]) -> None:
    data = write(MINI.replace("fiscal_year: 2022-23", "fiscal_year: 2022-24"))
    for command in (["list"], ["totals"], ["export"], ["show", "lht"], ["sectors"]):
        run = hkit("--data", str(data), *command)
        assert run.exit_code == 1, command
        assert run.stdout == ""
        assert run.stderr.startswith(
            f"{data}:64:22: initiatives[lht].allocations[lht-earmark].fiscal_year: `2022-24` is not a "
            "fiscal year: the two years must be consecutive (did you mean 2022-23?)\n"
        )


def test_sectors_and_sources(hkit: Invoke, mini: Path) -> None:
    run = hkit("--data", str(mini), "sectors", "-f", "csv")
    assert run.stdout == (
        "slug,name,name_zh,initiatives,allocations\n"
        "ai,Artificial intelligence,人工智能,2,3\n"
        "life-health,Life and health technology,生命健康科技,1,2\n"
        "industry,New industrialisation,新型工業化,1,2\n"
    )
    run = hkit("--data", str(mini), "sources", "-f", "csv")
    assert run.stdout.splitlines()[0] == (
        "id,kind,date,publisher,title,url,locator,covers,initiatives,allocations"
    )
    assert run.stdout.splitlines()[3] == "paper,news,2025-02,A paper,A news story,,,,2,2"
    table = hkit("--data", str(mini), "sectors").stdout
    assert "life-health   Life and health technology   生命健康科技" in table


def test_usage_errors_exit_2(hkit: Invoke, mini: Path) -> None:
    run = hkit("--data", str(mini), "list", "--year", "2025-27")
    assert run.exit_code == 2
    assert "is not a fiscal year" in run.stderr
    run = hkit("--data", str(mini), "list", "--sector", "aii")
    assert run.exit_code == 2
    assert run.stderr == "hkit: error: --sector: unknown sector `aii`\nhint: did you mean `ai`?\n"
    run = hkit("--data", str(mini), "list", "--status", "done")
    assert run.exit_code == 2
    run = hkit("--data", str(mini), "nonsense")
    assert run.exit_code == 2
    assert "Traceback" not in run.stderr


def test_data_option_beats_environment_beats_bundle(
    hkit: Invoke, mini: Path, write: Callable[..., Path]
) -> None:
    other = write(MINI.replace("name: AI Institute", "name: Other Institute"))
    via_env = hkit("list", "-f", "csv", env={"HKIT_DATA": str(other)}).stdout
    assert "Other Institute" in via_env
    via_option = hkit("--data", str(mini), "list", "-f", "csv", env={"HKIT_DATA": str(other)})
    assert "Other Institute" not in via_option.stdout
    bundled = hkit("validate", env={"HKIT_DATA": ""})
    assert bundled.exit_code == 0
    assert "initiatives.yaml: OK" in bundled.stdout


def test_missing_file(hkit: Invoke, tmp_path: Path) -> None:
    run = hkit("--data", str(tmp_path / "nope.yaml"), "list")
    assert run.exit_code == 1
    assert run.stderr.splitlines()[0] == (
        f"{tmp_path / 'nope.yaml'}: file not found "
        "(hint: check the path given as FILE, with --data or in HKIT_DATA)"
    )


def test_version_and_help(hkit: Invoke) -> None:
    from hkit_cli import __version__

    assert hkit("--version").stdout == f"hkit {__version__}\n"
    run = hkit("--help")
    assert run.exit_code == 0
    for command in ("list", "show", "totals", "export", "validate", "sectors", "sources"):
        assert f"  {command} " in run.stdout


def test_colour_only_on_a_terminal_and_never_with_no_color(hkit: Invoke, mini: Path) -> None:
    plain = hkit("--data", str(mini), "chart")
    assert "\x1b[" not in plain.stdout
    coloured = hkit("--data", str(mini), "chart", env={"FORCE_COLOR": "1", "TTY_COMPATIBLE": "1"})
    assert "\x1b[36m" in coloured.stdout  # cyan bars
    assert "█" in coloured.stdout
    no_color = hkit("--data", str(mini), "chart", env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert "\x1b[36m" not in no_color.stdout


def test_python_dash_m_runs_the_cli(mini: Path) -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "hkit_cli", "--data", str(mini), "totals", "-f", "csv"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "11220000000,3,1,true"


@pytest.mark.slow
@pytest.mark.parametrize(
    "command", [["list"], ["timeline"], ["export"], ["list", "-f", "json"], ["sources"]]
)
def test_a_reader_that_stops_early_is_not_an_error(
    write: Callable[..., Path], command: list[str]
) -> None:
    import subprocess
    import sys

    data = write(synthetic(1500))  # more output than a pipe holds
    # `hkit list | head -1`: the pipe closes after the first line.
    process = subprocess.Popen(
        [sys.executable, "-m", "hkit_cli", "--data", str(data), *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={"COLUMNS": "80", "PATH": "", "HKIT_NO_CACHE": "1"},
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()
    process.stdout.close()
    stderr = process.stderr.read().decode()
    assert (process.wait(), stderr) == (0, "")


@pytest.mark.slow
def test_output_is_complete_and_a_full_disk_is_an_error(write: Callable[..., Path]) -> None:
    """The process ends without tearing Python down, so everything it wrote must be flushed
    first, and a failed flush must be reported."""
    import subprocess
    import sys

    data = write(synthetic(300))
    base = [sys.executable, "-m", "hkit_cli", "--data", str(data)]
    env = {"COLUMNS": "80", "PATH": "", "HKIT_NO_CACHE": "1"}
    piped = subprocess.run([*base, "export"], capture_output=True, env=env)
    assert (piped.returncode, piped.stderr) == (0, b"")
    assert piped.stdout.endswith(b"\n") and piped.stdout.count(b"\n") > 300
    assert subprocess.run([*base, "export"], capture_output=True, env=env).stdout == piped.stdout
    if Path("/dev/full").exists():
        with open("/dev/full", "wb") as full:
            run = subprocess.run([*base, "export"], stdout=full, stderr=subprocess.PIPE, env=env)
        assert (run.returncode, run.stderr.decode()) == (
            1,
            "hkit: error: cannot write the output: No space left on device\n",
        )
        small = [*base, "totals", "--by", "year"]  # all of it still in the buffer at the end
        with open("/dev/full", "wb") as full:
            run = subprocess.run(small, stdout=full, stderr=subprocess.PIPE, env=env)
        assert (run.returncode, run.stderr.decode()) == (
            1,
            "hkit: error: cannot write the output: No space left on device\n",
        )


# --- Paths that must never show a traceback --------------------------------------------------


def test_an_internal_error_is_one_line_unless_debugging(
    hkit: Invoke, mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hkit_cli.reports import report

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(report, "totals", broken)
    run = hkit("--data", str(mini), "totals")
    assert (run.exit_code, run.stdout) == (1, "")
    assert run.stderr == (
        "hkit: internal error: RuntimeError: boom (set HKIT_DEBUG=1 to see the traceback)\n"
    )
    with pytest.raises(RuntimeError, match="boom"):
        hkit("--data", str(mini), "totals", env={"HKIT_DEBUG": "1"})


def test_an_interrupt_exits_130_quietly(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from hkit_cli.cli import base

    def interrupted() -> None:
        raise KeyboardInterrupt

    def end(status: int) -> None:
        raise SystemExit(status)

    monkeypatch.setattr(base, "app", interrupted)
    monkeypatch.setattr(base, "_end", end)
    with pytest.raises(SystemExit) as raised:
        base.main()
    assert raised.value.code == 130
    assert capsys.readouterr().err == ""


def test_a_failed_write_is_an_error_not_a_traceback(
    hkit: Invoke, mini: Path, tmp_path: Path
) -> None:
    missing = tmp_path / "no-such-folder" / "out.csv"
    run = hkit("--data", str(mini), "export", "-o", str(missing))
    assert (run.exit_code, run.stdout) == (1, "")
    assert run.stderr == (
        f"hkit: error: cannot write {missing}: the folder {missing.parent} does not exist\n"
    )
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    try:
        # As root, permissions are not enforced and the write succeeds.
        if not os.access(locked, os.W_OK):
            run = hkit("--data", str(mini), "export", "-o", str(locked / "out.csv"))
            assert run.exit_code == 1
            assert run.stderr.startswith(f"hkit: error: cannot write {locked / 'out.csv'}")
    finally:
        locked.chmod(0o700)


# --- Exports and errors like a Unix tool -----------------------------------------------------


def test_files_honour_the_umask_and_keep_their_mode(
    hkit: Invoke, mini: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.csv"
    old = os.umask(0o022)
    try:
        assert hkit("--data", str(mini), "export", "-o", str(out)).exit_code == 0
        assert out.stat().st_mode & 0o777 == 0o644
        out.chmod(0o640)
        assert hkit("--data", str(mini), "export", "-o", str(out), "--force").exit_code == 0
        assert out.stat().st_mode & 0o777 == 0o640
    finally:
        os.umask(old)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data0.yaml", "out.csv"]  # no temp file


def test_the_format_follows_the_extension_and_dash_is_stdout(
    hkit: Invoke, mini: Path, tmp_path: Path
) -> None:
    out = tmp_path / "rows.json"
    assert hkit("--data", str(mini), "export", "-o", str(out)).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))[0]["allocation_id"] == "ai-institute-setup"
    db = tmp_path / "all.db"
    assert hkit("--data", str(mini), "export", "-o", str(db)).exit_code == 0
    assert db.read_bytes().startswith(b"SQLite format 3")
    run = hkit("--data", str(mini), "export", "-o", "-")
    assert run.stdout.startswith("id,name,") and not (Path.cwd() / "-").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-f", "json", "--excel"], "--excel is for CSV only"),
        (["-f", "sqlite", "-o", "x.db", "--excel"], "--excel is for CSV only"),
        (["--currency", "usd", "--rate", "78"], "`78` is far from the linked rate"),
    ],
)
def test_risky_export_options_are_refused(
    hkit: Invoke, mini: Path, args: list[str], message: str
) -> None:
    run = hkit("--data", str(mini), "export", *args)
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr.startswith(f"hkit: error: {message}")


def test_a_rate_far_from_the_peg_needs_any_rate(hkit: Invoke, mini: Path) -> None:
    args = ["--data", str(mini), "totals", "-f", "csv", "--currency", "usd", "--rate"]
    assert hkit(*args, "8.2").exit_code == 0
    assert hkit(*args, "78").exit_code == 2
    run = hkit(*args, "78", "--any-rate")
    assert run.exit_code == 0 and run.stdout.splitlines()[1].startswith("11220000000,143846154,")


def test_a_file_where_a_folder_should_be_is_one_clean_line(
    hkit: Invoke, mini: Path, tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    run = hkit("--data", str(mini), "export", "-o", str(blocker / "out.csv"))
    assert (run.exit_code, run.stderr) == (
        1,
        f"hkit: error: cannot write {blocker / 'out.csv'}: {blocker} is a file, not a folder\n",
    )


@pytest.mark.parametrize(
    ("args", "message", "hint"),
    [
        (
            ["list", "--limit", "0"],
            "invalid value for '--limit': 0 is not in the range x>=1.",
            "`hkit list --help` lists the options",
        ),
        (
            ["list", "--formt", "csv"],
            "no such option: --formt (Possible options: --form, --format, --sort)",
            "`hkit list --help` lists the options",
        ),
        (["show"], "missing argument 'ID'.", "`hkit show --help` lists the options"),
        (["nonsense"], "no such command 'nonsense'.", "`hkit --help` lists the options"),
        (
            ["lst"],
            "no such command 'lst'. Did you mean 'list'?",
            "`hkit --help` lists the options",
        ),
    ],
)
def test_every_usage_error_has_one_style(
    hkit: Invoke, mini: Path, args: list[str], message: str, hint: str
) -> None:
    run = hkit("--data", str(mini), *args)
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr == f"hkit: error: {message}\nhint: {hint}\n"


def test_bare_hkit_prints_help_and_succeeds(hkit: Invoke) -> None:
    run = hkit()
    assert run.exit_code == 0
    assert run.stdout.startswith("Usage: hkit [OPTIONS] COMMAND [ARGS]...")


def _options(command: str) -> set[str]:
    import typer.main

    from hkit_cli.cli import app

    group = typer.main.get_command(app)
    found = group.commands[command]  # type: ignore[attr-defined]
    return {opt for param in found.params for opt in param.opts if opt.startswith("-")}


FILTERS = {"--sector", "--year", "--status", "--lead-body", "--search", "--source-kind"}
FILTERS |= {"--min", "--max", "--form", "--scope"}


@pytest.mark.parametrize(
    "command", ["list", "totals", "chart", "compare", "export", "progress", "report"]
)
def test_every_command_that_selects_money_takes_the_same_filters(command: str) -> None:
    assert FILTERS <= _options(command)


@pytest.mark.parametrize("command", ["timeline", "figures"])
def test_milestones_and_figures_take_the_filters_that_choose_initiatives(command: str) -> None:
    assert {"--sector", "--status", "--lead-body", "--search", "--year"} <= _options(command)


def test_one_format_vocabulary_and_an_output_wherever_there_is_a_format() -> None:
    import typer.main

    from hkit_cli.cli import app

    group = typer.main.get_command(app)
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        formats = [p for p in command.params if "--format" in p.opts]
        if not formats:
            continue
        assert "--output" in _options(name) and "-o" in _options(name), name
        choices = set(formats[0].type.choices)
        assert choices in (
            {"table", "csv", "json", "markdown"},
            {"csv", "json", "sqlite"},
        ), (name, choices)
    assert "--lang" not in _options("report")


def test_a_report_for_people_can_be_written_to_a_file(
    hkit: Invoke, mini: Path, tmp_path: Path
) -> None:
    out = tmp_path / "totals.txt"
    run = hkit("--data", str(mini), "totals", "--by", "sector", "-o", str(out))
    assert (run.exit_code, run.stdout, run.stderr) == (0, "", f"wrote {out}\n")
    text = out.read_text(encoding="utf-8")
    assert "Life and health technology" in text and "\x1b[" not in text
    again = hkit("--data", str(mini), "totals", "-o", str(out))
    assert again.exit_code == 1 and "already exists" in again.stderr
    json_out = tmp_path / "problems.json"
    ok = hkit("--data", str(mini), "validate", "-f", "json", "-o", str(json_out))
    assert ok.exit_code == 0 and json.loads(json_out.read_text(encoding="utf-8")) == []


def test_help_names_each_environment_variable_once(hkit: Invoke) -> None:
    text = hkit("--help").stdout
    for variable in ("HKIT_DATA", "HKIT_LANG", "HKIT_NO_CACHE"):
        assert text.count(variable) == 1, (variable, text)


@pytest.mark.parametrize(
    "command",
    [
        ["list"],
        ["show", "lht"],
        ["totals", "--by", "sector"],
        ["chart"],
        ["progress"],
        ["compare", "2022-23", "2025-26"],
        ["sources"],
        ["coverage"],
    ],
)
def test_piped_output_has_no_trailing_spaces(hkit: Invoke, mini: Path, command: list[str]) -> None:
    run = hkit("--data", str(mini), *command)
    assert run.exit_code == 0, run.stderr
    assert [line for line in run.stdout.splitlines() if line != line.rstrip()] == []


@pytest.mark.parametrize(
    ("env", "args", "chinese"),
    [
        ({"LANG": "zh_HK.UTF-8"}, [], True),
        ({"LANG": "zh_TW.UTF-8"}, [], True),
        ({"LC_ALL": "zh_MO.UTF-8", "LANG": "en_GB.UTF-8"}, [], True),
        ({"LANG": "zh_CN.UTF-8"}, [], False),
        ({"LC_ALL": "C.UTF-8", "LANG": "zh_HK.UTF-8"}, [], False),
        ({"LANG": "zh_HK.UTF-8", "HKIT_LANG": "en"}, [], False),
        ({"LANG": "zh_HK.UTF-8"}, ["--lang", "en"], False),
        ({"LANG": "en_US.UTF-8"}, ["--lang", "zh"], True),
    ],
)
def test_the_language_follows_the_option_then_hkit_lang_then_the_locale(
    hkit: Invoke, mini: Path, env: dict[str, str], args: list[str], chinese: bool
) -> None:
    base = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": "", "HKIT_LANG": ""}
    run = hkit("--data", str(mini), *args, "totals", env={**base, **env})
    assert run.exit_code == 0, run.stderr
    assert ("總計" in run.stdout) is chinese
