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

BACKENDS = ("local", "dask")
# Tasks in flight per worker: enough to keep workers busy while the driver writes results.
WINDOW_PER_WORKER = 3
# Documents per task. A task costs a process pool a fraction of a millisecond and Dask a few
# milliseconds of scheduling, as much as a small page; a batch spreads that cost.
LOCAL_BATCH = 4
DASK_BATCH = 32
DASK_CONNECT_TIMEOUT = "10s"


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

    def map(
        self, task: Callable[[Any], Any], items: Iterable[Any], *, warm: Callable[[], None] | None = None
    ) -> Iterator[tuple[Any, Any]]:
        """(item, task(item) or Failed) in the order of `items`. `warm` runs once in each worker before
        its first item (loading models), outside the time limit; it must not raise."""
        if self.backend not in BACKENDS:
            raise CleanerError(f"--backend: unknown backend {self.backend!r} (choose {' or '.join(BACKENDS)})")
        if self.backend == "dask":
            return _dask(task, items, self.scheduler, self.timeout, warm)
        if self.jobs <= 1 and self.timeout is None:
            return ((item, _guarded(task, item)) for item in items)
        return _processes(task, items, max(self.jobs, 1), self.timeout, warm)


def _guarded(task: Callable[[Any], Any], item: Any) -> Any:
    try:
        return task(item)
    except CleanerError as exc:
        return Failed(str(exc))
    except Exception as exc:  # a bug met by one document must not end the run
        return Failed(f"internal error ({type(exc).__name__}: {exc})")


def _run_batch(task: Callable[[Any], Any], batch: list[Any]) -> list[Any]:
    return [_guarded(task, item) for item in batch]


def _batched(
    submit: Callable[[list[Any]], Any], wait: Callable[[Any], Any], items: Iterable[Any], *, batch: int, window: int
) -> Iterator[tuple[Any, Any]]:
    """(item, outcome) in input order, `batch` items per task and at most `window` tasks in flight.

    `submit(batch)` returns a future; `wait(future)` its list of outcomes, or one Failed for the
    whole batch (its worker died, or it ran out of time). A failed batch of several documents runs
    again one document per task, so that only the document at fault fails."""
    pending: deque = deque()

    def settle() -> Iterator[tuple[Any, Any]]:
        chunk, future = pending.popleft()
        outcome = wait(future)
        if isinstance(outcome, Failed) and len(chunk) > 1:
            outcome = [_single(wait(submit([item]))) for item in chunk]
        yield from zip(chunk, outcome if isinstance(outcome, list) else [outcome])

    for chunk in _chunks(items, batch):
        pending.append((chunk, submit(chunk)))
        if len(pending) >= window:
            yield from settle()
    while pending:
        yield from settle()


def _single(outcome: Any) -> Any:
    return outcome[0] if isinstance(outcome, list) else outcome


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _processes(task, items, jobs: int, timeout: float | None, warm) -> Iterator[tuple[Any, Any]]:
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

    # With a time limit, one document per task, so the limit applies to each.
    batch = LOCAL_BATCH if timeout is None else 1
    # pebble starts a task's clock when a worker takes it, after the initializer: a worker started
    # again after a timeout loads its models outside the limit too.
    with ProcessPool(max_workers=jobs, initializer=warm) as pool:
        submit = lambda chunk: pool.schedule(_run_batch, args=(task, chunk), timeout=timeout)  # noqa: E731
        yield from _batched(submit, wait, items, batch=batch, window=WINDOW_PER_WORKER * jobs)


def _dask(task, items, scheduler: str | None, timeout: float | None, warm) -> Iterator[tuple[Any, Any]]:
    try:
        from distributed import Client
    except ImportError:
        raise CleanerError("the Dask backend needs the distributed package: pip install 'newsclean[dask]'") from None
    if not scheduler:
        raise CleanerError("the Dask backend needs --scheduler ADDRESS (e.g. tcp://127.0.0.1:8786)")
    try:
        client = Client(scheduler, timeout=DASK_CONNECT_TIMEOUT)
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

    with client:
        if warm is not None:
            # As a task on each worker, not client.run, which would hold the worker's event loop
            # (and its heartbeats) while the models load. A worker that joins later loads them with
            # its first document.
            addresses = list(client.nthreads())
            client.gather([client.submit(warm, pure=False, workers=[a], allow_other_workers=False) for a in addresses])
        workers = max(sum(client.nthreads().values()), 1)
        submit = lambda chunk: client.submit(_run_batch, task, chunk, pure=False)  # noqa: E731
        batch = DASK_BATCH if timeout is None else 1
        yield from _batched(submit, wait, items, batch=batch, window=WINDOW_PER_WORKER * workers)
