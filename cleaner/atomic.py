"""Atomic file writes: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import filecmp
import io
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, TextIO


def write_bytes(path: Path, data: bytes, *, sync: bool = True) -> None:
    """Replace `path` with `data`, on disk before the rename; `sync=False` leaves that to a later
    sync_all() where the platform has one (elsewhere the file is synced anyway)."""
    with _replacing(path, only_if_changed=False, sync=sync) as handle:
        handle.write(data)


def check_folder_writable(folder: Path) -> None:
    """Make `folder` (and its parents) if needed, and write and remove a file there: OSError if it
    cannot take files. Per process: runs starting together must not clash."""
    folder.mkdir(parents=True, exist_ok=True)
    probe = folder / f".write-test-{os.getpid()}"
    probe.write_bytes(b"")
    probe.unlink()


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def write_text_if_changed(path: Path, text: str, *, sync: bool = True) -> None:
    """Write unless the file already holds exactly this text (its timestamp then stays as it was)."""
    data = text.encode("utf-8")
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return
    except OSError:
        pass
    write_bytes(path, data, sync=sync)


@contextmanager
def text_writer(path: Path) -> Iterator[TextIO]:
    """A text handle for a file written in pieces (of any size): it replaces `path` on success,
    unless the content came out identical, and leaves `path` untouched on failure."""
    with _replacing(path, only_if_changed=True) as handle:
        text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
        yield text
        text.flush()
        text.detach()


def commit_handle(handle: BinaryIO, path: Path) -> None:
    """Flush, sync and close a temporary file `handle` was writing, and move it to `path`."""
    handle.flush()
    os.fsync(handle.fileno())
    handle.close()
    os.replace(handle.name, path)


# The temporary files _replacing makes: TEMP_PREFIX + target name + "." + mkstemp's 8 random
# characters + ".tmp"; a name no one else would choose, so a cleanup deletes only ours.
TEMP_PREFIX = ".cleaner-tmp-"
_LEFTOVER_RE = re.compile(re.escape(TEMP_PREFIX) + r".+\.[a-z0-9_]{8}\.tmp")


def remove_leftovers(folder: Path) -> int:
    """Delete the temporary files a killed writer left in `folder`; the caller must hold the
    folder's lock, so no writer is using them. One that cannot be deleted is left. Returns how
    many were removed."""
    removed = 0
    for entry in os.scandir(folder):
        if _LEFTOVER_RE.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
            try:
                os.unlink(entry.path)
            except OSError:
                continue
            removed += 1
    return removed


# os.sync exists on Unix only; elsewhere files are synced one by one.
BATCH_SYNC = hasattr(os, "sync")


def sync_all() -> None:
    """Flush every written file to disk: one call for many files written with sync=False. A sync
    per file made a run's time follow the disk's load (a run took 2.05-2.56x the time of cleaning
    alone with them, 1.86-1.90x with one sync at the end)."""
    if BATCH_SYNC:
        os.sync()


@contextmanager
def _replacing(path: Path, *, only_if_changed: bool, sync: bool = True) -> Iterator[BinaryIO]:
    if not path.parent.is_dir():
        path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f"{TEMP_PREFIX}{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o666 & ~_UMASK)  # mkstemp makes 0600; give the file the usual mode
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            if sync or not BATCH_SYNC:
                os.fsync(handle.fileno())
        if only_if_changed and path.is_file() and filecmp.cmp(tmp, path, shallow=False):
            Path(tmp).unlink()
            return
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


# Read once: os.umask can only be read by setting it, which is not thread-safe to do per file.
_UMASK = _umask()
