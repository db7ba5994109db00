"""Golden files: the documents the bundled model makes of the demo pages, byte for byte.

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
    golden = GOLDEN / f"{page.stem}.json"
    actual = render(page)
    if os.environ.get("CLEANER_UPDATE_GOLDEN"):
        golden.write_text(actual, encoding="utf-8")
    assert golden.exists(), f"no golden file for {page.name}; run with CLEANER_UPDATE_GOLDEN=1"
    assert actual == golden.read_text(encoding="utf-8")


def test_demo_pages_keep_their_articles() -> None:
    for page in sorted(DEMO.glob("*.txt")):
        doc = cleaner.clean(page.read_bytes(), source=page.name)
        kinds = {b.kind for b in doc.blocks}
        assert {"body", "boilerplate"} <= kinds, page.name
        assert doc.metadata.title, page.name
        body_chars = sum(len(b.text) for b in doc.blocks if b.kind == "body")
        assert body_chars > 1000, page.name
