"""Throughput of `clean`, as a ratio to a reference pass over the same text in the same run."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from .api import clean
from .options import CleanOptions
from .paths import seeds_dir
from .stripper import split_lines


@dataclass(frozen=True)
class BenchResult:
    pages: int
    megabytes: float
    seconds: float  # best pass of clean
    reference_seconds: float  # best pass of the reference (decode + split lines)

    def summary(self) -> str:
        return (
            f"clean: {self.pages} pages, {self.megabytes:.2f} MB in {self.seconds:.3f} s on one core: "
            f"{self.pages / self.seconds:.1f} pages/s, {self.megabytes / self.seconds:.2f} MB/s; "
            f"{self.seconds / self.reference_seconds:.0f}x the time of decoding and splitting the same text"
        )


def _corpus(folder: Path | None) -> list[tuple[str, bytes]]:
    if folder is not None:
        paths = sorted(p for p in folder.rglob("*") if p.is_file())
        return [(str(p), p.read_bytes()) for p in paths]
    from .corpus import training_pages

    demo = sorted((seeds_dir() / "demo").glob("*.txt"))
    pages = [(str(p), p.read_bytes()) for p in demo]
    pages += [(f"{p.style}/{p.name}", p.text.encode("utf-8")) for p in training_pages()]
    return pages


def _best(repeat: int, action) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best


def run_clean_benchmark(folder: Path | None, *, repeat: int = 3, model: Path | None = None) -> BenchResult:
    pages = _corpus(folder)
    if not pages:
        raise ValueError(f"{folder}: no files to benchmark")
    options = CleanOptions(line_model=model)
    clean(pages[0][1], source=pages[0][0], options=options)  # load the model outside the timing

    def run_clean() -> None:
        for name, data in pages:
            clean(data, source=name, options=options)

    def run_reference() -> None:
        for _, data in pages:
            split_lines(data.decode("utf-8", errors="replace"))

    seconds = _best(repeat, run_clean)
    reference = _best(repeat, run_reference)
    megabytes = sum(len(data) for _, data in pages) / 1e6
    return BenchResult(len(pages), megabytes, seconds, max(reference, 1e-9))
