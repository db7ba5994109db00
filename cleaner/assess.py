"""From signals to an assessment: a 0-100 score with a band, and a type of work.

The weights are this small table, in the spirit of published rating criteria: separating news from
opinion, naming authors and dates, sourcing claims, not copying headlines, not padding or stuffing
pages. A score starts at BASE_SCORE; each signal adds or takes points, and the report shows every
signal's points next to its evidence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from .signals import UNMARKED_OPINION_SHARE, Signal

BASE_SCORE = 50.0
BANDS = ((75, "high"), (55, "fair"), (35, "low"), (0, "very low"))
# Type-of-work thresholds (shares of body characters). The opinion shares count the writer's own
# opinion only: sentences attributing an opinion to someone else are reporting.
OPINION_TYPE_SHARE = 0.4
ANALYSIS_OPINION_SHARE = 0.15
ANALYSIS_ATTRIBUTION = 1.0  # attributed statements per 100 words
PROMOTIONAL_FILLER_SHARE = 0.5
FARM_FILLER_SHARE = 0.3
FARM_ARCHIVE_ENTRIES = 2


def counted_shares(value: dict) -> dict | None:
    """The label_shares signal's shares, or None when the labels are unreliable (text not in English)."""
    return value if value.get("reliable", True) else None


def _shares(value: dict, *, whole: bool = False) -> Callable[[str], float]:
    """Share of a label; none counts when the labels are unreliable, nor, with `whole`, when the
    body is too short for its labels to count fully (signals.MIN_JUDGED_WORDS)."""
    shares = counted_shares(value) or {}
    if whole and value.get("weight", 1.0) < 1:
        shares = {}
    return lambda label: float(shares.get(label, 0.0))


def _unmarked_opinion(value: dict) -> float:
    """-5 points, in proportion to how much the body's labels count, for unmarked opinion."""
    unmarked = value["counted"] and value["own_opinion_share"] >= UNMARKED_OPINION_SHARE
    return -5 * value["weight"] if unmarked else 0.0


# signal name -> points from its value. Positive: more credible.
WEIGHTS: dict[str, Callable[[object], float]] = {
    # up to +20 for a body that is all reporting; up to -25 for one that is all filler; in proportion
    # for a body under 50 words (signals.MIN_JUDGED_WORDS)
    "label_shares": lambda v: v["weight"] * (20 * _shares(v)("reporting") - 25 * _shares(v)("filler")),
    # up to +10 for attributed statements (2.5 per 100 words or more), +1 per named source up to 5
    "attribution": lambda v: min(4 * v["attributed_per_100_words"], 10) + min(v["named_sources"], 5),
    # numbers, dates and names: up to +8 (16 per 100 words); English text only
    "specificity": lambda v: min(v["per_100_words"] / 2, 8) if v["counted"] else 0,
    # named author +5 (missing -5); date +3 (missing -3)
    "byline_and_date": lambda v: (5 if v["byline"] else -5) + (3 if v["date"] else -3),
    # page dates far from the article's date: -5
    "dates_agree": lambda v: {True: 2, False: -5}.get(v, 0),
    # opinion marked as such +5; with no such mark, the writer's own opinion in 15%+ of the body -5
    # (in proportion for a body under 50 words)
    "opinion_labelled": lambda v: 5 if v["labelled"] else _unmarked_opinion(v),
    # a page that is mostly chrome: up to -10
    "boilerplate_share": lambda v: -20 * max(0.0, v - 0.5),
    # content-farm chrome: archive counts -15 (on 3+ lines; -8 for 2+ entries on fewer), generic bios -5,
    # mass related lists -3 next to archive counts (alone, they are as common on news sites: 9 of the
    # 181 scrapinghub pages, none a farm). One bracketed count may be a headline's comments.
    "farm_chrome": lambda v: (
        (-15 if v["archive_count_lines"] >= 3 else -8 if v["archive_entries"] >= FARM_ARCHIVE_ENTRIES else 0)
        + (-5 if v["generic_bio_lines"] else 0)
        + (-3 if v["related_list_lines"] >= 3 and v["archive_entries"] >= FARM_ARCHIVE_ENTRIES else 0)
    ),
    # filed under a section the story has nothing to do with: -8
    "category_fits": lambda v: -8 if v["fits"] is False else 0,
    "copied_headline": lambda v: -10 if v else 0,
    "keyword_stuffing": lambda v: -15 if v else 0,
    # generic AI-style phrasing: -5 per phrase per 100 words beyond the first two, at most -15
    "ai_phrasing": lambda v: -min(5 * v["counted_per_100_words"], 15),
    "template_leftovers": lambda v: -20 if v else 0,
    # run-level: a copy of another document in the run -10 (80%+ shared), a near copy -5
    "near_duplicate": lambda v: 0 if v is None else (-10 if v["similarity"] >= 0.8 else -5),
}


def weigh(signals: list[Signal]) -> list[Signal]:
    # "+ 0.0" turns a negative zero into zero, so reports never show "-0.0".
    return [replace(s, effect=round(WEIGHTS[s.name](s.value), 1) + 0.0) for s in signals]


def score(signals: list[Signal]) -> float:
    return round(min(100.0, max(0.0, BASE_SCORE + sum(s.effect for s in signals))), 1)


def band(value: float) -> str:
    return next(name for floor, name in BANDS if value >= floor)


def type_of_work(signals: list[Signal]) -> str:
    by_name = {s.name: s.value for s in signals}
    shares = _shares(by_name["label_shares"], whole=True)
    farm = by_name["farm_chrome"]
    misfiled = by_name["category_fits"]["fits"] is False
    # One bracketed count may be a headline's comments; an archive widget lists several.
    if farm["archive_entries"] >= FARM_ARCHIVE_ENTRIES and (
        shares("filler") >= FARM_FILLER_SHARE or by_name["ai_phrasing"]["counted_per_100_words"] > 0 or misfiled
    ):
        return "content farm"
    if by_name["opinion_labelled"]["labelled"]:  # the page itself says it is opinion
        return "opinion"
    if by_name["keyword_stuffing"] or shares("filler") >= PROMOTIONAL_FILLER_SHARE:
        return "promotional"
    # The writer's own opinion: sentences that attribute an opinion to someone else are reporting.
    marks = by_name["opinion_labelled"]
    own_opinion = marks["own_opinion_share"] if marks["counted"] and marks["weight"] == 1 else 0.0
    if own_opinion >= OPINION_TYPE_SHARE:
        return "opinion"
    if (
        own_opinion >= ANALYSIS_OPINION_SHARE
        and by_name["attribution"]["attributed_per_100_words"] >= ANALYSIS_ATTRIBUTION
    ):
        return "analysis"
    return "reporting"


@dataclass(frozen=True)
class Assessment:
    """Weighed signals and what they add up to."""

    signals: tuple[Signal, ...]
    score: float
    band: str
    type_of_work: str

    @classmethod
    def of(cls, signals: Iterable[Signal]) -> Assessment:
        """From weighed signals."""
        signals = tuple(signals)
        value = score(list(signals))
        return cls(signals, value, band(value), type_of_work(list(signals)))

    def to_dict(self) -> dict:
        return {"score": self.score, "band": self.band, "type_of_work": self.type_of_work}
