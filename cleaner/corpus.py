"""Annotated pages: our training pages in seeds/pages and our annotation of the shared seeds."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from .assemble import continues, join_wrapped
from .document import KINDS
from .errors import CleanerError
from .labelled import LabelledParagraph
from .paths import seeds_dir, shared_dir


class CorpusError(CleanerError, ValueError):
    """An annotated file that cannot be read; the message names the file and line. A CleanerError, so
    the command line reports it in one line."""


@dataclass(frozen=True)
class AnnotatedPage:
    name: str
    style: str
    lines: tuple[str, ...]
    kinds: tuple[str | None, ...]  # None for blank lines

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def read_tsv_page(path: Path, style: str | None = None) -> AnnotatedPage:
    lines: list[str] = []
    kinds: list[str | None] = []
    raw = path.read_text(encoding="utf-8").split("\n")
    if raw and raw[-1] == "":
        raw.pop()
    for number, row in enumerate(raw, 1):
        if not row.strip():
            lines.append("")
            kinds.append(None)
            continue
        kind, tab, text = row.partition("\t")
        if not tab or kind not in KINDS:
            raise CorpusError(f"{path}:{number}: expected KIND<TAB>TEXT with KIND in {', '.join(KINDS)}")
        lines.append(text)
        kinds.append(kind if text.strip() else None)
    return AnnotatedPage(path.stem, style or path.parent.name, tuple(lines), tuple(kinds))


def training_pages(root: Path | None = None) -> list[AnnotatedPage]:
    """All annotated pages under root (default: the bundled seeds/pages), sorted by path."""
    root = root or seeds_dir() / "pages"
    paths = sorted(root.rglob("*.tsv"))
    if not paths:
        raise CorpusError(f"{root}: no annotated pages (*.tsv) found")
    return [read_tsv_page(p) for p in paths]


def corpus_hash(pages: list[AnnotatedPage]) -> str:
    digest = hashlib.sha256()
    for page in pages:
        digest.update(f"{page.style}/{page.name}\n".encode())
        for kind, line in zip(page.kinds, page.lines):
            digest.update(f"{kind or ''}\t{line}\n".encode())
    return digest.hexdigest()


def seed_annotation_file() -> Path:
    return seeds_dir() / "annotations" / "shared-seeds.json"


def evaluation_seeds(folder: Path | None = None) -> list[AnnotatedPage]:
    """The shared seed pages with our annotation; the text is read from `../shared/seeds`.

    Raises FileNotFoundError when the shared folder is absent, CorpusError when a file changed.
    """
    folder = folder or shared_dir() / "seeds"
    spec = json.loads(seed_annotation_file().read_text(encoding="utf-8"))
    pages = []
    for name, entry in sorted(spec["pages"].items()):
        path = folder / name
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != entry["sha256"]:
            raise CorpusError(f"{path}: content differs from the annotated version (sha256 mismatch)")
        lines = data.decode("utf-8").split("\n")
        kinds: list[str | None] = [None] * len(lines)
        for start, end, kind in entry["ranges"]:
            for i in range(start - 1, end):
                kinds[i] = kind if lines[i].strip() else None
        pages.append(AnnotatedPage(name, "seed", tuple(lines), tuple(kinds)))
    return pages


def seed_paragraphs(folder: Path | None = None) -> list[LabelledParagraph]:
    """The body paragraphs of the shared seeds with our labels (for evaluation only).

    A paragraph starts at an annotated body line and takes in the hard-wrapped lines that continue
    it, as the cleaner joins them. Raises as evaluation_seeds does.
    """
    labels = json.loads(seed_annotation_file().read_text(encoding="utf-8"))["pages"]
    out = []
    for page in evaluation_seeds(folder):
        page_labels = labels[page.name]["paragraph_labels"]
        for start, label in sorted(page_labels.items(), key=lambda item: int(item[0])):
            i = int(start) - 1
            text = page.lines[i].strip()
            j = i + 1
            while j < len(page.lines) and page.kinds[j] == "body" and continues(page.lines[j - 1], page.lines[j]):
                text = join_wrapped(text, page.lines[j])
                j += 1
            out.append(LabelledParagraph(text, label, page.name, style="seed"))
    return out
