"""Plain-text page → document of typed blocks."""

from __future__ import annotations

from .assemble import build_blocks, metadata, single_title
from .document import KINDS, Document, LineDecision
from .errors import InputError, too_many_lines
from .linemodel import LineModel
from .models import line_model
from .options import CleanOptions
from .visible import without_invisible_edges

_TITLE = KINDS.index("title")
# Reports show probabilities to this many places: enough to read, and stable when a different
# BLAS build rounds the last bits of a matrix product differently.
PROBABILITY_DIGITS = 4


def split_lines(text: str) -> list[str]:
    # Only \n, \r\n and \r end a line: str.splitlines() would also split on form feeds and
    # Unicode separators, and line numbers would no longer match what editors show.
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def strip_text(text: str, *, source: str, options: CleanOptions, notices: tuple[str, ...] = ()) -> Document:
    lines = [without_invisible_edges(line) for line in split_lines(text)]
    count = len(lines) - (lines[-1] == "")  # a last line break ends a line; it does not start one
    if count > options.max_lines:
        raise InputError(source, too_many_lines(count, options.max_lines))
    model: LineModel = line_model(options.line_model)
    pred = model.predict_page(lines, smoothing=options.smoothing)
    decisions = [
        LineDecision(
            i + 1, lines[i], kind, round(float(pred.probabilities[r, KINDS.index(kind)]), PROBABILITY_DIGITS), reason
        )
        for r, (i, kind, reason) in enumerate(zip(pred.index, pred.kinds, pred.reasons))
    ]
    decisions = single_title(decisions, [float(p) for p in pred.probabilities[:, _TITLE]])
    blocks = build_blocks(decisions)
    return Document(
        source=source,
        blocks=tuple(blocks),
        metadata=metadata(blocks),
        line_decisions=tuple(decisions),
        notices=notices,
    )
