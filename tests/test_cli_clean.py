"""`cleaner clean`: article text, JSON document and the detailed per-line view."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from cleaner.cli import app

PAGE = """Tuesday, March 4, 2025
  • Home
  • World
  • Business
  • Sport
Rail union calls two-day strike over rosters
By Ana Ruiz
March 4, 2025
Share on FacebookShare on Twitter

Train drivers will strike on March 18 and 19 after talks over new rosters broke down on Monday,
the drivers' union said, warning that most regional services would not run.

The operator said it had offered a 4% pay rise and would publish an emergency timetable on Friday.

"We have tried everything short of a strike," union secretary Marta Kell told reporters.

Tags: railstrikestransport
© 2025 The Morning Ledger. All rights reserved.
We use cookies to improve your experience. By continuing you accept our cookie policy.
"""

runner = CliRunner()


def test_plain_output_is_the_article() -> None:
    result = runner.invoke(app, ["clean", "-"], input=PAGE)
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("Rail union calls two-day strike over rosters")
    assert "most regional services would not run" in out
    assert "Share on Facebook" not in out and "cookie" not in out and "• Home" not in out


def test_a_paragraph_model_without_json_is_a_usage_error(tmp_path) -> None:
    """Plain output shows no labels, so the model would never be loaded or checked."""
    result = runner.invoke(app, ["clean", "-", "--paragraph-model", str(tmp_path / "typo.joblib")], input=PAGE)
    assert result.exit_code == 2
    assert (
        result.output.strip() == "cleaner: error: --paragraph-model goes with --json: the plain article shows no labels"
    )


def test_json_document_has_blocks_lines_and_metadata() -> None:
    result = runner.invoke(app, ["clean", "-", "--json"], input=PAGE)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["metadata"]["title"] == "Rail union calls two-day strike over rosters"
    assert doc["metadata"]["author"] == "Ana Ruiz"
    assert doc["metadata"]["date_iso"] == "2025-03-04"
    body = [b for b in doc["blocks"] if b["kind"] == "body"]
    assert body[0]["lines"] == [11, 12]  # the hard-wrapped paragraph is one block
    assert body[0]["text"].endswith("most regional services would not run.")
    assert all(b["reason"] for b in doc["blocks"])
    assert "lines" not in doc  # per-line decisions only with --detailed


def test_json_for_several_files_is_one_document_per_line(tmp_path) -> None:
    pages = [tmp_path / "a.txt", tmp_path / "b\nc.txt"]
    for page in pages:
        page.write_text(PAGE, encoding="utf-8")
    for command in ("clean", "classify"):
        result = runner.invoke(app, [command, "--json", *map(str, pages)])
        assert result.exit_code == 0, result.output
        lines = result.output.splitlines()
        assert len(lines) == 2 and [json.loads(line)["source"] for line in lines] == list(map(str, pages))
    plain = runner.invoke(app, ["clean", *map(str, pages)]).output
    assert "==> " + str(tmp_path / "b\\nc.txt") + " <==" in plain  # a newline in a name stays on one line


def test_detailed_view_lists_every_source_line_with_a_reason() -> None:
    result = runner.invoke(app, ["clean", "-", "--detailed"], input=PAGE)
    assert result.exit_code == 0, result.output
    rows = [r for r in result.output.splitlines() if r[:5].strip().isdigit()]
    assert len(rows) == len(PAGE.splitlines())
    assert rows[1].split()[1] == "boilerplate"
    assert "└ " in result.output


def test_a_comment_count_between_the_share_bar_and_the_body_is_dropped_not_a_heading() -> None:
    """A regression pin on the demo: the network of 2026-11-22 called "17 Comments" boilerplate
    (p=0.85), and smoothing over posteriors divided by the kinds' whole prior made it a heading (a
    kind ten times rarer) next to the body. Today's network is surer (p=0.98) on its own."""
    from cleaner.paths import seeds_dir

    page = seeds_dir() / "demo" / "oped-demo.txt"
    lines = page.read_text(encoding="utf-8").splitlines()
    row = lines.index("17 Comments") + 1
    result = runner.invoke(app, ["clean", "--detailed", str(page)])
    assert result.exit_code == 0, result.output
    shown = next(r for r in result.output.splitlines() if r[:5].strip() == str(row))
    assert shown.split()[1:] == ["boilerplate", "17", "Comments"]


TABLE_PAGE = "\n".join(
    [
        "Harbourside Herald",
        "Sport › Rugby league",
        "",
        "Storm hold off Rovers to keep their unbeaten run",
        "By Tomas Ekdahl",
        "October 12, 2025",
        "",
        (
            "The Carrow Storm stayed top of the northern table on Saturday, beating the Lindqvist "
            "Rovers 24-18 in front of 9,412 at the Quayside Ground."
        ),
        "",
        (
            "Winger Ade Okafor scored twice in the first half, and the Storm's defence held out through"
            " a late Rovers set on their own line."
        ),
        "",
        '"We were hanging on at the end, but that is what good sides do," Storm coach Mia Halvorsen said.',
        "",
        (
            "The Rovers had the better of the second half and scored twice through their forwards, but "
            "a missed conversion from in front of the posts with four minutes left cost them a draw."
        ),
        "",
        (
            'Rovers coach Pauli Sorsa said his side had been undone by the opening twenty minutes. "We '
            'gave them a start, and you cannot do that against the best team in the league," he said.'
        ),
        "",
        "The top of the table after nine rounds:",
        "",
        "Pos\tTeam\tP\tW\tL\tPts",
        "1\tCarrow Storm\t9\t9\t0\t18",
        "2\tLindqvist Rovers\t9\t6\t3\t12",
        "3\tEastfield Giants\t9\t5\t4\t10",
        "4\tPort Ansel Sharks\t9\t3\t6\t6",
        "",
        (
            "The Storm travel to Eastfield next Sunday, while the Rovers host the Sharks on Saturday "
            "evening with their captain, Nils Berge, back from a knee injury."
        ),
        "",
        (
            "Tickets for the Eastfield game sold out on Thursday, the club said, and the match will be "
            "shown on the league's streaming service."
        ),
        "",
        "Tags: Rugby league, Carrow Storm",
        "© 2025 Harbourside Herald",
        "",
    ]
)


def test_an_articles_table_as_a_browser_flattens_it_is_kept_with_the_text_after_it() -> None:
    """innerText gives a table one line per row, cells between tabs. Such rows once cut the
    main-text span short, and the paragraph after the table went with the page's chrome."""
    result = runner.invoke(app, ["clean", "-"], input=TABLE_PAGE)
    assert result.exit_code == 0, result.output
    kept = result.output.splitlines()
    rows = [line for line in TABLE_PAGE.splitlines() if line.count("\t") >= 2]
    assert all(row in kept for row in rows)
    assert any(line.startswith("The Storm travel to Eastfield next Sunday") for line in kept)
    assert not any(line.startswith(("Tags:", "©")) for line in kept)


TABLE_LAST_PAGE = "\n".join(
    [
        "Home | News | Sport | Weather | Contact",
        "Riverside Gazette",
        "Council publishes library opening hours after consultation",
        "By Mara Lindqvist",
        "Published 3 March 2026",
        (
            "The district council has published new opening hours for its five branch libraries after a "
            "six-week consultation that drew 1,240 responses from residents."
        ),
        (
            "Councillor Tomas Reyes, who chairs the communities committee, said the changes keep every "
            "branch open on Saturdays and add two late evenings at the central library."
        ),
        "The council said the new hours take effect on 1 April. The full timetable is below.",
        "Branch\tMonday\tTuesday\tWednesday\tThursday\tFriday\tSaturday",
        "Central\t9-20\t9-17\t9-20\t9-17\t9-17\t9-16",
        "Northgate\t10-17\tclosed\t10-17\t10-17\t10-17\t10-13",
        "Eastfield\tclosed\t10-17\t10-17\tclosed\t10-17\t10-13",
        "Millbrook\t10-17\t10-17\tclosed\t10-17\t10-17\t10-13",
        "Harbour Road\t10-17\t10-17\t10-17\t10-17\tclosed\t10-13",
        "Share this article",
        "Facebook Twitter Email",
        "Related stories",
        "Library fines scrapped for children",
        "© 2026 Riverside Gazette. All rights reserved.",
        "Privacy policy | Cookie settings | Terms",
        "",
    ]
)


def test_a_table_that_ends_the_article_keeps_its_last_row() -> None:
    """The last row of a table just above the footer once read as footer; a table is kept or
    dropped whole, and the detailed view says why the row went with its table."""
    result = runner.invoke(app, ["clean", "-"], input=TABLE_LAST_PAGE)
    assert result.exit_code == 0, result.output
    kept = result.output.splitlines()
    rows = [line for line in TABLE_LAST_PAGE.splitlines() if line.count("\t") >= 2]
    assert all(row in kept for row in rows)
    assert not any(line.startswith(("Share this", "©", "Related")) for line in kept)
    detailed = runner.invoke(app, ["clean", "--detailed", "-"], input=TABLE_LAST_PAGE).output
    assert "kept with the rest of its table" in detailed


def test_table_runs_are_rows_with_the_same_number_of_cells() -> None:
    from cleaner.linemodel import TABLE_MIN_ROWS, _table_runs

    lines = ["Prose line.", "a\tb\tc", "1\t2\t3", "4\t5\t6", "x\ty", "p\tq", "r\ts", "7\t8\t9", "Prose."]
    assert TABLE_MIN_ROWS == 3
    # Two tabs in three rows make a table; one tab, or a lone row, does not.
    assert _table_runs(lines) == [range(1, 4)]
    assert _table_runs(["a\tb\tc", "d\te\tf"]) == []
    assert _table_runs(["a\tb\tc"] * 4) == [range(0, 4)]
