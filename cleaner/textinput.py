"""Turning the bytes of a page into text, or a clear one-line error."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from .errors import InputError

# Control characters (other than tab, newline, carriage return, form feed) in the first
# BINARY_SNIFF_BYTES bytes above this share mean the file is not text.
BINARY_SNIFF_BYTES = 8192
BINARY_CONTROL_SHARE = 0.05
# Control bytes other than tab, newline, form feed, carriage return and escape.
_BINARY_CONTROLS = bytes(b for b in range(32) if b not in {9, 10, 12, 13, 27})


@dataclass(frozen=True)
class DecodedPage:
    text: str
    encoding: str


def _looks_binary(data: bytes) -> bool:
    head = data[:BINARY_SNIFF_BYTES]
    if b"\x00" in head and not (head.startswith((b"\xff\xfe", b"\xfe\xff"))):
        return True
    controls = len(head) - len(head.translate(None, _BINARY_CONTROLS))
    return controls > BINARY_CONTROL_SHARE * len(head)


def decode(data: bytes, source: str, *, max_bytes: int) -> DecodedPage:
    """Decode a page: UTF-8 (with or without BOM) first, else the detected encoding."""
    if len(data) > max_bytes:
        raise InputError(
            source,
            f"too large ({len(data) / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB, see --max-mb)",
        )
    if not data.strip():
        raise InputError(source, "empty input (no text to clean)")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return DecodedPage(data.decode("utf-16", errors="replace"), "utf-16")
    if _looks_binary(data):
        raise InputError(source, "binary data, not a text or HTML page")
    try:
        return DecodedPage(data.decode("utf-8-sig"), "utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data[: 2 * 1024 * 1024]).best()
    if best is None:
        raise InputError(source, "undecodable text (not UTF-8 and no other encoding fits)")
    return DecodedPage(data.decode(best.encoding, errors="replace"), best.encoding)


def read_source(name: str, *, max_bytes: int) -> tuple[bytes, str]:
    """Bytes of a file path, or of standard input for '-'; errors are InputError."""
    if name == "-":
        return sys.stdin.buffer.read(max_bytes + 1), "<stdin>"
    path = Path(name)
    try:
        if path.is_dir():
            raise InputError(name, "is a directory (give files, or use `cleaner run` for folders)")
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(
                name, f"too large ({size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB, see --max-mb)"
            )
        return path.read_bytes(), name
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except PermissionError:
        raise InputError(name, "permission denied") from None
    except OSError as exc:
        raise InputError(name, f"cannot read ({exc.strerror or exc})") from None
