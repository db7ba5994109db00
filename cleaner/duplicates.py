"""Near-duplicate documents within a run: shared 5-word runs of body text (Jaccard similarity)."""

from __future__ import annotations

import re
from collections import defaultdict

from .document import Document
from .signals import Evidence, Signal

SHINGLE_WORDS = 5
NEAR_DUPLICATE_JACCARD = 0.5
# A run of words found in more documents than this is shared phrasing, not copying; it is not used
# to find candidates, which keeps the comparison near linear in the run's size.
MAX_DOCUMENTS_PER_SHINGLE = 50
_WORD_RE = re.compile(r"\w+")


def body_shingles(doc: Document) -> frozenset[tuple[str, ...]]:
    words = [w.lower() for b in doc.blocks if b.kind == "body" for w in _WORD_RE.findall(b.text)]
    return frozenset(zip(*(words[i:] for i in range(SHINGLE_WORDS))))


def near_duplicates(documents: list[tuple[str, Document]]) -> dict[str, tuple[str, float]]:
    """For each document with a near-duplicate in the run: (the most similar one's id, Jaccard).

    Candidate pairs come from rare shared shingles and from identical shingle sets; each
    candidate's similarity is then computed exactly over all its shingles."""
    shingles = {doc_id: body_shingles(doc) for doc_id, doc in documents}
    postings: dict[tuple[str, ...], list[str]] = defaultdict(list)
    identical: dict[frozenset, list[str]] = defaultdict(list)
    for doc_id, grams in shingles.items():
        if grams:
            identical[grams].append(doc_id)
        for gram in grams:
            postings[gram].append(doc_id)
    best: dict[str, tuple[str, float]] = {}
    for ids in identical.values():  # copies: similarity 1, whatever the group's size
        for doc_id in ids[1:] if len(ids) > 1 else ():
            best[doc_id] = (ids[0], 1.0)
        if len(ids) > 1:
            best[ids[0]] = (ids[1], 1.0)
    candidates: set[tuple[str, str]] = set()
    for ids in postings.values():
        if 1 < len(ids) <= MAX_DOCUMENTS_PER_SHINGLE:
            candidates.update((a, b) for i, a in enumerate(ids) for b in ids[i + 1 :])
    for a, b in sorted(candidates):
        small, large = sorted((len(shingles[a]), len(shingles[b])))
        if small < NEAR_DUPLICATE_JACCARD * large:  # Jaccard is at most small / large
            continue
        shared = len(shingles[a] & shingles[b])
        similarity = round(shared / (len(shingles[a]) + len(shingles[b]) - shared), 3)
        if similarity < NEAR_DUPLICATE_JACCARD:
            continue
        for this, other in ((a, b), (b, a)):
            if (
                this not in best
                or similarity > best[this][1]
                or (similarity == best[this][1] and other < best[this][0])
            ):
                best[this] = (other, similarity)
    return best


def near_duplicate_signal(match: tuple[str, float] | None, run_size: int) -> Signal:
    if match is None:
        evidence = (Evidence(None, f"compared with the other {run_size - 1} documents of the run"),)
        return Signal("near_duplicate", None, 0.0, evidence, "no near-duplicate in this run")
    other, similarity = match
    detail = f"shares {similarity:.0%} of its {SHINGLE_WORDS}-word runs with document {other}"
    return Signal("near_duplicate", {"of": other, "similarity": similarity}, 0.0, (Evidence(None, detail),), detail)
