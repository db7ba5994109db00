"""The hand-written training pages: enough of them, well-formed, in enough styles."""

from __future__ import annotations

from collections import Counter

from cleaner.corpus import training_pages
from cleaner.synth import synthesize


def test_corpus_size_and_styles() -> None:
    pages = training_pages()
    lines = sum(k is not None for p in pages for k in p.kinds)
    styles = Counter(p.style for p in pages)
    assert len(pages) >= 30
    assert len(styles) >= 8
    assert lines >= 2000
    kinds = Counter(k for p in pages for k in p.kinds if k)
    assert all(kinds[k] > 0 for k in ("body", "heading", "title", "byline", "date", "caption", "boilerplate"))


def test_synthetic_pages_are_deterministic_and_keep_kinds_aligned() -> None:
    pages = training_pages()[:12]
    first, second = synthesize(pages), synthesize(pages)
    assert [p.lines for p in first] == [p.lines for p in second]
    for page in first:
        assert len(page.lines) == len(page.kinds)
        assert all((k is None) == (not line.strip()) for line, k in zip(page.lines, page.kinds))
