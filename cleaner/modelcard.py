"""A short model card for the paragraph classifier, written beside the model from its manifest."""

from __future__ import annotations

from pathlib import Path

from .atomic import write_text
from .paths import BUNDLED_PARAGRAPHS_SOURCE
from .signals import MARKED_OPINION_ODDS

CARD_SUFFIX = ".md"


# What the card says of each label the model has; a model trained on other data may have fewer.
LABEL_MEANINGS = {
    "reporting": "**reporting** (specific, checkable, attributed)",
    "opinion": "**opinion** (the writer's own evaluation, argument, prescription or prediction)",
    "filler": "**filler** (generic padding: keyword stuffing, platitudes, transitions, calls to share or subscribe)",
}


def card_path(model_path: Path) -> Path:
    return model_path.with_suffix(CARD_SUFFIX)


def _report_rows(name: str, report: dict) -> list[str]:
    rows = [f"| {name} | {report['macro_f1']:.3f} | {report['n']} | "]
    per_class = ", ".join(
        f"{label} {scores['precision']:.2f}/{scores['recall']:.2f}/{scores['f1']:.2f}"
        for label, scores in report["per_class"].items()
    )
    rows[0] += per_class + " |"
    return rows


def _page_context(manifest: dict) -> list[str]:
    weight = manifest.get("page_context_weight")
    if not weight:  # a model built before pages were labelled together, or one that labels each alone
        return []
    return [
        f"- On a page, each paragraph's probabilities are blended with the mean of the page's paragraphs "
        f"({weight:g} of the page's): a page's paragraphs share its register. The evaluations below "
        "label a document's paragraphs that way unless they say each alone.",
        f"- Before that blend, on a page that marks itself as opinion (a section label, disclaimer, columnist bio, "
        f"opinion section, title label or URL folder), the cleaner multiplies each paragraph's odds of opinion by "
        f"{MARKED_OPINION_ODDS:g}; the seed-page and scrapinghub evaluations below do the same.",
    ]


def render_model_card(manifest: dict) -> str:
    cv = manifest.get("cross_validation") or {}
    evaluations = manifest.get("evaluations") or {}
    order = list(LABEL_MEANINGS)
    known = sorted(manifest["labels"], key=lambda label: order.index(label) if label in order else len(order))
    labels = [LABEL_MEANINGS.get(label, f"**{label}**") for label in known]
    lines = [
        f"# Model card: `{manifest['file']}`",
        "",
        f"Labels each body paragraph of a news page as {', '.join(labels[:-1])} or {labels[-1]},",
        "with a probability for each.",
        "",
        "## Model",
        "",
        f"- {manifest['model']}; scikit-learn {manifest['sklearn_version']}; fixed seeds.",
        f"- Labels: {', '.join(manifest['labels'])}. Probabilities are calibrated, then divided by each "
        "label's share of the training data, weighted for the page mix they are reported for and "
        f"renormalised, so the training mix does not carry over. Page-mix weights: {_weights(manifest)}.",
        *_page_context(manifest),
        f"- File sha256 `{manifest['sha256']}`; loading refuses a file whose hash differs "
        "(a joblib file runs code when loaded).",
        "",
        "## Training data",
        "",
        f"- {manifest['training_paragraphs']} paragraphs in {manifest['training_documents']} documents "
        f"from {', '.join(manifest['training_data'])}; sha256 `{manifest['training_data_sha256']}`.",
        f"- Class shares: {', '.join(f'{k} {v:.2f}' for k, v in manifest['class_prior'].items())}.",
        "",
        "## Measured",
        "",
        "| evaluation | macro-F1 | n | per class P/R/F1 |",
        "| --- | --- | --- | --- |",
    ]
    if cv:
        lines += _report_rows(cv.get("method", "cross-validation"), cv)
    for name, report in evaluations.items():
        lines += _report_rows(name, report)
    if not cv and not evaluations:
        lines.append("| (none recorded) | | | |")
    lines += [
        "",
        "## Use and limits",
        "",
        "- English news text. Other languages get labels, but they mean little; the cleaner says so.",
        *_corpus_limits(manifest),
        "- A paragraph is read up to its first 5,000 characters.",
        f"- Rebuild: `{manifest['built_by']}`.",
        "",
    ]
    return "\n".join(lines)


def write_model_card(model_path: Path, manifest: dict) -> Path:
    path = card_path(model_path)
    write_text(path, render_model_card(manifest))
    return path


def _weights(manifest: dict) -> str:
    weights = manifest.get("label_weights", {})
    return ", ".join(f"{label} {weight:g}" for label, weight in weights.items()) or "all labels equal"


def _corpus_limits(manifest: dict) -> list[str]:
    if manifest.get("training_data") == [BUNDLED_PARAGRAPHS_SOURCE]:
        return [
            "- The bundled corpus is written by the project's authors; real pages differ in register, and",
            "  the seed-page and scrapinghub figures above are the checks against real pages. The first",
            "  scrapinghub set chose the page-mix weights, page context and the opinion odds of marked pages,",
            "  and batches c20-c23 were written after looking at the model's errors there, so it is not out of",
            "  sample; the held-out set (other paragraphs of the same pages, labelled after all that) and the",
            "  seed pages are.",
        ]
    return ["- Trained on the data named above, not the bundled corpus: its labels mean what that data's labels mean."]
