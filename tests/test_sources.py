"""Lazy input readers: folders, files, globs, JSON Lines and WARC files become pages or one-line failures."""

from __future__ import annotations

import gzip
import io
import json
import os
import tracemalloc
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

import cleaner
from cleaner import textinput
from cleaner.sources import RUN_FAILURE_COLUMNS, RUN_SUMMARY_COLUMNS, InputFailure, PageInput, iter_inputs

MAX = 1_000_000


def read_all(inputs: list, *, max_bytes: int = MAX, exclude: Path | None = None) -> list[PageInput | InputFailure]:
    items = list(iter_inputs(inputs, max_bytes=max_bytes, exclude=exclude))
    for item in items:
        if isinstance(item, InputFailure):
            assert "\n" not in item.problem and "Traceback" not in item.problem, item
    return items


def pages(items: list) -> list[PageInput]:
    return [item for item in items if isinstance(item, PageInput)]


def failures(items: list) -> list[InputFailure]:
    return [item for item in items if isinstance(item, InputFailure)]


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


# --- files, folders and patterns ---------------------------------------------------------------


def test_folder_walk_is_sorted_recursive_and_skips_hidden_excluded_and_other_files(tmp_path: Path) -> None:
    root = tmp_path / "in"
    for name in [
        "z.text",
        "b.txt",
        "a.html",
        "A.TXT",
        "d.html.gz",
        "e.txt.gz",
        "notes.md",
        "sub/c.htm",
        "sub/.hidden.txt",
    ]:
        write(root / name, name)
    write(root / ".git" / "x.txt", "hidden folder")
    write(root / "out" / "index.html", "the run's own report")
    items = read_all([root], exclude=tmp_path / "in" / "." / "out")
    assert not failures(items)
    assert [p.source for p in items] == [
        str(root / n) for n in ["A.TXT", "a.html", "b.txt", "d.html.gz", "e.txt.gz", "sub/c.htm", "z.text"]
    ]
    assert [p.name for p in items] == ["A", "a", "b", "d", "e", "c", "z"]
    first = items[0]
    assert first.key == str((root / "A.TXT").resolve()) and first.data == b"A.TXT"
    assert first.url is None and first.html is None


def test_explicit_file_is_taken_whatever_its_suffix(tmp_path: Path) -> None:
    [page] = read_all([write(tmp_path / "notes.md", "# hello")])
    assert (page.name, page.data, page.source) == ("notes", b"# hello", str(tmp_path / "notes.md"))


def test_folder_without_pages_is_one_failure_after_walking(tmp_path: Path) -> None:
    write(tmp_path / "empty" / ".hidden.html", "x")
    write(tmp_path / "empty" / "sub" / "readme.md", "x")
    items = read_all([tmp_path / "empty"])
    assert len(items) == 1 and isinstance(items[0], InputFailure)
    assert items[0].source == str(tmp_path / "empty")
    assert items[0].problem.startswith("no pages (.txt, .text, .txt.gz") and ".warc.gz" in items[0].problem


def test_a_dangling_link_or_a_pipe_named_like_a_page_is_a_failure_not_skipped(tmp_path: Path) -> None:
    write(tmp_path / "in" / "a.txt", "page")
    (tmp_path / "in" / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    os.mkfifo(tmp_path / "in" / "pipe.txt")
    (tmp_path / "in" / "other").symlink_to(tmp_path / "nowhere")  # not a page's name: skipped
    items = read_all([tmp_path / "in"])
    assert [p.source for p in items if isinstance(p, PageInput)] == [str(tmp_path / "in" / "a.txt")]
    assert {(f.source, f.problem) for f in failures(items)} == {
        (str(tmp_path / "in" / "gone.txt"), "a symbolic link to nothing (its target is missing)"),
        (str(tmp_path / "in" / "pipe.txt"), "not a regular file or folder"),
    }
    [given] = read_all([tmp_path / "in" / "gone.txt"])
    assert given.problem == "a symbolic link to nothing (its target is missing)"


def test_symlink_loop_is_walked_once(tmp_path: Path) -> None:
    write(tmp_path / "in" / "a.txt", "a")
    (tmp_path / "in" / "loop").symlink_to(tmp_path / "in")
    assert [p.name for p in pages(read_all([tmp_path / "in"]))] == ["a"]


def test_a_pattern_enters_folders_as_the_folder_walk_does(tmp_path: Path) -> None:
    root = tmp_path / "in"
    for name in ("top.txt", "d/p.txt", "d/e/deep.txt", ".hidden/h.txt", "rep/old.txt"):
        write(root / name, name)
    write(root / "rep" / "summary.csv", ",".join(RUN_SUMMARY_COLUMNS) + "\n")  # another run's reports
    write(root / "rep" / "failures.csv", ",".join(RUN_FAILURE_COLUMNS) + "\n")
    # Two links back up the tree: glob.iglob would follow them round and round and never end.
    (root / "d" / "up1").symlink_to(root)
    (root / "d" / "up2").symlink_to(root)
    found = [p.source for p in pages(read_all([f"{root}/**/*.txt"]))]
    assert found == [f"{root}/d/e/deep.txt", f"{root}/d/p.txt", f"{root}/top.txt"]
    assert found == [p.source for p in pages(read_all([root]))]  # the folder walk's files, in its order
    assert [p.source for p in pages(read_all([f"{root}/**"]))] == found
    assert [p.source for p in pages(read_all([f"{root}/*/*.txt"]))] == [f"{root}/d/p.txt"]
    # "." and ".." after a magic part mean what they mean in a path.
    assert [p.source for p in pages(read_all([f"{root}/*/./p.txt", f"{root}/[d]/../top.txt"]))] == [
        f"{root}/d/p.txt",
        f"{root}/d/../top.txt",
    ]
    # A folder the pattern names, hidden or of reports, is read as named.
    assert [p.name for p in pages(read_all([f"{root}/.hidden/*.txt", f"{root}/rep/*.txt"]))] == ["h", "old"]


def test_missing_path_and_patterns(tmp_path: Path) -> None:
    write(tmp_path / "g" / "b.txt", "b")
    write(tmp_path / "g" / "a.txt", "a")
    (tmp_path / "g" / "c.txt.d").mkdir()  # a folder the pattern matches: not a file
    items = read_all([tmp_path / "nope.txt", str(tmp_path / "g" / "*.t*"), str(tmp_path / "*.jsonl")])
    assert items[0] == InputFailure(str(tmp_path / "nope.txt"), "no such file or folder")
    assert [p.name for p in items[1:3]] == ["a", "b"]
    assert items[3] == InputFailure(str(tmp_path / "*.jsonl"), "the pattern matches no file")
    assert len(items) == 4


def test_a_pattern_matching_a_dangling_link_says_so(tmp_path: Path) -> None:
    write(tmp_path / "g" / "a.txt", "a")
    (tmp_path / "g" / "gone.txt").symlink_to(tmp_path / "g" / "deleted.txt")
    os.mkfifo(tmp_path / "g" / "pipe.txt")
    items = read_all([str(tmp_path / "g" / "*.txt")])
    assert [p.name for p in pages(items)] == ["a"]
    assert failures(items) == [
        InputFailure(str(tmp_path / "g" / "gone.txt"), "a symbolic link to nothing (its target is missing)"),
        InputFailure(str(tmp_path / "g" / "pipe.txt"), "not a regular file or folder"),
    ]
    (tmp_path / "g" / "a.txt").unlink()  # only things that are not pages: no "matches no file" as well
    assert len(read_all([str(tmp_path / "g" / "*.txt")])) == 2


def test_too_large_page_is_refused_without_reading_it(tmp_path: Path) -> None:
    big = write(tmp_path / "big.html", b"x" * 2_500_000)
    [failure] = read_all([big], max_bytes=2_000_000)
    assert failure == InputFailure(str(big), "too large (2.5 MB; the limit is 2 MB, see --max-mb)")


@pytest.mark.parametrize(
    ("error", "problem"),
    [(PermissionError(13, "Permission denied"), "permission denied"), (OSError(5, "I/O"), "cannot read (I/O)")],
)
def test_unreadable_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: OSError, problem: str) -> None:
    page = write(tmp_path / "a.txt", "a")

    def failing_open(*args: object, **kwargs: object) -> None:
        raise error

    # Pages are opened by textinput.read_bounded. Tests run as root: chmod would not stop it.
    monkeypatch.setattr(textinput, "open", failing_open, raising=False)
    assert read_all([page]) == [InputFailure(str(page), problem)]


def test_each_input_is_read_only_when_the_iterator_reaches_it(tmp_path: Path) -> None:
    first, second = write(tmp_path / "a.txt", "a"), write(tmp_path / "b.txt", "b")
    items = iter_inputs([first, second], max_bytes=MAX)
    assert next(items).data == b"a"
    second.unlink()
    assert next(items) == InputFailure(str(second), "no such file or folder")


# --- JSON Lines ----------------------------------------------------------------------------------

JSONL_LINES = [
    json.dumps({"id": "one", "url": "https://ex.com/1", "html": "<p>héllo</p>"}),
    "",
    json.dumps({"id": "two", "text": "plain words"}),
    '{"id": "three", "html": "<p>x</p>" "text": "y"}',
    json.dumps(["not", "an", "object"]),
    json.dumps({"id": "five", "url": "https://ex.com/5"}),
    json.dumps({"text": "no id here", "html": "<p>html wins</p>"}),
    "   ",
    json.dumps({"id": "", "text": "empty id"}),
    json.dumps({"id": 10, "text": "numeric id"}),
]


def check_jsonl_items(items: list, path: Path) -> None:
    resolved = str(path.resolve())
    assert [(type(i).__name__, i.source) for i in items] == [
        ("PageInput", f"{path}:1"),
        ("PageInput", f"{path}:3"),
        ("InputFailure", f"{path}:4"),
        ("InputFailure", f"{path}:5"),
        ("InputFailure", f"{path}:6"),
        ("PageInput", f"{path}:7"),
        ("PageInput", f"{path}:9"),
        ("PageInput", f"{path}:10"),
    ]
    one, two, _, not_object, no_text, no_id, empty_id, numeric = items
    assert one == PageInput(f"{resolved}:1", "one", f"{path}:1", "<p>héllo</p>".encode(), "https://ex.com/1", True)
    assert (two.name, two.data, two.url, two.html) == ("two", b"plain words", None, False)
    assert items[2].problem == "not valid JSON (Expecting ',' delimiter at column 36)"
    assert not_object.problem == "not a JSON object"
    assert '"html"' in no_text.problem and '"text"' in no_text.problem
    assert (no_id.name, no_id.data, no_id.html) == ("pages-7", b"<p>html wins</p>", True)
    assert empty_id.name == "pages-9" and numeric.name == "10"


def test_jsonl_records_and_bad_lines(tmp_path: Path) -> None:
    path = write(tmp_path / "pages.jsonl", "\n".join(JSONL_LINES) + "\n")
    check_jsonl_items(read_all([path]), path)


def test_a_jsonl_url_with_a_lone_surrogate_is_kept_readable(tmp_path: Path) -> None:
    path = write(tmp_path / "pages.jsonl", '{"id": "a", "url": "https://ex.com/\\ud800", "text": "Hello there."}\n')
    [page] = read_all([path])
    assert page.url == "https://ex.com/?" and page.url.encode("utf-8")


def test_gzipped_jsonl_reads_the_same(tmp_path: Path) -> None:
    path = write(tmp_path / "pages.jsonl.gz", gzip.compress(("\n".join(JSONL_LINES)).encode()))
    check_jsonl_items(read_all([path]), path)


def test_jsonl_non_utf8_and_oversized_lines_are_skipped(tmp_path: Path) -> None:
    good = json.dumps({"id": "ok", "text": "fine"}).encode()
    huge = json.dumps({"id": "huge", "text": "x" * 100_000}).encode()  # longer than any line the limit allows
    over = json.dumps({"id": "over", "text": "y" * 2_000}).encode()  # a line within reach, a page over the limit
    path = write(tmp_path / "mixed.jsonl", b"\n".join([b'{"text": "caf\xe9"}', huge, over, good]))
    items = read_all([path], max_bytes=1_000)
    assert [i.source for i in items] == [f"{path}:{n}" for n in (1, 2, 3, 4)]
    assert items[0].problem == "not UTF-8 (byte 14 of the line)"
    assert items[1].problem.startswith("too large (0.1 MB; the limit is 0.001 MB")
    assert items[2].problem.startswith("too large (0.002 MB; the limit is 0.001 MB")
    assert items[3].name == "ok"


def test_truncated_gzip_jsonl_keeps_the_lines_before_it(tmp_path: Path) -> None:
    lines = [json.dumps({"id": f"r{n}", "text": f"record {n} " + os.urandom(300).hex()}) for n in range(1, 201)]
    whole = gzip.compress("\n".join(lines).encode())
    path = write(tmp_path / "cut.jsonl.gz", whole[: len(whole) // 2])
    items = read_all([path])
    read = pages(items)
    assert 0 < len(read) < 200 and [p.name for p in read] == [f"r{n}" for n in range(1, len(read) + 1)]
    assert failures(items) == [
        InputFailure(str(path), f"truncated or corrupt gzip after line {len(read)}; the lines before it were read")
    ]
    assert items[-1] == failures(items)[0]


def test_jsonl_is_read_as_gzip_by_its_bytes_not_its_name(tmp_path: Path) -> None:
    packed = write(tmp_path / "saved-as" / "pages.jsonl", gzip.compress(("\n".join(JSONL_LINES)).encode()))
    check_jsonl_items(read_all([packed]), packed)
    plain = write(tmp_path / "named.jsonl.gz", '{"id": "a", "text": "b"}\n')  # as a page named .gz
    assert read_all([plain]) == [
        InputFailure(str(plain), "truncated or corrupt gzip after line 0; the lines before it were read")
    ]
    broken = write(tmp_path / "broken.jsonl", gzip.compress(b'{"id": "a", "text": "b"}\n')[:12])
    assert read_all([broken]) == [
        InputFailure(str(broken), "truncated or corrupt gzip after line 0; the lines before it were read")
    ]


@pytest.mark.parametrize("content", [b"", b"\n\n  \n", gzip.compress(b"")])
def test_a_jsonl_file_without_pages_is_one_failure(tmp_path: Path, content: bytes) -> None:
    path = write(tmp_path / "empty.jsonl", content)
    assert read_all([path]) == [InputFailure(str(path), "no pages in this JSON Lines file (it is empty or blank)")]


def test_big_jsonl_is_streamed(tmp_path: Path) -> None:
    record = json.dumps({"id": "r", "html": "<p>" + "w" * 2_000 + "</p>"}) + "\n"
    path = tmp_path / "big.jsonl"
    with path.open("w") as fh:
        for _ in range(10_000):  # about 20 MB
            fh.write(record)
    tracemalloc.start()
    try:
        count = sum(isinstance(item, PageInput) for item in iter_inputs([path], max_bytes=MAX))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 10_000
    assert peak < 2_000_000, f"peak {peak / 1e6:.1f} MB: the file was not read line by line"


# --- WARC ----------------------------------------------------------------------------------------


def html_response(writer: WARCWriter, uri: str, body: bytes, headers: list[tuple[str, str]] | None = None) -> None:
    http = StatusAndHeaders("200 OK", headers or [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=http))


def body(n: int) -> bytes:
    return f"<!doctype html><html><body><p>Page number {n}.</p></body></html>".encode()


def write_warc(path: Path, count: int, *, extras: bool = True) -> Path:
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=path.suffix == ".gz")
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        for n in range(count):
            if extras and n == 1:
                request = StatusAndHeaders("GET /1 HTTP/1.1", [("Host", "ex.com")], is_http_request=True)
                writer.write_record(
                    writer.create_warc_record(
                        "https://ex.com/1", "request", payload=io.BytesIO(b""), http_headers=request
                    )
                )
                html_response(writer, "https://ex.com/logo.png", b"\x89PNG<html>", [("Content-Type", "image/png")])
            html_response(writer, f"https://ex.com/{n}", body(n))
    return path


@pytest.fixture(params=["plain.warc", "packed.warc.gz"])
def warc_name(request: pytest.FixtureRequest) -> str:
    return request.param


def test_warc_html_responses_in_order(tmp_path: Path, warc_name: str) -> None:
    path = write_warc(tmp_path / warc_name, 1_000)
    items = read_all([path])
    assert not failures(items) and len(items) == 1_000
    assert [p.url for p in items] == [f"https://ex.com/{n}" for n in range(1_000)]
    assert all(p.name == p.url and p.source == f"{path}#{p.url}" and p.html is True for p in items)
    assert [p.data for p in items[:3]] == [body(0), body(1), body(2)]
    offsets = [int(p.key.rpartition("@")[2]) for p in items]
    assert all(p.key == f"{path.resolve()}@{o}" for p, o in zip(items, offsets)) and offsets == sorted(set(offsets))
    with path.open("rb") as fh:  # the key's offset is where that record starts in the file
        fh.seek(offsets[500])
        record = next(iter(ArchiveIterator(fh)))
        assert record.rec_headers.get_header("WARC-Target-URI") == "https://ex.com/500"


def test_a_warc_without_html_responses_is_one_failure(tmp_path: Path) -> None:
    empty = write(tmp_path / "empty.warc", b"")
    info_only = write_warc(tmp_path / "info.warc.gz", 0)
    for path in (empty, info_only):
        assert read_all([path]) == [InputFailure(str(path), "no HTML response records in this WARC file")]


def test_warc_payload_types_and_encodings(tmp_path: Path) -> None:
    path = tmp_path / "kinds.warc.gz"
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        html_response(writer, "https://ex.com/untyped", b"<!DOCTYPE html><p>sniffed</p>", [("Server", "x")])
        html_response(writer, "https://ex.com/untyped.txt", b"just text", [("Server", "x")])
        html_response(writer, "https://ex.com/x", b"<html>x</html>", [("Content-Type", "application/xhtml+xml")])
        zipped = gzip.compress(b"<html>zipped</html>")
        html_response(writer, "https://ex.com/z", zipped, [("Content-Type", "text/html"), ("Content-Encoding", "gzip")])
    assert [(p.url, p.data) for p in read_all([path])] == [
        ("https://ex.com/untyped", b"<!DOCTYPE html><p>sniffed</p>"),
        ("https://ex.com/x", b"<html>x</html>"),
        ("https://ex.com/z", b"<html>zipped</html>"),
    ]


def test_a_warc_responses_http_charset_decodes_its_page(tmp_path: Path) -> None:
    path = tmp_path / "served.warc"
    pages = {  # the header names the charset; the page does not
        "iso-8859-1": "Ticket prices rise to £3,200 – the club said.",
        '"windows-1250"': "Miasto wyda dwieście milionów złotych na nowe tramwaje.",
    }
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=False)
        for charset, text in pages.items():
            html = f"<html><body><article><h1>News</h1><p>{text}</p></article></body></html>"
            encoded = html.encode("cp1252" if charset == "iso-8859-1" else "cp1250")
            served = [("Content-Type", f"text/html; charset={charset}")]
            html_response(writer, f"https://ex.com/{len(text)}", encoded, served)
    items = read_all([path])
    assert [p.charset for p in items] == ["iso-8859-1", "windows-1250"]
    for item, text in zip(items, pages.values()):
        doc = cleaner.clean(item.data, source=item.source, html=item.html, charset=item.charset)
        assert text in " ".join(b.text for b in doc.blocks), doc.notices


def test_warc_record_over_the_limit_is_one_failure_and_reading_goes_on(tmp_path: Path, warc_name: str) -> None:
    path = tmp_path / warc_name
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=warc_name.endswith(".gz"))
        html_response(writer, "https://ex.com/big", b"<html>" + b"x" * 5_000 + b"</html>")
        html_response(writer, "https://ex.com/small", b"<html>small</html>")
    failure, page = read_all([path], max_bytes=1_000)
    assert failure == InputFailure(f"{path}@0", "too large (over 0.001 MB, see --max-mb)")
    assert page.url == "https://ex.com/small"


def test_truncated_warc_gives_one_failure_and_keeps_earlier_records(tmp_path: Path, warc_name: str) -> None:
    whole = write_warc(tmp_path / f"whole-{warc_name}", 3, extras=False)
    complete = read_all([whole])
    data = whole.read_bytes()
    last = int(complete[-1].key.rpartition("@")[2])
    # Every cut inside the last record: its WARC headers, HTTP headers, payload and (gzip) trailer. A
    # plain WARC cut only in the blank lines after the payload has lost nothing and is not counted.
    end = len(data) - (0 if warc_name.endswith(".gz") else len(b"\r\n\r\n"))
    path = tmp_path / warc_name
    for cut in range(last + 1, end):
        path.write_bytes(data[:cut])
        items = read_all([path])
        assert failures(items) == [items[-1]], (cut, items)
        assert items[-1].source == f"{path}@{last}", cut
        assert items[-1].problem.startswith("truncated or corrupt WARC record ("), cut
        assert items[-1].problem.endswith("; the records before it were read"), cut
        assert [(p.url, p.data) for p in items[:-1]] == [(p.url, p.data) for p in complete[:2]], cut


def test_corrupt_warc_start_is_one_failure(tmp_path: Path) -> None:
    path = write(tmp_path / "junk.warc", b"this is not a WARC file\r\n" * 10)
    [failure] = read_all([path])
    assert failure.source == f"{path}@0" and failure.problem.startswith("truncated or corrupt WARC record (")


def test_containers_in_a_folder_are_expanded(tmp_path: Path) -> None:
    write(tmp_path / "in" / "a.jsonl", json.dumps({"id": "j", "text": "t"}))
    write_warc(tmp_path / "in" / "b.warc.gz", 2, extras=False)
    assert [p.name for p in read_all([tmp_path / "in"])] == ["j", "https://ex.com/0", "https://ex.com/1"]


def test_a_record_with_a_wrong_length_is_one_failure_and_warcio_prints_nothing(tmp_path: Path, capfd) -> None:
    body = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body><p>The pool closes.</p></body></html>"
    headers = (
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://example.org/a\r\n"
        b"WARC-Record-ID: <urn:uuid:1>\r\nContent-Type: application/http; msgtype=response\r\n"
    )
    record = headers + b"Content-Length: %d\r\n\r\n" % (len(body) - 10) + body + b"\r\n\r\n"
    path = write(tmp_path / "bad.warc", record + b"a line of text\n")
    items = read_all([path], max_bytes=1_000_000)
    assert isinstance(items[-1], InputFailure) and "corrupt WARC record" in items[-1].problem
    assert capfd.readouterr().err == ""
