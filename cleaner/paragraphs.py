"""The paragraph classifier: reporting, opinion or filler, with calibrated probabilities.

A scikit-learn Pipeline joins word n-grams, character n-grams (TF-IDF, each n-gram also weighed by
its naive Bayes log-count ratio: NBTfidfVectorizer; both read the text with each double-quoted span
as one placeholder word: mask_quotes) and the hand-designed linguistic features of
paragraphfeatures, and feeds them to a linear SVM whose scores become probabilities by sigmoid
calibration (CalibratedClassifierCV). Every random step has a fixed seed.

Probabilities are reported for a page mix fixed in advance, not the training mix: the calibrated
posteriors are divided by each class's share of the training data, multiplied by the class's
weight in the page mix (PAGE_LABEL_WEIGHTS) and renormalised. Users train on data with any mix of
classes (CheckThat! is two-thirds objective sentences) and apply the model to pages with another
mix; the training mix does not carry over. On a page, the cleaner blends each paragraph's
probabilities with the page's mean (predict_proba_page, PAGE_CONTEXT_WEIGHT).
"""

from __future__ import annotations

import math
import numbers
import re
import threading
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence, Sized
from dataclasses import dataclass
from itertools import chain

import numpy as np
from scipy import sparse
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.pipeline import FeatureUnion, Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC
from sklearn.utils import column_or_1d
from sklearn.utils.sparsefuncs_fast import inplace_csr_row_normalize_l2

from .labelled import LABELS, DataError, LabelledParagraph, label_problem
from .language import looks_english
from .paragraphfeatures import MAX_CHARS, ParagraphFeatures
from .visible import has_visible_text

# Regularisation of the linear SVM (smaller C: smoother weights) and calibration folds.
SVM_C = 0.5
CALIBRATION_FOLDS = 5
# liblinear stops at this many iterations; the default (1,000) is not always enough for 100k features.
SVM_MAX_ITER = 10_000
CV_FOLDS = 5
SEED = 0
WORD_NGRAMS = (1, 2)
CHAR_NGRAMS = (2, 4)
MAX_WORD_FEATURES = 40_000
MAX_CHAR_FEATURES = 60_000
# Added to each n-gram's presence count per label before its naive Bayes ratio is taken (NBTfidfVectorizer).
NB_ALPHA = 1.0
# Reports show probabilities to this many places.
SCORE_DIGITS = 4
# The n-grams read the writer's own words: a span in double quotes ("…" or “…”, or an opening quote
# to the paragraph's end, as a quote running on into the next paragraph is printed) becomes this one
# word. A reporter quoting "a reckless plan" is still reporting; the linguistic features see the
# whole text, quotation marks and all. Single quotes are left alone: ’ is also the apostrophe, and
# masking ‘…’ too lowered both CheckThat! checks (classifiers/experiments.md). Other styles („…“,
# «…») are not recognised, and an odd straight quote (12" vinyl) masks the rest of its paragraph.
QUOTED_SPAN_RE = re.compile(r'“[^”]*(?:”|$)|"[^"]*(?:"|$)')
QUOTE_PLACEHOLDER = " qquote "
# Distinct words whose character n-gram columns are kept between calls.
MAX_CACHED_WORDS = 200_000
# ...at most this many characters in all and this many of their n-gram entries (bounded memory;
# results never depend on what is kept).
MAX_CACHED_CHARS = 4_000_000
MAX_CACHED_NGRAMS = 4_000_000
# The page mix probabilities are reported for: every label weighs 1 except these. On real text our
# corpus-trained model calls plain reporting "filler" too often, since short generic-sounding
# sentences resemble padding. Weights were chosen on two seed-free sets of real text: body paragraphs
# of the scrapinghub benchmark pages, labelled by us (611 English paragraphs, 159 pages), and
# reporting-vs-opinion on CheckThat! train. After the c20/c21 batches (on the build described below),
# filler 0.25 beat 0.5 on both (0.629 → 0.638 and 0.616 → 0.634; objective sentences called filler
# 14% → 7%); 0.5 had been best before them. After the c22/c23 batches (page furniture as filler),
# 0.1-0.2 tie for best on the mean of the two (0.658-0.659; 0.25: 0.650) and the middle, 0.15,
# was taken. A class the model does not know is ignored.
PAGE_LABEL_WEIGHTS: tuple[tuple[str, float], ...] = (("filler", 0.15),)
# The paragraphs of one page share its register: on a page, each paragraph's probabilities are
# blended with the mean of the page's paragraphs, this much of the page's. On the scrapinghub
# paragraphs (a build with the new batches appended to the corpus, whose figures differ from the
# shipped build's by a few thousandths) 0.5 lifted macro-F1 from 0.638 to 0.672 (0.615 → 0.651 and
# 0.671 → 0.704 on the two halves of the pages); 0.4-0.6 gave 0.671-0.679, 0.7 fell back to 0.646.
PAGE_CONTEXT_WEIGHT = 0.5
# An empty paragraph says nothing: it is filler when the model knows that class (else each label
# gets its share of the training data, so no label wins a tie by its place in the alphabet).
EMPTY_LABEL = "filler"


def _clip(texts: Sequence[str]) -> list[str]:
    return [t[:MAX_CHARS] for t in texts]


def mask_quotes(text: str) -> str:
    """`text` with each double-quoted span replaced by QUOTE_PLACEHOLDER."""
    return QUOTED_SPAN_RE.sub(QUOTE_PLACEHOLDER, text) if '"' in text or "“" in text else text


def masked_lowercase(text: str) -> str:
    """The n-gram vectorizers' preprocessor: quotes masked, then lower-cased (a preprocessor
    replaces the vectorizer's own lower-casing). Saved models refer to it by this name and module:
    renaming or moving it makes them fail to load."""
    return mask_quotes(text).lower()


def _paragraphs(X: object) -> list[str]:
    """`X` as a list of paragraphs, or a TypeError saying what is wrong with it: a single string
    would be read as one paragraph per character, and anything but a str fails deep in the features."""
    if isinstance(X, str | bytes | bytearray):
        raise TypeError(f"X must be a list of paragraphs, not a single {type(X).__name__} (wrap it in a list)")
    if not isinstance(X, Iterable):
        raise TypeError(f"X must be a list of paragraphs (str), not {type(X).__name__}")
    texts = list(X)
    for position, text in enumerate(texts):
        if not isinstance(text, str):
            raise TypeError(f"X[{position}] is {type(text).__name__}, not str: each paragraph must be a str")
    return texts


class NBTfidfVectorizer(TfidfVectorizer):
    """TF-IDF whose idf is also scaled, at fit, by each n-gram's naive Bayes log-count ratio (the
    NB-SVM of Wang and Manning, 2012): the largest over the labels of |log(p / q)|, where p is the
    n-gram's share of the presences in that label's paragraphs and q in the others', with
    `nb_alpha` added to every count. An n-gram that tells labels apart weighs more. The scale is
    folded into `idf_` (rows are l2-normalised after it), so transform, and the fast path, compute
    it unchanged. Without labels it is a plain TfidfVectorizer."""

    def __init__(
        self,
        *,
        analyzer: str = "word",
        ngram_range: tuple[int, int] = (1, 1),
        preprocessor: Callable[[str], str] | None = None,
        min_df: float | int = 1,
        sublinear_tf: bool = False,
        max_features: int | None = None,
        nb_alpha: float = NB_ALPHA,
    ) -> None:
        super().__init__(
            analyzer=analyzer,
            ngram_range=ngram_range,
            preprocessor=preprocessor,
            min_df=min_df,
            sublinear_tf=sublinear_tf,
            max_features=max_features,
        )
        self.nb_alpha = nb_alpha

    def fit(self, raw_documents: Iterable[str], y: object = None) -> NBTfidfVectorizer:
        self.fit_transform(raw_documents, y)
        return self

    def fit_transform(self, raw_documents: Iterable[str], y: object = None) -> sparse.csr_matrix:
        if isinstance(self.nb_alpha, bool) or not isinstance(self.nb_alpha, numbers.Real) or not self.nb_alpha > 0:
            raise ValueError(f"nb_alpha must be a number above 0, not {self.nb_alpha!r}")
        if isinstance(raw_documents, str):
            raise ValueError("Iterable over raw text documents expected, string object received.")
        texts = list(raw_documents)
        weighted = super().fit_transform(texts)
        if y is None:
            return weighted
        labels = column_or_1d(np.asarray(y if isinstance(y, Sized) else list(y)))
        if len(labels) != len(texts):
            raise ValueError(f"{len(texts)} texts but {len(labels)} labels: give one label per text")
        present = (weighted > 0).astype(np.float64).tocsr()
        ratios = []
        for label in np.unique(labels):
            inside = np.asarray(present[labels == label].sum(axis=0)).ravel() + self.nb_alpha
            outside = np.asarray(present[labels != label].sum(axis=0)).ravel() + self.nb_alpha
            ratios.append(np.abs(np.log((inside / inside.sum()) / (outside / outside.sum()))))
        self.idf_ = self.idf_ * np.max(ratios, axis=0)
        return self.transform(texts)


class NotEnglishWarning(UserWarning):
    """Paragraphs given to the classifier do not look like English, the language it learnt from."""


class ParagraphClassifier(ClassifierMixin, BaseEstimator):
    """Labels paragraphs; `predict_proba` columns follow `classes_` (sorted label names)."""

    def __init__(
        self,
        *,
        C: float = SVM_C,
        calibration_folds: int = CALIBRATION_FOLDS,
        max_word_features: int = MAX_WORD_FEATURES,
        max_char_features: int = MAX_CHAR_FEATURES,
        label_weights: tuple[tuple[str, float], ...] = PAGE_LABEL_WEIGHTS,
        page_context_weight: float = PAGE_CONTEXT_WEIGHT,
        random_state: int = SEED,
    ) -> None:
        self.C = C
        self.calibration_folds = calibration_folds
        self.max_word_features = max_word_features
        self.max_char_features = max_char_features
        self.label_weights = label_weights
        self.page_context_weight = page_context_weight
        self.random_state = random_state

    def _pipeline(self) -> Pipeline:
        features = FeatureUnion(
            [
                (
                    "words",
                    NBTfidfVectorizer(
                        ngram_range=WORD_NGRAMS,
                        preprocessor=masked_lowercase,
                        min_df=2,
                        sublinear_tf=True,
                        max_features=self.max_word_features,
                    ),
                ),
                (
                    "chars",
                    NBTfidfVectorizer(
                        analyzer="char_wb",
                        ngram_range=CHAR_NGRAMS,
                        preprocessor=masked_lowercase,
                        min_df=2,
                        sublinear_tf=True,
                        max_features=self.max_char_features,
                    ),
                ),
                ("linguistic", make_pipeline(ParagraphFeatures(), StandardScaler())),
            ]
        )
        svm = LinearSVC(C=self.C, class_weight="balanced", max_iter=SVM_MAX_ITER, random_state=self.random_state)
        classifier = CalibratedClassifierCV(svm, method="sigmoid", cv=self.calibration_folds)
        return Pipeline([("features", features), ("classifier", classifier)])

    def fit(self, X: Sequence[str], y: Sequence[str]) -> ParagraphClassifier:
        weight = self.page_context_weight
        if isinstance(weight, bool) or not isinstance(weight, numbers.Real) or not 0.0 <= weight <= 1.0:
            raise ValueError(f"page_context_weight must be a number between 0 and 1, not {weight!r}")  # and not NaN
        weight = float(weight)
        texts = _paragraphs(X)
        # A column of labels is taken as scikit-learn takes it (with its warning); a generator is read.
        labels = column_or_1d(np.asarray(y if isinstance(y, Sized) else list(y)), warn=True)
        if len(labels) != len(texts):
            raise ValueError(f"{len(texts)} paragraphs but {len(labels)} labels: give one label per paragraph")
        # In words rather than as a calibration fold's error (`cleaner train` says the same, per file);
        # a splitter or None given as the folds is left to scikit-learn.
        folds = self.calibration_folds
        if isinstance(folds, numbers.Integral) and (problem := label_problem(labels.tolist(), min_per_label=folds)):
            raise ValueError(problem)
        self.pipeline_ = self._pipeline().fit(_clip(texts), labels)
        for _, transformer in self.pipeline_.named_steps["features"].transformer_list:
            # scikit-learn records id(stop_words), a memory address, only to skip a check it would
            # redo: without it the saved file is the same byte for byte in every process.
            vars(transformer).pop("_stop_words_id", None)
        self.classes_ = self.pipeline_.classes_
        counts = np.array([(labels == c).sum() for c in self.classes_], dtype=np.float64)
        self.class_prior_ = counts / counts.sum()
        weights = dict(self.label_weights)
        self.label_weights_ = np.array([weights.get(str(c), 1.0) for c in self.classes_])
        self.page_context_weight_ = weight
        return self

    def predict_proba(self, X: Iterable[str]) -> np.ndarray:
        """One row of probabilities per paragraph in `X` (a list of str), columns in `classes_`.
        Paragraphs that do not look like English (judged together) are scored too, with a
        NotEnglishWarning."""
        return self._checked_proba(X, stacklevel=3)

    def _checked_proba(self, X: Iterable[str], *, stacklevel: int) -> np.ndarray:
        """predict_proba, warning at `stacklevel` (the caller of the public method) when the
        paragraphs do not look like English. They are judged together, as the cleaner judges a
        page: one paragraph of buzzwords has too few stopwords to tell its language by."""
        texts = _paragraphs(X)
        proba = self._predict_proba(texts)[0]
        if not looks_english(texts):
            said = "the paragraph does not look like English; its label is"
            if len(texts) > 1:
                said = f"the {len(texts)} paragraphs do not look like English; their labels are"
            message = f"{said} unreliable"
            warnings.warn(message, NotEnglishWarning, stacklevel=stacklevel)
        return proba

    def _predict_proba(self, texts: list[str]) -> tuple[np.ndarray, list[int]]:
        """predict_proba's rows, and the indices of the paragraphs with visible text (tested once)."""
        proba = np.full((len(texts), len(self.classes_)), 1.0 / len(self.classes_))
        visible = [has_visible_text(t) for t in texts]
        filled = [i for i, shows in enumerate(visible) if shows]
        if filled:
            calibrated = self._fast().predict_proba(_clip([texts[i] for i in filled]))
            raw = calibrated * (self._label_weights() / self.class_prior_)
            proba[filled] = raw / raw.sum(axis=1, keepdims=True)
        empty = [i for i, shows in enumerate(visible) if not shows]
        if empty:  # filler, or with no such label nothing to go on: the training data's shares
            known = EMPTY_LABEL in self.classes_
            proba[empty] = (self.classes_ == EMPTY_LABEL).astype(np.float64) if known else self.class_prior_
        return proba, filled

    def _label_weights(self) -> np.ndarray:
        # A model saved before label weights existed keeps the equal weights it was built with.
        weights = self.__dict__.get("label_weights_")
        return np.ones(len(self.classes_)) if weights is None else weights

    def predict(self, X: Iterable[str]) -> np.ndarray:
        """The label of each paragraph in `X` (a list of str)."""
        return self.classes_[self._checked_proba(X, stacklevel=3).argmax(axis=1)]

    def _fast(self) -> _FastPipeline:
        # Built on first use, not pickled: derived from pipeline_, which stays the source of truth.
        fast = self.__dict__.get("_fast_pipeline")
        if fast is None:
            fast = self.__dict__["_fast_pipeline"] = _FastPipeline.from_pipeline(self.pipeline_)
        return fast

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state.pop("_fast_pipeline", None)
        return state

    def __setstate__(self, state: dict) -> None:
        # A model saved before page context existed labels each paragraph alone, and its parameters
        # say so (get_params, clone and repr need every __init__ parameter).
        state.setdefault("page_context_weight", 0.0)
        if "pipeline_" in state:  # only a fitted model has fitted attributes
            state.setdefault("page_context_weight_", 0.0)
        super().__setstate__(state)

    def linguistic_feature_count(self) -> int:
        """How many linguistic features the fitted model was built on (paragraphfeatures.FEATURE_NAMES
        of the cleaner that built it)."""
        linguistic = dict(self.pipeline_.named_steps["features"].transformer_list)["linguistic"]
        return int(linguistic.steps[-1][1].n_features_in_)  # the scaler fitted on them

    def clear_caches(self) -> None:
        """Forget the per-word character n-gram columns (results never depend on them)."""
        self._fast().chars.clear()

    def predict_proba_page(self, X: Iterable[str], *, odds: Mapping[str, float] | None = None) -> np.ndarray:
        """`predict_proba` for the paragraphs of one page, in any order: each row is blended with
        the mean of the page's non-empty paragraphs (`page_context_weight_` of it, fixed by `fit`), as
        the cleaner labels a page. A model saved before page context existed blends nothing.

        `odds` ({label: factor}) is what the page itself says of its paragraphs, such as "opinion" on
        a page in an opinion section: each paragraph's odds of that label are multiplied by the factor
        before the blend."""
        factors = None if odds is None else self._odds_factors(odds)
        proba, filled = self._predict_proba(_paragraphs(X))
        if factors is not None and filled:
            shifted = proba[filled] * factors
            proba[filled] = shifted / shifted.sum(axis=1, keepdims=True)
        weight = self.page_context_weight_
        if weight and len(filled) > 1:
            page = proba[filled].mean(axis=0)
            proba[filled] = (1 - weight) * proba[filled] + weight * page
        return proba

    def _odds_factors(self, odds: Mapping[str, float]) -> np.ndarray:
        """One factor per class from {label: odds factor}; checked whether or not the page has text."""
        if not isinstance(odds, Mapping):
            raise TypeError(f"odds must be a mapping of label to factor, not {type(odds).__name__}")
        labels = [str(c) for c in self.classes_]
        unknown = [key for key in odds if key not in labels]
        if unknown:
            raise ValueError(f"odds name labels the model does not have: {unknown!r}; its labels are {labels}")
        values = list(odds.values())
        if not all(isinstance(v, numbers.Real) and not isinstance(v, bool) and 0 < v < math.inf for v in values):
            raise ValueError(f"odds must be positive, finite numbers, not {dict(odds)!r}")
        factors = np.array([float(odds.get(label, 1.0)) for label in labels])
        return factors / factors.max()  # the same odds, none above 1: tiny factors do not underflow to 0

    def labelled(
        self,
        X: Iterable[str],
        *,
        page: bool = False,
        odds: Mapping[str, float] | None = None,
        digits: int = SCORE_DIGITS,
    ) -> list[tuple[str, dict[str, float]]]:
        """Per paragraph, its label (from the unrounded probabilities) and {label: probability}
        rounded for reports; with `page`, the paragraphs are one page's (predict_proba_page, with
        the page's `odds`)."""
        if odds and not page:
            raise ValueError("odds are what a page says of its paragraphs: give them with page=True")
        proba = self.predict_proba_page(X, odds=odds) if page else self._checked_proba(X, stacklevel=3)
        return self.label_rows(proba, digits=digits)

    def label_rows(self, proba: np.ndarray, *, digits: int = SCORE_DIGITS) -> list[tuple[str, dict[str, float]]]:
        """Per row of probabilities (columns in `classes_`), its label and {label: probability}
        rounded to `digits` places."""
        labels = self.classes_[proba.argmax(axis=1)] if len(proba) else []
        return [
            (str(label), {str(c): round(float(p), digits) for c, p in zip(self.classes_, row)})
            for label, row in zip(labels, proba)
        ]


_WHITE_SPACES = re.compile(r"\s\s+")


def char_wb_ngrams(text: str, *, ngram_range: tuple[int, int]) -> list[str]:
    """The n-grams of TfidfVectorizer(analyzer="char_wb", lowercase=True) in the same order, built
    with slices per word instead of one append per n-gram."""
    low, high = ngram_range
    grams: list[str] = []
    for word in _WHITE_SPACES.sub(" ", text.lower()).split():
        padded = f" {word} "
        size = len(padded)
        for n in range(low, high + 1):
            if size <= n:  # a short word counts once, whole
                grams.append(padded)
                break
            grams.extend([padded[i : i + n] for i in range(size - n + 1)])
    return grams


def _weigh(counts: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    """Counts (no repeated columns within a row) → sublinear tf × idf, l2-normalised rows: a fitted
    TfidfVectorizer's arithmetic without its checks."""
    np.log(counts.data, counts.data)
    counts.data += 1.0
    counts.data *= idf[counts.indices]
    # normalize(norm="l2")'s own arithmetic, without its input checks (a millisecond a call).
    inplace_csr_row_normalize_l2(counts)
    return counts


def _indptr(lengths: list[int] | np.ndarray) -> np.ndarray:
    """CSR row pointers for rows of these lengths."""
    indptr = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    return indptr


class _TokenIds(dict):
    """Token → id; a token outside the vocabulary is -1 (looked up in C, one call per miss)."""

    def __missing__(self, token: str) -> int:
        return -1


@dataclass(frozen=True)
class _FastWordTfidf:
    """A fitted word TfidfVectorizer's transform, counted with arrays: every token becomes an id,
    and an n-gram's column is looked up by the number its ids spell (base: the number of ids)."""

    token_re: re.Pattern
    ngram_range: tuple[int, int]
    idf: np.ndarray
    token_ids: _TokenIds
    keys: tuple[np.ndarray, ...]  # per n-gram size: sorted n-gram numbers...
    columns: tuple[np.ndarray, ...]  # ...and their vocabulary columns

    @classmethod
    def from_vectorizer(cls, vectorizer: TfidfVectorizer) -> _FastWordTfidf:
        _check_settings(vectorizer, analyzer="word")
        token_ids = _TokenIds()
        split = [(term.split(" "), column) for term, column in vectorizer.vocabulary_.items()]
        for tokens, _ in split:
            for token in tokens:
                token_ids.setdefault(token, len(token_ids))
        base = len(token_ids)
        low, high = vectorizer.ngram_range
        if base**high >= 2**63:
            raise ValueError(f"{high}-grams over {base} tokens do not fit the 64-bit n-gram numbers")
        keys, columns = [], []
        for n in range(low, high + 1):
            pairs = sorted(
                (_number([token_ids[t] for t in tokens], base), c) for tokens, c in split if len(tokens) == n
            )
            keys.append(np.array([k for k, _ in pairs], dtype=np.int64))
            columns.append(np.array([c for _, c in pairs], dtype=np.int64))
        token_re = re.compile(vectorizer.token_pattern)
        return cls(token_re, (low, high), vectorizer.idf_, token_ids, tuple(keys), tuple(columns))

    def transform(self, texts: list[str]) -> sparse.csr_matrix:
        findall = self.token_re.findall
        tokens_per_text = [findall(text.lower()) for text in texts]
        lengths = [len(tokens) for tokens in tokens_per_text]
        tokens = chain.from_iterable(tokens_per_text)
        ids = np.fromiter(map(self.token_ids.__getitem__, tokens), dtype=np.int64, count=sum(lengths))
        text = np.repeat(np.arange(len(texts)), lengths)
        base = len(self.token_ids)
        rows, found = [], []
        for n, keys, columns in zip(range(self.ngram_range[0], self.ngram_range[1] + 1), self.keys, self.columns):
            if len(ids) < n or not len(keys):
                continue
            end = len(ids) - n + 1
            number = np.zeros(end, dtype=np.int64)
            known = text[:end] == text[n - 1 :]  # the n-gram stays inside one text
            for j in range(n):
                part = ids[j : j + end]
                known &= part >= 0
                number = number * base + part
            at = np.searchsorted(keys, number).clip(max=len(keys) - 1)
            hit = known & (keys[at] == number)
            rows.append(text[:end][hit])
            found.append(columns[at[hit]])
        row_array = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
        column_array = np.concatenate(found) if found else np.zeros(0, dtype=np.int64)
        order = np.argsort(row_array, kind="stable")
        counts = sparse.csr_matrix(
            (np.ones(len(order)), column_array[order], _indptr(np.bincount(row_array, minlength=len(texts)))),
            shape=(len(texts), len(self.idf)),
        )
        counts.sum_duplicates()
        return _weigh(counts, self.idf)


def _check_settings(vectorizer: TfidfVectorizer, *, analyzer: str) -> None:
    """The fast transforms compute what TfidfVectorizer computes with the settings we train with.
    They lower-case but do not mask quotes: with masked_lowercase as the preprocessor, _FastPipeline
    masks the texts it gives them."""
    expected = {
        "analyzer": analyzer, "lowercase": True, "tokenizer": None, "stop_words": None,
        "strip_accents": None, "binary": False, "use_idf": True, "sublinear_tf": True, "norm": "l2",
    }  # fmt: skip
    if vectorizer.preprocessor not in (None, masked_lowercase):
        raise ValueError(f"no fast transform for a vectorizer with preprocessor {vectorizer.preprocessor!r}")
    if analyzer == "word":
        expected["token_pattern"] = r"(?u)\b\w\w+\b"
    found = {name: getattr(vectorizer, name) for name in expected}
    if found != expected:
        raise ValueError(f"no fast transform for a vectorizer with {found}; expected {expected}")


def _number(ids: list[int], base: int) -> int:
    number = 0
    for i in ids:
        number = number * base + i
    return number


class _WordRows(dict):
    """Word → its row among the stored words; a word met for the first time is stored on lookup."""

    def __init__(self, store: Callable[[str], int]) -> None:
        super().__init__()
        self.store = store

    def __missing__(self, word: str) -> int:
        row = self[word] = self.store(word)
        return row


class _FastCharTfidf:
    """A fitted char_wb TfidfVectorizer's transform, counted word by word: a word's n-grams never
    cross into its neighbours, so each distinct word's vocabulary columns and counts are worked out
    once and stored as a row of a growing sparse matrix. A batch's counts are then one sparse
    product: (texts × words met, occurrences) @ (words × n-grams)."""

    def __init__(self, vectorizer: TfidfVectorizer) -> None:
        _check_settings(vectorizer, analyzer="char_wb")
        self.vocabulary = vectorizer.vocabulary_
        self.idf = vectorizer.idf_
        self.ngram_range = vectorizer.ngram_range
        # The store is shared by every thread using the model (Dask workers run several threads).
        self._lock = threading.Lock()
        self.clear()

    def clear(self) -> None:
        """Forget the stored words (results never depend on them)."""
        with self._lock:
            self._clear()

    def _clear(self) -> None:
        self.rows = _WordRows(self._store)
        self.key_chars = 0
        # int32, the index type scipy picks for these sizes: a matrix over these arrays copies nothing.
        self.indptr = _GrowingArray(np.int32, (0,))
        self.indices = _GrowingArray(np.int32)
        self.counts = _GrowingArray(np.float64)
        self._pending: tuple[list[int], list[int], list[int]] = ([], [], [])

    def _store(self, word: str) -> int:
        tally = Counter(
            column
            for gram in char_wb_ngrams(word, ngram_range=self.ngram_range)
            if (column := self.vocabulary.get(gram)) is not None
        )
        indices, counts, ends = self._pending
        indices.extend(tally)
        counts.extend(tally.values())
        ends.append(len(self.indices) + len(indices))
        self.key_chars += len(word)
        return len(self.indptr) + len(ends) - 2

    def transform(self, texts: list[str]) -> sparse.csr_matrix:
        with self._lock:
            return self._transform(texts)

    def _transform(self, texts: list[str]) -> sparse.csr_matrix:
        # Bounded memory: words (a Chinese paragraph is one long "word"), their characters, n-grams.
        if (
            len(self.rows) > MAX_CACHED_WORDS
            or self.key_chars > MAX_CACHED_CHARS
            or len(self.indices) > MAX_CACHED_NGRAMS
        ):
            self._clear()
        words_per_text = [text.lower().split() for text in texts]
        lengths = [len(words) for words in words_per_text]
        words = chain.from_iterable(words_per_text)
        word_rows = np.fromiter(map(self.rows.__getitem__, words), dtype=np.int64, count=sum(lengths))
        indices, counts, ends = self._pending
        if ends:
            self.indices.extend(indices)
            self.counts.extend(counts)
            self.indptr.extend(ends)
            self._pending = ([], [], [])
        stored = sparse.csr_matrix(
            (self.counts.values, self.indices.values, self.indptr.values),
            shape=(len(self.indptr) - 1, len(self.idf)),
            copy=False,
        )
        occurrences = sparse.csr_matrix(
            (np.ones(len(word_rows)), word_rows, _indptr(lengths)), shape=(len(texts), stored.shape[0])
        )
        counts = occurrences @ stored
        counts.sort_indices()  # the vectorizer's column order, so sums round exactly as its do
        return _weigh(counts, self.idf)


class _GrowingArray:
    """A one-dimensional array that grows at its end in amortised constant time per item."""

    def __init__(self, dtype: type, initial: tuple = ()) -> None:
        self._data = np.zeros(1024, dtype=dtype)
        self._size = 0
        self.extend(initial)

    def __len__(self) -> int:
        return self._size

    @property
    def values(self) -> np.ndarray:
        return self._data[: self._size]

    def extend(self, items: Sequence) -> None:
        end = self._size + len(items)
        if end > len(self._data):
            grown = np.zeros(max(end, 2 * len(self._data)), dtype=self._data.dtype)
            grown[: self._size] = self.values
            self._data = grown
        self._data[self._size : end] = items
        self._size = end


@dataclass(frozen=True)
class _FastPipeline:
    """The fitted pipeline's arithmetic without scikit-learn's per-call input checks, which cost
    several milliseconds a call, more than a page's paragraphs: the same analyzers, vocabularies and
    idf weights; the scaler's mean and scale; every calibration fold's SVM as one block of a single
    weight matrix; the folds' sigmoid calibrations averaged as CalibratedClassifierCV does."""

    words: _FastWordTfidf
    chars: _FastCharTfidf
    linguistic: ParagraphFeatures
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray  # (features, rows of all folds' SVMs)
    bias: np.ndarray
    folds: tuple  # per fold: (first row, number of rows, class index per row, sigmoid a, sigmoid b)
    n_classes: int

    @classmethod
    def from_pipeline(cls, pipeline: Pipeline) -> _FastPipeline:
        union, calibrated = pipeline.named_steps["features"], pipeline.named_steps["classifier"]
        steps = dict(union.transformer_list)
        for name in ("words", "chars"):
            if steps[name].preprocessor is not masked_lowercase:
                raise ValueError(f"no fast path for {name} n-grams without masked_lowercase as their preprocessor")
        linguistic, scaler = steps["linguistic"].steps[0][1], steps["linguistic"].steps[1][1]
        weights, bias, folds, row = [], [], [], 0
        for fold in calibrated.calibrated_classifiers_:
            svm = fold.estimator
            weights.append(svm.coef_)
            bias.append(np.atleast_1d(svm.intercept_))
            classes = np.searchsorted(fold.classes, svm.classes_)
            if len(fold.classes) == 2:
                classes = classes[1:]  # a binary SVM scores the second class only
            a = np.array([c.a_ for c in fold.calibrators])
            b = np.array([c.b_ for c in fold.calibrators])
            folds.append((row, len(svm.coef_), classes, a, b))
            row += len(svm.coef_)
        return cls(
            _FastWordTfidf.from_vectorizer(steps["words"]),
            _FastCharTfidf(steps["chars"]),
            linguistic,
            scaler.mean_,
            scaler.scale_,
            np.vstack(weights).T,
            np.concatenate(bias),
            tuple(folds),
            len(calibrated.classes_),
        )

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        dense = (self.linguistic.transform(texts) - self.mean) / self.scale
        # One sparse matrix, as the pipeline's FeatureUnion builds it: each score sums the same terms
        # in the same order as scikit-learn does, whatever the batch (a BLAS product would not).
        read = [mask_quotes(text) for text in texts]  # what masked_lowercase gives, before lower-casing
        blocks = [self.words.transform(read), self.chars.transform(read), sparse.csr_matrix(dense)]
        scores = sparse.hstack(blocks, format="csr") @ self.weights + self.bias
        total = np.zeros((len(texts), self.n_classes))
        for first, rows, classes, a, b in self.folds:
            proba = np.zeros_like(total)
            proba[:, classes] = expit(-(a * scores[:, first : first + rows] + b))
            if self.n_classes == 2:
                proba[:, 0] = 1.0 - proba[:, 1]
            else:
                denominator = proba.sum(axis=1, keepdims=True)
                proba = np.divide(
                    proba, denominator, out=np.full_like(proba, 1 / self.n_classes), where=denominator != 0
                )
            proba[(proba > 1.0) & (proba <= 1.0 + 1e-5)] = 1.0
            total += proba
        return total / len(self.folds)


def fit_classifier(data: Sequence[LabelledParagraph]) -> ParagraphClassifier:
    return ParagraphClassifier().fit([p.text for p in data], [p.label for p in data])


def classification_report(truth: Sequence[str], predicted: Sequence[str]) -> dict:
    """Per-class precision/recall/F1, macro-F1 and the confusion matrix (rows: truth)."""
    known = set(truth) | set(predicted)
    labels = [label for label in LABELS if label in known] + sorted(known - set(LABELS))
    precision, recall, f1, support = precision_recall_fscore_support(truth, predicted, labels=labels, zero_division=0)
    return {
        "labels": labels,
        "per_class": {
            label: {
                "precision": round(float(p), 4),
                "recall": round(float(r), 4),
                "f1": round(float(f), 4),
                "support": int(s),
            }
            for label, p, r, f, s in zip(labels, precision, recall, f1, support)
        },
        "macro_f1": round(float(f1_score(truth, predicted, labels=labels, average="macro", zero_division=0)), 4),
        "confusion_matrix": confusion_matrix(truth, predicted, labels=labels).tolist(),
        "n": len(truth),
    }


def cross_validate(data: Sequence[LabelledParagraph], *, folds: int = CV_FOLDS) -> dict:
    """Stratified folds that never split a document; scores over the out-of-fold predictions."""
    labels = [p.label for p in data]
    groups = [p.doc for p in data]
    predicted = [""] * len(data)
    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=SEED)
    splits = list(splitter.split(np.zeros(len(data)), labels, groups))
    for train, _ in splits:  # checked before any fitting: a fold can hold most of a rare label
        if problem := label_problem([labels[i] for i in train], min_per_label=CALIBRATION_FOLDS):
            raise DataError(
                f"cross-validation by document cannot be done on these data: a training fold has {problem} "
                "(add paragraphs of that label, in more documents, or train with --no-cv)"
            )
    for train, test in splits:
        model = fit_classifier([data[i] for i in train])
        for i, label in zip(test, model.predict([data[i].text for i in test])):
            predicted[i] = str(label)
    report = classification_report(labels, predicted)
    report["method"] = f"{folds}-fold stratified cross-validation grouped by document, each paragraph alone"
    return report
