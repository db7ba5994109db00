"""Where the bundled corpora and models are, in a source checkout or an installed wheel."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
# How manifests and model cards name the bundled paragraph corpus among a model's training data.
BUNDLED_PARAGRAPHS_SOURCE = "seeds/paragraphs"


def _bundled(name: str) -> Path:
    # A wheel carries seeds/ and classifiers/ inside the package; a checkout has them beside it.
    inside = _PACKAGE / "_bundled" / name
    return inside if inside.is_dir() else _PACKAGE.parent / name


def seeds_dir() -> Path:
    return _bundled("seeds")


def classifiers_dir() -> Path:
    return _bundled("classifiers")


def shared_dir() -> Path:
    """The project's evaluation material (`../shared` beside the checkout), if any."""
    env = os.environ.get("CLEANER_SHARED")
    return Path(env) if env else _PACKAGE.parent.parent / "shared"


def cache_dir() -> Path:
    """Per-user cache for models rebuilt for another scikit-learn version."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cleaner"
