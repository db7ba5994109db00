"""Labels for the body paragraphs of a cleaned document."""

from __future__ import annotations

from dataclasses import replace

from .document import Document
from .linefeatures import LETTER_RUN_RE, STOPWORDS
from .paragraphs import ParagraphClassifier

# English prose has 35-55% stopwords among its words; under this share the text is probably in
# another language, and labels learnt from English mean little.
MIN_ENGLISH_STOPWORD_SHARE = 0.15
# Too few words to judge the language.
MIN_WORDS_FOR_LANGUAGE = 20
# Text whose letters are mostly not ASCII (once there are this many) is not English.
MIN_LETTERS_FOR_SCRIPT = 40
MIN_LATIN_SHARE = 0.5
NOT_ENGLISH_NOTICE = "the text does not look like English; paragraph labels are unreliable"


def looks_english(texts: list[str]) -> bool:
    words = [w for t in texts for w in LETTER_RUN_RE.findall(t)]
    # One lower() over the joined words instead of one per word: letter runs hold no spaces.
    lowered = " ".join(words).lower()
    spaces = max(len(words) - 1, 0)
    letters = len(lowered) - spaces
    # Chinese or Japanese text has few spaces, so few "words": judge it by its script first.
    ascii_letters = len(lowered.encode("ascii", "ignore")) - spaces  # counted in C
    if letters >= MIN_LETTERS_FOR_SCRIPT and ascii_letters / letters < MIN_LATIN_SHARE:
        return False
    if len(words) < MIN_WORDS_FOR_LANGUAGE:
        return True
    stopwords = sum(map(STOPWORDS.__contains__, lowered.split(" ")))
    return stopwords / len(words) >= MIN_ENGLISH_STOPWORD_SHARE


def label_body(doc: Document, model: ParagraphClassifier, *, page_context: bool = True) -> Document:
    """The document with `label` and `scores` on every body block; the body's paragraphs are
    labelled together as one page's (ParagraphClassifier.predict_proba_page) unless not `page_context`."""
    rows = [i for i, block in enumerate(doc.blocks) if block.kind == "body"]
    if not rows:
        return doc
    texts = [doc.blocks[i].text for i in rows]
    blocks = list(doc.blocks)
    for i, (label, scores) in zip(rows, model.labelled(texts, page=page_context)):
        blocks[i] = replace(blocks[i], label=label, scores=scores)
    notices = doc.notices if looks_english(texts) else (*doc.notices, NOT_ENGLISH_NOTICE)
    return replace(doc, blocks=tuple(blocks), notices=notices)
