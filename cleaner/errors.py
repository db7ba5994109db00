"""Errors that reach users as one line naming the input and the problem."""

from __future__ import annotations

import re


class CleanerError(Exception):
    """A problem with one input or artifact; str() is the one-line message for users."""


# Lone surrogates: how Python keeps the bytes of a file name that are not UTF-8.
SURROGATE_RE = re.compile("[\ud800-\udfff]")


def shown(name: str) -> str:
    """A file name as messages show it: control characters (a newline in a name) escaped, so a
    message stays one line, and bytes that are not UTF-8 as "\\xe9" (readable_path)."""
    if name.isprintable():
        return name
    name = readable_path(name)
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in name)


def readable_path(path: str) -> str:
    """`path` as text that can be stored and written anywhere: Python keeps the bytes of a file name
    that are not UTF-8 ("caf\xe9.txt" in Latin-1) as lone surrogates, which no UTF-8 writer, JSON
    report or database takes; they become "\\xe9" escapes (the file is still read by its real name)."""
    if not SURROGATE_RE.search(path):
        return path
    try:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate no file name's byte gives
        return path.encode("utf-8", "backslashreplace").decode("utf-8")


# The size limit as each audience sets it: library callers in CleanOptions, the command line in MB.
LIBRARY_LIMIT = "CleanOptions.max_bytes"
COMMAND_LIMIT = "--max-mb"


def too_large(size: float | None, max_bytes: int, *, setting: str) -> str:
    """The problem of an input over the size limit (`size` None: only a bounded prefix was read);
    `setting` is where the reader sets that limit (LIBRARY_LIMIT or COMMAND_LIMIT)."""
    limit = f"{max_bytes / 1e6:,g} MB"  # as it was given
    if size is None:
        return f"too large (over {limit}, see {setting})"
    return f"too large ({_millions(size)} MB; the limit is {limit}, see {setting})"


def too_large_decompressed(max_bytes: int) -> str:
    """The problem of a gzipped page over the limit once decompressed (found by `clean`)."""
    return f"too large once decompressed (over {max_bytes / 1e6:g} MB, see {LIBRARY_LIMIT})"


def too_long(characters: int, max_characters: int) -> str:
    """The problem of a page given as text (the library) over the limit, counted in characters."""
    return (
        f"too long ({_millions(characters)} million characters; the limit is "
        f"{max_characters / 1e6:,g} million, {LIBRARY_LIMIT})"
    )


def too_many_lines(count: int, max_lines: int, *, counted: str = "lines") -> str:
    """The problem of a page with more lines than CleanOptions.max_lines allows (an HTML page's are
    counted as its block elements and line breaks, before it is parsed)."""
    limit = f"the limit is {max_lines:,}, see CleanOptions.max_lines or --max-lines"
    return f"too many lines ({count:,} {counted}; {limit})"


def _millions(count: float) -> str:
    """1,572.9 for 1,572,864,000; three significant digits below one million (0.00344)."""
    value = count / 1e6
    return f"{value:,.1f}" if value >= 1 else f"{value:.3g}"


class InputError(CleanerError):
    """An input that cannot be cleaned (empty, binary, too large…); str() is "source: problem"."""

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{shown(source)}: {problem}")
        self.source = source
        self.problem = problem

    def __reduce__(self) -> tuple:
        # Pickled by its two arguments, not its message: an error raised in a worker process
        # (multiprocessing, concurrent.futures) reaches the caller as the same InputError.
        return (type(self), (self.source, self.problem))

    def on_command_line(self) -> InputError:
        """The error as the command line shows it: `clean` names the library's size limit, which
        the command line sets with --max-mb."""
        return InputError(self.source, self.problem.replace(f"see {LIBRARY_LIMIT}", f"see {COMMAND_LIMIT}"))


class ModelError(CleanerError):
    """A model file that is missing, altered or unusable; the message says how to rebuild it."""
