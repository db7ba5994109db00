"""Errors that reach users as one line naming the input and the problem."""

from __future__ import annotations


class CleanerError(Exception):
    """A problem with one input or artifact; str() is the one-line message for users."""


def shown(name: str) -> str:
    """A file name as messages show it: control characters (a newline in a name) escaped, so a
    message stays one line."""
    if name.isprintable():
        return name
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in name)


class InputError(CleanerError):
    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{shown(source)}: {problem}")
        self.source = source
        self.problem = problem


class ModelError(CleanerError):
    """A model file that is missing, altered or unusable; the message says how to rebuild it."""
