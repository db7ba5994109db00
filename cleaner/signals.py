"""Credibility signals of one cleaned, labelled document.

Each signal is one small function from the document to a Signal: its value, its effect on the
score (points, from the weights in assess.py) and its evidence: the source lines or snippets that
produced it. A signal that finds nothing still names what it looked at.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from .categories import judge_categories
from .document import LEFT_OUT_ABOVE_REASON, LEFT_OUT_REASON, Block, Document, LineDecision
from .language import NOT_ENGLISH_NOTICE
from .linefeatures import COUNT_RE, STOPWORDS
from .names import distinct_sources, is_own_outlet, named_authors, visible_byline


def _whole_words(*alternatives: str, flags: int = 0) -> re.Pattern:
    """Any of these whole words or phrases (each may be a small regex, starting with a literal
    character). A lookahead first checks a word's first character against theirs: the same matches,
    about twice as fast, since most words are ruled out at once."""
    assert all(a[0].isalnum() for a in alternatives)
    first = "".join(sorted({a[0] for a in alternatives}))
    return re.compile(rf"\b(?=[{first}])(?:{'|'.join(alternatives)})\b", flags)


# Attribution: a statement is attributed when a sentence carries one of these verbs or phrases.
ATTRIBUTION_RE = _whole_words(
    "said", "says", "told", "according to", *"announced stated confirmed added wrote testified estimated reported "
    "warned explained noted argued denied acknowledged".split(), flags=re.IGNORECASE,
)  # fmt: skip
QUOTE_RE = re.compile(r"[\"“][^\"“”]{12,}[\"”]")
# A named source: one to three capitalised words right before or after an attribution verb, also
# with a lower-case title between the verb and the name ("said deputy mayor Jean Dufresne") or an
# apposition between the name and the verb ("Jean Dufresne, the deputy mayor, said"; "…, 54, said").
# The title must end in a word of ROLES, so that "said in London" names no one; an apposition does
# not open with a conjunction ("Titan, but the poles are drier, said": the source came earlier).
# A name does not run on past a sentence's end ("… Li Wei. Verse, an agency, said"), but does past an
# initial or an abbreviated title ("J. Smith", "Rep. Brian Babin").
ABBREVIATED_TITLES = "Rep Sen Gov Gen Col Capt Sgt Cmdr Adm Maj Supt Insp Det Prof Mrs Hon Rev Atty Msgr Pres".split()
_NOT_SENTENCE_END = "|".join([r"(?<![a-z]{2}\.)", *(rf"(?<=\b{title}\.)" for title in ABBREVIATED_TITLES)])
# Words are matched whole (a boundary before, a possessive quantifier after) and at most 41
# characters long: a long token ("AAAA…" or "A-A-A-…" of a pasted blob) then costs a bounded scan
# from each place a word can start, not a scan to its end and back.
_NAME = rf"\b[A-Z][\w'’.-]{{1,40}}+(?:(?:{_NOT_SENTENCE_END})\s+[A-Z][\w'’.-]{{1,40}}+){{0,2}}"
_VERB_AFTER = r"(?:said|says|told|wrote|added|warned|argued|noted|explained)\b"
ROLES = (
    "mayor minister president spokesperson spokesman spokeswoman director chairman chairwoman chair "
    "secretary governor senator commissioner officer chief executive manager professor analyst economist "
    "leader coach captain superintendent sheriff judge attorney lawyer councillor councilman councilwoman "
    "representative inspector founder researcher scientist historian curator principal teacher nurse doctor "
    "physician surgeon engineer ambassador general colonel sergeant detective prosecutor lieutenant "
    "head member owner resident organizer organiser treasurer administrator"
).split()
_ROLE = rf"(?:[a-z][\w'’-]*\s+){{0,3}}?(?:{'|'.join(ROLES)})\s+"
_APPOSITION = (
    r"(?:\d{1,3}|(?!(?:and|but|or|nor|so|yet|as|if|when|while|because|though|although)\b)"
    r"(?:the\s+|a\s+|an\s+|who\s+)?[a-z][^,.;:\"“”()]{0,60}?)"
)
# Before an apposition, a sentence adverb or a phrase of place or time is no name: "Earlier,
# speaking to reporters, said …", "In Paris, where the talks were held, said …".
SENTENCE_ADVERBS = (
    "in on at for from with by after before during under over earlier later meanwhile however "
    "nevertheless nonetheless still instead moreover furthermore also then now here there today "
    "yesterday finally indeed thus therefore hence again otherwise likewise elsewhere overall "
    "additionally similarly separately previously currently recently ultimately consequently "
    "importantly notably initially eventually originally typically generally specifically apparently "
    "unfortunately fortunately interestingly afterwards"
).split()
_NOT_ADVERB = rf"(?!(?i:{'|'.join(SENTENCE_ADVERBS)})\b)"
# ...nor the end of a place after a preposition ("In New York, where the talks were held, said"
# gives no "York"): checked on the text before the name (a lookbehind cannot span the words).
_AFTER_PREPOSITION_RE = re.compile(r"(?:^|[\s(])(?i:in|on|at|by|for|from|with)(?:\s+[A-Z][\w'’-]*)*\s+$")
SOURCE_RE = re.compile(
    rf"(?:({_NAME})\s+{_VERB_AFTER}"
    rf"|\b(?:said|says|according to)\s+(?:the\s+)?(?:{_ROLE})?({_NAME})"
    rf"|(?=\b[A-Z]){_NOT_ADVERB}({_NAME}),\s+{_APPOSITION},\s+{_VERB_AFTER})"  # lookarounds at capitals only
)
# Patterns that open with a character class are searched for fast; a word boundary before it is
# checked by a lookbehind after it (twice as fast as a leading \b, the same matches).
NUMBER_RE = re.compile(r"\d(?<!\w\d)[\d,.]*%?")
# A capitalised word that does not open the text or a sentence. The lookbehinds come after the
# capital, so they run only where a capital is (twice as fast as checking them at every position).
PROPER_RE = re.compile(r"[A-Z](?<!\w[A-Z])(?<![.!?]\s[A-Z])(?<!^[A-Z])[a-z]+")
DATE_IN_TEXT_RE = _whole_words(
    r"19\d{2}", r"20\d{2}", *"January February March April May June July August September October November "
    "December Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
)  # fmt: skip
# On a page that marks itself as opinion, the paragraph labels take opinion as this many times as
# likely (odds) as on pages at large. Measured on the first scrapinghub annotation set, not on the
# seed pages: opinion is 12 of 30 paragraphs on marked pages (odds 0.67) and 61 of 611 on all pages
# (odds 0.11), a ratio of 6.
MARKED_OPINION_ODDS = 6.0
# Opinion marked as such: a disclaimer or columnist bio off the body, a disclaimer paragraph in it,
# or a line above the article that is nothing but a section label ("Opinion", "Op-Ed"); a menu
# that merely lists "Opinion" is neither, nor is a box headed "Opinion" below the article. The
# page's metadata counts too: a section or tag, a title's label ("Opinion | ...", "... | Editorial")
# or an opinion folder in its URL.
OPINION_DISCLAIMER_RE = re.compile(
    r"\b(?:the views expressed|views (?:are|do not)|(?:does|do) not necessarily (?:reflect|represent))\b",
    re.IGNORECASE,
)
# In the body, only a disclaimer's own words, in a short paragraph that quotes no one: "the
# senator's views are shared by many" is news.
BODY_DISCLAIMER_RE = re.compile(
    r"\b(?:the views (?:and opinions )?expressed|(?:views|opinions) (?:are|is) (?:the (?:author|writer)'?s?|"
    r"(?:his|her|their|my) own)|(?:does|do) not necessarily (?:reflect|represent) (?:the )?"
    r"(?:views|opinions|position|those) of)",
    re.IGNORECASE,
)
BODY_DISCLAIMER_MAX_WORDS = 40
OPINION_BIO_RE = re.compile(
    r"\b(?:the (?:writer|author) is (?:a|an|the)|is an? (?:\w+ )?columnist|columnist (?:for|at|with)|"
    r"op-ed contributor|contributing (?:columnist|opinion writer))\b",
    re.IGNORECASE,
)
# A disclaimer about readers' comments ("Views expressed in comments are not ours") is not one
# about the article.
COMMENTS_RE = re.compile(r"\bcomments?\b", re.IGNORECASE)
_OPINION_WORDS = r"opinion|opinions|op-ed|oped|commentary|editorial|editorials|viewpoint|viewpoints|column|comment"
OPINION_SECTION_RE = re.compile(
    rf"^\W*(?:{_OPINION_WORDS}|opinion\s*[|/>»›-]\s*\w+)\W*$",
    re.IGNORECASE,
)
# A title's parts ("Opinion | Headline | Paper", "Opinion: Headline") and a section path's steps.
TITLE_PARTS_RE = re.compile(r"\s+[|–—]\s+|:\s+")
SECTION_STEPS_RE = re.compile(r"\s*[>/|›»]\s*")
OPINION_URL_RE = re.compile(
    r"/(?:opinion|opinions|op-ed|op-eds|oped|commentisfree|commentary|editorials|columnists)(?:/|$)", re.I
)
# Where a sentence ends: an end mark (and closing quotes) before a space and a capital or an
# opening quote; not after an initial or a short title ("U.S. plan", "Mr. Ruiz").
SENTENCE_END_RE = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'”’)]))\s+(?=[\"“‘(]?[^\W\d_a-z]|\d)")
ABBREVIATION_END_RE = re.compile(
    r"(?:\b[A-Z]\.[A-Z]|\b[A-Z][a-z]+ [A-Z]|\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Gov|Sen|Rep|Gen|Prof|No|vs|Inc|Co|Corp))\.$"
)
# Someone else's opinion, reported: the attribution verbs, and others who "say", "claim", "insist"
# ("Critics say the plan is reckless"); not "needless to say", nor the writer citing themselves
# ("As I wrote last year", "we said").
VOICE_RE = re.compile(
    rf"{ATTRIBUTION_RE.pattern}|(?<!\bneedless to )(?<!\bsuffice it to )(?<!\bfair to )(?<!\bsafe to )"
    r"(?<!\bI )(?<!\bI'd )(?<!\bwe )(?<!\byou )\b(?:say|claim|insist)\b"
    r"|\b(?:claims|claimed|insists|insisted)\b",
    re.IGNORECASE,
)
_VOICE_VERBS = r"said|say|says|told|wrote|argued|noted|explained|added|warned|stated|claim|claimed|insist|insisted"
FIRST_PERSON_ATTRIBUTION_RE = re.compile(rf"\b(?:I|we)\s+(?:\w+\s+)?(?:{_VOICE_VERBS})\b", re.IGNORECASE)
# Opinion paragraphs weigh against a page that does not mark itself as opinion only when the
# writer's own opinion (not a source's attributed words) makes up this share of the body: one
# closing remark in a news story is not "opinion mixed into news".
UNMARKED_OPINION_SHARE = 0.15
# A section name next to a boilerplate line this short is taken for a menu entry.
MENU_ITEM_WORDS = 3
# Archive counts: "June 2025 (2996)": a month or year with a count in brackets. A farm's volume
# runs to thousands of posts a month; a busy blog's month or a long-lived blog's category holds a
# few hundred ("Outubro (217)", "Aliran Sesat (225)": 4 of the 181 scrapinghub pages, all blogs,
# lost 15 points at 100+).
ARCHIVE_COUNT_MIN = 1000
# The label before the count: a month and year or a section name, not a sentence.
ARCHIVE_LABEL_MAX_WORDS = 4
# Entries start a line or follow the previous entry's count or a bullet (looked behind, so that
# entries side by side all count). The count is a whole number, with thousands separators or
# none; one followed by more digits is a phone number's area code: "(509) 459-5382". Possessive
# spaces keep long runs of blanks from being scanned again and again.
ARCHIVE_ENTRY_RE = re.compile(
    r"(?:^|(?<=[)•►▸·|]))\s*+(\S[^()•►▸·|]{0,39}?)\s*+\((\d{1,3}(?:[,.]\d{3})+|\d{1,9})\)(?![\s.-]*\d)"
)
# A bracketed year is a date, not a count: "Parasite (2019)".
_YEAR_RE = re.compile(r"(?:19|20)\d\d")
# A generic bio is a sentence about a person ("Sam is a passionate writer who..."): the same words in
# a share button ("Blogger"), a "liked by 3 bloggers" widget or a reader's comment are not one.
BIO_SHAPE_RE = re.compile(r"\b(?:is an?|i am an?|i'm an?|about the author|has been writing|writes about)\b", re.I)
BIO_MIN_WORDS = 8
GENERIC_BIO_RE = re.compile(
    r"\b(?:passionate|enthusiast|loves? (?:to )?(?:write|writing|sharing)|avid|content (?:writer|creator)|"
    r"blogger|seo|digital marketing|covers (?:a wide range|all things|everything))\b",
    re.IGNORECASE,
)
# AI-style and template phrasing (our own list): generic prose that says nothing checkable. Human
# writers use a few of these too ("robust", "moving forward"): on the 181 real news pages of the
# scrapinghub benchmark, at most 2 a page. So many phrases count, not one in a short story.
AI_PHRASES_ALLOWED = 2
AI_PHRASES = (
    "in today's fast-paced world", "it remains to be seen", "only time will tell", "stakeholders",
    "navigating the complex", "plays a pivotal role", "a testament to", "in conclusion",
    "paving the way", "delve into", "a myriad of", "ever-evolving", "game-changer", "landscape",
    "fostering", "synergy", "holistic", "robust", "seamless", "it is worth noting", "moving forward",
    "unlock the potential", "underscores the importance", "strategic priorities", "long-term prosperity",
    "rich tapestry", "key takeaways", "at the end of the day", "will be watching closely",
    "it is worth mentioning", "it's worth noting", "it is important to note", "it's important to note",
    "a stark reminder", "all in all", "serves as a reminder", "in the realm of",
)  # fmt: skip
# Quoted words in double (QUOTE_RE), single (British papers quote speech so) or angle quotes; an apostrophe
# inside a word is no quote mark.
# The lookahead rules out most places at once (three times as fast, the same matches).
ANY_QUOTE_RE = re.compile(r"(?=[\"“'‘«])(?:" + QUOTE_RE.pattern + r"|(?<!\w)['‘][^'‘’]{12,}['’](?!\w)|«[^«»]{12,}»)")
# Curly apostrophes, non-breaking spaces and the other hyphens, as the phrase list writes them.
_PLAIN_PUNCTUATION = (("’", "'"), ("‘", "'"), ("‛", "'"), ("\u00a0", " "), ("\u2010", "-"), ("\u2011", "-"))
AI_PHRASE_RE = _whole_words(*map(re.escape, AI_PHRASES))
TEMPLATE_PHRASES = (
    "as an ai language model", "as an ai model", "lorem ipsum", "i cannot fulfil", "i'm sorry, but i can",
)  # fmt: skip
TEMPLATE_BLANK = r"\[(?:your|insert|company|author)[^\]]{0,30}\]"
TEMPLATE_RE = re.compile("|".join([*map(re.escape, TEMPLATE_PHRASES), TEMPLATE_BLANK]), re.IGNORECASE)
# In lower-case text: the blank's pattern starts with a literal, which the regex engine looks for
# fast (a pattern of alternatives is tried at every place).
_TEMPLATE_BLANK_RE = re.compile(TEMPLATE_BLANK)
_DIGIT_RE = re.compile(r"\d")
STUFFING_NGRAM = 4
# A phrase repeated this many times per 1,000 words, and at least STUFFING_MIN_REPEATS times, is stuffing
# when it carries the headline's words: a search phrase is stuffed to rank for the page's subject.
STUFFING_PER_1000 = 6.0
STUFFING_MIN_REPEATS = 4
# Content words (lower case, not stopwords) a stuffed phrase holds: "as well as the" recurs in honest
# prose. With one, 3 repeats, 18 of the 181 real news pages of the scrapinghub benchmark were flagged,
# mostly for such phrases; with two and 4 repeats, 7.
STUFFING_MIN_CONTENT_WORDS = 2
# Without the headline's words, only this rate counts. Real pages repeat the fields of their lists
# ("held in jail in lieu of", "had a goal and an assist"): 6 of those 181 pages at 7-12 per 1,000.
STUFFING_PER_1000_ANY_PHRASE = 15.0
PHRASE_WORD_RE = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")  # "e-tron" and "don't" are one word
# Words, and an empty match for each punctuation mark (a dash or quote outside a word too) or
# number: a phrase never runs across one, so "Elevation gain: 450 ft. Dogs:" holds none.
PHRASE_TOKEN_RE = re.compile(r"([^\W\d_]+(?:['’-][^\W\d_]+)*)|[^\s\w'’-]+|['’-]+|\d[\w.,]*|_+")
# Dates on a page "agree" when they fall within this many days of the article's date.
DATE_AGREEMENT_DAYS = 31
MAX_EVIDENCE = 5
# Label shares and the own-opinion share count fully from this many words of body text, and in
# proportion below it (25 words count half): a teaser or a rights notice (what a paywalled page
# gives) says little about the article. Only a fully counted body decides the type of work.
MIN_JUDGED_WORDS = 50
SNIPPET_CHARS = 160
# Outlet names appended to copied headlines: "Headline - Outlet" or "Headline | Outlet".
COPIED_HEADLINE_RE = re.compile(r"\s[-–—|]\s(?:[A-Z][\w.&']*\s?){1,4}$")
# ...but a suffix made only of section words is the page's own section or column when it is one word
# ("| Editorial", "- Football") or the page shows it as a section elsewhere (a menu line, its
# categories): "- Auto News" on a site whose menu lists "Auto News". Otherwise "Science News" or
# "US News" may well be another outlet's name.
SECTION_WORDS = frozenset(
    "news latest breaking live update updates world national local international us uk politics business "
    "money markets economy finance tech technology science health sport sports auto autos cars motoring "
    "travel food lifestyle style fashion culture arts books music film films movies tv entertainment "
    "celebrity weather opinion opinions editorial editorials comment commentary analysis column columns "
    "blog blogs review reviews video videos photos gallery podcast education environment climate crime "
    "football soccer basketball baseball hockey cricket golf tennis property homes jobs and".split()
)


@dataclass(frozen=True)
class Evidence:
    lines: tuple[int, int] | None  # 1-based source lines, when the evidence is a block or line
    snippet: str


@dataclass(frozen=True)
class Signal:
    name: str
    value: float | bool | str | dict
    effect: float  # points added to (or taken from) the score; set by assess.py
    evidence: tuple[Evidence, ...]
    detail: str  # one sentence a reviewer can read
    unit: str = ""

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "value": self.value,
            "unit": self.unit,
            "effect": self.effect,
            "detail": self.detail,
            "evidence": [{"lines": list(e.lines) if e.lines else None, "snippet": e.snippet} for e in self.evidence],
        }


@dataclass(frozen=True)
class Facts:
    """What the signals read from a document, computed once."""

    doc: Document
    body: tuple[Block, ...]
    words: int
    label_chars: dict[str, int] = field(default_factory=dict)
    # The page's own visible byline line ("By Ana Ruiz") and the names it gives, if any.
    byline_line: LineDecision | None = None
    byline_names: tuple[str, ...] = ()

    @classmethod
    def of(cls, doc: Document) -> Facts:
        body = tuple(b for b in doc.blocks if b.kind == "body")
        words = sum(len(b.text.split()) for b in body)
        chars: Counter = Counter()
        for b in body:
            chars[b.label or "unlabelled"] += len(b.text)
        line, names = visible_byline(doc)
        return cls(doc, body, words, dict(chars), line, tuple(names))


def _snippet(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SNIPPET_CHARS else text[: SNIPPET_CHARS - 1] + "…"


def _block_evidence(blocks: list[Block]) -> tuple[Evidence, ...]:
    return tuple(Evidence(b.lines, _snippet(b.text)) for b in blocks[:MAX_EVIDENCE])


def _line_evidence(lines: list[LineDecision]) -> tuple[Evidence, ...]:
    return tuple(Evidence((d.number, d.number), _snippet(d.text)) for d in lines[:MAX_EVIDENCE])


def _per_100(count: int, words: int) -> float:
    return round(100 * count / words, 2) if words else 0.0


def _label_weight(f: Facts) -> float:
    """How much the body's labels count: in proportion to its words up to MIN_JUDGED_WORDS."""
    return round(min(1.0, f.words / MIN_JUDGED_WORDS), 3)


def _thin_caveat(f: Facts) -> str:
    """How much a body under MIN_JUDGED_WORDS words counts, for a signal's detail; else ""."""
    if f.words >= MIN_JUDGED_WORDS:
        return ""
    return f"counted at {_label_weight(f):.0%}: the body has {f.words} words (fully from {MIN_JUDGED_WORDS})"


def label_shares(f: Facts) -> Signal:
    total = sum(f.label_chars.values())
    shares = {label: round(f.label_chars.get(label, 0) / total, 3) if total else 0.0 for label in LABEL_ORDER}
    evidence = []
    for label in LABEL_ORDER:
        blocks = [b for b in f.body if b.label == label]
        if blocks:
            top = max(blocks, key=lambda b: (b.scores or {}).get(label, 0.0))
            evidence.append(Evidence(top.lines, f"{label}: {_snippet(top.text)}"))
    detail = ", ".join(f"{label} {shares[label]:.0%}" for label in LABEL_ORDER) + " of the body text"
    reliable = NOT_ENGLISH_NOTICE not in f.doc.notices
    if not reliable:
        detail += "; not counted: the text does not look like English, and the labels were learnt from English"
    elif caveat := _thin_caveat(f):
        detail += "; " + caveat
    value = {**shares, "reliable": reliable, "weight": _label_weight(f)}
    return Signal("label_shares", value, 0.0, tuple(evidence), detail, "share of body characters")


LABEL_ORDER = ("reporting", "opinion", "filler")


def attribution(f: Facts) -> Signal:
    hits = [(b, len(ATTRIBUTION_RE.findall(b.text))) for b in f.body]
    attributed = [b for b, n in hits if n]
    statements = sum(n for _, n in hits)
    quotes = sum(len(QUOTE_RE.findall(b.text)) for b in f.body)
    # Every SOURCE_RE verb is an attribution verb, so only attributed paragraphs can name a source.
    sources = distinct_sources(
        name for b in attributed for m in SOURCE_RE.finditer(b.text) if (name := _source_name(m, b.text))
    )
    value = {
        "attributed_per_100_words": _per_100(statements, f.words),
        "quotes_per_100_words": _per_100(quotes, f.words),
        "named_sources": len(sources),
    }
    detail = (
        f"{statements} attributed statements and {quotes} direct quotes in {f.words} words; "
        f"named sources: {', '.join(sources[:8]) or 'none'}"
    )
    return Signal("attribution", value, 0.0, _block_evidence(attributed), detail)


def specificity(f: Facts) -> Signal:
    numbers = dates = names = 0
    specific = []
    for b in f.body:
        n, d, p = len(NUMBER_RE.findall(b.text)), len(DATE_IN_TEXT_RE.findall(b.text)), len(PROPER_RE.findall(b.text))
        numbers, dates, names = numbers + n, dates + d, names + p
        if n + d + p >= 3:
            specific.append(b)
    # Capital letters and spaces between words mean other things in other languages (every German
    # noun is capitalised; Japanese puts no spaces between words): counted for English text only.
    counted = NOT_ENGLISH_NOTICE not in f.doc.notices
    value = {"per_100_words": _per_100(numbers + dates + names, f.words), "counted": counted}
    detail = f"{numbers} numbers, {dates} dates and {names} proper names in {f.words} words"
    if not counted:
        detail += "; not counted: the text does not look like English"
    return Signal("specificity", value, 0.0, _block_evidence(specific), detail)


def byline_and_date(f: Facts) -> Signal:
    meta = f.doc.metadata
    dates = [d for d in f.doc.line_decisions if d.kind == "date"]
    named = named_authors(meta.author or "", f.doc)
    line = None
    if not named:  # no usable author in the metadata: a visible byline ("By Ana Ruiz") will do
        line, named = f.byline_line, list(f.byline_names)
    value = {"byline": bool(named), "date": bool(meta.date_iso or meta.date)}
    bylines = [line] if line else [d for d in f.doc.line_decisions if d.kind == "byline"][:1]
    evidence = _line_evidence(bylines + dates[:1])
    if not evidence and (meta.author or meta.date):
        evidence = (Evidence(None, f"author: {meta.author}; date: {meta.date}"),)
    if named:
        byline = f"byline found: {'; '.join(named)}"
    elif meta.author:
        byline = f"byline missing ('{_snippet(meta.author)}' names no person, news agency or editorial board)"
    else:
        byline = "byline missing"
    detail = f"{byline}; date {meta.date or 'missing'}"
    return Signal("byline_and_date", value, 0.0, evidence or (Evidence(None, "no byline or date line"),), detail)


def dates_agree(f: Facts) -> Signal:
    from .assemble import parse_date

    article = f.doc.metadata.date_iso
    found = []
    # An HTML page's byline line ("By Ana Ruiz, March 3, 2015") is rarely in the extracted article.
    byline = f.byline_line
    for d in f.doc.line_decisions:
        # Every date form parse_date reads has digits; most lines have none.
        read = d.kind in {"date", "byline", "body"} or d is byline
        iso = parse_date(d.text) if read and _DIGIT_RE.search(d.text) else None
        if iso:
            found.append((d, iso))
    # Dates in the body may rightly be far from the article's (history, schedules): only dates off
    # the body (date lines, bylines) are compared.
    compared = [(d, iso) for d, iso in found if d.kind != "body"]
    if not article or not compared:
        return Signal("dates_agree", "unknown", 0.0, _line_evidence([d for d, _ in found]), "no page date to compare")
    from datetime import date

    base = date.fromisoformat(article)
    far = [(d, iso) for d, iso in compared if abs((date.fromisoformat(iso) - base).days) > DATE_AGREEMENT_DAYS]
    detail = f"{len(far)} of {len(compared)} page dates more than {DATE_AGREEMENT_DAYS} days from {article}"
    return Signal("dates_agree", not far, 0.0, _line_evidence([d for d, _ in far] or [d for d, _ in compared]), detail)


class _LastMarks:
    """The last page's opinion marks: the cleaner's labelling reads them, then its signals read them
    again from the labelled copy of the page, which shares the (immutable) lines and metadata."""

    entry: tuple[object, object, tuple[Evidence, ...]] = (None, None, ())

    @classmethod
    def of(cls, doc: Document) -> tuple[Evidence, ...]:
        meta = doc.metadata
        # Only a page built of tuples is sure not to change (the cleaner's are; a caller may use lists).
        if not all(type(part) is tuple for part in (doc.line_decisions, meta.categories, meta.tags)):
            return _opinion_marks(doc)
        lines, metadata, marks = cls.entry  # one read: threads swap the whole entry
        if lines is doc.line_decisions and metadata is meta:
            return marks
        marks = _opinion_marks(doc)
        cls.entry = (doc.line_decisions, meta, marks)
        return marks


def opinion_marks(doc: Document) -> tuple[Evidence, ...]:
    """Where the page marks itself as opinion: a section label above the article's text, a
    disclaimer (not one about readers' comments) or a columnist bio among its lines, or its
    metadata (section, tag, title, address)."""
    return _LastMarks.of(doc)


def _opinion_marks(doc: Document) -> tuple[Evidence, ...]:
    lines = [d for d in doc.line_decisions if d.text.strip()]
    first_body = next((i for i, d in enumerate(lines) if d.kind == "body"), len(lines))
    cues = [
        d
        for i, d in enumerate(lines)
        if (d.kind == "body" and _body_disclaimer(d.text))
        or (
            d.kind != "body"
            and (
                (OPINION_DISCLAIMER_RE.search(d.text) and not COMMENTS_RE.search(d.text))
                or OPINION_BIO_RE.search(d.text)
                or (OPINION_SECTION_RE.match(d.text) and _above_article(d, i, first_body) and not _menu_entry(lines, i))
            )
        )
    ]
    return _line_evidence(cues) + _opinion_metadata(doc)


def _above_article(line: LineDecision, index: int, first_body: int) -> bool:
    """A line before the article's text: a section label there names the page's section, where one
    below it heads another box ("Opinion" over a list of columns). An HTML page lists the lines
    trafilatura left out after its own, with their place in the reason."""
    if line.reason in (LEFT_OUT_REASON, LEFT_OUT_ABOVE_REASON):
        return line.reason == LEFT_OUT_ABOVE_REASON
    return index < first_body


def opinion_labelled(f: Facts) -> Signal:
    evidence = opinion_marks(f.doc)
    share = own_opinion_share(f)
    counted = NOT_ENGLISH_NOTICE not in f.doc.notices
    detail = (
        f"{len(evidence)} marks of opinion or commentary (section, title, address, disclaimer, author bio)"
        if evidence
        else "no opinion section, disclaimer or columnist bio on the page"
    )
    if evidence and any(b.label for b in f.body):
        detail += f"; on such a page the paragraph labels take opinion as {MARKED_OPINION_ODDS:g} times as likely"
    detail += f"; the writer's own opinion is {share:.0%} of the body"
    if not counted:
        detail += " (not counted: the text does not look like English)"
    elif caveat := _thin_caveat(f):
        detail += f" ({caveat})"
    value = {"labelled": bool(evidence), "own_opinion_share": share, "counted": counted, "weight": _label_weight(f)}
    return Signal("opinion_labelled", value, 0.0, evidence[:MAX_EVIDENCE], detail)


def _body_disclaimer(text: str) -> bool:
    return (
        len(text.split()) <= BODY_DISCLAIMER_MAX_WORDS
        and BODY_DISCLAIMER_RE.search(text) is not None
        and COMMENTS_RE.search(text) is None
        and ATTRIBUTION_RE.search(text) is None
    )


def _opinion_metadata(doc: Document) -> tuple[Evidence, ...]:
    """The page's metadata calling it opinion: a section or tag ("Opinion", "News > Opinion"), a
    label among its title's parts, an opinion folder in its address."""
    meta = doc.metadata

    def opinion_steps(name: str) -> bool:
        return any(OPINION_SECTION_RE.match(step) for step in SECTION_STEPS_RE.split(name) if step)

    found = [f"section: {c}" for c in meta.categories if opinion_steps(c)]
    found += [f"tag: {t}" for t in meta.tags if opinion_steps(t)]
    parts = TITLE_PARTS_RE.split(meta.title or "")
    if len(parts) > 1 and any(OPINION_SECTION_RE.match(part) for part in parts):
        found.append(f"title: {meta.title}")
    if meta.url and OPINION_URL_RE.search(_url_path(meta.url)):
        found.append(f"address: {meta.url}")
    return tuple(Evidence(None, _snippet(text)) for text in found)


def _url_path(url: str) -> str:
    try:
        return urlsplit(url).path
    except ValueError:  # not a URL: no folders
        return ""


def own_opinion_share(f: Facts) -> float:
    """Share of the body's characters in opinion sentences that are the writer's own. In a paragraph
    that attributes anything, quoted words are the source's, and so is a sentence that attributes
    what it says to someone else ("critics say the plan is reckless"); the writer citing themselves
    ("as I wrote last year") is the writer's."""
    total = sum(f.label_chars.values())
    own = 0
    for b in f.body:
        if b.label == "opinion":
            unquoted = ANY_QUOTE_RE.sub(" ", b.text)
            if VOICE_RE.search(unquoted) is None:  # attributes nothing: quotes and all are the writer's
                own += len(b.text)
            else:
                own += sum(len(s) for s in _sentences(unquoted) if not _attributed(s))
    return round(own / total, 3) if total else 0.0


def _sentences(text: str) -> list[str]:
    parts: list[str] = []
    for part in SENTENCE_END_RE.split(text):
        if parts and ABBREVIATION_END_RE.search(parts[-1]):
            parts[-1] += " " + part
        else:
            parts.append(part)
    return parts


def _attributed(text: str) -> bool:
    return VOICE_RE.search(text) is not None and FIRST_PERSON_ATTRIBUTION_RE.search(text) is None


def _menu_entry(lines: list[LineDecision], i: int) -> bool:
    """A section name between other short boilerplate lines is an entry of a menu (each item on a
    line of its own, as HTML pages flatten), not a label of this page."""
    return any(
        0 <= j < len(lines) and lines[j].kind == "boilerplate" and len(lines[j].text.split()) <= MENU_ITEM_WORDS
        for j in (i - 1, i + 1)
    )


def boilerplate_share(f: Facts) -> Signal:
    total = sum(len(d.text) for d in f.doc.line_decisions)
    dropped = [d for d in f.doc.line_decisions if d.kind == "boilerplate"]
    share = round(sum(len(d.text) for d in dropped) / total, 3) if total else 0.0
    detail = f"{share:.0%} of the page's characters were boilerplate ({len(dropped)} lines)"
    return Signal("boilerplate_share", share, 0.0, _line_evidence(dropped), detail, "share of characters")


def _archive_entries(text: str) -> int:
    """How many archive entries a line holds: a short label and a count of ARCHIVE_COUNT_MIN+ posts
    in brackets, as archive widgets list them; a headline with its comment count or a phone
    number's area code is not one."""
    if not COUNT_RE.search(text):  # most lines have no bracketed count at all
        return 0
    return sum(
        int(re.sub(r"\D", "", match.group(2))) >= ARCHIVE_COUNT_MIN
        and not _YEAR_RE.fullmatch(match.group(2))
        and len(match.group(1).split()) <= ARCHIVE_LABEL_MAX_WORDS
        for match in ARCHIVE_ENTRY_RE.finditer(text)
    )


def _source_name(match: re.Match, text: str) -> str | None:
    """The name a SOURCE_RE match gives, or None for an apposition's "name" that ends a place."""
    if match.group(3) and _AFTER_PREPOSITION_RE.search(text, max(0, match.start(3) - 80), match.start(3)):
        return None
    return (match.group(1) or match.group(2) or match.group(3)).strip()


def farm_chrome(f: Facts) -> Signal:
    entries = [(d, _archive_entries(d.text)) for d in f.doc.line_decisions if d.kind == "boilerplate"]
    archive = [d for d, n in entries if n]
    bios = [d for d in f.doc.line_decisions if d.kind == "boilerplate" and _generic_bio(d.text)]
    related = [
        d
        for d in f.doc.line_decisions
        if d.kind == "boilerplate"
        and re.match(r"\s*(?:related|you may also|more from|read more|also read)", d.text, re.I)
    ]
    value = {
        "archive_count_lines": len(archive),
        "archive_entries": sum(n for _, n in entries),
        "generic_bio_lines": len(bios),
        "related_list_lines": len(related),
    }
    detail = (
        f"{len(archive)} archive lines ({value['archive_entries']} entries) with counts of {ARCHIVE_COUNT_MIN:,}+ "
        f"posts, {len(bios)} generic author-bio "
        f"lines, {len(related)} related-post prompts"
    )
    return Signal("farm_chrome", value, 0.0, _line_evidence(archive + bios + related), detail)


def _generic_bio(text: str) -> bool:
    return len(text.split()) >= BIO_MIN_WORDS and bool(GENERIC_BIO_RE.search(text)) and bool(BIO_SHAPE_RE.search(text))


def category_fits(f: Facts) -> Signal:
    judgement = judge_categories(f.doc)
    names = list(dict.fromkeys(c.name for c in judgement.categories))
    evidence = tuple(
        Evidence((c.line.number, c.line.number), _snippet(c.line.text))
        if c.line
        else Evidence(None, f"page metadata: {c.name}")
        for c in judgement.categories[:MAX_EVIDENCE]
    )
    if judgement.fits is None:
        detail = "no specific section to compare with the story" if not names else "no clear case either way"
    elif judgement.fits:
        detail = f"the story uses words of its section ({', '.join(names)})"
    else:
        detail = (
            f"filed under {', '.join(names)}, but the title and body use no word of that section; "
            f"they read as {judgement.story_topic} ({', '.join(judgement.topic_words)})"
        )
    value = {"categories": names, "fits": judgement.fits}
    return Signal("category_fits", value, 0.0, evidence, detail)


def copied_headline(f: Facts) -> Signal:
    title = f.doc.metadata.title or ""
    match = COPIED_HEADLINE_RE.search(title)
    if match and is_own_outlet(match.group(0).strip(" -–—|"), f.doc):
        match = None  # "Headline | Our Paper" on our paper's own page is its masthead, not a copy
    if match and _own_section(match.group(0).strip(" -–—|"), f.doc):
        match = None
    evidence = tuple(
        Evidence((d.number, d.number), _snippet(d.text)) for d in f.doc.line_decisions if d.kind == "title"
    )
    if match:
        detail = f"the headline ends with an outlet's name ('{match.group(0).strip(' -–—|')}')"
    else:
        detail = "the headline carries no other outlet's name"
    return Signal("copied_headline", bool(match), 0.0, evidence or (Evidence(None, title or "no title"),), detail)


def _own_section(name: str, doc: Document) -> bool:
    words = name.casefold().split()
    if not set(words) <= SECTION_WORDS:
        return False
    key = name.casefold()
    shown = {d.text.strip(" •|›»>").casefold() for d in doc.line_decisions if d.kind != "body"}
    sections = {c.casefold() for c in (*doc.metadata.categories, *doc.metadata.tags)}
    return len(words) == 1 or key in shown or key in sections


def keyword_stuffing(f: Facts) -> Signal:
    """A search phrase repeated verbatim: a 4-word run with lower-case content words (so not a name
    such as "Chief Executive Ana Ruiz") that recurs far more often than prose repeats itself, within
    one paragraph's sentence parts (never across paragraphs, punctuation or numbers)."""
    # The "." between texts is a break too: a phrase never runs from one paragraph into the next.
    tokens = PHRASE_TOKEN_RE.findall("\n.\n".join([f.doc.metadata.title or "", *(b.text for b in f.body)]))
    words = len(tokens) - tokens.count("")
    grams = Counter(zip(*(tokens[i:] for i in range(STUFFING_NGRAM))))  # counted in C; filtered below
    headline = {w.casefold() for w in PHRASE_WORD_RE.findall(f.doc.metadata.title or "")}

    def judged(gram: tuple[str, ...], repeats: int) -> tuple[bool, bool, float]:
        rate = round(1000 * repeats / words, 2)
        in_headline = len(_content_words(gram) & headline) >= STUFFING_MIN_CONTENT_WORDS
        limit = STUFFING_PER_1000 if in_headline else STUFFING_PER_1000_ANY_PHRASE
        return repeats >= STUFFING_MIN_REPEATS and rate >= limit, in_headline, rate

    # The first phrase that counts as stuffing, in order of repeats; else the most repeated one. A
    # page that also repeats a list field more than its search phrase is still a stuffed page.
    most_repeated = stuffed_phrase = None
    for gram, count in grams.most_common():
        if "" in gram or len(_content_words(gram)) < STUFFING_MIN_CONTENT_WORDS:
            continue
        most_repeated = most_repeated or (gram, count)
        if count < STUFFING_MIN_REPEATS:
            break  # the rest repeat less: none is stuffing
        if judged(gram, count)[0]:
            stuffed_phrase = (gram, count)
            break
    if most_repeated is None or most_repeated[1] < 2:
        return Signal("keyword_stuffing", False, 0.0, (), "no phrase repeated")
    phrase, repeats = stuffed_phrase or most_repeated
    stuffed, in_headline, rate = judged(phrase, repeats)
    text = " ".join(phrase)
    blocks = [b for b in f.body if text in " ".join(PHRASE_WORD_RE.findall(b.text))]
    where = "with the headline's words" if in_headline else "not in the headline"
    label = "stuffed phrase" if stuffed else "most repeated phrase"
    detail = f"{label} '{text}' ({where}): {repeats} times ({rate} per 1,000 words)"
    return Signal("keyword_stuffing", stuffed, 0.0, _block_evidence(blocks), detail)


def _content_words(gram: tuple[str, ...]) -> set[str]:
    return {w.casefold() for w in gram if w.islower() and w not in STOPWORDS}


def _plain_punctuation(text: str) -> str:
    # str.replace per character, not str.translate: translate looks up every character in Python.
    for char, plain in _PLAIN_PUNCTUATION:
        if char in text:
            text = text.replace(char, plain)
    return text


def ai_phrasing(f: Facts) -> Signal:
    """Each phrase counts once a page: a story about a landscape architect says "landscape" often."""
    hits, seen = [], set()
    for b in f.body:
        # A source's quoted words are theirs, not the writer's.
        text = ANY_QUOTE_RE.sub(" ", _plain_punctuation(b.text))
        found = [p for p in dict.fromkeys(AI_PHRASE_RE.findall(" ".join(text.lower().split()))) if p not in seen]
        if found:
            seen.update(found)
            hits.append((b, found))
    count = len(seen)
    value = {
        "phrases": count,
        "per_100_words": _per_100(count, f.words),
        "counted_per_100_words": _per_100(max(0, count - AI_PHRASES_ALLOWED), f.words),
    }
    evidence = tuple(Evidence(b.lines, f"{', '.join(found)}: {_snippet(b.text)}") for b, found in hits[:MAX_EVIDENCE])
    detail = f"{count} distinct generic AI-style phrases in {f.words} words"
    if count:
        detail += f"; the first {AI_PHRASES_ALLOWED} are allowed"
    return Signal("ai_phrasing", value, 0.0, evidence, detail)


def template_leftovers(f: Facts) -> Signal:
    page = "\n".join(d.text for d in f.doc.line_decisions).lower()
    # Most pages hold no form at all and skip the per-line scan (a line's match is one in the page).
    if not any(phrase in page for phrase in TEMPLATE_PHRASES) and not _TEMPLATE_BLANK_RE.search(page):
        lines = []
    else:
        lines = [d for d in f.doc.line_decisions if TEMPLATE_RE.search(d.text)]
    detail = f"{len(lines)} chatbot or template leftovers" if lines else "no chatbot or template leftovers"
    return Signal("template_leftovers", bool(lines), 0.0, _line_evidence(lines), detail)


SIGNALS: tuple[Callable[[Facts], Signal], ...] = (
    label_shares, attribution, specificity, byline_and_date, dates_agree, opinion_labelled,
    boilerplate_share, farm_chrome, category_fits, copied_headline, keyword_stuffing, ai_phrasing, template_leftovers,
)  # fmt: skip


def document_signals(doc: Document) -> list[Signal]:
    """Every signal; one that found nothing names what it examined as its evidence."""
    facts = Facts.of(doc)
    looked_at = Evidence(
        None, f"nothing matched in {len(facts.body)} body paragraphs and {len(doc.line_decisions)} source lines"
    )
    return [s if s.evidence else replace(s, evidence=(looked_at,)) for s in (signal(facts) for signal in SIGNALS)]
