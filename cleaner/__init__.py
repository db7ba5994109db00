"""Source credibility and boilerplate cleaning for news pages."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .api import analyze, clean
    from .document import Block, Document, LineDecision, Metadata
    from .errors import CleanerError, InputError, ModelError
    from .labelled import LABELS
    from .models import paragraph_model as paragraph_classifier
    from .options import CleanOptions
    from .paragraphs import ParagraphClassifier
    from .report import Report

# Imported on first use: the models and their libraries take seconds to import, which the
# command line's --help and a Ctrl-C at start should not wait for.
_EXPORTS = {
    "LABELS": (".labelled", "LABELS"),
    "Block": (".document", "Block"),
    "CleanOptions": (".options", "CleanOptions"),
    "CleanerError": (".errors", "CleanerError"),
    "Document": (".document", "Document"),
    "InputError": (".errors", "InputError"),
    "LineDecision": (".document", "LineDecision"),
    "Metadata": (".document", "Metadata"),
    "ModelError": (".errors", "ModelError"),
    "ParagraphClassifier": (".paragraphs", "ParagraphClassifier"),
    "Report": (".report", "Report"),
    "analyze": (".api", "analyze"),
    "clean": (".api", "clean"),
    "paragraph_classifier": (".models", "paragraph_model"),
}
__all__ = [
    "LABELS",
    "Block",
    "CleanOptions",
    "CleanerError",
    "Document",
    "InputError",
    "LineDecision",
    "Metadata",
    "ModelError",
    "ParagraphClassifier",
    "Report",
    "analyze",
    "clean",
    "paragraph_classifier",
]


def __getattr__(name: str) -> object:
    try:
        module, attribute = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(import_module(module, __name__), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
