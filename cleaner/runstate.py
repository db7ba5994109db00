"""What a run has done so far, on disk (SQLite), so memory stays flat and a killed run can resume.

Every input item (a page, or an input that failed) has an ordinal, `seq`, in input order; shard k
holds the items with seq in [k * shard_size, (k + 1) * shard_size). A shard's documents, failures
and near-duplicate signatures are committed in one transaction together with the mark that the
shard is done, right after its output file was renamed into place: a run killed at any point
resumes from the first shard not marked done and loses or repeats nothing.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from itertools import chain
from pathlib import Path

from .duplicates import DuplicateIndex
from .errors import InputError

try:
    import fcntl
except ImportError:  # not POSIX: runs are not guarded against each other there
    fcntl = None  # type: ignore[assignment]

# Whether runs lock their report folder (POSIX record locks); without it nothing may assume that
# no other run is writing there.
LOCKING = fcntl is not None
STATE_FILE = ".cleaner-run.sqlite"
# A files run's state lasts only while it runs; named apart so it never replaces a JSON Lines run's.
FILES_STATE_FILE = ".cleaner-files-run.sqlite"
# Which input each report id of a files folder belongs to (a digest of the input's key), kept
# across runs so a later run gives another input of the same name its own id. JSON, but not named
# .json: a program globbing a folder's "*.json" wants reports.
ID_OWNERS_FILE = ".cleaner-ids"
# The header rows of summary.csv and failures.csv.
SUMMARY_COLUMNS = (
    "id", "source", "title", "author", "date", "body_blocks", "kept_chars", "boilerplate_chars", "score", "band",
    "type_of_work",
)  # fmt: skip
FAILURE_COLUMNS = ("input", "problem")
LOCK_FILE = ".cleaner-run.lock"
# Ids tried with the ordinal appended before an input is given up (each try is a report of another
# input already in the folder under that id).
MAX_ID_TRIES = 1000
RUN_IN_PROGRESS = "another cleaner run is writing to this folder; wait for it to end or choose another --out"


@contextmanager
def folder_lock(out: Path) -> Iterator[None]:
    """One run at a time per report folder: two runs writing the same reports and state file would
    corrupt each other, so the second is refused with one line.

    The lock is a POSIX record lock (lockf) on LOCK_FILE. Unlike flock, it is not inherited by
    forked worker processes, so a killed run's orphaned workers cannot keep it; the kernel drops it
    when the run's process ends, however it ends. The file is removed at the end while still
    locked; a run that opened the old file meanwhile sees that it is gone and takes the new one."""
    if fcntl is None:
        yield
        return
    path = out / LOCK_FILE
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise InputError(str(out), f"output folder not writable ({exc.strerror or exc})") from None
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                raise InputError(str(out), RUN_IN_PROGRESS) from None
            raise InputError(str(out), f"cannot lock the output folder ({exc.strerror or exc})") from None
        try:
            current = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            current = False
        if current:
            break
        os.close(fd)  # the file was removed by the run that held it: take the new one
    try:
        yield
    finally:
        path.unlink(missing_ok=True)
        os.close(fd)


@dataclass(frozen=True)
class SummaryRow:
    """One document's line in summary.csv and index.html."""

    id: str
    input: str
    title: str
    author: str
    date: str
    body_blocks: int
    kept_chars: int
    boilerplate_chars: int
    score: float
    band: str
    type_of_work: str
    site: str
    reporting: float | None  # label shares; None when the labels are unreliable (not English)
    opinion: float | None
    filler: float | None


_ROW_COLUMNS = ", ".join(f.name for f in fields(SummaryRow))


class RunState:
    def __init__(self, out: Path, fingerprint: str, *, fresh: bool, inputs: str = "", name: str = STATE_FILE) -> None:
        """`inputs`: what the run was given, recorded so a later run can tell a run of other inputs;
        `name`: the state file's."""
        self.path = path = out / name
        if not fresh:
            fresh = _fingerprint_of(path) != fingerprint
        if fresh:
            path.unlink(missing_ok=True)
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA synchronous = NORMAL")
        self.db.executescript(  # one transaction: one sync on disk, not one per table
            f"""
            BEGIN;
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
            CREATE TABLE IF NOT EXISTS ids (key TEXT PRIMARY KEY, seq INTEGER, id TEXT, fold TEXT UNIQUE);
            CREATE TABLE IF NOT EXISTS documents (seq INTEGER PRIMARY KEY, shard INTEGER, {_ROW_COLUMNS});
            CREATE TABLE IF NOT EXISTS failures (seq INTEGER PRIMARY KEY, shard INTEGER, source TEXT, problem TEXT);
            CREATE TABLE IF NOT EXISTS shards (shard INTEGER PRIMARY KEY, file TEXT, documents INTEGER, sha256 TEXT);
            """
        )
        self.db.executemany(
            "INSERT OR REPLACE INTO meta VALUES (?, ?)", [("fingerprint", fingerprint), ("inputs", inputs)]
        )
        self.duplicates = DuplicateIndex(self.db)  # its tables, in the same transaction
        self.db.execute("COMMIT")
        self.documents = self.db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        self.done_shards = {row[0] for row in self.db.execute("SELECT shard FROM shards")}
        self.db.execute("BEGIN")

    def id_for(
        self,
        seq: int,
        key: str,
        safe_name: str,
        reserved: frozenset[str],
        *,
        taken: Callable[[str], bool] | None = None,
    ) -> str | None:
        """The document id of input `key`: its safe name, or with a short hash of the key where that
        is taken (compared without case), reserved, or `taken` (a report of another input in the
        folder); then with its ordinal. None: the same input came earlier in the run."""
        known = self.db.execute("SELECT seq, id FROM ids WHERE key = ?", (key,)).fetchone()
        if known is not None:
            return known[1] if known[0] == seq else None
        digest = owner_digest(key)[:8]  # the same sha256 as the folder's record of id owners
        ordinals = (f"{safe_name}-{seq}" + (f"-{n}" if n else "") for n in range(MAX_ID_TRIES))
        for doc_id in chain((safe_name, f"{safe_name}-{digest}"), ordinals):
            fold = doc_id.casefold()
            if fold in reserved or self.db.execute("SELECT 1 FROM ids WHERE fold = ?", (fold,)).fetchone():
                continue
            if taken is None or not taken(doc_id):
                self.db.execute("INSERT INTO ids VALUES (?, ?, ?, ?)", (key, seq, doc_id, fold))
                return doc_id
        raise InputError(key, f"no free report id: {MAX_ID_TRIES + 2} tried hold reports of other inputs")

    def repeats(self, seq: int, key: str) -> bool:
        """Whether input `key` at `seq` had come earlier in the run (id_for gave it None)."""
        known = self.db.execute("SELECT seq FROM ids WHERE key = ?", (key,)).fetchone()
        return known is not None and known[0] != seq

    def id_owners(self) -> dict[str, str]:
        """{id: owner digest of its input} for this run's ids."""
        return {doc_id: owner_digest(key) for key, doc_id in self.db.execute("SELECT key, id FROM ids")}

    def assigned_ids(self) -> set[str]:
        """The ids given to this run's inputs, those that failed included."""
        return {row[0] for row in self.db.execute("SELECT id FROM ids")}

    def add_document(self, seq: int, shard: int, row: SummaryRow, sig: bytes | None) -> None:
        placeholders = ", ".join("?" * (len(fields(SummaryRow)) + 2))
        self.db.execute(f"INSERT INTO documents VALUES ({placeholders})", (seq, shard, *vars(row).values()))
        self.duplicates.add(seq, row.id, sig)
        self.documents += 1

    def add_failure(self, seq: int, shard: int, source: str, problem: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO failures VALUES (?, ?, ?, ?)", (seq, shard, source, problem))

    def complete_shard(self, shard: int, file: str | None, documents: int, sha256: str | None) -> None:
        self.db.execute("INSERT INTO shards VALUES (?, ?, ?, ?)", (shard, file, documents, sha256))
        self.db.execute("COMMIT")
        self.done_shards.add(shard)
        self.db.execute("BEGIN")

    def rows(self) -> Iterator[SummaryRow]:
        for values in self.db.execute(f"SELECT {_ROW_COLUMNS} FROM documents ORDER BY seq"):
            yield SummaryRow(*values)

    def failures(self) -> Iterator[tuple[str, str]]:
        yield from self.db.execute("SELECT source, problem FROM failures ORDER BY seq")

    def failure_count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM failures").fetchone()[0]

    def shards(self) -> list[tuple[int, str, int, str]]:
        return self.db.execute("SELECT * FROM shards WHERE file IS NOT NULL ORDER BY shard").fetchall()

    def sources(self) -> list[tuple[str, int, float, float, float]]:
        """Per source: documents, mean, lowest and highest score (scores summed in input order)."""
        out: dict[str, list[float]] = {}
        for site, score in self.db.execute("SELECT site, score FROM documents ORDER BY seq"):
            entry = out.setdefault(site, [0, 0.0, score, score])
            entry[0] += 1
            entry[1] += score
            entry[2], entry[3] = min(entry[2], score), max(entry[3], score)
        return [(site, int(n), round(total / n, 1), low, high) for site, (n, total, low, high) in sorted(out.items())]

    def close(self, *, remove: bool = False) -> None:
        """Close; work of a shard not completed is rolled back (a later run redoes it)."""
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")
        self.db.close()
        if remove:
            self.path.unlink(missing_ok=True)


def owner_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def read_id_owners(out: Path) -> dict[str, str]:
    """The id owners a files folder recorded; {} when there is no record or it cannot be read (the
    reports are then judged by their own provenance)."""
    try:
        owners = json.loads((out / ID_OWNERS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(owners, dict) or not all(isinstance(v, str) for v in owners.values()):
        return {}
    return owners


def _fingerprint_of(path: Path) -> str | None:
    return _meta_of(path, "fingerprint")


def inputs_of(out: Path) -> str | None:
    """The inputs of the run whose state is in `out` (as RunState was given them); None when there
    is no state, it cannot be read, or it is older than this record."""
    return _meta_of(out / STATE_FILE, "inputs")


def _meta_of(path: Path, key: str) -> str | None:
    if not path.exists():
        return None
    try:
        with sqlite3.connect(path) as db:
            row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None
    except sqlite3.Error:
        return None  # not a state file we can read: start over
