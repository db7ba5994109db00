"""HTML pages: detection, gzip, charsets, trafilatura's blocks and metadata, and bad input."""

from __future__ import annotations

import gzip
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

import cleaner
from cleaner.cli import app
from cleaner.errors import InputError
from cleaner.htmlinput import decode_html, looks_like_html
from cleaner.options import CleanOptions

NO_LABELS = CleanOptions(labels=False)
PARAGRAPH = (
    "The city council voted 7-2 on Tuesday to close the public pool on Elm Street at the end of the "
    "summer, citing repair costs of $2.4 million, the clerk said."
)
PAGE = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Council votes to close pool | The Elm Gazette</title>
<meta property="og:site_name" content="The Elm Gazette"><meta name="author" content="Ana Ruiz">
<meta property="article:published_time" content="2025-06-03"></head>
<body><nav><a href="/">Home</a> | <a href="/news">News</a> | <a href="/sport">Sport</a></nav>
<article><h1>Council votes to close pool</h1><p>{PARAGRAPH}</p><h2>What happens next</h2>
<p>Residents who spoke at the meeting urged the council to delay the closure until a study of other
sites is finished, and two members said they would bring the question back in September.</p>
<ul><li>The pool opened in 1961.</li><li>About 40,000 people used it last year.</li></ul></article>
<footer>© 2025 The Elm Gazette. All rights reserved. Privacy policy. Cookie settings.</footer></body></html>
"""
runner = CliRunner()


def test_html_is_recognised_from_content_or_name() -> None:
    assert looks_like_html(PAGE.encode())
    assert not looks_like_html(b"Council votes to close pool\n\nThe city council voted on Tuesday.")
    for encoding in ("utf-16", "utf-32"):  # with a byte-order mark: "<" is not the byte "<"
        assert looks_like_html(PAGE.encode(encoding))
        doc = cleaner.clean(PAGE.encode(encoding), source="page.txt", options=NO_LABELS)
        assert doc.metadata.title and PARAGRAPH in doc.article_text() and "<p>" not in doc.article_text()


def test_html_page_becomes_blocks_and_metadata() -> None:
    doc = cleaner.clean(PAGE.encode(), source="pool.html", options=NO_LABELS)
    kinds = [(b.kind, b.text) for b in doc.blocks]
    assert ("body", PARAGRAPH) in kinds
    assert ("heading", "What happens next") in kinds
    assert ("body", "• The pool opened in 1961.") in kinds
    kept = [text for kind, text in kinds if kind != "boilerplate"]
    assert not any("Cookie settings" in text or text == "Sport" for text in kept)
    # What trafilatura left out is in the document as boilerplate, with its reason, and only that.
    left_out = {d.text: d.reason for d in doc.line_decisions if d.kind == "boilerplate"}
    # The menu stood above the article's text, and the reason says so (a byline there is the page's).
    above = "not in the main content (trafilatura left it out), above the article's text"
    assert left_out["Home | News | Sport"] == above
    assert any("Cookie settings" in text for text in left_out)
    assert PARAGRAPH not in left_out and "What happens next" not in left_out
    assert doc.metadata.site_name == "The Elm Gazette"
    assert doc.metadata.author == "Ana Ruiz"
    assert doc.metadata.date_iso == "2025-06-03"
    assert doc.blocks[0].kind == "title"


def test_html_body_paragraphs_are_labelled() -> None:
    doc = cleaner.clean(PAGE, source="pool.html")
    body = [b for b in doc.blocks if b.kind == "body"]
    assert body and all(b.label in cleaner.LABELS and b.scores for b in body)


def test_gzipped_html_file_through_the_cli(tmp_path: Path) -> None:
    path = tmp_path / "pool.html.gz"
    path.write_bytes(gzip.compress(PAGE.encode()))
    result = runner.invoke(app, ["clean", str(path)])
    assert result.exit_code == 0, result.output
    assert PARAGRAPH in result.output


def test_gz_that_is_not_gzip_is_one_clear_line(tmp_path: Path) -> None:
    path = tmp_path / "page.html.gz"
    path.write_bytes(PAGE.encode())
    result = runner.invoke(app, ["clean", str(path)])
    assert result.exit_code == 1
    assert result.output.strip() == f"cleaner: error: {path}: not a gzip file (the name ends in .gz)"


def test_truncated_gzip_is_refused() -> None:
    data = gzip.compress(PAGE.encode())
    with pytest.raises(InputError, match="truncated gzip"):
        cleaner.clean(data[: len(data) // 2], source="page.html.gz", options=NO_LABELS)


def test_truncated_page_keeps_what_is_there() -> None:
    cut = PAGE[: PAGE.index("two members")]
    doc = cleaner.clean(cut, source="cut.html", options=NO_LABELS)
    assert any(b.text == PARAGRAPH for b in doc.blocks)


def test_page_without_body_text_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="no text in this HTML page"):
        cleaner.clean(b"<html><head><title>x</title></head><body></body></html>", source="e.html", options=NO_LABELS)


def test_control_characters_in_a_page_are_not_written_back_to_lxml() -> None:
    # libxml2 keeps C0 controls, raw or from "&#1;"; lxml refuses to write them into its tree.
    for page, text in (("<p>a\x01", "a"), ("<html><body><div>Menu\x0bHome</div></body></html>", "Menu Home")):
        assert [b.text for b in cleaner.clean(page, options=NO_LABELS).blocks] == [text]  # the flattened fallback
    with pytest.raises(InputError, match="no text in this HTML page"):
        cleaner.clean("<p>\x0f", options=NO_LABELS)
    menu = PAGE.replace("Home</a> |", "Home&#x0b;</a>\x01|").replace("repair costs", "repair&#1; costs")
    doc = cleaner.clean(menu, options=NO_LABELS)  # trafilatura's extraction, with the page's left-out lines
    assert any(d.text == "Home | News | Sport" and d.kind == "boilerplate" for d in doc.line_decisions)
    assert any("repair" in b.text and "costs of $2.4 million" in b.text for b in doc.blocks if b.kind == "body")


def test_a_url_that_names_no_host_is_not_the_documents_address() -> None:
    # The same rule as for text pages: "not a url" or "javascript:…" is not where the page came from.
    for bad in ("not a url", "javascript:alert(1)", "http://[oops/x"):
        for page in (PAGE, "Council votes to close pool\n\n" + PARAGRAPH):
            assert cleaner.clean(page, url=bad, options=NO_LABELS).metadata.url is None, (bad, page[:9])
    given = "https://elm.example/pool"
    assert cleaner.clean(PAGE, url=given, options=NO_LABELS).metadata.url == given
    canonical = PAGE.replace("<head>", '<head><link rel="canonical" href="https://gazette.example/pool">')
    assert cleaner.clean(canonical, url=given, options=NO_LABELS).metadata.url == "https://gazette.example/pool"


def test_page_declaring_one_charset_and_using_another() -> None:
    page = PAGE.replace('charset="utf-8"', 'charset="iso-8859-1"').replace("clerk", "café clerk")
    decoded = decode_html(page.encode("utf-8"), "p.html")
    assert "café clerk" in decoded.text
    doc = cleaner.clean(page.encode("utf-8"), source="p.html", options=NO_LABELS)
    assert any("café clerk" in b.text for b in doc.blocks)


def test_a_charset_no_web_page_uses_is_ignored() -> None:
    page = '<html><meta charset="windows-1252"><body><p>Caf\u00e9 prices rose by \\u00e9 per cent.</p></body></html>'
    page = page.encode("cp1252")
    for served in ("undefined", "unicode_escape", "rot13", "no-such-charset", "utf\x008", "utf\ud800"):
        decoded = decode_html(page, "p.html", served_charset=served)
        assert "Caf\u00e9" in decoded.text and "\\u00e9" in decoded.text, served
    meta = page.replace(b"windows-1252", b"unicode_escape")
    assert "\\u00e9" in decode_html(meta, "p.html").text
    for utf16 in (b"utf16", b"utf_16", b"utf-16-le"):  # a meta tag's UTF-16, however spelled: not used
        assert "Caf\u00e9" in decode_html(page.replace(b"windows-1252", utf16) + b" ", "p.html").text
    euro = '<html><meta charset="windows-1252"><body><p>\u20ac5 \u2014 \u201cok\u201d</p></body></html>'.encode(
        "cp1252"
    )
    for label in ("ISO_8859-1", "l1", "csisolatin1", "us-ascii"):  # all mean windows-1252, as in browsers
        assert (
            "\u20ac5 \u2014 \u201cok\u201d" in decode_html(euro.replace(b"windows-1252", label.encode()), "p.html").text
        )
    thai = "<html><body><p>\u0e02\u0e48\u0e32\u0e27</p></body></html>".encode("cp874")
    assert "\u0e02\u0e48\u0e32\u0e27" in decode_html(thai, "p.html", served_charset="windows-874").text
    assert (
        decode_html("<p>\u00e9t\u00e9</p>".encode("utf-16-le"), "p.html", served_charset="utf-16le").text
        == "<p>\u00e9t\u00e9</p>"
    )


def test_declared_legacy_charset_is_used() -> None:
    page = PAGE.replace('charset="utf-8"', 'charset="windows-1252"').replace("clerk", "café clerk")
    doc = cleaner.clean(page.encode("cp1252"), source="p.html", options=NO_LABELS)
    assert any("café clerk" in b.text for b in doc.blocks)
    assert "decoded from cp1252" in doc.notices


def test_deeply_nested_markup_is_read_quickly() -> None:
    text = "Deep text of a page nested ten thousand levels down, which is still read. " * 5
    page = "<html><body>" + "<div>" * 10_000 + f"<p>{text}</p>" + "</div>" * 10_000 + "</body></html>"
    start = time.monotonic()
    doc = cleaner.clean(page, source="deep.html", options=NO_LABELS)
    assert time.monotonic() - start < 30  # a hang guard, not a performance test
    assert any("ten thousand levels" in b.text for b in doc.blocks)


def test_oversized_page_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "big.html"
    path.write_bytes(b"<html><body>" + b"<p>word word word</p>" * 1_000_000 + b"</body></html>")  # about 21 MB
    result = runner.invoke(app, ["clean", str(path)])
    assert result.exit_code == 1
    assert "too large" in result.output and str(path) in result.output


def test_line_breaks_and_nested_lists_keep_words_apart() -> None:
    page = f"""<html><head><title>Pool hours</title></head><body><article><h1>Pool hours</h1><p>{PARAGRAPH}</p>
    <p>Elm Street Pool<br>14 Elm Street<br>Ridgeford</p>
    <ul><li>Weekdays from 6 a.m. to 9 p.m.<ul><li>Lanes close at 8 p.m.</li></ul></li><li>Weekends from 8 a.m.</li></ul>
    <p>{PARAGRAPH.replace("council", "board")}</p></article></body></html>"""
    doc = cleaner.clean(page, source="hours.html", options=NO_LABELS)
    texts = [b.text for b in doc.blocks]
    assert "Elm Street Pool 14 Elm Street Ridgeford" in texts
    assert "• Weekdays from 6 a.m. to 9 p.m." in texts and "• Lanes close at 8 p.m." in texts
    assert sum("Lanes close" in t for t in texts) == 1
    assert [b.kind for b in doc.blocks].count("title") == 1 and not any(
        b.kind == "heading" and b.text == "Pool hours" for b in doc.blocks
    )


def test_utf16_declaration_in_a_meta_tag_is_read_as_utf8() -> None:
    page = PAGE.replace('charset="utf-8"', 'charset="utf-16"').replace("clerk", "café clerk")
    doc = cleaner.clean(page.encode("utf-8"), source="p.html", options=NO_LABELS)
    assert any("café clerk" in b.text for b in doc.blocks)


def test_unclosed_script_in_a_large_page_is_handled_in_linear_time() -> None:
    page = "<html><body>" + "<script>var x = 1; " * 20_000 + "</body></html>"
    start = time.monotonic()
    with pytest.raises(InputError, match="no text"):
        cleaner.clean(page, source="s.html", options=NO_LABELS)
    assert time.monotonic() - start < 20  # a hang guard: the quadratic version took minutes


def test_multi_member_gzip_is_read_whole() -> None:
    half = len(PAGE) // 2
    data = gzip.compress(PAGE[:half].encode()) + gzip.compress(PAGE[half:].encode())
    doc = cleaner.clean(data, source="pool.html.gz", options=NO_LABELS)
    assert any("two members said" in b.text for b in doc.blocks)


def test_own_outlet_name_in_the_headline_is_not_a_copied_headline() -> None:
    page = PAGE.replace("<title>Council votes to close pool | The Elm Gazette</title>", "")
    page = page.replace(
        '<meta property="og:site_name"',
        '<meta property="og:title" content="Council votes to close pool | The Elm Gazette">'
        '<meta property="og:site_name"',
    )
    signals = {s.name: s for s in cleaner.analyze(page.encode(), source="p.html").signals}
    assert signals["copied_headline"].value is False


def test_second_pass_moves_link_prompts_bylines_and_copyright_out_of_the_body() -> None:
    """trafilatura keeps these inside <article>; our second pass moves them, and keeps short list
    items (which the line model alone would also have taken for chrome) in the body."""
    findings = (
        "The county health department said on Monday that 14 restaurants failed their spring "
        "inspections, up from nine a year earlier, and that three of them have since closed."
    )
    director = (
        "The department's director, Laila Haddad, said the rise reflected more frequent visits rather "
        "than worse kitchens, and that owners had 30 days to correct every violation."
    )
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>Fourteen restaurants fail</title>
    </head><body><nav><a href="/">Home</a> <a href="/health">Health</a></nav><article>
    <h1>Fourteen restaurants fail</h1><p>By Tomas Lindqvist</p><p>{findings}</p>
    <p>Read more: County opens two new clinics in the north end</p><p>{director}</p>
    <ul><li>Fresh salads</li><li>Grilled fish</li></ul>
    <p>Copyright 2025 The County Courier. All rights reserved.</p></article></body></html>"""
    doc = cleaner.clean(page, source="inspections.html", options=NO_LABELS)
    decisions = {d.text: d for d in doc.line_decisions}
    assert decisions["By Tomas Lindqvist"].kind == "byline"
    assert decisions["Read more: County opens two new clinics in the north end"].kind == "boilerplate"
    assert decisions["Copyright 2025 The County Courier. All rights reserved."].kind == "boilerplate"
    for moved in ("By Tomas Lindqvist", "Copyright 2025 The County Courier. All rights reserved."):
        assert "second pass" in decisions[moved].reason
    body = [b.text for b in doc.blocks if b.kind == "body"]
    assert body == [findings, director, "• Fresh salads", "• Grilled fish"]
    # The items are in the extracted text, so they are not listed again as left out.
    assert "Fresh salads" not in decisions and "Grilled fish" not in decisions


def test_second_pass_keeps_sentences_that_merely_open_like_a_date_stamp() -> None:
    """Right after a byline the line model takes such a sentence for a date line; without a date in
    it, it stays in the body."""
    opening = "Updated rules take effect in July."
    page = PAGE.replace(f"<p>{PARAGRAPH}</p>", f"<p>By Ana Ruiz</p><p>{opening}</p><p>{PARAGRAPH}</p>")
    doc = cleaner.clean(page, source="pool.html", options=NO_LABELS)
    kinds = [(b.kind, b.text) for b in doc.blocks]
    assert ("byline", "By Ana Ruiz") in kinds and ("body", opening) in kinds


def test_table_rows_in_the_article_are_not_listed_again_as_left_out() -> None:
    rows = "".join(f"<tr><td>{n}</td><td>Lane {n}</td><td>{n * 7} m</td></tr>" for n in range(1, 5))
    page = PAGE.replace("</article>", f"<table>{rows}</table></article>")
    doc = cleaner.clean(page, source="pool.html", options=NO_LABELS)
    body = [b.text for b in doc.blocks if b.kind == "body"]
    assert "1 | Lane 1 | 7 m" in body
    left_out = [d.text for d in doc.line_decisions if d.reason.startswith("not in the main content")]
    assert not any("Lane" in text for text in left_out)


def test_an_html_fragment_is_html_though_it_starts_with_text() -> None:
    fragment = (
        "The city council voted 7-2 on Tuesday to replace the bridge, officials said.<br><br>The project "
        'will cost $4.2 million, according to <a href="/tom">transport director Tom Lee</a>.<br><br>'
        '<b>Read more:</b> <a href="/x">Other story</a>'
    )
    assert looks_like_html(fragment.encode())
    text = cleaner.clean(fragment).article_text()
    assert "<a" not in text and "<br>" not in text and "Tom Lee" in text
    served = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body><p>Story.</p><p>More.</p></body></html>"
    assert looks_like_html(served.encode())
    # A text that quotes tags is still text, and so is a file named as text.
    tutorial = "Wrap a paragraph in <p> and </p>; a line break is <br>. That is all the markup this needs."
    assert not looks_like_html(tutorial.encode())
    assert "<p>" in cleaner.clean(tutorial).article_text()
    # A feed's article body: two kinds of block closed, no attributes.
    feed = "The council voted on Tuesday.<p>The works start in June.</p><ul><li>Cost: $4.2 million</li></ul>"
    assert looks_like_html(feed.encode())
    assert not looks_like_html(fragment.encode(), fragments=False)
    assert "<a" in cleaner.clean(fragment.encode(), source="notes.txt").blocks[0].text


def test_paragraphs_and_lines_of_invisible_characters_are_blank() -> None:
    # trafilatura keeps a <p> holding only a zero-width space as main content; it is no paragraph.
    spacers = "<p>&#8203;</p><p>\u200b \u00ad</p><div>\ufeff</div><p>&#x2800;</p><p>\u2066\u2069 \u3164</p>"
    page = PAGE.replace("<h2>", f"{spacers}<h2>").replace("<footer>", f"{spacers}<footer>")
    doc = cleaner.clean(page, source="pool.html", options=NO_LABELS)
    plain = cleaner.clean(PAGE, source="pool.html", options=NO_LABELS)
    assert [(b.kind, b.text) for b in doc.blocks] == [(b.kind, b.text) for b in plain.blocks]
    # In a text page such a line parts paragraphs as a blank line does.
    text = "Council votes to close pool\n\n" + PARAGRAPH + "\n\n" + PARAGRAPH.replace("7-2", "6-3")
    spaced = text.replace("\n\n", "\n\u200b\n")
    doc, plain = (cleaner.clean(t, source="pool.txt", options=NO_LABELS) for t in (spaced, text))
    assert [(b.kind, b.text) for b in doc.blocks] == [(b.kind, b.text) for b in plain.blocks]


def test_invisible_characters_at_the_edges_of_a_line_change_nothing() -> None:
    # A zero-width space before "By" made the byline name no one (-10 points).
    text = f"Council votes to close pool\nBy Ana Ruiz\nJune 3, 2025\n\n{PARAGRAPH}\n"
    plain = cleaner.analyze(text)
    for marked in (text.replace("By", "\u200bBy"), "\n".join(f"\ufeff{line}\u200e" for line in text.split("\n"))):
        report = cleaner.analyze(marked)
        assert report.to_dict()["signals"] == plain.to_dict()["signals"]
        assert report.document.metadata.author == plain.document.metadata.author == "Ana Ruiz"
    page = PAGE.replace("<p>The city", "<p>\u200bThe city").replace("</article>", "\u2060</article>")
    doc = cleaner.clean(page, source="pool.html", options=NO_LABELS)
    assert ("body", PARAGRAPH) in [(b.kind, b.text) for b in doc.blocks]
