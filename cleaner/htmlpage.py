"""HTML page → document of typed blocks, through trafilatura's structured extraction.

trafilatura (`bare_extraction`, comments excluded, tables kept) finds the main content and returns
it as a tree of paragraphs, headings, lists, quotes and tables; each becomes one or more lines of
an extracted text, and each line a block with its kind and reason. The page's metadata (title,
author, date, site name, URL, categories, tags) comes from trafilatura too.

When trafilatura finds nothing or very little, the page is flattened to text (one line per block
element) and cleaned by the text stripper instead, and the document says so in a notice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape

import trafilatura
from lxml import etree
from lxml import html as lxml_html

from .assemble import parse_date
from .document import Block, Document, LineDecision, Metadata

# Below this many characters of extracted body text, trafilatura is taken to have missed the
# article and the text stripper reads the whole page instead.
MIN_EXTRACTED_CHARS = 250
# Elements that end a line when a page is flattened for the fallback.
BLOCK_TAGS = (
    "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "br", "section", "article", "header",
    "footer", "nav", "aside", "blockquote", "pre", "table", "ul", "ol", "dd", "dt", "figcaption", "title",
)  # fmt: skip
# htmldate's extensive search (scanning the whole page for date-like strings) costs more than the
# rest of the extraction together; the page's metadata, URL and time elements usually suffice.
DATE_SEARCH = {"extensive_search": False, "original_date": False}
DROPPED_TAGS = ("script", "style", "noscript", "template", "svg", "head")
_SPACES_RE = re.compile(r"\s+")
_INVISIBLE_RE = re.compile(r"<(script|style|noscript|template|svg|head)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_BLOCK_TAG_RE = re.compile(rf"</?(?:{'|'.join(BLOCK_TAGS)})\b[^>]*>", re.IGNORECASE)
_TAG_RE = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class ExtractedLine:
    kind: str  # body or heading
    text: str
    element: str  # trafilatura's element: p, head, item, row, quote, code


def _text(element: etree._Element) -> str:
    return _SPACES_RE.sub(" ", "".join(element.itertext())).strip()


def extracted_lines(body: etree._Element) -> list[ExtractedLine]:
    """trafilatura's body tree as lines: list items and table rows one per line.

    Text can also sit loose in the body, before the first element or after one (an element's
    tail); it becomes a body line of its own."""
    lines = []
    if loose := _SPACES_RE.sub(" ", body.text or "").strip():
        lines.append(ExtractedLine("body", loose, "text"))
    for element in body:
        tag = element.tag
        if tag == "list":
            for item in element.iter("item"):
                if text := _text(item):
                    lines.append(ExtractedLine("body", f"• {text}", "item"))
        elif tag == "table":
            for row in element.iter("row"):
                cells = [_text(cell) for cell in row]
                if any(cells):
                    lines.append(ExtractedLine("body", " | ".join(cells), "row"))
        elif text := _text(element):
            lines.append(ExtractedLine("heading" if tag == "head" else "body", text, tag))
        if loose := _SPACES_RE.sub(" ", element.tail or "").strip():
            lines.append(ExtractedLine("body", loose, "text"))
    return lines


def _metadata(result: trafilatura.settings.Document) -> Metadata:
    date = result.date or None
    return Metadata(
        title=result.title or None,
        author=result.author or None,
        date=date,
        date_iso=parse_date(date) if date else None,
        site_name=result.sitename or None,
        url=result.url or None,
        categories=tuple(result.categories or ()),
        tags=tuple(result.tags or ()),
    )


def extract(page: str, *, url: str | None = None) -> tuple[list[ExtractedLine], Metadata] | None:
    """trafilatura's main content and metadata, or None when it finds no body."""
    try:
        result = trafilatura.bare_extraction(
            page,
            url=url,
            include_comments=False,
            include_tables=True,
            with_metadata=True,
            date_extraction_params=DATE_SEARCH,
        )
    except (ValueError, etree.LxmlError, RecursionError):
        return None
    if result is None or result.body is None:
        return None
    return extracted_lines(result.body), _metadata(result)


def flatten(page: str) -> str:
    """The page's visible text, one line per block element (for the text stripper).

    libxml2 gives up on markup nested deeper than a few hundred levels and returns an empty tree;
    the text is then taken by removing the tags instead."""
    try:
        tree = lxml_html.document_fromstring(page)
    except (ValueError, etree.LxmlError, RecursionError):
        tree = None
    text = ""
    if tree is not None:
        etree.strip_elements(tree, *DROPPED_TAGS, with_tail=False)
        for element in tree.iter(*BLOCK_TAGS):
            element.tail = "\n" + (element.tail or "")
        text = etree.tostring(tree, method="text", encoding="unicode")
    if not text.strip():
        text = _strip_tags(page)
    return "\n".join(_SPACES_RE.sub(" ", line).strip() for line in text.split("\n"))


def _strip_tags(page: str) -> str:
    page = _INVISIBLE_RE.sub(" ", page)
    page = _BLOCK_TAG_RE.sub("\n", page)
    return unescape(_TAG_RE.sub("", page))


def html_document(lines: list[ExtractedLine], metadata: Metadata, *, source: str, notices: tuple[str, ...]) -> Document:
    """Blocks from trafilatura's lines; `lines` numbers refer to the extracted text (title first)."""
    decisions, blocks = [], []
    number = 1
    if metadata.title:
        reason = "page title (trafilatura metadata)"
        decisions.append(LineDecision(number, metadata.title, "title", 1.0, reason))
        blocks.append(Block("title", metadata.title, (number, number), reason))
        number += 1
    for line in lines:
        reason = f"main content <{line.element}> (trafilatura)"
        decisions.append(LineDecision(number, line.text, line.kind, 1.0, reason))
        blocks.append(Block(line.kind, line.text, (number, number), reason))
        number += 1
    notices = (*notices, "HTML: line numbers refer to the extracted text")
    return Document(source, tuple(blocks), metadata, tuple(decisions), notices)
