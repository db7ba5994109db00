"""The section a page files its story under, and whether the story has anything to do with it.

Content farms file stories wherever traffic goes: a storm report under "Food & Drink", a Hong Kong
story under a country it never mentions. A page's category comes from its metadata (HTML) or from
its own lines: "Filed under: …", "Posted in …", "Category: …", a breadcrumb ("Home › Weather ›
…") or a short "in Weather" line above the article. A category is related to the story when one of
its words, or of the words of its topic (TOPIC_WORDS), occurs in the title or body. It is judged
unrelated only when, besides, the story plainly belongs to another known section (three or more
distinct words of it: a storm report under "Food & Drink" uses storm, rain, flood). Broad sections
(GENERIC_SECTIONS: News, World, Europe…) are never judged, nor are breadcrumb steps or metadata
categories that name no known topic (see is_judged). Words are compared by their first
PREFIX_CHARS letters for the section's own words, so "Politics" meets "political" and "Algeria"
meets "Algerian"; topic words by their Snowball stems, so "species" does not meet "specifically".
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

from .document import Document, LineDecision
from .linefeatures import LETTER_RUN_RE

PREFIX_CHARS = 5
STEM_CACHE_SIZE = 100_000
# Below this many body words there is too little story to say what it is about.
MIN_BODY_WORDS = 120
MAX_CATEGORY_WORDS = 4
# Lines longer than this are prose or lists, not a section label.
MAX_SECTION_LINE_CHARS = 200
# A "Filed under" or "Posted in" line counts up to this many lines below the article's last line.
NEAR_ARTICLE_LINES = 8
# A story plainly belongs to a known section when it uses this many distinct words of it.
MIN_TOPIC_WORDS = 3
# More categories than this in a page's metadata are a menu's links, not the story's sections.
MAX_METADATA_CATEGORIES = 3
# Sections too broad to be wrong for any story.
GENERIC_SECTIONS = frozenset(
    """news latest world home local national international general uncategorized uncategorised featured
    top stories breaking trending more blog blogs articles article stories posts main front page frontpage
    europe asia africa americas america oceania middle east north south latin region regions city metro
    opinion comment editorial editorials columns analysis features feature explainers explainer
    lifestyle life guides guide reviews review departments department sections section all commentary
    columnists columnist column voices views ideas letters corporate newsroom media announcements
    press releases release updates brief briefs briefing focus depth pictures photos video videos gallery
    galleries podcast podcasts live real""".split()
)
# Section name → words a story in that section would use (our own short lists).
_TOPICS = {
    "food drink drinks recipes recipe cooking dining restaurants eat":
        "food drink recipe cook chef restaurant dish meal menu kitchen wine beer coffee bake baking cuisine "
        "ingredient flavour flavor taste dinner lunch breakfast",
    "sport sports football soccer cricket tennis rugby golf athletics basketball baseball":
        "match team league season coach player goal tournament championship club cup race game final",
    "money business finance markets market economy investing crypto manufacturing industry companies":
        "company firm shares market profit revenue price bank investor economy sales billion million tax "
        "inflation fund trade earnings dollar euro pound",
    "politics government elections election policy":
        "minister parliament government election vote party president senator mayor council policy law "
        "bill campaign official congress cabinet",
    "tech technology gadgets science digital":
        "app software phone device computer internet online data chip smartphone researchers study "
        "scientist laboratory technology species cells bacteria infection outbreak disease virus",
    "health wellness medicine fitness":
        "health hospital doctor patient disease virus vaccine medical nurse treatment care drug clinic",
    "celebs celebrity celebrities entertainment showbiz culture arts music film movies tv television":
        "star actor actress singer film movie album show series celebrity music concert festival award "
        "artist fans band theatre",
    "travel tourism holidays":
        "travel flight airport hotel tourist trip holiday destination visitor airline beach",
    "weather climate environment":
        "weather storm rain wind flood forecast temperature heat snow climate emissions drought",
    "crime courts justice law":
        "police court judge arrested charged trial crime prison sentenced lawyer jury",
    "education schools universities":
        "school student teacher university pupil exam college",
    "property housing estate homes":
        "house home property rent housing mortgage buyer",
    "fashion beauty style":
        "fashion style beauty clothes designer wear collection",
    "gaming games esports":
        "game gaming console player esports videogame studio",
    "transport transportation roads traffic transit":
        "road traffic bus train rail transport bridge motorway highway commuter route",
    "energy renewables utilities":
        "energy power electricity solar wind gas oil grid renewable",
    "motoring cars auto autos":
        "car vehicle driver engine electric motor",
}  # fmt: skip


_STEMMERS = threading.local()  # a Snowball stemmer keeps its working state on itself


def prefix(word: str) -> str:
    return word.casefold()[:PREFIX_CHARS]


# The Snowball stemmer is pure Python (tens of microseconds a word) and keeps no cache of its own.
@lru_cache(maxsize=STEM_CACHE_SIZE)
def stem(word: str) -> str:
    stemmer = getattr(_STEMMERS, "stemmer", None)
    if stemmer is None:
        stemmer = _STEMMERS.stemmer = snowballstemmer.stemmer("english")
    return stemmer.stemWord(word.casefold())


TOPIC_STEMS: dict[str, frozenset[str]] = {
    section: frozenset(stem(w) for w in words.split())
    for sections, words in _TOPICS.items()
    for section in sections.split()
}
_TOPIC_OPENINGS = frozenset(w[:3] for words in _TOPICS.values() for w in words.split())
# "Filed under: A, B · Tagged: …", "Posted in A, B by Jo Bloggs", "Categories: A | Tags: …",
# "Category: A": the label opens the line; the sections end at a separator, "Tags" or "by".
_LABEL_START_RE = re.compile(r"^\W*(?:filed\s+under|posted\s+in|categor(?:y|ies)|section)\s*:?\s+", re.IGNORECASE)
_LABEL_END_RE = re.compile(r"[|·•]|\btag(?:s|ged)?\b|\bby\b", re.IGNORECASE)
# A line that is only "in Weather" (WordPress themes put it under the headline).
_IN_SECTION_RE = re.compile(r"^\s*in\s+([A-Z][\w&'’ -]{1,40})$")
# "Home › Weather › …"; a "|" separates a menu's entries instead.
_BREADCRUMB_RE = re.compile(r"^\W*home\s*[›»>/]\s*(.+)$", re.IGNORECASE)
_CRUMB_SPLIT_RE = re.compile(r"\s*[›»>/]\s*")
_LIST_SPLIT_RE = re.compile(r"\s*[,;]\s*")


@dataclass(frozen=True)
class Category:
    name: str
    line: LineDecision | None  # None: from the page's metadata
    breadcrumb: bool = False  # a step of the site's navigation, not a label the story was given


def page_categories(doc: Document) -> list[Category]:
    """The page's categories: from metadata, else from its own lines (see the module's docstring)."""
    if doc.metadata.categories:
        return [Category(name, None) for name in doc.metadata.categories if name.strip()]
    body_lines = [d.number for d in doc.line_decisions if d.kind == "body"]
    first_body = body_lines[0] if body_lines else None

    def near_article(number: int) -> bool:
        # Not in the widgets far below the article, which show other stories' sections.
        return not body_lines or number <= body_lines[-1] + NEAR_ARTICLE_LINES

    found: list[Category] = []
    for d in doc.line_decisions:
        if d.kind == "body":
            continue
        names: list[str] = []
        crumbs = False
        above_article = first_body is None or d.number < first_body
        if len(d.text) > MAX_SECTION_LINE_CHARS:
            continue
        if (match := _LABEL_START_RE.match(d.text)) and near_article(d.number):
            rest = d.text[match.end() :]
            if end := _LABEL_END_RE.search(rest):
                rest = rest[: end.start()]
            names = _LIST_SPLIT_RE.split(rest)
        elif above_article and (match := _BREADCRUMB_RE.match(d.text)):
            names = [c for c in _CRUMB_SPLIT_RE.split(match.group(1)) if not _is_title(c, doc)]
            crumbs = True
        elif above_article and (match := _IN_SECTION_RE.match(d.text)):
            names = [match.group(1)]
        for name in names:
            name = name.strip(" .:-–—")
            if name and len(name.split()) <= MAX_CATEGORY_WORDS:
                found.append(Category(name, d, crumbs))
    return found


def _is_title(crumb: str, doc: Document) -> bool:
    """A breadcrumb's last step is often the story's own headline (cut short, or whole)."""
    title = (doc.metadata.title or "").casefold()
    crumb = crumb.strip().casefold()
    return len(crumb.split()) > MAX_CATEGORY_WORDS or (bool(crumb) and bool(title) and title.startswith(crumb))


def is_generic(name: str) -> bool:
    words = [w.casefold() for w in LETTER_RUN_RE.findall(name)]
    return not words or all(w in GENERIC_SECTIONS or len(w) < 3 for w in words)


def is_judged(category: Category) -> bool:
    """A section the page's own text gives the story is judged if it is specific. Breadcrumb steps
    and metadata categories only when they name a topic we know: regional sites nest places the
    story need not name ("Home › Jalisco › Explainers"), and metadata holds site-specific section
    names ("Spotlight", "Wide Angle") that say nothing of a topic."""
    if is_generic(category.name):
        return False
    if category.line is not None and not category.breadcrumb:
        return True
    return any(w.casefold() in TOPIC_STEMS for w in LETTER_RUN_RE.findall(category.name))


@dataclass(frozen=True)
class Story:
    prefixes: frozenset[str]  # of the title and body words
    stems: dict[str, str]  # stem -> the first title or body word that gave it (lower case), for
    # the words that could be topic words
    body_words: int

    @classmethod
    def of(cls, doc: Document) -> Story:
        body = " ".join(b.text for b in doc.blocks if b.kind == "body")
        words = LETTER_RUN_RE.findall(f"{doc.metadata.title or ''} {body}")
        stems: dict[str, str] = {}
        for word in dict.fromkeys(w.casefold() for w in words):  # each distinct word once, in order
            if word[:3] in _TOPIC_OPENINGS:  # a word can share a stem only with words it opens like
                stems.setdefault(stem(word), word)
        return cls(frozenset(map(prefix, words)), stems, len(body.split()))


def own_words(name: str) -> tuple[frozenset[str], frozenset[str]]:
    """What would show a story belongs in this section: prefixes of its own words, and the stems of
    its topic's words."""
    prefixes: set[str] = set()
    stems: set[str] = set()
    for word in LETTER_RUN_RE.findall(name):
        low = word.casefold()
        if len(low) >= 3 and low not in GENERIC_SECTIONS:
            prefixes.add(prefix(low))
        stems |= TOPIC_STEMS.get(low, frozenset())
    return frozenset(prefixes), frozenset(stems)


@dataclass(frozen=True)
class Judgement:
    categories: list[Category]  # the categories judged
    fits: bool | None  # None: nothing to judge (no specific category, or too little story)
    story_topic: str = ""  # when it does not fit: the section the story's words point to
    topic_words: tuple[str, ...] = ()  # and those words


def story_topic(story: Story, excluded: frozenset[str]) -> tuple[str, tuple[str, ...]]:
    """The known section whose words the story uses most (at least MIN_TOPIC_WORDS distinct ones),
    leaving out words that would also fit the page's own sections; with the story's words."""
    best, best_words = "", ()
    for sections, words in _TOPICS.items():
        hits = {stem(w) for w in words.split()}.intersection(story.stems) - excluded
        if len(hits) >= MIN_TOPIC_WORDS and len(hits) > len(best_words):
            best, best_words = sections.split()[0], tuple(sorted(story.stems[h] for h in hits))
    return best, best_words


def judge_categories(doc: Document) -> Judgement:
    """Whether the story belongs in at least one of its page's specific sections. It does not when
    none of their words (nor their topics' words) occurs in the title or body *and* the story
    plainly belongs to another known section."""
    categories = page_categories(doc)
    if sum(c.line is None for c in categories) > MAX_METADATA_CATEGORIES:
        categories = [c for c in categories if c.line is not None]  # a menu's links, not the story's
    judged = [c for c in categories if is_judged(c)]
    if not judged:
        return Judgement(judged, None)
    story = Story.of(doc)
    if story.body_words < MIN_BODY_WORDS:
        return Judgement(judged, None)
    owned = [own_words(c.name) for c in judged]
    prefixes = frozenset().union(*(p for p, _ in owned))
    stems = frozenset().union(*(t for _, t in owned))
    if not prefixes.isdisjoint(story.prefixes) or not stems.isdisjoint(story.stems):
        return Judgement(judged, True)
    topic, words = story_topic(story, stems)
    return Judgement(judged, False, topic, words) if topic else Judgement(judged, None)
