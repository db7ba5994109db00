"""Signals read real pages' evidence right: opinion marks, bylines, named sources, outlet suffixes,
bios, archive counts, AI-style phrasing and source names (cases found on real news pages)."""

from __future__ import annotations

import cleaner
from cleaner.assess import type_of_work, weigh
from cleaner.document import Block, Document, LineDecision, Metadata
from cleaner.labelling import NOT_ENGLISH_NOTICE
from cleaner.report import source_name
from cleaner.signals import (
    Facts,
    ai_phrasing,
    attribution,
    byline_and_date,
    copied_headline,
    dates_agree,
    document_signals,
    farm_chrome,
    opinion_labelled,
)

NEWS = "The council voted 7-2 on Tuesday to replace the Elm Street bridge, at a cost of $4.2 million."
OWN_OPINION = "This is a sad and foolish day for anyone who loved the old bridge, and it should never have come."


def _doc(
    paragraphs: list[tuple[str, str]],
    *,
    lines: list[tuple[str, str]] = (),
    metadata: Metadata | None = None,
    notices: tuple[str, ...] = (),
) -> Document:
    """Body paragraphs (label, text) after some page lines (kind, text)."""
    decisions = [LineDecision(i, text, kind, 1.0, "r") for i, (kind, text) in enumerate(lines, 1)]
    blocks = []
    for label, text in paragraphs:
        number = len(decisions) + 1
        decisions.append(LineDecision(number, text, "body", 1.0, "r"))
        blocks.append(Block("body", text, (number, number), "r", label, {label: 1.0}))
    return Document("x", tuple(blocks), metadata or Metadata(), tuple(decisions), notices)


def _weighed(signal):
    return weigh([signal])[0]


def test_one_closing_remark_in_a_news_story_costs_nothing() -> None:
    story = [("reporting", NEWS)] * 6 + [("opinion", OWN_OPINION)]
    signal = _weighed(opinion_labelled(Facts.of(_doc(story))))
    assert signal.value["own_opinion_share"] < 0.15 and signal.effect == 0
    mixed = [("reporting", NEWS)] * 2 + [("opinion", OWN_OPINION)] * 2
    assert _weighed(opinion_labelled(Facts.of(_doc(mixed)))).effect == -5


def test_a_sources_attributed_opinion_is_not_the_writers_own() -> None:
    quoted = 'Critics said the plan was "reckless and wasteful" and that the council should start again.'
    signal = _weighed(opinion_labelled(Facts.of(_doc([("reporting", NEWS), ("opinion", quoted)]))))
    assert signal.value["own_opinion_share"] == 0 and signal.effect == 0


def test_opinion_labels_of_text_not_in_english_carry_no_points() -> None:
    doc = _doc([("opinion", OWN_OPINION)] * 3, notices=(NOT_ENGLISH_NOTICE,))
    signal = _weighed(opinion_labelled(Facts.of(doc)))
    assert signal.value["counted"] is False and signal.effect == 0


def test_the_pages_metadata_marks_it_as_opinion() -> None:
    body = [("opinion", OWN_OPINION)] * 3
    for metadata in (
        Metadata(categories=("Opinion",)),
        Metadata(tags=("Op-Ed",)),
        Metadata(title="Opinion | Is the bridge worth saving?"),
        Metadata(title="The Ledger view on the bridge | Editorial"),
        Metadata(url="https://paper.example/commentisfree/2021/mar/04/bridge"),
        Metadata(url="https://paper.example/opinion/bridge-plan"),
    ):
        signal = _weighed(opinion_labelled(Facts.of(_doc(body, metadata=metadata))))
        assert signal.value["labelled"] and signal.effect == 5, metadata
        assert signal.evidence and signal.evidence[0].lines is None
    for metadata in (
        Metadata(categories=("Opinion polls",)),
        Metadata(title="Poll: opinion | divided on the bridge"),
        Metadata(url="https://paper.example/news/opinion-poll-bridge"),
    ):
        assert not opinion_labelled(Facts.of(_doc(body, metadata=metadata))).value["labelled"], metadata


def test_a_disclaimer_inside_the_body_marks_the_page_as_opinion() -> None:
    disclaimer = "The views expressed in this column are the author's own."
    doc = _doc([("opinion", OWN_OPINION), ("opinion", disclaimer)])
    assert opinion_labelled(Facts.of(doc)).value["labelled"]
    # A columnist mentioned in a news story is not a bio of the writer.
    news = _doc([("reporting", "The columnist said on Monday that she would retire in June.")])
    assert not opinion_labelled(Facts.of(news)).value["labelled"]


def test_type_of_work_counts_the_writers_own_opinion() -> None:
    quoted = 'Residents said the closure was "a disgrace" and that the council had ignored them for years.'
    doc = _doc([("reporting", NEWS), ("opinion", quoted), ("opinion", quoted)])
    assert type_of_work(weigh(document_signals(doc))) == "reporting"
    doc = _doc([("reporting", NEWS), ("opinion", OWN_OPINION), ("opinion", OWN_OPINION)])
    assert type_of_work(weigh(document_signals(doc))) == "opinion"


def test_a_section_name_after_the_headline_is_no_other_outlet() -> None:
    def copied(title: str) -> bool:
        return copied_headline(Facts.of(_doc([("reporting", NEWS)], metadata=Metadata(title=title)))).value

    assert not copied("Council votes to replace the bridge - Auto News")
    assert not copied("The Ledger view on the bridge | Editorial")
    assert not copied("Council votes to replace the bridge | World News")
    assert copied("Council votes to replace the bridge - Fox News")
    assert copied("Council votes to replace the bridge | Daily Courier")


def test_a_generic_bio_is_a_sentence_about_a_person() -> None:
    def bios(line: str) -> int:
        doc = _doc([("reporting", NEWS)], lines=[("boilerplate", line)])
        return farm_chrome(Facts.of(doc)).value["generic_bio_lines"]

    assert bios("Sam is a passionate blogger and content creator who loves sharing tips about everything.")
    assert not bios("Blogger")
    assert not bios("3 bloggers like this")
    assert not bios("I used to post my recipes on Blogger before the site closed down for good.")


def test_one_bracketed_count_costs_nothing_an_archive_does() -> None:
    def points(lines: list[str]) -> float:
        doc = _doc([("reporting", NEWS)], lines=[("boilerplate", line) for line in lines])
        return _weighed(farm_chrome(Facts.of(doc))).effect

    assert points(["Week 9 football picks (131)"]) == 0
    assert points(["June 2025 (2996)", "May 2025 (3104)"]) == -8
    assert points(["June 2025 (2996)", "May 2025 (3104)", "April 2025 (2875)"]) == -15


def test_named_sources_are_people_each_counted_once() -> None:
    text = (
        "He said the bridge was unsafe. She said the vote was close. They said nothing more. "
        "On Monday, Council member Ana Ruiz said the span had failed. Ruiz said repairs cost too much. "
        "Ms Ruiz said she would vote again. It was June. Tom Reyes said he agreed. I'm told, he said."
    )
    signal = attribution(Facts.of(_doc([("reporting", text)])))
    assert signal.value["named_sources"] == 2
    assert "Ana Ruiz, Tom Reyes" in signal.detail


def test_ai_style_phrasing_allows_a_few_and_ignores_quotes() -> None:
    one = "The county's robust budget reserve will pay for the work, the treasurer said on Monday."
    signal = _weighed(ai_phrasing(Facts.of(_doc([("reporting", one)]))))
    assert signal.value["phrases"] == 1 and signal.effect == 0  # one ordinary word in a short story
    quoted = 'The mayor said: "At the end of the day, we need a robust and seamless plan for this bridge."'
    assert ai_phrasing(Facts.of(_doc([("reporting", quoted)]))).value["phrases"] == 0
    padded = "In today's fast-paced world, key stakeholders are navigating the complex landscape. " * 3
    assert _weighed(ai_phrasing(Facts.of(_doc([("filler", padded)])))).effect <= -15


def _byline(author: str | None, lines: list[tuple[str, str]] = (), site: str | None = None) -> dict:
    metadata = Metadata(author=author, site_name=site, url="https://www.springfield-ledger.example/a")
    doc = _doc([("reporting", NEWS)], lines=[("title", "Council votes"), *lines], metadata=metadata)
    signal = byline_and_date(Facts.of(doc))
    return {"byline": signal.value["byline"], "detail": signal.detail}


def test_a_byline_names_a_person_an_agency_or_the_editorial_board() -> None:
    for author in ("Ana Ruiz", "Ana de la Cruz", "Theresa May", "Reuters", "The Editorial Board", "By Ana Ruiz"):
        assert _byline(author)["byline"], author
    for author in ("Admin", "Jdadmin", "Rmb", "AS", "Vortex", "Springfield Ledger", "Staff", "user123"):
        assert not _byline(author, site="Springfield Ledger")["byline"], author
    assert "Phil Lee" in _byline("Phil Lee is a reporter for the Ledger")["detail"]
    assert "found: Tom Gillespie;" in _byline("Tom Gillespie News reporter")["detail"]
    assert "found: Chris Doe;" in _byline("Analysis by Chris Doe")["detail"]
    assert "found: Jeff Foust;" in _byline("Jeff Foust Monday")["detail"]


def test_a_visible_byline_counts_and_its_date_is_compared() -> None:
    line = ("boilerplate", "Written by Jane Doe on March 3, 2015")
    assert _byline(None, [line]) == {"byline": True, "detail": "byline found: Jane Doe; date missing"}
    assert _byline(None, [("boilerplate", "By the way, the bridge closes at noon")])["byline"] is False
    metadata = Metadata(date="2019-06-01", date_iso="2019-06-01")
    doc = _doc([("reporting", NEWS)], lines=[("title", "Council votes"), line], metadata=metadata)
    agree = dates_agree(Facts.of(doc))
    assert agree.value is False and agree.evidence[0].snippet == line[1]


def test_the_source_is_the_site_not_a_copyright_notice_or_a_wire_service() -> None:
    def source(site: str | None, url: str | None) -> str:
        return source_name(Document("x", (), Metadata(site_name=site, url=url)))

    assert source("Copyright 2014", "https://www.city.example/news/1") == "city.example"
    assert source("© 2019 Herald Media. All rights reserved.", None) == "Herald Media"
    assert source("Associated Press", "https://www.sfgate.example/news/1") == "sfgate.example"
    assert source("Reuters", None) == "Reuters"
    assert source("The Ledger", "https://ledger.example/a") == "The Ledger"
    assert source(None, None) == "unknown"


def test_an_html_page_is_dated_by_its_first_publication_not_its_last_update() -> None:
    page = (
        "<html><head><title>Bridge closes</title>"
        '<meta property="article:published_time" content="2015-03-03T09:00:00Z">'
        '<meta property="article:modified_time" content="2019-06-01T10:00:00Z">'
        "</head><body><article><h1>Bridge closes</h1>"
        + "".join(f"<p>{NEWS} Paragraph {i} adds detail about the works and the detour.</p>" for i in range(6))
        + "</article></body></html>"
    )
    assert cleaner.clean(page).metadata.date_iso == "2015-03-03"
