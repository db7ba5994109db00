"""The records the cleaner produces: line decisions, blocks and the document."""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = ("body", "heading", "title", "byline", "date", "caption", "boilerplate")
KEPT_KINDS = frozenset({"body", "heading"})
NEUTRAL_KINDS = frozenset({"title", "byline", "date", "caption"})
SCHEMA_VERSION = "1"
# The reasons an HTML page's lines get when trafilatura left them out of the main content; the
# signals read the second (a byline or dateline above the article's text).
LEFT_OUT_REASON = "not in the main content (trafilatura left it out)"
# ...and before the article's text on the page (a byline, a dateline, a section label).
LEFT_OUT_ABOVE_REASON = "not in the main content (trafilatura left it out), above the article's text"


@dataclass(frozen=True)
class LineDecision:
    """Why one source line got its kind (the `--detailed` view)."""

    number: int  # 1-based source line
    text: str
    kind: str
    probability: float  # the model's probability of `kind` for this line
    reason: str


@dataclass(frozen=True)
class Block:
    """A run of source lines that belongs together: a paragraph, a heading, a menu…"""

    kind: str
    text: str
    lines: tuple[int, int]  # 1-based, inclusive
    reason: str
    label: str | None = None  # reporting / opinion / filler, for body blocks once classified
    scores: dict[str, float] | None = None

    def to_dict(self) -> dict:
        out = {"kind": self.kind, "text": self.text, "lines": list(self.lines), "reason": self.reason}
        if self.label is not None:
            out["label"] = self.label
            out["scores"] = self.scores
        return out


@dataclass(frozen=True)
class Metadata:
    """What the page says about itself: title, author, date, site, address and topics."""

    title: str | None = None
    author: str | None = None
    date: str | None = None  # as written on the page
    date_iso: str | None = None  # YYYY-MM-DD when the written date could be read
    site_name: str | None = None  # HTML pages: from the page's metadata
    url: str | None = None
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    """One cleaned page: its blocks in page order, metadata, per-line decisions and notices."""

    source: str
    blocks: tuple[Block, ...]
    metadata: Metadata = field(default_factory=Metadata)
    line_decisions: tuple[LineDecision, ...] = ()
    notices: tuple[str, ...] = ()  # e.g. the encoding the text was decoded from

    @property
    def kept(self) -> tuple[Block, ...]:
        """Title, headings and body paragraphs: the clean article."""
        return tuple(b for b in self.blocks if b.kind in KEPT_KINDS or b.kind == "title")

    def __repr__(self) -> str:
        # The default would print every block and line decision: pages long.
        body = sum(block.kind == "body" for block in self.blocks)
        return (
            f"Document(source={self.source!r}, title={self.metadata.title!r}, "
            f"blocks={len(self.blocks)}, body_blocks={body})"
        )

    def article_text(self) -> str:
        """The clean article as text: title, headings and body paragraphs, a blank line apart."""
        return "\n\n".join(b.text for b in self.kept)

    def to_dict(self, *, detailed: bool = False) -> dict:
        """JSON-ready: metadata, notices and blocks; `detailed` adds every source line's decision."""
        out = {
            "schema_version": SCHEMA_VERSION,
            "source": self.source,
            "metadata": {
                name: list(value) if isinstance(value, tuple) else value for name, value in vars(self.metadata).items()
            },
            "notices": list(self.notices),
            "blocks": [b.to_dict() for b in self.blocks],
        }
        if detailed:
            # By hand: dataclasses.asdict recurses and copies, and a page has hundreds of lines.
            out["lines"] = [
                {"number": d.number, "text": d.text, "kind": d.kind, "probability": d.probability, "reason": d.reason}
                for d in self.line_decisions
            ]
        return out


def document_from_dict(data: dict) -> Document:
    """The Document that `Document.to_dict(detailed=True)` wrote (to reuse a current report)."""
    meta = dict(data["metadata"])
    meta["categories"] = tuple(meta.get("categories", ()))
    meta["tags"] = tuple(meta.get("tags", ()))
    blocks = tuple(
        Block(b["kind"], b["text"], tuple(b["lines"]), b["reason"], b.get("label"), b.get("scores"))
        for b in data["blocks"]
    )
    lines = tuple(LineDecision(**d) for d in data.get("lines", ()))
    return Document(data["source"], blocks, Metadata(**meta), lines, tuple(data["notices"]))
