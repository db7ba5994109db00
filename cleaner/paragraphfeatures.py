"""Linguistic features of a paragraph for the reporting / opinion / filler classifier.

Each feature is a rate (per word or per sentence) so that long and short paragraphs compare. The
word lists are small, general and written for this project; the model learns their weights.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from operator import itemgetter
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

# Paragraphs are cut to this many characters before features are computed: a 200 KB "paragraph"
# costs no more than a long one, and its first part says what kind of text it is.
MAX_CHARS = 5000
# Keyword stuffing: a word n-gram repeated this many times or more in one paragraph.
STUFFING_NGRAM = 3

WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d[\d,.]*%?")
SENTENCE_RE = re.compile(r"[^.!?]+[.!?]+[\"'”’)]*|[^.!?]+$")
QUOTE_RE = re.compile(r"[\"“”]")
NUMBER_RE = re.compile(r"\d")
# The lookahead rules out most words by their first character before the alternation is tried
# (the same matches, several times faster).
YEAR_OR_DATE_RE = re.compile(
    r"\b(?=[12adfjmnostw])(?:(?:19|20)\d{2}|january|february|march|april|june|july|august|september|october|"
    r"november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
    re.IGNORECASE,
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


ATTRIBUTION = _words(
    "said says told according announced reported stated added confirmed denied warned claimed noted "
    "explained testified ruled wrote insisted acknowledged admitted argued estimated recorded "
    "showed found published filed charged sentenced approved rejected voted"
)
FIRST_SINGULAR = _words("i me my mine myself i'm i've i'd i'll")
FIRST_PLURAL = _words("we us our ours ourselves we're we've we'd we'll")
SECOND_PERSON = _words("you your yours yourself yourselves you're you've you'll")
MODALS = _words("should must ought shouldn't mustn't need needs have has cannot can't")
PREDICTION = _words("will would could might may likely unlikely")
HEDGES = _words(
    "perhaps maybe arguably seemingly apparently probably possibly surely clearly obviously "
    "undoubtedly frankly honestly simply merely"
)
EVALUATIVE = _words(
    "good bad better worse best worst wrong right fair unfair wise unwise foolish absurd reckless "
    "shameful disgraceful welcome welcomed troubling alarming dangerous failure mistake mistaken "
    "misguided sensible smart stupid brilliant terrible awful excellent great poor weak strong "
    "important crucial vital essential necessary unacceptable ridiculous laughable outrageous "
    "wonderful remarkable disappointing hypocritical cynical naive bold courageous timid "
    "irresponsible responsible deserve deserves overdue long-overdue"
)
INTENSIFIERS = _words("very extremely truly deeply incredibly really utterly entirely absolutely so too")
BUZZWORDS = _words(
    "landscape pivotal stakeholders stakeholder synergy synergies robust seamless seamlessly leverage "
    "leveraging innovative innovation cutting-edge ecosystem journey unlock unlocking elevate navigate "
    "navigating testament holistic transformative dynamic vibrant thriving paramount foster fostering "
    "empower empowering game-changer game-changing realm tapestry myriad multifaceted ever-evolving "
    "fast-paced groundbreaking revolutionize revolutionary unparalleled comprehensive optimize "
    "streamline endeavor endeavour resonate delve dive embark showcase showcasing underscore "
    "underscores poised moving forward going forward key crucial significant significantly"
)
CALLS_TO_ACTION = _words(
    "subscribe share follow click sign comment comments like newsletter download bookmark don't forget stay tuned check"
)
TRANSITIONS = _words(
    "conclusion overall ultimately furthermore moreover additionally however nevertheless "
    "therefore thus hence meanwhile summary"
)


def _read_lexicon(path: Path) -> dict[str, frozenset[str]]:
    """category<TAB>word lines: a word list, by category (lexicon/README.md)."""
    groups: dict[str, set[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        category, word = line.split("\t")
        groups.setdefault(category, set()).add(word)
    return {category: frozenset(words) for category, words in sorted(groups.items())}


SUBJECTIVE = _read_lexicon(Path(__file__).resolve().parent / "lexicon" / "subjective.tsv")
# Words typical of reporting (actors, events, measures) or of padding, for text whose n-grams the
# model has never seen (lexicon/README.md).
CUES = _read_lexicon(Path(__file__).resolve().parent / "lexicon" / "cues.tsv")

# "In conclusion", "In summary", "In short": the second word gives the transition away.
SUMMARY_OPENERS = frozenset({"conclusion", "summary", "short"})

FEATURE_NAMES = (
    "log_words",
    "mean_sentence_words",
    "attribution_rate",
    "quote_rate",
    "has_quote",
    "first_singular_rate",
    "first_plural_rate",
    "second_person_rate",
    "modal_rate",
    "prediction_rate",
    "hedge_rate",
    "evaluative_rate",
    "intensifier_rate",
    "buzzword_rate",
    "call_to_action_rate",
    "transition_rate",
    "question_rate",
    "exclamation_rate",
    "number_rate",
    "date_rate",
    "proper_noun_rate",
    "type_token_ratio",
    "stuffing",
    "opens_with_transition",
    *(f"subjective_{category}_rate" for category in SUBJECTIVE),
    "has_subjective",
    "superlative_rate",
    "negation_rate",
    *(f"cue_{category}_rate" for category in CUES),
)
# "-est" alone would also catch interest, protest, forest: a list of the common ones instead.
SUPERLATIVES = _words(
    "most least best worst biggest largest greatest highest lowest strongest weakest fastest slowest "
    "longest shortest oldest newest finest smallest toughest hardest clearest deepest widest"
)
NEGATIONS = _words(
    "not no never nothing nobody none neither nor cannot don't doesn't didn't isn't wasn't won't can't "
    "couldn't wouldn't shouldn't aren't weren't"
)


# Every word list, in the order their rates appear among the features, and for each word the lists
# it belongs to: one pass over a paragraph's words counts them all.
WORD_LISTS = (
    ATTRIBUTION, FIRST_SINGULAR, FIRST_PLURAL, SECOND_PERSON, MODALS, PREDICTION, HEDGES, EVALUATIVE,
    INTENSIFIERS, BUZZWORDS, CALLS_TO_ACTION, TRANSITIONS, *SUBJECTIVE.values(), NEGATIONS, *CUES.values(),
)  # fmt: skip
_LISTS_OF: dict[str, tuple[int, ...]] = {}
for _k, _words_in_list in enumerate(WORD_LISTS):
    for _w in _words_in_list:
        _LISTS_OF[_w] = (*_LISTS_OF.get(_w, ()), _k)
# Superlatives are counted in the same pass, after the lists whose rates are features.
_SUPERLATIVES = len(WORD_LISTS)
for _w in SUPERLATIVES:
    _LISTS_OF[_w] = (*_LISTS_OF.get(_w, ()), _SUPERLATIVES)
_SUBJECTIVE_SLICE = slice(12, 12 + len(SUBJECTIVE))
_FIRST_CHAR = itemgetter(0)
_NEGATIONS = _SUBJECTIVE_SLICE.stop
_CUES_SLICE = slice(_NEGATIONS + 1, _NEGATIONS + 1 + len(CUES))


def paragraph_features(text: str) -> list[float]:
    text = text[:MAX_CHARS]
    tokens = WORD_RE.findall(text)
    # One lower() for all tokens: they hold no spaces, and lower-casing makes none. Pages print ’
    # where the word lists have ' ("don’t").
    joined = " ".join(tokens).lower().replace("’", "'")
    lowered = joined.split(" ") if tokens else []
    n = max(len(tokens), 1)
    sentences = [s for s in SENTENCE_RE.findall(text) if s.strip()] or [text]
    counts = Counter(lowered)

    hits = [0] * (_SUPERLATIVES + 1)
    for word in counts.keys() & _LISTS_OF.keys():  # most words are in no list
        count = counts[word]
        for k in _LISTS_OF[word]:
            hits[k] += count
    rates = [h / n for h in hits]

    # Capitalised words that do not start a sentence: names of people, places and organisations.
    proper = 0
    for sentence in sentences:
        rest = sentence.lstrip()[1:]
        if not rest.isascii() or rest != rest.lower():  # else no word but the first has a capital
            proper += sum(map(str.isupper, map(_FIRST_CHAR, WORD_RE.findall(sentence)[1:])))
    ngrams = Counter(zip(*(lowered[i:] for i in range(STUFFING_NGRAM))))
    most_repeated = max(ngrams.values(), default=0)
    first = lowered[0] if lowered else ""
    superlatives = hits[_SUPERLATIVES]
    if "iest" in joined:
        superlatives += sum(c for w, c in counts.items() if w.endswith("iest") and w not in SUPERLATIVES)
    return [
        math.log1p(len(tokens)),
        len(tokens) / len(sentences),
        hits[0] / len(sentences),  # attribution verbs per sentence
        len(QUOTE_RE.findall(text)) / n,
        float(bool(QUOTE_RE.search(text))),
        *rates[1:12],
        text.count("?") / len(sentences),
        text.count("!") / len(sentences),
        len(NUMBER_RE.findall(text)) / n,
        len(YEAR_OR_DATE_RE.findall(text)) / n,
        proper / n,
        len(counts) / n,
        math.log1p(most_repeated - 1) if most_repeated > 1 else 0.0,
        float(first in TRANSITIONS or (len(lowered) > 1 and lowered[1] in SUMMARY_OPENERS)),
        *rates[_SUBJECTIVE_SLICE],
        float(any(hits[_SUBJECTIVE_SLICE])),
        superlatives / n,
        rates[_NEGATIONS],
        *rates[_CUES_SLICE],
    ]


class ParagraphFeatures(TransformerMixin, BaseEstimator):
    """Hand-designed features of each paragraph (see FEATURE_NAMES)."""

    def fit(self, X: list[str], y: object = None) -> ParagraphFeatures:
        self.n_features_out_ = len(FEATURE_NAMES)
        return self

    def transform(self, X: list[str]) -> np.ndarray:
        return np.array([paragraph_features(text) for text in X], dtype=np.float64).reshape(-1, len(FEATURE_NAMES))

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        return np.array(FEATURE_NAMES, dtype=object)
