"""What counts as text: a line or paragraph made only of spaces, control characters and invisible
format characters (zero-width space, soft hyphen, byte-order mark…) is blank.

Pages carry such lines: a `<p>&#8203;</p>` spacer, a copied line holding a lone zero-width space.
`str.strip()` keeps them (they are not white space to Python), so every test of blankness in the
cleaner goes through here."""

from __future__ import annotations

import re

# A character that shows: not a space, a control character or an invisible format character.
VISIBLE_CHAR_RE = re.compile(r"[^\s\x00-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2060\ufeff]")


def has_visible_text(text: str) -> bool:
    return VISIBLE_CHAR_RE.search(text) is not None
