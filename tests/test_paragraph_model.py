"""The shipped paragraph classifier: its manifest, card, loading, bad input and reference scores."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from conftest import copy_model

from cleaner import artifacts
from cleaner.errors import ModelError
from cleaner.labelled import LABELS, data_hash
from cleaner.labelling import label_body
from cleaner.language import NOT_ENGLISH_NOTICE
from cleaner.modelcard import card_path
from cleaner.models import (
    bundled_paragraph_model_path,
    bundled_paragraphs,
    evaluate_on_seeds,
    evaluate_paragraph_model,
    paragraph_model,
    train_paragraph_model,
)

CV_BAR = 0.90
SEED_BAR = 0.80


@pytest.fixture(scope="module")
def manifest() -> dict:
    return json.loads(artifacts.manifest_path(bundled_paragraph_model_path()).read_text())


@pytest.fixture
def model_copy(tmp_path: Path) -> Path:
    return copy_model(bundled_paragraph_model_path(), tmp_path)


def test_bundled_model_matches_manifest_and_current_corpus(manifest: dict) -> None:
    path = bundled_paragraph_model_path()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == manifest["sha256"]
    # Trained on the corpus as it stands: editing seeds/paragraphs means retraining.
    assert manifest["training_data_sha256"] == data_hash(bundled_paragraphs())
    assert manifest["cross_validation"]["macro_f1"] >= CV_BAR
    assert "grouped by document" in manifest["cross_validation"]["method"]


def test_the_saved_model_holds_no_memory_address() -> None:
    # scikit-learn's vectorizers record id(stop_words); kept, it made each build's file differ.
    features = paragraph_model().pipeline_.named_steps["features"]
    assert all("_stop_words_id" not in vars(t) for _, t in features.transformer_list)


def test_model_card_shows_the_manifest_figures(manifest: dict) -> None:
    card = card_path(bundled_paragraph_model_path()).read_text()
    assert manifest["sha256"] in card
    assert f"{manifest['cross_validation']['macro_f1']:.3f}" in card
    for name, report in manifest["evaluations"].items():
        assert name in card and f"{report['macro_f1']:.3f}" in card


def test_a_model_card_describes_only_the_labels_its_model_has(manifest: dict) -> None:
    from cleaner.modelcard import render_model_card

    two = render_model_card({**manifest, "labels": ["opinion", "reporting"]})
    assert "**reporting** (" in two and "**opinion** (" in two and "**filler**" not in two.split("## Model")[0]
    three = render_model_card(manifest).split("## Model")[0]
    assert three.index("**reporting**") < three.index("**opinion**") < three.index("**filler**")


def test_tampered_model_is_refused_with_the_rebuild_command(model_copy: Path) -> None:
    data = bytearray(model_copy.read_bytes())
    data[-10] ^= 0xFF
    model_copy.write_bytes(bytes(data))
    with pytest.raises(ModelError, match=r"sha256 does not match.*cleaner train paragraphs"):
        paragraph_model(model_copy)


def test_missing_model_names_the_rebuild_command(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="cleaner train paragraphs"):
        paragraph_model(tmp_path / "nothing.joblib")


def test_line_model_file_is_not_a_paragraph_model() -> None:
    from cleaner.models import bundled_line_model_path

    with pytest.raises(ModelError, match="not a paragraph classifier"):
        paragraph_model(bundled_line_model_path())


def test_bad_paragraphs_get_sensible_labels() -> None:
    model = paragraph_model()
    texts = ["", "   \n\t", "x " * 100_000, "Le conseil municipal a voté mardi la fermeture de la piscine."]
    from cleaner.paragraphs import NotEnglishWarning

    with pytest.warns(NotEnglishWarning, match="^the 4 paragraphs"):  # 100,000 words without a stopword
        proba = model.predict_proba(texts)
    assert proba.shape == (4, len(LABELS))
    assert abs(proba.sum(axis=1) - 1).max() < 1e-9
    # Nothing to say is filler.
    assert list(model.predict(texts[:2])) == ["filler", "filler"]


def test_an_articles_own_table_rows_are_reporting_not_page_furniture() -> None:
    """Batches of page furniture (captions, credits, promotions) once held flattened data tables as
    filler, and the model then called a sports page's stats table filler, costing it 17 points."""
    texts = [
        "The Carrow Storm stayed top of the table on Saturday, beating the Lindqvist Rovers 24-18 at home.",
        "Winger Ade Okafor scored twice in the first half, and the defence held out through a late Rovers set.",
        "Pos | Team | P | W | L | Pts",
        "1 | Carrow Storm | 9 | 9 | 0 | 18",
        "2 | Lindqvist Rovers | 9 | 6 | 3 | 12",
        "QB | Dane Rooker | 61 | 100% | 22 of 31, 248 yards, 2 TD, 1 INT.",
        "WR | Lucas Obi | 54 | 89% | 6 catches, 97 yards, 1 TD.",
    ]
    model = paragraph_model()
    labels = model.classes_[model.predict_proba_page(texts).argmax(axis=1)]
    assert list(labels) == ["reporting"] * len(texts)


def test_the_ngrams_read_quoted_speech_as_one_placeholder_word() -> None:
    from cleaner.paragraphs import QUOTE_PLACEHOLDER, mask_quotes

    q = QUOTE_PLACEHOLDER
    assert mask_quotes("“A disgrace,” she said.") == f"{q} she said."
    assert mask_quotes('He called it "a disgrace" and left.') == f"He called it {q} and left."
    # A quote that runs on into the next paragraph has no closing mark: it runs to the end.
    assert mask_quotes("“We will fight this ruling in every court") == q
    assert mask_quotes('Two: "one" and "two".') == f"Two: {q} and {q}."
    # Apostrophes and single quotes are the writer's text (’ is both).
    plain = "The mayor’s plan, ‘Better Streets’, isn’t cheap."
    assert mask_quotes(plain) is plain


def test_opinion_inside_quotation_marks_is_reporting() -> None:
    """A report quoting someone's opinion is still reporting; the same words in the writer's own
    voice are opinion. The model before quotes were masked called the third paragraph opinion (0.90)
    and gave the others 0.50-0.63."""
    quoted = [
        "“This is the most reckless budget I have seen in thirty years, and the council should be ashamed "
        "of it,” said Maria Delgado, who chairs the finance committee.",
        "“Frankly, it is a terrible decision and a betrayal of every family in this town,” Councillor Ben "
        "Osei told reporters on Monday.",
        '"We played brilliantly tonight. I think this team can win the whole thing, and honestly nobody '
        'should doubt us," coach Tara Lindqvist said after the game.',
        "“I believe the ruling is wrong and deeply unfair to the workers,” the union’s lawyer said outside "
        "the court. “We will appeal.”",
    ]
    own_voice = (
        "The plan is reckless, and the council should be ashamed of it. Nobody who cares about this town could "
        "defend it."
    )
    labelled = paragraph_model().labelled([*quoted, own_voice])
    assert [label for label, _ in labelled] == ["reporting"] * len(quoted) + ["opinion"]
    assert all(scores["reporting"] > 0.8 for _, scores in labelled[: len(quoted)])


def test_a_paragraph_of_invisible_characters_is_empty() -> None:
    model = paragraph_model()
    invisible = ["\u200b", "\ufeff \u00ad", "\u200e\u2060"]
    assert (model.predict_proba(invisible) == model.predict_proba([""] * 3)).all()


def test_a_string_or_a_non_string_paragraph_is_a_clear_type_error() -> None:
    model = paragraph_model()
    for method in (model.predict, model.predict_proba, model.labelled):
        for single in ("The council voted 7-2 on Tuesday.", b"The council voted."):  # not one label per character
            with pytest.raises(TypeError, match=f"not a single {type(single).__name__} .wrap it in a list"):
                method(single)
        for bad in (None, b"The council voted.", 5):
            with pytest.raises(TypeError, match=rf"X\[1\] is {type(bad).__name__}, not str"):
                method(["The council voted.", bad])
        with pytest.raises(TypeError, match="X must be a list of paragraphs"):
            method(5)
    assert list(model.predict(p for p in ("The council voted 7-2 on Tuesday.",))) == ["reporting"]


def test_paragraph_features_count_capitals_and_superlatives_in_any_case() -> None:
    from cleaner.paragraphfeatures import FEATURE_NAMES, paragraph_features

    def feature(text: str, name: str) -> float:
        return paragraph_features(text)[FEATURE_NAMES.index(name)]

    # A capital after a sentence's first word, ASCII or not ("ϒ" has no lower case at all).
    assert feature("the plan. then Ana came", "proper_noun_rate") == 1 / 5
    assert feature("the ϒ one", "proper_noun_rate") == 1 / 3
    assert feature("the plan was fine", "proper_noun_rate") == 0
    # Superlatives from the list and any "-iest", in whatever case they are written.
    assert feature("HapPIEST BEST day, the loveliest", "superlative_rate") == 3 / 5
    assert feature("the plan was fine", "superlative_rate") == 0


def test_paragraph_features_read_curly_apostrophes_and_page_furniture() -> None:
    from cleaner.paragraphfeatures import FEATURE_NAMES, paragraph_features

    def feature(text: str, name: str) -> float:
        return paragraph_features(text)[FEATURE_NAMES.index(name)]

    # Pages print ’ where the word lists have ': "don’t" is a negation, "I’m" the first person.
    assert feature("We don’t know", "negation_rate") == feature("We don't know", "negation_rate") == 1 / 3
    assert feature("I’m sure", "first_singular_rate") == 1 / 2
    # Credits, promotions and notices of the outlet itself.
    assert feature("Photo courtesy of the Harbour Trust", "cue_furniture_rate") == 2 / 6
    assert feature("Subscribe to our newsletter", "cue_furniture_rate") == 2 / 4
    assert feature("The council voted to close the pool", "cue_furniture_rate") == 0


def test_fitting_on_labels_a_model_cannot_learn_is_a_clear_error() -> None:
    from cleaner.paragraphs import ParagraphClassifier

    texts = [f"The council met on day {k} and approved the budget." for k in range(12)]
    with pytest.raises(ValueError, match="only one label"):
        ParagraphClassifier().fit(texts, ["reporting"] * 12)
    with pytest.raises(ValueError, match="too few paragraphs of opinion 2; each label needs at least 5"):
        ParagraphClassifier().fit(texts, ["reporting"] * 10 + ["opinion"] * 2)
    with pytest.raises(ValueError, match="12 paragraphs but 11 labels"):
        ParagraphClassifier().fit(texts, ["reporting", "opinion"] * 5 + ["opinion"])
    with pytest.raises(TypeError, match="not a single str"):
        ParagraphClassifier().fit("one paragraph", ["reporting"])
    with pytest.raises(ValueError, match="12 paragraphs but 11 labels"):
        ParagraphClassifier().fit(texts, (label for label in ["reporting", "opinion"] * 5 + ["opinion"]))


def test_fit_takes_labels_and_folds_as_scikit_learn_does() -> None:
    import numpy as np
    from sklearn.model_selection import KFold

    from cleaner.paragraphs import ParagraphClassifier

    texts = [f"The council met on day {k} and approved the budget." for k in range(10)]
    texts += [f"I think plan {k} is a reckless idea we must reject." for k in range(10)]
    labels = ["reporting"] * 10 + ["opinion"] * 10
    column = np.array(labels).reshape(-1, 1)
    with pytest.warns(UserWarning, match="column-vector"):  # scikit-learn's own DataConversionWarning
        assert list(ParagraphClassifier().fit(texts, column).classes_) == ["opinion", "reporting"]
    assert list(ParagraphClassifier().fit(texts, iter(labels)).classes_) == ["opinion", "reporting"]
    split = ParagraphClassifier(calibration_folds=KFold(3, shuffle=True, random_state=0)).fit(texts, labels)
    assert split.predict(texts).tolist() == labels  # two plain templates: each is learnt


def test_probabilities_are_deterministic() -> None:
    model = paragraph_model()
    texts = [p.text for p in bundled_paragraphs()[:50]]
    assert (model.predict_proba(texts) == model.predict_proba(texts)).all()


def test_non_english_body_gets_a_notice() -> None:
    from cleaner import clean

    page = "\n\n".join(
        [
            "El ayuntamiento aprueba el nuevo plan de movilidad",
            "El pleno del ayuntamiento aprobó el martes por la tarde el nuevo plan de movilidad urbana, "
            "que reduce el tráfico en el centro histórico y amplía la red de carriles para bicicletas.",
            "La concejala de urbanismo explicó que las obras empezarán en primavera y durarán dos años, "
            "con un presupuesto de catorce millones de euros financiado en parte por fondos europeos.",
        ]
    )
    doc = clean(page)
    assert NOT_ENGLISH_NOTICE in doc.notices
    assert all(b.label for b in doc.blocks if b.kind == "body")


def test_the_library_warns_of_paragraphs_that_are_not_english() -> None:
    import warnings

    from cleaner.paragraphs import NotEnglishWarning

    spanish = (
        "El pleno del ayuntamiento aprobó el martes por la tarde el nuevo plan de movilidad urbana, "
        "que reduce el tráfico en el centro histórico y amplía la red de carriles para bicicletas."
    )
    english = "The council approved the new transport plan on Tuesday evening, the mayor's office said."
    model = paragraph_model()
    with pytest.warns(NotEnglishWarning, match="^the 2 paragraphs do not look like English; their labels") as caught:
        proba = model.predict_proba([spanish, spanish.upper()])
    assert caught[0].filename == __file__  # said where the library was called
    assert proba.shape == (2, len(model.classes_))  # scored all the same
    with pytest.warns(NotEnglishWarning, match="^the paragraph does not"):
        model.predict([spanish])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.predict_proba([english, ""])
        # Judged together, as a page is: one paragraph of buzzwords, with few stopwords, is no sign.
        buzzwords = (
            "Robust scalable synergies, transformative stakeholder alignment, seamless digital "
            "ecosystems, holistic frameworks, actionable insights, cutting-edge paradigms, "
            "future-ready solutions, dynamic innovation pipelines and agile value creation."
        )
        model.predict_proba([buzzwords, english, english])
        model.labelled([english, spanish], page=True)  # a page's notice is the document's, not a warning
        from cleaner import clean

        second = (
            "La concejala de urbanismo explicó que las obras empezarán en primavera y durarán dos años, con "
            "un presupuesto de catorce millones de euros financiado en parte por fondos europeos."
        )
        doc = clean(f"Nuevo plan de movilidad\n\n{spanish}\n\n{second}\n", source="es.txt")
        assert any(block.kind == "body" for block in doc.blocks)
        relabelled = label_body(doc, model, page_context=False)  # as evaluate --paragraphs-alone labels
        assert relabelled.notices.count(NOT_ENGLISH_NOTICE) == 1


def test_label_body_leaves_documents_without_body_alone() -> None:
    from cleaner.document import Block, Document

    doc = Document(source="x", blocks=(Block("boilerplate", "Home | News", (1, 1), "menu"),))
    assert label_body(doc, paragraph_model()) is doc


def test_training_is_deterministic(tmp_path: Path) -> None:
    sample = bundled_paragraphs()[::4]
    first = train_paragraph_model(sample, tmp_path / "a.joblib", sources=["sample"])
    second = train_paragraph_model(sample, tmp_path / "b.joblib", sources=["sample"])
    assert first["sha256"] == second["sha256"]
    # The card of a model trained on other data names the command that rebuilds it, and does not
    # describe the bundled corpus.
    card = card_path(tmp_path / "a.joblib").read_text()
    assert f"Rebuild: `cleaner train paragraphs --data sample --out {tmp_path / 'a.joblib'}`" in card
    assert "bundled corpus is written" not in card and "not the bundled corpus" in card


def test_bundled_card_describes_the_bundled_corpus() -> None:
    card = card_path(bundled_paragraph_model_path()).read_text()
    assert "Rebuild: `cleaner train paragraphs`." in card and "bundled corpus is written" in card


@pytest.mark.xfail(
    strict=True,
    reason="issue 3 bar not met yet: the shipped model scores 0.735 on the seeds (0.632 each paragraph alone)",
)
def test_seed_paragraphs_score_with_the_shipped_model(shared_seeds: Path, manifest: dict) -> None:
    report = evaluate_on_seeds(paragraph_model(), shared_seeds)
    assert report["n"] == 101
    assert report == manifest["evaluations"]["seed pages, body paragraphs"]
    assert report["macro_f1"] >= SEED_BAR


def test_fast_path_computes_what_the_pipeline_computes() -> None:
    from cleaner.paragraphs import char_wb_ngrams, mask_quotes

    model = paragraph_model()
    texts = [p.text for p in bundled_paragraphs()[::7]] + [
        "a  b\t\tc",
        "ÉCOLE Straße — “quoted”",
        'He said "it is a disgrace" twice, then “left',
        "x" * 6000,
    ]
    chars = dict(model.pipeline_.named_steps["features"].transformer_list)["chars"]
    analyzer = chars.build_analyzer()
    assert all(char_wb_ngrams(mask_quotes(t), ngram_range=chars.ngram_range) == analyzer(t) for t in texts)
    expected = model.pipeline_.predict_proba(texts)
    fast = model._fast().predict_proba(texts)
    assert (fast == expected).all()  # bit for bit: the same terms summed in the same order
    assert all((model._fast().predict_proba([texts[k]]) == fast[k]).all() for k in range(0, len(texts), 25))


def test_naive_bayes_scaling_weighs_ngrams_that_tell_labels_apart() -> None:
    from sklearn.base import clone
    from sklearn.feature_extraction.text import TfidfVectorizer

    from cleaner.paragraphs import NBTfidfVectorizer, _FastWordTfidf

    texts = ["the vote was close", "the vote was a disgrace", "the count was close", "the count was a disgrace"]
    labels = ["reporting", "opinion", "reporting", "opinion"]
    plain = TfidfVectorizer(sublinear_tf=True).fit(texts)  # as the classifier's (and the fast path's)
    scaled = NBTfidfVectorizer(sublinear_tf=True).fit(texts, labels)
    column = scaled.vocabulary_
    # "vote" and "disgrace" are in two of four texts each (the same idf); only "disgrace" tells the
    # labels apart. "the" is in every text of both labels: its ratio is 0, so it drops out.
    assert plain.idf_[column["vote"]] == plain.idf_[column["disgrace"]]
    assert scaled.idf_[column["disgrace"]] > scaled.idf_[column["vote"]] >= 0
    assert scaled.idf_[column["the"]] == 0
    # Folded into idf_: transform and the fast path compute the scaled rows.
    assert _same_matrix(_FastWordTfidf.from_vectorizer(scaled).transform(texts), scaled.transform(texts))
    unlabelled = NBTfidfVectorizer(sublinear_tf=True).fit(texts)
    assert _same_matrix(unlabelled.transform(texts), plain.transform(texts))
    assert clone(NBTfidfVectorizer(min_df=2, nb_alpha=0.5)).get_params()["nb_alpha"] == 0.5
    with pytest.raises(ValueError, match="nb_alpha must be a number above 0"):
        NBTfidfVectorizer(nb_alpha=0).fit(texts, labels)


def _same_matrix(a, b) -> bool:
    a.sort_indices()
    b.sort_indices()
    return a.shape == b.shape and all(
        (x == y).all() for x, y in ((a.indptr, b.indptr), (a.indices, b.indices), (a.data, b.data))
    )


@pytest.mark.parametrize("ngram_range", [(1, 1), (1, 2), (1, 3), (2, 3)])
def test_fast_text_features_equal_the_vectorizers(ngram_range: tuple[int, int]) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    from cleaner.paragraphs import _FastCharTfidf, _FastWordTfidf

    corpus = [p.text for p in bundled_paragraphs()]
    texts = [*corpus[1::9], "", "   ", "the the the the", "Zürich’s café — naïve CO2 3.5% 2024/25", "x" * 300]
    words = TfidfVectorizer(ngram_range=ngram_range, min_df=2, sublinear_tf=True).fit(corpus[::3])
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=ngram_range, min_df=2, sublinear_tf=True).fit(corpus[::5])
    assert _same_matrix(_FastWordTfidf.from_vectorizer(words).transform(texts), words.transform(texts))
    assert _same_matrix(_FastCharTfidf(chars).transform(texts), chars.transform(texts))


def test_character_features_do_not_depend_on_what_was_seen_before(monkeypatch: pytest.MonkeyPatch) -> None:
    import cleaner.paragraphs as paragraphs

    model = paragraph_model()
    corpus = [p.text for p in bundled_paragraphs()]
    batch = corpus[:40]
    words = {w for t in batch for w in paragraphs.mask_quotes(t).lower().split()}  # the words the n-grams read
    cold = paragraphs._FastPipeline.from_pipeline(model.pipeline_)
    expected = cold.predict_proba(batch)
    warm = paragraphs._FastPipeline.from_pipeline(model.pipeline_)
    warm.predict_proba(corpus[::-3])  # other words first: the batch's words get other rows
    assert (warm.predict_proba(batch) == expected).all()
    assert len(warm.chars.rows) > len(words)  # nothing was forgotten
    # A tiny store is forgotten between calls, so this batch is counted from an empty one again.
    monkeypatch.setattr(paragraphs, "MAX_CACHED_WORDS", 10)
    emptied = paragraphs._FastPipeline.from_pipeline(model.pipeline_)
    emptied.predict_proba(corpus[100:140])
    assert (emptied.predict_proba(batch) == expected).all()
    assert len(emptied.chars.rows) == len(words)


def test_the_character_store_is_bounded_by_characters_too(monkeypatch: pytest.MonkeyPatch) -> None:
    import cleaner.paragraphs as paragraphs

    # A Chinese paragraph is one long "word" whose n-grams are mostly unknown: its characters count.
    monkeypatch.setattr(paragraphs, "MAX_CACHED_CHARS", 10_000)
    fast = paragraphs._FastPipeline.from_pipeline(paragraph_model().pipeline_)
    for k in range(30):
        fast.predict_proba([f"{k}" + "新闻报道内容" * 300])
        assert fast.chars.key_chars <= 10_000 + 2_000


def test_threads_sharing_the_model_get_what_one_thread_gets() -> None:
    import sys
    from concurrent.futures import ThreadPoolExecutor

    import cleaner.paragraphs as paragraphs

    model = paragraph_model()
    corpus = [p.text for p in bundled_paragraphs()]
    batches = [corpus[k : k + 12] for k in range(0, 960, 12)]
    expected = [paragraphs._FastPipeline.from_pipeline(model.pipeline_).predict_proba(b) for b in batches]
    shared = paragraphs._FastPipeline.from_pipeline(model.pipeline_)
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        with ThreadPoolExecutor(4) as pool:
            got = list(pool.map(shared.predict_proba, batches))
    finally:
        sys.setswitchinterval(interval)
    assert all((g == e).all() for g, e in zip(got, expected))


def test_a_model_saved_before_label_weights_keeps_equal_weights() -> None:
    import copy

    old = copy.copy(paragraph_model())
    del old.label_weights_
    assert old._label_weights().tolist() == [1.0, 1.0, 1.0]
    assert old.predict_proba(["The council voted on Tuesday, officials said."]).shape == (1, 3)


def test_filler_weighs_less_in_the_page_mix_and_unknown_labels_are_ignored() -> None:
    import copy

    import numpy as np

    from cleaner.paragraphs import PAGE_LABEL_WEIGHTS, ParagraphClassifier

    model = paragraph_model()
    assert dict(PAGE_LABEL_WEIGHTS) == {"filler": 0.15} and model.label_weights == PAGE_LABEL_WEIGHTS
    texts = [p.text for p in bundled_paragraphs()[::50]]
    even = copy.copy(model)
    even.label_weights_ = np.ones(len(model.classes_))
    weighted, unweighted = model.predict_proba(texts), even.predict_proba(texts)
    f, r = list(model.classes_).index("filler"), list(model.classes_).index("reporting")
    assert np.allclose(weighted[:, f] / weighted[:, r], 0.15 * unweighted[:, f] / unweighted[:, r])
    two = ParagraphClassifier(calibration_folds=2).fit(
        ["a fact was reported.", "i think so."] * 6, ["reporting", "opinion"] * 6
    )
    assert two.label_weights_.tolist() == [1.0, 1.0]


def test_a_pages_paragraphs_are_blended_with_the_page_mean() -> None:
    import numpy as np

    from cleaner.paragraphs import PAGE_CONTEXT_WEIGHT

    model = paragraph_model()
    texts = [p.text for p in bundled_paragraphs()[:6]]
    alone = model.predict_proba(texts)
    page = model.predict_proba_page([*texts[:3], "  ", *texts[3:], "\u200b"])
    blended = (1 - PAGE_CONTEXT_WEIGHT) * alone + PAGE_CONTEXT_WEIGHT * alone.mean(axis=0)
    # An empty paragraph (or one of invisible characters) neither joins the mean nor is blended: it stays filler.
    assert np.allclose(np.delete(page, [3, 7], axis=0), blended)
    assert page[3].tolist() == page[7].tolist() == [float(c == "filler") for c in model.classes_]
    assert np.allclose(page.sum(axis=1), 1.0)
    # One paragraph alone is its own page; labelled(page=True) reports the blended probabilities.
    assert (model.predict_proba_page(texts[:1]) == alone[:1]).all()
    labels = model.labelled(texts, page=True)
    assert [label for label, _ in labels] == list(model.classes_[blended.argmax(axis=1)])


def test_a_pages_odds_shift_each_paragraph_before_the_blend() -> None:
    import numpy as np

    from cleaner.paragraphs import PAGE_CONTEXT_WEIGHT

    model = paragraph_model()
    texts = [p.text for p in bundled_paragraphs()[:6]]
    alone = model.predict_proba(texts)
    factors = np.array([4.0 if c == "opinion" else 1.0 for c in model.classes_])
    shifted = alone * factors / (alone * factors).sum(axis=1, keepdims=True)
    expected = (1 - PAGE_CONTEXT_WEIGHT) * shifted + PAGE_CONTEXT_WEIGHT * shifted.mean(axis=0)
    page = model.predict_proba_page([*texts, " "], odds={"opinion": 4.0})
    assert np.allclose(page[:-1], expected)
    assert page[-1].tolist() == [float(c == "filler") for c in model.classes_]  # an empty paragraph stays filler
    opinion = list(model.classes_).index("opinion")
    assert (page[:-1, opinion] > model.predict_proba_page(texts)[:, opinion]).all()
    # Odds of 1 are no odds, and so are equal odds however small.
    assert np.allclose(model.predict_proba_page(texts, odds={"opinion": 1.0}), model.predict_proba_page(texts))
    tiny = dict.fromkeys(model.classes_, 5e-324)
    assert np.allclose(model.predict_proba_page(texts, odds=tiny), model.predict_proba_page(texts))
    # Bad odds are refused whether or not the page has text.
    for page_texts in (texts, [""], []):
        for bad in (0.0, -1.0, float("inf"), float("nan"), True, "6", None, 1j):
            with pytest.raises(ValueError, match="odds must be positive, finite numbers"):
                model.predict_proba_page(page_texts, odds={"opinion": bad})
        for unknown in ({"Opinion": 6.0}, {"satire": 2.0}):
            with pytest.raises(ValueError, match="labels the model does not have"):
                model.predict_proba_page(page_texts, odds=unknown)
        with pytest.raises(TypeError, match="odds must be a mapping"):
            model.predict_proba_page(page_texts, odds=[("opinion", 6.0)])
    # Odds are what a page says, so paragraphs labelled each alone take none.
    with pytest.raises(ValueError, match="page=True"):
        model.labelled(texts, odds={"opinion": 4.0})


def test_a_page_marked_as_opinion_leans_its_paragraphs_to_opinion() -> None:
    from cleaner import clean
    from cleaner.labelling import page_odds
    from cleaner.options import CleanOptions
    from cleaner.signals import MARKED_OPINION_ODDS

    body = (
        "The bridge closed in March after inspectors found cracks in two of its piers, and the county "
        "has since spent 4.2 million dollars on ferries and detours.\n\n"
        "Residents deserve better than another year of detours. The county should reopen one lane now "
        "and stop pretending the ferries are an answer."
    )
    plain = clean(body)
    marked = clean("Opinion\n\n" + body + "\n\nThe views expressed are the author's own.")
    unlabelled = clean("Opinion\n\n" + body, options=CleanOptions(labels=False))
    assert page_odds(plain) is None
    assert page_odds(unlabelled) == {"opinion": MARKED_OPINION_ODDS}

    def opinion(doc) -> list[float]:
        return [b.scores["opinion"] for b in doc.blocks if b.kind == "body"]

    assert len(opinion(plain)) == len(opinion(marked)) == 2
    # The README's recipe gives the cleaner's scores.
    texts = [b.text for b in marked.blocks if b.kind == "body"]
    model = paragraph_model()
    recipe = model.predict_proba_page(texts, odds=page_odds(marked))
    assert [{str(c): round(float(p), 4) for c, p in zip(model.classes_, row)} for row in recipe] == [
        b.scores for b in marked.blocks if b.kind == "body"
    ]
    assert all(m > p for m, p in zip(opinion(marked), opinion(plain)))
    # Each paragraph labelled alone reads its own text only.
    alone = label_body(marked, paragraph_model(), page_context=False)
    assert opinion(alone) == opinion(label_body(plain, paragraph_model(), page_context=False))


def test_a_model_without_an_opinion_label_still_labels_a_marked_page() -> None:
    from cleaner import clean
    from cleaner.labelled import LabelledParagraph
    from cleaner.options import CleanOptions
    from cleaner.paragraphs import ParagraphClassifier

    data = [p for p in bundled_paragraphs() if p.label != "opinion"][:200]
    model = ParagraphClassifier().fit([p.text for p in data], [p.label for p in data])
    page = "Opinion\n\nThe council voted 7-2 on Tuesday to repair the bridge.\n\nThe clerk said work starts in May."
    doc = label_body(clean(page, options=CleanOptions(labels=False)), model)
    assert all(b.label in ("reporting", "filler") for b in doc.blocks if b.kind == "body")
    mixed = [p for p in data if p.label == "reporting"][:3] + [p for p in data if p.label == "filler"][:2]
    marked = [LabelledParagraph(p.text, p.label, "d") for p in mixed]
    assert evaluate_paragraph_model(model, marked, odds_by_doc={"d": {"opinion": 6.0}})["n"] == 5


def test_evaluation_labels_a_documents_paragraphs_together_unless_asked_not_to() -> None:
    from cleaner.labelled import LabelledParagraph
    from cleaner.paragraphs import classification_report

    model = paragraph_model()
    data = bundled_paragraphs()[:40]
    predicted = [""] * len(data)
    for doc in {p.doc for p in data}:
        rows = [i for i, p in enumerate(data) if p.doc == doc]
        proba = model.predict_proba_page([data[i].text for i in rows])
        for i, label in zip(rows, model.classes_[proba.argmax(axis=1)]):
            predicted[i] = str(label)
    truth = [p.label for p in data]
    assert evaluate_paragraph_model(model, data) == classification_report(truth, predicted)
    alone = [str(label) for label in model.predict([p.text for p in data])]
    assert evaluate_paragraph_model(model, data, page_context=False) == classification_report(truth, alone)
    # One paragraph per document: nothing to blend, so both ways agree.
    single = [LabelledParagraph(p.text, p.label, f"d{i}") for i, p in enumerate(data)]
    assert evaluate_paragraph_model(model, single) == evaluate_paragraph_model(model, single, page_context=False)


def test_the_page_context_weight_belongs_to_the_fitted_model() -> None:
    import copy
    import pickle

    import numpy as np
    from sklearn.base import clone

    from cleaner.paragraphs import ParagraphClassifier

    model = paragraph_model()
    texts = [p.text for p in bundled_paragraphs()[:6]]
    alone = model.predict_proba(texts)
    lighter = copy.copy(model)
    lighter.page_context_weight_ = 0.3
    assert np.allclose(lighter.predict_proba_page(texts), 0.7 * alone + 0.3 * alone.mean(axis=0))
    # A model saved before page context existed labels each paragraph alone, and still clones.
    state = model.__getstate__()
    del state["page_context_weight"], state["page_context_weight_"]
    old = pickle.loads(pickle.dumps(model))
    old.__dict__.clear()
    old.__setstate__(state)
    assert (old.predict_proba_page(texts) == alone).all()
    assert old.get_params()["page_context_weight"] == 0.0 and "page_context_weight" in repr(clone(old))
    unfitted = pickle.loads(pickle.dumps(ParagraphClassifier()))
    assert "page_context_weight_" not in vars(unfitted) and unfitted.page_context_weight == 0.5
    for weight in (1.5, -0.1, float("nan"), None, "0.5", True):
        with pytest.raises(ValueError, match="page_context_weight must be a number between 0 and 1"):
            ParagraphClassifier(page_context_weight=weight).fit(["a"] * 4, ["reporting", "opinion"] * 2)


def test_the_card_describes_page_context_only_for_a_model_that_blends(manifest: dict) -> None:
    from cleaner.modelcard import render_model_card

    line = "each paragraph's probabilities are blended with the mean of the page's paragraphs (0.5"
    assert line in render_model_card(manifest)
    for weight in (None, 0.0):
        assert "blended" not in render_model_card({**manifest, "page_context_weight": weight})
