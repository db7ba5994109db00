"""Per-line features for the line model.

Each non-blank source line becomes one row: features of the line itself, features of its
neighbours (boilerplate comes in runs, articles in blocks), and where it stands relative to the
page's prose. Hand-written rules appear here only as features; the trained model weighs them.
"""

from __future__ import annotations

import math
import operator
import re
from collections import Counter
from typing import NamedTuple

import numpy as np

from .visible import has_visible_text

# A line counts as "prose" when it looks like a sentence of running text. Prose lines anchor the
# article: chrome sits before the first one and after the last one.
PROSE_MIN_CHARS = 80
PROSE_MIN_WORDS = 12
PROSE_MIN_STOPWORD_RATIO = 0.25
# A "sentence" line: at least a short complete sentence of running text.
SENTENCE_MIN_WORDS = 5
SENTENCE_MIN_STOPWORD_RATIO = 0.15
WRAPPED_MIN_WORDS = 6
WRAPPED_MIN_STOPWORD_RATIO = 0.2
WRAPPED_MAX_TITLE_RATIO = 0.6
# The main-text span maximises (words of sentence lines) minus (a cost per other line): the
# Body Text Extraction idea of Finn et al. (2001) applied to lines instead of tags.
SPAN_LINE_COST = 2.0
SPAN_WORD_COST = 0.5
SPAN_WORD_CAP = 12
# A browser's text of a table gives one line per row, its cells separated by tabs. A row of at least
# this many tabs is a table row: it is neither gain nor cost to the main-text span, so an article's
# own table does not cut the span short of the text after it.
TABLE_ROW_MIN_TABS = 2
# A short line whose text also stands inside a longer line nearby (pull quotes, tables of
# contents, teasers of the article itself) is looked up only this far away, to stay linear.
CONTAINED_MAX_CHARS = 300
CONTAINED_WINDOW = 60
# Neighbours looked at on each side, and the wider window for run statistics.
CONTEXT_OFFSETS = (-2, -1, 1, 2)
WINDOW = 5
# Words longer than this are almost always glued menu items or URLs.
LONG_TOKEN_CHARS = 25
# Feature extraction looks at this many characters of a line at most, so a 100k-character line
# costs no more than a long paragraph; length features still use the true length.
MAX_SCAN_CHARS = 4000

STOPWORDS = frozenset(
    "a about above after again against all also am an and any are as at be because been before being "
    "below between both but by can could did do does doing down during each few for from further had "
    "has have having he her here hers herself him himself his how i if in into is it its itself just "
    "me more most my myself no nor not now of off on once only or other our ours ourselves out over "
    "own same she should so some such than that the their theirs them themselves then there these "
    "they this those through to too under until up very was we were what when where which while who "
    "whom why will with would you your yours yourself yourselves said says says told according would "
    "may might must".split()
)

# Vocabulary of site chrome. Matched as whole words, case-insensitively.
CHROME_WORDS = (
    "share|shares|tweet|pin|subscribe|subscribed|subscription|newsletter|newsletters|cookie|cookies|"
    "privacy|policy|terms|copyright|reserved|sign|login|log|register|menu|home|contact|about|"
    "advertisement|advertise|sponsored|sponsor|related|tags|tag|categories|category|archives|"
    "archive|previous|next|post|posts|comments|comment|reply|follow|download|app|search|result|"
    "results|view|mobile|version|print|pdf|listen|whatsapp|telegram|facebook|twitter|instagram|"
    "linkedin|youtube|tiktok|email|rss|more|popular|trending|recommended|latest|toggle|skip|"
    "content|accessibility|feedback|careers|sitemap|disclaimer|dmca|consent|accept|settings|"
    "notifications|alerts|podcast|podcasts|video|videos|watch|live|weather|account|premium|"
    "website|click|here|loading|continue|reading|faq|helpful|language|english"
)
CHROME_SET = frozenset(CHROME_WORDS.split("|"))
MONTH_SET = frozenset(
    "january february march april may june july august september october november december jan feb "
    "mar apr jun jul aug sep sept oct nov dec".split()
)
WEEKDAY_SET = frozenset("monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat sun".split())
CAPTION_SET = frozenset(
    "photo photos photograph image picture pictured credit courtesy getty afp reuters xinhua "
    "illustration graphic video".split()
)
SECOND_PERSON_SET = frozenset({"you", "your", "yours", "we", "our", "us"})
RELATIVE_DATE_HINTS = frozenset({"ago", "yesterday", "today"})
DISCLAIMER_HINTS = frozenset({"views", "opinions", "necessarily", "affiliate", "sponsored", "commission"})
QUOTE_CHARS = '"“”«»'
SEPARATOR_CHARS = "|›»/•·"
FOUR_DIGITS_RE = re.compile(r"\d{4}")
CLOSERS = "\"'”’)]"
MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
DATE_RE = re.compile(
    rf"\b(?:(?:{MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{MONTHS})\.?,?\s+\d{{4}}"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}|\d{1,2}\.\d{1,2}\.\d{4})\b",
    re.IGNORECASE,
)
RELATIVE_DATE_RE = re.compile(
    r"\b(?:\d+\s+(?:minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\s+ago|yesterday|today)\b",
    re.IGNORECASE,
)
TIME_RE = re.compile(r"\b\d{1,2}:\d{2}\b")
YEAR_RE = re.compile(r"\b(?:19|20)\d{2}\b")
# At most 16 characters: archive counts are short, and int() refuses numbers of 4,300+ digits.
COUNT_RE = re.compile(r"\(\d[\d,.]{0,15}\)")
BULLET_RE = re.compile(r"^\s*(?:[•·▪●◦■□►▶‣∙*+]|[-–—](?=\s)|\d{1,2}[.)](?=\s)|[a-z][.)](?=\s))")
BYLINE_RE = re.compile(
    r"^\s*(?:by|written by|words by|reporting by|report by|story by|posted by|author:)\s+\S",
    re.IGNORECASE,
)
# Wire credit lines run long: "Reporting by A in X and B in Y; Editing by C".
CREDIT_RE = re.compile(r"^\s*(?:additional )?(?:reporting|editing|writing|compiled|produced) by\b", re.IGNORECASE)
BYLINE_MAX_WORDS = 12
CREDIT_MAX_WORDS = 40
# A caption often ends with its credit after the last full stop: "… May 2, 2024. Ana Ruiz/Nordwire".
_NAME = r"[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3}"
CAPTION_CREDIT_END_RE = re.compile(rf"[.)]\s+{_NAME}(?:\s*/\s*{_NAME})?\s*$")
CAPTION_MARK_RE = re.compile(r"\((?:PHOTO|Photo|IMAGE|Image|FILE|File)\b|\bPHOTO:")
CAPTION_TAIL_CHARS = 200
_FIRST = operator.itemgetter(0)
# Market tickers: arrows, or several prices and percentages on one short line.
TICKER_ARROWS = "▲▼↑↓"
TICKER_NUMBERS_RE = re.compile(r"(?:[$€£¥]?\d[\d,.]*%?\s+){3}")
# Glued words ("HomeNewsSport") are a lower-case letter followed by a capital. Counted on the
# line's bytes mapped to two classes, which runs in C: a regex scan per line costs far more.
_CASE_CLASSES = bytes(
    ord("a") if chr(b).islower() and b < 128 else ord("A") if chr(b).isupper() and b < 128 else ord(" ")
    for b in range(256)
)
WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d[\d,.:]*")
# A run of letters (no digits, no underscores): the words other modules count.
LETTER_RUN_RE = re.compile(r"[^\W\d_]+")
ASCII_WORD_RE = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?|[0-9][0-9,.:]*")
SYMBOL_RUN_RE = re.compile(r"(?:[^\w\s]\s*){6,}")
# "Ana Ruiz is a reporter…", "- Ana Ruiz covers courts…": the author bio under an article.
BIO_RE = re.compile(
    r"^\W{0,3}(?:the author|the writer|[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,3})\s+"
    r"(?:is|was|has been|covers|writes|reports|joined|teaches|lives|works)\b"
)
AUTHOR_ROLE_RE = re.compile(
    r"\b(?:correspondent|reporter|columnist|editor|writer|journalist|contributor|author|professor|"
    r"lecturer|fellow|researcher|analyst|chairman|chairwoman|chair|director|founder|blogger|writes|"
    r"covers|teaches|farms|chairs|member|student|former|head of|expert|specialist)\b",
    re.IGNORECASE,
)
DISCLAIMER_RE = re.compile(
    r"\b(?:views|opinions)\b.{0,60}\b(?:own|necessarily|not reflect|do not represent|those of)\b"
    r"|\bnot necessarily (?:reflect|represent|shared)|affiliate (?:link|commission)|sponsored by"
    r"|\bearn (?:a|an) (?:small )?commission",
    re.IGNORECASE,
)
LINK_PREFIX_RE = re.compile(
    r"^\s*(?:also read|read more|read also|see also|related|recommended|more from|more on|watch|"
    r"listen|don't miss|must read|further reading|trending|sponsored|advertisement|you may also)\b",
    re.IGNORECASE,
)
DATE_PREFIX_RE = re.compile(
    r"^\s*(?:published|updated|posted|last updated|last modified|issued|released|date|first published)\b",
    re.IGNORECASE,
)
URL_RE = re.compile(r"(?:https?://|www\.)\S+|\b[\w.+-]+@[\w-]+\.[\w.]+\b|\.(?:com|org|net|gov)\b")
SENTENCE_END_RE = re.compile(r"[.!?…][\"'”’)\]]*(?:\s+[\"'“‘(]?[A-Z0-9]|$)")
COPYRIGHT_RE = re.compile(r"©|\(c\)|\bcopyright\b|all rights reserved", re.IGNORECASE)


class LineStats(NamedTuple):
    """What one line looks like, before neighbours are considered (a tuple: one per line, cheap)."""

    values: tuple[float, ...]  # raw: see own_features
    is_prose: bool
    key: str  # normalised text, to find repeated lines
    words: int
    is_sentence: bool
    is_table_row: bool


# Names of the per-line features, in order. Cue features (named `cue_*`) are 0/1 and are also
# used to explain decisions.
OWN_FEATURES = (
    "log_chars",
    "log_words",
    "ends_terminal",
    "ends_colon",
    "ends_open",
    "is_question",
    "cue_bullet",
    "indent",
    "upper_ratio",
    "title_ratio",
    "digit_ratio",
    "alpha_ratio",
    "punct_ratio",
    "stopword_ratio",
    "mean_word_len",
    "long_token",
    "log_camel_glue",
    "log_counts",
    "cue_archive_count",
    "cue_month",
    "cue_date",
    "date_share",
    "cue_relative_date",
    "cue_time",
    "cue_year",
    "cue_weekday",
    "cue_byline",
    "cue_caption",
    "log_chrome_words",
    "chrome_ratio",
    "cue_link_prefix",
    "cue_date_prefix",
    "quotes",
    "log_sentences",
    "cue_url",
    "numeric_token_ratio",
    "second_person_ratio",
    "cue_all_caps",
    "cue_symbols",
    "separators",
    "starts_lower",
    "cue_copyright",
    "cue_prose",
    "cue_short",
    "cue_sentence",
    "cue_bio",
    "cue_disclaimer",
    "cue_caption_credit",
    "cue_ticker",
    "cue_table_row",
)
CONTEXT_FEATURES = (
    "log_chars",
    "ends_terminal",
    "cue_bullet",
    "stopword_ratio",
    "log_chrome_words",
    "log_counts",
    "cue_date",
    "title_ratio",
    "cue_prose",
    "indent",
    "cue_table_row",
)
_CONTEXT_INDEX = tuple(OWN_FEATURES.index(name) for name in CONTEXT_FEATURES)
PAGE_FEATURES = (
    "position",
    "cue_before_prose",
    "cue_after_prose",
    "log_prose_distance",
    "blank_before",
    "blank_after",
    "log_repeats",
    "window_prose",
    "window_bullets",
    "window_chars",
    "window_chrome",
    "relative_length",
    "log_run_length",
    "cue_contained",
    "cue_in_span",
    "log_span_distance",
    "span_position",
)
FEATURE_NAMES = (
    OWN_FEATURES + tuple(f"{name}@{off:+d}" for off in CONTEXT_OFFSETS for name in CONTEXT_FEATURES) + PAGE_FEATURES
)


# Own features stored as counts in LineStats.values and turned into log1p(count)...
LOG_FEATURES = (
    "log_chars",
    "log_words",
    "log_camel_glue",
    "log_counts",
    "log_chrome_words",
    "log_sentences",
    "separators",
)
# ...or into count / denominator (0 when the denominator is 0).
RATIO_DENOMINATORS = ("letters", "alpha_words", "chars_scanned", "words")
RATIO_FEATURES = {
    "upper_ratio": "letters",
    "digit_ratio": "chars_scanned",
    "alpha_ratio": "chars_scanned",
    "punct_ratio": "chars_scanned",
    "mean_word_len": "words",
    "date_share": "chars_scanned",
    "chrome_ratio": "words",
    "numeric_token_ratio": "words",
    "second_person_ratio": "words",
}
_LOG_INDEX = [OWN_FEATURES.index(name) for name in LOG_FEATURES]
_RATIO_INDEX = [
    (OWN_FEATURES.index(name), len(OWN_FEATURES) + RATIO_DENOMINATORS.index(den))
    for name, den in RATIO_FEATURES.items()
]


def own_features(raw: np.ndarray) -> np.ndarray:
    """The OWN_FEATURES matrix from the lines' raw LineStats.values, all lines at once."""
    own = raw[:, : len(OWN_FEATURES)].copy()
    own[:, _LOG_INDEX] = np.log1p(own[:, _LOG_INDEX])
    for column, denominator in _RATIO_INDEX:
        whole = raw[:, denominator]
        own[:, column] = np.divide(own[:, column], whole, out=np.zeros(len(raw)), where=whole != 0)
    return own


def ends_like_sentence(text: str) -> bool:
    return text.rstrip().rstrip(CLOSERS).endswith((".", "!", "?", "…"))


def has_url_hint(text: str) -> bool:
    return "@" in text or "www." in text or "http" in text or ".com" in text or ".org" in text or ".gov" in text


def has_copyright_hint(text: str) -> bool:
    return "©" in text or "opyright" in text or "eserved" in text or "(c)" in text or "(C)" in text


def _has_caption_credit(text: str) -> bool:
    # The credit sits at the very end; searching only the tail keeps long paragraphs cheap.
    if CAPTION_CREDIT_END_RE.search(text[-CAPTION_TAIL_CHARS:]):
        return True
    return ("(" in text or "PHOTO:" in text) and bool(CAPTION_MARK_RE.search(text))


def _ratio(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


def line_stats(line: str) -> LineStats:
    """Features of one non-blank line on its own."""
    text = line[:MAX_SCAN_CHARS]
    stripped = text.strip()
    n_chars = len(line.strip())
    # Counting by deleting bytes runs in C; a per-character loop would cost more than all the rest.
    # Digits and capitals are counted in ASCII, which is what English pages use.
    raw = stripped.encode()
    # Same tokens; the ASCII pattern scans about twice as fast.
    words = (ASCII_WORD_RE if raw.isascii() else WORD_RE).findall(stripped)
    n_words = len(words)
    digits = len(raw) - len(raw.translate(None, b"0123456789"))
    uppers = len(raw) - len(raw.translate(None, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    # WORD_RE's letter tokens never start with a decimal digit and its number tokens always do.
    no_digits = digits == 0 and raw.isascii()
    alpha_words = words if no_digits else [w for w in words if not w[0].isdecimal()]
    letters = sum(map(len, alpha_words))
    spaces = stripped.count(" ")
    punct = max(len(stripped) - letters - digits - spaces, 0)
    # One join-lower-split instead of a .lower() per word: alpha words hold no spaces.
    lowered = " ".join(alpha_words).lower().split(" ") if alpha_words else []
    stop = sum(map(STOPWORDS.__contains__, lowered))
    capitalised = sum(map(str.isupper, map(_FIRST, alpha_words)))
    numeric = n_words - len(alpha_words)
    word_chars = sum(map(len, words))
    longest_word = max(map(len, words), default=0)
    # Cheap preconditions first: most lines have no digits, brackets or months.
    # Every date form but d/m/yy has a four-digit year, so most digit lines skip the date regex.
    four_digits = digits >= 4 and FOUR_DIGITS_RE.search(stripped) is not None
    has_year = four_digits and bool(YEAR_RE.search(stripped))
    maybe_date = digits >= 3 and ("/" in stripped or four_digits)
    date_chars = sum(map(len, DATE_RE.findall(stripped))) if maybe_date else 0
    counts = len(COUNT_RE.findall(stripped)) if digits and "(" in stripped else 0
    vocabulary = set(lowered)
    has_month = not MONTH_SET.isdisjoint(vocabulary)
    chrome = sum(map(CHROME_SET.__contains__, lowered))
    ends_terminal = ends_like_sentence(stripped)
    last = stripped[-1] if stripped else ""
    sentences = len(SENTENCE_END_RE.findall(stripped))
    is_table_row = stripped.count("\t") >= TABLE_ROW_MIN_TABS
    stopword_ratio = _ratio(stop, len(alpha_words))
    is_prose = (
        n_chars >= PROSE_MIN_CHARS
        and n_words >= PROSE_MIN_WORDS
        and stopword_ratio >= PROSE_MIN_STOPWORD_RATIO
        and ends_terminal
    )
    title_ratio = _ratio(capitalised, len(alpha_words))
    # Running text: a complete short sentence, or a line of a hard-wrapped paragraph.
    is_sentence = (
        n_words >= SENTENCE_MIN_WORDS and ends_terminal and stopword_ratio >= SENTENCE_MIN_STOPWORD_RATIO
    ) or (
        n_words >= WRAPPED_MIN_WORDS
        and stopword_ratio >= WRAPPED_MIN_STOPWORD_RATIO
        and title_ratio < WRAPPED_MAX_TITLE_RATIO
    )
    # Booleans and raw counts; featurize turns counts into logs and ratios for all lines at once,
    # which costs far less than doing it line by line. The last four entries are the ratios'
    # denominators (RATIO_DENOMINATORS).
    values = (
        n_chars,
        n_words,
        ends_terminal,
        last == ":",
        last.isalnum() or last in ",;-–—&(",
        last == "?",
        bool(BULLET_RE.match(text)),
        min(len(text) - len(text.lstrip(" \t")), 8) / 4,
        uppers,
        title_ratio,
        digits,
        letters,
        punct,
        stopword_ratio,
        word_chars,
        longest_word > LONG_TOKEN_CHARS,
        raw.translate(_CASE_CLASSES).count(b"aA") if uppers else 0,
        counts,
        counts > 0 and (has_month or has_year),
        has_month,
        date_chars > 0,
        date_chars,
        not RELATIVE_DATE_HINTS.isdisjoint(vocabulary) and bool(RELATIVE_DATE_RE.search(stripped)),
        digits >= 3 and ":" in stripped and bool(TIME_RE.search(stripped)),
        has_year,
        not WEEKDAY_SET.isdisjoint(vocabulary),
        (bool(BYLINE_RE.match(stripped)) and n_words <= BYLINE_MAX_WORDS)
        or (n_words <= CREDIT_MAX_WORDS and bool(CREDIT_RE.match(stripped))),
        not CAPTION_SET.isdisjoint(vocabulary),
        chrome,
        chrome,
        bool(LINK_PREFIX_RE.match(stripped)),
        bool(DATE_PREFIX_RE.match(stripped)),
        any(map(stripped.__contains__, QUOTE_CHARS)),
        sentences,
        has_url_hint(stripped) and bool(URL_RE.search(stripped)),
        numeric,
        sum(map(SECOND_PERSON_SET.__contains__, lowered)),
        letters > 2 and uppers == letters,
        punct >= 6 and bool(SYMBOL_RUN_RE.search(stripped)),
        sum(map(stripped.count, SEPARATOR_CHARS)),
        stripped[:1].islower(),
        has_copyright_hint(stripped) and bool(COPYRIGHT_RE.search(stripped)),
        is_prose,
        n_words < 5,
        is_sentence,
        bool(BIO_RE.match(stripped)) and bool(AUTHOR_ROLE_RE.search(stripped)),
        not DISCLAIMER_HINTS.isdisjoint(vocabulary) and bool(DISCLAIMER_RE.search(stripped)),
        _has_caption_credit(stripped),
        digits > 0
        and (
            any(map(stripped.__contains__, TICKER_ARROWS))
            or (numeric >= 3 and bool(TICKER_NUMBERS_RE.search(stripped)))
        ),
        is_table_row,
        letters,
        len(alpha_words),
        len(stripped),
        n_words,
    )
    key = " ".join(alpha_words[:40] if numeric == 0 else words[:40]).lower()
    return LineStats(
        values=values, is_prose=is_prose, key=key, words=n_words, is_sentence=is_sentence, is_table_row=is_table_row
    )


def featurize(lines: list[str]) -> tuple[np.ndarray, list[int]]:
    """Feature matrix for the non-blank lines of a page.

    Returns the matrix (one row per non-blank line, columns as in FEATURE_NAMES) and the 0-based
    source indices of those lines.
    """
    visible = [has_visible_text(line) for line in lines]  # once per line: blank lines part the page
    index = [i for i, shows in enumerate(visible) if shows]
    n = len(index)
    if n == 0:
        return np.zeros((0, len(FEATURE_NAMES))), index
    stats = [line_stats(lines[i]) for i in index]
    own = own_features(np.array([s.values for s in stats], dtype=np.float64))
    prose = np.array([s.is_prose for s in stats])
    repeats = Counter(s.key for s in stats if s.key)

    context = np.zeros((n, len(CONTEXT_OFFSETS) * len(_CONTEXT_INDEX)))
    ctx_own = own[:, _CONTEXT_INDEX]
    for j, off in enumerate(CONTEXT_OFFSETS):
        cols = slice(j * len(_CONTEXT_INDEX), (j + 1) * len(_CONTEXT_INDEX))
        if off < 0:
            context[-off:, cols] = ctx_own[:off]
        else:
            context[:-off, cols] = ctx_own[off:]

    prose_pos = np.flatnonzero(prose)
    first_prose = prose_pos[0] if len(prose_pos) else n
    last_prose = prose_pos[-1] if len(prose_pos) else -1
    rows = np.arange(n)
    if len(prose_pos):
        nearest = np.searchsorted(prose_pos, rows)
        left = prose_pos[np.clip(nearest - 1, 0, len(prose_pos) - 1)]
        right = prose_pos[np.clip(nearest, 0, len(prose_pos) - 1)]
        distance = np.minimum(np.abs(rows - left), np.abs(rows - right))
    else:
        distance = np.full(n, n)
    prose_chars = own[prose, 0]
    typical = float(np.median(prose_chars)) if len(prose_chars) else math.log1p(PROSE_MIN_CHARS)

    def window_mean(column: np.ndarray) -> np.ndarray:
        padded = np.concatenate([np.zeros(WINDOW), column, np.zeros(WINDOW)])
        sums = np.convolve(padded, np.ones(2 * WINDOW + 1), mode="valid")
        counts = np.convolve(
            np.concatenate([np.zeros(WINDOW), np.ones(n), np.zeros(WINDOW)]),
            np.ones(2 * WINDOW + 1),
            mode="valid",
        )
        return sums / counts

    bullets = own[:, OWN_FEATURES.index("cue_bullet")]
    chrome = own[:, OWN_FEATURES.index("log_chrome_words")]
    blank_before = np.array([float(i == 0 or not visible[i - 1]) for i in index])
    blank_after = np.array([float(i + 1 >= len(lines) or not visible[i + 1]) for i in index])
    run_length = _run_lengths(index)
    page = np.column_stack(
        [
            rows / max(n - 1, 1),
            (rows < first_prose).astype(float),
            (rows > last_prose).astype(float),
            np.log1p(distance),
            blank_before,
            blank_after,
            np.log1p([repeats[s.key] - 1 if s.key else 0 for s in stats]),
            window_mean(prose.astype(float)),
            window_mean(bullets),
            window_mean(own[:, 0]) - typical,
            window_mean(chrome),
            own[:, 0] - typical,
            np.log1p(run_length),
            _contained(stats),
            *_span_features(stats),
        ]
    )
    return np.hstack([own, context, page]), index


def _run_lengths(index: list[int]) -> np.ndarray:
    """For each line, the number of lines in its run of consecutive non-blank lines."""
    lengths = np.ones(len(index))
    start = 0
    for k in range(1, len(index) + 1):
        if k == len(index) or index[k] != index[k - 1] + 1:
            lengths[start:k] = k - start
            start = k
    return lengths


def _contained(stats: list[LineStats]) -> np.ndarray:
    """1 where a line's words stand again inside another line near it (pull quotes, TOCs).

    The page is scanned in chunks; each line is looked up in the joined text of the chunks
    around it, so the cost stays linear in the page length.
    """
    out = np.zeros(len(stats))
    for start in range(0, len(stats), CONTAINED_WINDOW):
        lo, hi = max(0, start - CONTAINED_WINDOW), min(len(stats), start + 2 * CONTAINED_WINDOW)
        window = "\n".join(s.key for s in stats[lo:hi])
        for r in range(start, min(start + CONTAINED_WINDOW, len(stats))):
            key = stats[r].key
            if key and stats[r].words >= 2 and len(key) <= CONTAINED_MAX_CHARS and window.count(key) >= 2:
                out[r] = 1.0
    return out


def _span_gain(stats: LineStats) -> float:
    if stats.is_table_row:
        return 0.0
    if stats.is_sentence:
        return stats.words
    return -(SPAN_LINE_COST + SPAN_WORD_COST * min(stats.words, SPAN_WORD_CAP))


def _span_features(stats: list[LineStats]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Whether each line is inside the page's main-text span, how far outside, where inside."""
    gains = np.array([_span_gain(s) for s in stats])
    best, best_span = -np.inf, (0, 0)
    running, start = 0.0, 0
    for r, gain in enumerate(gains):  # Kadane's maximum-sum subarray
        if running <= 0:
            running, start = 0.0, r
        running += gain
        if running > best:
            best, best_span = running, (start, r)
    first, last = best_span
    rows = np.arange(len(stats))
    inside = ((rows >= first) & (rows <= last)).astype(float)
    distance = np.where(rows < first, first - rows, np.where(rows > last, rows - last, 0))
    position = np.clip((rows - first) / max(last - first, 1), -1.0, 2.0)
    return inside, np.log1p(distance), position
