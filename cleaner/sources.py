"""Lazy readers that turn a run's inputs (files, folders, glob patterns, JSON Lines and WARC files)
into a stream of pages.

Nothing is read before the iterator reaches it and at most one page is held at a time, so memory does
not grow with the corpus. A problem with an input becomes an InputFailure; the iterator never raises
for one.
"""

from __future__ import annotations

import errno
import fnmatch
import glob
import gzip
import json
import os
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.limitreader import LimitReader
from warcio.recordloader import ArcWarcRecord

from .errors import COMMAND_LIMIT, SURROGATE_RE, InputError, readable_path, too_large
from .htmlinput import GZIP_MAGIC, HTML_SUFFIXES
from .runstate import FAILURE_COLUMNS as RUN_FAILURE_COLUMNS
from .runstate import FILES_STATE_FILE, ID_OWNERS_FILE
from .runstate import LOCK_FILE as RUN_LOCK_FILE
from .runstate import STATE_FILE as RUN_STATE_FILE
from .runstate import SUMMARY_COLUMNS as RUN_SUMMARY_COLUMNS
from .textinput import read_bounded

PAGE_SUFFIXES: tuple[str, ...] = (".txt", ".text", ".txt.gz", ".text.gz", *HTML_SUFFIXES)
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz")
WARC_SUFFIXES = (".warc", ".warc.gz")
CONTAINER_SUFFIXES: tuple[str, ...] = (*JSONL_SUFFIXES, *WARC_SUFFIXES)
# Longest first, so that "a.jsonl.gz" loses ".jsonl.gz" and not only ".gz".
_KNOWN_SUFFIXES = sorted(PAGE_SUFFIXES + CONTAINER_SUFFIXES, key=len, reverse=True)
# The header rows a run writes: a folder holding both files is a report folder, not pages.
REPORT_HEADERS = {
    "summary.csv": ",".join(RUN_SUMMARY_COLUMNS).encode(),
    "failures.csv": ",".join(RUN_FAILURE_COLUMNS).encode(),
}
INSIDE_OUTPUT = "inside the output folder, where reports could overwrite it; choose another --out"
PATTERN_INSIDE_OUTPUT = "the pattern matches only files inside the output folder; choose another --out"
NO_JSONL_PAGES = "no pages in this JSON Lines file (it is empty or blank)"
NO_WARC_PAGES = "no HTML response records in this WARC file"
NO_PAGES = f"no pages ({', '.join(PAGE_SUFFIXES + CONTAINER_SUFFIXES)}) in this folder"

HTML_CONTENT_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# How far into an untyped WARC payload to look for "<html" or "<!doctype".
SNIFF_BYTES = 4096
# JSON may spend six characters on one byte (\u001f), so a JSON Lines line can be that many times
# longer than its page; the overhead leaves room for the id, the url and the JSON around them.
JSON_ESCAPE_FACTOR = 6
LINE_OVERHEAD_BYTES = 64 * 1024
# Pieces in which the rest of an over-long line is skipped without holding it.
SKIP_CHUNK_BYTES = 1024 * 1024
# Library error messages are cut to this, so a failure stays one readable line.
MAX_DETAIL_CHARS = 200
# Errors whose message says what is wrong with a WARC file.
WARC_ERRORS = (ArchiveLoadFailed, EOFError, zlib.error, ValueError, OSError)


@dataclass(frozen=True)
class PageInput:
    key: str  # stable identity: resolved path, "PATH:LINE" (JSON Lines) or "PATH@OFFSET" (WARC)
    name: str  # id proposal, not yet made safe
    source: str  # how messages and reports name the page
    data: bytes
    url: str | None
    html: bool | None  # None: the container does not say, the cleaner detects it
    charset: str | None = None  # the charset a WARC response was served with (HTTP Content-Type)


@dataclass(frozen=True)
class InputFailure:
    source: str  # file, "PATH:LINE" or "PATH@OFFSET"
    problem: str  # one line


def iter_inputs(
    inputs: Iterable[str | Path], *, exclude: Path | None = None, max_bytes: int
) -> Iterator[PageInput | InputFailure]:
    """Pages from files, folders (recursive, sorted, hidden entries and `exclude` skipped), glob
    patterns, JSON Lines and WARC files, in the order given; problems come as InputFailure items."""
    for found in _files(inputs, exclude):
        if isinstance(found, InputFailure):
            yield replace(found, source=readable_path(found.source))
        else:
            for item in _read_file(found, max_bytes):
                if isinstance(item, InputFailure):
                    yield replace(item, source=readable_path(item.source))
                else:
                    yield replace(
                        item,
                        key=_text_key(item.key),
                        name=readable_path(item.name),
                        source=readable_path(item.source),
                    )


def _text_key(key: str) -> str:
    """An input's key as text that stays unique: the escapes of readable_path could equal a name
    that really holds a backslash ("caf\\xe9.txt"), so a key with bytes that are not UTF-8 is
    the hex of its bytes instead (a resolved path starts with "/" or a drive, never "bytes:")."""
    if not SURROGATE_RE.search(key):
        return key
    try:
        return "bytes:" + key.encode("utf-8", "surrogateescape").hex()
    except UnicodeEncodeError:  # a surrogate no file name's byte gives
        return "bytes:" + key.encode("utf-8", "surrogatepass").hex()


def input_listing(inputs: Iterable[str | Path], *, exclude: Path | None = None) -> Iterator[str]:
    """One line per file the inputs name, in reading order, with its size and modification time:
    a resumed run must find the same files, unchanged, in the same order."""
    for found in _files(inputs, exclude):
        if isinstance(found, InputFailure):
            yield f"{found.source}\t{found.problem}"
            continue
        try:
            stat = os.stat(found)
        except OSError as exc:
            yield f"{found}\t{_os_problem(exc)}"
            continue
        yield f"{found}\t{stat.st_size}\t{stat.st_mtime_ns}"


def _files(inputs: Iterable[str | Path], exclude: Path | None) -> Iterator[str | InputFailure]:
    """The files the inputs name, in order, and a failure for each input that names none."""
    skip = _real(exclude) if exclude is not None else None
    for item in inputs:
        given = str(item)
        # os.path rather than Path: these answer False instead of raising on unreadable parents.
        if os.path.isdir(given):
            yield from _folder_files(given, skip)
        elif os.path.isfile(given):
            yield given
        elif glob.has_magic(given):
            yield from _pattern_files(given, skip)
        elif os.path.lexists(given):
            yield InputFailure(given, _not_regular(given))
        else:
            yield InputFailure(given, "no such file or folder")


def _folder_files(folder: str, skip: Path | None) -> Iterator[str | InputFailure]:
    taken = 0  # a count, not a listing: a huge folder is never held whole
    for found in _walk(folder, skip, frozenset()):
        taken += isinstance(found, str)
        yield found
    if not taken:
        yield InputFailure(folder, NO_PAGES)


def _walk(folder: str, skip: Path | None, ancestors: frozenset[str]) -> Iterator[str | InputFailure]:
    """Page and container files under `folder`, sorted by name at each level."""
    real = os.path.realpath(folder)
    if real in ancestors:
        return  # a symbolic link back up the tree would loop forever
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as exc:
        yield InputFailure(folder, _os_problem(exc))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            is_dir, is_file = entry.is_dir(), entry.is_file()
        except OSError as exc:  # gone or unreadable since the listing, or a link loop
            if entry.name.lower().endswith(PAGE_SUFFIXES + CONTAINER_SUFFIXES):
                yield InputFailure(entry.path, _os_problem(exc))
            continue
        if is_dir:
            # This run's report folder, and any other run's: reports are not pages.
            if not _excluded(entry.path, skip) and not _holds_reports(entry.path):
                yield from _walk(entry.path, skip, ancestors | {real})
        elif entry.name.lower().endswith(PAGE_SUFFIXES + CONTAINER_SUFFIXES):
            if not is_file:
                # A page's name on a dangling link, a pipe or a socket: said, not skipped in silence.
                yield InputFailure(entry.path, _not_regular(entry.path))
            elif entry.is_symlink() and _excluded(entry.path, skip):
                # A link to a file in the report folder: a report could overwrite what it points at.
                yield InputFailure(entry.path, INSIDE_OUTPUT)
            else:
                yield entry.path


def _not_regular(path: str) -> str:
    if os.path.islink(path) and not os.path.exists(path):
        try:
            os.stat(path)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return "a symbolic link loop (its links lead back to themselves)"
        return "a symbolic link to nothing (its target is missing)"
    return "not a regular file or folder"


def check_outside(inputs: Iterable[str], out: Path) -> None:
    """Refuse a run whose output folder holds one of its inputs: reports could overwrite it."""
    folder = _real(out)
    for given in inputs:
        if os.path.exists(given):
            if _excluded(given, folder):
                raise InputError(given, INSIDE_OUTPUT)
        elif glob.has_magic(given):
            inside = outside = False
            for match in _pattern_matches(given):
                if os.path.isdir(match):
                    continue  # as _pattern_files: a folder a pattern matches is not read
                inside, outside = (True, outside) if _excluded(match, folder) else (inside, True)
                if outside:
                    break  # the run reads the matches outside and skips the others
            if inside and not outside:
                raise InputError(given, PATTERN_INSIDE_OUTPUT)


def _holds_reports(folder: str) -> bool:
    """A report folder of an earlier or running `cleaner run`, known by its state or lock file or by
    the first lines of its summary.csv and failures.csv (its files can still be given by name)."""
    if any(
        os.path.isfile(os.path.join(folder, name))
        for name in (RUN_STATE_FILE, FILES_STATE_FILE, ID_OWNERS_FILE, RUN_LOCK_FILE)
    ):
        return True
    return all(
        (_first_line(os.path.join(folder, name)) or b"").startswith(header) for name, header in REPORT_HEADERS.items()
    )


def _first_line(path: str) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.readline(256).rstrip(b"\r\n")
    except OSError:
        return None


def _real(path: str | Path) -> Path:
    """The path with every symbolic link followed, as far as they lead: a link loop is no
    RuntimeError (Path.resolve raises one before Python 3.13) but a path that fails when read."""
    return Path(os.path.realpath(path))


def _excluded(path: str, skip: Path | None) -> bool:
    return skip is not None and _real(path).is_relative_to(skip)


def _pattern_files(pattern: str, skip: Path | None) -> Iterator[str | InputFailure]:
    taken = excluded = 0
    for match in _pattern_matches(pattern):
        if os.path.isdir(match):
            continue
        if _excluded(match, skip):
            excluded += 1
        elif not os.path.isfile(match):  # a dangling link, a pipe: said, as in a folder
            taken += 1
            yield InputFailure(match, _not_regular(match))
        else:
            taken += 1
            yield match
    if not taken:
        yield InputFailure(pattern, PATTERN_INSIDE_OUTPUT if excluded else "the pattern matches no file")


def _pattern_matches(pattern: str) -> Iterator[str]:
    """The paths a glob pattern matches, in the folder walk's order (name order at each level, a
    folder's files where the folder comes). Folders are entered as the walk enters them: not hidden
    ones (unless the pattern names them so), not report folders and not a symbolic link back up the
    tree; glob.iglob follows such a link round and round, and with two of them under "**" it
    never ends."""
    parts = pattern.split(os.sep)
    fixed = 0
    while fixed < len(parts) - 1 and not glob.has_magic(parts[fixed]):
        fixed += 1
    start = os.sep.join(parts[:fixed]) if fixed else ""
    if fixed == 1 and parts[0] == "":  # a pattern in the root folder: "/*.txt"
        start = os.sep
    if not os.path.isdir(start or os.curdir):
        return iter(())
    rest = tuple(part for part in parts[fixed:] if part != ".")  # "a/*/./b" is "a/*/b"
    if ".." in rest:  # "a/[c]/../b": back up a matched folder; rare, and without "**" glob cannot loop
        if "**" in rest:
            return iter(())
        return iter(sorted(glob.iglob(pattern)))
    return _matching(start, (), rest, frozenset())


def _matching(folder: str, names: tuple[str, ...], parts: tuple[str, ...], ancestors: frozenset[str]) -> Iterator[str]:
    """Paths under `folder` (reached through `names`) that `parts` matches, walking in name order."""
    real = os.path.realpath(folder or os.curdir)
    if real in ancestors:
        return
    try:
        with os.scandir(folder or os.curdir) as scan:
            entries = sorted((entry.name, entry.path if folder else entry.name) for entry in scan)
    except OSError:
        return
    for name, path in entries:
        below = (*names, name)
        if _parts_match(below, parts):
            yield path
        if _may_lead_to_match(below, parts) and os.path.isdir(path) and not _holds_reports(path):
            yield from _matching(path, below, parts, ancestors | {real})


def _name_matches(name: str, part: str) -> bool:
    # As glob: a hidden name matches only a part that starts with a dot; "**" never does.
    if name.startswith(".") and not part.startswith("."):
        return False
    return part != "**" and fnmatch.fnmatch(name, part)


def _parts_match(names: tuple[str, ...], parts: tuple[str, ...]) -> bool:
    if not parts:
        return not names
    if parts[0] == "**":  # no folder, or one or more
        return _parts_match(names, parts[1:]) or (
            bool(names) and not names[0].startswith(".") and _parts_match(names[1:], parts)
        )
    return bool(names) and _name_matches(names[0], parts[0]) and _parts_match(names[1:], parts[1:])


def _may_lead_to_match(names: tuple[str, ...], parts: tuple[str, ...]) -> bool:
    """Whether a path below `names` could match: `names` matches the start of `parts`."""
    if not names:
        return bool(parts)
    if not parts:
        return False
    if parts[0] == "**":
        return _may_lead_to_match(names, parts[1:]) or (
            not names[0].startswith(".") and _may_lead_to_match(names[1:], parts)
        )
    return _name_matches(names[0], parts[0]) and _may_lead_to_match(names[1:], parts[1:])


def _read_file(path: str, max_bytes: int) -> Iterator[PageInput | InputFailure]:
    lower = os.path.basename(path).lower()
    if lower.endswith(JSONL_SUFFIXES):
        yield from _read_jsonl(path, max_bytes)
    elif lower.endswith(WARC_SUFFIXES):
        yield from _read_warc(path, max_bytes)
    else:
        yield _read_page(path, max_bytes)


def _read_page(path: str, max_bytes: int) -> PageInput | InputFailure:
    try:
        data = read_bounded(path, max_bytes)
    except InputError as exc:
        return InputFailure(path, exc.problem)
    except OSError as exc:
        return InputFailure(path, _os_problem(exc))
    return PageInput(str(_real(path)), _stem(path), path, data, None, None)


def _read_jsonl(path: str, max_bytes: int) -> Iterator[PageInput | InputFailure]:
    """One page per line of {"id", "url", "html" or "text"}; a bad line is reported and skipped."""
    key, stem = str(_real(path)), _stem(path)
    line_limit = max_bytes * JSON_ESCAPE_FACTOR + LINE_OVERHEAD_BYTES
    try:
        raw = open(path, "rb")  # noqa: SIM115 (closed by the with below)
    except OSError as exc:
        yield InputFailure(path, _os_problem(exc))
        return
    lineno = read = 0  # lines read: pages and failures
    gzipped = path.lower().endswith(".gz")
    with raw:
        try:
            # By its name or its first bytes: a gzipped file saved as "pages.jsonl" is read too.
            gzipped = gzipped or raw.peek(len(GZIP_MAGIC))[: len(GZIP_MAGIC)] == GZIP_MAGIC
            fh: IO[bytes] = gzip.GzipFile(fileobj=raw, mode="rb") if gzipped else raw
            # readline with a limit: one line at a time, and never more than one page's worth of it.
            while line := fh.readline(line_limit + 1):
                lineno += 1
                if len(line) > line_limit and not line.endswith(b"\n"):
                    skipped = _skip_rest_of_line(fh)
                    read += 1
                    yield InputFailure(
                        f"{path}:{lineno}", too_large(len(line) + skipped, max_bytes, setting=COMMAND_LIMIT)
                    )
                elif record := _jsonl_record(line, path, lineno, key, stem, max_bytes):
                    read += 1
                    yield record
        except (EOFError, zlib.error, OSError) as exc:
            problem = "truncated or corrupt gzip" if gzipped else _os_problem(exc)
            yield InputFailure(path, f"{problem} after line {lineno}; the lines before it were read")
            return
    if not read:  # an empty file (or blank lines only) would pass unnoticed
        yield InputFailure(path, NO_JSONL_PAGES)


def _skip_rest_of_line(fh: IO[bytes]) -> int:
    skipped = 0
    while chunk := fh.readline(SKIP_CHUNK_BYTES):
        skipped += len(chunk)
        if chunk.endswith(b"\n"):
            break
    return skipped


def _jsonl_record(
    line: bytes, path: str, lineno: int, key: str, stem: str, max_bytes: int
) -> PageInput | InputFailure | None:
    where = f"{path}:{lineno}"
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        return InputFailure(where, f"not UTF-8 (byte {exc.start + 1} of the line)")
    if lineno == 1:
        text = text.removeprefix("\ufeff")  # a byte order mark some editors put at the start of a file
    if not text.strip():
        return None
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        return InputFailure(where, f"not valid JSON ({exc.msg} at column {exc.colno})")
    except RecursionError:
        return InputFailure(where, "not valid JSON (nested too deeply)")
    if not isinstance(record, dict):
        return InputFailure(where, "not a JSON object")
    html, text = record.get("html"), record.get("text")
    if not isinstance(html, str) and not isinstance(text, str):
        return InputFailure(where, 'neither "html" nor "text" is given as a string')
    # Lone surrogates (a "\ud800" escape) cannot be encoded; they are replaced rather than lose the page.
    data = (html if isinstance(html, str) else text).encode("utf-8", errors="replace")
    if len(data) > max_bytes:
        return InputFailure(where, too_large(len(data), max_bytes, setting=COMMAND_LIMIT))
    ident, url = record.get("id"), record.get("url")
    if isinstance(url, str):  # lone surrogates ("\ud800") cannot be written into a report
        url = url.encode("utf-8", errors="replace").decode("utf-8")
    name = str(ident) if isinstance(ident, str | int) and not isinstance(ident, bool) else ""
    return PageInput(
        f"{key}:{lineno}",
        name if name.strip() else f"{stem}-{lineno}",
        where,
        data,
        url if isinstance(url, str) and url else None,
        isinstance(html, str),
    )


class _QuietArchiveIterator(ArchiveIterator):
    # warcio writes this multi-line warning to stderr itself; a damaged file is reported as one
    # failure line instead (an empty format string writes nothing).
    INC_RECORD = ""


def _read_warc(path: str, max_bytes: int) -> Iterator[PageInput | InputFailure]:
    """One page per HTML response record; other records are skipped. A truncated or corrupt record
    ends the file with one failure, and only records read whole to their end are yielded."""
    key, stem = str(_real(path)), _stem(path)
    try:
        fh = open(path, "rb")  # noqa: SIM115 (closed by the with below)
    except OSError as exc:
        yield InputFailure(path, _os_problem(exc))
        return
    yielded = False
    with fh:
        records = _QuietArchiveIterator(fh)
        while True:
            # warcio's offset is where the next record starts once the previous one was read to its end.
            offset = records.offset
            try:
                record = next(records, None)
                if record is None:
                    break
                payload, charset = _html_payload(record, max_bytes)
                offset = records.get_record_offset()  # reads the record to its end, so a cut shows up here
                cut = _cut_short(records, record)
            # warcio checks damaged bytes little: besides its own errors it lets AttributeError out of a
            # record cut inside its headers. Any error here is the file's, not ours.
            except Exception as exc:
                detail = _detail(exc) if isinstance(exc, WARC_ERRORS) else f"damaged headers, {type(exc).__name__}"
                yield _warc_failure(path, offset, detail)
                return
            if cut:
                yield _warc_failure(path, offset, cut)
                return
            if payload is None:
                continue
            yielded = True
            if len(payload) > max_bytes:
                yield InputFailure(f"{path}@{offset}", too_large(None, max_bytes, setting=COMMAND_LIMIT))
                continue
            uri = record.rec_headers.get_header("WARC-Target-URI") or None
            source = f"{path}#{uri}" if uri else f"{path}@{offset}"
            yield PageInput(f"{key}@{offset}", uri or f"{stem}-{offset}", source, payload, uri, True, charset)
        # warcio ends quietly when a record is cut before its HTTP headers: unread bytes are that record.
        if records.offset < os.fstat(fh.fileno()).st_size:
            yield _warc_failure(path, records.offset, "cut short")
        elif not yielded:  # an empty WARC, or one of requests and images only, would pass unnoticed
            yield InputFailure(path, NO_WARC_PAGES)


def _html_payload(record: ArcWarcRecord, max_bytes: int) -> tuple[bytes | None, str | None]:
    """The de-chunked, decoded payload (at most max_bytes + 1) of an HTML response record, else None,
    and the charset its Content-Type names."""
    if record.rec_type != "response":
        return None, None
    headers = record.http_headers
    content_type = (headers.get_header("Content-Type") if headers else None) or ""
    media_type, *parameters = (part.strip() for part in content_type.split(";"))
    media_type = media_type.lower()
    if media_type and media_type not in HTML_CONTENT_TYPES:
        return None, None
    payload: bytes = record.content_stream().read(max_bytes + 1)
    if not media_type:
        head = payload[:SNIFF_BYTES].lower()
        if b"<html" not in head and b"<!doctype" not in head:
            return None, None
    charsets = [value for name, _, value in (p.partition("=") for p in parameters) if name.strip().lower() == "charset"]
    return payload, (charsets[0].strip().strip("\"'") or None) if charsets else None


def _cut_short(records: ArchiveIterator, record: ArcWarcRecord) -> str | None:
    """Why a record that warcio read without complaint is not whole, or None.

    warcio stops quietly where a file ends, so this checks that every byte of the record's
    Content-Length was there and, in a .warc.gz, that its gzip member ended (or that the next
    record follows in the same member, which warcio reports itself)."""
    stream = record.raw_stream
    declared = record.rec_headers.get_header("Content-Length") or ""
    # warcio reads a missing or malformed length as an empty record, so that is checked here.
    if not isinstance(stream, LimitReader) or not declared.strip().isdecimal():
        return "no valid Content-Length"
    if stream.limit:
        return "cut short"
    decompressor = records.reader.decompressor
    if decompressor is not None and not decompressor.eof and records.next_line is None:
        return "gzip data cut short"
    return None


def _warc_failure(path: str, offset: int, detail: str) -> InputFailure:
    return InputFailure(
        f"{path}@{offset}", f"truncated or corrupt WARC record ({detail}); the records before it were read"
    )


def _stem(path: str) -> str:
    """The file name without its page or container suffix ("a.html.gz" -> "a")."""
    name = os.path.basename(path)
    for suffix in _KNOWN_SUFFIXES:
        if name.lower().endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return Path(name).stem or name


def _os_problem(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    return f"cannot read ({exc.strerror or _detail(exc)})"


def _detail(exc: BaseException) -> str:
    """A library's message on one line, cut to a readable length."""
    printable = "".join(char if char.isprintable() else " " for char in str(exc))
    text = " ".join(printable.split()) or type(exc).__name__
    return text if len(text) <= MAX_DETAIL_CHARS else text[: MAX_DETAIL_CHARS - 1] + "…"
