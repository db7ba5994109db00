"""The per-document report: the cleaned, labelled document, its signals and its assessment."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit

from .assess import Assessment, weigh
from .document import Document
from .names import NEWS_AGENCIES
from .signals import Signal, document_signals

REPORT_SCHEMA_VERSION = "1"


def _cleaner_version() -> str:
    """The release and a hash of the package's own code and word lists ("0.1.0+3f2a…"): another
    version may clean a page otherwise, so a run does not reuse a report it did not write, even
    between releases. A checkout that is not installed has no release to give."""
    try:
        release = metadata.version("newsclean")
    except metadata.PackageNotFoundError:
        release = "unknown"
    package = Path(__file__).resolve().parent
    code = hashlib.sha256()
    for path in sorted(p for p in package.rglob("*") if p.suffix in CODE_SUFFIXES and "_bundled" not in p.parts):
        code.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return f"{release}+{code.hexdigest()[:CODE_HASH_CHARS]}"


CODE_SUFFIXES = frozenset({".py", ".tsv", ".json"})
CODE_HASH_CHARS = 12
CLEANER_VERSION = _cleaner_version()
# The published JSON Schema every report validates against (tests check it).
# "Copyright 2014", "© 2019 Herald Media. All rights reserved.": the notice around a name, at its
# start or end only ("2020 Magazine" and "Rights Watch" are names).
_YEARS = r"(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)\d\d)?"
COPYRIGHT_NOTICE_RE = re.compile(
    rf"^\s*(?:copyright\s*(?:©|\(c\))?\s*(?=[12])|©|\(c\))\s*(?:{_YEARS})?"
    rf"|(?:\s*[-–—|,]?\s*(?:copyright|©|\(c\))\s*(?:{_YEARS})?|(?:\s+{_YEARS})?\.?\s*all rights reserved)\.?\s*$",
    re.IGNORECASE,
)
SCHEMA_FILE = Path(__file__).resolve().parent / "schema" / f"report-{REPORT_SCHEMA_VERSION}.schema.json"


@dataclass(frozen=True)
class Report:
    """One page's credibility report: its cleaned, labelled document, signals and assessment."""

    document: Document
    signals: tuple[Signal, ...]
    score: float
    band: str
    type_of_work: str

    @classmethod
    def of(cls, doc: Document, *, run_signals: tuple[Signal, ...] = ()) -> Report:
        """The report of one document; `run_signals` are those computed across a run."""
        return cls.from_signals(doc, weigh([*document_signals(doc), *run_signals]))

    @classmethod
    def from_signals(cls, doc: Document, signals: Iterable[Signal]) -> Report:
        """The report of a document whose signals are computed and weighed already."""
        return cls.from_assessment(doc, Assessment.of(signals))

    @classmethod
    def from_assessment(cls, doc: Document, assessment: Assessment) -> Report:
        return cls(doc, assessment.signals, assessment.score, assessment.band, assessment.type_of_work)

    @property
    def assessment(self) -> Assessment:
        return Assessment(self.signals, self.score, self.band, self.type_of_work)

    def to_dict(self, *, provenance: dict | None = None) -> dict:
        """JSON-ready; `provenance` (input and model hashes) lets a later run skip current reports."""
        out = report_head(self.assessment)
        out["document"] = self.document.to_dict(detailed=True)
        if provenance is not None:
            out["provenance"] = provenance
        return out

    def to_html(self) -> str:
        """A self-contained HTML page for a reviewer (no external assets; page text escaped)."""
        from .html_report import document_html

        return document_html(self)


def report_head(assessment: Assessment, doc_id: str | None = None) -> dict:
    """A report's members before its document, in order: the one layout of every report."""
    head: dict = {} if doc_id is None else {"id": doc_id}
    head["report_schema_version"] = REPORT_SCHEMA_VERSION
    head["assessment"] = assessment.to_dict()
    head["signals"] = [s.to_dict() for s in assessment.signals]
    return head


def report_line(assessment: Assessment, document_json: str, provenance: dict, doc_id: str) -> str:
    """A report as one line of JSON, its document already serialised (by a worker): the bytes
    json.dumps would write for the whole report, without encoding the document again."""
    start = json.dumps(report_head(assessment, doc_id), ensure_ascii=False)[:-1]
    return f'{start}, "document": {document_json}, "provenance": {json.dumps(provenance, ensure_ascii=False)}}}\n'


def source_name(doc: Document) -> str:
    """Where a document comes from: its site name, else its URL's domain, else "unknown".

    A copyright notice is no site name ("Copyright 2014"), and a news agency named as the page's
    publisher gives way to the page's own domain: a paper running a wire story is the source, and
    an agency's own pages group under its domain whichever form of its name they give."""
    try:
        host = (urlsplit(doc.metadata.url).hostname or "").removeprefix("www.") if doc.metadata.url else ""
    except ValueError:  # not a URL: no domain
        host = ""
    name = COPYRIGHT_NOTICE_RE.sub("", doc.metadata.site_name or "").strip(" .,-–—|")
    if name and not name.isdigit() and not (host and name.casefold() in NEWS_AGENCIES):
        return name
    return host or "unknown"
