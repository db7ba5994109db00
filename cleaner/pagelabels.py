"""Paragraph labels checked on whole pages: an annotation names, per page file, the sha256 of body
paragraphs and their labels; the pages are cleaned and labelled as `cleaner run` labels them (every
paragraph of a page in its context), and the annotated paragraphs are scored.

The annotation holds no text, so it can describe pages we may not copy (seeds/annotations/).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, replace
from pathlib import Path

from .corpus import CorpusError
from .errors import shown
from .labelled import LABELS
from .labelling import label_body
from .options import CleanOptions
from .paragraphs import ParagraphClassifier
from .paths import seeds_dir

SHA256_RE = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class PageLabels:
    """Truth and prediction for the annotated paragraphs that were found, and how many were not."""

    truth: tuple[str, ...]
    predicted: tuple[str, ...]
    missing: int  # annotated paragraphs the cleaner no longer gives as body text


def scrapinghub_annotation_file() -> Path:
    """Our labels for body paragraphs of the scrapinghub benchmark pages (seeds/README.md)."""
    return seeds_dir() / "annotations" / "scrapinghub-paragraphs.json"


def scrapinghub_heldout_file() -> Path:
    """Our labels for other body paragraphs of the same pages, made after every setting was chosen."""
    return seeds_dir() / "annotations" / "scrapinghub-heldout.json"


def read_page_annotation(path: Path) -> dict[str, dict[str, str]]:
    """{page file name: {paragraph sha256: label}}; the message of an error names the file."""
    where = shown(str(path))
    if not path.is_file():
        raise CorpusError(f"{where}: no such file")
    try:
        pages = json.loads(path.read_text(encoding="utf-8"))["pages"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise CorpusError(f"{where}: not a page annotation ({shown(str(error))})") from None
    if not isinstance(pages, dict) or not pages:
        raise CorpusError(f"{where}: not a page annotation ('pages' must map page file names to labels)")
    for name, labels in pages.items():
        page = f"{where}: page {shown(repr(name))}"
        if Path(name).name != name or name in ("", ".", ".."):
            raise CorpusError(f"{page}: a page is named by its file name in the folder")
        if not isinstance(labels, dict) or not all(isinstance(v, str) for v in labels.values()):
            raise CorpusError(f"{page}: expected {{paragraph sha256: label}}")
        digest = next((d for d in labels if not SHA256_RE.fullmatch(d)), None)
        if digest is not None:
            raise CorpusError(f"{page}: {shown(repr(digest))} is not a sha256 (64 lowercase hex digits)")
        unknown = sorted(set(labels.values()) - set(LABELS))
        if unknown:
            raise CorpusError(f"{page}: unknown label {shown(repr(unknown[0]))}")
    return pages


def score_pages(
    annotation: Path, folder: Path, model: ParagraphClassifier, options: CleanOptions, *, page_context: bool = True
) -> PageLabels:
    """Clean every annotated page in `folder` with `options`, label its body with `model` as the
    cleaner does (or each paragraph alone), and compare the annotated paragraphs."""
    from .api import clean  # the API imports the models, which import this module

    pages = read_page_annotation(annotation)
    if not folder.is_dir():
        raise CorpusError(f"{shown(str(folder))}: no such folder of pages (for {shown(str(annotation))})")
    unlabelled = replace(options, labels=False)  # labelled below, with `model`
    truth: list[str] = []
    predicted: list[str] = []
    missing = 0
    for name, labels in sorted(pages.items()):
        page = folder / name
        if not page.is_file():
            raise CorpusError(f"{shown(str(page))}: annotated in {shown(str(annotation))} but not found")
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
        raise CorpusError(
            f"{shown(str(annotation))}: none of its {missing} paragraphs is body text "
            f"of the pages in {shown(str(folder))}"
        )
    return PageLabels(tuple(truth), tuple(predicted), missing)
