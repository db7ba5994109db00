"""From per-line kinds to blocks and metadata.

Body lines become paragraphs (hard-wrapped lines are joined back), runs of boilerplate become one
block each, and title, byline, date, caption and heading lines are blocks of their own.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from datetime import date

from .document import Block, LineDecision, Metadata
from .linefeatures import (
    BULLET_RE,
    BYLINE_RE,
    DATE_RE,
    MONTH_SET,
    RELATIVE_DATE_HINTS,
    WEEKDAY_SET,
    ends_like_sentence,
)

# A body line continues the previous one (a hard wrap) when the previous line stops mid-sentence.
OPEN_END_RE = re.compile(
    r"(?:[,(\-–—&/]|\b(?:the|a|an|of|to|and|or|but|in|on|for|with|by|at|from|as|that|which|who|"
    r"its|their|his|her|our|is|are|was|were|be|has|have|had|will|would|than|into|over|after|"
    r"before|about|said|says)\b)$",
    re.IGNORECASE,
)
CLOSED_END_RE = re.compile(r"[:;]$")
BYLINE_PREFIX_RE = re.compile(
    r"^\s*(?:by|written by|words by|reporting by|report by|story by|posted by|author:)\s+",
    re.IGNORECASE,
)
# "Ana Ruiz in Lagos", "Ana Ruiz, Staff Reporter", "Ana Ruiz | Herald"
BYLINE_TAIL_RE = re.compile(r"\s+(?:in|at|from)\s+[A-Z].*$|\s*[,|•–—-]\s+.*$")
MONTH_NUMBERS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}


def continues(previous: str, current: str) -> bool:
    """Whether `current` is the hard-wrapped continuation of body line `previous`."""
    prev = previous.rstrip()
    cur = current.strip()
    if not prev or not cur or BULLET_RE.match(current):
        return False
    if ends_like_sentence(prev) or CLOSED_END_RE.search(prev):
        return False
    return cur[0].islower() or bool(OPEN_END_RE.search(prev))


def join_wrapped(previous: str, current: str) -> str:
    prev = previous.rstrip()
    cur = current.strip()
    # "well-" + "known" is one word broken at the hyphen; keep the hyphen, drop the space.
    if prev.endswith("-") and prev[-2:-1].isalpha() and cur[:1].islower():
        return prev + cur
    return f"{prev} {cur}"


def _run_reason(decisions: list[LineDecision]) -> str:
    phrases = Counter(d.reason.split(" (p=")[0].split("; smoothed")[0] for d in decisions)
    common, _ = phrases.most_common(1)[0]
    if len(decisions) == 1:
        return decisions[0].reason
    return f"{common} ({len(decisions)} lines)"


def single_title(decisions: list[LineDecision], title_probability: list[float]) -> list[LineDecision]:
    """Keep one title, the likeliest; a second one is a heading inside the article, else chrome."""
    titles = [i for i, d in enumerate(decisions) if d.kind == "title"]
    if len(titles) <= 1:
        return decisions
    keep = max(titles, key=lambda i: (title_probability[i], -i))
    body_rows = [i for i, d in enumerate(decisions) if d.kind == "body"]
    first_body, last_body = (body_rows[0], body_rows[-1]) if body_rows else (-1, -1)
    out = list(decisions)
    for i in titles:
        if i == keep:
            continue
        kind = "heading" if first_body < i < last_body else "boilerplate"
        d = out[i]
        out[i] = LineDecision(d.number, d.text, kind, d.probability, f"second title on the page, made {kind}")
    return out


def build_blocks(decisions: list[LineDecision]) -> list[Block]:
    blocks: list[Block] = []
    run: list[LineDecision] = []  # the open boilerplate run or body paragraph

    def close() -> None:
        if not run:
            return
        if run[0].kind == "boilerplate":
            text = "\n".join(d.text.strip() for d in run)
            reason = _run_reason(run)
        else:
            text = run[0].text.strip()
            for d in run[1:]:
                text = join_wrapped(text, d.text)
            reason = run[0].reason if len(run) == 1 else f"{run[0].reason}; {len(run)} wrapped lines joined"
        blocks.append(Block(run[0].kind, text, (run[0].number, run[-1].number), reason))
        run.clear()

    for d in decisions:
        if run and d.kind == "boilerplate" == run[0].kind:
            run.append(d)
            continue
        if (
            run
            and d.kind == "body" == run[0].kind
            and d.number == run[-1].number + 1
            and continues(run[-1].text, d.text)
        ):
            run.append(d)
            continue
        close()
        run.append(d)
    close()
    return blocks


def parse_date(text: str) -> str | None:
    """The first date written in `text`, as YYYY-MM-DD, or None."""
    match = DATE_RE.search(text)
    if not match:
        return None
    raw = match.group(0)
    numbers = [int(n) for n in re.findall(r"\d+", raw)]
    words = [w.lower().rstrip(".") for w in re.findall(r"[A-Za-z]+\.?", raw)]
    month = next((MONTH_NUMBERS[w] for w in words if w in MONTH_NUMBERS), None)
    try:
        if month is not None:
            day_or_year = [n for n in numbers if n < 1000]
            year = next(n for n in numbers if n >= 1000)
            return date(year, month, day_or_year[0]).isoformat()
        if "-" in raw:
            year, month, day = numbers
        elif "/" in raw:  # month/day/year, the common US web form
            month, day, year = numbers
            year += 2000 if year < 100 else 0
        else:  # day.month.year
            day, month, year = numbers
        return date(year, month, day).isoformat()
    except (ValueError, StopIteration, IndexError):
        return None


_STANDALONE_NUMBER_RE = re.compile(r"(?<!\w)\d{1,4}(?!\w)")  # "4." and "14:30", not "a01" or "x264"


def reads_as_date(text: str) -> bool:
    """Something a written date has, in any language: a number of its own ("4. März", "3 hrs", not
    the "0" of "a0"), or an English month, weekday or "ago" / "today" / "yesterday"."""
    words = set(re.findall(r"[a-z]+", text.lower()))
    return _STANDALONE_NUMBER_RE.search(text) is not None or not (
        MONTH_SET | WEEKDAY_SET | RELATIVE_DATE_HINTS
    ).isdisjoint(words)


def author_name(byline: str) -> str:
    byline = " ".join(byline.split())  # a long run of blanks would cost the tail pattern seconds
    name = BYLINE_PREFIX_RE.sub("", byline)
    return BYLINE_TAIL_RE.sub("", name).strip() or byline


def metadata(blocks: list[Block]) -> Metadata:
    title = next((b for b in blocks if b.kind == "title"), None)
    start = title.lines[0] if title else 0

    def first(kind: str, fits: Callable[[str], bool] = bool) -> str | None:
        # The article's own byline and date follow its headline; a site name or date widget at the
        # top of the page does not. Fall back to the first one anywhere.
        candidates = [b for b in blocks if b.kind == kind and fits(b.text)]
        after = next((b.text for b in candidates if b.lines[0] > start), None)
        return after or (candidates[0].text if candidates else None)

    # A line the model took for a date with no date in it ("a0", "Share") is passed over, and a byline
    # that says "By …" is preferred to one that does not ("in Food & Drink" above "by Ana Ruiz").
    byline = first("byline", lambda text: BYLINE_RE.match(text) is not None) or first("byline")
    written_date = first("date", reads_as_date)
    return Metadata(
        title=title.text if title else None,
        author=author_name(byline) if byline else None,
        date=written_date,
        date_iso=parse_date(written_date) if written_date else None,
    )
