"""Scoring the cleaner against annotated pages.

Character-weighted precision / recall / F1 of keeping article text (body and heading lines) and
dropping boilerplate; lines annotated title, byline, date or caption are neutral (neither kept nor
dropped counts). Line accuracy is the share of non-blank lines whose kind is exactly right; keep
accuracy the share of non-neutral lines whose keep/drop decision is right. Overall figures pool the
characters and lines of all pages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .corpus import AnnotatedPage
from .document import KEPT_KINDS, NEUTRAL_KINDS

Predictor = Callable[[AnnotatedPage], Sequence[str | None]]


@dataclass(frozen=True)
class Score:
    name: str
    true_chars: int = 0  # characters annotated body/heading
    kept_chars: int = 0  # non-neutral characters predicted body/heading
    hit_chars: int = 0  # both
    lines: int = 0
    right_kinds: int = 0
    keep_lines: int = 0
    right_keeps: int = 0

    def __add__(self, other: Score) -> Score:
        return Score("overall", *(getattr(self, f) + getattr(other, f) for f in _COUNTS))

    def renamed(self, name: str) -> Score:
        return Score(name, *(getattr(self, f) for f in _COUNTS))

    @property
    def precision(self) -> float:
        return self.hit_chars / self.kept_chars if self.kept_chars else 1.0

    @property
    def recall(self) -> float:
        return self.hit_chars / self.true_chars if self.true_chars else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def line_accuracy(self) -> float:
        return self.right_kinds / self.lines if self.lines else 1.0

    @property
    def keep_accuracy(self) -> float:
        return self.right_keeps / self.keep_lines if self.keep_lines else 1.0

    def as_row(self) -> dict:
        return {
            "page": self.name,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "line_accuracy": round(self.line_accuracy, 4),
            "keep_accuracy": round(self.keep_accuracy, 4),
            "lines": self.lines,
        }


_COUNTS = ("true_chars", "kept_chars", "hit_chars", "lines", "right_kinds", "keep_lines", "right_keeps")


def score_page(page: AnnotatedPage, predicted: Sequence[str | None]) -> Score:
    true_chars = kept_chars = hit_chars = lines = right = keep_lines = right_keeps = 0
    for line, truth, guess in zip(page.lines, page.kinds, predicted):
        if truth is None:
            continue
        lines += 1
        right += truth == guess
        if truth in NEUTRAL_KINDS:
            continue
        n = len(line.strip())
        should_keep, kept = truth in KEPT_KINDS, guess in KEPT_KINDS
        true_chars += n * should_keep
        kept_chars += n * kept
        hit_chars += n * (kept and should_keep)
        keep_lines += 1
        right_keeps += kept == should_keep
    return Score(page.name, true_chars, kept_chars, hit_chars, lines, right, keep_lines, right_keeps)


def evaluate(pages: Sequence[AnnotatedPage], predict: Predictor) -> tuple[list[Score], Score]:
    scores = [score_page(page, predict(page)) for page in pages]
    total = sum(scores[1:], scores[0]) if scores else Score("overall")
    return scores, total


def leave_one_style_out(
    pages: Sequence[AnnotatedPage], fit: Callable[[list[AnnotatedPage]], Predictor]
) -> tuple[dict[str, Score], Score]:
    """Train on all styles but one, score the held-out style; every style in turn."""
    per_style: dict[str, Score] = {}
    for style in sorted({p.style for p in pages}):
        held_out = [p for p in pages if p.style == style]
        predict = fit([p for p in pages if p.style != style])
        _, total = evaluate(held_out, predict)
        per_style[style] = total.renamed(style)
    scores = list(per_style.values())
    return per_style, sum(scores[1:], scores[0])
