"""A cleaning run: pages in (files, folders, globs, JSON Lines, WARC), reports out, streaming.

Inputs are read lazily and processed by an executor (this process, local workers or Dask) with a
small window in flight; the driver, here, takes the results in input order, adds the run-level
near-duplicate signal, writes the reports and records progress in a state file. Memory therefore
does not grow with the run.

Two output formats:
- "files": per document `<id>.json`, `<id>.html` and `<id>.txt`, plus `index.html`. Re-running
  keeps reports whose input and models have not changed (unless `force`).
- "jsonl": shards `shard-00000.jsonl`, … of `shard_size` input items each (one report per line),
  plus `index.json`. A killed run started again resumes at the first unfinished shard.
Both also write `summary.csv`, `sources.csv` and `failures.csv`. Every file is written atomically.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import sqlite3
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, replace
from functools import partial
from pathlib import Path

from . import atomic
from .api import clean, warm_up
from .assess import Assessment, counted_shares, weigh
from .document import Document, document_from_dict
from .duplicates import near_duplicate_signal, signature
from .errors import CleanerError, InputError, shown
from .executors import Failed
from .html_report import REPORT_TITLE_END, document_html, index_html
from .models import model_fingerprints
from .options import FORMATS, CleanOptions, RunSettings
from .paths import seeds_dir
from .report import CLEANER_VERSION, REPORT_SCHEMA_VERSION, Report, report_line, source_name
from .runstate import (
    FAILURE_COLUMNS,
    FILES_STATE_FILE,
    ID_OWNERS_FILE,
    LOCKING,
    STATE_FILE,
    SUMMARY_COLUMNS,
    RunState,
    SummaryRow,
    folder_lock,
    inputs_of,
    owner_digest,
    read_id_owners,
)
from .signals import Signal, document_signals
from .sources import InputFailure, PageInput, check_outside, input_listing, iter_inputs

# Names of the run's own files, which no document id may take.
RESERVED_IDS = frozenset({"index", "summary", "sources", "failures"})
MAX_ID_CHARS = 100
# Said when a JSON Lines run would replace the shards of a run of other inputs.
ANOTHER_RUN = (
    "holds the JSON Lines reports of a run of other inputs; choose another --out, or add --force to replace them"
)
OTHER_FORMAT = "holds the reports of a run in the other format"
# Said when a run stops on an output it cannot write.
RESUMES = "the run stopped; started again, it keeps what was finished and goes on from there"
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


@dataclass(frozen=True)
class RunResult:
    out: Path
    documents: int
    failed: int
    reused: int = 0  # documents whose current report was kept instead of cleaning them again
    resumed: int = 0  # documents in shards an earlier JSON Lines run (stopped or not) had finished
    others: int = 0  # reports in the folder from inputs this run did not have (kept, not indexed)
    repeated: int = 0  # pages that were an earlier input's (the same file or record): read once

    def ids(self) -> list[str]:
        with (self.out / "summary.csv").open(encoding="utf-8", newline="") as handle:
            return [_uncell(row["id"]) for row in csv.DictReader(handle)]

    def failures(self) -> list[tuple[str, str]]:
        with (self.out / "failures.csv").open(encoding="utf-8", newline="") as handle:
            return [(_uncell(row["input"]), _uncell(row["problem"])) for row in csv.DictReader(handle)]


@dataclass(frozen=True)
class Job:
    seq: int
    doc_id: str
    page: PageInput
    reuse: Path | None  # an existing report to keep if it is current


@dataclass(frozen=True)
class Processed:
    """What a worker sends back: little to pickle, most of the report already serialised."""

    signals: tuple[Signal, ...]  # the document's own signals, weighed
    signature: bytes | None
    document_json: str  # the report's "document" member
    row: SummaryRow  # score, band and type still without the run-level signal
    provenance: dict
    reused: bool
    document: Document | None = None  # files format only: for the HTML and text views


def default_inputs() -> list[Path]:
    return [seeds_dir() / "demo"]


def safe_id(name: str) -> str:
    """A file-name-safe id from a file stem, record id or URL; accented letters keep their base
    letter ("Zürich" gives "Zurich")."""
    ascii_name = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return _ID_UNSAFE.sub("_", _SCHEME.sub("", ascii_name)).strip("._-")[:MAX_ID_CHARS] or "page"


def process(job: Job, *, options: CleanOptions, models: dict, keep_document: bool) -> Processed:
    """The worker's part: clean (or take the current report's document), label and assess."""
    page = job.page
    # Everything the document depends on: a report is current while these match.
    provenance = {
        "input_sha256": hashlib.sha256(page.data).hexdigest(),
        "models": models,
        "given": {"url": page.url, "html": page.html, "charset": page.charset},
        # A page over a lowered limit must fail as in a fresh run, not keep its old report.
        "options": {"max_bytes": options.max_bytes, "max_lines": options.max_lines, "smoothing": options.smoothing},
        "cleaner_version": CLEANER_VERSION,
    }
    doc = _current_document(job.reuse, provenance, page) if job.reuse is not None else None
    reused = doc is not None
    if doc is None:
        try:
            doc = clean(
                page.data, source=page.source, url=page.url, html=page.html, charset=page.charset, options=options
            )
        except InputError as exc:
            raise exc.on_command_line() from None
    signals = tuple(weigh(document_signals(doc)))
    document_json = json.dumps(doc.to_dict(detailed=True), ensure_ascii=False)
    row = summary_row(job.doc_id, Report.from_signals(doc, signals))
    kept = doc if keep_document else None
    return Processed(signals, signature(doc), document_json, row, provenance, reused, kept)


def run(
    inputs: Iterable[str | Path],
    out: Path,
    *,
    options: CleanOptions | None = None,
    settings: RunSettings | None = None,
    progress: Callable[[int], None] | None = None,
) -> RunResult:
    """Clean, label and assess every input into `out`; see the module's docstring."""
    options = replace(options or CleanOptions(), labels=True)
    settings = settings or RunSettings()
    if settings.format not in FORMATS:
        raise InputError("--format", f"unknown format {settings.format!r} (choose from {', '.join(FORMATS)})")
    inputs = [str(item) for item in inputs]
    if out.exists() and not out.is_dir():  # said first: an input of that name is "inside" it too
        raise InputError(str(out), NOT_A_FOLDER)
    check_outside(inputs, out)
    _check_writable(out)
    with folder_lock(out):
        return _run_in(inputs, out, options, settings, progress)


def _run_in(
    inputs: list[str],
    out: Path,
    options: CleanOptions,
    settings: RunSettings,
    progress: Callable[[int], None] | None,
) -> RunResult:
    """The run itself, with the output folder locked."""
    models = model_fingerprints(options)
    if LOCKING:  # with the folder locked, temporary files there are a killed run's, half written
        atomic.remove_leftovers(out)
    files = settings.format == "files"
    fresh = settings.force or files
    # The same inputs in another order are the same job (ASCII JSON: a name that is not UTF-8 stays text).
    given = json.dumps(sorted({os.path.realpath(item) for item in inputs}))
    if not fresh and _holds_another_run(out, given):
        raise InputError(str(out), ANOTHER_RUN)
    if not settings.force and (other := _other_format_in(out, files=files)):
        raise InputError(
            str(out), f"{OTHER_FORMAT} ({other}); choose another --out, or add --force to replace its tables"
        )
    state_name = FILES_STATE_FILE if files else STATE_FILE
    try:
        state = RunState(
            out, _fingerprint(inputs, out, options, settings, models), fresh=fresh, inputs=given, name=state_name
        )
    except sqlite3.Error as exc:
        raise InputError(str(out / state_name), f"cannot keep the run's state here ({exc})") from None
    owners = read_id_owners(out) if files else {}
    writer = FilesWriter(out, owners) if files else ShardWriter(out, keep=state.done_shards)
    try:
        driver = _Driver(state, writer, settings, owners)
        items = iter_inputs(inputs, exclude=out, max_bytes=options.max_bytes)
        task = partial(process, options=options, models=models, keep_document=files)
        warm = partial(warm_up, options)
        for job, outcome in settings.executor.map(task, driver.jobs(items, out), warm=warm):
            driver.take(job, outcome)
            if progress is not None:
                progress(driver.taken)
        driver.finish()
        others = writer.finish(state)
        return RunResult(
            out, state.documents, state.failure_count(), driver.reused, driver.resumed, others, driver.repeated
        )
    except sqlite3.Error as exc:  # e.g. the disk filled up
        raise InputError(str(state.path), f"cannot record the run's progress ({exc}); {RESUMES}") from None
    except OSError as exc:  # the run's own files: summary, sources, failures, index
        raise InputError(str(out), f"cannot write the run's files ({exc.strerror or exc}); {RESUMES}") from None
    finally:
        writer.close()
        state.close(remove=settings.format == "files")  # files runs never resume: nothing to keep


class _Driver:
    """Ids, shards and run-level signals, in input order."""

    def __init__(
        self, state: RunState, writer: FilesWriter | ShardWriter, settings: RunSettings, owners: dict[str, str]
    ) -> None:
        self.state, self.writer, self.settings = state, writer, settings
        self.owners = owners  # a files folder's ids and the inputs they belong to (read_id_owners)
        self.size = settings.shard_size
        self.shard = 0  # the shard results are being taken for
        self.items = 0  # input items seen
        self.taken = self.reused = 0
        self.repeated = 0  # pages that were an earlier input's (a link, a name given twice)
        # Documents in the shards an earlier run of these inputs finished: not cleaned again.
        self.resumed = sum(documents for _, _, documents, _ in state.shards())

    def jobs(self, items: Iterable[PageInput | InputFailure], out: Path) -> Iterator[Job]:
        reuse = self.settings.format == "files" and not self.settings.force
        for seq, item in enumerate(items):
            self.items = seq + 1
            shard = seq // self.size
            if shard in self.state.done_shards:  # finished earlier; its repeats count as in a fresh run
                self.repeated += isinstance(item, PageInput) and self.state.repeats(seq, item.key)
                continue
            if isinstance(item, InputFailure):
                self.state.add_failure(seq, shard, item.source, _one_line(item.source, item.problem))
                continue
            # A files run keeps the reports of other inputs an earlier run left in the folder.
            taken = (
                partial(_report_of_another_input, out, item, self.owners) if self.settings.format == "files" else None
            )
            try:
                doc_id = self.state.id_for(seq, item.key, safe_id(item.name), RESERVED_IDS, taken=taken)
            except InputError as exc:  # every id tried holds another input's report: this input fails
                self.state.add_failure(seq, shard, item.source, _one_line(item.source, exc.problem))
                continue
            if doc_id is None:  # the same input was given twice: read once, and counted
                self.repeated += 1
                continue
            yield Job(seq, doc_id, item, out / f"{doc_id}.json" if reuse else None)

    def take(self, job: Job, outcome: Processed | Failed) -> None:
        shard = job.seq // self.size
        self._complete_until(shard)
        self.taken += 1
        if isinstance(outcome, Failed):
            self.state.add_failure(job.seq, shard, job.page.source, _one_line(job.page.source, outcome.problem))
            return
        match = self.state.duplicates.match(outcome.signature)
        signals = (*outcome.signals, *weigh([near_duplicate_signal(match, self.state.documents)]))
        assessment = Assessment.of(signals)
        row = replace(outcome.row, score=assessment.score, band=assessment.band, type_of_work=assessment.type_of_work)
        try:
            self.writer.add(
                job.doc_id,
                report_line(assessment, outcome.document_json, outcome.provenance, job.doc_id),
                outcome.document,
                assessment,
            )
        except (OSError, ValueError) as exc:  # e.g. a disk-full write: this report is lost, say so
            self.state.add_failure(job.seq, shard, job.page.source, f"{job.page.source}: report not written ({exc})")
            return
        self.state.add_document(job.seq, shard, row, outcome.signature)
        self.reused += outcome.reused

    def finish(self) -> None:
        self._complete_until((self.items + self.size - 1) // self.size)

    def _complete_until(self, shard: int) -> None:
        """Mark every shard before `shard` done (writing its file first)."""
        while self.shard < shard:
            if self.shard not in self.state.done_shards:
                self.state.complete_shard(self.shard, *self.writer.finish_shard(self.shard))
            self.shard += 1


LABEL_COLUMNS = ("reporting", "opinion", "filler")


def summary_row(doc_id: str, report: Report) -> SummaryRow:
    doc = report.document
    body = [b for b in doc.blocks if b.kind in ("body", "heading")]
    counted = counted_shares(next((s.value for s in report.signals if s.name == "label_shares"), {}))
    m = doc.metadata
    return SummaryRow(
        doc_id, doc.source, m.title or "", m.author or "", m.date_iso or m.date or "", len(body),
        sum(len(b.text) for b in body), sum(len(b.text) for b in doc.blocks if b.kind == "boilerplate"),
        report.score, report.band, report.type_of_work, source_name(doc),
        *(None if counted is None else float(counted.get(label, 0.0)) for label in LABEL_COLUMNS),
    )  # fmt: skip


def _one_line(source: str, problem: str) -> str:
    name = shown(source)
    problem = " ".join(problem.split())
    return problem if problem.startswith(f"{name}: ") else f"{name}: {problem}"


class FilesWriter:
    """Per document <id>.json, <id>.html and <id>.txt; files whose content is unchanged are not rewritten."""

    def __init__(self, out: Path, owners: dict[str, str]) -> None:
        self.out = out
        self.owners = owners  # the folder's id owners before this run (read_id_owners)

    def add(self, doc_id: str, line: str, document: Document | None, assessment: Assessment) -> None:
        assert document is not None, "the files format asks workers for the document"
        report = Report.from_assessment(document, assessment)
        # Not synced one by one: finish() syncs them all at once. A report cut short by a power loss
        # before then is unreadable or differs, so the next run writes it again.
        atomic.write_text_if_changed(self.out / f"{doc_id}.html", document_html(report), sync=False)
        atomic.write_text_if_changed(self.out / f"{doc_id}.json", line, sync=False)
        atomic.write_text_if_changed(self.out / f"{doc_id}.txt", document.article_text() + "\n", sync=False)

    def finish_shard(self, shard: int) -> tuple[str | None, int, str | None]:
        return None, 0, None

    def close(self) -> None:
        pass  # every file is written whole as it comes

    def finish(self, state: RunState) -> int:
        """Write the run's files; returns how many reports in the folder are of other inputs."""
        rows = list(state.rows())
        sources = state.sources()
        _write_run_files(self.out, state, sources)
        atomic.write_text_if_changed(self.out / "index.html", index_html(rows, sources, list(state.failures())))
        owners = json.dumps({**self.owners, **state.id_owners()}, sort_keys=True, indent=0)
        atomic.write_text_if_changed(self.out / ID_OWNERS_FILE, owners + "\n", sync=False)
        atomic.sync_all()  # the reports, on disk before the run says it is done
        # An earlier run's reports of inputs since removed or renamed: never deleted (they may be a
        # run of other inputs into the same folder), but counted, so the user knows they are there.
        # An input that failed this time keeps the report an earlier run made of it: it is not another's.
        ids = state.assigned_ids() | RESERVED_IDS
        return sum(
            1 for report in self.out.glob("*.json") if report.stem not in ids and report.with_suffix(".html").exists()
        )


JSONL_RUN_FILES = ("index.json", "summary.csv", "sources.csv", "failures.csv")
SHARD_NAME_RE = re.compile(r"shard-(\d+)\.jsonl")


def _shard_number(name: str) -> int | None:
    match = SHARD_NAME_RE.fullmatch(name)
    return int(match.group(1)) if match else None


class ShardWriter:
    """Reports as JSON Lines, one shard file per `shard_size` input items, and index.json."""

    def __init__(self, out: Path, *, keep: set[int]) -> None:
        """`keep`: the shards this run (resumed) has finished; any other shard file is an unfinished
        or another run's, removed (a resumed start-over may still hold some of the old run's)."""
        self.out = out
        for stale in out.glob(".shard-*.tmp"):  # a killed run's unfinished shard
            stale.unlink()
        old = [path for path in out.glob("shard-*.jsonl") if _shard_number(path.name) not in keep]
        if old:
            # The index and tables go before the shards: a run stopped before it finishes leaves no
            # index naming shards that are gone (it writes them when it is done).
            for name in JSONL_RUN_FILES:
                (out / name).unlink(missing_ok=True)
            for path in old:
                path.unlink()
        self.handle: io.BufferedWriter | None = None
        self.count = 0
        self.digest = hashlib.sha256()

    def add(self, doc_id: str, line: str, document: Document | None, assessment: Assessment) -> None:
        data = line.encode("utf-8")
        try:
            if self.handle is None:
                self.handle = (self.out / ".shard-current.tmp").open("wb")
            self.handle.write(data)
        except OSError as exc:
            raise self._stopped(exc) from None
        self.digest.update(data)
        self.count += 1

    def finish_shard(self, shard: int) -> tuple[str | None, int, str | None]:
        if self.handle is None:
            return None, 0, None
        name = f"shard-{shard:05d}.jsonl"
        try:
            atomic.commit_handle(self.handle, self.out / name)
        except OSError as exc:
            raise self._stopped(exc) from None
        result = (name, self.count, self.digest.hexdigest())
        self.handle, self.count, self.digest = None, 0, hashlib.sha256()
        return result

    def _stopped(self, exc: OSError) -> InputError:
        # A shard with a line missing or cut would be wrong; the run stops instead, and its state
        # still ends at the last finished shard, where the run resumes when started again.
        self.close()
        return InputError(str(self.out), f"cannot write a report shard ({exc.strerror or exc}); {RESUMES}")

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None

    def finish(self, state: RunState) -> int:
        """Write index.json; shards are replaced whole, so no report of other inputs remains."""
        sources = state.sources()
        _write_run_files(self.out, state, sources)
        index = {
            "report_schema_version": REPORT_SCHEMA_VERSION,
            "format": "jsonl",
            "documents": state.documents,
            "failed": state.failure_count(),
            "shards": [{"file": f, "documents": n, "sha256": h} for _, f, n, h in state.shards()],
            "sources": [dict(zip(("source", "documents", "mean_score", "lowest", "highest"), s)) for s in sources],
        }
        atomic.write_text_if_changed(self.out / "index.json", json.dumps(index, ensure_ascii=False, indent=1) + "\n")
        return 0


def _write_run_files(out: Path, state: RunState, sources: list[tuple]) -> None:
    with atomic.text_writer(out / "summary.csv") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(SUMMARY_COLUMNS)
        for row in state.rows():
            writer.writerow([_cell(getattr(row, c if c != "source" else "input")) for c in SUMMARY_COLUMNS])
    with atomic.text_writer(out / "sources.csv") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerows([("source", "documents", "mean_score", "lowest", "highest"), *map(_cells, sources)])
    with atomic.text_writer(out / "failures.csv") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerows([FAILURE_COLUMNS, *map(_cells, state.failures())])


NOT_A_FOLDER = "not a folder (--out names the folder the reports go to)"


def _check_writable(out: Path) -> None:
    """`out` (not a file: run() said so first) can be made and written to."""
    try:
        atomic.check_folder_writable(out)
    except OSError as exc:
        raise InputError(str(out), f"output folder not writable ({exc.strerror or exc})") from None


def _fingerprint(inputs: list[str], out: Path, options: CleanOptions, settings: RunSettings, models: dict) -> str:
    """What makes two runs the same run: a resumed run must match the one it continues, down to the
    files its inputs name, their sizes and modification times (a files run never resumes)."""
    listing = hashlib.sha256()
    if settings.format != "files":
        for line in input_listing(inputs, exclude=out):
            listing.update(line.encode("utf-8", errors="surrogateescape") + b"\n")
    described = {
        "inputs": inputs,
        "files": listing.hexdigest(),
        "options": {k: str(v) for k, v in asdict(options).items()},
        "format": settings.format,
        "shard_size": settings.shard_size,
        "models": models,
        "schema": REPORT_SCHEMA_VERSION,
        "cleaner_version": CLEANER_VERSION,
    }
    return hashlib.sha256(json.dumps(described, sort_keys=True).encode()).hexdigest()


def _other_format_in(out: Path, *, files: bool) -> str | None:
    """The other format's name when `out` holds a run's reports in it: the two share summary.csv,
    sources.csv and failures.csv, so a run of one would leave the other's reports out of them."""
    if files:
        return "--format jsonl" if _holds_shards(out) else None
    return "--format files" if (out / ID_OWNERS_FILE).exists() else None


def _holds_shards(out: Path) -> bool:
    return any(_shard_number(path.name) is not None for path in out.glob("shard-*.jsonl"))


def _holds_another_run(out: Path, given: str) -> bool:
    """Whether `out` holds report shards of a run of other inputs, which this run would replace. A
    run of the same inputs (resumed, or with other options) replaces its own shards; a state from
    before inputs were recorded counts as the same run."""
    if not _holds_shards(out):
        return False
    if not (out / STATE_FILE).exists():
        return True  # shards whose run is not known
    recorded = inputs_of(out)
    return recorded is not None and recorded != given


def _report_of_another_input(out: Path, page: PageInput, owners: dict[str, str], doc_id: str) -> bool:
    """Whether `<doc_id>.json` in `out` is the report of another input, made of other bytes (a file of
    the same name in another folder, given to an earlier run). The folder's record of id owners
    says whose it is; a report it does not name (an older run's) is another input's when it names
    another source. The same bytes are the same page (a moved file): its report is taken over.
    Missing, unreadable or not a report: free, as a report cut short by a power loss must be
    written again."""
    owner = owners.get(doc_id)
    if owner == owner_digest(page.key):
        return False
    try:
        with (out / f"{doc_id}.json").open("rb") as handle:
            report = json.load(handle)
        source, sha256 = report["document"]["source"], report["provenance"]["input_sha256"]
    except (OSError, ValueError, KeyError, TypeError):
        return _foreign_file(out, doc_id)
    other = owner is not None or source != page.source
    return other and sha256 != hashlib.sha256(page.data).hexdigest()


# Bytes of an HTML file read to find a report's title: the title of a long headline fits.
REPORT_HEAD_BYTES = 8192


def _foreign_file(out: Path, doc_id: str) -> bool:
    """Whether `out` holds a file of this id's name that is none of a run's reports (a page the user
    keeps there, say): it must not be replaced. A report's HTML is written first, so a run cut short
    leaves one of ours, known by its title; a text file with no HTML beside it is not a report."""
    try:
        with (out / f"{doc_id}.html").open("rb") as handle:
            head = handle.read(REPORT_HEAD_BYTES)
    except FileNotFoundError:
        return (out / f"{doc_id}.txt").exists()
    except OSError:
        return True
    return f"{REPORT_TITLE_END}</title>".encode() not in head


def _current_document(report_path: Path, provenance: dict, page: PageInput) -> Document | None:
    """The document of an existing report made from the same input (its bytes, and the URL, kind and
    charset its container gave) and models, if any. The input's name counts too: a moved file is
    cleaned again, so a re-run writes what a fresh run would."""
    try:
        report = json.loads(report_path.read_text(encoding="utf-8"))
        if not _still_current(report.get("provenance"), provenance):
            return None
        doc = document_from_dict(report["document"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError, CleanerError):
        return None  # missing, unreadable, not a report or from another version: clean again
    return doc if doc.source == page.source else None


# Limits only ever refuse a page: one that was cleaned under a limit is cleaned the same under a higher one.
RAISABLE_LIMITS = ("max_bytes", "max_lines")


def _still_current(recorded: object, provenance: dict) -> bool:
    """Whether a report made with `recorded` provenance is what a fresh run would make now: the same
    in every part, but that the limits may since have been raised (a lowered one may refuse the page)."""
    if not isinstance(recorded, dict) or not isinstance(recorded.get("options"), dict):
        return False
    then, now = recorded["options"], provenance["options"]
    raised = all(
        isinstance(then.get(name), int) and not isinstance(then[name], bool) and then[name] <= now[name]
        for name in RAISABLE_LIMITS
    )
    return raised and _other_options(then) == _other_options(now) and {**recorded, "options": now} == provenance


def _other_options(options: dict) -> dict:
    return {name: value for name, value in options.items() if name not in RAISABLE_LIMITS}


def _cells(row: Iterable[object]) -> list[object]:
    return [_cell(value) for value in row]


# Page text in a CSV must not become a spreadsheet formula ("=HYPERLINK(…)"): a cell starting with
# one of these gets a "'" in front. The quote itself is one, so reading a cell back is exact.
FORMULA_STARTS = ("=", "+", "-", "@", "'")


def _cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _uncell(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_STARTS) else value
