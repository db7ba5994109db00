"""Labels for the body paragraphs of a cleaned document."""

from __future__ import annotations

import re
from dataclasses import replace

from .document import Document
from .linefeatures import STOPWORDS
from .paragraphs import ParagraphClassifier

# English prose has 35-55% stopwords among its words; under this share the text is probably in
# another language, and labels learnt from English mean little.
MIN_ENGLISH_STOPWORD_SHARE = 0.15
# Too few words to judge the language.
MIN_WORDS_FOR_LANGUAGE = 20
NOT_ENGLISH_NOTICE = "the text does not look like English; paragraph labels are unreliable"
SCORE_DIGITS = 4
_WORD_RE = re.compile(r"[^\W\d_]+")


def looks_english(texts: list[str]) -> bool:
    words = [w.lower() for t in texts for w in _WORD_RE.findall(t)]
    if len(words) < MIN_WORDS_FOR_LANGUAGE:
        return True
    return sum(w in STOPWORDS for w in words) / len(words) >= MIN_ENGLISH_STOPWORD_SHARE


def label_body(doc: Document, model: ParagraphClassifier) -> Document:
    """The document with `label` and `scores` on every body block."""
    rows = [i for i, block in enumerate(doc.blocks) if block.kind == "body"]
    if not rows:
        return doc
    texts = [doc.blocks[i].text for i in rows]
    proba = model.predict_proba(texts)
    labels = model.classes_[proba.argmax(axis=1)]
    blocks = list(doc.blocks)
    for i, label, row in zip(rows, labels, proba):
        scores = {str(c): round(float(p), SCORE_DIGITS) for c, p in zip(model.classes_, row)}
        blocks[i] = replace(blocks[i], label=str(label), scores=scores)
    notices = doc.notices if looks_english(texts) else (*doc.notices, NOT_ENGLISH_NOTICE)
    return replace(doc, blocks=tuple(blocks), notices=notices)
