"""Reference cleaners scored in the same run as ours, each deciding keep/drop per line.

- keep-all: keeps every line (the floor).
- c4-rules: the C4 corpus line heuristics: keep lines that end in terminal punctuation and have
  at least three words; drop lines about cookies, policies, JavaScript or lorem ipsum.
- justext: jusText over the page with every line wrapped as a <p>.
- trafilatura: trafilatura over the same <p>-wrapped page, a line kept when its text is output.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Sequence

from .corpus import AnnotatedPage

C4_MIN_WORDS = 3
C4_BAD_WORDS_RE = re.compile(r"cookie|privacy policy|terms of use|javascript|lorem ipsum|\{", re.IGNORECASE)
C4_TERMINAL = (".", "!", "?", '"', "”", "’", "'")

Baseline = Callable[[AnnotatedPage], Sequence[str | None]]


def _kinds(page: AnnotatedPage, keep: Callable[[str], bool]) -> list[str | None]:
    return [None if not line.strip() else ("body" if keep(line) else "boilerplate") for line in page.lines]


def keep_all(page: AnnotatedPage) -> list[str | None]:
    return _kinds(page, lambda line: True)


def c4_rules(page: AnnotatedPage) -> list[str | None]:
    def keep(line: str) -> bool:
        text = line.strip()
        return text.endswith(C4_TERMINAL) and len(text.split()) >= C4_MIN_WORDS and not C4_BAD_WORDS_RE.search(text)

    return _kinds(page, keep)


def paragraph_html(lines: Iterable[str]) -> str:
    """A page of text as HTML the HTML cleaners can read: every non-blank line one <p>."""
    body = "".join(f"<p>{html.escape(line.strip())}</p>\n" for line in lines if line.strip())
    return f"<html><head><title></title></head><body><article>{body}</article></body></html>"


def _normalise(text: str) -> str:
    return " ".join(text.split())


def justext_text(lines: Sequence[str]) -> str:
    """The lines jusText keeps, one per line."""
    import justext  # imported here: only the baseline needs it

    paragraphs = justext.justext(paragraph_html(lines).encode("utf-8"), justext.get_stoplist("English"))
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def trafilatura_text(lines: Sequence[str]) -> str:
    """What trafilatura outputs for the <p>-wrapped lines."""
    import trafilatura

    return trafilatura.extract(paragraph_html(lines), include_comments=False, favor_recall=False) or ""


def justext_baseline(page: AnnotatedPage) -> list[str | None]:
    kept = {_normalise(line) for line in justext_text(page.lines).split("\n")}
    return _kinds(page, lambda line: _normalise(line) in kept)


def trafilatura_baseline(page: AnnotatedPage) -> list[str | None]:
    kept = {_normalise(line) for line in trafilatura_text(page.lines).split("\n")}
    return _kinds(page, lambda line: _normalise(line) in kept)


BASELINES: dict[str, Baseline] = {
    "keep-all": keep_all,
    "c4-rules": c4_rules,
    "justext": justext_baseline,
    "trafilatura": trafilatura_baseline,
}
