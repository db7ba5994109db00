"""The section a page files its story under, and whether the story belongs there."""

from __future__ import annotations

import cleaner
from cleaner.assess import WEIGHTS
from cleaner.categories import judge_categories, page_categories
from cleaner.document import Block, Document, LineDecision, Metadata

TITLE = "Storm floods riverside streets as ferries halt"
STORM = (
    "Heavy rain and gusts of wind up to 100km/h flooded streets near the river on Wednesday, and the "
    "weather service kept its storm warning in place until midnight. Forecasters said more rain would "
    "fall overnight before the wind eased on Thursday morning. Firefighters answered more than 300 calls, "
    "most of them for fallen trees and flooded basements, the fire service said. Ferries were halted "
    "and two roads closed after trees fell across them. The mayor said crews would clear the streets "
    "through the night and asked residents to keep away from the riverfront until the water dropped. "
    "Shop owners along the quay spent the afternoon moving stock upstairs and stacking sandbags at "
    "their doors, and several said the water had come up faster than in any winter they remembered."
)


def page(*chrome: str, metadata: Metadata | None = None) -> Document:
    """A document with chrome lines above a long storm story (title first)."""
    decisions = [LineDecision(1, TITLE, "title", 1.0, "r")]
    decisions += [LineDecision(i + 2, text, "boilerplate", 1.0, "r") for i, text in enumerate(chrome)]
    body_line = len(decisions) + 1
    decisions.append(LineDecision(body_line, STORM, "body", 1.0, "r"))
    blocks = (Block("title", TITLE, (1, 1), "r"), Block("body", STORM, (body_line, body_line), "r"))
    return Document("x", blocks, metadata or Metadata(title=TITLE), tuple(decisions))


def names(doc: Document) -> list[str]:
    return [c.name for c in page_categories(doc)]


def test_sections_are_read_from_the_page_lines_in_their_usual_forms() -> None:
    assert names(page("Filed under: Weather, Rivers · Tagged: rain, ferries")) == ["Weather", "Rivers"]
    assert names(page("Posted in Weather, Local")) == ["Weather", "Local"]
    assert names(page("Categories: Weather | Tags: storm, rain")) == ["Weather"]
    assert names(page("Category: Water Division   |   Print   |   Email")) == ["Water Division"]
    assert names(page("in Food & Drink")) == ["Food & Drink"]
    # A breadcrumb's last step is the story's own headline, not a section.
    assert names(page(f"Home › Weather › {TITLE[:30]}")) == ["Weather"]


def test_a_short_in_line_below_the_article_is_not_a_section() -> None:
    doc = page()
    late = LineDecision(99, "in Food & Drink", "boilerplate", 1.0, "r")
    doc = Document(doc.source, doc.blocks, doc.metadata, (*doc.line_decisions, late))
    assert names(doc) == []


def test_a_story_filed_under_an_unrelated_section_does_not_fit() -> None:
    judgement = judge_categories(page("in Food & Drink"))
    assert judgement.fits is False
    assert judgement.story_topic == "weather"
    assert {"storm", "rain", "wind"} <= set(judgement.topic_words)


def test_the_right_section_fits_and_broad_ones_are_not_judged() -> None:
    assert judge_categories(page("in Weather")).fits is True
    # A topic's own words count too: "Environment" belongs with weather and climate words.
    assert judge_categories(page("Filed under: Environment")).fits is True
    assert judge_categories(page("in News")).fits is None
    assert judge_categories(page("Posted in World, Europe")).fits is None


def test_places_in_breadcrumbs_and_odd_metadata_sections_are_not_judged() -> None:
    # Regional sites nest places the story need not name.
    assert judge_categories(page("Home › Jalisco › Explainers")).fits is None
    # A place given as the story's own section is judged, and a storm story does not fit it.
    assert judge_categories(page("in Algeria")).fits is False
    assert judge_categories(page(metadata=Metadata(title=TITLE, categories=("Spotlight",)))).fits is None
    # Many metadata categories are a menu's links, not the story's sections.
    menu = ("Sport", "Money", "Food", "Gaming", "Celebs")
    assert judge_categories(page(metadata=Metadata(title=TITLE, categories=menu))).fits is None
    assert judge_categories(page(metadata=Metadata(title=TITLE, categories=("Sport",)))).fits is False


def test_a_short_story_is_not_judged() -> None:
    short = Document("x", (Block("body", "Rain flooded the storm drains and wind felled trees.", (2, 2), "r"),))
    doc = Document(
        "x", short.blocks, Metadata(title=TITLE), (LineDecision(1, "in Food & Drink", "boilerplate", 1, "r"),)
    )
    assert judge_categories(doc).fits is None


def test_the_signal_costs_points_names_its_line_and_makes_a_farm_of_archive_chrome() -> None:
    text = "\n".join(
        [
            "HotNewsDaily",
            "Home | World | Money | Food & Drink",
            TITLE,
            "in Food & Drink",
            "by Staff Writer",
            "",
            *STORM.split(". "),
            "",
            "Archives",
            "November 2025 (2,981)",
            "October 2025 (3,114)",
            "September 2025 (2,876)",
        ]
    )
    report = cleaner.analyze(text)
    signal = next(s for s in report.signals if s.name == "category_fits")
    assert signal.value["fits"] is False
    assert signal.effect == WEIGHTS["category_fits"](signal.value) == -8
    assert signal.evidence[0].snippet == "in Food & Drink" and signal.evidence[0].lines == (4, 4)
    assert "read as weather" in signal.detail
    assert report.type_of_work == "content farm"


def test_author_names_and_house_sections_are_not_sections() -> None:
    # "by …" ends the section list; "Lifestyle" and "Brief" are too broad to judge.
    assert names(page("Posted in Lifestyle by Jane Doe")) == ["Lifestyle"]
    assert judge_categories(page("Posted in Lifestyle by Jane Doe")).fits is None
    assert judge_categories(page("in Brief")).fits is None


def test_a_two_word_section_is_read_by_its_words() -> None:
    housing = STORM.replace("weather service", "housing agency")
    doc = page("Filed under: Real Estate")
    doc = Document(doc.source, (doc.blocks[0], Block("body", housing, doc.blocks[1].lines, "r")), doc.metadata,
                   doc.line_decisions)  # fmt: skip
    assert judge_categories(doc).fits is not False


def test_section_lines_far_below_the_article_or_very_long_are_ignored() -> None:
    doc = page()
    widget = LineDecision(60, "Posted in Gaming", "boilerplate", 1.0, "r")  # a related post's section
    doc = Document(doc.source, doc.blocks, doc.metadata, (*doc.line_decisions, widget))
    assert names(doc) == []
    # A long line is not a section label (and its whitespace run costs nothing to skip).
    assert names(page("Category: a" + " " * 20_000 + "b")) == []


def test_stems_are_the_same_from_many_threads() -> None:
    from concurrent.futures import ThreadPoolExecutor

    import snowballstemmer

    from cleaner.categories import stem

    words = [f"{w}{suffix}" for w in ("flood", "storm", "politic", "restaur", "invest") for suffix in
             ("", "s", "ed", "ing", "ers", "ation", "ally", "ness", "ful", "ive")] * 40  # fmt: skip
    expected = [snowballstemmer.stemmer("english").stemWord(w) for w in words]
    stem.cache_clear()
    with ThreadPoolExecutor(8) as pool:
        assert list(pool.map(stem, words)) == expected
