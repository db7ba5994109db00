"""Lines to blocks: wrapped paragraphs, lists, one title, metadata."""

from __future__ import annotations

import pytest

from cleaner.assemble import author_name, build_blocks, continues, metadata, parse_date, single_title
from cleaner.document import Block, LineDecision


def decisions(rows: list[tuple[int, str, str]]) -> list[LineDecision]:
    return [LineDecision(n, text, kind, 0.9, "test") for n, kind, text in rows]


@pytest.mark.parametrize(
    ("previous", "current", "expected"),
    [
        ("By engaging directly with regional leaders during this trip,", "Lee seeks not only gains.", True),
        ("The outcomes are poised to influence policy benefiting businesses,", "workers and consumers alike.", True),
        ("The council voted on Tuesday to approve the", "New budget for the harbour.", True),
        ("The council met on Tuesday.", "It approved the budget.", False),
        ("Key areas identified for cooperative development include:", "  • Digital infrastructure", False),
        ("Benefit CategoryAdvantages for Hong Kong", "Market Access ExpansionDiversified", False),
        ("A row of a table;", "another row", False),
    ],
)
def test_continues(previous: str, current: str, expected: bool) -> None:
    assert continues(previous, current) is expected


def test_wrapped_body_lines_join_into_one_block() -> None:
    blocks = build_blocks(
        decisions(
            [
                (1, "title", "Storm closes the coast road"),
                (3, "body", "Engineers said the road would stay shut until the"),
                (4, "body", "weekend, and that repairs would cost about $2m."),
                (5, "body", "The mayor visited the site."),
                (7, "boilerplate", "  • Home"),
                (8, "boilerplate", "  • World"),
                (10, "boilerplate", "© 2025 Coast News"),
            ]
        )
    )
    assert [(b.kind, b.lines) for b in blocks] == [
        ("title", (1, 1)),
        ("body", (3, 4)),
        ("body", (5, 5)),
        ("boilerplate", (7, 10)),
    ]
    assert blocks[1].text == (
        "Engineers said the road would stay shut until the weekend, and that repairs would cost about $2m."
    )
    assert "wrapped lines joined" in blocks[1].reason


def test_bullet_items_stay_separate_body_blocks() -> None:
    blocks = build_blocks(
        decisions([(1, "body", "Plans include:"), (2, "body", "  • new lanes,"), (3, "body", "  • more buses")])
    )
    assert [b.text for b in blocks] == ["Plans include:", "• new lanes,", "• more buses"]


def test_second_title_becomes_heading_inside_the_article() -> None:
    rows = decisions(
        [
            (1, "title", "Main headline"),
            (2, "body", "First paragraph of the story."),
            (3, "title", "A subheading"),
            (4, "body", "Second paragraph of the story."),
            (5, "title", "Another page's headline"),
        ]
    )
    fixed = single_title(rows, [0.9, 0.0, 0.6, 0.0, 0.5])
    assert [d.kind for d in fixed] == ["title", "body", "heading", "body", "boilerplate"]


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Published: 09:46, April 23, 2025 | Updated: 10:12, April 23, 2025", "2025-04-23"),
        ("May 26, 2025", "2025-05-26"),
        ("3 Mar 2025 14:20 GMT", "2025-03-03"),
        ("Posted 2025-07-12", "2025-07-12"),
        ("Updated 2 hours ago", None),
        ("February 30, 2025", None),
    ],
)
def test_parse_date(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


@pytest.mark.parametrize(
    ("byline", "name"),
    [
        ("By Li Lei in Hong Kong", "Li Lei"),
        ("by Victoria Jones", "Victoria Jones"),
        ("Ana Ruiz, Staff Reporter", "Ana Ruiz"),
        ("By Tu Haiming", "Tu Haiming"),
    ],
)
def test_author_name(byline: str, name: str) -> None:
    assert author_name(byline) == name


def test_metadata_prefers_the_byline_after_the_title() -> None:
    from cleaner.assemble import metadata

    blocks = build_blocks(
        decisions(
            [
                (1, "byline", "The Western Courier"),
                (2, "date", "Monday 22 September 2025"),
                (4, "title", "Rare bat colony found in tunnel"),
                (5, "byline", "By Siân Pritchard, Environment Correspondent"),
                (6, "date", "21 September 2025, 7:00am"),
                (8, "body", "Ecologists have found a breeding colony of bats."),
            ]
        )
    )
    meta = metadata(blocks)
    assert meta.title == "Rare bat colony found in tunnel"
    assert (meta.author, meta.date_iso) == ("Siân Pritchard", "2025-09-21")


@pytest.mark.parametrize(
    ("line", "kept"),
    [("a0", False), ("a01", False), ("COVID19", False), ("x264", False), ("Share", False),
     ("March 4, 2025", True), ("Updated 3 hours ago", True), ("Tue 4/3", True),
     ("12:30 GMT", True), ("4. März, 14:30 Uhr", True), ("Il y a 3 heures", True), ("Yesterday", True)],
)  # fmt: skip
def test_a_date_line_without_a_date_is_not_the_pages_date(line: str, kept: bool) -> None:
    blocks = [Block("title", "Council votes", (1, 1), "title"), Block("date", line, (2, 2), "date")]
    assert metadata(blocks).date == (line if kept else None)
    later = [*blocks, Block("date", "4 March 2025", (3, 3), "date")]  # the next date line is taken
    assert metadata(later).date == (line if kept else "4 March 2025")


def test_a_byline_that_says_by_is_the_author_before_a_category_line_taken_for_one() -> None:
    blocks = [
        Block("title", "Council votes", (1, 1), "title"),
        Block("byline", "in Food & Drink", (2, 2), "byline"),
        Block("byline", "by Ana Ruiz", (3, 3), "byline"),
    ]
    assert metadata(blocks).author == "Ana Ruiz"
    assert metadata(blocks[:2]).author == "in Food & Drink"  # the only one is still taken
