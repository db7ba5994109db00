"""Whether a page's text looks like English, which the paragraph labels were learnt from."""

from __future__ import annotations

from .linefeatures import LETTER_RUN_RE, STOPWORDS

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
