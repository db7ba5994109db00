"""Raw HTML pages: recognising them, un-gzipping them and decoding them with the right charset."""

from __future__ import annotations

import codecs
import re
import zlib

from .errors import InputError, too_large_decompressed
from .textinput import DecodedPage, by_byte_order, detected_encoding, utf8_with_stray_bytes

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".html.gz", ".htm.gz", ".xhtml.gz")
GZIP_MAGIC = b"\x1f\x8b"
# How far into a page to look for HTML markers and for a declared charset.
SNIFF_BYTES = 4096
_HTML_MARKER_RE = re.compile(
    rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<meta\s|<div[\s>]|<p[\s>]|<article[\s>]"
)
# Tags of common HTML elements, opening or closing, for a page that does not start with one.
_FRAGMENT_TAG_RE = re.compile(
    rb"</?(?:p|br|a|div|span|b|i|em|strong|li|ul|ol|h[1-6]|img|table|tr|td|th|blockquote|section|article|"
    rb"header|footer|nav|figure|figcaption|script|style|meta|link|title|html|head|body)(?:\s[^<>]*)?/?>"
)
FRAGMENT_MIN_TAGS = 4
_TAG_ATTRIBUTE_RE = re.compile(rb"\s(?:href|src|class|id|style)\s*=")
_DOCUMENT_TAG_RE = re.compile(rb"<!doctype\s+html|<html[\s>]|<body[\s>]")
# ...or two kinds of block element closed ("</p>" and "</li>"): a feed's article body.
_CLOSED_BLOCK_RE = re.compile(rb"</(p|li|ul|ol|div|h[1-6]|blockquote|table|tr|td|section|article)>")
FRAGMENT_MIN_CLOSED_BLOCKS = 2
# Names that say a file is text, whatever tags it quotes.
TEXT_SUFFIXES = (".txt", ".text", ".txt.gz", ".text.gz")
# Labels of the WHATWG Encoding Standard that Python's codec registry does not know by that name.
WEB_LABEL_ALIASES = {
    "windows-874": "cp874", "tis-620": "cp874", "iso-8859-11": "cp874", "x-mac-cyrillic": "mac-cyrillic",
    "windows-31j": "cp932", "x-sjis": "cp932", "windows-949": "cp949", "x-gbk": "gbk", "cn-big5": "big5",
    "x-euc-jp": "euc_jp", "unicode-1-1-utf-8": "utf-8",
}  # fmt: skip
# The codecs (Python's names) of the charsets of the WHATWG Encoding Standard; a name a page or
# server gives for anything else ("unicode_escape", "undefined") is ignored. As in browsers, Latin-1
# and ASCII mean windows-1252.
WEB_CODECS = frozenset(
    {"utf-8", "utf-16-le", "utf-16-be", "utf-16", "cp866", "koi8-r", "koi8-u", "mac-roman", "mac-cyrillic",
     "cp874", "gbk", "gb2312", "gb18030", "big5", "big5hkscs", "euc_jp", "iso2022_jp", "shift_jis", "cp932",
     "euc_kr", "cp949", *(f"cp{n}" for n in range(1250, 1259)),
     *(f"iso8859-{n}" for n in (2, 3, 4, 5, 6, 7, 8, 10, 13, 14, 15, 16))}
)  # fmt: skip
MEANS_WINDOWS_1252 = frozenset({"iso8859-1", "ascii"})
# A meta tag cannot declare UTF-16 (the tag itself would be unreadable); browsers read such a
# declaration as UTF-8, and so do we.
UTF16_CODECS = frozenset({"utf-16", "utf-16-le", "utf-16-be"})
_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)


def is_html_name(name: str) -> bool:
    return name.lower().endswith(HTML_SUFFIXES)


def looks_like_html(data: bytes, *, fragments: bool = True) -> bool:
    """Whether the bytes are an HTML page: starting with a tag and an HTML marker, or (`fragments`)
    with markup all through them. A file named as text (.txt) is given fragments=False: a lesson
    on HTML that quotes tags is text."""
    head = data[: 4 * SNIFF_BYTES]  # UTF-32 spends four bytes on a character
    # UTF-16 or UTF-32: its "<" is not the byte "<". The head may end inside a character.
    decoded = by_byte_order(head, errors="replace")
    head = decoded.text.encode("utf-8", errors="replace") if decoded is not None else head
    head = head[:SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<") and _HTML_MARKER_RE.search(head):
        return True
    # A fragment (an API's or a feed's article body, a dump with HTTP headers first) need not start
    # with a tag: markup all through it says what it is, with a link or an image in it, the
    # document's own <html> or <body>, or two kinds of block closed. A text that mentions a tag or
    # two (a tutorial's "<p>") does not have this much.
    if not fragments:
        return False
    tags = _FRAGMENT_TAG_RE.findall(head)
    return (
        len(tags) >= FRAGMENT_MIN_TAGS
        and any(tag.startswith((b"</", b"<br")) for tag in tags)
        and (
            any(_TAG_ATTRIBUTE_RE.search(tag) for tag in tags)
            or _DOCUMENT_TAG_RE.search(head) is not None
            or len(set(_CLOSED_BLOCK_RE.findall(head))) >= FRAGMENT_MIN_CLOSED_BLOCKS
        )
    )


def gunzip(data: bytes, source: str, *, max_bytes: int) -> bytes:
    """The decompressed bytes of every gzip member, refusing non-gzip data, truncated streams,
    trailing garbage and anything over max_bytes."""
    if not data.startswith(GZIP_MAGIC):
        raise InputError(source, "not a gzip file (the name ends in .gz)")
    out = bytearray()
    rest = data
    while rest:
        inflater = zlib.decompressobj(wbits=31)
        try:
            out += inflater.decompress(rest, max_bytes + 1 - len(out))
        except zlib.error as exc:
            raise InputError(source, f"corrupt gzip data ({exc})") from None
        if len(out) > max_bytes:
            raise InputError(source, too_large_decompressed(max_bytes))
        if not inflater.eof:
            raise InputError(source, "truncated gzip file")
        rest = inflater.unused_data
        if rest and not rest.startswith(GZIP_MAGIC):
            if rest.strip(b"\x00"):
                raise InputError(source, "unexpected bytes after the gzip data")
            break  # zero padding after the last member is common and harmless
    return bytes(out)


def _web_charset(label: str) -> str | None:
    """The Python codec for a charset a page or server names, if it is one web pages are written in
    (not "unicode_escape", "undefined" or a label Python does not know)."""
    label = label.strip().strip("\"'").lower()
    try:
        name = codecs.lookup(WEB_LABEL_ALIASES.get(label, label)).name
    except (LookupError, ValueError):  # ValueError: a NUL or a lone surrogate in the label
        return None
    if name in MEANS_WINDOWS_1252:
        return "cp1252"
    return name if name in WEB_CODECS else None


def declared_charset(data: bytes) -> str | None:
    match = _CHARSET_RE.search(data[:SNIFF_BYTES])
    return match.group(1).decode("ascii").lower() if match else None


def decode_html(data: bytes, source: str, *, served_charset: str | None = None) -> DecodedPage:
    """Decode a page: a byte-order mark (or UTF-16's zero bytes), then UTF-8, then the charset it was
    served with (an HTTP header) or declares if the bytes fit it, then UTF-8 with a few stray bytes
    replaced, then detection.

    Pages often declare one charset and use another; a declaration the bytes do not fit is ignored.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return DecodedPage(data[3:].decode("utf-8", errors="replace"), "utf-8")
    decoded = by_byte_order(data)
    if decoded is not None:
        return decoded
    # Valid UTF-8 with non-ASCII bytes is almost never another charset by accident, while a
    # single-byte charset decodes anything: so UTF-8 is tried before the declaration.
    meta = _web_charset(declared_charset(data) or "")
    served = _web_charset(served_charset or "")
    candidates = ["utf-8", served, None if meta in UTF16_CODECS else meta]
    for encoding in candidates:
        if not encoding:
            continue
        try:
            return DecodedPage(data.decode(encoding), encoding)
        except UnicodeDecodeError:
            continue
    decoded = utf8_with_stray_bytes(data)
    if decoded is not None:
        return decoded
    encoding = detected_encoding(data)
    if encoding is None:
        raise InputError(source, "undecodable HTML (no charset fits its bytes)")
    return DecodedPage(data.decode(encoding, errors="replace"), encoding)
