"""Near-duplicate documents within a run, found as the run streams by.

Each document's body becomes a MinHash signature of its 5-word runs (shingles). Signatures go into
an on-disk index (SQLite, banded locality-sensitive hashing), so memory does not grow with the run.
A document is compared with the *earlier* documents of the run: the first copy is the reference and
later copies name it. Similarity is the share of equal signature values, an estimate of the Jaccard
similarity of the two shingle sets (standard error about 0.04 near 0.5).
"""

from __future__ import annotations

import re
import sqlite3
import zlib
from functools import lru_cache

import numpy as np

from .document import Document
from .signals import Evidence, Signal

SHINGLE_WORDS = 5
NEAR_DUPLICATE_JACCARD = 0.5
# 42 bands of 3 values: a pair at Jaccard 0.5 shares a band with probability 0.996, at 0.2 with 0.29.
BANDS = 42
ROWS_PER_BAND = 3
PERMUTATIONS = BANDS * ROWS_PER_BAND
# Earlier documents taken per shared band: copies of a page found thousands of times need not all
# be compared; the earliest ones name the reference.
CANDIDATES_PER_BAND = 4
# Shingles hashed per numpy pass, so a huge page never needs a huge matrix.
CHUNK = 4096
SEED = 20261122
_WORD_RE = re.compile(r"\w+")
_MASK32 = np.uint64(0xFFFFFFFF)
_rng = np.random.default_rng(SEED)
# Multiply-add-shift hashing of 32-bit keys: one (odd a, b) pair per permutation.
_A = _rng.integers(1, 2**63, size=PERMUTATIONS, dtype=np.uint64) | np.uint64(1)
_B = _rng.integers(0, 2**63, size=PERMUTATIONS, dtype=np.uint64)
# Word positions within a shingle, and band positions, get distinct odd multipliers.
_POSITION = _rng.integers(1, 2**63, size=SHINGLE_WORDS, dtype=np.uint64) | np.uint64(1)
_BAND_MIX = _rng.integers(1, 2**63, size=(BANDS, ROWS_PER_BAND + 1), dtype=np.uint64) | np.uint64(1)


def signature(doc: Document) -> bytes | None:
    """The MinHash signature of the document's body shingles; None when the body has fewer words."""
    words = [w for b in doc.blocks if b.kind == "body" for w in _WORD_RE.findall(b.text)]
    if len(words) < SHINGLE_WORDS:
        return None
    words = " ".join(words).lower().split(" ")  # one lower(): words hold no spaces, lower() makes none
    hashes = np.fromiter((zlib.crc32(w.encode()) for w in words), dtype=np.uint64, count=len(words))
    count = len(words) - SHINGLE_WORDS + 1
    with np.errstate(over="ignore"):  # uint64 arithmetic wraps, as hashing wants
        shingles = sum(hashes[i : i + count] * _POSITION[i] for i in range(SHINGLE_WORDS))
        keys = np.unique((shingles ^ (shingles >> np.uint64(32))) & _MASK32)
        minima = np.full(PERMUTATIONS, np.iinfo(np.uint32).max, dtype=np.uint64)
        for start in range(0, len(keys), CHUNK):
            chunk = keys[start : start + CHUNK, None]
            values = (chunk * _A + _B) >> np.uint64(32)
            np.minimum(minima, values.min(axis=0), out=minima)
    return minima.astype("<u4").tobytes()


def similarity(a: bytes, b: bytes) -> float:
    return round(float(np.mean(np.frombuffer(a, "<u4") == np.frombuffer(b, "<u4"))), 3)


@lru_cache(maxsize=16)  # a signature is matched, then added: its keys are computed once
def _band_keys(sig: bytes) -> list[int]:
    values = np.frombuffer(sig, "<u4").astype(np.uint64).reshape(BANDS, ROWS_PER_BAND)
    rows = np.concatenate([values, np.arange(BANDS, dtype=np.uint64)[:, None]], axis=1)
    with np.errstate(over="ignore"):
        keys = (rows * _BAND_MIX).sum(axis=1)
    return keys.view(np.int64).tolist()  # SQLite integers are signed 64-bit


# One statement: the earliest few documents under each of the bands.
_CANDIDATES_SQL = " UNION ".join(
    f"SELECT * FROM (SELECT seq FROM lsh WHERE key = ? ORDER BY seq LIMIT {CANDIDATES_PER_BAND})" for _ in range(BANDS)
)


class DuplicateIndex:
    """Signatures of the run's documents so far, in the caller's SQLite database (and transaction)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        db.execute("CREATE TABLE IF NOT EXISTS signatures (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, sig BLOB)")
        db.execute(
            "CREATE TABLE IF NOT EXISTS lsh (key INTEGER NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (key, seq))"
            " WITHOUT ROWID"
        )

    def match(self, sig: bytes | None) -> tuple[str, float] | None:
        """The most similar earlier document (id, similarity) at or above the threshold; ties go to
        the earliest."""
        if sig is None:
            return None
        seqs = [row[0] for row in self.db.execute(_CANDIDATES_SQL, _band_keys(sig))]
        best: tuple[float, int, str] | None = None
        for seq, doc_id, other in self.db.execute(
            f"SELECT seq, id, sig FROM signatures WHERE seq IN ({','.join('?' * len(seqs))})", seqs
        ):
            value = similarity(sig, other)
            if value >= NEAR_DUPLICATE_JACCARD and (best is None or (-value, seq) < (-best[0], best[1])):
                best = (value, seq, doc_id)
        return None if best is None else (best[2], best[0])

    def add(self, seq: int, doc_id: str, sig: bytes | None) -> None:
        self.db.execute("INSERT OR REPLACE INTO signatures VALUES (?, ?, ?)", (seq, doc_id, sig))
        if sig is not None:
            self.db.executemany("INSERT OR IGNORE INTO lsh VALUES (?, ?)", [(k, seq) for k in _band_keys(sig)])


def near_duplicate_signal(match: tuple[str, float] | None, earlier: int) -> Signal:
    if match is None:
        evidence = (Evidence(None, f"compared with the {earlier} earlier documents of the run"),)
        return Signal("near_duplicate", None, 0.0, evidence, "no near-duplicate among the earlier documents")
    other, value = match
    detail = f"shares about {value:.0%} of its {SHINGLE_WORDS}-word runs with the earlier document {other}"
    return Signal("near_duplicate", {"of": other, "similarity": value}, 0.0, (Evidence(None, detail),), detail)
