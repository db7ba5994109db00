"""The paragraph classifier: reporting, opinion or filler, with calibrated probabilities.

A scikit-learn Pipeline joins word n-grams, character n-grams and the hand-designed linguistic
features of paragraphfeatures, and feeds them to a linear SVM whose scores are turned into
probabilities by sigmoid calibration (CalibratedClassifierCV). Every random step has a fixed seed.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.pipeline import FeatureUnion, Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC

from .errors import CleanerError
from .paragraphfeatures import ParagraphFeatures

LABELS = ("reporting", "opinion", "filler")
# CheckThat! subjectivity labels mapped onto ours.
CHECKTHAT_LABELS = {"OBJ": "reporting", "SUBJ": "opinion"}
# Regularisation of the linear SVM (smaller C: smoother weights) and calibration folds.
SVM_C = 0.5
CALIBRATION_FOLDS = 5
CV_FOLDS = 5
SEED = 0
# A paragraph is cut to this many characters before vectorising (see paragraphfeatures).
MAX_CHARS = 5000


class DataError(CleanerError):
    """Training or evaluation data that cannot be used; the message names the file and line."""


@dataclass(frozen=True)
class LabelledParagraph:
    text: str
    label: str
    doc: str  # paragraphs of one document stay in one cross-validation fold
    topic: str = ""
    style: str = ""


def _clip(texts: Sequence[str]) -> list[str]:
    return [t[:MAX_CHARS] for t in texts]


def build_pipeline() -> Pipeline:
    features = FeatureUnion(
        [
            ("words", TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=40000)),
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True,
                                      max_features=60000)),
            ("linguistic", make_pipeline(ParagraphFeatures(), StandardScaler())),
        ]
    )
    classifier = CalibratedClassifierCV(
        LinearSVC(C=SVM_C, class_weight="balanced", random_state=SEED),
        method="sigmoid",
        cv=CALIBRATION_FOLDS,
    )
    return Pipeline([("features", features), ("classifier", classifier)])


class ParagraphClassifier:
    """predict / predict_proba over a list of paragraphs; labels in LABELS order where known."""

    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(self.pipeline.classes_)

    def predict_proba(self, paragraphs: Sequence[str]) -> np.ndarray:
        if not paragraphs:
            return np.zeros((0, len(self.labels)))
        return self.pipeline.predict_proba(_clip(paragraphs))

    def predict(self, paragraphs: Sequence[str]) -> list[str]:
        proba = self.predict_proba(paragraphs)
        return [self.labels[i] for i in proba.argmax(axis=1)]

    def scores(self, paragraphs: Sequence[str]) -> list[dict[str, float]]:
        proba = self.predict_proba(paragraphs)
        return [{label: round(float(p), 4) for label, p in zip(self.labels, row)} for row in proba]


def fit_classifier(data: Sequence[LabelledParagraph]) -> ParagraphClassifier:
    pipeline = build_pipeline().fit(_clip([p.text for p in data]), [p.label for p in data])
    return ParagraphClassifier(pipeline)


def classification_report(truth: Sequence[str], predicted: Sequence[str]) -> dict:
    labels = [label for label in LABELS if label in set(truth) | set(predicted)]
    precision, recall, f1, support = precision_recall_fscore_support(
        truth, predicted, labels=labels, zero_division=0
    )
    return {
        "labels": labels,
        "per_class": {
            label: {"precision": round(float(p), 4), "recall": round(float(r), 4), "f1": round(float(f), 4),
                    "support": int(s)}
            for label, p, r, f, s in zip(labels, precision, recall, f1, support)
        },
        "macro_f1": round(float(f1_score(truth, predicted, labels=labels, average="macro", zero_division=0)), 4),
        "confusion_matrix": confusion_matrix(truth, predicted, labels=labels).tolist(),
        "n": len(truth),
    }


def cross_validate(data: Sequence[LabelledParagraph], *, folds: int = CV_FOLDS) -> dict:
    """Stratified folds that never split a document; macro-F1 over the out-of-fold predictions."""
    labels = [p.label for p in data]
    groups = [p.doc for p in data]
    predicted = [""] * len(data)
    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=SEED)
    for train, test in splitter.split(np.zeros(len(data)), labels, groups):
        model = fit_classifier([data[i] for i in train])
        for i, label in zip(test, model.predict([data[i].text for i in test])):
            predicted[i] = label
    report = classification_report(labels, predicted)
    report["method"] = f"{folds}-fold stratified cross-validation grouped by document"
    return report


# --- reading labelled data -------------------------------------------------------------------


def _check_label(label: str, path: Path, line: int) -> str:
    if label not in LABELS:
        raise DataError(f"{path}:{line}: unknown label {label!r} (expected one of {', '.join(LABELS)})")
    return label


def _require(record: dict, field: str, path: Path, line: int) -> str:
    value = record.get(field)
    if not isinstance(value, str) or not value.strip():
        raise DataError(f"{path}:{line}: missing or empty column {field!r}")
    return value


def read_jsonl(path: Path) -> list[LabelledParagraph]:
    out = []
    for number, row in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not row.strip():
            continue
        try:
            record = json.loads(row)
        except json.JSONDecodeError as exc:
            raise DataError(f"{path}:{number}: not valid JSON ({exc.msg})") from None
        if not isinstance(record, dict):
            raise DataError(f"{path}:{number}: expected a JSON object")
        text = _require(record, "text", path, number)
        label = _check_label(_require(record, "label", path, number), path, number)
        doc = str(record.get("doc") or f"{path.name}:{number}")
        out.append(LabelledParagraph(text, label, doc, str(record.get("topic", "")), str(record.get("style", ""))))
    return out


def read_csv(path: Path) -> list[LabelledParagraph]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        for column in ("text", "label"):
            if column not in (reader.fieldnames or []):
                raise DataError(f"{path}:1: missing column {column!r} in the header")
        out = []
        for record in reader:
            number = reader.line_num
            text = _require(record, "text", path, number)
            label = _check_label(_require(record, "label", path, number), path, number)
            doc = record.get("doc") or f"{path.name}:{number}"
            out.append(LabelledParagraph(text, label, doc, record.get("topic") or "", record.get("style") or ""))
        return out


def read_checkthat(path: Path) -> list[LabelledParagraph]:
    """CheckThat! 2023 task 2 TSV: sentence_id, sentence, label (OBJ/SUBJ)[, solved_conflict]."""
    out = []
    with path.open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE), 1):
            if not row or not any(cell.strip() for cell in row):
                continue
            if number == 1 and row[0].strip().lower() in {"sentence_id", "id"}:
                continue  # a header line
            if len(row) < 3:
                raise DataError(f"{path}:{number}: expected sentence_id, sentence, label (got {len(row)} columns)")
            sentence_id, sentence, raw = row[0], row[1], row[2].strip()
            if raw not in CHECKTHAT_LABELS:
                raise DataError(f"{path}:{number}: unknown label {raw!r} (expected OBJ or SUBJ)")
            if not sentence.strip():
                raise DataError(f"{path}:{number}: empty sentence")
            out.append(LabelledParagraph(sentence, CHECKTHAT_LABELS[raw], f"{path.name}:{sentence_id}"))
    return out


def read_labelled(path: Path) -> list[LabelledParagraph]:
    """Labelled paragraphs from a file (.jsonl, .csv, .tsv CheckThat!) or a folder of them."""
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.suffix in {".jsonl", ".csv", ".tsv"})
        if not files:
            raise DataError(f"{path}: no .jsonl, .csv or .tsv files")
        return [p for f in files for p in read_labelled(f)]
    if not path.exists():
        raise DataError(f"{path}: no such file")
    readers = {".jsonl": read_jsonl, ".csv": read_csv, ".tsv": read_checkthat}
    reader = readers.get(path.suffix.lower())
    if reader is None:
        raise DataError(f"{path}: unknown format (use .jsonl, .csv or CheckThat! .tsv)")
    try:
        data = reader(path)
    except UnicodeDecodeError:
        raise DataError(f"{path}: not UTF-8 text") from None
    if not data:
        raise DataError(f"{path}: no labelled paragraphs")
    return data
