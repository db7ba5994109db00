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
from collections.abc import Callable, Iterable
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from pathlib import Path

from joblib import Parallel, delayed
from pebble import ProcessExpired, ProcessPool

from .api import clean
from .atomic import write_text
from .document import Document, document_from_dict
from .duplicates import near_duplicate_signal, near_duplicates
from .errors import CleanerError, InputError
from .html_report import document_html, index_html
from .htmlinput import HTML_SUFFIXES
from .models import model_fingerprints
from .options import CleanOptions
from .paths import seeds_dir
from .report import Report, source_name
from .textinput import read_source

# Documents sent to a worker process at a time.
JOB_BATCH = 8
SUMMARY_COLUMNS = (
    "id", "source", "title", "author", "date", "body_blocks", "kept_chars", "boilerplate_chars", "score", "band",
    "type_of_work",
)  # fmt: skip
# Names of the run's own files, which no document id may take.
RESERVED_IDS = frozenset({"index", "summary", "sources", "failures"})
PAGE_SUFFIXES = (".txt", ".text", *HTML_SUFFIXES)
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class RunResult:
    documents: list[tuple[str, Document]]
    failures: list[tuple[str, str]]  # (input, one-line problem)
    out: Path
    reused: int = 0  # documents whose current report was kept instead of cleaning them again


def default_inputs() -> list[Path]:
    return [seeds_dir() / "demo"]


def expand_inputs(
    inputs: Iterable[str | Path], *, exclude: Path | None = None
) -> tuple[list[Path], list[tuple[str, str]]]:
    """Files from files, folders (recursive) and glob patterns; problems are reported, not raised.

    Inside folders, hidden files and anything under `exclude` (the run's own report folder, which
    may sit inside an input folder) are skipped."""
    files: list[Path] = []
    problems: list[tuple[str, str]] = []
    skip = exclude.resolve() if exclude is not None else None

    def wanted(p: Path) -> bool:
        if not p.is_file() or p.name.startswith(".") or not p.name.lower().endswith(PAGE_SUFFIXES):
            return False
        return skip is None or not p.resolve().is_relative_to(skip)

    for item in inputs:
        path = Path(item)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if wanted(p))
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
    """Readable, distinct ids: the file stem made safe, plus a short path hash where two safe stems
    collide (compared without case, for case-insensitive file systems) or where a stem would take
    the name of a run file such as index.html."""
    safe = {p: _ID_UNSAFE.sub("_", p.stem) or "page" for p in paths}
    counts: dict[str, int] = {}
    for stem in safe.values():
        counts[stem.casefold()] = counts.get(stem.casefold(), 0) + 1
    ids = {}
    for p, stem in safe.items():
        if counts[stem.casefold()] > 1 or stem.casefold() in RESERVED_IDS:
            stem += "-" + hashlib.sha256(str(p).encode()).hexdigest()[:8]
        ids[p] = stem
    return ids


def run(
    inputs: Iterable[str | Path],
    out: Path,
    *,
    options: CleanOptions | None = None,
    jobs: int = 1,
    force: bool = False,
    timeout: float | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> RunResult:
    """Clean, label and assess every input into `out`.

    A document whose report records the same input and model hashes is not cleaned again (unless
    `force`); files whose content would not change are not rewritten. `jobs` > 1 cleans in that
    many worker processes (joblib); the output is the same as with one. With `timeout`, every
    document is cleaned in a worker process (pebble) that is stopped when it runs longer than that
    many seconds; the document is recorded as failed and the run goes on. No signals are used, so
    this works wherever `run` itself is called from.
    """
    options = options or CleanOptions()
    paths, failures = expand_inputs(inputs, exclude=out)
    _check_writable(out)
    ids = document_ids(paths)
    fingerprint = model_fingerprints(options) if options.labels else {}
    documents: dict[str, Document] = {}
    provenance: dict[str, dict] = {}
    pending: list[tuple[str, bytes, str]] = []
    for path in paths:
        doc_id = ids[path]
        try:
            data, source = read_source(str(path), max_bytes=options.max_bytes)
        except CleanerError as exc:
            failures.append((str(path), str(exc)))
            continue
        provenance[doc_id] = {"input_sha256": hashlib.sha256(data).hexdigest(), "models": fingerprint}
        current = None if force or not options.labels else _current_document(out / f"{doc_id}.json", provenance[doc_id])
        if current is not None:
            documents[doc_id] = current
        else:
            pending.append((doc_id, data, source))
    done = len(documents)
    for doc_id, outcome in _clean_all(pending, options, jobs, timeout):
        done += 1
        if isinstance(outcome, Document):
            documents[doc_id] = outcome
        else:
            failures.append((next(src for i, _, src in pending if i == doc_id), outcome))
        if progress is not None:
            progress(done, len(paths))
    ordered = [(ids[p], documents[ids[p]]) for p in paths if ids[p] in documents]
    reused = len(ordered) - sum(1 for i, _, _ in pending if i in documents)
    written = _write_reports(ordered, failures, out, options, provenance)
    return RunResult(written, failures, out, reused)


def _check_writable(out: Path) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise InputError(str(out), f"output folder not writable ({exc.strerror or exc})") from None


def _current_document(report_path: Path, provenance: dict) -> Document | None:
    """The document of an existing report made from the same input with the same models, if any."""
    try:
        report = json.loads(report_path.read_text(encoding="utf-8"))
        if report.get("provenance") != provenance:
            return None
        return document_from_dict(report["document"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # missing, unreadable, not a report or from another version: clean again


def _clean_one(data: bytes, source: str, options: CleanOptions) -> Document | str:
    try:
        return clean(data, source=source, options=options)
    except CleanerError as exc:
        return str(exc)
    except Exception as exc:  # a bug met by one document must not end the run
        return f"{source}: internal error ({type(exc).__name__}: {exc})"


def _clean_all(pending: list[tuple[str, bytes, str]], options: CleanOptions, jobs: int, timeout: float | None):
    """(id, Document or one-line problem) in input order; worker processes load the models once."""
    if timeout is not None:
        yield from _clean_with_time_limit(pending, options, jobs, timeout)
        return
    if jobs <= 1 or len(pending) <= 1:
        for doc_id, data, source in pending:
            yield doc_id, _clean_one(data, source, options)
        return
    parallel = Parallel(n_jobs=jobs, return_as="generator", batch_size=JOB_BATCH)
    outcomes = parallel(delayed(_clean_one)(data, source, options) for _, data, source in pending)
    for (doc_id, _, _), outcome in zip(pending, outcomes):
        yield doc_id, outcome


def _clean_with_time_limit(pending: list[tuple[str, bytes, str]], options: CleanOptions, jobs: int, timeout: float):
    with ProcessPool(max_workers=max(jobs, 1)) as pool:
        futures = [
            pool.schedule(_clean_one, args=(data, source, options), timeout=timeout) for _, data, source in pending
        ]
        for (doc_id, _, source), future in zip(pending, futures):
            try:
                yield doc_id, future.result()
            except FutureTimeout:
                yield doc_id, f"{source}: took longer than {timeout:g} s (the time limit); stopped"
            except ProcessExpired as exc:
                yield doc_id, f"{source}: the worker process died (exit code {exc.exitcode})"
            except Exception as exc:  # a bug in one document must not end the run
                yield doc_id, f"{source}: internal error ({type(exc).__name__}: {exc})"


def _write_if_changed(path: Path, text: str) -> None:
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except (OSError, ValueError):
        pass
    write_text(path, text)


def _write_reports(
    documents: list[tuple[str, Document]],
    failures: list[tuple[str, str]],
    out: Path,
    options: CleanOptions,
    provenance: dict[str, dict],
) -> list[tuple[str, Document]]:
    """Write every report and the run files; returns the documents whose reports were written."""
    # Run-level signals need every document first: near-duplicates, then per-source averages.
    duplicates = near_duplicates(documents) if options.labels else {}
    assessments: dict[str, dict] = {}
    reports: list[tuple[str, Report]] = []
    kept: list[tuple[str, Document]] = []
    for doc_id, doc in documents:
        if options.labels:
            run_signals = (near_duplicate_signal(duplicates.get(doc_id), len(documents)),)
            try:
                report = Report.of(doc, run_signals=run_signals)
                html = document_html(report)
            except Exception as exc:  # one document's report must not end the run
                failures.append((doc.source, f"{doc.source}: internal error while assessing ({type(exc).__name__})"))
                continue
            reports.append((doc_id, report))
            payload = report.to_dict(provenance=provenance[doc_id])
            assessments[doc_id] = payload["assessment"]
            _write_if_changed(out / f"{doc_id}.html", html)
        else:
            payload = doc.to_dict(detailed=True)
        kept.append((doc_id, doc))
        # One line: json's C encoder only serves compact output, and is ten times faster.
        _write_if_changed(out / f"{doc_id}.json", json.dumps(payload, ensure_ascii=False) + "\n")
        _write_if_changed(out / f"{doc_id}.txt", doc.article_text() + "\n")
    documents = kept
    _write_if_changed(out / "summary.csv", _summary_csv(documents, assessments))
    if options.labels:
        sources = _sources(documents, assessments)
        _write_if_changed(
            out / "sources.csv", _csv([("source", "documents", "mean_score", "lowest", "highest"), *sources])
        )
        _write_if_changed(out / "index.html", index_html(reports, sources, failures))
    _write_if_changed(out / "failures.csv", _csv([("input", "problem"), *failures]))
    return documents


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
    csv.writer(buffer, lineterminator="\n").writerows([tuple(map(_cell, row)) for row in rows])
    return buffer.getvalue()


def _cell(value: object) -> object:
    # Page text in a CSV must not become a spreadsheet formula ("=HYPERLINK(…)").
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


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
