"""Where a run's documents are processed: in this process, in local worker processes, or on a Dask
cluster. The logic (`task`) is the same everywhere; results come back in input order, with at most
a small window of documents in flight, so a run of any size holds only that window in memory.

Local workers are pebble processes rather than joblib's: a worker that dies or overruns the time
limit is then one failed document, where joblib would end the whole batch. Workers live for the
whole run, so each loads the models once.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any

from .errors import CleanerError

# Documents (Dask: batches) in flight per worker: enough to keep workers busy while the driver writes.
WINDOW_PER_WORKER = 4
# Documents per Dask task: a task costs milliseconds of scheduling, as much as a small page. With
# a time limit, one document per task, so the limit applies to each.
DASK_BATCH = 32


@dataclass(frozen=True)
class Failed:
    """A document the executor could not get a result for; `problem` is a phrase without the source."""

    problem: str


@dataclass(frozen=True)
class Executor:
    jobs: int = 1
    backend: str = "local"  # "local" or "dask"
    scheduler: str | None = None  # Dask scheduler address, e.g. tcp://10.0.0.5:8786
    timeout: float | None = None  # seconds per document

    def map(self, task: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[tuple[Any, Any]]:
        """(item, task(item) or Failed) in the order of `items`."""
        if self.backend == "dask":
            return _dask(task, items, self.scheduler, self.timeout)
        if self.jobs <= 1 and self.timeout is None:
            return ((item, _guarded(task, item)) for item in items)
        return _processes(task, items, self.jobs, self.timeout)


def _guarded(task: Callable[[Any], Any], item: Any) -> Any:
    try:
        return task(item)
    except CleanerError as exc:
        return Failed(str(exc))
    except Exception as exc:  # a bug met by one document must not end the run
        return Failed(f"internal error ({type(exc).__name__}: {exc})")


def _windowed(submit, wait, items: Iterable[Any], window: int) -> Iterator[tuple[Any, Any]]:
    pending: deque = deque()
    for item in items:
        pending.append((item, submit(item)))
        if len(pending) >= window:
            first, future = pending.popleft()
            yield first, wait(future)
    while pending:
        first, future = pending.popleft()
        yield first, wait(future)


def _processes(task, items, jobs: int, timeout: float | None) -> Iterator[tuple[Any, Any]]:
    from pebble import ProcessExpired, ProcessPool

    def wait(future) -> Any:
        try:
            return future.result()
        except FutureTimeout:
            return Failed(f"took longer than {timeout:g} s (the time limit); stopped")
        except ProcessExpired as exc:
            return Failed(f"the worker process died (exit code {exc.exitcode})")
        except Exception as exc:
            return Failed(f"internal error ({type(exc).__name__}: {exc})")

    with ProcessPool(max_workers=max(jobs, 1)) as pool:
        submit = lambda item: pool.schedule(_guarded, args=(task, item), timeout=timeout)  # noqa: E731
        yield from _windowed(submit, wait, items, WINDOW_PER_WORKER * max(jobs, 1))


def _dask(task, items, scheduler: str | None, timeout: float | None) -> Iterator[tuple[Any, Any]]:
    try:
        from distributed import Client
    except ImportError:
        raise CleanerError("the Dask backend needs the distributed package: pip install 'newsclean[dask]'") from None
    if not scheduler:
        raise CleanerError("the Dask backend needs --scheduler ADDRESS (e.g. tcp://127.0.0.1:8786)")
    try:
        client = Client(scheduler, timeout="20s")
    except OSError as exc:
        raise CleanerError(f"cannot reach the Dask scheduler at {scheduler} ({exc})") from None

    def wait(future) -> Any:
        try:
            return future.result(timeout=timeout)
        except (FutureTimeout, TimeoutError):
            # Dask cannot stop a running task; the document is recorded as failed and the
            # worker finishes it in the background.
            future.cancel()
            return Failed(f"took longer than {timeout:g} s (the time limit); abandoned")
        except Exception as exc:  # KilledWorker: the workers running it died
            return Failed(f"the Dask task failed ({type(exc).__name__}: {exc})")

    def run_batch(batch: list[Any]) -> list[Any]:
        return [_guarded(task, item) for item in batch]

    def wait_batch(entry: tuple[list[Any], Any]) -> list[Any]:
        batch, future = entry
        outcome = wait(future)
        if not isinstance(outcome, Failed) or len(batch) == 1:
            return outcome if isinstance(outcome, list) else [outcome] * len(batch)
        # The batch failed as a whole (its worker died): again one by one, so only the culprit fails.
        return [wait(client.submit(run_batch, [item], pure=False))[0] for item in batch]

    with client:
        workers = max(sum(client.nthreads().values()), 1)
        submit = lambda batch: (batch, client.submit(run_batch, batch, pure=False))  # noqa: E731
        for batch, outcomes in _windowed(
            submit, wait_batch, _batches(items, DASK_BATCH if timeout is None else 1), WINDOW_PER_WORKER * workers
        ):
            yield from zip(batch, outcomes)


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
