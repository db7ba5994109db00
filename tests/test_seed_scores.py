"""Score gate: the bundled line model on the five real pages it was never trained on."""

from __future__ import annotations

import json

import pytest

from cleaner.artifacts import manifest_path
from cleaner.corpus import corpus_hash, evaluation_seeds, training_pages
from cleaner.evaluate import evaluate
from cleaner.models import bundled_line_model_path, line_model

# The bars of the stripper issue (character F1 of kept text, exact-kind line accuracy).
MIN_OVERALL_F1 = 0.98
MIN_CONTENT_FARM_F1 = 0.95
MIN_LINE_ACCURACY = 0.97
MIN_LEAVE_ONE_STYLE_OUT_F1 = 0.95


@pytest.fixture(scope="module")
def seed_scores(shared_seeds):
    model = line_model()
    pages = evaluation_seeds(shared_seeds)
    return evaluate(pages, lambda page: model.predict([list(page.lines)])[0])


def test_overall_character_f1(seed_scores) -> None:
    _, total = seed_scores
    assert total.f1 >= MIN_OVERALL_F1, total.as_row()


def test_content_farm_page(seed_scores) -> None:
    pages, _ = seed_scores
    farm = next(s for s in pages if s.name.startswith("002_"))
    assert farm.f1 >= MIN_CONTENT_FARM_F1, farm.as_row()


def test_line_accuracy(seed_scores) -> None:
    _, total = seed_scores
    assert total.line_accuracy >= MIN_LINE_ACCURACY, total.as_row()


def test_bundled_model_is_trained_on_the_current_corpus() -> None:
    manifest = json.loads(manifest_path(bundled_line_model_path()).read_text())
    assert manifest["training_data_sha256"] == corpus_hash(training_pages()), (
        "seeds/pages changed since classifiers/lines.joblib was built: run `cleaner train lines`"
    )
    assert manifest["cross_validation"]["overall"]["f1"] >= MIN_LEAVE_ONE_STYLE_OUT_F1
