"""Source credibility and boilerplate cleaning for news pages."""

from .api import analyze, clean
from .document import Block, Document, LineDecision, Metadata
from .errors import CleanerError, InputError, ModelError
from .labelled import LABELS
from .models import paragraph_model as paragraph_classifier
from .options import CleanOptions
from .paragraphs import ParagraphClassifier

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
    "analyze",
    "clean",
    "paragraph_classifier",
]
