"""The HTML report and chart files: self-contained, escaped, in English or Chinese, and
checked in a real browser (Chromium) at desktop and phone widths."""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import MINI, Invoke, require_optional

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

# Text that must stay text: markup, a script, a right-to-left override, a very long name.
HOSTILE = MINI.replace(
    "name: AI Institute\n",
    'name: "<script>alert(1)</script> <b>AI</b> Institute \\u05d0 evil"\n',
).replace(
    "name: Life and health earmark\n",
    "name: " + "Averyveryverylongwordwithoutanyspaces" * 4 + "\n",
)


def report(hkit: Invoke, data: Path, out: Path, *args: str) -> str:
    run = hkit("--data", str(data), *args, "report", "-o", str(out))
    assert run.exit_code == 0, run.stderr
    return out.read_text(encoding="utf-8")


@pytest.mark.usefixtures("report_extra")
def test_the_report_is_one_self_contained_page(hkit: Invoke, mini: Path, tmp_path: Path) -> None:
    html = report(hkit, mini, tmp_path / "r.html")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en">' in html
    assert "<script" not in html and "<link" not in html
    assert "src=" not in html.replace("img-src data:", "")  # nothing to fetch
    assert html.count("<svg") == 2  # the charts by year and by sector, inline
    for text in ("HK$11.22bn", "Life and health earmark", "budget-2025", "para 39", "para 1"):
        assert text in html, text
    assert "https://www.budget.gov.hk/2025/eng/budget06.html" in html


@pytest.mark.usefixtures("report_extra")
def test_data_text_is_never_markup(
    hkit: Invoke, write: Callable[..., Path], tmp_path: Path
) -> None:
    html = report(hkit, write(HOSTILE), tmp_path / "r.html")
    assert "<script>alert(1)</script>" not in html and "<b>AI</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;AI&lt;/b&gt; Institute" in html
    assert "<bdi>" in html  # right-to-left marks cannot reorder the text around them


@pytest.mark.usefixtures("report_extra")
def test_commands_in_notes_are_code_on_one_line(hkit: Invoke, mini: Path, tmp_path: Path) -> None:
    """`--scope all` in a note must not break after its dashes; the note stays escaped text."""
    from hkit_cli.rendering.htmlreport import _inline_code

    html = report(hkit, mini, tmp_path / "r.html")
    assert "<code>hkit show</code> and <code>hkit export</code>, never summed" in html
    assert ".note code { white-space: nowrap; }" in html
    assert "`" not in "".join(line for line in html.splitlines() if 'class="note"' in line)
    assert str(_inline_code("a `<b>` & `c`")) == "a <code>&lt;b&gt;</code> &amp; <code>c</code>"


@pytest.mark.usefixtures("report_extra")
def test_chinese_report(hkit: Invoke, mini: Path, tmp_path: Path) -> None:
    html = report(hkit, mini, tmp_path / "r.html", "--lang", "zh")
    assert '<html lang="zh-Hant">' in html
    assert "約112.2億元" in html  # HK$11.22bn, approximate
    assert "2022-23年度" in html and "人工智能研發院" in html
    assert "Life and health earmark †" in html  # no Chinese name: English, marked


@pytest.mark.usefixtures("report_extra")
def test_an_empty_selection_says_so(hkit: Invoke, mini: Path, tmp_path: Path) -> None:
    run = hkit(
        "--data", str(mini), "report", "-o", str(tmp_path / "r.html"), "--status", "completed"
    )
    assert run.exit_code == 0
    assert "No initiative matches this selection." in (tmp_path / "r.html").read_text("utf-8")
    assert run.stderr.startswith("hkit: no initiative matches --status completed")


@pytest.mark.usefixtures("report_extra")
def test_the_report_is_written_like_an_export(hkit: Invoke, mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    report(hkit, mini, out)
    again = hkit("--data", str(mini), "report", "-o", str(out))
    assert (again.exit_code, again.stderr) == (
        1,
        f"hkit: error: {out} already exists\nhint: use --force to overwrite it\n",
    )
    old = os.umask(0o022)
    try:
        assert hkit("--data", str(mini), "report", "-o", str(out), "--force").exit_code == 0
    finally:
        os.umask(old)
    assert out.stat().st_mode & 0o777 == 0o644


def test_a_missing_extra_says_how_to_install_it(
    hkit: Invoke, mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as if it were not installed
    run = hkit("--data", str(mini), "report", "-o", str(tmp_path / "r.html"))
    assert (run.exit_code, run.stderr) == (
        1,
        "hkit: error: The HTML report needs the optional libraries matplotlib and jinja2\n"
        "hint: pip install 'hkit[report]'\n",
    )
    assert not (tmp_path / "r.html").exists()


@pytest.mark.usefixtures("report_extra")
def test_chart_files_for_slides(hkit: Invoke, mini: Path, tmp_path: Path) -> None:
    svg = tmp_path / "chart.svg"
    run = hkit("--data", str(mini), "chart", "--by", "sector", "-o", str(svg))
    assert run.exit_code == 0, run.stderr
    text = svg.read_text(encoding="utf-8")
    assert "<text" in text and "Life and health technology" in text  # text stays text
    assert "HK$10.0bn" in text
    png = tmp_path / "chart.png"
    assert hkit("--data", str(mini), "chart", "-o", str(png)).exit_code == 0
    assert png.read_bytes().startswith(b"\x89PNG")
    bad = hkit("--data", str(mini), "chart", "-o", str(tmp_path / "chart.gif"))
    assert bad.exit_code == 2 and "name the file .svg" in bad.stderr


# --- In a real browser -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    require_optional(
        "the browser tests",
        ("jinja2", "matplotlib"),
        "HKIT_REQUIRE_REPORT",
        "pip install 'hkit[report]'",
    )
    require_optional(
        "the browser tests", ("playwright",), "HKIT_REQUIRE_BROWSER", "pip install playwright"
    )
    if CHROMIUM is None:
        if os.environ.get("HKIT_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is needed for the browser tests (apt-get install chromium)")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


def _open(browser, path: Path, width: int):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": width, "height": 900})
    problems: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, problems, requests


@pytest.mark.slow
@pytest.mark.parametrize("width", [1280, 390])
def test_the_shipped_report_in_a_browser(
    browser,
    hkit: Invoke,
    tmp_path: Path,
    width: int,  # type: ignore[no-untyped-def]
) -> None:
    out = tmp_path / "report.html"
    run = hkit("report", "-o", str(out), env={"HKIT_DATA": ""})
    assert run.exit_code == 0, run.stderr
    page, problems, requests = _open(browser, out, width)
    try:
        # The years and total on the page are those of `hkit totals`.
        by_year = json.loads(
            hkit("totals", "--by", "year", "-f", "json", env={"HKIT_DATA": ""}).stdout
        )
        rows = page.locator("#by-year tbody tr").all_inner_texts()
        assert [r.split("\t")[0] for r in rows] == [y["fiscal_year"] for y in by_year]
        total = hkit("totals", env={"HKIT_DATA": ""}).stdout.split()
        assert page.locator(".headline").inner_text() == " ".join(
            total[total.index("Total") + 1 :][:2]
        )
        listed = json.loads(hkit("list", "-f", "json", env={"HKIT_DATA": ""}).stdout)
        assert page.locator("#initiatives article").count() == len(listed) > 80
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.locator("script").count() == 0
        assert problems == []
        assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
        page.screenshot(path=str(tmp_path / f"report-{width}.png"))
    finally:
        page.close()


@pytest.mark.slow
def test_hostile_text_stays_text_in_a_browser(
    browser,
    hkit: Invoke,
    write: Callable[..., Path],
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    out = tmp_path / "hostile.html"
    report(hkit, write(HOSTILE), out)
    page, problems, requests = _open(browser, out, 390)
    try:
        assert page.locator("script").count() == 0
        assert page.evaluate("typeof window.alertCalled") == "undefined"
        assert "<script>alert(1)</script> <b>AI</b> Institute" in page.inner_text("body")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert problems == [] and all(u.startswith("file:") for u in requests)
    finally:
        page.close()


@pytest.mark.usefixtures("report_extra")
def test_a_chart_file_needs_only_matplotlib(
    hkit: Invoke, mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import matplotlib

    monkeypatch.setitem(sys.modules, "matplotlib", None)
    run = hkit("--data", str(mini), "chart", "-o", str(tmp_path / "c.svg"))
    assert (run.exit_code, run.stderr) == (
        1,
        "hkit: error: a chart file needs matplotlib\nhint: pip install 'hkit[report]'\n",
    )
    monkeypatch.setitem(sys.modules, "matplotlib", matplotlib)
    monkeypatch.setitem(sys.modules, "jinja2", None)
    assert hkit("--data", str(mini), "chart", "-o", str(tmp_path / "c.svg")).exit_code == 0


@pytest.mark.usefixtures("report_extra")
def test_the_report_shows_forms_and_progress(hkit: Invoke, mini: Path, tmp_path: Path) -> None:
    html = report(hkit, mini, tmp_path / "r.html")
    assert '<section id="by-form">' in html and '<section id="progress">' in html
    assert "What kind of money" in html and "Approval not known" in html
    zh = report(hkit, mini, tmp_path / "zh.html", "--lang", "zh")
    assert "撥款形式" in zh and "撥款進度" in zh and "開支" in zh and "批准情況不明" in zh
    assert "What kind of money" not in zh and "Approval not known" not in zh


def _cjk_font() -> bool:
    """Whether the system has a font for Traditional Chinese (fontconfig's view)."""
    import subprocess

    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    found = subprocess.run([fc_list, ":lang=zh-tw"], capture_output=True, text=True, check=False)
    return bool(found.stdout.strip())


@pytest.mark.slow
@pytest.mark.parametrize("width", [1280, 390])
def test_the_chinese_report_in_a_browser(
    browser,
    hkit: Invoke,
    tmp_path: Path,
    width: int,  # type: ignore[no-untyped-def]
) -> None:
    """The shipped report in Chinese: charts as SVG text the browser draws in a CJK font, the
    interface in Chinese, nothing wider than the page; a screenshot is kept for a person."""
    if not _cjk_font():
        if os.environ.get("HKIT_REQUIRE_BROWSER") == "1":
            pytest.fail("a Chinese font is needed (apt-get install fonts-noto-cjk)")
        pytest.skip("no Chinese font installed (apt-get install fonts-noto-cjk)")
    out = tmp_path / "report.html"
    run = hkit("--lang", "zh", "report", "-o", str(out), env={"HKIT_DATA": ""})
    assert run.exit_code == 0, run.stderr
    page, problems, requests = _open(browser, out, width)
    try:
        assert page.evaluate("document.documentElement.lang") == "zh-Hant"
        chart_text = page.evaluate(
            "Array.from(document.querySelectorAll('figure.chart svg text'))"
            ".map(t => t.textContent.trim())"
        )
        assert "2025-26年度" in chart_text and "人工智能" in chart_text
        headings = page.locator("h1, h2, h3").all_inner_texts()
        assert headings and all(not h.isascii() for h in headings[:8]), headings[:8]
        body = page.locator("body").inner_text()
        for english in ("Allocations\n", "Milestones\n", "Approval of ", "Key figures"):
            assert english not in body, english
        for chinese in (
            "人工智能資助計劃為期三年",
            "已推出",
            "《2024-25年度財政預算案》",
            "第109段",
        ):
            assert chinese in body, chinese
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert problems == []
        assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
        page.screenshot(path=str(tmp_path / f"report-zh-{width}.png"), full_page=False)
    finally:
        page.close()
