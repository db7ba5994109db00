"""The HTML reports in a real browser (Debian's headless Chromium): they render, show every label,
raise no script errors, and never run markup from the page they report on."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from cleaner.run import run

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium not installed (Debian package chromium)")
PWNED = "document.body.setAttribute('data-pwned','1')"
HOSTILE_PAGE = "\n\n".join(
    [
        "Council votes to close the Elm Street pool",
        "By Ana Ruiz",
        "The city council voted 7-2 on Tuesday to close the Elm Street pool at the end of August, "
        "citing repair costs of $2.4 million, the city clerk said in a statement after the meeting.",
        "Closing the pool is a mistake. The council should have found the money, and residents deserve "
        "better than a shrug from the people they elected; this decision will be regretted.",
        f"Don't forget to like, share and subscribe for more updates! <script>{PWNED}</script>",
        f'Follow us on every platform <img src="x" onerror="{PWNED}"> and stay tuned </textarea> for more.',
        "Officials said a study of two other sites would be presented to the council in September.",
    ]
)


def _dump_dom(path: Path) -> tuple[str, str]:
    result = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0",
         "--virtual-time-budget=2000", "--dump-dom", path.as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout, result.stderr


@pytest.fixture(scope="module")
def report_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("browser")
    page = folder / "in" / "hostile.txt"
    page.parent.mkdir()
    page.write_text(HOSTILE_PAGE)
    run([str(page)], folder / "out")
    return folder / "out"


def test_document_report_shows_each_label_and_runs_no_page_markup(report_folder: Path) -> None:
    dom, log = _dump_dom(report_folder / "hostile.html")
    body_tag = re.search(r"<body[^>]*>", dom).group(0)
    assert "data-pwned" not in body_tag
    assert "&lt;script&gt;" in dom  # shown as text
    for label in ("reporting", "opinion", "filler"):
        assert f'data-label="{label}"' in dom, label
    assert "Uncaught" not in log


def test_index_renders_and_its_script_runs_cleanly(report_folder: Path) -> None:
    dom, log = _dump_dom(report_folder / "index.html")
    assert "hostile.html" in dom and "<svg" in dom
    assert "Uncaught" not in log
