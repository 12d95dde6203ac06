"""Regenerate docs/report.png, the README's picture of `hkit report`, from the shipped data.

python scripts/screenshot.py    # needs hkit[report], playwright and Debian's chromium
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from typer.testing import CliRunner

from hkit_cli.cli import app

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "docs" / "report.png"


def main() -> int:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("install a browser first: apt-get install chromium", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        page_file = Path(tmp) / "report.html"
        result = CliRunner().invoke(app, ["report", "-o", str(page_file)], env={"HKIT_DATA": None})
        if result.exit_code != 0:
            print(result.stderr, file=sys.stderr)
            return 1
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1100, "height": 1300})
            page.goto(page_file.as_uri())
            page.screenshot(path=str(TARGET))
            browser.close()
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
