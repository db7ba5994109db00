"""Labels for the body paragraphs of a cleaned document."""

from __future__ import annotations

from dataclasses import replace

from .document import Document
from .language import NOT_ENGLISH_NOTICE, looks_english
from .paragraphs import ParagraphClassifier
from .signals import MARKED_OPINION_ODDS, opinion_marks


def page_odds(doc: Document) -> dict[str, float] | None:
    """What the page says of its paragraphs' labels: opinion MARKED_OPINION_ODDS times as likely
    on a page that marks itself as opinion (ParagraphClassifier.predict_proba_page's `odds`)."""
    return {"opinion": MARKED_OPINION_ODDS} if opinion_marks(doc) else None


def odds_for(model: ParagraphClassifier, odds: dict[str, float] | None) -> dict[str, float] | None:
    """The page's odds of the labels `model` has: a model trained on users' own labels may lack one."""
    return {label: factor for label, factor in odds.items() if label in model.classes_} if odds else None


def label_body(doc: Document, model: ParagraphClassifier, *, page_context: bool = True) -> Document:
    """The document with `label` and `scores` on every body block. The body's paragraphs are
    labelled together as one page's (ParagraphClassifier.predict_proba_page), opinion taken as
    MARKED_OPINION_ODDS times as likely on a page that marks itself as opinion; with not
    `page_context`, each paragraph is labelled alone, from its own text only."""
    rows = [i for i, block in enumerate(doc.blocks) if block.kind == "body"]
    if not rows:
        return doc
    texts = [doc.blocks[i].text for i in rows]
    odds = odds_for(model, page_odds(doc)) if page_context else None
    blocks = list(doc.blocks)
    # Each paragraph alone: scored without the library's warning, since the notice below says it.
    proba = model.predict_proba_page(texts, odds=odds) if page_context else model._predict_proba(texts)[0]
    for i, (label, scores) in zip(rows, model.label_rows(proba)):
        blocks[i] = replace(blocks[i], label=label, scores=scores)
    english = NOT_ENGLISH_NOTICE in doc.notices or looks_english(texts)  # a labelled document keeps one notice
    notices = doc.notices if english else (*doc.notices, NOT_ENGLISH_NOTICE)
    return replace(doc, blocks=tuple(blocks), notices=notices)
