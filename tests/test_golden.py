"""Golden files: the documents the bundled model makes of the demo pages, and the reports a run
over them writes, byte for byte.

After an intended change (a retrained model), refresh them with
    CLEANER_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
and review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import cleaner

GOLDEN = Path(__file__).parent / "golden"
DEMO = Path(__file__).resolve().parent.parent / "seeds" / "demo"


def render(path: Path) -> str:
    doc = cleaner.clean(path.read_bytes(), source=path.name)
    return json.dumps(doc.to_dict(detailed=True), ensure_ascii=False, indent=2) + "\n"


@pytest.mark.parametrize("page", sorted(DEMO.glob("*.txt")), ids=lambda p: p.stem)
def test_demo_page_document_matches_golden(page: Path) -> None:
    _check_golden(GOLDEN / f"{page.stem}.json", render(page))


def test_demo_pages_keep_their_articles() -> None:
    for page in sorted(DEMO.glob("*.txt")):
        doc = cleaner.clean(page.read_bytes(), source=page.name)
        kinds = {b.kind for b in doc.blocks}
        assert {"body", "boilerplate"} <= kinds, page.name
        assert doc.metadata.title, page.name
        body_chars = sum(len(b.text) for b in doc.blocks if b.kind == "body")
        assert body_chars > 1000, page.name


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory) -> Path:
    from cleaner.run import run

    out = tmp_path_factory.mktemp("demo-run")
    run([DEMO], out)
    return out


def _check_golden(golden: Path, actual: str) -> None:
    if os.environ.get("CLEANER_UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden.name}; run with CLEANER_UPDATE_GOLDEN=1"
    assert actual == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("page", sorted(DEMO.glob("*.txt")), ids=lambda p: p.stem)
def test_demo_report_assessment_matches_golden(page: Path, demo_run: Path) -> None:
    """The report's assessment and signals with their evidence (its document is pinned above)."""
    report = json.loads((demo_run / f"{page.stem}.json").read_text(encoding="utf-8"))
    pinned = {key: report[key] for key in ("id", "report_schema_version", "assessment", "signals")}
    _check_golden(GOLDEN / "reports" / f"{page.stem}.json", json.dumps(pinned, ensure_ascii=False, indent=2) + "\n")


def test_demo_run_summary_matches_golden(demo_run: Path) -> None:
    for name in ("summary.csv", "sources.csv", "failures.csv"):
        text = (demo_run / name).read_text(encoding="utf-8").replace(str(DEMO), "seeds/demo")  # any checkout
        _check_golden(GOLDEN / "reports" / name, text)
