"""The paragraph classifier: reporting, opinion or filler, with calibrated probabilities.

A scikit-learn Pipeline joins word n-grams, character n-grams and the hand-designed linguistic
features of paragraphfeatures, and feeds them to a linear SVM whose scores become probabilities by
sigmoid calibration (CalibratedClassifierCV). Every random step has a fixed seed.

Probabilities are reported as if the classes were equally common: the calibrated posteriors are
divided by each class's share of the training data and renormalised. Users train on data with any
mix of classes (CheckThat! is two-thirds objective sentences) and apply the model to pages with
another mix; a balanced decision does not carry the training mix over.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial

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
from sklearn.utils.sparsefuncs_fast import inplace_csr_row_normalize_l2

from .labelled import LABELS, LabelledParagraph
from .paragraphfeatures import MAX_CHARS, ParagraphFeatures

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
# Reports show probabilities to this many places.
SCORE_DIGITS = 4
# Distinct words whose character n-gram columns are kept between calls.
MAX_CACHED_WORDS = 200_000
MAX_CACHED_WORD_CHARS = 40
# An empty paragraph says nothing: it is filler when the model knows that class.
EMPTY_LABEL = "filler"


def _clip(texts: Sequence[str]) -> list[str]:
    return [t[:MAX_CHARS] for t in texts]


class ParagraphClassifier(ClassifierMixin, BaseEstimator):
    """Labels paragraphs; `predict_proba` columns follow `classes_` (sorted label names)."""

    def __init__(
        self,
        *,
        C: float = SVM_C,
        calibration_folds: int = CALIBRATION_FOLDS,
        max_word_features: int = MAX_WORD_FEATURES,
        max_char_features: int = MAX_CHAR_FEATURES,
        random_state: int = SEED,
    ) -> None:
        self.C = C
        self.calibration_folds = calibration_folds
        self.max_word_features = max_word_features
        self.max_char_features = max_char_features
        self.random_state = random_state

    def _pipeline(self) -> Pipeline:
        features = FeatureUnion(
            [
                (
                    "words",
                    TfidfVectorizer(
                        ngram_range=WORD_NGRAMS, min_df=2, sublinear_tf=True, max_features=self.max_word_features
                    ),
                ),
                (
                    "chars",
                    TfidfVectorizer(
                        analyzer="char_wb",
                        ngram_range=CHAR_NGRAMS,
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
        labels = np.asarray(y)
        self.pipeline_ = self._pipeline().fit(_clip(X), labels)
        self.classes_ = self.pipeline_.classes_
        counts = np.array([(labels == c).sum() for c in self.classes_], dtype=np.float64)
        self.class_prior_ = counts / counts.sum()
        return self

    def predict_proba(self, X: Sequence[str]) -> np.ndarray:
        texts = list(X)
        proba = np.full((len(texts), len(self.classes_)), 1.0 / len(self.classes_))
        filled = [i for i, t in enumerate(texts) if t.strip()]
        if filled:
            raw = self._fast().predict_proba(_clip([texts[i] for i in filled])) / self.class_prior_
            proba[filled] = raw / raw.sum(axis=1, keepdims=True)
        empty = [i for i, t in enumerate(texts) if not t.strip()]
        if empty and EMPTY_LABEL in self.classes_:
            proba[empty] = (self.classes_ == EMPTY_LABEL).astype(np.float64)
        return proba

    def predict(self, X: Sequence[str]) -> np.ndarray:
        return self.classes_[self.predict_proba(X).argmax(axis=1)]

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

    def clear_caches(self) -> None:
        """Forget the per-word character n-gram columns (results never depend on them)."""
        for features in self._fast().text_features:
            if isinstance(features, _FastCharTfidf):
                features.words.clear()

    def labelled(self, X: Sequence[str], *, digits: int = SCORE_DIGITS) -> list[tuple[str, dict[str, float]]]:
        """Per paragraph, its label (from the unrounded probabilities) and {label: probability}
        rounded for reports."""
        proba = self.predict_proba(X)
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


@dataclass(frozen=True)
class _FastTfidf:
    """A fitted TfidfVectorizer's transform (sublinear tf, idf, l2 norm) without its checks."""

    analyze: Callable[[str], list[str]]
    vocabulary: dict[str, int]
    idf: np.ndarray

    def transform(self, texts: list[str]) -> sparse.csr_matrix:
        indices, indptr, data = [], [0], []
        vocabulary = self.vocabulary
        for text in texts:
            for token, count in Counter(self.analyze(text)).items():
                column = vocabulary.get(token)
                if column is not None:
                    indices.append(column)
                    data.append(count)
            indptr.append(len(indices))
        return self._weigh(indices, data, indptr)

    def _weigh(self, indices: list[int], data: list[int], indptr: list[int]) -> sparse.csr_matrix:
        """Counts (CSR parts, repeated columns allowed) → sublinear tf × idf, l2-normalised rows."""
        matrix = sparse.csr_matrix(
            (np.asarray(data, dtype=np.float64), np.asarray(indices, dtype=np.int64), np.asarray(indptr)),
            shape=(len(indptr) - 1, len(self.idf)),
        )
        matrix.sum_duplicates()  # also sorts the indices
        np.log(matrix.data, matrix.data)
        matrix.data += 1.0
        matrix.data *= self.idf[matrix.indices]
        # normalize(norm="l2")'s own arithmetic, without its input checks (a millisecond a call).
        inplace_csr_row_normalize_l2(matrix)
        return matrix


@dataclass(frozen=True)
class _FastCharTfidf(_FastTfidf):
    """The same transform for character n-grams within words (char_wb), counted word by word: a
    word's n-grams never cross into its neighbours, so each distinct word's vocabulary columns are
    worked out once and reused; words repeat so much that most lookups hit."""

    ngram_range: tuple[int, int] = CHAR_NGRAMS
    words: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = field(default_factory=dict)

    def _columns(self, word: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
        hit = self.words.get(word)
        if hit is None:
            counts = Counter(
                self.vocabulary[g] for g in char_wb_ngrams(word, ngram_range=self.ngram_range) if g in self.vocabulary
            )
            hit = (tuple(counts), tuple(counts.values()))
            if len(word) <= MAX_CACHED_WORD_CHARS:  # long tokens are rare and would fill memory
                if len(self.words) >= MAX_CACHED_WORDS:
                    self.words.clear()  # bounded memory; results do not depend on the cache
                self.words[word] = hit
        return hit

    def transform(self, texts: list[str]) -> sparse.csr_matrix:
        indices: list[int] = []
        data: list[int] = []
        indptr = [0]
        for text in texts:
            for word in text.lower().split():
                columns, counts = self._columns(word)
                indices.extend(columns)
                data.extend(counts)
            indptr.append(len(indices))
        return self._weigh(indices, data, indptr)


@dataclass(frozen=True)
class _FastPipeline:
    """The fitted pipeline's arithmetic without scikit-learn's per-call input checks, which cost
    several milliseconds a call, more than a page's paragraphs: the same analyzers, vocabularies and
    idf weights; the scaler's mean and scale; every calibration fold's SVM as one block of a single
    weight matrix; the folds' sigmoid calibrations averaged as CalibratedClassifierCV does."""

    text_features: tuple[_FastTfidf, ...]
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
        chars = steps["chars"]
        text_features = (
            _FastTfidf(steps["words"].build_analyzer(), steps["words"].vocabulary_, steps["words"].idf_),
            _FastCharTfidf(
                partial(char_wb_ngrams, ngram_range=chars.ngram_range), chars.vocabulary_, chars.idf_, chars.ngram_range
            ),
        )
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
            text_features,
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
        X = sparse.hstack([*(f.transform(texts) for f in self.text_features), sparse.csr_matrix(dense)]).tocsr()
        scores = np.asarray(X @ self.weights) + self.bias
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
    for train, test in splitter.split(np.zeros(len(data)), labels, groups):
        model = fit_classifier([data[i] for i in train])
        for i, label in zip(test, model.predict([data[i].text for i in test])):
            predicted[i] = str(label)
    report = classification_report(labels, predicted)
    report["method"] = f"{folds}-fold stratified cross-validation grouped by document"
    return report
