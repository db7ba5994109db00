"""The project's trained models: where they live, how they are trained and loaded."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from . import artifacts
from .corpus import AnnotatedPage, corpus_hash, training_pages
from .evaluate import leave_one_style_out
from .linemodel import LineModel
from .paths import classifiers_dir
from .synth import synthesize

LINE_MODEL_FILE = "lines.joblib"
TRAIN_LINES_COMMAND = "cleaner train lines"


def bundled_line_model_path() -> Path:
    return classifiers_dir() / LINE_MODEL_FILE


def fit_line_model(pages: list[AnnotatedPage]) -> LineModel:
    """Fit on the annotated pages plus synthetic recombinations of them (see synth)."""
    pages = list(pages) + synthesize(pages)
    return LineModel().fit([list(p.lines) for p in pages], [list(p.kinds) for p in pages])


def cross_validate_lines(pages: list[AnnotatedPage]) -> dict:
    """Leave-one-style-out scores; synthetic pages come from the training styles only."""

    def fit(train: list[AnnotatedPage]):
        model = fit_line_model(train)
        return lambda page: model.predict([list(page.lines)])[0]

    per_style, overall = leave_one_style_out(pages, fit)
    return {
        "method": "leave-one-style-out, character-weighted keep/drop F1",
        "per_style": {style: s.as_row() for style, s in per_style.items()},
        "overall": overall.as_row(),
    }


def train_line_model(pages: list[AnnotatedPage], out: Path, *, scores: dict | None = None) -> dict:
    """Fit on `pages`, save to `out` with its manifest; returns the manifest."""
    model = fit_line_model(pages)
    info = {
        "model": "line kinds (average of 3 one-hidden-layer MLPs + Viterbi smoothing)",
        "training_data_sha256": corpus_hash(pages),
        "training_pages": len(pages),
        "training_lines": sum(k is not None for p in pages for k in p.kinds),
        "styles": sorted({p.style for p in pages}),
        "cross_validation": scores or {},
        "built_by": TRAIN_LINES_COMMAND,
    }
    return artifacts.save(model, out, info=info)


@lru_cache(maxsize=4)
def line_model(path: Path | None = None) -> LineModel:
    """The line model at `path`, or the bundled one (rebuilt for this scikit-learn if needed)."""
    if path is not None:
        model, _ = artifacts.load(Path(path), TRAIN_LINES_COMMAND + f" --out {path}")
    else:
        model, _ = artifacts.load_for_this_sklearn(
            bundled_line_model_path(),
            rebuild=TRAIN_LINES_COMMAND,
            retrain=lambda out: train_line_model(training_pages(), out),
        )
    if not isinstance(model, LineModel):
        raise artifacts.ModelError(f"{path}: not a line model; rebuild with `{TRAIN_LINES_COMMAND}`")
    return model
