"""Paragraph labels scored on whole pages from an annotation of hashes (cleaner/pagelabels.py)."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner import artifacts, clean
from cleaner.cli import app
from cleaner.corpus import CorpusError
from cleaner.models import bundled_paragraph_model_path, evaluate_on_pages, paragraph_model
from cleaner.options import CleanOptions
from cleaner.pagelabels import (
    read_page_annotation,
    score_pages,
    scrapinghub_annotation_file,
    scrapinghub_heldout_file,
)

runner = CliRunner()
H = "0" * 64  # a well-formed sha256 no paragraph has


@pytest.fixture(scope="module")
def manifest() -> dict:
    return json.loads(artifacts.manifest_path(bundled_paragraph_model_path()).read_text())


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _annotate(demo_pages: list[Path], folder: Path) -> tuple[Path, list[str], list[str]]:
    """An annotation of the demo pages: per page, its first body paragraph with the label the
    cleaner gives it, its second with another label, and one paragraph the page does not have.
    Returns it with the truth and predictions in the order scoring reads them (page, then hash)."""
    pages, truth, predicted = {}, [], []
    for page in sorted(demo_pages, key=lambda p: p.name):
        shutil.copy(page, folder / page.name)
        first, second = [b for b in clean(page.read_bytes(), source=page.name).blocks if b.kind == "body"][:2]
        other = "opinion" if second.label != "opinion" else "filler"
        found = {_digest(first.text): (first.label, first.label), _digest(second.text): (other, second.label)}
        pages[page.name] = {digest: label for digest, (label, _) in found.items()}
        pages[page.name][_digest("a paragraph this page does not have")] = "reporting"
        for _, (label, given) in sorted(found.items()):
            truth.append(label)
            predicted.append(given)
    path = folder / "labels.json"
    path.write_text(json.dumps({"pages": pages}), encoding="utf-8")
    return path, truth, predicted


def test_annotated_paragraphs_are_scored_as_the_cleaner_labels_them(demo_pages: list[Path], tmp_path: Path) -> None:
    annotation, truth, predicted = _annotate(demo_pages, tmp_path)
    scored = score_pages(annotation, tmp_path, paragraph_model(), CleanOptions())
    assert (list(scored.truth), list(scored.predicted), scored.missing) == (truth, predicted, len(demo_pages))
    report = evaluate_on_pages(paragraph_model(), annotation, tmp_path)
    assert report["n"] == 2 * len(demo_pages) and report["missing"] == len(demo_pages)
    # Half the annotated paragraphs carry a label the cleaner did not give.
    assert sum(map(sum, report["confusion_matrix"])) - sum(
        row[i] for i, row in enumerate(report["confusion_matrix"])
    ) == len(demo_pages)
    result = runner.invoke(
        app, ["evaluate", "classifier", "--pages", str(tmp_path), "--page-labels", str(annotation), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == report


def test_bad_page_annotations_name_the_file(demo_pages: list[Path], tmp_path: Path) -> None:
    annotation, _, _ = _annotate(demo_pages[:1], tmp_path)
    (tmp_path / demo_pages[0].name).unlink()
    with pytest.raises(CorpusError, match=r"labels\.json but not found"):
        score_pages(annotation, tmp_path, paragraph_model(), CleanOptions())
    with pytest.raises(CorpusError, match=r"nowhere: no such folder of pages"):
        score_pages(annotation, tmp_path / "nowhere", paragraph_model(), CleanOptions())
    bad = tmp_path / "bad.json"
    for content, problem in [
        ({"pages": {"a.txt": {H: "news"}}}, "page 'a.txt': unknown label 'news'"),
        ({"pages": {"a.txt": {"00": "opinion"}}}, "page 'a.txt': '00' is not a sha256 (64 lowercase hex digits)"),
        ({"pages": {"a\nb.txt": {H: "news"}}}, "page 'a\\nb.txt': unknown label 'news'"),
        ("[]", "not a page annotation"),
        ({"pages": []}, "not a page annotation"),
        ({"pages": {}}, "not a page annotation"),
        ({"pages": {"a.txt": ["x"]}}, "page 'a.txt': expected {paragraph sha256: label}"),
        ({"pages": {"a.txt": {H: ["x"]}}}, "page 'a.txt': expected {paragraph sha256: label}"),
        ({"pages": {"../a.txt": {H: "opinion"}}}, "page '../a.txt': a page is named by its file name"),
    ]:
        bad.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
        with pytest.raises(CorpusError, match=re.escape(f"{bad}: {problem}")):
            read_page_annotation(bad)
        result = runner.invoke(app, ["evaluate", "classifier", "--pages", str(tmp_path), "--page-labels", str(bad)])
        assert result.exit_code == 1 and result.output.count("\n") == 1 and f"bad.json: {problem}" in result.output
    with pytest.raises(CorpusError, match=r"absent\.json: no such file"):
        read_page_annotation(tmp_path / "absent.json")
    # An annotation none of whose paragraphs the pages give: one line, not a scikit-learn traceback.
    shutil.copy(demo_pages[0], tmp_path / demo_pages[0].name)
    bad.write_text(json.dumps({"pages": {demo_pages[0].name: {H: "opinion"}}}), encoding="utf-8")
    with pytest.raises(CorpusError, match="none of its 1 paragraphs is body text"):
        score_pages(bad, tmp_path, paragraph_model(), CleanOptions())


def test_page_evaluation_options_that_do_not_combine_are_refused(tmp_path: Path) -> None:
    for args, message in [
        (["--pages", str(tmp_path), "--data", str(tmp_path)], "takes no --data or --seeds"),
        (["--pages", str(tmp_path), "--seeds", str(tmp_path)], "takes no --data or --seeds"),
        (["--page-labels", str(tmp_path / "a.json")], "--page-labels needs --pages"),
    ]:
        result = runner.invoke(app, ["evaluate", "classifier", *args])
        assert result.exit_code == 2 and message in result.output, args


def test_pages_can_be_scored_with_each_paragraph_alone(demo_pages: list[Path], tmp_path: Path) -> None:
    model = paragraph_model()
    annotation = _annotate_every_body_paragraph(demo_pages, tmp_path)
    pages = read_page_annotation(annotation)
    alone = score_pages(annotation, tmp_path, model, CleanOptions(), page_context=False)
    texts = {
        _digest(b.text): b.text
        for page in demo_pages
        for b in clean(page.read_bytes(), source=page.name).blocks
        if b.kind == "body"
    }
    expected = [str(model.predict([texts[d]])[0]) for _, labels in sorted(pages.items()) for d in sorted(labels)]
    assert list(alone.predicted) == expected
    together = score_pages(annotation, tmp_path, model, CleanOptions())
    assert together.predicted != alone.predicted  # the blend changes some labels on these pages


def test_bundled_scrapinghub_annotations_hold_labels_not_text_and_share_no_paragraph() -> None:
    first = read_page_annotation(scrapinghub_annotation_file())
    heldout = read_page_annotation(scrapinghub_heldout_file())
    assert (len(first), sum(map(len, first.values()))) == (159, 611)
    assert (len(heldout), sum(map(len, heldout.values()))) == (143, 531)
    assert all(not set(labels) & set(first.get(page, {})) for page, labels in heldout.items())


def test_scrapinghub_figures_in_the_model_card_are_what_the_pages_give(scrapinghub: Path, manifest: dict) -> None:
    for annotation, row in [
        (scrapinghub_annotation_file(), "scrapinghub pages, body paragraphs (our labels)"),
        (scrapinghub_heldout_file(), "scrapinghub pages, held-out paragraphs (our labels)"),
    ]:
        report = evaluate_on_pages(paragraph_model(), annotation, scrapinghub / "html")
        assert report["missing"] == 0
        assert report == manifest["evaluations"][row]


def _annotate_every_body_paragraph(demo_pages: list[Path], folder: Path) -> Path:
    """Every body paragraph of the demo pages, all labelled opinion."""
    pages = {}
    for page in demo_pages:
        shutil.copy(page, folder / page.name)
        body = [b for b in clean(page.read_bytes(), source=page.name).blocks if b.kind == "body"]
        pages[page.name] = {_digest(b.text): "opinion" for b in body}
    annotation = folder / "labels.json"
    annotation.write_text(json.dumps({"pages": pages}), encoding="utf-8")
    return annotation


def test_page_evaluation_options_reach_the_scores(demo_pages: list[Path], tmp_path: Path) -> None:
    annotation = _annotate_every_body_paragraph(demo_pages, tmp_path)
    model = paragraph_model()
    # On these pages the blend changes labels, so a flag that did not reach the scores would show.
    assert evaluate_on_pages(model, annotation, tmp_path) != evaluate_on_pages(
        model, annotation, tmp_path, page_context=False
    )
    for flags, kwargs in [
        (["--paragraphs-alone"], {"page_context": False}),
        (["--opinion-vs-rest"], {"opinion_vs_rest": True}),
    ]:
        result = runner.invoke(
            app,
            ["evaluate", "classifier", "--pages", str(tmp_path), "--page-labels", str(annotation), "--json", *flags],
        )
        assert result.exit_code == 0, result.output
        assert json.loads(result.output) == evaluate_on_pages(model, annotation, tmp_path, **kwargs), flags
    assert "rest" in evaluate_on_pages(model, annotation, tmp_path, opinion_vs_rest=True)["labels"]


def test_seed_rows_of_the_model_card_are_what_the_seed_pages_give(shared_seeds: Path, manifest: dict) -> None:
    from cleaner.models import evaluate_on_seeds

    evaluations = manifest["evaluations"]
    assert evaluate_on_seeds(paragraph_model(), shared_seeds) == evaluations["seed pages, body paragraphs"]
    alone = evaluate_on_seeds(paragraph_model(), shared_seeds, page_context=False)
    assert alone == evaluations["seed pages, body paragraphs, each alone"]
