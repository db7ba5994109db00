"""Paragraph labels checked on whole pages: an annotation names, per page file, the sha256 of body
paragraphs and their labels; the pages are cleaned and labelled as `cleaner run` labels them (every
paragraph of a page in its context), and the annotated paragraphs are scored.

The annotation holds no text, so it can describe pages we may not copy (seeds/annotations/).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from pathlib import Path

from .corpus import CorpusError
from .labelled import LABELS
from .labelling import label_body
from .options import CleanOptions
from .paragraphs import ParagraphClassifier
from .paths import seeds_dir


@dataclass(frozen=True)
class PageLabels:
    """Truth and prediction for the annotated paragraphs that were found, and how many were not."""

    truth: tuple[str, ...]
    predicted: tuple[str, ...]
    missing: int  # annotated paragraphs the cleaner no longer gives as body text


def scrapinghub_annotation_file() -> Path:
    """Our labels for body paragraphs of the scrapinghub benchmark pages (seeds/README.md)."""
    return seeds_dir() / "annotations" / "scrapinghub-paragraphs.json"


def read_page_annotation(path: Path) -> dict[str, dict[str, str]]:
    """{page file name: {paragraph sha256: label}}; the message of an error names the file."""
    try:
        pages = json.loads(path.read_text(encoding="utf-8"))["pages"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise CorpusError(f"{path}: not a page annotation ({error})") from None
    if not isinstance(pages, dict) or not pages:
        raise CorpusError(f"{path}: not a page annotation ('pages' must map page file names to labels)")
    for name, labels in pages.items():
        if Path(name).name != name or name in ("", ".", ".."):
            raise CorpusError(f"{path}: page {name!r}: a page is named by its file name in the folder")
        if not isinstance(labels, dict) or not all(isinstance(v, str) for v in labels.values()):
            raise CorpusError(f"{path}: page {name}: expected {{paragraph sha256: label}}")
        unknown = sorted(set(labels.values()) - set(LABELS))
        if unknown:
            raise CorpusError(f"{path}: page {name}: unknown label {unknown[0]!r}")
    return pages


def score_pages(
    annotation: Path, folder: Path, model: ParagraphClassifier, options: CleanOptions, *, page_context: bool = True
) -> PageLabels:
    """Clean every annotated page in `folder` with `options`, label its body with `model` as the
    cleaner does (or each paragraph alone), and compare the annotated paragraphs."""
    from .api import clean  # the API imports the models, which import this module

    pages = read_page_annotation(annotation)
    if not folder.is_dir():
        raise CorpusError(f"{folder}: no such folder of pages (for {annotation})")
    unlabelled = replace(options, labels=False)  # labelled below, with `model`
    truth: list[str] = []
    predicted: list[str] = []
    missing = 0
    for name, labels in sorted(pages.items()):
        page = folder / name
        if not page.is_file():
            raise CorpusError(f"{page}: annotated in {annotation} but not found")
        doc = clean(page.read_bytes(), source=str(page), options=unlabelled)
        doc = label_body(doc, model, page_context=page_context)
        found = {
            hashlib.sha256(block.text.encode()).hexdigest(): block.label for block in doc.blocks if block.kind == "body"
        }
        for digest, label in sorted(labels.items()):
            if digest in found:
                truth.append(label)
                predicted.append(str(found[digest]))
            else:
                missing += 1
    if not truth:
        raise CorpusError(f"{annotation}: none of its {missing} paragraphs is body text of the pages in {folder}")
    return PageLabels(tuple(truth), tuple(predicted), missing)
