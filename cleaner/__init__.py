"""Source credibility and boilerplate cleaning for news pages."""

from .api import clean
from .document import Block, Document, LineDecision, Metadata
from .errors import CleanerError, InputError, ModelError
from .options import CleanOptions

__all__ = [
    "Block",
    "CleanOptions",
    "CleanerError",
    "Document",
    "InputError",
    "LineDecision",
    "Metadata",
    "ModelError",
    "clean",
]
