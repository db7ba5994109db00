"""The library entry point."""

from __future__ import annotations

from .document import Document
from .errors import InputError
from .labelling import label_body
from .models import paragraph_model
from .options import CleanOptions
from .stripper import strip_text
from .textinput import decode


def clean(page: str | bytes, *, source: str = "<text>", options: CleanOptions | None = None) -> Document:
    """Clean one page (text, or bytes in any common encoding) into a document of typed blocks."""
    options = options or CleanOptions()
    notices: tuple[str, ...] = ()
    if isinstance(page, bytes):
        decoded = decode(page, source, max_bytes=options.max_bytes)
        text = decoded.text
        if decoded.encoding != "utf-8":
            notices = (f"decoded from {decoded.encoding}",)
    else:
        text = page
        if len(text) > options.max_bytes:
            raise InputError(source, f"too large ({len(text) / 1e6:.1f} M characters)")
        if not text.strip():
            raise InputError(source, "empty input (no text to clean)")
    doc = strip_text(text, source=source, options=options, notices=notices)
    if options.labels:
        doc = label_body(doc, paragraph_model(options.paragraph_model))
    return doc
