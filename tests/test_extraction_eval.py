"""The scrapinghub benchmark's metric, and our HTML path on the benchmark."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner.extraction_eval import PageScore, Summary, evaluate_extraction, score_page, shingles


def test_shingles_of_short_and_long_texts() -> None:
    assert shingles("") == {}
    assert list(shingles("two words")) == [("two", "words")]
    assert len(shingles("one two three four five")) == 2


def test_page_scores() -> None:
    assert score_page("p", "a b c d e", "a b c d e") == PageScore("p", 1.0, 1.0)
    assert score_page("p", "", "a b c d e") == PageScore("p", None, 0.0)
    assert score_page("p", "", "") == PageScore("p", 1.0, 1.0)
    half = score_page("p", "a b c d e f", "a b c d x y")
    assert half.precision == pytest.approx(1 / 3) and half.recall == pytest.approx(1 / 3)


def test_summary_averages_over_non_empty_sides() -> None:
    scores = [PageScore("a", 1.0, 0.5), PageScore("b", None, 0.0), PageScore("c", 0.5, None)]
    summary = Summary.of(scores)
    assert summary.precision == pytest.approx(0.75) and summary.recall == pytest.approx(0.25)
    assert summary.f1 == pytest.approx(2 * 0.75 * 0.25 / 1.0)


def test_trafilatura_reference_figures_are_reproduced_and_we_pass_the_bars(scrapinghub: Path) -> None:
    ours, reference = evaluate_extraction(scrapinghub, ["cleaner", "trafilatura"])
    # The benchmark's published trafilatura figures, measured with the same metric.
    assert reference.summary.f1 == pytest.approx(0.960, abs=0.001)
    assert reference.summary.precision == pytest.approx(0.942, abs=0.001)
    # The bars for our HTML path (measured 0.969 / 0.967 when written).
    assert ours.summary.f1 >= 0.965
    assert ours.summary.precision >= 0.955
    assert ours.low.f1 <= ours.summary.f1 <= ours.high.f1


def test_our_parse_gives_trafilatura_the_same_tree(scrapinghub: Path) -> None:
    """load_page only swaps lxml.html's Python element lookup for one in C: trafilatura must
    extract exactly what it extracts from its own parse (text and metadata), in both the modes we
    run it in, on every third benchmark page."""
    import trafilatura

    from cleaner.extraction_eval import load_dataset
    from cleaner.htmlinput import decode_html
    from cleaner.htmlpage import DATE_SEARCH, load_page

    def extraction(tree, fast: bool) -> tuple | None:
        result = trafilatura.bare_extraction(
            tree,
            fast=fast,
            favor_precision=True,
            include_comments=False,
            with_metadata=True,
            date_extraction_params=DATE_SEARCH,
        )
        if result is None:
            return None
        return (result.text, result.title, result.author, result.date, result.sitename, result.categories, result.tags)

    for k, page in enumerate(load_dataset(scrapinghub)[::3]):
        text = decode_html(page.html, page.id).text
        fast = k % 2 == 0  # alternate the modes: both are covered, at half the cost
        assert extraction(load_page(text), fast) == extraction(trafilatura.load_html(text), fast), page.id
