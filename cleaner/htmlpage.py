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
import threading
from dataclasses import dataclass
from html import unescape

import trafilatura
from lxml import etree
from lxml import html as lxml_html
from trafilatura.utils import repair_faulty_html

from .assemble import parse_date
from .document import LEFT_OUT_ABOVE_REASON, LEFT_OUT_REASON, Block, Document, LineDecision, Metadata
from .linemodel import LineModel
from .secondpass import second_pass
from .visible import has_visible_text, without_invisible_edges

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
# A fixed latest date: htmldate's default is today, which would make results depend on the day.
# The original publication date, not the latest update: a page's "modified" date is often months or
# years after the story (9 of the 181 scrapinghub pages), and a reader judges a story by when it ran.
DATE_SEARCH = {"extensive_search": False, "original_date": True, "max_date": "2099-12-31"}
# trafilatura's fast mode (no comparison with its readability and jusText fallbacks) takes about
# half the time and, with favor_precision, is as accurate, except on the few pages where it finds
# next to nothing; under this many characters (about 100 words) the full mode runs too and the
# longer text is kept. Measured with `cleaner evaluate extraction` on the scrapinghub benchmark:
# full mode F1 0.966 (P 0.961); this cascade 0.968 (P 0.965), 13 of 181 pages run twice; fast mode
# alone loses those pages (F1 0.946). Thresholds from 500 to 750 give the same scores.
MIN_FAST_CHARS = 600
DROPPED_TAGS = ("script", "style", "noscript", "template", "svg", "head")
# A page line at least this long that occurs inside the extracted text is part of it (trafilatura
# may join or split the page's elements); shorter lines must match an extracted line whole, so
# that "Share" is not taken for the word in a sentence.
MIN_MATCHED_CHARS = 20
_SPACES_RE = re.compile(r"\s+")
ITEM_MARK = "• "  # how a list item starts in the extracted text
CELL_SEPARATOR = " | "  # between a table row's cells in the extracted text
# trafilatura's elements that break a line of text: line breaks, paragraphs, items, cells…
_BREAK_TAGS = frozenset({"lb", "p", "head", "quote", "item", "list", "row", "cell", "code", "table"})
_LIST_TAGS = frozenset({"list"})
_INVISIBLE_OPEN_RE = re.compile(r"<(script|style|noscript|template|svg|head)\b", re.IGNORECASE)
_BLOCK_TAG_RE = re.compile(rf"</?(?:{'|'.join(BLOCK_TAGS)})\b[^>]*>", re.IGNORECASE)
_BLOCK_OPEN_RE = re.compile(rf"<(?:{'|'.join(BLOCK_TAGS)})\b", re.IGNORECASE)
_TAG_RE = re.compile(r"<[^>]*>")
# Characters XML does not allow (C0 controls but tab, newline and CR; U+FFFE, U+FFFF): libxml2's
# HTML parser keeps them, raw or from a reference ("&#1;"), but lxml refuses to write them back.
_NOT_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _page_parser() -> lxml_html.HTMLParser:
    """trafilatura's parser settings, with every element an HtmlElement chosen in C.

    lxml.html's own lookup is a Python function run each time lxml hands an element to Python,
    hundreds of thousands of times a page in trafilatura's XPath and tree walks; it only adds
    form-specific classes, which trafilatura never uses. Same trees, same extraction, about a
    sixth less time per page (measured on the scrapinghub pages, identical output on all 181)."""
    parser = lxml_html.HTMLParser(
        collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True, remove_pis=True
    )
    parser.set_element_class_lookup(
        etree.ElementDefaultClassLookup(
            element=lxml_html.HtmlElement,
            comment=lxml_html.HtmlComment,
            pi=lxml_html.HtmlProcessingInstruction,
            entity=lxml_html.HtmlEntity,
        )
    )
    return parser


_PARSERS = threading.local()  # lxml parsers must not be shared between threads


def load_page(page: str) -> lxml_html.HtmlElement | None:
    """The page's tree, for trafilatura. Pages lxml cannot take as a string (an encoding
    declaration), or that parse to nothing, go through trafilatura's own loader and its checks."""
    parser = getattr(_PARSERS, "parser", None)
    if parser is None:
        parser = _PARSERS.parser = _page_parser()
    try:
        tree = lxml_html.fromstring(repair_faulty_html(page, page[:50].lower()), parser=parser)
    except (ValueError, etree.LxmlError):
        tree = None
    if tree is None or len(tree) < 2:
        tree = trafilatura.load_html(page)
    return _in_html_root(tree)


# Roots an HTML parser keeps for a page that opens with them (an SVG file saved as .html): the date
# finder trafilatura calls removes elements from their parent and fails on a root, which has none.
FOREIGN_ROOTS = frozenset({"svg", "math"})


def _in_html_root(tree: lxml_html.HtmlElement | None) -> lxml_html.HtmlElement | None:
    if tree is None or not isinstance(tree.tag, str) or tree.tag.rsplit("}", 1)[-1].lower() not in FOREIGN_ROOTS:
        return tree
    root = lxml_html.Element("html")
    etree.SubElement(root, "body").append(tree)
    return root


@dataclass(frozen=True)
class ExtractedLine:
    kind: str  # body or heading
    text: str
    element: str  # trafilatura's element: p, head, item, row, quote, code


def _text(element: etree._Element, *, skip: frozenset[str] = frozenset()) -> str:
    """An element's text; line breaks and block children become spaces, so that words never glue."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if child.tag not in skip:
                spaced = child.tag in _BREAK_TAGS
                parts.append(" " if spaced else "")
                walk(child)
                parts.append(" " if spaced else "")
            if child.tail:
                parts.append(child.tail)

    walk(element)
    return _visible(_SPACES_RE.sub(" ", "".join(parts)))


def _visible(text: str) -> str:
    """`text` stripped of spaces and invisible characters at its edges, or "" when nothing in it
    shows: trafilatura keeps a `<p>` holding only a zero-width space as main content, and it must
    not become an empty-looking body paragraph."""
    return without_invisible_edges(text).strip() if has_visible_text(text) else ""


def _list_lines(element: etree._Element) -> list[ExtractedLine]:
    """One line per item; a nested list's items are lines of their own, not part of their parent's."""
    lines = []
    for item in element.iterchildren("item"):
        if text := _text(item, skip=_LIST_TAGS):
            lines.append(ExtractedLine("body", f"{ITEM_MARK}{text}", "item"))
        for nested in item.iterchildren("list"):
            lines.extend(_list_lines(nested))
    return lines


def extracted_lines(body: etree._Element) -> list[ExtractedLine]:
    """trafilatura's body tree as lines: list items and table rows one per line.

    Text can also sit loose in the body, before the first element or after one (an element's
    tail); it becomes a body line of its own."""
    lines = []
    if loose := _visible(_SPACES_RE.sub(" ", body.text or "")):
        lines.append(ExtractedLine("body", loose, "text"))
    for element in body:
        tag = element.tag
        if tag == "list":
            lines.extend(_list_lines(element))
        elif tag == "table":
            for row in element.iter("row"):
                cells = [_text(cell) for cell in row]
                if any(cells):
                    lines.append(ExtractedLine("body", CELL_SEPARATOR.join(cells), "row"))
        elif text := _text(element):
            lines.append(ExtractedLine("heading" if tag == "head" else "body", text, tag))
        if loose := _visible(_SPACES_RE.sub(" ", element.tail or "")):
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


@dataclass(frozen=True)
class Extraction:
    lines: list[ExtractedLine]
    metadata: Metadata
    page_lines: list[str]  # the whole page's visible text, one line per block element


def _extraction(content: str | lxml_html.HtmlElement, url: str | None, *, fast: bool, with_metadata: bool):
    return trafilatura.bare_extraction(
        content,
        url=url,
        fast=fast,
        favor_precision=True,
        include_comments=False,
        include_tables=True,
        with_metadata=with_metadata,
        date_extraction_params=DATE_SEARCH,
    )


def _body_lines(result) -> list[ExtractedLine]:
    return [] if result is None or result.body is None else extracted_lines(result.body)


def _chars(lines: list[ExtractedLine]) -> int:
    return sum(len(line.text) for line in lines)


def extract(page: str, *, url: str | None = None) -> Extraction | None:
    """trafilatura's main content and metadata, and the page's text; None when it finds no body.

    trafilatura runs in its fast mode first, and again in full when that finds little (see
    MIN_FAST_CHARS). The page is parsed once: trafilatura works on copies of the tree, and the
    page's text comes from the tree itself."""
    try:
        tree = load_page(page)
        content = tree if tree is not None else page
        result = _extraction(content, url, fast=True, with_metadata=True)
        lines = _body_lines(result)
        if _chars(lines) < MIN_FAST_CHARS:
            full = _extraction(content, url, fast=False, with_metadata=result is None)
            if _chars(full_lines := _body_lines(full)) > _chars(lines):
                lines = full_lines
            result = result if result is not None else full
    except (ValueError, TypeError, etree.LxmlError, RecursionError):
        return None
    if result is None or not lines:
        return None
    try:
        page_lines = [line for line in flatten(page, tree).split("\n") if has_visible_text(line)]
        return Extraction(_without_title_heading(lines, result.title), _metadata(result), page_lines)
    except RecursionError:
        return None


def _without_title_heading(lines: list[ExtractedLine], title: str | None) -> list[ExtractedLine]:
    """The headline is the document's title block already; trafilatura often repeats it as <h1>."""
    if title and lines and lines[0].kind == "heading" and _same_text(lines[0].text, title):
        return lines[1:]
    return lines


def _same_text(a: str, b: str) -> bool:
    return _SPACES_RE.sub(" ", a).strip().casefold() == _SPACES_RE.sub(" ", b).strip().casefold()


def flatten(page: str, tree: etree._Element | None = None) -> str:
    """The page's visible text, one line per block element (for the text stripper); `tree` is the
    page already parsed, if it is (it is changed).

    libxml2 gives up on markup nested deeper than a few hundred levels and returns an empty tree;
    the text is then taken by removing the tags instead."""
    page = _xml_text(page)
    if tree is None:
        try:
            tree = lxml_html.document_fromstring(page)
        except (ValueError, etree.LxmlError, RecursionError):
            tree = None
    text = ""
    if tree is not None:
        etree.strip_elements(tree, *DROPPED_TAGS, etree.Comment, etree.ProcessingInstruction, with_tail=False)
        for element in tree.iter(*BLOCK_TAGS):
            # A line break on both sides: "<li>Weekdays<ul><li>Lanes…" must not become "WeekdaysLanes".
            element.text = "\n" + _xml_text(element.text or "")
            element.tail = "\n" + _xml_text(element.tail or "")
        for cell in tree.iter("td", "th"):  # a row stays one line, its cells apart: "<td>9</td><td>Ann"
            cell.tail = " " + _xml_text(cell.tail or "")
        text = etree.tostring(tree, method="text", encoding="unicode")
    if not text.strip():
        text = _strip_tags(page)
    return "\n".join(" ".join(without_invisible_edges(line).split()) for line in text.split("\n"))


def _xml_text(text: str) -> str:
    """`text` as lxml writes it: a character XML does not allow becomes a space (a vertical tab
    between menu words still parts them); the flattened lines' spaces are collapsed anyway."""
    return _NOT_XML_RE.sub(" ", text)


def count_possible_lines(page: str) -> int:
    """An upper bound on the lines of the flattened page, counted before parsing: its block
    elements and its line breaks (a raw newline inside one element starts a line too)."""
    breaks = page.count("\n") + page.count("\r") - page.count("\r\n")  # a CR LF is one break
    return sum(1 for _ in _BLOCK_OPEN_RE.finditer(page)) + breaks + 1


def _drop_invisible(page: str) -> str:
    """Remove script, style and similar elements in one pass (a regex with a lazy .*? would rescan
    to the end of the page for every unclosed opening tag)."""
    lowered, out, position = page.lower(), [], 0
    while match := _INVISIBLE_OPEN_RE.search(page, position):
        out.append(page[position : match.start()])
        close = lowered.find(f"</{match.group(1).lower()}", match.end())
        if close == -1:
            return " ".join(out)  # never closed: the rest of the page is inside it
        end = lowered.find(">", close)
        position = len(page) if end == -1 else end + 1
    out.append(page[position:])
    return " ".join(out)


def _strip_tags(page: str) -> str:
    page = _drop_invisible(page)
    page = _BLOCK_TAG_RE.sub("\n", page)
    return unescape(_TAG_RE.sub("", page))


def html_document(
    extraction: Extraction, *, source: str, notices: tuple[str, ...], model: LineModel, smoothing: bool = True
) -> Document:
    """Blocks from trafilatura's lines, less what our second pass moves out of the body (see
    secondpass.py), then the rest of the page's text as boilerplate.

    Lines are numbered in the extracted text (title first), and the page's lines that trafilatura
    left out follow, in page order, so a reviewer sees what was removed and the signals see the
    page's chrome (archive counts, bios, disclaimers) as they do for text pages."""
    metadata = extraction.metadata
    decisions, blocks = [], []
    number = 1
    if metadata.title:
        reason = "page title (trafilatura metadata)"
        decisions.append(LineDecision(number, metadata.title, "title", 1.0, reason))
        blocks.append(Block("title", metadata.title, (number, number), reason))
        number += 1
    moved = second_pass(model, metadata.title, [line.text for line in extraction.lines], smoothing=smoothing)
    for position, line in enumerate(extraction.lines):
        kind, probability, reason = line.kind, 1.0, f"main content <{line.element}> (trafilatura)"
        if position in moved:
            kind, probability, reason = moved[position].kind, moved[position].probability, moved[position].reason
        decisions.append(LineDecision(number, line.text, kind, probability, reason))
        blocks.append(Block(kind, line.text, (number, number), reason))
        number += 1
    first_left_out = number
    for text, above in _left_out(extraction):
        decisions.append(
            LineDecision(number, text, "boilerplate", 1.0, LEFT_OUT_ABOVE_REASON if above else LEFT_OUT_REASON)
        )
        number += 1
    if number > first_left_out:
        left_out = "\n".join(d.text for d in decisions[first_left_out - 1 :])
        blocks.append(Block("boilerplate", left_out, (first_left_out, number - 1), LEFT_OUT_REASON))
    notices = (
        *notices,
        f"HTML: lines 1-{first_left_out - 1} are the extracted text; the page's other lines follow",
    )
    return Document(source, tuple(blocks), metadata, tuple(decisions), notices)


def _left_out(extraction: Extraction) -> list[tuple[str, bool]]:
    """The page's lines that are not part of the extracted text (nor the title), each with whether
    it comes before the article's text on the page (its first extracted line other than the title)."""
    kept = [line.text for line in extraction.lines]
    # The page has the item's text without our bullet, and a row's cells without our separators.
    kept += [line.text.removeprefix(ITEM_MARK) for line in extraction.lines if line.element == "item"]
    kept += [line.text.replace(CELL_SEPARATOR, " ") for line in extraction.lines if line.element == "row"]
    if extraction.metadata.title:
        kept.append(extraction.metadata.title)
    normalised = dict.fromkeys(_SPACES_RE.sub(" ", text).strip().casefold() for text in kept)
    exact = normalised.keys()
    # In page order, so that a page's lines, which mostly come in that order, are each found just
    # after the previous one: a search of the whole text per line made a page of one 45,000-line
    # element take 29 s.
    blob = "\n".join(normalised)
    position = 0
    # The article's text starts where its first extracted line is (a breadcrumb or a menu may repeat
    # other lines of it, or its title, higher up).
    first = (
        _SPACES_RE.sub(" ", extraction.lines[0].text.removeprefix(ITEM_MARK)).strip().casefold()
        if extraction.lines
        else ""
    )
    out = []
    above = True
    for line in extraction.page_lines:
        key = line.casefold()
        if above and key and first and (key == first or (len(key) >= MIN_MATCHED_CHARS and key in first)):
            above = False
        if not key or key in exact:
            continue
        if len(key) >= MIN_MATCHED_CHARS:
            found = blob.find(key, position)
            if found < 0:  # before the previous match, or not in the text
                found = blob.find(key, 0, position + len(key) - 1)
            if found >= 0:
                position = max(position, found + len(key))
                continue
        out.append((line, above))
    return out
