"""One typed, frozen options object for a cleaning run."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .executors import Executor

# A news page is rarely over 1 MB of text; beyond this, memory for line features grows large.
DEFAULT_MAX_BYTES = 16 * 1000 * 1000
# ...and has a few hundred lines, a long live blog a few thousand. The line model holds about 3 KB
# per line, so a small file of many short lines ("x\n" 3 million times: 6 MB) would take gigabytes;
# at this limit a page takes about 300 MB (with the models) and a few seconds.
DEFAULT_MAX_LINES = 50_000


@dataclass(frozen=True)
class CleanOptions:
    """How `clean` and `analyze` read a page: size limit, models, smoothing and paragraph labels."""

    max_bytes: int = DEFAULT_MAX_BYTES  # larger inputs are refused with a clear error
    max_lines: int = DEFAULT_MAX_LINES  # ...and text with more lines
    line_model: Path | None = None  # None: the bundled model (or its cached rebuild)
    smoothing: bool = True  # sequence smoothing over the line model's probabilities
    labels: bool = True  # label body paragraphs reporting / opinion / filler
    paragraph_model: Path | None = None  # None: the bundled paragraph classifier

    def __post_init__(self) -> None:
        # A zero or negative limit would refuse every page with a message about its size.
        for name, unit in (("max_bytes", "bytes"), ("max_lines", "lines")):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                error = ValueError if isinstance(value, int) and not isinstance(value, bool) else TypeError
                raise error(f"CleanOptions.{name} must be a positive whole number of {unit}, not {value!r}")
        # A wrong type would otherwise pass silently ("no" is true) or fail deep inside a model load.
        for name in ("smoothing", "labels"):
            if not isinstance(getattr(self, name), bool):
                raise TypeError(f"CleanOptions.{name} must be True or False, not {getattr(self, name)!r}")
        for name in ("line_model", "paragraph_model"):
            if not isinstance(getattr(self, name), str | os.PathLike | None):
                raise TypeError(f"CleanOptions.{name} must be a path or None, not {type(getattr(self, name)).__name__}")


FORMATS = ("files", "jsonl")
DEFAULT_SHARD_SIZE = 1000


@dataclass(frozen=True)
class RunSettings:
    """How a run is carried out and written; what is cleaned and how is CleanOptions."""

    format: str = "files"  # "files": <id>.json/.html/.txt per document; "jsonl": sharded JSON Lines
    shard_size: int = DEFAULT_SHARD_SIZE  # input items per JSON Lines shard
    force: bool = False  # clean everything again; for jsonl, start the run over
    executor: Executor = field(default_factory=Executor)
