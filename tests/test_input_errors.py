"""Bad input gets one clear line naming the file; nothing is written next to the input."""

from __future__ import annotations

import array
import gzip
import mmap
import subprocess
import sys
from pathlib import Path

import numpy
import pytest

import cleaner
from cleaner.htmlinput import looks_like_html

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


@pytest.mark.parametrize("html", [False, True])
def test_a_western_page_with_few_non_ascii_bytes_is_read_as_cp1252(html: bool) -> None:
    # Such a page fits cp1250, cp1252 and cp1257 equally well; the web's default wins the tie.
    text = "Council approves £3,200 grant – residents react\n\n" + ARTICLE + "\n© 2025 The Chronicle · Privacy\n"
    page = f"<html><body><article><p>{text}</p></article></body></html>" if html else text
    doc = cleaner.clean(page.encode("cp1252"), source="page.html" if html else "page.txt")
    assert "£3,200" in " ".join(b.text for b in doc.blocks) and "decoded from cp1252" in doc.notices


@pytest.mark.parametrize(
    "text",
    [
        "Prefeitura aprova nova ponte\n\nO prefeito disse que a ponte será concluída até o fim do ano, às pressas, "
        "e que a obra custará 3 milhões.\n",
        "Il consiglio ha votato martedì: la città avrà più autobus e la piazza sarà chiusa al traffico.\n",
    ],
)
def test_western_pages_in_cp1252_keep_their_accents(text: str) -> None:
    # The detector's best guess for these is cp1250 or cp1258, with cp1252 as good a fit.
    doc = cleaner.clean(text.encode("cp1252"), source="p.txt", options=cleaner.CleanOptions(labels=False))
    assert "decoded from cp1252" in doc.notices and text.splitlines()[-1] in " ".join(b.text for b in doc.blocks)


def test_a_central_european_page_keeps_its_code_page() -> None:
    text = (
        "Miasto zatwierdziło we wtorek nowy plan transportu. Według burmistrza będzie kosztował około "
        "dwustu milionów złotych, a pierwsze prace ruszą wiosną. Mieszkańcy skarżą się na hałas.\n"
    ) * 3
    doc = cleaner.clean(text.encode("cp1250"), source="strona.txt", options=cleaner.CleanOptions(labels=False))
    assert "decoded from cp1250" in doc.notices and "złotych" in " ".join(b.text for b in doc.blocks)


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


def test_utf32_with_bom_is_decoded(folder: Path) -> None:
    path = folder / "page-utf32.txt"
    path.write_bytes(ARTICLE.replace("Ana Ruiz", "Zoë Müller").encode("utf-32"))
    result = run_cli("clean", "--json", str(path))
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode()
    assert "Zoë Müller" in out and "\\u0000" not in out


def test_a_stray_byte_keeps_the_page_utf8(folder: Path) -> None:
    # One invalid byte must not make the whole page another encoding (which would garble "ë", "ü").
    text = ARTICLE.replace("Ana Ruiz", "Zoë Müller")
    path = folder / "stray.txt"
    path.write_bytes(text.encode().replace(b"bus lanes on", b"bus lanes\xff on"))
    result = run_cli("clean", "--json", str(path))
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode()
    assert "Zoë Müller" in out and "1 invalid sequence replaced" in out


def test_a_device_is_read_only_up_to_the_limit(folder: Path) -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero on this system")
    # /dev/zero reports size 0 and never ends: the read must stop at the limit, not fill memory.
    assert_one_line_error(run_cli("clean", "--max-mb", "1", "/dev/zero"), "/dev/zero", "too large")


def test_a_newline_in_a_file_name_stays_on_one_line(folder: Path) -> None:
    path = folder / "bad\nname.txt"
    path.write_bytes(b"")
    assert_one_line_error(run_cli("clean", str(path)), "bad\\nname.txt", "empty")


@pytest.mark.parametrize("value", ["nan", "inf", "0", "-1", "1e-9", "1e13"])
def test_size_limit_must_be_a_sensible_size(value: str) -> None:
    result = run_cli("clean", "--max-mb", value, "-", stdin=ARTICLE.encode())
    assert result.returncode == 2 and "is not a size between" in result.stderr.decode()
    assert "Traceback" not in result.stderr.decode()


@pytest.mark.parametrize("value", ["nan", "0", "-5"])
def test_time_limit_must_be_a_positive_number(value: str, tmp_path: Path) -> None:
    result = run_cli("run", "--timeout", value, "--out", str(tmp_path / "out"))
    assert result.returncode == 2 and "not a positive number" in result.stderr.decode()
    assert not (tmp_path / "out").exists()


def test_a_one_byte_charset_page_with_an_accidental_utf8_pair_is_not_read_as_utf8(folder: Path) -> None:
    # cp1252 "é" followed by a no-break space is a valid UTF-8 pair; the page is still cp1252.
    text = ARTICLE + "« Le chantier est bien avancé », a déclaré la maire. Prix : 3 €.\n"
    path = folder / "fr.txt"
    path.write_bytes(text.replace("avancé »", "avancé\u00a0»").replace("« Le", "«\u00a0Le").encode("cp1252"))
    result = run_cli("clean", str(path))
    assert result.returncode == 0, result.stderr.decode()
    assert "bien avancé" in result.stdout.decode()


def test_importing_the_package_does_not_load_the_models() -> None:
    # The command line's --help must not wait seconds for scikit-learn and trafilatura.
    code = "import sys, cleaner, cleaner.cli; print('sklearn' in sys.modules, 'trafilatura' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.stdout.split() == ["False", "False"], result.stderr


def test_the_public_api_is_exported_typed_and_documented() -> None:
    report = cleaner.analyze(ARTICLE, source="page.txt")
    assert isinstance(report, cleaner.Report) and "Report" in cleaner.__all__
    assert cleaner.analyze.__annotations__["return"] == "Report"
    assert (Path(cleaner.__file__).parent / "py.typed").is_file()  # the wheel takes the whole package
    documented = (
        cleaner.Document,
        cleaner.Metadata,
        cleaner.CleanOptions,
        cleaner.InputError,
        cleaner.Report,
        cleaner.Document.to_dict,
        cleaner.Document.article_text,
        cleaner.ParagraphClassifier.predict,
    )
    for thing in documented:  # a dataclass without a docstring gets its signature as __doc__
        assert thing.__doc__ and not thing.__doc__.startswith(thing.__name__ + "("), thing
    shown = repr(report.document)
    assert shown.startswith("Document(source='page.txt', title='Council approves new bus lanes', blocks=")
    assert "body_blocks=" in shown and "LineDecision" not in shown and len(shown) < 200


def test_the_library_takes_bytes_like_pages_and_names_wrong_types() -> None:
    text = "Council approves budget\n\nThe council approved the budget on Tuesday, the clerk said.\n"
    plain = cleaner.CleanOptions(labels=False)
    expected = cleaner.clean(text.encode(), options=plain).article_text()
    data = text.encode()
    mapped = mmap.mmap(-1, len(data))
    mapped.write(data)
    for page in (
        bytearray(data),
        memoryview(data),
        mapped,
        array.array("B", data),
        numpy.frombuffer(data, dtype=numpy.uint8),
        numpy.frombuffer(data + b" " * (len(data) % 2), dtype=numpy.uint16),  # two-byte items, the same bytes
        numpy.repeat(numpy.frombuffer(data, dtype=numpy.uint8), 2)[::2],  # not contiguous
    ):
        assert cleaner.clean(page, options=plain).article_text() == expected, type(page)
    with_surrogate = cleaner.clean(text.replace("Tuesday", "Tuesday \ud800"), options=plain)
    assert "Tuesday \ufffd" in with_surrogate.article_text()
    for bad in (None, 5):
        with pytest.raises(TypeError, match="page must be str or bytes"):
            cleaner.clean(bad)
    with pytest.raises(TypeError, match="url must be a string"):
        cleaner.analyze(text, url=5)
    with pytest.raises(cleaner.InputError, match=r"too long \(0.0002 million characters; the limit is 0.0001 million"):
        cleaner.clean("x " * 100, options=cleaner.CleanOptions(max_bytes=100))
    for name in ("max_bytes", "max_lines"):
        for limit in (0, -1):
            with pytest.raises(ValueError, match=rf"CleanOptions\.{name} must be a positive whole number"):
                cleaner.CleanOptions(**{name: limit})
        for limit in (1.5, True, "10", None):  # of the wrong type, as the README says
            with pytest.raises(TypeError, match=rf"CleanOptions\.{name} must be a positive whole number"):
                cleaner.CleanOptions(**{name: limit})


def test_a_page_of_too_many_lines_is_refused_before_it_costs_time_and_memory(folder: Path) -> None:
    from cleaner.htmlpage import count_possible_lines

    # Memory grows with the lines (about 3 KB each in the line model); a small file of short lines
    # would otherwise take gigabytes.
    few = cleaner.CleanOptions(max_lines=200)
    text = ARTICLE + "x\n" * 300
    with pytest.raises(cleaner.InputError, match=r"too many lines \(30\d lines; the limit is 200, see Clean"):
        cleaner.clean(text, options=few)
    assert cleaner.clean(text, options=cleaner.CleanOptions(max_lines=400)).blocks
    html = f"<html><body><article><p>{ARTICLE}</p><ul>{'<li>item</li>' * 300}</ul></article></body></html>"
    with pytest.raises(cleaner.InputError, match=r"too many lines \(30\d block elements and line breaks; the lim"):
        cleaner.clean(html, source="list.html", options=few)
    lines_in_one_element = f"<html><body><div>{ARTICLE}\n{'A short line.' * 300}</div></body></html>"
    with pytest.raises(cleaner.InputError, match=r"too many lines \(30\d block elements and line breaks; the lim"):
        cleaner.clean(lines_in_one_element.replace(".A", ".\nA"), source="pre.html", options=few)
    # A CR LF is one line break, as a LF is.
    paragraphs = "<html><body>" + "<p>A line of the page.</p>\r\n" * 150 + "</body></html>"
    assert count_possible_lines(paragraphs) == count_possible_lines(paragraphs.replace("\r\n", "\n")) == 301
    # A last line break ends the last line: three lines are three.
    assert cleaner.clean("Pool to close\nThe council voted.\nIt was late.\n", options=cleaner.CleanOptions(max_lines=3))
    path = folder / "lines.txt"
    path.write_text(text, encoding="utf-8")
    assert_one_line_error(run_cli("clean", "--max-lines", "200", str(path)), "lines.txt", "see CleanOptions.max_lines")
    assert run_cli("clean", "--max-lines", "400", str(path)).returncode == 0


def test_a_page_over_the_limit_names_the_limit_as_its_reader_sets_it(folder: Path) -> None:
    small = cleaner.CleanOptions(max_bytes=1000)
    for page in (b"x " * 1000, gzip.compress(b"x " * 1000), "<p>" + "x " * 1000):
        with pytest.raises(cleaner.InputError, match=r"CleanOptions\.max_bytes\)$") as caught:
            cleaner.clean(page, options=small)
        assert "--max-mb" not in str(caught.value)
    path = folder / "page.txt.gz"
    path.write_bytes(gzip.compress(ARTICLE.encode() * 5000))  # about 1.7 MB decompressed
    assert_one_line_error(run_cli("clean", "--max-mb", "1", str(path)), "page.txt.gz", "(over 1 MB, see --max-mb)")
    result = run_cli("run", "--max-mb", "1", "--out", str(folder / "out"), str(path))
    assert "see --max-mb" in (folder / "out" / "failures.csv").read_text(), result.stderr.decode()


def test_wrong_typed_arguments_and_options_are_named() -> None:
    page = "Council approves budget\n\nThe council approved the budget on Tuesday, the clerk said.\n"
    for function in (cleaner.clean, cleaner.analyze):
        for argument, value, words in (
            ("source", None, "source must be a string, not NoneType"),
            ("options", {"labels": False}, "options must be a CleanOptions or None, not dict"),
            ("options", {}, "options must be a CleanOptions or None, not dict"),  # not the defaults
        ):
            with pytest.raises(TypeError, match=words):
                function(page, **{argument: value})
    for argument, value, words in (
        ("charset", 5, "charset must be a string or None, not int"),
        ("html", "no", "html must be True, False or None, not str"),
    ):
        with pytest.raises(TypeError, match=words):
            cleaner.clean(page.encode(), **{argument: value})
    for field, value, words in (
        ("labels", "no", "CleanOptions.labels must be True or False, not 'no'"),
        ("smoothing", None, "CleanOptions.smoothing must be True or False, not None"),
        ("line_model", 5, "CleanOptions.line_model must be a path or None, not int"),
        ("paragraph_model", b"m.joblib", "CleanOptions.paragraph_model must be a path or None, not bytes"),
    ):
        with pytest.raises(TypeError, match=words):
            cleaner.CleanOptions(**{field: value})
    assert cleaner.CleanOptions(line_model="lines.joblib", paragraph_model=Path("p.joblib"), labels=False)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_read(encoding: str) -> None:
    text = "Council approves budget\n\nThe council approved the budget on Tuesday, the clerk said. Café prices rose.\n"
    plain = cleaner.CleanOptions(labels=False)
    doc = cleaner.clean(text.encode(encoding), source="page.txt", options=plain)
    assert "Café prices rose." in doc.article_text() and f"decoded from {encoding}" in doc.notices
    html = f"<html><body><article><h1>Budget</h1><p>{text.splitlines()[2]}</p></article></body></html>"
    assert "Café prices rose." in cleaner.clean(html.encode(encoding), source="page.txt", options=plain).article_text()
    # A four-byte character across the end of the 16 KB that looks_like_html decodes:
    start = html.index("<p>") + 3
    long_html = html[:start] + ("word " * 1700)[: 8191 - start] + "\U0001f600 " + html[start:]
    assert looks_like_html(long_html.encode(encoding))
    minified = html.replace("<body>", "<head><style>" + "a{b:c}" * 800 + "</style></head><body>")
    assert looks_like_html(minified.encode(encoding))  # a head with no spaces at all
    numbers = b"".join(n.to_bytes(2, "little" if encoding.endswith("le") else "big") for n in range(32, 256)) * 20
    with pytest.raises(cleaner.InputError, match="binary data"):  # 16-bit numbers have the same zeros
        cleaner.clean(numbers, source="table.txt", options=plain)


def test_an_input_error_survives_a_trip_through_a_process_pool() -> None:
    import pickle
    from concurrent.futures import ProcessPoolExecutor

    from cleaner.errors import InputError

    error = InputError("a.txt", "empty input (no text to clean)")
    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), str(copy), copy.source, copy.problem) == (InputError, str(error), error.source, error.problem)
    with ProcessPoolExecutor(1) as pool, pytest.raises(InputError, match="empty input"):
        pool.submit(cleaner.clean, "   ", source="blank.txt").result()


def test_every_invisible_format_character_is_blank_and_letters_are_not() -> None:
    import unicodedata

    from cleaner.visible import has_visible_text, without_invisible_edges

    # Format characters that print a sign (number and end-of-verse marks) are text.
    signs = {0x0600, 0x0601, 0x0602, 0x0603, 0x0604, 0x0605, 0x06DD, 0x070F, 0x0890, 0x0891, 0x08E2, 0x110BD, 0x110CD}
    for code in range(0x110000):
        char = chr(code)
        if unicodedata.category(char) == "Cf":
            assert has_visible_text(char) == (code in signs), hex(code)
    for blank in ("\u2800", "\u3164", "\uffa0", "\u115f", "\u034f\ufe0f", "\U000e0041"):
        assert not has_visible_text(blank)
    for text in ("a", "7", "\u00e9", "\u65e5", "\u2014", "\U0001f600", "\u0600"):
        assert has_visible_text(text)
    assert without_invisible_edges("  \u200b By Ana\u200dRuiz \ufeff") == "   By Ana\u200dRuiz "
    # What completes the character before it stays: an emoji's selector, a flag's tag characters.
    for kept in (
        "I love you \u2764\ufe0f",
        "Go \U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
    ):
        assert without_invisible_edges(kept) == without_invisible_edges(f"\u200b{kept}\u200b") == kept


def test_a_page_of_control_characters_is_empty() -> None:
    for page in ("\x0f", "\x01\x02 \n\x0b", "\x0f\x0e  \u3000"):
        with pytest.raises(cleaner.InputError, match="empty input"):
            cleaner.clean(page)
    assert cleaner.clean("The council voted on Tuesday.\x0f").blocks
    for page in ("\ufeff", "\xa0\u200b\u200e", "\x0f"):
        with pytest.raises(cleaner.InputError, match="empty input"):
            cleaner.clean(page, source="a.html")


@pytest.mark.parametrize(
    "page", ["<svg>html", '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><text>News</text></svg>']
)
def test_an_svg_file_named_html_is_an_input_error(page: str) -> None:
    """The date finder trafilatura calls once failed with a bare AssertionError on such a root."""
    with pytest.raises(cleaner.InputError, match=r"x\.html: no text in this HTML page"):
        cleaner.clean(page, source="x.html")
