"""A cleaning run over files and folders, written to a report folder.

Per document: `<id>.json` (the document with its blocks and line decisions) and `<id>.txt` (the
clean article). For the run: `summary.csv` (one row per document) and `failures.csv` (inputs
that could not be cleaned, and why). Every file is written atomically; inputs are never touched.
"""

from __future__ import annotations

import csv
import glob
import hashlib
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .api import clean
from .atomic import write_text
from .document import Document
from .duplicates import near_duplicate_signal, near_duplicates
from .errors import CleanerError, InputError
from .html_report import document_html, index_html
from .htmlinput import HTML_SUFFIXES
from .options import CleanOptions
from .paths import seeds_dir
from .report import Report, source_name
from .textinput import read_source

SUMMARY_COLUMNS = (
    "id", "source", "title", "author", "date", "body_blocks", "kept_chars", "boilerplate_chars", "score", "band",
    "type_of_work",
)  # fmt: skip
PAGE_SUFFIXES = (".txt", ".text", *HTML_SUFFIXES)
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class RunResult:
    documents: list[tuple[str, Document]]
    failures: list[tuple[str, str]]  # (input, one-line problem)
    out: Path


def default_inputs() -> list[Path]:
    return [seeds_dir() / "demo"]


def expand_inputs(inputs: Iterable[str | Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Files from files, folders (recursive) and glob patterns; problems are reported, not raised."""
    files: list[Path] = []
    problems: list[tuple[str, str]] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.name.lower().endswith(PAGE_SUFFIXES))
            if not found:
                problems.append((str(item), f"no pages ({', '.join(PAGE_SUFFIXES)}) in this folder"))
            files.extend(found)
        elif path.is_file():
            files.append(path)
        elif glob.has_magic(str(item)):
            matched = sorted(Path(p) for p in glob.glob(str(item), recursive=True) if Path(p).is_file())
            if not matched:
                problems.append((str(item), "the pattern matches no file"))
            files.extend(matched)
        else:
            problems.append((str(item), "no such file or folder"))
    unique = list(dict.fromkeys(p.resolve() for p in files))
    return unique, problems


def document_ids(paths: list[Path]) -> dict[Path, str]:
    """Readable, distinct ids: the file stem, plus a short path hash where stems collide."""
    stems: dict[str, int] = {}
    for p in paths:
        stems[p.stem] = stems.get(p.stem, 0) + 1
    ids = {}
    for p in paths:
        stem = _ID_UNSAFE.sub("_", p.stem) or "page"
        if stems[p.stem] > 1:
            stem += "-" + hashlib.sha256(str(p).encode()).hexdigest()[:8]
        ids[p] = stem
    return ids


def run(inputs: Iterable[str | Path], out: Path, *, options: CleanOptions | None = None, progress=None) -> RunResult:
    options = options or CleanOptions()
    paths, failures = expand_inputs(inputs)
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise InputError(str(out), f"output folder not writable ({exc.strerror or exc})") from None
    ids = document_ids(paths)
    documents: list[tuple[str, Document]] = []
    for path in paths:
        try:
            data, source = read_source(str(path), max_bytes=options.max_bytes)
            documents.append((ids[path], clean(data, source=source, options=options)))
        except CleanerError as exc:
            failures.append((str(path), str(exc)))
        if progress is not None:
            progress(path)
    # Run-level signals need every document first: near-duplicates, then per-source averages.
    duplicates = near_duplicates(documents) if options.labels else {}
    assessments: dict[str, dict] = {}
    reports: list[tuple[str, Report]] = []
    for doc_id, doc in documents:
        if options.labels:
            run_signals = (near_duplicate_signal(duplicates.get(doc_id), len(documents)),)
            report = Report.of(doc, run_signals=run_signals)
            reports.append((doc_id, report))
            payload = report.to_dict()
            assessments[doc_id] = payload["assessment"]
            write_text(out / f"{doc_id}.html", document_html(report))
        else:
            payload = doc.to_dict(detailed=True)
        write_text(out / f"{doc_id}.json", json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        write_text(out / f"{doc_id}.txt", doc.article_text() + "\n")
    write_text(out / "summary.csv", _summary_csv(documents, assessments))
    if options.labels:
        sources = _sources(documents, assessments)
        write_text(out / "sources.csv", _csv([("source", "documents", "mean_score", "lowest", "highest"), *sources]))
        write_text(out / "index.html", index_html(reports, sources, failures))
    write_text(out / "failures.csv", _csv([("input", "problem"), *failures]))
    return RunResult(documents, failures, out)


def _sources(documents: list[tuple[str, Document]], assessments: dict[str, dict]) -> list[tuple]:
    """Per source: documents, mean, lowest and highest score."""
    scores: dict[str, list[float]] = {}
    for doc_id, doc in documents:
        scores.setdefault(source_name(doc), []).append(assessments[doc_id]["score"])
    return [
        (name, len(values), round(sum(values) / len(values), 1), min(values), max(values))
        for name, values in sorted(scores.items())
    ]


def _csv(rows: Iterable[tuple]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def _summary_csv(documents: list[tuple[str, Document]], assessments: dict[str, dict]) -> str:
    rows: list[tuple] = [SUMMARY_COLUMNS]
    for doc_id, doc in documents:
        assessment = assessments.get(doc_id, {})
        body = [b for b in doc.blocks if b.kind in ("body", "heading")]
        dropped = sum(len(b.text) for b in doc.blocks if b.kind == "boilerplate")
        m = doc.metadata
        rows.append(
            (
                doc_id,
                doc.source,
                m.title or "",
                m.author or "",
                m.date_iso or m.date or "",
                len(body),
                sum(len(b.text) for b in body),
                dropped,
                assessment.get("score", ""),
                assessment.get("band", ""),
                assessment.get("type_of_work", ""),
            )
        )
    return _csv(rows)
