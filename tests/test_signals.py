"""Signals read real pages' evidence right: opinion marks, bylines, named sources, outlet suffixes,
bios, archive counts, AI-style phrasing and source names (cases found on real news pages)."""

from __future__ import annotations

import cleaner
from cleaner.assess import type_of_work, weigh
from cleaner.document import LEFT_OUT_ABOVE_REASON, LEFT_OUT_REASON, Block, Document, LineDecision, Metadata
from cleaner.language import NOT_ENGLISH_NOTICE
from cleaner.names import named_authors
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
    specificity,
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
    # A column that cites someone to answer them, or the writer citing themselves, is still opinion.
    rebuttal = (
        "Critics say the bridge is a waste. They are wrong, and the council must build it now, whatever it costs."
    )
    own = "As I wrote last year, this bridge is the best money the city could ever spend on its future."
    share = opinion_labelled(Facts.of(_doc([("opinion", rebuttal), ("opinion", own)]))).value["own_opinion_share"]
    assert 0.7 < share < 1.0
    # A source's quoted words are theirs, first person or not, sentence after sentence.
    speech = '"We told them this plan was a disaster. It is reckless and wasteful," said council member Tom Reyes.'
    assert opinion_labelled(Facts.of(_doc([("opinion", speech)]))).value["own_opinion_share"] < 0.2
    # "Needless to say" reports nobody; "the U.S." does not end a sentence.
    needless = "Needless to say, the bridge plan is a costly mistake that the council will come to regret."
    assert opinion_labelled(Facts.of(_doc([("opinion", needless)]))).value["own_opinion_share"] == 1.0
    split = "Critics say the U.S. plan for the bridge is reckless. They are right, and it must be stopped now."
    assert 0.4 < opinion_labelled(Facts.of(_doc([("opinion", split)]))).value["own_opinion_share"] < 0.6
    mixed = "Critics say the bridge is a waste of money and of time. As I wrote last year, they are simply wrong."
    assert 0.4 < opinion_labelled(Facts.of(_doc([("opinion", mixed)]))).value["own_opinion_share"] < 0.6
    figures = "Critics say the plan is reckless and far too dear. 40 million dollars is not too much for a bridge."
    assert 0.4 < opinion_labelled(Facts.of(_doc([("opinion", figures)]))).value["own_opinion_share"] < 0.6
    begun = "Experts have begun to say the plan for the bridge is reckless and that it will fail within years."
    assert opinion_labelled(Facts.of(_doc([("opinion", begun)]))).value["own_opinion_share"] == 0


def test_opinion_labels_and_specificity_of_text_not_in_english_carry_no_points() -> None:
    doc = _doc([("opinion", OWN_OPINION)] * 3, notices=(NOT_ENGLISH_NOTICE,))
    signal = _weighed(opinion_labelled(Facts.of(doc)))
    assert signal.value["counted"] is False and signal.effect == 0
    german = "Der Stadtrat hat am Dienstag beschlossen, die alte Brücke über den Fluss zu ersetzen."
    english = _weighed(specificity(Facts.of(_doc([("reporting", NEWS)]))))
    assert english.value["counted"] and english.effect > 0
    other = _weighed(specificity(Facts.of(_doc([("reporting", german)], notices=(NOT_ENGLISH_NOTICE,)))))
    assert other.value["counted"] is False and other.effect == 0 and "not counted" in other.detail


def test_labels_of_a_short_body_count_in_proportion_to_its_words() -> None:
    from cleaner.signals import MIN_JUDGED_WORDS, label_shares

    notice = (
        "This copy is for your personal, non-commercial use only. To order presentation-ready copies, visit the site."
    )
    thin = _doc([("filler", notice)])
    words = Facts.of(thin).words
    assert words < MIN_JUDGED_WORDS
    shares = _weighed(label_shares(Facts.of(thin)))
    assert shares.value["weight"] == round(words / MIN_JUDGED_WORDS, 3)
    assert shares.effect == round(-25 * shares.value["weight"], 1)
    assert f"counted at {words / MIN_JUDGED_WORDS:.0%}: the body has {words} words" in shares.detail
    # Only a fully counted body decides the type of work.
    assert type_of_work(weigh(document_signals(thin))) != "promotional"
    padded = _doc([("filler", " ".join([notice] * 5))])
    assert label_shares(Facts.of(padded)).value["weight"] == 1
    assert _weighed(label_shares(Facts.of(padded))).effect == -25
    assert type_of_work(weigh(document_signals(padded))) == "promotional"
    # No cliff: a brief of 49 words and one of 51 score within a point of each other.
    brief = "The council voted on Tuesday to repair the bridge, the clerk said."

    def points(n: int) -> float:
        text = " ".join((brief.split() * 10)[:n])
        return _weighed(label_shares(Facts.of(_doc([("reporting", text)])))).effect

    assert points(MIN_JUDGED_WORDS) == 20 and points(MIN_JUDGED_WORDS + 1) == 20
    assert 19 <= points(MIN_JUDGED_WORDS - 1) < 20
    # The writer's own unmarked opinion costs points in proportion too, and says so.
    opinion = _weighed(opinion_labelled(Facts.of(_doc([("opinion", OWN_OPINION)]))))
    weight = opinion.value["weight"]
    assert 0 < weight < 1 and opinion.effect == round(-5 * weight, 1) and "counted at" in opinion.detail


def test_an_opinion_label_marks_the_page_only_above_its_article() -> None:
    from cleaner.signals import opinion_marks

    def marked(before: list[tuple[str, str]], after: list[tuple[str, str]] = ()) -> bool:
        doc = _doc([("reporting", NEWS)], lines=[("boilerplate", text) for _, text in before])
        lines = [LineDecision(i, text, "boilerplate", 1.0, reason) for i, (reason, text) in enumerate(before, 1)]
        body = LineDecision(len(lines) + 1, NEWS, "body", 1.0, "r")
        tail = [
            LineDecision(body.number + i, text, "boilerplate", 1.0, reason) for i, (reason, text) in enumerate(after, 1)
        ]
        return bool(opinion_marks(Document("x", doc.blocks, Metadata(), (*lines, body, *tail))))

    assert marked([("r", "Opinion")])
    assert not marked([], [("r", "Opinion")])  # a box of columns below a news story
    assert not marked([], [("r", "Comment")])
    # An HTML page lists trafilatura's left-out lines after its own: their reason says where they stood.
    assert marked([], [(LEFT_OUT_ABOVE_REASON, "Opinion")])
    assert not marked([(LEFT_OUT_REASON, "Opinion")])
    # A disclaimer about readers' comments says nothing of the article; one about the article does.
    assert not marked(
        [], [("r", "The views expressed in reader comments do not necessarily reflect those of The Herald.")]
    )
    assert marked([], [("r", "The views expressed are the author's own and do not necessarily reflect ours.")])


def test_opinion_marks_are_kept_only_for_the_same_lines_and_metadata() -> None:
    from dataclasses import replace

    from cleaner.signals import opinion_marks

    doc = _doc([("opinion", OWN_OPINION)])
    assert opinion_marks(doc) == ()
    # The labelled copy shares lines and metadata (the marks are found once); any other page is read.
    assert opinion_marks(replace(doc, notices=("x",))) == ()
    titled = replace(doc, metadata=Metadata(title="Opinion | Is the bridge worth saving?"))
    assert opinion_marks(titled) and opinion_marks(doc) == ()
    lines = (LineDecision(1, "Opinion", "boilerplate", 1.0, "r"), *doc.line_decisions)
    assert opinion_marks(replace(doc, line_decisions=lines)) and opinion_marks(doc) == ()
    # A page a caller built of lists may change between calls: it is read every time.
    listed = replace(doc, line_decisions=list(doc.line_decisions), metadata=Metadata(tags=[]))
    assert opinion_marks(listed) == ()
    listed.metadata.tags.append("Opinion")
    assert opinion_marks(listed)


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
        Metadata(title="Is the bridge worth saving? | Opinion | The Ledger"),
        Metadata(categories=("News > Opinion",)),
        Metadata(url="https://paper.example/op-eds/bridge-plan"),
    ):
        assert opinion_labelled(Facts.of(_doc(body, metadata=metadata))).value["labelled"], metadata
    for metadata in (
        Metadata(categories=("Opinion polls",)),
        Metadata(title="Opinion poll shows the city divided | The Ledger"),
        Metadata(url="https://paper.example/news/opinion-poll-bridge"),
        Metadata(url="https://techsite.example/columns/gpu-review"),
        Metadata(url="https://paper.example/editorial/corrections-policy"),
    ):
        assert not opinion_labelled(Facts.of(_doc(body, metadata=metadata))).value["labelled"], metadata


def test_a_disclaimer_inside_the_body_marks_the_page_as_opinion() -> None:
    disclaimer = "The views expressed in this column are the author's own."
    doc = _doc([("opinion", OWN_OPINION), ("opinion", disclaimer)])
    assert opinion_labelled(Facts.of(doc)).value["labelled"]
    # News that mentions views, a columnist or a policy is no disclaimer or bio.
    for paragraph in (
        "The columnist said on Monday that she would retire in June.",
        "The senator's views are shared by many Republicans, a Gallup poll found.",
        "The report does not necessarily reflect the views of the government, officials said.",
    ):
        assert not opinion_labelled(Facts.of(_doc([("reporting", paragraph)]))).value["labelled"], paragraph
    sidebar = _doc(
        [("reporting", NEWS)], lines=[("boilerplate", "Sports columnist says the Tigers must fire the coach")]
    )
    assert not opinion_labelled(Facts.of(sidebar)).value["labelled"]
    bio = _doc([("opinion", OWN_OPINION)], lines=[("boilerplate", "Ana Ruiz is a columnist for the Ledger.")])
    assert opinion_labelled(Facts.of(bio)).value["labelled"]


def test_type_of_work_counts_the_writers_own_opinion() -> None:
    quoted = 'Residents said the closure was "a disgrace" and that the council had ignored them for years.'
    doc = _doc([("reporting", NEWS), ("opinion", quoted), ("opinion", quoted)])
    assert type_of_work(weigh(document_signals(doc))) == "reporting"
    doc = _doc([("reporting", NEWS), ("opinion", OWN_OPINION), ("opinion", OWN_OPINION)])
    assert type_of_work(weigh(document_signals(doc))) == "opinion"


def test_a_section_name_after_the_headline_is_no_other_outlet() -> None:
    def copied(title: str) -> bool:
        return copied_headline(Facts.of(_doc([("reporting", NEWS)], metadata=Metadata(title=title)))).value

    assert not copied("The Ledger view on the bridge | Editorial")
    assert not copied("Council votes to replace the bridge - Football")
    for outlet in ("Fox News", "Daily Courier", "Sky News", "Tech News World", "The Local", "US News"):
        assert copied(f"Council votes to replace the bridge - {outlet}"), outlet
    # Section words that the page itself shows as a section: its own.
    menu = [("boilerplate", "Auto News"), ("boilerplate", "Reviews")]
    title = Metadata(title="New hatchback priced from $21,000 - Auto News")
    assert not copied_headline(Facts.of(_doc([("reporting", NEWS)], lines=menu, metadata=title))).value


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


def test_related_lists_count_as_farm_chrome_only_next_to_archive_counts() -> None:
    def points(lines: list[str]) -> float:
        doc = _doc([("reporting", NEWS)], lines=[("boilerplate", line) for line in lines])
        return _weighed(farm_chrome(Facts.of(doc))).effect

    related = ["Related Stories", "Read More", "Read More", "You may also like"]
    archive = ["June 2025 (2996)", "May 2025 (3104)"]
    assert (
        farm_chrome(Facts.of(_doc([("reporting", NEWS)], lines=[("boilerplate", r) for r in related]))).value[
            "related_list_lines"
        ]
        == 4
    )
    assert points(related) == 0  # a news site's related links alone
    assert points(archive + related) == -8 - 3
    assert points(archive + related[:2]) == -8  # fewer than three related lines


def test_a_source_named_with_a_title_or_an_apposition_is_named() -> None:
    def named(text: str) -> list[str]:
        return attribution(Facts.of(_doc([("reporting", text)]))).value["named_sources"]

    text = (
        "The plan is sound, said deputy mayor Jean Dufresne on Monday. Ana Ruiz, who chairs the committee, "
        "said she would appeal. Tom Reyes, 54, said he agreed. Budgets are short, according to city manager "
        "Li Wei. Verse, a design agency, told the council it would bid."
    )
    assert named(text) == 5  # "…Li Wei. Verse, …" are two: a name does not run past a sentence's end
    assert named("The bill passed, said Rep. Brian Babin. Sen. Ana Ruiz said she agreed.") == 2
    # No title before the name, no apposition: a place, a conjunction or a sentence opener names no one.
    others = (
        "The company said in London that it would close. Titan, but the poles are drier, said the team. "
        "Meanwhile, in Paris, officials said the talks failed. In March, the council, which meets monthly, "
        "said it would vote. Earlier, speaking to reporters, said the mayor. Nevertheless, the minister, said "
        "so. In Paris, where the talks were held, said nothing. In New York, where they ended, said one envoy."
    )
    assert named(others) == 0


def test_named_sources_are_people_each_counted_once() -> None:
    text = (
        "He said the bridge was unsafe. She said the vote was close. They said nothing more. "
        "On Monday, Council member Ana Ruiz said the span had failed. Ruiz said repairs cost too much. "
        "Ms Ruiz said she would vote again. It was June. Tom Reyes said he agreed. I'm told, he said."
    )
    signal = attribution(Facts.of(_doc([("reporting", text)])))
    assert signal.value["named_sources"] == 2
    assert "Ana Ruiz, Tom Reyes" in signal.detail
    others = (
        "Ana Ruiz said the bridge was unsafe. Carlos Ruiz said it was fine. Ruiz said more. Conan O'Brien said "
        "nothing. O'Brien's aide said less. The Police Department said it would close the road."
    )
    signal = attribution(Facts.of(_doc([("reporting", others)])))
    assert "Ana Ruiz, Carlos Ruiz, Conan O'Brien, Police Department" in signal.detail
    assert signal.value["named_sources"] == 4
    quoted = '"The bridge must close," said Ana Ruiz. Ruiz said the road would reopen in June.'
    assert attribution(Facts.of(_doc([("reporting", quoted)]))).value["named_sources"] == 1


def test_ai_style_phrasing_allows_a_few_and_ignores_quotes() -> None:
    one = "The county's robust budget reserve will pay for the work, the treasurer said on Monday."
    signal = _weighed(ai_phrasing(Facts.of(_doc([("reporting", one)]))))
    assert signal.value["phrases"] == 1 and signal.effect == 0  # one ordinary word in a short story
    quoted = 'The mayor said: "At the end of the day, we need a robust and seamless plan for this bridge."'
    assert ai_phrasing(Facts.of(_doc([("reporting", quoted)]))).value["phrases"] == 0
    british = "The mayor said: ‘At the end of the day, we need a robust and seamless plan for this bridge.’"
    assert ai_phrasing(Facts.of(_doc([("reporting", british)]))).value["phrases"] == 0
    garden = [("reporting", f"The landscape architect planted {n} oaks along the river path.") for n in range(5)]
    assert ai_phrasing(Facts.of(_doc(garden))).value["phrases"] == 1  # once a page
    padded = (
        "In today's fast-paced world, key stakeholders are navigating the complex landscape. "
        "It is a testament to synergy."
    )
    assert _weighed(ai_phrasing(Facts.of(_doc([("filler", padded)])))).effect <= -15


def _byline(author: str | None, lines: list[tuple[str, str]] = (), site: str | None = None) -> dict:
    metadata = Metadata(author=author, site_name=site, url="https://www.springfield-ledger.example/a")
    doc = _doc([("reporting", NEWS)], lines=[("title", "Council votes"), *lines], metadata=metadata)
    signal = byline_and_date(Facts.of(doc))
    return {"byline": signal.value["byline"], "detail": signal.detail}


def test_a_byline_names_a_person_an_agency_or_the_editorial_board() -> None:
    for author in (
        "Ana Ruiz", "Ana de la Cruz", "Theresa May", "Reuters", "The Editorial Board", "By Ana Ruiz", "J.K. Rowling",
        "Marie-Claire d'Ubaye", "María José García López de la Vega", "Conan O'Brien", "ANA RUIZ",
    ):  # fmt: skip
        assert _byline(author)["byline"], author
    for author in (
        "Admin", "Jdadmin", "Rmb", "AS", "Vortex", "Springfield Ledger", "Staff", "user123", "Staff Writer",
        "News Desk", "Web Desk", "Editorial Team", "Sponsored Content", "Press Release", "PR Newswire",
        "Click Here", "Read More",
    ):  # fmt: skip
        assert not _byline(author, site="Springfield Ledger")["byline"], author
    assert "found: Ana Ruiz; Tom Reyes;" in _byline("Ana Ruiz & Tom Reyes")["detail"]
    assert "found: Ana Ruiz;" in _byline("Ana Ruiz (Reuters)")["detail"]
    assert "found: Ana Ruiz;" in _byline("Ruiz, Ana")["detail"]
    assert "found: Анна Каренина; Иван Петров;" in _byline("Анна Каренина и Иван Петров")["detail"]
    assert _byline("محمد علي")["byline"]


def test_a_short_or_sub_domain_is_not_mistaken_for_an_authors_name() -> None:
    def named(author: str, url: str) -> list[str]:
        return named_authors(author, Document("x", (), Metadata(url=url)))

    assert named("Mary Smith", "https://m.dailyherald.example/news/1") == ["Mary Smith"]
    assert named("Robert Martin", "https://www.rt.com/news/1") == ["Robert Martin"]
    assert named("Daily Herald", "https://m.dailyherald.example/news/1") == []
    assert named("Japan Times", "https://www.japantimes.co.jp/news/1") == []
    assert named("BBC Sport", "https://www.bbc.co.uk/sport/1") == []
    assert "Phil Lee" in _byline("Phil Lee is a reporter for the Ledger")["detail"]
    assert "found: Tom Gillespie;" in _byline("Tom Gillespie News reporter")["detail"]
    assert "found: Chris Doe;" in _byline("Analysis by Chris Doe")["detail"]
    assert "found: Jeff Foust;" in _byline("Jeff Foust Monday")["detail"]


def test_a_visible_byline_counts_and_its_date_is_compared() -> None:
    line = ("boilerplate", "Written by Jane Doe on March 3, 2015")
    assert _byline(None, [line]) == {"byline": True, "detail": "byline found: Jane Doe; date missing"}
    assert _byline(None, [("boilerplate", "By: Ana Ruiz")])["byline"]
    assert (
        "found: Ana Ruiz;"
        in _byline(None, [("boilerplate", "By Ana Ruiz Updated 10:32 AM EST, March 5, 2024")])["detail"]
    )
    for text in ("By the way, the bridge closes at noon", "By The Numbers", "By Noon Monday", "By 2030 the bridge"):
        assert _byline(None, [("boilerplate", text)])["byline"] is False, text
    metadata = Metadata(date="2019-06-01", date_iso="2019-06-01")
    doc = _doc([("reporting", NEWS)], lines=[("title", "Council votes"), line], metadata=metadata)
    agree = dates_agree(Facts.of(doc))
    assert agree.value is False and agree.evidence[0].snippet == line[1]
    # An HTML page's left-out lines follow its article: there the first byline among them is the page's.
    html = _doc([("reporting", NEWS)], lines=[("title", "Council votes")])
    for reason, found in ((LEFT_OUT_ABOVE_REASON, True), (LEFT_OUT_REASON, False)):
        left_out = LineDecision(3, "By Ana Ruiz", "boilerplate", 1.0, reason)
        page = Document("x", html.blocks, Metadata(), (*html.line_decisions, left_out))
        assert byline_and_date(Facts.of(page)).value["byline"] is found
    # A "By" line that names nobody, or another story's byline below the article, is not compared.
    for lines in ([("boilerplate", "By March 3, 2019, the old bridge had failed")], []):
        doc = _doc([("reporting", NEWS)], lines=[("title", "Council votes"), *lines], metadata=metadata)
        related = LineDecision(len(doc.line_decisions) + 1, "By Tom Reyes, June 1, 2019", "boilerplate", 1.0, "r")
        doc = Document("x", doc.blocks, metadata, (*doc.line_decisions, related))
        assert dates_agree(Facts.of(doc)).value == "unknown"


def test_the_source_is_the_site_not_a_copyright_notice_or_a_wire_service() -> None:
    def source(site: str | None, url: str | None) -> str:
        return source_name(Document("x", (), Metadata(site_name=site, url=url)))

    assert source("Copyright 2014", "https://www.city.example/news/1") == "city.example"
    assert source("© 2019 Herald Media. All rights reserved.", None) == "Herald Media"
    assert source("Associated Press", "https://www.sfgate.example/news/1") == "sfgate.example"
    assert source("Reuters", None) == "Reuters"
    assert source("AP", "https://www.japantimes.example/news/1") == "japantimes.example"
    assert source("2020 Magazine", None) == "2020 Magazine"
    assert source("Copyright Alliance", None) == "Copyright Alliance"
    assert source("Herald Media © 2019", None) == "Herald Media"
    assert source("Channel 2000", None) == "Channel 2000"
    assert source("1999", "https://www.city.example/news/1") == "city.example"
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


def test_an_html_pages_byline_is_the_one_above_its_article_not_a_related_storys() -> None:
    story = "".join(f"<p>{NEWS} The works take {n} months and close the road to traffic.</p>" for n in range(2, 8))
    related = (
        '<aside><h3>Related</h3><p><a href="/old">Old bridge closes</a></p><p>By Tom Reyes, June 1, 2019</p></aside>'
    )

    def page(byline: str) -> str:
        return (
            "<html><head><title>Council votes to replace the bridge</title>"
            '<meta property="article:published_time" content="2024-03-05T09:00:00Z"></head><body>'
            "<header><nav><a href='/'>Home</a></nav><ul><li>News</li><li>Council votes to replace</li></ul></header>"
            "<h1>Council votes to replace the bridge</h1>"
            f"{byline}<article>{story}</article>{related}</body></html>"
        )

    report = cleaner.analyze(page("<div class='byline'>By Ana Ruiz, March 5, 2024</div>"))
    signals = {s.name: s for s in report.signals}
    assert "found: Ana Ruiz;" in signals["byline_and_date"].detail and signals["dates_agree"].value is not False
    signals = {s.name: s for s in cleaner.analyze(page("")).signals}
    assert "Tom Reyes" not in signals["byline_and_date"].detail and signals["dates_agree"].value == "unknown"
