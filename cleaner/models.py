"""The project's trained models: where they live, how they are trained and loaded."""

from __future__ import annotations

import contextlib
import os
import shlex
import threading
from collections.abc import Mapping
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

from . import artifacts
from .corpus import AnnotatedPage, CorpusError, corpus_hash, evaluation_seeds, seed_paragraphs, training_pages
from .evaluate import leave_one_style_out
from .labelled import LabelledParagraph, data_hash, read_labelled
from .labelling import odds_for, page_odds
from .linefeatures import FEATURE_NAMES
from .linemodel import LineModel
from .modelcard import write_model_card
from .options import CleanOptions
from .pagelabels import score_pages, scrapinghub_annotation_file, scrapinghub_heldout_file
from .paragraphfeatures import FEATURE_NAMES as PARAGRAPH_FEATURE_NAMES
from .paragraphs import ParagraphClassifier, classification_report, fit_classifier
from .paths import BUNDLED_PARAGRAPHS_SOURCE, classifiers_dir, seeds_dir, shared_dir
from .synth import synthesize

MODEL_SUFFIX = ".joblib"
LINE_MODEL_FILE = "lines.joblib"
TRAIN_LINES_COMMAND = "cleaner train lines"
PARAGRAPH_MODEL_FILE = "paragraphs.joblib"
TRAIN_PARAGRAPHS_COMMAND = "cleaner train paragraphs"
CHECKTHAT_DEV = "data/checkthat2023-en/dev_en.tsv"
SCRAPINGHUB_PAGES = "bench/scrapinghub/html"
MODELS_KEPT = 4  # loaded models kept per kind (the bundled one and a few given paths)
# One load at a time per kind: lru_cache alone lets every thread that asks for a model before the
# first load ends load it again (seconds and hundreds of MB each, at a cold start with many threads).
_LINE_MODEL_LOCK = threading.Lock()
_PARAGRAPH_MODEL_LOCK = threading.Lock()


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


def train_line_model(
    pages: list[AnnotatedPage], out: Path, *, scores: dict | None = None, data: Path | None = None
) -> dict:
    """Fit on `pages` (read from `data`, or the bundled pages), save to `out` with its manifest;
    returns the manifest."""
    model = fit_line_model(pages)
    info = {
        "model": "line kinds (average of 3 one-hidden-layer MLPs + Viterbi smoothing)",
        "training_data_sha256": corpus_hash(pages),
        "training_pages": len(pages),
        "training_lines": sum(k is not None for p in pages for k in p.kinds),
        "styles": sorted({p.style for p in pages}),
        "cross_validation": scores or {},
        "built_by": _train_command(
            TRAIN_LINES_COMMAND, [str(data)] if data else [], out, bundled=bundled_line_model_path()
        ),
    }
    return artifacts.save(model, out, info=info)


def _load_model(path: Path | None, *, bundled: Path, command: str, retrain, kind: type, name: str):
    """The model at `path` (hash-checked), or the bundled one, rebuilt once into the cache when
    another scikit-learn built it; a file holding another kind of object is refused."""
    if path is not None:
        model, _ = artifacts.load(Path(path), _rebuild(command, path))
    else:
        model, _ = artifacts.load_for_this_sklearn(bundled, rebuild=command, retrain=retrain)
    for other, other_name in ((LineModel, "line model"), (ParagraphClassifier, "paragraph classifier")):
        if isinstance(model, other) and kind is not other:
            raise artifacts.ModelError(
                f"{path}: a {other_name}, not a {name}; give it to the command's {other_name} option (see --help)"
            )
    if not isinstance(model, kind):
        raise artifacts.ModelError(f"{path}: not a {name}; rebuild with `{command}`")
    if isinstance(model, LineModel) and len(model.feature_low_) != len(FEATURE_NAMES):
        # Saved by a version of cleaner that computed other line features.
        raise artifacts.ModelError(
            f"{path or bundled}: built on {len(model.feature_low_)} line features, and this version of cleaner "
            f"computes {len(FEATURE_NAMES)}; rebuild with `{_rebuild(command, path)}`"
        )
    if isinstance(model, ParagraphClassifier) and (found := model.linguistic_feature_count()) != len(
        PARAGRAPH_FEATURE_NAMES
    ):
        raise artifacts.ModelError(
            f"{path or bundled}: built on {found} paragraph features, and this version of cleaner "
            f"computes {len(PARAGRAPH_FEATURE_NAMES)}; rebuild with `{_rebuild(command, path)}`"
        )
    return model


def line_model(path: Path | None = None) -> LineModel:
    """The line model at `path`, or the bundled one (rebuilt for this scikit-learn if needed)."""
    with _LINE_MODEL_LOCK:
        return _cached_line_model(path, _file_state(path or bundled_line_model_path()))


def _file_state(path: Path) -> tuple[int, int, int] | None:
    """Part of a loaded model's cache key (the `state` argument of the cached loaders, not used in
    their body): a model retrained into the same path is loaded again."""
    try:
        stat = os.stat(path)
    except OSError:
        return None  # missing: the load says so
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


@lru_cache(maxsize=MODELS_KEPT)
def _cached_line_model(path: Path | None, state: tuple[int, int, int] | None) -> LineModel:
    return _load_model(
        path,
        bundled=bundled_line_model_path(),
        command=TRAIN_LINES_COMMAND,
        retrain=lambda out: train_line_model(training_pages(), out),
        kind=LineModel,
        name="line model",
    )


def bundled_paragraph_model_path() -> Path:
    return classifiers_dir() / PARAGRAPH_MODEL_FILE


def bundled_paragraphs() -> list[LabelledParagraph]:
    return read_labelled(seeds_dir() / "paragraphs")


def train_paragraph_model(
    data: list[LabelledParagraph],
    out: Path,
    *,
    sources: list[str],
    scores: dict | None = None,
    reference: bool = False,
) -> dict:
    """Fit on `data`, save to `out` with its manifest and model card; returns the manifest.

    With `reference`, the fitted model is also scored on the reference sets that are present (the
    seed pages' paragraphs; the scrapinghub pages' paragraphs we labelled; CheckThat! dev, opinion vs
    rest) and the scores go into the card.
    """
    model = fit_classifier(data)
    info = {
        "model": (
            "paragraph labels (word + character TF-IDF scaled by naive Bayes ratios + linguistic features, "
            "calibrated linear SVM)"
        ),
        "labels": [str(c) for c in model.classes_],
        "class_prior": {str(c): round(float(p), 4) for c, p in zip(model.classes_, model.class_prior_)},
        "label_weights": {str(c): float(w) for c, w in zip(model.classes_, model.label_weights_)},
        "page_context_weight": model.page_context_weight_,
        "training_data": sources,
        "training_data_sha256": data_hash(data),
        "training_paragraphs": len(data),
        "training_documents": len({p.doc for p in data}),
        "cross_validation": scores or {},
        "evaluations": reference_evaluations(model) if reference else {},
        "built_by": _train_command(
            TRAIN_PARAGRAPHS_COMMAND,
            [] if sources == [BUNDLED_PARAGRAPHS_SOURCE] else sources,
            out,
            bundled=bundled_paragraph_model_path(),
        ),
    }
    manifest = artifacts.save(model, out, info=info)
    write_model_card(out, manifest)
    return manifest


def _train_command(command: str, data: list[str], out: Path, *, bundled: Path | None) -> str:
    """The command that builds this model again, for its manifest, card and rebuild hints."""
    command += "".join(f" --data {shlex.quote(source)}" for source in data)
    if Path(out) != bundled:
        command += f" --out {shlex.quote(str(out))}"
    return command


def reference_evaluations(model: ParagraphClassifier) -> dict:
    """Scores on the seed pages' body paragraphs (as pages and each alone), on our two sets of labels
    of the scrapinghub pages' paragraphs and on CheckThat! dev, where those files exist."""
    out = {}
    with contextlib.suppress(FileNotFoundError, CorpusError):  # no shared seeds here
        out["seed pages, body paragraphs"] = evaluate_on_seeds(model)
        out["seed pages, body paragraphs, each alone"] = evaluate_on_seeds(model, page_context=False)
    scrapinghub = shared_dir() / SCRAPINGHUB_PAGES
    for name, annotation in [
        ("scrapinghub pages, body paragraphs (our labels)", scrapinghub_annotation_file()),
        ("scrapinghub pages, held-out paragraphs (our labels)", scrapinghub_heldout_file()),
    ]:
        with contextlib.suppress(CorpusError):  # not all of the benchmark pages here
            out[name] = evaluate_on_pages(model, annotation, scrapinghub)
    dev = shared_dir() / CHECKTHAT_DEV
    if dev.exists():
        out["CheckThat! 2023 dev, opinion vs rest"] = evaluate_paragraph_model(
            model, read_labelled(dev), opinion_vs_rest=True
        )
    return out


def evaluate_paragraph_model(
    model: ParagraphClassifier,
    data: list[LabelledParagraph],
    *,
    opinion_vs_rest: bool = False,
    page_context: bool = True,
    odds_by_doc: Mapping[str, Mapping[str, float] | None] | None = None,
) -> dict:
    """Scores of `model` on `data`. With `page_context`, the paragraphs of one `doc` are labelled
    together as one page's, as the cleaner labels them (ParagraphClassifier.predict_proba_page),
    with the odds `odds_by_doc` gives for that `doc`, if any."""
    truth = [p.label for p in data]
    if page_context:
        predicted = [""] * len(data)
        pages: dict[str, list[int]] = {}
        for i, p in enumerate(data):
            pages.setdefault(p.doc, []).append(i)
        for rows in pages.values():
            odds = odds_for(model, (odds_by_doc or {}).get(data[rows[0]].doc))
            proba = model.predict_proba_page([data[i].text for i in rows], odds=odds)
            for i, label in zip(rows, model.classes_[proba.argmax(axis=1)]):
                predicted[i] = str(label)
    else:
        predicted = [str(label) for label in model.predict([p.text for p in data])]
    if opinion_vs_rest:
        truth, predicted = _merge_rest(truth), _merge_rest(predicted)
    return classification_report(truth, predicted)


def evaluate_on_seeds(
    model: ParagraphClassifier,
    folder: Path | None = None,
    *,
    opinion_vs_rest: bool = False,
    page_context: bool = True,
) -> dict:
    """Scores of `model` on the seed pages' annotated body paragraphs; with `page_context`, each
    page's paragraphs are labelled together with the odds the cleaner finds on that page."""
    data = seed_paragraphs(folder)
    odds = seed_page_odds(folder) if page_context else None
    return evaluate_paragraph_model(
        model, data, opinion_vs_rest=opinion_vs_rest, page_context=page_context, odds_by_doc=odds
    )


def seed_page_odds(folder: Path | None = None) -> dict[str, dict[str, float] | None]:
    """Per seed page, the odds of labels that the cleaner takes from the page itself (labelling.page_odds)."""
    from .api import clean  # the API imports this module

    options = CleanOptions(labels=False)
    return {
        page.name: page_odds(clean("\n".join(page.lines).encode(), source=page.name, options=options))
        for page in evaluation_seeds(folder)
    }


def evaluate_on_pages(
    model: ParagraphClassifier,
    annotation: Path,
    pages: Path,
    *,
    opinion_vs_rest: bool = False,
    page_context: bool = True,
) -> dict:
    """Scores of `model` on the annotated paragraphs of whole pages, labelled as `cleaner run`
    labels them (or each alone); `missing` counts annotated paragraphs the cleaner no longer gives
    as body text."""
    scored = score_pages(annotation, pages, model, CleanOptions(), page_context=page_context)
    truth, predicted = list(scored.truth), list(scored.predicted)
    if opinion_vs_rest:
        truth, predicted = _merge_rest(truth), _merge_rest(predicted)
    return {**classification_report(truth, predicted), "missing": scored.missing}


def _merge_rest(labels: list[str]) -> list[str]:
    return ["opinion" if label == "opinion" else "rest" for label in labels]


def paragraph_model(path: Path | None = None) -> ParagraphClassifier:
    """The paragraph classifier at `path`, or the bundled one (rebuilt for this scikit-learn if needed)."""
    with _PARAGRAPH_MODEL_LOCK:
        return _cached_paragraph_model(path, _file_state(path or bundled_paragraph_model_path()))


@lru_cache(maxsize=MODELS_KEPT)
def _cached_paragraph_model(path: Path | None, state: tuple[int, int, int] | None) -> ParagraphClassifier:
    return _load_model(
        path,
        bundled=bundled_paragraph_model_path(),
        command=TRAIN_PARAGRAPHS_COMMAND,
        retrain=lambda out: train_paragraph_model(bundled_paragraphs(), out, sources=[BUNDLED_PARAGRAPHS_SOURCE]),
        kind=ParagraphClassifier,
        name="paragraph classifier",
    )


def model_fingerprints(options) -> dict[str, str]:
    """The sha256 of the line and paragraph models a run uses: the given files, the bundled ones, or
    their rebuilds for the installed scikit-learn (made here if missing), which label differently."""
    # The files are hashed here, once, so an altered model stops the run with one line instead of
    # failing every document.
    return {
        "lines": _used_model_sha256(options.line_model, bundled_line_model_path(), TRAIN_LINES_COMMAND, line_model),
        "paragraphs": _used_model_sha256(
            options.paragraph_model, bundled_paragraph_model_path(), TRAIN_PARAGRAPHS_COMMAND, paragraph_model
        ),
    }


def _used_model_sha256(given: Path | None, bundled: Path, command: str, load) -> str:
    if given is not None:
        return artifacts.verify(Path(given), _rebuild(command, given))
    rebuilt = artifacts.rebuilt_path(bundled, command)
    if rebuilt is None:
        return artifacts.verify(bundled, command)
    load()  # builds the rebuild once, if it is not in the cache yet
    return artifacts.verify(rebuilt, command)


def _rebuild(command: str, path: Path | None) -> str:
    """The command that rebuilds a model: for a user's model, with the --data its manifest recorded
    (when readable), else, for the paragraph classifier, which needs it with --out, with DATA to fill
    in; a path that is not a model file is not offered as --out."""
    if path is None:
        return command
    recorded = artifacts.recorded_command(Path(path)) or ""
    try:
        words = shlex.split(recorded) if recorded.startswith(command) else []
    except ValueError:  # an edited manifest with unbalanced quotes
        words = []
    data = [word for flag, word in pairwise(words) if flag == "--data"]
    if any(not word.isprintable() for word in data):  # the hint must stay one line
        data = ["DATA"]
    if not words and command == TRAIN_PARAGRAPHS_COMMAND:  # nothing recorded; it needs --data with --out
        data = ["DATA"]
    out = Path(path) if Path(path).suffix == MODEL_SUFFIX else Path("MODEL" + MODEL_SUFFIX)
    return _train_command(command, data, out, bundled=None)
