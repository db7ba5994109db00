"""The trained line model: per-line kind probabilities, sequence smoothing, and reasons.

A small neural network (standardised features, one hidden layer; an average of a few networks
with different seeds) scores every non-blank line from its own features and its neighbours' (see
linefeatures). It generalised to unseen site styles better than tree ensembles in
leave-one-style-out cross-validation, and it predicts a page in one matrix product, where a
scikit-learn boosted ensemble pays a Python call per tree.

A Viterbi pass over the network's probabilities then picks the most likely sequence of kinds
under kind-to-kind transition probabilities counted on the training pages, because boilerplate and
article text come in runs. Each decision carries a reason: the observable cues of the line that,
in the training pages, most raised the odds of the kind it got.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from itertools import groupby, pairwise

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from .document import KINDS
from .linefeatures import FEATURE_NAMES, TABLE_ROW_MIN_TABS, featurize

# Encoded data, minified code or runaway glued text: a run of printable ASCII with no space this
# long is never prose, so such a line is boilerplate before smoothing can pull it into the text.
# (ASCII only: Chinese or Japanese text has no spaces and is not junk.)
JUNK_RUN_RE = re.compile(r"[!-~]{200,}")
JUNK_REASON = "a run of 200+ characters without a space (encoded data or code)"
_BOILERPLATE = KINDS.index("boilerplate")
_BODY = KINDS.index("body")
# A run of at least this many lines with the same number of tab-separated cells is one table, whose
# rows are kept together when most of it is kept: the last row of an article's table, next to the
# footer, read as footer.
TABLE_MIN_ROWS = 3
# Laplace smoothing for transition counts.
TRANSITION_PSEUDOCOUNT = 1.0
# A cue is named in a reason when it makes the kind at least this much likelier than usual...
MIN_REASON_LIFT = 1.3
# ...and it fired on at least this many training lines.
MIN_REASON_SUPPORT = 5
MAX_REASON_CUES = 2
# Rows of the line network's forward pass at a time: bounded memory on pages of very many lines.
FORWARD_ROWS = 8192

_F = {name: i for i, name in enumerate(FEATURE_NAMES)}

# Observable cues used to explain decisions: (feature, test, phrase).
EXPLANATION_CUES: tuple[tuple[str, str, str], ...] = (
    ("cue_bullet", "on", "bullet item"),
    ("window_bullets", "high", "in a run of bullet items"),
    ("cue_archive_count", "on", "archive count like 'June 2025 (2996)'"),
    ("log_counts", "on", "counts in brackets"),
    ("log_camel_glue", "on", "words glued together"),
    ("log_chrome_words", "on", "site-chrome words (share, menu, cookie…)"),
    ("cue_link_prefix", "on", "link prefix (READ MORE, Related…)"),
    ("cue_date", "on", "a date"),
    ("cue_date_prefix", "on", "'Published/Updated' prefix"),
    ("cue_relative_date", "on", "relative date"),
    ("cue_weekday", "on", "weekday name"),
    ("cue_byline", "on", "starts with 'By'"),
    ("cue_caption", "on", "photo or credit words"),
    ("cue_caption_credit", "on", "ends with a photo credit"),
    ("cue_ticker", "on", "prices or market arrows"),
    ("cue_table_row", "on", "table row (cells separated by tabs)"),
    ("cue_url", "on", "URL or e-mail"),
    ("cue_all_caps", "on", "all capitals"),
    ("cue_symbols", "on", "run of symbols"),
    ("cue_copyright", "on", "copyright notice"),
    ("cue_prose", "on", "sentence-like prose"),
    ("window_prose", "high", "among prose lines"),
    ("cue_short", "on", "short line"),
    ("ends_terminal", "off", "no sentence ending"),
    ("ends_terminal", "on", "ends like a sentence"),
    ("title_ratio", "high", "title-cased words"),
    ("cue_before_prose", "on", "before the article's first prose line"),
    ("cue_after_prose", "on", "after the article's last prose line"),
    ("log_repeats", "on", "repeated elsewhere on the page"),
    ("ends_open", "on", "ends mid-sentence"),
)


def _cue_matrix(X: np.ndarray) -> np.ndarray:
    cols = []
    for feature, test, _ in EXPLANATION_CUES:
        v = X[:, _F[feature]]
        cols.append(v > 0 if test == "on" else (v == 0 if test == "off" else v >= 0.5))
    return np.column_stack(cols)


@dataclass(frozen=True)
class LinePrediction:
    """Kinds for the non-blank lines of a page (index: 0-based source line numbers)."""

    index: list[int]
    kinds: list[str]
    probabilities: np.ndarray  # (n_lines, n_kinds), columns in KINDS order
    reasons: list[str]
    cues: np.ndarray  # (n_lines, len(EXPLANATION_CUES)): which observable cues each line shows


class LineModel(ClassifierMixin, BaseEstimator):
    """Kinds of the lines of flattened pages.

    `fit(X, y)`: X is a list of pages, each a list of source lines; y the matching lists of kinds
    (None for blank lines). `predict_page(lines)` returns kinds, probabilities and reasons.
    """

    def __init__(
        self,
        *,
        hidden_units: int = 64,
        alpha: float = 3e-2,
        max_iter: int = 300,
        n_members: int = 3,
        transition_weight: float = 0.5,
        prior_weight: float = 0.75,
        random_state: int = 0,
    ) -> None:
        self.hidden_units = hidden_units
        self.alpha = alpha
        self.max_iter = max_iter
        self.n_members = n_members
        self.transition_weight = transition_weight
        self.prior_weight = prior_weight
        self.random_state = random_state

    def fit(self, X: list[list[str]], y: list[list[str | None]]) -> LineModel:
        rows, labels, sequences = [], [], []
        for lines, kinds in zip(X, y):
            features, index = featurize(list(lines))
            page_kinds = [kinds[i] for i in index]
            if any(k is None for k in page_kinds):
                raise ValueError("every non-blank line needs a kind")
            rows.append(features)
            labels.extend(page_kinds)
            sequences.append([KINDS.index(k) for k in page_kinds])
        features = np.vstack(rows)
        target = np.array([KINDS.index(k) for k in labels])
        self.classes_ = np.array(KINDS)
        # Features are clipped to the range seen in training before prediction: far outside it (a
        # 100,000-character junk line) a network extrapolates wildly.
        self.feature_low_ = features.min(axis=0)
        self.feature_high_ = features.max(axis=0)
        self.members_ = [self._member(self.random_state + m).fit(features, target) for m in range(self.n_members)]
        counts = np.bincount(target, minlength=len(KINDS)) + TRANSITION_PSEUDOCOUNT
        self.log_prior_ = np.log(counts / counts.sum())
        self._fit_transitions(sequences)
        self._fit_cue_lifts(features, target)
        self.n_features_in_ = features.shape[1]
        return self

    def _member(self, seed: int) -> Pipeline:
        network = MLPClassifier(
            hidden_layer_sizes=(self.hidden_units,),
            alpha=self.alpha,
            max_iter=self.max_iter,
            random_state=seed,
        )
        return make_pipeline(StandardScaler(), _Quiet(network))

    def _fit_transitions(self, sequences: list[list[int]]) -> None:
        k = len(KINDS)
        start = np.full(k, TRANSITION_PSEUDOCOUNT)
        trans = np.full((k, k), TRANSITION_PSEUDOCOUNT)
        for seq in sequences:
            if seq:
                start[seq[0]] += 1
            for a, b in pairwise(seq):
                trans[a, b] += 1
        self.log_start_ = np.log(start / start.sum())
        self.log_transitions_ = np.log(trans / trans.sum(axis=1, keepdims=True))

    def _fit_cue_lifts(self, features: np.ndarray, target: np.ndarray) -> None:
        cues = _cue_matrix(features)
        prior = np.bincount(target, minlength=len(KINDS)) / len(target)
        lifts = np.zeros((cues.shape[1], len(KINDS)))
        for c in range(cues.shape[1]):
            fired = target[cues[:, c]]
            if len(fired) >= MIN_REASON_SUPPORT:
                share = np.bincount(fired, minlength=len(KINDS)) / len(fired)
                lifts[c] = np.divide(share, prior, out=np.zeros_like(share), where=prior > 0)
        self.cue_lifts_ = lifts

    def predict_proba_lines(self, lines: list[str]) -> tuple[np.ndarray, list[int], np.ndarray]:
        features, index = featurize(lines)
        if not index:
            return np.zeros((0, len(KINDS))), index, features
        clipped = np.clip(features, self.feature_low_, self.feature_high_)
        return self._forward()(clipped), index, features

    def _forward(self) -> _StackedNetworks:
        # Built on first use rather than in fit, so models saved before it existed load unchanged.
        stacked = self.__dict__.get("_stacked")
        if stacked is None:
            stacked = self.__dict__["_stacked"] = _StackedNetworks.from_members(self.members_)
        return stacked

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state.pop("_stacked", None)  # derived; keeps saved files identical to what fit produced
        return state

    def predict_page(self, lines: list[str], *, smoothing: bool = True) -> LinePrediction:
        proba, index, features = self.predict_proba_lines(lines)
        if not index:
            return LinePrediction([], [], proba, [], np.zeros((0, len(EXPLANATION_CUES)), dtype=bool))
        junk = [r for r, i in enumerate(index) if JUNK_RUN_RE.search(lines[i])]
        proba[junk] = np.eye(len(KINDS))[_BOILERPLATE]
        raw = proba.argmax(axis=1)
        best = self._viterbi(proba) if smoothing else raw.copy()
        tabled = _whole_tables([lines[i] for i in index], best, proba)
        shown = raw.copy()
        shown[tabled] = best[tabled]  # a reason names the table, not smoothing, for these rows
        cues = _cue_matrix(features)
        reasons = self._reasons(cues, best, shown, proba)
        for r in junk:
            reasons[r] = JUNK_REASON
        for r in tabled:
            reasons[r] += "; kept with the rest of its table"
        return LinePrediction(index, [KINDS[k] for k in best], proba, reasons, cues)

    def predict(self, X: list[list[str]]) -> list[list[str | None]]:
        out = []
        for lines in X:
            pred = self.predict_page(list(lines))
            kinds: list[str | None] = [None] * len(lines)
            for i, kind in zip(pred.index, pred.kinds):
                kinds[i] = kind
            out.append(kinds)
        return out

    def _viterbi(self, proba: np.ndarray) -> np.ndarray:
        # Hybrid network-HMM taggers divide the posteriors by the prior (prior_weight 1), so that
        # rare kinds do not pay for their rarity twice. In full, that made a line the network of
        # 2026-11-22 called boilerplate ("17 Comments" next to a body, p=0.85) a heading, a kind ten
        # times rarer; not at all (0), page titles were lost between chrome lines. 0.75 with
        # transitions at 0.5 kept leave-one-style-out's titles and F1 (README, line model section).
        emit = np.log(np.clip(proba, 1e-9, 1.0)) - self.prior_weight * self.log_prior_
        trans = self.transition_weight * self.log_transitions_
        score = emit[0] + self.transition_weight * self.log_start_
        back = np.zeros(proba.shape, dtype=np.int64)
        for t in range(1, len(proba)):
            candidates = score[:, None] + trans
            back[t] = candidates.argmax(axis=0)
            score = candidates.max(axis=0) + emit[t]
        path = np.zeros(len(proba), dtype=np.int64)
        path[-1] = int(score.argmax())
        for t in range(len(proba) - 1, 0, -1):
            path[t - 1] = back[t, path[t]]
        return path

    def _reasons(self, cues: np.ndarray, best: np.ndarray, raw: np.ndarray, proba: np.ndarray) -> list[str]:
        lifts = np.where(cues, self.cue_lifts_[:, best].T, 0.0)  # (lines, cues) for each line's kind
        order = np.argsort(-lifts, axis=1, kind="stable")[:, :MAX_REASON_CUES]
        named = np.where(np.take_along_axis(lifts, order, axis=1) >= MIN_REASON_LIFT, order, -1)
        chosen = proba[np.arange(len(best)), raw]
        phrases: dict[tuple[int, ...], str] = {}  # few distinct cue combinations per page
        reasons = []
        for r, (kind, got, cue_ids) in enumerate(zip(best.tolist(), raw.tolist(), map(tuple, named.tolist()))):
            text = phrases.get(cue_ids)
            if text is None:
                text = "; ".join(EXPLANATION_CUES[c][2] for c in cue_ids if c >= 0) or "overall line shape"
                phrases[cue_ids] = text
            if kind != got:
                reasons.append(f"{text}; smoothed from {KINDS[got]} by its neighbours (p={chosen[r]:.2f})")
            else:
                reasons.append(f"{text} (p={chosen[r]:.2f})")
        return reasons


def _table_runs(lines: list[str]) -> list[range]:
    """Runs of at least TABLE_MIN_ROWS consecutive lines with the same number (at least
    TABLE_ROW_MIN_TABS) of tabs: the rows of one table, as a browser flattens it."""
    runs, start = [], 0
    for tabs, group in groupby(line.count("\t") for line in lines):
        size = sum(1 for _ in group)
        if tabs >= TABLE_ROW_MIN_TABS and size >= TABLE_MIN_ROWS:
            runs.append(range(start, start + size))
        start += size
    return runs


def _whole_tables(lines: list[str], best: np.ndarray, proba: np.ndarray) -> list[int]:
    """Makes body (in place) the boilerplate rows of a table that has both, when its rows of the two
    kinds lean to body (the higher mean probability over them); returns the rows it changed. Only this way:
    dropping a table's body rows with the rest lowered leave-one-style-out on our `datatable`
    pages (0.968 -> 0.967), keeping them raised it (0.968 -> 0.969)."""
    changed = []
    for rows in _table_runs(lines):
        split = [r for r in rows if best[r] in (_BODY, _BOILERPLATE)]
        mixed = {int(best[r]) for r in split} == {_BODY, _BOILERPLATE}
        if not mixed or proba[split, _BODY].mean() < proba[split, _BOILERPLATE].mean():
            continue
        for r in split:
            if best[r] != _BODY:
                best[r] = _BODY
                changed.append(r)
    return changed


@dataclass(frozen=True)
class _StackedNetworks:
    """The members' forward passes as one: scalers folded into the first layer, hidden layers side
    by side, so a page costs two matrix products instead of a scikit-learn call chain per member.
    Same arithmetic as the members' own predict_proba, up to floating-point rounding."""

    hidden_weights: np.ndarray  # (features, members * hidden)
    hidden_bias: np.ndarray
    output_weights: tuple[np.ndarray, ...]  # per member, (hidden, kinds)
    output_bias: tuple[np.ndarray, ...]

    @classmethod
    def from_members(cls, members: list[Pipeline]) -> _StackedNetworks:
        weights, biases, out_w, out_b = [], [], [], []
        for member in members:
            scaler, quiet = member.steps[0][1], member.steps[-1][1]
            network = quiet.network_
            if network.activation != "relu" or network.out_activation_ != "softmax" or network.n_layers_ != 3:
                raise ValueError("stacked forward pass expects one ReLU hidden layer and a softmax output")
            w1, w2 = network.coefs_
            b1, b2 = network.intercepts_
            weights.append(w1 / scaler.scale_[:, None])
            biases.append(b1 - (scaler.mean_ / scaler.scale_) @ w1)
            out_w.append(w2)
            out_b.append(b2)
        return cls(np.hstack(weights), np.concatenate(biases), tuple(out_w), tuple(out_b))

    def __call__(self, X: np.ndarray) -> np.ndarray:
        # In slices of rows: the hidden layer of a page of 400,000 short lines would need 2 GB at once.
        if len(X) > FORWARD_ROWS:
            return np.vstack(
                [self._forward(X[start : start + FORWARD_ROWS]) for start in range(0, len(X), FORWARD_ROWS)]
            )
        return self._forward(X)

    def _forward(self, X: np.ndarray) -> np.ndarray:
        hidden = np.maximum(X @ self.hidden_weights + self.hidden_bias, 0.0)
        width = self.output_weights[0].shape[0]
        proba = np.zeros((len(X), self.output_bias[0].shape[0]))
        for m, (w, b) in enumerate(zip(self.output_weights, self.output_bias)):
            logits = hidden[:, m * width : (m + 1) * width] @ w + b
            logits -= logits.max(axis=1, keepdims=True)
            e = np.exp(logits)
            proba += e / e.sum(axis=1, keepdims=True)
        return proba / len(self.output_weights)


class _Quiet(ClassifierMixin, BaseEstimator):
    """Wraps a network so that hitting max_iter (expected with a fixed budget) stays silent."""

    def __init__(self, network: MLPClassifier) -> None:
        self.network = network

    def fit(self, X: np.ndarray, y: np.ndarray) -> _Quiet:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            self.network_ = self.network.fit(X, y)
        self.classes_ = self.network_.classes_
        return self

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        return self.network_.predict_proba(X)
