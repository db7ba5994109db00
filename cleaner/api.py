"""The library entry point."""

from __future__ import annotations

from dataclasses import replace
from types import UnionType
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .document import Document
from .errors import LIBRARY_LIMIT, SURROGATE_RE, InputError, too_large, too_long, too_many_lines
from .htmlinput import GZIP_MAGIC, TEXT_SUFFIXES, decode_html, gunzip, is_html_name, looks_like_html
from .htmlpage import MIN_EXTRACTED_CHARS, count_possible_lines, extract, flatten, html_document
from .labelling import label_body
from .models import line_model, paragraph_model
from .options import CleanOptions
from .stripper import strip_text
from .textinput import decode
from .visible import has_visible_text

if TYPE_CHECKING:
    from .report import Report

EMPTY_INPUT = "empty input (no text to clean)"
FALLBACK_NOTICE = "trafilatura found no article here; the text stripper read the whole page"


def clean(
    page: str | bytes,
    *,
    source: str = "<text>",
    url: str | None = None,
    html: bool | None = None,
    charset: str | None = None,
    options: CleanOptions | None = None,
) -> Document:
    """Clean one page (plain text or HTML; str, or bytes in any common encoding, gzipped or not)
    into a document of typed blocks. `url` helps metadata extraction for HTML and is the document's
    address when the page does not give one (a URL that names no host, given or in the page, is
    ignored); `html` says what the page is when its container knows (a WARC response, a JSON Lines
    field), else it is detected; `charset` is the one HTML bytes were served with (an HTTP
    Content-Type), tried before the page's own declaration."""
    page = _page_value(page)
    options = _options(options)
    _check_type("source", source, str, "a string")
    _check_type("url", url, str | None, "a string or None")
    _check_type("html", html, bool | None, "True, False or None")
    _check_type("charset", charset, str | None, "a string or None")
    if isinstance(page, bytes) and (page.startswith(GZIP_MAGIC) or source.lower().endswith(".gz")):
        page = gunzip(page, source, max_bytes=options.max_bytes)
    given_url = url if _usable_url(url) else None  # "not a url" or "javascript:…" is no address
    if html if html is not None else _is_html(page, source):
        doc = _clean_html(page, source=source, url=given_url, charset=charset, options=options)
    else:
        doc = _clean_text(page, source=source, options=options)
    if not _usable_url(doc.metadata.url):  # the address the page came from, when it gives none of its own
        doc = replace(doc, metadata=replace(doc.metadata, url=given_url))
    if options.labels:
        doc = label_body(doc, paragraph_model(options.paragraph_model))
    return doc


def _page_value(page: object) -> str | bytes:
    """The page as str or bytes: other bytes-like objects (anything with the buffer protocol:
    bytearray, memoryview, mmap, array.array, a numpy array) are copied to bytes, and a lone
    surrogate (from a "\\ud800" escape) becomes U+FFFD, which is what the page can mean."""
    if isinstance(page, str):
        return SURROGATE_RE.sub("\ufffd", page)
    if isinstance(page, bytes):
        return page
    try:
        view = memoryview(page)  # type: ignore[arg-type]
    except TypeError:
        raise TypeError(f"page must be str or bytes, not {type(page).__name__}") from None
    return view.tobytes()  # its bytes in order, whatever the item size or strides


def _options(options: object) -> CleanOptions:
    if options is None:
        return CleanOptions()
    _check_type("options", options, CleanOptions, "a CleanOptions or None")
    return options


def _check_type(name: str, value: object, expected: type | UnionType, what: str) -> None:
    """A TypeError naming the argument, rather than an AttributeError from deep inside."""
    if not isinstance(value, expected):
        raise TypeError(f"{name} must be {what}, not {type(value).__name__}")


def warm_up(options: CleanOptions | None = None) -> None:
    """Load the models `clean` uses with these options, so that a worker's first document does not
    pay for it, nor have it counted against the time limit."""
    options = options or CleanOptions()
    try:
        line_model(options.line_model)
        if options.labels:
            paragraph_model(options.paragraph_model)
    except Exception:  # the same error reaches the first document, which records it
        pass


def _usable_url(url: str | None) -> bool:
    """A URL with a host that urlsplit can read ("http://[oops/x" is not one)."""
    if not url:
        return False
    try:
        return urlsplit(url).hostname is not None
    except ValueError:
        return False


def _is_html(page: str | bytes, source: str) -> bool:
    if is_html_name(source):
        return True
    head = page[:4096].encode("utf-8", errors="replace") if isinstance(page, str) else page
    return looks_like_html(head, fragments=not source.lower().endswith(TEXT_SUFFIXES))


def _check_size(page: str | bytes, source: str, options: CleanOptions) -> None:
    if len(page) > options.max_bytes:
        if isinstance(page, bytes):
            raise InputError(source, too_large(len(page), options.max_bytes, setting=LIBRARY_LIMIT))
        raise InputError(source, too_long(len(page), options.max_bytes))
    if not page.strip():
        raise InputError(source, EMPTY_INPUT)


def _clean_text(page: str | bytes, *, source: str, options: CleanOptions) -> Document:
    notices: tuple[str, ...] = ()
    if isinstance(page, bytes):
        decoded = decode(page, source, max_bytes=options.max_bytes)
        text = decoded.text
        if decoded.encoding != "utf-8":
            notices = (f"decoded from {decoded.encoding}",)
    else:
        _check_size(page, source, options)
        text = page
    _require_text(text, source)
    return strip_text(text, source=source, options=options, notices=notices)


def _require_text(text: str, source: str, problem: str = EMPTY_INPUT) -> None:
    """Control and invisible characters are no text: "\x0f" or a lone BOM is a blank page."""
    if not has_visible_text(text):
        raise InputError(source, problem)


def _clean_html(
    page: str | bytes, *, source: str, url: str | None, charset: str | None, options: CleanOptions
) -> Document:
    _check_size(page, source, options)
    notices: tuple[str, ...] = ()
    if isinstance(page, bytes):
        decoded = decode_html(page, source, served_charset=charset)
        page = decoded.text
        if decoded.encoding != "utf-8":
            notices = (f"decoded from {decoded.encoding}",)
    _require_text(page, source)
    # Parsing and extraction take time and memory in proportion to the page's lines: a page of
    # 200,000 list items took 24 s and 560 MB; the 181 scrapinghub pages have at most 6,567.
    if (lines := count_possible_lines(page)) > options.max_lines:
        raise InputError(source, too_many_lines(lines, options.max_lines, counted="block elements and line breaks"))
    extracted = extract(page, url=url)
    if extracted is not None and sum(len(line.text) for line in extracted.lines) >= MIN_EXTRACTED_CHARS:
        return html_document(
            extracted, source=source, notices=notices, model=line_model(options.line_model), smoothing=options.smoothing
        )
    text = flatten(page)
    _require_text(text, source, "no text in this HTML page")
    return strip_text(text, source=source, options=options, notices=(*notices, FALLBACK_NOTICE))


def analyze(
    page: str | bytes, *, url: str | None = None, source: str = "<text>", options: CleanOptions | None = None
) -> Report:
    """Clean, label and assess one page: the report object (`to_dict()`)."""
    from .report import Report

    options = _options(options)
    if not options.labels:
        raise ValueError("analyze needs paragraph labels (CleanOptions(labels=True))")
    return Report.of(clean(page, source=source, url=url, options=options))
