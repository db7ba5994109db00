"""Model files load only when their sha256 matches the recorded one."""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path

import pytest
from conftest import copy_model

from cleaner import artifacts
from cleaner.corpus import training_pages
from cleaner.errors import ModelError
from cleaner.models import bundled_line_model_path, line_model, paragraph_model, train_line_model


@pytest.fixture(scope="module")
def small_pages():
    pages = training_pages()
    return [p for p in pages if p.style in {"wire", "contentfarm"}]


@pytest.fixture
def model_copy(tmp_path: Path) -> Path:
    return copy_model(bundled_line_model_path(), tmp_path)


def test_bundled_model_matches_its_manifest() -> None:
    path = bundled_line_model_path()
    manifest = json.loads(artifacts.manifest_path(path).read_text())
    assert hashlib.sha256(path.read_bytes()).hexdigest() == manifest["sha256"]
    assert manifest["training_lines"] >= 2000
    assert manifest["cross_validation"]["overall"]["f1"] >= 0.95


def test_tampered_model_is_refused(model_copy: Path) -> None:
    data = bytearray(model_copy.read_bytes())
    data[-10] ^= 0xFF
    model_copy.write_bytes(bytes(data))
    with pytest.raises(ModelError, match=r"sha256 does not match.*cleaner train lines"):
        artifacts.load(model_copy, "cleaner train lines")


def test_model_without_manifest_is_refused(model_copy: Path) -> None:
    artifacts.manifest_path(model_copy).unlink()
    with pytest.raises(ModelError, match="no manifest"):
        artifacts.load(model_copy, "cleaner train lines")


def test_missing_model_names_the_rebuild_command(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="cleaner train lines"):
        line_model(tmp_path / "nothing.joblib")


def test_training_is_deterministic(tmp_path: Path, small_pages) -> None:
    first = train_line_model(small_pages, tmp_path / "a.joblib")
    second = train_line_model(small_pages, tmp_path / "b.joblib")
    assert first["sha256"] == second["sha256"]
    assert (tmp_path / "a.joblib").read_bytes() == (tmp_path / "b.joblib").read_bytes()


def test_other_sklearn_version_rebuilds_into_the_cache(
    model_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, small_pages
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    manifest_file = artifacts.manifest_path(model_copy)
    manifest = json.loads(manifest_file.read_text())
    manifest["sklearn_version"] = "0.0.1"
    manifest_file.write_text(json.dumps(manifest))

    def retrain(out: Path) -> dict:
        return train_line_model(small_pages, out)

    model, _ = artifacts.load_for_this_sklearn(model_copy, rebuild="cleaner train lines", retrain=retrain)
    notice = capsys.readouterr().err.strip().splitlines()
    assert len(notice) == 1 and "retraining it from seeds/" in notice[0]
    cached = list((tmp_path / "cache" / "cleaner").glob("*.joblib"))
    assert len(cached) == 1
    assert model.predict([["By Ana Ruiz", "The council met on Tuesday and voted to close the pool."]])


def test_a_users_model_from_another_scikit_learn_loads_with_one_notice(model_copy: Path, capsys) -> None:
    manifest_file = artifacts.manifest_path(model_copy)
    manifest = json.loads(manifest_file.read_text())
    manifest["sklearn_version"] = "0.0.1"
    manifest_file.write_text(json.dumps(manifest))
    line_model(model_copy)
    line_model(model_copy)  # kept in memory: said once
    [notice] = capsys.readouterr().err.strip().splitlines()
    assert notice.startswith(f"cleaner: notice: {model_copy} was built with scikit-learn 0.0.1, installed is ")
    assert notice.endswith(f"rebuild with `cleaner train lines --out {model_copy}`")  # a copy of the bundled one


def test_a_cache_that_cannot_be_written_rebuilds_once_in_memory(
    model_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, small_pages
) -> None:
    (tmp_path / "not-a-folder").write_text("a file where the cache folder would go")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "not-a-folder"))
    manifest_file = artifacts.manifest_path(model_copy)
    manifest = json.loads(manifest_file.read_text())
    manifest["sklearn_version"] = "0.0.1"
    manifest_file.write_text(json.dumps(manifest))
    model, _ = artifacts.load_for_this_sklearn(
        model_copy, rebuild="cleaner train lines", retrain=lambda out: train_line_model(small_pages, out)
    )
    notices = capsys.readouterr().err.strip().splitlines()
    assert len(notices) == 2 and "retraining it from seeds/" in notices[0]
    assert "cannot save the rebuild in" in notices[1] and "for this process only" in notices[1]
    assert model.predict([["By Ana Ruiz", "The council met on Tuesday and voted to close the pool."]])


def test_a_run_fingerprints_the_rebuild_it_uses_not_the_bundled_file(
    model_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_pages
) -> None:
    import cleaner.models as models
    from cleaner.options import CleanOptions

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    small = train_line_model(small_pages, tmp_path / "small.joblib")
    manifest_file = artifacts.manifest_path(model_copy)
    manifest = json.loads(manifest_file.read_text())
    manifest.update(sklearn_version="0.0.1", training_data_sha256=small["training_data_sha256"])
    manifest_file.write_text(json.dumps(manifest))

    def load_copy():
        retrain = lambda out: train_line_model(small_pages, out)  # noqa: E731
        return artifacts.load_for_this_sklearn(model_copy, rebuild="cleaner train lines", retrain=retrain)[0]

    monkeypatch.setattr(models, "bundled_line_model_path", lambda: model_copy)
    monkeypatch.setattr(models, "line_model", load_copy)
    fingerprint = models.model_fingerprints(CleanOptions())["lines"]
    [rebuilt] = (tmp_path / "cache" / "cleaner").glob("*.joblib")
    assert fingerprint == hashlib.sha256(rebuilt.read_bytes()).hexdigest() != manifest["sha256"]


def test_a_missing_model_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=r"nothing\.joblib: no such model file; rebuild with `cleaner train lines"):
        line_model(tmp_path / "nothing.joblib")


def test_a_manifest_that_is_not_an_object_is_refused(model_copy: Path) -> None:
    artifacts.manifest_path(model_copy).write_text("[1, 2]")
    with pytest.raises(ModelError, match="not a model manifest"):
        artifacts.load(model_copy, "cleaner train lines")


def test_a_file_that_is_not_a_model_is_not_offered_as_the_rebuild_target(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("Council approves new bus lanes\n")
    with pytest.raises(ModelError, match=r"--out MODEL\.joblib") as caught:
        line_model(page)
    assert "--out " + str(page) not in str(caught.value)


def test_a_paragraph_classifier_given_as_the_line_model_is_named_as_such() -> None:
    from cleaner.models import bundled_paragraph_model_path

    hint = "a paragraph classifier, not a line model; give it to the command's paragraph classifier option"
    with pytest.raises(ModelError, match=hint):
        line_model(bundled_paragraph_model_path())


def test_a_model_many_threads_ask_for_at_a_cold_start_is_loaded_once(tmp_path: Path, monkeypatch) -> None:
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    import cleaner.models as models

    loads: list[Path] = []

    def slow_load(path: Path, **_: object) -> object:
        loads.append(path)
        time.sleep(0.2)  # still loading when the other threads ask
        return object()

    def ask(loader, path: Path, start: threading.Barrier) -> object:
        start.wait()
        return loader(path)

    monkeypatch.setattr(models, "_load_model", slow_load)
    threads = 8
    for loader in (models.line_model, models.paragraph_model):
        path = tmp_path / f"{loader.__name__}.joblib"  # a path no other test has loaded
        start = threading.Barrier(threads)
        with ThreadPoolExecutor(threads) as pool:
            got = [future.result() for future in [pool.submit(ask, loader, path, start) for _ in range(threads)]]
        assert loads.count(path) == 1 and all(model is got[0] for model in got)


def test_the_line_network_runs_a_long_page_in_slices_with_the_same_results() -> None:
    import numpy as np

    from cleaner.linemodel import FORWARD_ROWS

    network = line_model()._forward()
    rows = np.random.default_rng(0).normal(size=(2 * FORWARD_ROWS + 5, network.hidden_weights.shape[0]))
    whole = network(rows)  # three slices
    one_by_one = np.vstack([network(rows[i : i + 1]) for i in range(0, len(rows), 997)])
    assert whole.shape == (len(rows), network.output_bias[0].shape[0])
    assert np.allclose(whole[::997], one_by_one) and np.allclose(whole.sum(axis=1), 1.0)


def test_a_line_model_built_on_other_line_features_says_to_rebuild(tmp_path: Path) -> None:
    """A model saved by a version of cleaner that computed other line features (its file is
    intact and hash-checked) is refused with the rebuild command, not a numpy shape error."""
    older = copy.copy(line_model(None))
    older.feature_low_ = older.feature_low_[:-2]
    path = tmp_path / "older.joblib"
    artifacts.save(older, path, info={"built_by": "cleaner train lines"})
    with pytest.raises(ModelError, match=r"older\.joblib: built on \d+ line features.*`cleaner train lines --out "):
        line_model(path)


def test_a_paragraph_model_built_on_other_paragraph_features_says_to_rebuild(tmp_path: Path) -> None:
    """As for line models: a classifier saved before the furniture words (37 linguistic features)
    failed in a numpy broadcast when it labelled a paragraph."""
    older = copy.deepcopy(paragraph_model(None))
    linguistic = dict(older.pipeline_.named_steps["features"].transformer_list)["linguistic"]
    scaler = linguistic.steps[-1][1]
    scaler.n_features_in_, scaler.mean_, scaler.scale_ = (
        scaler.n_features_in_ - 1,
        scaler.mean_[:-1],
        scaler.scale_[:-1],
    )
    path = tmp_path / "older.joblib"
    artifacts.save(older, path, info={"built_by": "cleaner train paragraphs --data mine.jsonl --out older.joblib"})
    with pytest.raises(ModelError, match=r"older\.joblib: built on \d+ paragraph features.*`cleaner train paragraphs"):
        paragraph_model(path)


def test_a_line_model_records_the_command_that_builds_it_again(tmp_path: Path, small_pages) -> None:
    model = tmp_path / "mine.joblib"
    manifest = train_line_model(small_pages, model, data=Path("my pages"))
    assert manifest["built_by"] == f"cleaner train lines --data 'my pages' --out {model}"
    model.write_bytes(model.read_bytes()[:-1])  # cut short
    with pytest.raises(ModelError, match=f"rebuild with `cleaner train lines --data 'my pages' --out {model}`"):
        line_model(model)


def test_a_hint_never_spans_lines_and_a_missing_line_model_needs_no_data(tmp_path: Path, small_pages) -> None:
    model = tmp_path / "mine.joblib"
    train_line_model(small_pages, model, data=Path("odd\nname"))
    model.write_bytes(model.read_bytes()[:-1])
    with pytest.raises(ModelError, match=f"rebuild with `cleaner train lines --data DATA --out {model}`$"):
        line_model(model)
    with pytest.raises(ModelError, match=r"rebuild with `cleaner train lines --out \S*nothing\.joblib`$"):
        line_model(tmp_path / "nothing.joblib")


def test_smoothing_keeps_a_confident_title_and_drops_a_likely_boilerplate_line_before_the_body() -> None:
    """The bundled model's priors and transitions, on made-up line probabilities: dividing by the
    whole prior (the old weights 1 / 0.7) made a line at p=0.85 boilerplate a heading; not dividing
    at all (0) lost a title at p=0.98 between chrome lines."""
    import numpy as np

    from cleaner.document import KINDS

    def row(**p: float) -> np.ndarray:
        r = np.full(len(KINDS), 1e-4)
        for kind, value in p.items():
            r[KINDS.index(kind)] = value
        return r / r.sum()

    chrome, body = row(boilerplate=1.0), row(body=1.0)
    comment_count = np.array([chrome, chrome, row(boilerplate=0.85, heading=0.145), body, body])
    title_in_chrome = np.array([chrome, chrome, row(title=0.98, boilerplate=0.02), chrome, chrome, body])

    def kinds(model, proba: np.ndarray) -> list[str]:
        return [KINDS[k] for k in model._viterbi(proba)]

    model = line_model()
    assert (model.prior_weight, model.transition_weight) == (0.75, 0.5)
    assert kinds(model, comment_count)[2] == "boilerplate"
    assert kinds(model, title_in_chrome)[2] == "title"
    divided, undivided = copy.copy(model), copy.copy(model)
    divided.prior_weight, divided.transition_weight = 1.0, 0.7
    undivided.prior_weight, undivided.transition_weight = 0.0, 0.7
    assert kinds(divided, comment_count)[2] == "heading"
    assert kinds(undivided, title_in_chrome)[2] == "boilerplate"
