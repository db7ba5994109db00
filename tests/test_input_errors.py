"""Bad input gets one clear line naming the file; nothing is written next to the input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ARTICLE = (
    "Council approves new bus lanes\n"
    "By Ana Ruiz\n"
    "The city council voted 7-2 on Tuesday to add bus lanes on three avenues, a plan officials said "
    "would cut average journey times by four minutes.\n"
    "Work is due to start in March and finish by the end of the year, the transport department said.\n"
)


def run_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cleaner", *args], input=stdin, capture_output=True, timeout=300)


def assert_one_line_error(result: subprocess.CompletedProcess, name: str, words: str) -> None:
    err = result.stderr.decode()
    assert result.returncode == 1, err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert name in lines[0] and words in lines[0], lines[0]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path


def listing(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def test_empty_file(folder: Path) -> None:
    path = folder / "empty.txt"
    path.write_bytes(b"")
    assert_one_line_error(run_cli("clean", str(path)), "empty.txt", "empty")
    assert listing(folder) == {"empty.txt"}


def test_whitespace_only_file(folder: Path) -> None:
    path = folder / "blank.txt"
    path.write_bytes(b"\n  \n\t\n")
    assert_one_line_error(run_cli("clean", str(path)), "blank.txt", "empty")


def test_binary_file(folder: Path) -> None:
    path = folder / "image.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    assert_one_line_error(run_cli("clean", str(path)), "image.png", "binary")
    assert listing(folder) == {"image.png"}


def test_missing_file_does_not_stop_the_others(folder: Path) -> None:
    good = folder / "good.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    result = run_cli("clean", str(folder / "missing.txt"), str(good))
    assert result.returncode == 1
    assert "missing.txt: no such file" in result.stderr.decode()
    assert "bus lanes on three avenues" in result.stdout.decode()


@pytest.mark.parametrize("encoding", ["cp1252", "gb18030"])
def test_other_encodings_are_decoded(folder: Path, encoding: str) -> None:
    text = ARTICLE.replace("Ana Ruiz", "Zoë Müller") + "Le café coûte 3 € à Zürich, a déclaré le maire.\n"
    if encoding == "gb18030":
        text += "市议会周二以七票对两票通过了这项计划。\n"
    path = folder / f"page-{encoding}.txt"
    original = text.encode(encoding)
    path.write_bytes(original)
    result = run_cli("clean", "--json", str(path))
    assert result.returncode == 0, result.stderr.decode()
    assert "Zoë Müller" in result.stdout.decode()
    assert path.read_bytes() == original  # the input is never modified
    assert listing(folder) == {path.name}


def test_file_without_newline_and_very_long_lines(folder: Path) -> None:
    sentence = "The committee met again on Thursday to review the budget figures for the port. "
    path = folder / "oneline.txt"
    path.write_text(sentence * 1300, encoding="utf-8")  # ~100k characters, no newline
    result = run_cli("clean", "--json", str(path))
    assert result.returncode == 0, result.stderr.decode()
    assert "review the budget figures" in result.stdout.decode()


def test_long_junk_line_among_article_lines(folder: Path) -> None:
    path = folder / "junk.txt"
    path.write_text(ARTICLE + "x" * 100_000 + "\n" + ARTICLE, encoding="utf-8")
    result = run_cli("clean", str(path))
    assert result.returncode == 0, result.stderr.decode()
    assert "x" * 1000 not in result.stdout.decode()


def test_file_over_the_size_limit(folder: Path) -> None:
    path = folder / "big.txt"
    with path.open("wb") as handle:
        handle.write(ARTICLE.encode() * (50 * 1024 * 1024 // len(ARTICLE)))
    assert_one_line_error(run_cli("clean", str(path)), "big.txt", "too large")
    assert listing(folder) == {"big.txt"}


def test_stdin(folder: Path) -> None:
    result = run_cli("clean", "-", stdin=ARTICLE.encode())
    assert result.returncode == 0, result.stderr.decode()
    assert "Council approves new bus lanes" in result.stdout.decode()


def test_directory_given_to_clean(folder: Path) -> None:
    assert_one_line_error(run_cli("clean", str(folder)), str(folder), "directory")
