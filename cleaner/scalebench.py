"""Benchmark of big runs: a synthetic corpus of N pages, then `cleaner run --format jsonl` over it
with 1 and 2 local workers and on a local Dask cluster, each in its own process tree.

The corpus is made from our annotated training pages: each page takes the head chrome of one page,
the article of another with a third of its body paragraphs swapped for paragraphs of other
articles, and the tail chrome of a third, so pages differ as a crawl's do instead of repeating.
Reported per configuration: pages/s, MB/s and the peak resident memory of any one process.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .corpus import training_pages
from .synth import split_page

SEED = 20261122
SWAP_SHARE = 1 / 3  # body paragraphs taken from other articles
SHARD_SIZE = 1000


def synthetic_pages(count: int, *, seed: int = SEED) -> Iterator[tuple[str, str]]:
    """(id, text) of `count` varied pages, generated one at a time."""
    rng = random.Random(seed)
    parts = [split_page(p) for p in training_pages()]
    heads = [p.head for p in parts if p.head]
    tails = [p.tail for p in parts if p.tail]
    articles = [p.article for p in parts if p.article]
    body_pool = [line for article in articles for line, kind in article if kind == "body"]
    for i in range(count):
        rows = [
            (rng.choice(body_pool), kind) if kind == "body" and rng.random() < SWAP_SHARE else (line, kind)
            for line, kind in rng.choice(articles)
        ]
        lines = [line for line, _ in (*rng.choice(heads), *rows, *rng.choice(tails))]
        yield f"synthetic-{i:07d}", "\n".join(lines) + "\n"


def write_corpus(path: Path, count: int) -> int:
    """Write a JSON Lines corpus of `count` pages; returns its size in bytes."""
    with path.open("w", encoding="utf-8") as handle:
        for doc_id, text in synthetic_pages(count):
            handle.write(json.dumps({"id": doc_id, "text": text}, ensure_ascii=False) + "\n")
    return path.stat().st_size


@dataclass(frozen=True)
class ScaleResult:
    name: str
    pages: int
    megabytes: float
    seconds: float
    peak_mb: float  # the largest resident set of any one process of the run

    def line(self) -> str:
        return (
            f"{self.name}: {self.pages} pages, {self.megabytes:.1f} MB in {self.seconds:.1f} s: "
            f"{self.pages / self.seconds:.1f} pages/s, {self.megabytes / self.seconds:.2f} MB/s, "
            f"peak memory of any process {self.peak_mb:.0f} MB"
        )


def _run_command(corpus: Path, out: Path, extra: list[str]) -> tuple[float, float]:
    """Seconds and peak RSS (MB, largest single process of the tree) of one `cleaner run`."""
    command = [sys.executable, "-m", "cleaner", "run", str(corpus), "--out", str(out), "--format", "jsonl"]
    command += ["--shard-size", str(SHARD_SIZE), *extra]
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        raise RuntimeError(f"cleaner run failed ({process.returncode}): {stderr.strip()[-500:]}")
    # ru_maxrss of a reaped child covers its own reaped children: the largest single process.
    return seconds, usage.ru_maxrss / 1024


def _dask_run(corpus: Path, out: Path, workers: int) -> tuple[float, float]:
    import resource

    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        seconds, driver_mb = _run_command(corpus, out, ["--backend", "dask", "--scheduler", cluster.scheduler_address])
        peaks = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    return seconds, max(driver_mb, *(kb / 1024 for kb in peaks.values()))


def run_scale_benchmark(
    pages: int, *, workers: tuple[int, ...] = (1, 2), dask_workers: int = 0, keep: Path | None = None
) -> list[ScaleResult]:
    with tempfile.TemporaryDirectory(prefix="cleaner-scale-") as tmp:
        root = keep or Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        corpus = root / f"corpus-{pages}.jsonl"
        size = write_corpus(corpus, pages) / 1e6
        results = []
        for jobs in workers:
            seconds, peak = _run_command(corpus, root / f"out-jobs{jobs}", ["--jobs", str(jobs)])
            results.append(ScaleResult(f"{jobs} local worker{'s' if jobs > 1 else ''}", pages, size, seconds, peak))
        if dask_workers:
            seconds, peak = _dask_run(corpus, root / "out-dask", dask_workers)
            results.append(ScaleResult(f"Dask, {dask_workers}-worker local cluster", pages, size, seconds, peak))
        return results
