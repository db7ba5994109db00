"""More training pages from our annotated ones: the same articles in other sites' chrome.

Each hand-annotated page splits into head chrome (before the article), the article (first to last
non-boilerplate line, with what sits inside it) and tail chrome. A synthetic page joins the head
of one page, the article of another and the tail of a third, then may flatten it the way other
tools do: no head or tail chrome at all, nothing between title and text, no blank lines (crawler
dumps), blank lines everywhere, or body paragraphs hard-wrapped at a fixed width. Kinds carry over
line by line, so nothing needs annotating again.
"""

from __future__ import annotations

import random
import textwrap
from dataclasses import dataclass

from .corpus import AnnotatedPage

SYNTHETIC_PER_PAGE = 2
WRAP_WIDTHS = (64, 72, 80)
# Chances of each flattening, applied independently.
P_DROP_BLANKS = 0.3
P_ADD_BLANKS = 0.2
P_HARD_WRAP = 0.3
# Reader-mode copies and crawler extracts often start or end straight with the article.
P_NO_HEAD = 0.25
P_NO_TAIL = 0.25
# ...and often go from the title straight to the text, or to a byline and then the text.
P_TRIM_HEAD_META = 0.3
P_KEEP_BYLINE = 0.5
SEED = 20250423


@dataclass(frozen=True)
class _Parts:
    head: list[tuple[str, str | None]]
    article: list[tuple[str, str | None]]
    tail: list[tuple[str, str | None]]


def split_page(page: AnnotatedPage) -> _Parts:
    """Head chrome, article (first to last non-boilerplate line) and tail chrome of a page."""
    rows = list(zip(page.lines, page.kinds))
    content = [i for i, (_, kind) in enumerate(rows) if kind not in (None, "boilerplate")]
    if not content:
        return _Parts(rows, [], [])
    first, last = content[0], content[-1]
    return _Parts(rows[:first], rows[first : last + 1], rows[last + 1 :])


def _hard_wrap(rows: list[tuple[str, str | None]], width: int) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    for line, kind in rows:
        if kind == "body" and len(line) > width and not line.startswith((" ", "\t")):
            out.extend((piece, kind) for piece in textwrap.wrap(line, width))
        else:
            out.append((line, kind))
    return out


def _trim_head_meta(rows: list[tuple[str, str | None]], rng: random.Random) -> list[tuple[str, str | None]]:
    """Drop what stands between the title and the first paragraph (maybe keeping the byline)."""
    kinds = [kind for _, kind in rows]
    if "title" not in kinds or "body" not in kinds or kinds.index("body") < kinds.index("title"):
        return rows
    title, body = kinds.index("title"), kinds.index("body")
    keep_byline = rng.random() < P_KEEP_BYLINE
    middle = [r for r in rows[title + 1 : body] if r[1] is None or (keep_byline and r[1] == "byline")]
    return rows[: title + 1] + middle + rows[body:]


def _blanks(rows: list[tuple[str, str | None]], rng: random.Random) -> list[tuple[str, str | None]]:
    if rng.random() < P_DROP_BLANKS:
        return [r for r in rows if r[1] is not None]
    if rng.random() < P_ADD_BLANKS:
        out: list[tuple[str, str | None]] = []
        for r in rows:
            if r[1] is not None:
                out.extend([r, ("", None)])
        return out
    return rows


def synthesize(
    pages: list[AnnotatedPage], *, per_page: int = SYNTHETIC_PER_PAGE, seed: int = SEED
) -> list[AnnotatedPage]:
    """Deterministic synthetic pages: `per_page` new pages for each page's article."""
    rng = random.Random(seed)
    parts = [split_page(p) for p in pages]
    heads = [p.head for p in parts if p.head]
    tails = [p.tail for p in parts if p.tail]
    out = []
    for page, part in zip(pages, parts):
        if not part.article:
            continue
        for n in range(per_page):
            article = part.article
            if rng.random() < P_TRIM_HEAD_META:
                article = _trim_head_meta(article, rng)
            if rng.random() < P_HARD_WRAP:
                article = _hard_wrap(article, rng.choice(WRAP_WIDTHS))
            head = rng.choice(heads) if heads and rng.random() >= P_NO_HEAD else []
            tail = rng.choice(tails) if tails and rng.random() >= P_NO_TAIL else []
            rows = head + article + tail
            rows = _blanks(rows, rng)
            out.append(
                AnnotatedPage(
                    f"{page.name}~synth{n}",
                    page.style,
                    tuple(line for line, _ in rows),
                    tuple(kind for _, kind in rows),
                )
            )
    return out
