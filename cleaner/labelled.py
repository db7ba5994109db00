"""Labelled paragraphs: reading training and evaluation data in the formats users have.

JSON Lines and CSV with `text` and `label` columns (optional `doc`, `topic`, `style`), and the
CheckThat! 2023 subjectivity TSV (OBJ becomes reporting, SUBJ opinion). Every error names the file
and line.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import CleanerError

LABELS = ("reporting", "opinion", "filler")
# CheckThat! subjectivity labels mapped onto ours.
CHECKTHAT_LABELS = {"OBJ": "reporting", "SUBJ": "opinion"}
FORMATS = (".jsonl", ".csv", ".tsv")


class DataError(CleanerError):
    """Training or evaluation data that cannot be used; the message names the file and line."""


@dataclass(frozen=True)
class LabelledParagraph:
    text: str
    label: str
    doc: str  # paragraphs of one document stay in one cross-validation fold
    topic: str = ""
    style: str = ""


def data_hash(data: Sequence[LabelledParagraph]) -> str:
    """sha256 over the labelled paragraphs, to record what a model was trained on."""
    digest = hashlib.sha256()
    for p in data:
        digest.update(json.dumps([p.doc, p.label, p.text], ensure_ascii=False).encode() + b"\n")
    return digest.hexdigest()


def _check_label(label: str, path: Path, line: int) -> str:
    if label not in LABELS:
        raise DataError(f"{path}:{line}: unknown label {label!r} (expected one of {', '.join(LABELS)})")
    return label


def _require(record: dict, field: str, path: Path, line: int) -> str:
    value = record.get(field)
    if not isinstance(value, str) or not value.strip():
        raise DataError(f"{path}:{line}: missing or empty column {field!r}")
    return value


def _doc(record: dict, path: Path, number: int) -> str:
    doc = record.get("doc")
    return f"{path.name}:{number}" if doc is None or doc == "" else str(doc)  # 0 is a document id


def read_jsonl(path: Path) -> list[LabelledParagraph]:
    out = []
    # Split on "\n" only: JSON strings may hold U+2028 or U+0085 raw, which splitlines() splits on.
    for number, row in enumerate(path.read_text(encoding="utf-8-sig").split("\n"), 1):
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
        doc = _doc(record, path, number)
        out.append(LabelledParagraph(text, label, doc, str(record.get("topic", "")), str(record.get("style", ""))))
    return out


@contextmanager
def _csv_errors(path: Path, line: Callable[[], int]) -> Iterator[None]:
    """Fields as long as a page (the csv module stops at 128 KB), and its errors as data errors."""
    previous = csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_LIMIT))
    try:
        yield
    except csv.Error as exc:
        raise DataError(f"{path}:{line()}: not valid CSV ({exc})") from None
    finally:
        csv.field_size_limit(previous)


# The longest field a data file may hold: far beyond any paragraph.
CSV_FIELD_LIMIT = 64 * 1024 * 1024


def read_csv(path: Path) -> list[LabelledParagraph]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        with _csv_errors(path, lambda: reader.line_num + 1):  # the line being read when it failed
            return _csv_records(reader, path)


def _csv_records(reader: csv.DictReader, path: Path) -> list[LabelledParagraph]:
    for column in ("text", "label"):
        if column not in (reader.fieldnames or []):
            raise DataError(f"{path}:1: missing column {column!r} in the header")
    out = []
    for record in reader:
        number = reader.line_num
        text = _require(record, "text", path, number)
        label = _check_label(_require(record, "label", path, number), path, number)
        doc = _doc(record, path, number)
        out.append(LabelledParagraph(text, label, doc, record.get("topic") or "", record.get("style") or ""))
    return out


def read_checkthat(path: Path) -> list[LabelledParagraph]:
    """CheckThat! 2023 task 2 TSV: sentence_id, sentence, label (OBJ/SUBJ)[, solved_conflict]."""
    out = []
    number = 0
    with path.open(encoding="utf-8-sig", newline="") as handle, _csv_errors(path, lambda: number + 1):
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
        files = sorted(p for p in path.rglob("*") if p.suffix.lower() in FORMATS)
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


def label_problem(labels: Iterable[object], *, min_per_label: int) -> str | None:
    """Why a classifier cannot be fitted on these labels (one label only, or one too rare), or None."""
    counts = Counter(map(str, labels))
    if len(counts) < 2:
        return f"only one label ({', '.join(counts) or 'none'}); training needs at least two"
    few = sorted(label for label, n in counts.items() if n < min_per_label)
    if few:
        found = ", ".join(f"{label} {counts[label]}" for label in few)
        return f"too few paragraphs of {found}; each label needs at least {min_per_label}"
    return None


def check_trainable(data: Sequence[LabelledParagraph], source: str, *, min_per_label: int, min_documents: int) -> None:
    """Refuse data a model cannot be fitted on, in words rather than as a scikit-learn error."""
    problem = label_problem([p.label for p in data], min_per_label=min_per_label)
    if problem:
        raise DataError(f"{source}: {problem}")
    documents = len({p.doc for p in data})
    if documents < min_documents:
        raise DataError(
            f"{source}: {documents} documents; cross-validation by document needs at least {min_documents} "
            "(or train with --no-cv)"
        )
