"""`cleaner train paragraphs`, `cleaner evaluate classifier`, `cleaner classify` and labels in `clean --json`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner.cli import app

CHECKTHAT_BAR = 0.70
runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args))


@pytest.mark.xfail(strict=True, reason="issue 3 bar not met yet: retrained on CheckThat! train, dev macro-F1 0.657")
def test_retrained_on_checkthat_train_scores_on_dev(shared_checkthat: Path, tmp_path: Path) -> None:
    model = tmp_path / "checkthat.joblib"
    trained = invoke("train", "paragraphs", "--data", str(shared_checkthat / "train_en.tsv"), "--out", str(model))
    assert trained.exit_code == 0, trained.output
    assert "cross-validation" in trained.output
    scored = invoke(
        "evaluate", "classifier", "--data", str(shared_checkthat / "dev_en.tsv"), "--model", str(model), "--json"
    )
    assert scored.exit_code == 0, scored.output
    report = json.loads(scored.output)
    assert report["labels"] == ["reporting", "opinion"]
    assert report["n"] == 219
    assert report["macro_f1"] >= CHECKTHAT_BAR


def test_training_on_user_data_needs_out(tmp_path: Path) -> None:
    data = tmp_path / "mine.jsonl"
    data.write_text('{"text": "The court sat on Monday.", "label": "reporting"}\n')
    result = invoke("train", "paragraphs", "--data", str(data))
    assert result.exit_code == 2
    assert "give --out" in result.output


def test_bad_training_data_is_one_line_naming_file_and_line(tmp_path: Path) -> None:
    data = tmp_path / "mine.csv"
    data.write_text('text,label\n"The court sat.",reporting\n"Great news.",positive\n')
    result = invoke("train", "paragraphs", "--data", str(data), "--out", str(tmp_path / "m.joblib"))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines == [f"cleaner: error: {data}:3: unknown label 'positive' (expected one of reporting, opinion, filler)"]
    assert not (tmp_path / "m.joblib").exists()


def test_evaluate_classifier_prints_per_class_scores_and_confusion(tmp_path: Path) -> None:
    data = tmp_path / "few.jsonl"
    rows = [
        {"text": "The council voted 7-2 on Tuesday to close the pool, the clerk said.", "label": "reporting"},
        {"text": "Closing the pool is a mistake the council will regret; it should think again.", "label": "opinion"},
        {"text": "Don't forget to like, share and subscribe for more updates every week!", "label": "filler"},
    ]
    data.write_text("".join(json.dumps(r) + "\n" for r in rows))
    result = invoke("evaluate", "classifier", "--data", str(data))
    assert result.exit_code == 0, result.output
    assert "macro-F1" in result.output and "confusion" in result.output
    for label in ("reporting", "opinion", "filler"):
        assert label in result.output


def test_paragraphs_alone_that_are_not_english_are_one_notice_line(tmp_path: Path) -> None:
    import subprocess
    import sys

    spanish = [
        "El pleno del ayuntamiento aprobó el martes por la tarde el nuevo plan de movilidad urbana, que "
        "reduce el tráfico en el centro histórico y amplía la red de carriles para bicicletas.",
        "La concejala de urbanismo explicó que las obras empezarán en primavera y durarán dos años, con "
        "un presupuesto de catorce millones de euros financiado en parte por fondos europeos.",
    ]
    data = tmp_path / "es.jsonl"
    records = [{"text": text, "label": label} for text, label in zip(spanish, ("reporting", "opinion"))]
    data.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    command = [sys.executable, "-m", "cleaner", "evaluate", "classifier", "--data", str(data), "--paragraphs-alone"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stderr == (
        "cleaner: notice: the 2 paragraphs do not look like English; their labels are unreliable\n"
    )


def test_classify_prints_labels_and_probabilities(demo_pages: list[Path]) -> None:
    result = invoke("classify", str(demo_pages[0]))
    assert result.exit_code == 0, result.output
    labelled = [line for line in result.output.splitlines() if line.startswith("[")]
    assert labelled
    assert all(line.split("]")[0][1:] in {"reporting", "opinion", "filler"} for line in labelled)


def test_clean_json_body_blocks_carry_label_and_scores(demo_pages: list[Path]) -> None:
    result = invoke("clean", str(demo_pages[0]), "--json")
    assert result.exit_code == 0, result.output
    blocks = json.loads(result.output)["blocks"]
    body = [b for b in blocks if b["kind"] == "body"]
    assert body
    for block in body:
        assert set(block["scores"]) == {"reporting", "opinion", "filler"}
        assert abs(sum(block["scores"].values()) - 1) < 1e-3
        assert block["label"] == max(block["scores"], key=block["scores"].get)
    assert all("label" not in b for b in blocks if b["kind"] != "body")


def test_classify_notices_name_the_file_on_one_line(tmp_path: Path) -> None:
    page = tmp_path / "a\nb.txt"  # a name with a line break, and text that is not UTF-8
    page.write_bytes("Café owners said on Tuesday that the council’s new fees would close shops.\n".encode("cp1252"))
    result = runner.invoke(app, ["classify", str(page)])
    notices = [line for line in result.stderr.splitlines() if line.startswith("cleaner: notice:")]
    assert notices and all("a\\nb.txt: decoded from" in line for line in notices), result.stderr


def _two_label_data(path: Path, second: str = "opinion") -> Path:
    rows = [
        {"text": f"The council voted {i} to 2 on Tuesday, the clerk said.", "label": "reporting", "doc": f"r{i}"}
        for i in range(6)
    ] + [
        {"text": f"Closing pool number {i} is a mistake the council will regret.", "label": second, "doc": f"o{i}"}
        for i in range(6)
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_a_model_retrained_into_the_same_file_is_loaded_again(tmp_path: Path) -> None:
    from cleaner.models import paragraph_model

    model = tmp_path / "mine.joblib"
    for second in ("opinion", "filler"):
        data = _two_label_data(tmp_path / f"{second}.jsonl", second)
        assert invoke("train", "paragraphs", "--data", str(data), "--out", str(model), "--no-cv").exit_code == 0
        assert set(paragraph_model(model).classes_) == {"reporting", second}


def test_the_bundled_model_retrained_in_place_is_loaded_again(tmp_path: Path, monkeypatch) -> None:
    import cleaner.models as models
    from cleaner.labelled import read_labelled

    bundled = tmp_path / "paragraphs.joblib"
    data = _two_label_data(tmp_path / "mine.jsonl")
    models.train_paragraph_model(read_labelled(data), bundled, sources=[str(data)])
    monkeypatch.setattr(models, "bundled_paragraph_model_path", lambda: bundled)
    assert set(models.paragraph_model().classes_) == {"reporting", "opinion"}
    models.train_paragraph_model(read_labelled(_two_label_data(data, "filler")), bundled, sources=[str(data)])
    assert set(models.paragraph_model().classes_) == {"reporting", "filler"}


def test_a_model_without_filler_gives_an_empty_paragraph_its_training_shares(tmp_path: Path) -> None:
    from cleaner.models import paragraph_model

    data = _two_label_data(tmp_path / "mine.jsonl")
    with data.open("a") as extra:  # more reporting than opinion: reporting's share is larger
        extra.write(
            json.dumps({"text": "The mayor said on Friday the road would reopen.", "label": "reporting"}) + "\n"
        )
    model = tmp_path / "mine.joblib"
    assert invoke("train", "paragraphs", "--data", str(data), "--out", str(model), "--no-cv").exit_code == 0
    classifier = paragraph_model(model)
    assert classifier.predict_proba(["", " "]).tolist() == [classifier.class_prior_.tolist()] * 2
    assert list(classifier.predict([""])) == ["reporting"]  # not "opinion", first in the alphabet


def test_the_rebuild_hint_for_a_users_model_keeps_its_training_data(tmp_path: Path) -> None:
    data = _two_label_data(tmp_path / "mine.jsonl")
    model = tmp_path / "mine.joblib"
    assert invoke("train", "paragraphs", "--data", str(data), "--out", str(model), "--no-cv").exit_code == 0
    tampered = bytearray(model.read_bytes())
    tampered[-10] ^= 0xFF
    model.write_bytes(bytes(tampered))
    result = invoke("classify", str(data), "--model", str(model))
    assert result.exit_code == 1
    assert f"rebuild with `cleaner train paragraphs --data {data} --out {model}`" in result.output
    artifacts_manifest = model.with_name("mine.manifest.json")
    artifacts_manifest.unlink()  # nothing records the data: the hint says to give it
    result = invoke("classify", str(data), "--model", str(model))
    assert f"rebuild with `cleaner train paragraphs --data DATA --out {model}`" in result.output


@pytest.mark.parametrize(
    ("out", "message"),
    [
        ("folder", r"a folder; --out names the model file"),
        ("model.md", r"--out names a file ending in \.joblib"),
        ("mine.jsonl", r"--out names a file ending in \.joblib"),
        (".joblib", r"--out names a file ending in \.joblib"),
        ("afile/m.joblib", r"afile is not a folder"),
    ],
)
def test_an_out_that_cannot_take_a_model_is_refused_before_training(tmp_path: Path, out: str, message: str) -> None:
    data = _two_label_data(tmp_path / "mine.jsonl")
    (tmp_path / "folder").mkdir()
    (tmp_path / "afile").write_text("a file, not a folder")
    before = sorted(p.name for p in tmp_path.iterdir())
    for command in (["paragraphs", "--data", str(data)], ["lines"]):
        result = invoke("train", *command, "--out", str(tmp_path / out))
        assert result.exit_code == 1
        [line] = result.output.strip().splitlines()
        assert line.startswith(f"cleaner: error: {tmp_path / out}: ") and re.search(message, line), line
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_bad_data_with_a_new_out_folder_leaves_no_folder_behind(tmp_path: Path) -> None:
    result = invoke(
        "train", "paragraphs", "--data", str(tmp_path / "nowhere.jsonl"), "--out", str(tmp_path / "new" / "m.joblib")
    )
    assert result.exit_code == 1 and not (tmp_path / "new").exists()
