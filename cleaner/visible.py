"""What counts as text: a line or paragraph made only of spaces, control characters and invisible
characters (zero-width space, soft hyphen, byte-order mark, direction marks, blank-looking fillers…)
is blank, and invisible characters at the edges of a line are no part of it.

Pages carry such characters: a `<p>&#8203;</p>` spacer, a copied line holding a lone zero-width
space, a byline with a zero-width space before "By". `str.strip()` keeps them (they are not white space to Python),
so the cleaner's tests of blankness, and of how a line starts, go through here."""

from __future__ import annotations

import re

# Unicode's format characters (category Cf) but those that print a sign (the Arabic, Syriac and
# Kaithi number and end-of-verse marks), variation selectors and the grapheme joiner, and the
# letters and symbols that show as blank: Hangul fillers, Khmer inherent vowels, the blank
# braille pattern. Tag characters and the variation selector supplement fill U+E0000-U+E0FFF.
INVISIBLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f"
    "\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
)
# A character that shows: not a space, a control character or an invisible character.
VISIBLE_CHAR_RE = re.compile(rf"[^\s\x00-\x1f\x7f-\x9f{INVISIBLE}]")
_INVISIBLE_RE = re.compile(rf"[{INVISIBLE}]")
_LEADING_RE = re.compile(rf"^[\s{INVISIBLE}]*[{INVISIBLE}][\s{INVISIBLE}]*")
_TRAILING_RE = re.compile(rf"[\s{INVISIBLE}]*[{INVISIBLE}][\s{INVISIBLE}]*$")


def has_visible_text(text: str) -> bool:
    return VISIBLE_CHAR_RE.search(text) is not None


def without_invisible_edges(line: str) -> str:
    """`line` without the invisible characters before its first visible one and after its last;
    its spaces stay (a text line's indent is a feature of it), and so do invisible characters
    inside it (a zero-width joiner in an emoji)."""
    if _INVISIBLE_RE.search(line) is None:  # nearly every line: one scan in C
        return line
    line = _LEADING_RE.sub(lambda match: _INVISIBLE_RE.sub("", match.group()), line, count=1)
    return _TRAILING_RE.sub(lambda match: _INVISIBLE_RE.sub("", match.group()), line, count=1)
