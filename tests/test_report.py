"""Signals, assessment and the report: the seed pages as the yardstick."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import cleaner
from cleaner.assess import BASE_SCORE, WEIGHTS, band
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


def test_run_writes_reports_with_assessment(tmp_path: Path, demo_pages: list[Path]) -> None:
    result = run([str(demo_pages[0])], tmp_path / "out")
    doc_id = result.documents[0][0]
    report = json.loads((tmp_path / "out" / f"{doc_id}.json").read_text())
    assert set(report["assessment"]) == {"score", "band", "type_of_work"}
    assert report["document"]["blocks"]
    header = (tmp_path / "out" / "summary.csv").read_text().splitlines()[0]
    assert header.endswith("score,band,type_of_work")
