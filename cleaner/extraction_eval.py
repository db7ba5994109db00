"""Scoring article-body extraction the way the scrapinghub article-extraction benchmark does.

Tokens are `\\w+` matches; a text becomes the multiset of its 4-token shingles (a text of one to
three tokens is a single shingle). Per page, P = tp / (tp + fp) and R = tp / (tp + fn), both 1
when there is neither a false positive nor a false negative. Precision is averaged over pages
with a non-empty prediction, recall over pages with a non-empty truth, and F1 is the harmonic mean
of the two averages. A bootstrap over pages gives an interval for each figure.
"""

from __future__ import annotations

import gzip
import json
import random
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from .baselines import justext_text, trafilatura_text
from .errors import InputError

SHINGLE = 4
BOOTSTRAP_SAMPLES = 1000
BOOTSTRAP_SEED = 0
CONFIDENCE = 0.95
_TOKEN_RE = re.compile(r"\w+")


def shingles(text: str) -> Counter:
    tokens = _TOKEN_RE.findall(text)
    if not tokens:
        return Counter()
    if len(tokens) < SHINGLE:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1))


@dataclass(frozen=True)
class PageScore:
    page: str
    precision: float | None  # None: empty prediction (not averaged)
    recall: float | None  # None: empty truth (not averaged)


def score_page(page: str, predicted: str, truth: str) -> PageScore:
    pred, true = shingles(predicted), shingles(truth)
    tp = sum((pred & true).values())
    fp = sum(pred.values()) - tp
    fn = sum(true.values()) - tp
    perfect = fp == 0 and fn == 0
    precision = 1.0 if perfect else (tp / (tp + fp) if pred else None)
    recall = 1.0 if perfect else (tp / (tp + fn) if true else None)
    return PageScore(page, precision, recall)


@dataclass(frozen=True)
class Summary:
    precision: float
    recall: float
    f1: float

    @classmethod
    def of(cls, scores: list[PageScore]) -> Summary:
        ps = [s.precision for s in scores if s.precision is not None]
        rs = [s.recall for s in scores if s.recall is not None]
        p = sum(ps) / len(ps) if ps else 0.0
        r = sum(rs) / len(rs) if rs else 0.0
        return cls(p, r, 2 * p * r / (p + r) if p + r else 0.0)


@dataclass(frozen=True)
class SystemResult:
    name: str
    summary: Summary
    low: Summary  # bootstrap interval bounds, figure by figure
    high: Summary
    pages: int
    seconds: float
    scores: tuple[PageScore, ...]

    def as_row(self) -> dict:
        def pm(attr: str) -> dict:
            return {
                "value": round(getattr(self.summary, attr), 4),
                "low": round(getattr(self.low, attr), 4),
                "high": round(getattr(self.high, attr), 4),
            }

        return {
            "system": self.name,
            "f1": pm("f1"),
            "precision": pm("precision"),
            "recall": pm("recall"),
            "pages": self.pages,
            "pages_per_second": round(self.pages / self.seconds, 1) if self.seconds else None,
        }


def bootstrap(scores: list[PageScore]) -> tuple[Summary, Summary]:
    rng = random.Random(BOOTSTRAP_SEED)
    samples = [Summary.of(rng.choices(scores, k=len(scores))) for _ in range(BOOTSTRAP_SAMPLES)]
    tail = (1 - CONFIDENCE) / 2

    def bound(attr: str, q: float) -> float:
        values = sorted(getattr(s, attr) for s in samples)
        return values[min(int(q * len(values)), len(values) - 1)]

    low = Summary(*(bound(a, tail) for a in ("precision", "recall", "f1")))
    high = Summary(*(bound(a, 1 - tail) for a in ("precision", "recall", "f1")))
    return low, high


@dataclass(frozen=True)
class BenchmarkPage:
    id: str
    html: bytes
    truth: str
    url: str | None
    text: str = ""  # the page flattened to text (evaluations of the text path), else empty


def load_dataset(folder: Path) -> list[BenchmarkPage]:
    """A folder laid out like the scrapinghub benchmark: ground-truth.json and html/<id>.html.gz."""
    truth_file = folder / "ground-truth.json"
    try:
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(str(truth_file), "no such file (expected ground-truth.json and html/<id>.html.gz)") from None
    except ValueError as exc:
        raise InputError(str(truth_file), f"not valid JSON ({exc})") from None
    pages = []
    for page_id, entry in sorted(truth.items()):
        path = folder / "html" / f"{page_id}.html.gz"
        try:
            html = gzip.decompress(path.read_bytes())
        except FileNotFoundError:
            raise InputError(str(path), "missing page named in ground-truth.json") from None
        except (OSError, EOFError) as exc:
            raise InputError(str(path), f"not a readable gzip file ({exc})") from None
        pages.append(BenchmarkPage(page_id, html, entry.get("articleBody") or "", entry.get("url")))
    return pages


def run_systems(systems: dict[str, Callable[[BenchmarkPage], str]], pages: list[BenchmarkPage]) -> list[SystemResult]:
    """Score every system; timing alternates between them page by page, so that a shared machine's
    swings in speed fall on all of them alike."""
    predicted: dict[str, list[str]] = {name: [] for name in systems}
    seconds = dict.fromkeys(systems, 0.0)
    for page in pages:
        for name, extract in systems.items():
            start = time.perf_counter()
            predicted[name].append(extract(page))
            seconds[name] += time.perf_counter() - start
    results = []
    for name in systems:
        scores = [score_page(page.id, text, page.truth) for page, text in zip(pages, predicted[name])]
        low, high = bootstrap(scores)
        results.append(SystemResult(name, Summary.of(scores), low, high, len(pages), seconds[name], tuple(scores)))
    return results


KEPT_FOR_BODY = ("body", "heading")


def cleaner_body(page: BenchmarkPage, *, labels: bool = False) -> str:
    """Our HTML path's article body: headings and body paragraphs, no title (the benchmark's field)."""
    from .api import clean
    from .options import CleanOptions

    doc = clean(page.html, source=f"{page.id}.html", url=page.url, options=CleanOptions(labels=labels))
    return "\n".join(b.text for b in doc.blocks if b.kind in KEPT_FOR_BODY)


def trafilatura_body(page: BenchmarkPage) -> str:
    """trafilatura alone, as the benchmark's reference figures were measured (comments excluded)."""
    import trafilatura

    return trafilatura.extract(page.html, url=page.url, include_comments=False) or ""


def cleaner_text_body(page: BenchmarkPage, *, labels: bool = False) -> str:
    """Our text path's article body, from the page as flattened text."""
    from .api import clean
    from .options import CleanOptions

    doc = clean(page.text.encode("utf-8"), source=f"{page.id}.txt", options=CleanOptions(labels=labels))
    return "\n".join(b.text for b in doc.blocks if b.kind in KEPT_FOR_BODY)


def _lines(page: BenchmarkPage) -> list[str]:
    return page.text.splitlines()


SYSTEMS: dict[str, Callable[[BenchmarkPage], str]] = {
    "cleaner": cleaner_body,
    "cleaner+labels": lambda page: cleaner_body(page, labels=True),
    "trafilatura": trafilatura_body,
}
# The same text given to every system: trafilatura and jusText read it with each line a <p>.
TEXT_SYSTEMS: dict[str, Callable[[BenchmarkPage], str]] = {
    "cleaner": cleaner_text_body,
    "cleaner+labels": lambda page: cleaner_text_body(page, labels=True),
    "trafilatura": lambda page: trafilatura_text(_lines(page)),
    "justext": lambda page: justext_text(_lines(page)),
    "keep-all": lambda page: page.text,
}


def flattened(pages: list[BenchmarkPage], *, cache: Path | None) -> list[BenchmarkPage]:
    """The pages with their text as headless Chromium's innerText gives it (see browsertext)."""
    from .browsertext import BrowserError, BrowserFlattener, find_chromium

    binary = find_chromium()
    if binary is None:
        raise InputError("--as-text", "needs headless Chromium to flatten the pages (Debian package chromium)")
    done, current = [], None
    try:
        with BrowserFlattener(binary=binary, cache=cache) as flatten:
            for current in pages:
                done.append(replace(current, text=flatten(current.html)))
            current = None
    except BrowserError as exc:  # naming the page, when one made the browser hang or crash
        raise InputError("--as-text", f"{exc}" + (f" (page {current.id})" if current else "")) from None
    return done


def evaluate_extraction(
    folder: Path, systems: list[str], *, as_text: bool = False, cache: Path | None = None
) -> list[SystemResult]:
    """Score `systems` on a benchmark folder; `as_text` scores them on the pages flattened to text
    (flattened pages are kept in `cache`, when given)."""
    pages = load_dataset(folder)
    if not pages:
        raise InputError(str(folder), "no pages in ground-truth.json")
    table = TEXT_SYSTEMS if as_text else SYSTEMS
    unknown = [name for name in systems if name not in table]
    if unknown:
        raise InputError(str(folder), f"no system named {', '.join(unknown)} (choose from {', '.join(table)})")
    if as_text:
        pages = flattened(pages, cache=cache)
    if "cleaner+labels" in systems or "cleaner" in systems:  # load the models outside the timing
        table["cleaner+labels" if "cleaner+labels" in systems else "cleaner"](pages[0])
    return run_systems({name: table[name] for name in systems}, pages)
