"""Signals, assessment and the report: the seed pages as the yardstick."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import cleaner
from cleaner.assess import BASE_SCORE, WEIGHTS, band
from cleaner.document import Block, Document, LineDecision
from cleaner.run import run
from cleaner.signals import SIGNALS


@pytest.fixture(scope="module")
def seed_reports(shared_seeds: Path) -> dict[str, cleaner.report.Report]:
    return {p.name[:3]: cleaner.analyze(p.read_bytes(), source=p.name) for p in sorted(shared_seeds.glob("*.txt"))}


def test_content_farm_scores_far_below_the_reporting(seed_reports) -> None:
    scores = {k: r.score for k, r in seed_reports.items()}
    assert scores["002"] == min(scores.values())
    assert scores["002"] <= min(scores["000"], scores["001"]) - 20


def test_types_of_work_on_the_seeds(seed_reports) -> None:
    assert seed_reports["003"].type_of_work == "opinion"
    assert seed_reports["000"].type_of_work == "reporting"
    assert seed_reports["001"].type_of_work == "reporting"
    assert seed_reports["002"].type_of_work == "content farm"


def test_every_signal_names_its_evidence(seed_reports) -> None:
    for report in seed_reports.values():
        assert len(report.signals) == len(SIGNALS)
        for signal in report.to_dict()["signals"]:
            assert signal["evidence"], signal["name"]
            assert all(e["snippet"] for e in signal["evidence"])


def test_every_signal_has_a_weight_and_the_score_adds_up(seed_reports) -> None:
    for report in seed_reports.values():
        assert {s.name for s in report.signals} <= set(WEIGHTS)
        total = BASE_SCORE + sum(s.effect for s in report.signals)
        assert report.score == round(min(100, max(0, total)), 1)
        assert report.band == band(report.score)


def test_report_is_deterministic(demo_pages: list[Path]) -> None:
    page = demo_pages[0].read_bytes()
    first = json.dumps(cleaner.analyze(page, source="x").to_dict(), sort_keys=True)
    assert first == json.dumps(cleaner.analyze(page, source="x").to_dict(), sort_keys=True)


def test_chatbot_leftovers_and_stuffing_are_caught() -> None:
    phrase = "best cheap winter boots for men"
    page = "\n\n".join(
        [
            "Best cheap winter boots for men 2025",
            f"Looking for the {phrase}? Our guide to the {phrase} covers every budget.",
            f"As an AI language model, I cannot browse, but the {phrase} are waterproof and warm.",
            f"We ranked the {phrase} by comfort, and the {phrase} below are all under $80.",
            "Dear [Your Name], thank you for reading our guide, and remember to share it.",
        ]
    )
    signals = {s.name: s for s in cleaner.analyze(page).signals}
    assert signals["template_leftovers"].value is True and signals["template_leftovers"].effect < 0
    assert signals["keyword_stuffing"].value is True and signals["keyword_stuffing"].effect < 0


def test_repeated_list_fields_are_not_stuffing() -> None:
    # A police blotter repeats its fields, not a search phrase: the headline shares none of its words.
    details = [
        "theft of a bicycle from a rack outside the library, recovered two streets away the same evening",
        "driving without a licence after a stop on the ring road, the third such stop since spring",
        "criminal damage to a shop window on Market Street, caught on a camera across the road",
        "possession of stolen goods found in a garage during a search on Tuesday morning",
        "assault on a neighbour during an argument over parking, witnessed by two passers-by",
    ]
    names = ["Ana Ruiz", "Tom Hale", "Lee Park", "Joe Marsh", "Kim Stone"]
    arrests = [
        f"{name}: {detail}; held in jail in lieu of ${k + 2},500 bond."
        for k, (name, detail) in enumerate(zip(names, details))
    ]
    intro = [
        "Detectives arrested five people on Thursday after a month-long investigation into a string of "
        "thefts and break-ins around the town centre, the police department said in a statement on Friday. "
        "The arrests followed tips from residents and footage from cameras that shop owners installed last "
        "year, after a rise in burglaries over the winter months.",
        "The chief of police told reporters that the department had assigned two extra officers to the "
        "centre at night since January and that reports of break-ins had fallen by a third since then. "
        "She thanked shop owners for sharing their recordings and asked anyone with information about the "
        "remaining cases to call the department's non-emergency line, which is staffed around the clock.",
        "The investigation began in early March, when a jeweller on the high street reported that a display "
        "case had been forced overnight. Over the following weeks officers linked eleven further incidents to "
        "the same small group, using receipts from a pawn shop and the location data of a stolen phone.",
        "Court records list the following people as arrested and charged. All are presumed innocent until "
        "proven guilty, and each is due to appear before a magistrate at the county court next week, where "
        "a judge will decide whether the bonds set at booking stay in place until trial.",
    ]
    page = "\n\n".join(["Police arrest five after a month-long investigation", *intro, *arrests])
    signal = {s.name: s for s in cleaner.analyze(page).signals}["keyword_stuffing"]
    assert signal.value is False and "most repeated phrase 'held in jail in' (not in the headline)" in signal.detail
    # The same repetition of the headline's own phrase is stuffing.
    stuffed = page.replace("Police arrest five after a month-long investigation", "Held in jail in lieu of bond")
    assert {s.name: s for s in cleaner.analyze(stuffed).signals}["keyword_stuffing"].value is True


def test_a_stuffed_phrase_counts_even_when_a_list_field_repeats_more() -> None:
    phrase = "best cheap running shoes"
    paragraphs = [
        f"Our pick of the {phrase} starts with a light trainer that suits slow, steady miles on roads and paths.",
        f"Many readers asked which are the {phrase} for wet winter mornings; a grippy sole matters most.",
        f"We tested the {phrase} over six weeks with a group of new runners from a local park club.",
        f"Price still matters: the {phrase} on this list all cost under fifty pounds at the time of writing.",
        f"Finally, remember that the {phrase} are the ones that fit, so try a pair on before you buy online.",
    ]
    shipping = "Every pair comes with free delivery and returns within thirty days of purchase."
    topics = ["cushioning", "weight", "drop", "width", "laces", "tongue", "heel", "mesh", "outsole", "insole"]
    advice = [  # varied prose, so that the shipping line repeats at 7-15 per 1,000 words
        f"On {topic}, beginners should look for something simple. A shop assistant can measure your stride, "
        f"and a short jog on a treadmill tells you more than any label about how the {topic} feels after a "
        f"kilometre or two. Note number {k} of our guide: take your time, and compare at least three pairs."
        for k, topic in enumerate(topics)
    ]
    page = "\n\n".join(
        [
            "Best cheap running shoes for beginners",
            *(f"{p} {shipping}" for p in paragraphs),
            *advice,
            shipping,
            shipping,
        ]
    )
    signal = {s.name: s for s in cleaner.analyze(page).signals}["keyword_stuffing"]
    # "Every pair comes with" repeats 7 times, below the rate for a phrase not in the headline.
    assert signal.value is True and "stuffed phrase 'the best cheap running' (with the headline's" in signal.detail


def test_stuffing_phrases_stop_at_paragraphs_punctuation_and_numbers() -> None:
    trails = ["a lakeside loop", "a forest climb", "a ridge walk", "a canyon path", "a meadow trail", "a river walk"]
    items = [f"Elevation gain: {100 * k} ft. Dogs: {trail}." for k, trail in enumerate(trails, 1)]
    page = "\n\n".join(["Elevation gain and dogs on easy hikes", *items])
    signal = {s.name: s for s in cleaner.analyze(page).signals}["keyword_stuffing"]
    assert signal.value is False and signal.detail == "no phrase repeated"
    from cleaner.signals import PHRASE_TOKEN_RE  # a dash or quote between words breaks a phrase too

    assert PHRASE_TOKEN_RE.findall("Paris - cheap e-tron 'deals' don't") == [
        "Paris",
        "",
        "cheap",
        "e-tron",
        "",
        "deals",
        "",
        "don't",
    ]


def test_the_html_report_shows_signal_values_as_words_not_python(demo_pages: list[Path]) -> None:
    html = cleaner.analyze(demo_pages[0].read_bytes(), source="x").to_html()
    assert "{&#x27;" not in html and "True" not in html and "None</td>" not in html
    shares = html.split(">label_shares<", 1)[1].split("</tr>", 1)[0]
    assert "reporting 0." in shares and "reliable yes" in shares
    from cleaner.html_report import _value

    assert [_value(v) for v in (0.82345, 9420.59, None, {"of": "a", "similarity": 0.5})] == [
        "0.823", "9,421", "–", "of a, similarity 0.5"
    ]  # fmt: skip


def test_run_writes_reports_with_assessment(tmp_path: Path, demo_pages: list[Path]) -> None:
    result = run([str(demo_pages[0])], tmp_path / "out")
    doc_id = result.ids()[0]
    report = json.loads((tmp_path / "out" / f"{doc_id}.json").read_text())
    assert set(report["assessment"]) == {"score", "band", "type_of_work"}
    assert report["document"]["blocks"]
    header = (tmp_path / "out" / "summary.csv").read_text().splitlines()[0]
    assert header.endswith("score,band,type_of_work")


def test_every_report_of_a_run_validates_against_the_published_schema(tmp_path: Path, demo_pages, shared_seeds) -> None:
    from jsonschema import Draft202012Validator

    from cleaner.report import SCHEMA_FILE

    schema = json.loads(SCHEMA_FILE.read_text())
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    html = tmp_path / "in" / "page.html"
    html.parent.mkdir()
    html.write_text(
        "<html><head><title>Pool closes</title></head><body><article><p>"
        + "The council voted 7-2 on Tuesday to close the pool, the clerk said. " * 6
        + "</p></article></body></html>"
    )
    result = run([*map(str, demo_pages), str(shared_seeds), str(html.parent)], tmp_path / "out")
    assert result.documents == len(demo_pages) + 6
    for doc_id in result.ids():
        report = json.loads((tmp_path / "out" / f"{doc_id}.json").read_text())
        errors = sorted(validator.iter_errors(report), key=str)
        assert not errors, f"{doc_id}: {errors[0].message} at {list(errors[0].absolute_path)}"


def test_near_duplicates_in_a_run_are_found(tmp_path: Path, demo_pages) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    text = demo_pages[0].read_text()
    (folder / "a.txt").write_text(text)
    (folder / "b.txt").write_text(text.replace("\n\n", "\n\n\n", 3))
    (folder / "c.txt").write_text(demo_pages[1].read_text())
    run([str(folder)], tmp_path / "out")
    reports = {p.stem: json.loads(p.read_text()) for p in (tmp_path / "out").glob("*.json")}
    signal = {r: next(s for s in reports[r]["signals"] if s["name"] == "near_duplicate") for r in reports}
    # The first copy is the reference; the later one names it.
    assert signal["b"]["value"]["of"] == "a" and signal["b"]["value"]["similarity"] >= 0.9
    assert signal["b"]["effect"] < 0
    assert signal["a"]["value"] is None and signal["c"]["value"] is None
    assert "compared with the 2 earlier documents" in signal["c"]["evidence"][0]["snippet"]
    sources = (tmp_path / "out" / "sources.csv").read_text().splitlines()
    assert sources[0] == "source,documents,mean_score,lowest,highest"


def _body(text: str):
    from cleaner.document import Block, Document

    return Document("x", (Block("body", text, (1, 1), "r"),))


def test_every_later_copy_names_the_first_and_similarity_tracks_jaccard() -> None:
    import sqlite3

    from cleaner.duplicates import DuplicateIndex, signature

    index = DuplicateIndex(sqlite3.connect(":memory:"))
    words = [f"word{i}" for i in range(400)]
    index.add(0, "first", signature(_body(" ".join(words))))
    for seq in range(1, 60):  # more copies than any candidate limit
        sig = signature(_body(" ".join(words)))
        assert index.match(sig) == ("first", 1.0)
        index.add(seq, f"copy{seq}", sig)
    # Half the words replaced: 5-word runs shared ~ 1/3 (Jaccard of 200 shared runs over 600).
    half = signature(_body(" ".join(words[:200] + [f"other{i}" for i in range(200)])))
    assert index.match(half) is None
    # A tenth replaced at the end: Jaccard ~ 0.89; the estimate is within 0.1.
    most = signature(_body(" ".join(words[:360] + [f"other{i}" for i in range(40)])))
    other, value = index.match(most)
    assert other == "first" and abs(value - 356 / 400) < 0.1
    unrelated = signature(_body(" ".join(f"term{i}" for i in range(400))))
    assert index.match(unrelated) is None and signature(_body("too short")) is None


def test_dates_agree_needs_a_date_off_the_body() -> None:
    page = "\n\n".join(
        [
            "Museum reopens its east wing",
            "June 3, 2024",
            "The city museum reopened its east wing on Monday, the director said, after the roof "
            "repairs that began when the wing was damaged by a storm in March 1987 were finished.",
        ]
    )
    signal = next(s for s in cleaner.analyze(page).signals if s.name == "dates_agree")
    assert signal.value is True  # the date line agrees with itself; the 1987 body date is history
    body_only = page.replace("June 3, 2024\n\n", "")
    signal = next(s for s in cleaner.analyze(body_only).signals if s.name == "dates_agree")
    assert signal.value == "unknown" and signal.effect == 0


def test_a_section_name_in_a_menu_does_not_label_the_page_as_opinion() -> None:
    from cleaner.document import Block, Document, LineDecision
    from cleaner.signals import Facts, opinion_labelled

    def labelled(rows: list[tuple[str, str]]) -> bool:
        decisions = tuple(LineDecision(i, text, kind, 1.0, "r") for i, (kind, text) in enumerate(rows, 1))
        body = Block("body", "The council voted on Tuesday to close the pool.", (len(rows), len(rows)), "r")
        return opinion_labelled(Facts.of(Document("x", (body,), line_decisions=decisions))).value["labelled"]

    story = [("title", "Why the pool must stay open"), ("body", "The council voted on Tuesday to close the pool.")]
    menu = [("boilerplate", "Home"), ("boilerplate", "Opinion"), ("boilerplate", "Sport")]
    assert not labelled(menu + story)
    assert labelled([("boilerplate", "Opinion"), *story])
    assert labelled([*menu, ("boilerplate", "The views expressed are the author's own."), *story])


def test_the_library_report_and_the_run_report_are_the_same(tmp_path: Path, demo_pages) -> None:
    page = demo_pages[0]
    run([str(page)], tmp_path / "out")
    written = json.loads((tmp_path / "out" / f"{page.stem}.json").read_text())
    from cleaner.duplicates import near_duplicate_signal
    from cleaner.report import Report

    doc = cleaner.clean(page.read_bytes(), source=str(page))
    report = Report.of(doc, run_signals=(near_duplicate_signal(None, 0),))  # alone in its run
    assert {"id": page.stem, **report.to_dict(provenance=written["provenance"])} == written


def test_archive_counts_are_label_and_count_pairs_not_comment_counts_or_phone_numbers() -> None:
    from cleaner.signals import Facts, farm_chrome

    def entries(*lines: str) -> int:
        decisions = tuple(LineDecision(i + 1, text, "boilerplate", 1.0, "r") for i, text in enumerate(lines))
        doc = Document("x", (Block("body", "Text.", (99, 99), "r"),), line_decisions=decisions)
        return farm_chrome(Facts.of(doc)).value["archive_entries"]

    def archive_lines(*lines: str) -> int:
        decisions = tuple(LineDecision(i + 1, text, "boilerplate", 1.0, "r") for i, text in enumerate(lines))
        doc = Document("x", (Block("body", "Text.", (99, 99), "r"),), line_decisions=decisions)
        value = farm_chrome(Facts.of(doc)).value
        assert value["archive_entries"] >= value["archive_count_lines"]
        return value["archive_count_lines"]

    assert archive_lines("June 2025 (2996)", "  • May 2025 (1,187)", "Celebs (2,906) Europe (3,412)") == 3
    assert entries("Celebs (2,906) Europe (3.412) Money (4,005)  Travel (1,137)") == 4  # side by side, all count
    assert entries("Parasite (2019)", "Score (10.0)", "(509)-459-5382", "(509) 747-4422") == 0
    assert archive_lines("►Software(1207)") == 1
    # A headline with its comment count, a phone number, a blog's month or category of a few hundred
    # posts: none is an archive count.
    assert archive_lines("►Software(207)", "Outubro (217)", "Aliran Sesat (225)") == 0
    assert archive_lines("Coach says the team must stop running from its problems (185)") == 0
    assert archive_lines("Ana Ruiz ana@example.org(509) 459-5382", "(509) 747-4422") == 0
    assert archive_lines("January 2025 (4)") == 0


def test_labels_of_text_that_is_not_english_carry_no_points_and_no_type() -> None:
    from cleaner.language import looks_english

    japanese = "このソフトのショートカットキーを無効にする方法を説明します。設定画面から変更できます。" * 3
    assert not looks_english([japanese])
    assert looks_english(["The council voted on Tuesday to close the pool, and the clerk said it would reopen."])
    from cleaner.assess import Assessment, weigh
    from cleaner.labelling import label_body
    from cleaner.models import paragraph_model
    from cleaner.signals import document_signals

    blocks = tuple(Block("body", japanese, (i, i), "r") for i in (1, 2, 3))
    doc = label_body(Document("x", blocks), paragraph_model())
    assessment = Assessment.of(weigh(document_signals(doc)))
    shares = next(s for s in assessment.signals if s.name == "label_shares")
    assert shares.value["reliable"] is False and shares.effect == 0
    assert "not counted" in shares.detail
    assert assessment.type_of_work not in ("promotional", "content farm", "opinion")
    # The run's index shows no shares for it either.
    from cleaner.html_report import index_html
    from cleaner.report import Report
    from cleaner.run import summary_row

    row = summary_row("jp", Report.from_assessment(doc, assessment))
    assert (row.reporting, row.opinion, row.filler) == (None, None, None)
    assert "labels not counted" in index_html([row], [], [])


def test_word_patterns_with_a_first_letter_check_match_as_plain_alternations() -> None:
    import re

    from cleaner.models import bundled_paragraphs
    from cleaner.signals import ATTRIBUTION_RE, DATE_IN_TEXT_RE, PROPER_RE

    texts = [p.text for p in bundled_paragraphs()[::5]]
    texts += ["SAID it; Tuesday, 1999 and 2031, said-so, unsaid, Sundays, Wednesday.", "ſaid K 20245 MAY may"]
    for fast in (ATTRIBUTION_RE, DATE_IN_TEXT_RE):
        plain = re.compile(re.sub(r"\(\?=\[[^]]*\]\)", "", fast.pattern), fast.flags)
        assert plain.pattern != fast.pattern
        assert [plain.findall(t) for t in texts] == [fast.findall(t) for t in texts]
    # Proper names: the lookbehinds moved after the capital they guard.
    plain = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+")
    texts += ["Ab", "A. Bc Cd", "x. Yz! Qr  Mn\nOp", "Étienne Ab"]
    assert [plain.findall(t) for t in texts] == [PROPER_RE.findall(t) for t in texts]


def test_index_chart_cuts_long_names_and_gives_them_whole_on_hover() -> None:
    from dataclasses import replace

    from cleaner.html_report import CHART_NAME_CHARS, index_html
    from cleaner.run import summary_row

    report = cleaner.analyze(b"The council voted on Tuesday to close the pool, the clerk said.\n")
    long_id = "0123456789abcdef" * 4
    row = replace(summary_row(long_id, report), title="Pool <closes>")
    html = index_html([row], [], [])
    chart = html[html.index("<svg") : html.index("</svg>")]
    assert f">{long_id[: CHART_NAME_CHARS - 1]}…</text>" in chart
    assert f"<title>{long_id}: Pool &lt;closes&gt;, score {row.score:.1f}</title>" in chart
