"""Reading labelled paragraphs: formats, and errors that name the file and line."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from cleaner.labelled import LABELS, DataError, read_labelled


def test_bundled_corpus_size_labels_topics_and_styles() -> None:
    data = read_labelled(Path(__file__).resolve().parent.parent / "seeds" / "paragraphs")
    labels = Counter(p.label for p in data)
    assert len(data) >= 1200
    assert all(labels[label] >= 350 for label in LABELS)
    assert len({p.topic for p in data}) >= 25
    assert len({p.style for p in data}) >= 8
    assert all(p.doc for p in data)


def test_jsonl_unknown_label_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "data.jsonl"
    path.write_text('{"text": "The court sat on Monday.", "label": "reporting"}\n{"text": "x", "label": "news"}\n')
    with pytest.raises(DataError, match=r"data\.jsonl:2: unknown label 'news'"):
        read_labelled(path)


def test_csv_missing_column(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text("text,category\nThe court sat on Monday.,reporting\n")
    with pytest.raises(DataError, match=r"data\.csv:1: missing column 'label'"):
        read_labelled(path)


def test_csv_empty_text_names_line(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text('text,label\n"The court sat.",reporting\n"",opinion\n')
    with pytest.raises(DataError, match=r"data\.csv:3: missing or empty column 'text'"):
        read_labelled(path)


def test_checkthat_tsv_maps_obj_and_subj(tmp_path: Path) -> None:
    path = tmp_path / "train.tsv"
    path.write_text(
        "sentence_id\tsentence\tlabel\tsolved_conflict\n"
        "1\tThe vote was 7-2.\tOBJ\tFalse\n"
        "2\tA shameful vote.\tSUBJ\tTrue\n"
    )
    data = read_labelled(path)
    assert [(p.text, p.label) for p in data] == [("The vote was 7-2.", "reporting"), ("A shameful vote.", "opinion")]


def test_checkthat_unknown_label(tmp_path: Path) -> None:
    path = tmp_path / "dev.tsv"
    path.write_text("1\tThe vote was 7-2.\tNEUTRAL\tFalse\n")
    with pytest.raises(DataError, match=r"dev\.tsv:1: unknown label 'NEUTRAL'"):
        read_labelled(path)


def test_data_files_as_spreadsheets_and_scrapers_write_them(tmp_path: Path) -> None:
    """A byte-order mark (Excel's "CSV UTF-8"), U+2028 inside a JSON string, a document id of 0,
    a 200 KB field and upper-case extensions in a folder are all read."""
    (tmp_path / "a.csv").write_bytes(b"\xef\xbb\xbftext,label,doc\nThe council voted 7-2.,reporting,0\n")
    long_text = "The council met again. " * 9000
    (tmp_path / "b.TSV").write_text(f"1\t{long_text}\tOBJ\n2\tWhat a waste.\tSUBJ\n", encoding="utf-8")
    jsonl = '{"text": "It voted.\u2028It left.", "label": "reporting", "doc": 0}\n' * 2
    (tmp_path / "c.jsonl").write_text("\ufeff" + jsonl, encoding="utf-8")
    data = read_labelled(tmp_path)
    assert [p.label for p in data] == ["reporting", "reporting", "opinion", "reporting", "reporting"]
    assert data[0].doc == "0" and data[3].doc == data[4].doc == "0"  # 0 is an id, not a missing one
    assert data[1].text == long_text and data[3].text == "It voted.\u2028It left."


def test_a_csv_error_names_file_and_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import cleaner.labelled as labelled

    monkeypatch.setattr(labelled, "CSV_FIELD_LIMIT", 1000)  # the csv module's own 128 KB limit then holds
    path = tmp_path / "bad.csv"
    path.write_text("text,label\nshort,reporting\n" + "x" * 200_000 + ",opinion\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"bad\.csv:3: not valid CSV \(field larger than field limit"):
        read_labelled(path)


@pytest.mark.parametrize(
    ("rows", "cv", "message"),
    [
        (["reporting"] * 8, False, r"only one label \(reporting\); training needs at least two"),
        (["reporting"] * 8 + ["opinion"] * 3, False, r"too few paragraphs of opinion 3; each label needs at least 5"),
        (["reporting"] * 6 + ["opinion"] * 6, True, r"2 documents; cross-validation by document needs at least 5"),
    ],
)
def test_training_data_a_model_cannot_fit_on_is_one_line(tmp_path: Path, rows: list[str], cv: bool, message: str):
    from typer.testing import CliRunner

    from cleaner.cli import app

    data = tmp_path / "mine.jsonl"
    records = [
        {"text": f"Paragraph {i} about the council.", "label": label, "doc": f"d{i % 2}"}
        for i, label in enumerate(rows)
    ]
    data.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    args = ["train", "paragraphs", "--data", str(data), "--out", str(tmp_path / "m.joblib")]
    args += [] if cv else ["--no-cv"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code != 0
    [line] = result.output.strip().splitlines()
    assert line.startswith(f"cleaner: error: {data}: ")
    assert re.search(message, line), line
    assert not (tmp_path / "m.joblib").exists()


def test_data_whose_cross_validation_folds_lack_a_label_is_one_line(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from cleaner.cli import app

    # Five opinion paragraphs in five documents: enough in all, but a training fold holds only four.
    records = [
        {"text": f"The council of town {d} met on day {k}.", "label": "reporting", "doc": f"r{d}"}
        for d in range(12)
        for k in range(3)
    ] + [{"text": f"I think plan {d} is a reckless idea.", "label": "opinion", "doc": f"o{d}"} for d in range(5)]
    data = tmp_path / "mine.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    args = ["train", "paragraphs", "--data", str(data), "--out", str(tmp_path / "m.joblib")]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    [line] = result.output.strip().splitlines()
    assert line.startswith(f"cleaner: error: {data}: cross-validation by document cannot be done"), line
    assert "too few paragraphs of opinion 4" in line and "--no-cv" in line
    assert not (tmp_path / "m.joblib").exists()
    assert CliRunner().invoke(app, [*args, "--no-cv"]).exit_code == 0


def test_shared_checkthat_files_read(shared_checkthat: Path) -> None:
    folder = shared_checkthat
    train = read_labelled(folder / "train_en.tsv")
    dev = read_labelled(folder / "dev_en.tsv")
    assert len(train) == 830 and len(dev) == 219


@pytest.fixture(scope="module")
def corpus():
    return read_labelled(Path(__file__).resolve().parent.parent / "seeds" / "paragraphs")


def test_classifier_probabilities_are_deterministic_and_sum_to_one(corpus) -> None:
    from cleaner.paragraphs import fit_classifier

    sample = corpus[::3]
    first, second = fit_classifier(sample), fit_classifier(sample)
    texts = [
        "The council voted 7-2 on Tuesday to close the pool, the clerk said.",
        "This decision is a mistake, and the council should reverse it before summer.",
        "In today's fast-paced world, stakeholders will be watching closely. Don't forget to subscribe!",
        "x" * 200_000,
        "Le conseil municipal a voté mardi la fermeture de la piscine.",
    ]
    a, b = first.predict_proba(texts), second.predict_proba(texts)
    assert a.shape == (5, 3) and (a == b).all()
    assert abs(a.sum(axis=1) - 1).max() < 1e-9
    assert set(first.classes_) == set(LABELS)
    assert first.predict_proba([]).shape == (0, 3)


def test_corpus_shares_no_eight_word_run_with_the_seed_pages(shared_seeds: Path) -> None:
    import re

    def runs(text: str) -> set[tuple[str, ...]]:
        words = re.findall(r"[a-z0-9']+", text.lower())
        return {tuple(words[i : i + 8]) for i in range(len(words) - 7)}

    seed_runs = set().union(*(runs(p.read_text(errors="replace")) for p in shared_seeds.glob("*.txt")))
    corpus = read_labelled(Path(__file__).resolve().parent.parent / "seeds" / "paragraphs")
    shared = [p.doc for p in corpus if runs(p.text) & seed_runs]
    assert not shared, f"paragraphs sharing text with the seed pages: {shared[:5]}"


def test_word_lists_are_sorted_well_formed_and_give_each_word_one_category() -> None:
    import re

    import cleaner.paragraphfeatures as features

    folder = Path(features.__file__).parent / "lexicon"
    seen: dict[str, str] = {}
    for name, lists in (("subjective.tsv", features.SUBJECTIVE), ("cues.tsv", features.CUES)):
        lines = (folder / name).read_text(encoding="utf-8").splitlines()
        assert lines == sorted(set(lines)), f"{name}: keep it sorted and free of repeats (LC_ALL=C sort -u)"
        for line in lines:
            category, word = line.split("\t")
            assert category in lists and re.fullmatch(r"[a-z]+(?:[-'][a-z]+)*", word), f"{name}: {line!r}"
            assert word not in seen, f"{word!r} is in {seen.get(word)} and {name}:{category}"
            seen[word] = f"{name}:{category}"
