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
# At the end of a line, only characters that never belong to the visible one before them: a
# variation selector, a joiner, tag characters or a Hangul filler complete an emoji, a flag or a
# syllable ("❤️", the flag of Scotland), so they stay.
_TRAILING_INVISIBLE = frozenset(
    "\u00ad\u061c\u180e\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064"
    "\u2066\u2067\u2068\u2069\u206a\u206b\u206c\u206d\u206e\u206f\u2800\u3164\ufeff"
)


def has_visible_text(text: str) -> bool:
    return VISIBLE_CHAR_RE.search(text) is not None


def without_invisible_edges(line: str) -> str:
    """`line` without the invisible characters before its first visible one and after its last;
    its spaces stay (a text line's indent is a feature of it), and so do invisible characters
    inside it or completing the character before them (an emoji's selector or joiner). Linear
    in the line's length."""
    if _INVISIBLE_RE.search(line) is None:  # nearly every line: one scan in C
        return line
    start = 0
    while start < len(line) and (line[start].isspace() or _INVISIBLE_RE.match(line, start)):
        start += 1
    end = len(line)
    while end > start and (line[end - 1].isspace() or line[end - 1] in _TRAILING_INVISIBLE):
        end -= 1
    head = _INVISIBLE_RE.sub("", line[:start])
    tail = "".join(char for char in line[end:] if char not in _TRAILING_INVISIBLE)
    return head + line[start:end] + tail
