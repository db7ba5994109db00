"""Turning the bytes of a page into text, or a clear one-line error."""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass

from charset_normalizer import from_bytes

from .errors import COMMAND_LIMIT, LIBRARY_LIMIT, InputError, too_large

# Control characters (other than tab, newline, carriage return, form feed) in the first
# BINARY_SNIFF_BYTES bytes above this share mean the file is not text.
BINARY_SNIFF_BYTES = 8192
BINARY_CONTROL_SHARE = 0.05
# Control bytes other than tab, newline, form feed, carriage return and escape.
_BINARY_CONTROLS = bytes(b for b in range(32) if b not in {9, 10, 12, 13, 27})


BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
# Invalid bytes a page may hold and still be read as UTF-8 (with replacement characters): this
# many, or this share of its bytes, whichever is larger.
STRAY_BYTES_MIN = 8
STRAY_BYTES_SHARE = 0.001
# ... and only when its valid multi-byte sequences outnumber the invalid ones this many times.
UTF8_SEQUENCES_PER_INVALID = 2
# A multi-byte UTF-8 sequence: a lead byte and its continuation bytes.
_UTF8_SEQUENCE_RE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


@dataclass(frozen=True)
class DecodedPage:
    text: str
    encoding: str


def by_bom(data: bytes) -> DecodedPage | None:
    """The page decoded by its byte-order mark, if it starts with one."""
    # UTF-32's little-endian BOM begins with UTF-16's, so BOMS lists it first.
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return DecodedPage(data.decode(encoding, errors="replace"), encoding)
    return None


# UTF-16 without a byte-order mark: in mostly-Latin text every other byte is zero. Such a page is
# read when at least this share of one position's bytes are zero and almost none of the other's,
# and the text it decodes to is mostly ASCII with few control characters (a table of 16-bit
# numbers has the same zeros, but its values spread over the whole byte).
UTF16_ZERO_SHARE = 0.4
UTF16_OTHER_ZERO_SHARE = 0.05
UTF16_MIN_ASCII_SHARE = 0.9


def utf16_without_bom(data: bytes, *, errors: str = "strict") -> DecodedPage | None:
    """A UTF-16 page without a byte-order mark (as some Windows tools write it), or None.
    `errors="replace"` reads a prefix that may end inside a character."""
    head = data[:BINARY_SNIFF_BYTES]
    pairs = len(head) // 2
    if pairs < 2 or (len(data) % 2 and errors == "strict"):
        return None
    even, odd = head[0::2].count(0) / pairs, head[1::2].count(0) / pairs
    for zeros, other, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros >= UTF16_ZERO_SHARE and other <= UTF16_OTHER_ZERO_SHARE:
            try:
                text = data.decode(encoding, errors=errors)
            except UnicodeDecodeError:
                return None
            sample = text[: BINARY_SNIFF_BYTES // 2]
            controls = sum(1 for char in sample if char < " " and char not in "\t\n\r\f\x1b")
            ascii_chars = sum(1 for char in sample if char < "\x80")
            if controls <= BINARY_CONTROL_SHARE * len(sample) and ascii_chars >= UTF16_MIN_ASCII_SHARE * len(sample):
                return DecodedPage(text, encoding)
            return None
    return None


def by_byte_order(data: bytes, *, errors: str = "strict") -> DecodedPage | None:
    """The page decoded by its byte-order mark, or as UTF-16 recognised by its zero bytes, if either."""
    return by_bom(data) or utf16_without_bom(data, errors=errors)


def utf8_with_stray_bytes(data: bytes) -> DecodedPage | None:
    """A UTF-8 page with a few invalid bytes, decoded as UTF-8 with those bytes replaced: guessing
    another encoding for the whole page would garble every other non-ASCII character."""
    text = data.decode("utf-8-sig", errors="replace")
    replaced = text.count("\ufffd") - data.count("\ufffd".encode())
    if replaced > max(STRAY_BYTES_MIN, STRAY_BYTES_SHARE * len(data)):
        return None
    # A page in a one-byte charset can hold a valid-looking sequence by accident ("é" then a
    # no-break space), but seldom many, and never many more than its invalid ones.
    if len(_UTF8_SEQUENCE_RE.findall(data)) < UTF8_SEQUENCES_PER_INVALID * replaced:
        return None
    return DecodedPage(text, f"utf-8, {replaced} invalid sequence{'s' if replaced > 1 else ''} replaced")


# How much of a page charset detection reads.
DETECTION_BYTES = 2 * 1024 * 1024
# Browsers' default single-byte charset (the WHATWG Encoding Standard's fallback for Western pages),
# and the languages it is made for.
WEB_DEFAULT_SINGLE_BYTE = "cp1252"
WESTERN_LANGUAGES = frozenset(
    {"English", "French", "German", "Spanish", "Portuguese", "Italian", "Dutch", "Danish", "Swedish",
     "Norwegian", "Finnish"}
)  # fmt: skip


def detected_encoding(data: bytes) -> str | None:
    """charset_normalizer's best guess, or None. A page with few non-ASCII bytes often fits several
    single-byte charsets about as well (cp1250, cp1252, cp1257 …), and the detector's order among
    them would turn an English page's "£" into "Ł" or a Portuguese "às" into "ŕs": text in a
    Western language that cp1252 reads without more disorder is read as cp1252. (A one-line
    Romanian text that the detector takes for French is then misread; longer ones are not.)"""
    results = from_bytes(data[:DETECTION_BYTES])
    best = results.best()
    if best is None:
        return None
    if best.language in WESTERN_LANGUAGES and any(
        m.encoding == WEB_DEFAULT_SINGLE_BYTE and m.chaos <= best.chaos for m in results
    ):
        return WEB_DEFAULT_SINGLE_BYTE
    return best.encoding


def _looks_binary(data: bytes) -> bool:
    head = data[:BINARY_SNIFF_BYTES]
    if b"\x00" in head and not head.startswith(tuple(bom for bom, _ in BOMS)):
        return True
    controls = len(head) - len(head.translate(None, _BINARY_CONTROLS))
    return controls > BINARY_CONTROL_SHARE * len(head)


def decode(data: bytes, source: str, *, max_bytes: int) -> DecodedPage:
    """Decode a page: UTF-8 (with or without BOM) first, else the detected encoding."""
    if len(data) > max_bytes:
        raise InputError(source, too_large(len(data), max_bytes, setting=LIBRARY_LIMIT))
    if not data.strip():
        raise InputError(source, "empty input (no text to clean)")
    decoded = by_byte_order(data)
    if decoded is not None:
        return decoded
    if _looks_binary(data):
        raise InputError(source, "binary data, not a text or HTML page")
    try:
        return DecodedPage(data.decode("utf-8-sig"), "utf-8")
    except UnicodeDecodeError:
        pass
    decoded = utf8_with_stray_bytes(data)
    if decoded is not None:
        return decoded
    encoding = detected_encoding(data)
    if encoding is None:
        raise InputError(source, "undecodable text (not UTF-8 and no other encoding fits)")
    return DecodedPage(data.decode(encoding, errors="replace"), encoding)


def read_bounded(path: str, max_bytes: int) -> bytes:
    """A file's bytes, refused (InputError) past `max_bytes`: the size is checked before reading, so
    a huge file is never read, and the read itself is bounded, for a file growing meanwhile or a pipe
    or device (/dev/zero) whose size says nothing. OSError is the caller's to report."""
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > max_bytes:
            raise InputError(path, too_large(size, max_bytes, setting=COMMAND_LIMIT))
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputError(path, too_large(None, max_bytes, setting=COMMAND_LIMIT))
    return data


def read_source(name: str, *, max_bytes: int) -> tuple[bytes, str]:
    """Bytes of a file path, or of standard input for '-'; errors are InputError."""
    if name == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise InputError("<stdin>", too_large(None, max_bytes, setting=COMMAND_LIMIT))
        return data, "<stdin>"
    if os.path.isdir(name):
        raise InputError(name, "is a directory (give files, or use `cleaner run` for folders)")
    try:
        return read_bounded(name, max_bytes), name
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except PermissionError:
        raise InputError(name, "permission denied") from None
    except OSError as exc:
        raise InputError(name, f"cannot read ({exc.strerror or exc})") from None
