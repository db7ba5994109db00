"""Names on a page: who wrote it (the byline), who is quoted (named sources) and which outlet it is.

Real pages put all sorts in an author field: CMS accounts ("admin"), the site's own name, a desk
("News Desk"), a job title after the name, several authors at once. These rules keep the people,
news agencies and editorial boards, and say no to the rest.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from .document import LEFT_OUT_ABOVE_REASON, Document, LineDecision

# A visible byline: "By Ana Ruiz", "By: Ana Ruiz", "Written by …" (lower-case "by 2030" is not one).
BYLINE_LINE_RE = re.compile(
    r"^\s*(?:By|BY|Written by|Words by|Reporting by|Report by|Story by|Posted by|Author)\s*:?\s+(?=\S)"
)
BYLINE_LINE_MAX_WORDS = 16
# An author field is cut to this many characters before it is read (a runaway field stays cheap).
MAX_AUTHOR_CHARS = 300
# A byline names a person (two to five capitalised words besides "de", "van", "d'"…), a news
# agency or the paper's editorial board (an unsigned editorial speaks for the paper).
AUTHOR_MIN_WORDS = 2
AUTHOR_MAX_WORDS = 5
NAME_PARTICLES = frozenset("de da di do dos das du del della der den van von le la bin al el ibn ben st. y".split())
_PARTICLE_PREFIX_RE = re.compile(r"^(?:d|l|o|de)['’]\w", re.IGNORECASE)  # d'Ubaye
NEWS_AGENCIES = frozenset([
    *"reuters ap afp bloomberg upi dpa efe ansa xinhua kyodo yonhap bernama tass aap pti ians".split(),
    "press trust of india", "associated press", "the associated press", "agence france-presse", "pa media",
    "press association", "canadian press", "the canadian press", "australian associated press",
    "anadolu agency", "kyodo news",
])  # fmt: skip
EDITORIAL_BYLINES = frozenset({"editorial", "editorial board", "the editorial board", "the editors"})
# Not a person: CMS accounts, desks and teams, and the words of links that start with "By".
ACCOUNT_NAME_RE = re.compile(r"admin|webmaster|^(?:user|guest|editor|author)$", re.IGNORECASE)
DESK_WORDS = frozenset(
    "staff writer writers desk team content sponsored press release pr newswire wire news web digital online "
    "editorial editors newsroom service services bureau agency agencies partner partners".split()
)
FUNCTION_WORDS = frozenset(
    "the of a an to in on at for from with way here more this that our your my click read".split()
)
_DAYS = "monday tuesday wednesday thursday friday saturday sunday"
_MONTHS = "january february march april may june july august september october november december"
WEEKDAYS = frozenset(_DAYS.split())
# What follows a name in an author field: "Sam Lee is a reporter", "Ana Ruiz, Staff Writer",
# "Ana Ruiz Updated 10:32 AM", "Jane Doe on March 3, 2015", "Ana Ruiz (Reuters)".
AUTHOR_DESCRIPTION_RE = re.compile(
    r"\s+(?:is|was|has|covers|on|updated|published|posted|last)\b.*$|\s*,\s.*$|\s*\(.*$", re.IGNORECASE
)
# "Analysis by Ana Ruiz": a label before the name.
AUTHOR_LABEL_RE = re.compile(r"^[A-Z][\w-]*(?:\s+[\w-]+){0,2}\s+by\s+(?=[A-Z])")
# Several authors in one field.
AUTHOR_SEPARATOR_RE = re.compile(r"[;|&/]|\s(?:and|und|et|y|e|и)\s")
# Job titles and dates after a name: "Tom Lee News reporter", "Jeff Foust Monday".
TRAILING_WORDS = frozenset(
    "reporter writer correspondent editor contributor columnist staff news senior chief political sports "
    f"business health science foreign special {_DAYS} {_MONTHS}".split()
)
# Sentence openers and pronouns that stand before "said" without naming anyone ("He said", "On
# Monday, …"), dropped from the front of a name; and courtesy titles ("Ms Ruiz" is Ruiz).
OPENERS = frozenset(
    "he she they it we i you this that these those there here some many others other who which what one both "
    "all each most several few his her their our its my your the a an then now also but and so yet when while "
    f"after before today yesterday tomorrow tonight {_DAYS} {_MONTHS} correction update".split()
)
COURTESY_TITLES = frozenset("mr mr. mrs mrs. ms ms. dr dr. prof prof. sir dame".split())
# Unnamed sources: "Officials said", "Police said" name nobody.
UNNAMED = frozenset(
    "officials official experts critics analysts residents police authorities sources source spokesman "
    "spokeswoman spokesperson reporters people everyone someone nobody".split()
)


# Second-level labels of country domains: co.uk, com.au, org.br.
SECOND_LEVEL_LABELS = frozenset("co com org net ac gov edu gob nic or ne go".split())
MIN_DOMAIN_MATCH_CHARS = 4


def visible_byline(doc: Document) -> tuple[LineDecision | None, list[str]]:
    """The page's own byline line and the names it gives: the first "By …" line that names someone
    and stands before the article's text (after its headline, when there is one); a "By" line in a
    list of related stories further down is another story's. An HTML page's lines that trafilatura
    left out follow its article in the document; those that stood above the article's text on the
    page say so in their reason, and only they are read."""
    lines = doc.line_decisions
    title = next((d.number for d in lines if d.kind == "title"), 0)
    first_body = next((d.number for d in lines if d.kind == "body"), None)
    for d in lines:
        above_text = title < d.number and (first_body is None or d.number < first_body)
        if not (above_text or d.reason == LEFT_OUT_ABOVE_REASON):
            continue
        if BYLINE_LINE_RE.match(d.text) and len(d.text.split()) <= BYLINE_LINE_MAX_WORDS:
            names = named_authors(BYLINE_LINE_RE.sub("", d.text, count=1), doc)
            if names:
                return d, names
    return None, []


def named_authors(author: str, doc: Document) -> list[str]:
    """The people, news agencies or editorial board an author field names (see the module's doc)."""
    author = " ".join(author[:MAX_AUTHOR_CHARS].split())
    named = []
    for part in AUTHOR_SEPARATOR_RE.split(author):
        name = _flipped(BYLINE_LINE_RE.sub("", part.strip(), count=1))
        name = AUTHOR_DESCRIPTION_RE.sub("", AUTHOR_LABEL_RE.sub("", name)).strip(" ,.:-–—")
        words = name.split()
        while len(words) > AUTHOR_MIN_WORDS and words[-1].casefold() in TRAILING_WORDS:
            words.pop()
        name = " ".join(words)
        key = name.casefold()
        if not name or any(c.isdigit() for c in name) or ACCOUNT_NAME_RE.search(name) or is_own_outlet(name, doc):
            continue
        if key in NEWS_AGENCIES or key in EDITORIAL_BYLINES or _person(words):
            named.append(name)
    return named


def _flipped(name: str) -> str:
    """ "Ruiz, Ana" is Ana Ruiz; "Ana Ruiz, MS, RD" is not flipped."""
    parts = [p.strip() for p in name.split(",")]
    if len(parts) == 2 and all(len(p.split()) == 1 and p[:1].isupper() for p in parts):
        return f"{parts[1]} {parts[0]}"
    return name


def _person(words: list[str]) -> bool:
    folded = [w.casefold() for w in words]
    named = [w for w in words if w.casefold() not in NAME_PARTICLES]
    return (
        AUTHOR_MIN_WORDS <= len(named) <= AUTHOR_MAX_WORDS
        # Capitalised, or in a script without capitals (Arabic, Hindi, Korean…): not lower case.
        and all((w[:1].isalpha() and not w[:1].islower()) or _PARTICLE_PREFIX_RE.match(w) for w in named)
        and not set(folded) <= DESK_WORDS  # "News Desk", "Staff Writer"
        and FUNCTION_WORDS.isdisjoint(folded)  # "The Numbers", "Click Here"
        and WEEKDAYS.isdisjoint(folded)  # "Noon Monday"
    )


def distinct_sources(found: Iterable[str]) -> list[str]:
    """The people and bodies named as sources, each once: sentence openers and courtesy titles are
    dropped ("On Monday", "Ms"), unnamed sources are none ("Officials"), and a name that ends a
    longer one is that source ("Ruiz" and "Ana Ruiz", "Ana Ruiz" and "Health Minister Ana Ruiz"),
    while "Ana Ruiz" and "Carlos Ruiz" are two."""
    names = set()
    for raw in found:
        words = re.split(r"[.!?]\s+", raw)[-1].split()  # "June. Tom Reyes": a sentence ended before the name
        while words and (_opener(words[0]) or words[0].casefold() in COURTESY_TITLES):
            words = words[1:]
        if words and not (len(words) == 1 and (_opener(words[0]) or words[0].casefold() in UNNAMED)):
            names.add(" ".join(_unpossessed(w.rstrip(".,;:")) for w in words))
    kept: list[str] = []
    for name in sorted(names, key=lambda n: (-len(n.split()), n)):
        if not any(k.casefold().endswith(" " + name.casefold()) for k in kept):
            kept.append(name)
    return sorted(kept)


def _opener(word: str) -> bool:
    """A pronoun or sentence opener, contractions included ("I'm", "We've")."""
    return re.split(r"['’]", word.casefold(), maxsplit=1)[0] in OPENERS


def _unpossessed(word: str) -> str:
    return re.sub(r"['’]s$", "", word)


def is_own_outlet(name: str, doc: Document) -> bool:
    """Whether `name` is the page's own site: its site name, or a name its address contains."""
    key = _words_key(name)
    site = re.sub(r"\W", "", doc.metadata.site_name or "").casefold()
    host_key = _domain_name(doc.metadata.url)
    if not key or not (site or host_key):
        return False
    if key in (site, host_key) or (host_key and _words_key(name.split()[0]) == host_key):
        return True  # "BBC Sport" on bbc.co.uk
    # "The Daily Herald" on dailyherald.com; a short domain ("rt", "ft") must match whole, or
    # "Robert Martin" would be the site.
    return len(host_key) >= MIN_DOMAIN_MATCH_CHARS and (host_key in key or key in host_key)


def _words_key(text: str) -> str:
    return re.sub(r"\W", "", text).casefold()


def _domain_name(url: str | None) -> str:
    """The name a site registered: "dailyherald" for m.dailyherald.com, "japantimes" for
    www.japantimes.co.jp, "bbc" for news.bbc.co.uk."""
    try:
        host = (urlsplit(url).hostname or "") if url else ""
    except ValueError:  # an address that is not a URL names no site
        return ""
    labels = host.split(".")[:-1]  # without the top-level domain
    if len(labels) > 1 and labels[-1] in SECOND_LEVEL_LABELS:
        labels = labels[:-1]
    return re.sub(r"\W", "", labels[-1]).casefold() if labels else ""
