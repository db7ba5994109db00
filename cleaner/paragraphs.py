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

from collections.abc import Sequence

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.pipeline import FeatureUnion, Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC

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
CHAR_NGRAMS = (2, 5)
MAX_WORD_FEATURES = 40_000
MAX_CHAR_FEATURES = 60_000
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
            raw = self.pipeline_.predict_proba(_clip([texts[i] for i in filled])) / self.class_prior_
            proba[filled] = raw / raw.sum(axis=1, keepdims=True)
        empty = [i for i, t in enumerate(texts) if not t.strip()]
        if empty and EMPTY_LABEL in self.classes_:
            proba[empty] = (self.classes_ == EMPTY_LABEL).astype(np.float64)
        return proba

    def predict(self, X: Sequence[str]) -> np.ndarray:
        return self.classes_[self.predict_proba(X).argmax(axis=1)]

    def scores(self, X: Sequence[str], *, digits: int = 4) -> list[dict[str, float]]:
        """Per paragraph, {label: probability}, rounded for reports."""
        return [
            {str(label): round(float(p), digits) for label, p in zip(self.classes_, row)}
            for row in self.predict_proba(X)
        ]


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
