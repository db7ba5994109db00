"""`cleaner run`: report folders that are complete, deterministic and never overwrite each other."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cleaner.errors import InputError, ModelError
from cleaner.executors import Executor
from cleaner.options import DEFAULT_MAX_LINES, CleanOptions, RunSettings
from cleaner.run import process, run

PAGE = (
    "Harbour Times\n  • Home\n  • News\n  • Sport\n"
    "Ferry fares to rise in May\nBy Tom Beck\nApril 2, 2025\n"
    "The island ferry company will raise fares by 6% from May 1, its chief executive told councillors "
    "on Tuesday, blaming fuel costs that have doubled since 2021.\n"
    "Season tickets for residents will not change, the company said in a statement.\n"
    "© 2025 Harbour Times. All rights reserved.\n"
)


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_default_run_on_demo_pages_is_byte_identical(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        result = subprocess.run(
            [sys.executable, "-m", "cleaner", "run", "--out", str(out)], capture_output=True, timeout=300
        )
        assert result.returncode == 0, result.stderr.decode()
    a, b = tree(first), tree(second)
    assert a == b
    assert "summary.csv" in a and "failures.csv" in a
    assert sum(name.endswith(".json") for name in a) >= 4


def test_same_file_names_in_different_folders_get_distinct_ids(tmp_path: Path) -> None:
    for folder in ("one", "two"):
        (tmp_path / "in" / folder).mkdir(parents=True)
        (tmp_path / "in" / folder / "page.txt").write_text(PAGE.replace("6%", f"{len(folder)}%"), encoding="utf-8")
    result = run([tmp_path / "in"], tmp_path / "out")
    ids = result.ids()
    assert len(ids) == 2 and len(set(ids)) == 2
    assert len(list((tmp_path / "out").glob("page*.json"))) == 2


def test_a_later_run_of_a_file_of_the_same_name_elsewhere_keeps_the_earlier_report(tmp_path: Path) -> None:
    for folder, word in (("one", "Ferry"), ("two", "Bus")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "page.txt").write_text(PAGE.replace("Ferry", word), encoding="utf-8")
    out = tmp_path / "out"
    run([tmp_path / "one"], out)
    first = tree(out)
    second = run([tmp_path / "two"], out)
    assert len(second.ids()) == 1 and second.ids()[0].startswith("page-")
    assert second.others == 1
    assert {name: data for name, data in tree(out).items() if name.startswith("page.")} == {
        name: data for name, data in first.items() if name.startswith("page.")
    }  # the first input's report, untouched
    assert "Bus" in (out / f"{second.ids()[0]}.txt").read_text(encoding="utf-8")
    # Each input keeps its own id in later runs; one edited where it is keeps it too.
    assert run([tmp_path / "one"], out).reused == 1
    assert run([tmp_path / "two"], out).ids() == second.ids()
    (tmp_path / "one" / "page.txt").write_text(PAGE.replace("Ferry", "Tram"), encoding="utf-8")
    edited = run([tmp_path / "one"], out)
    assert edited.ids() == ["page"] and "Tram" in (out / "page.txt").read_text(encoding="utf-8")
    # A report that cannot be read is not another input's: it is written again.
    (out / "page.json").write_text("{cut short", encoding="utf-8")
    assert run([tmp_path / "one"], out).ids() == ["page"]
    assert json.loads((out / "page.json").read_text(encoding="utf-8"))["document"]["source"].endswith("page.txt")


def test_an_input_keeps_its_id_however_it_is_named_and_another_of_the_same_name_gets_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for folder, word in (("one", "Ferry"), ("two", "Bus")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "page.txt").write_text(PAGE.replace("Ferry", word), encoding="utf-8")
    out = tmp_path / "out"
    # Both given as "page.txt", from their own folders: the same name in the reports, other files.
    monkeypatch.chdir(tmp_path / "one")
    assert run(["page.txt"], out).ids() == ["page"]
    monkeypatch.chdir(tmp_path / "two")
    second = run(["page.txt"], out)
    assert second.ids()[0].startswith("page-") and second.others == 1
    assert "Ferry" in (out / "page.txt").read_text(encoding="utf-8")
    # The first file, edited and named by its full path, is still the one whose report "page" is.
    (tmp_path / "one" / "page.txt").write_text(PAGE.replace("Ferry", "Tram"), encoding="utf-8")
    assert run([tmp_path / "one" / "page.txt"], out).ids() == ["page"]
    assert "Tram" in (out / "page.txt").read_text(encoding="utf-8")
    # Without the folder's record of whose each id is, a report naming another source is kept too.
    (out / ".cleaner-ids").unlink()
    assert run([tmp_path / "two" / "page.txt"], out).ids() == second.ids()


def test_an_input_with_no_free_id_is_a_failure_and_the_run_goes_on(tmp_path: Path, monkeypatch) -> None:
    import hashlib
    import shutil

    import cleaner.runstate as runstate

    for folder, word in (("one", "Ferry"), ("two", "Bus")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "page.txt").write_text(PAGE.replace("Ferry", word), encoding="utf-8")
    (tmp_path / "two" / "other.txt").write_text(PAGE.replace("Ferry", "Tram"), encoding="utf-8")
    out = tmp_path / "out"
    run([tmp_path / "one"], out)
    # Another input's report under each id "two/page.txt" could take, with no ordinal tried.
    digest = hashlib.sha256(str((tmp_path / "two" / "page.txt").resolve()).encode()).hexdigest()[:8]
    shutil.copy(out / "page.json", out / f"page-{digest}.json")
    monkeypatch.setattr(runstate, "MAX_ID_TRIES", 0)
    result = run([tmp_path / "two"], out)
    assert result.ids() == ["other"] and result.failed == 1
    failures = (out / "failures.csv").read_text(encoding="utf-8")
    assert "page.txt: no free report id: 2 tried hold reports of other inputs" in failures


def test_a_jsonl_run_of_other_inputs_is_refused_in_a_folder_of_reports_unless_forced(tmp_path: Path) -> None:
    jsonl = RunSettings(format="jsonl")
    for folder, word in (("one", "Ferry"), ("two", "Bus")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "page.txt").write_text(PAGE.replace("Ferry", word), encoding="utf-8")
    out = tmp_path / "out"
    run([tmp_path / "one"], out, settings=jsonl)
    before = tree(out)
    with pytest.raises(InputError, match=r"a run of other inputs.*--force"):
        run([tmp_path / "two"], out, settings=jsonl)
    assert tree(out) == before
    # The same inputs with other options are the same job: its reports are replaced.
    assert run([tmp_path / "one"], out, settings=jsonl, options=CleanOptions(smoothing=False)).documents == 1
    forced = run([tmp_path / "two"], out, settings=RunSettings(format="jsonl", force=True))
    assert forced.documents == 1 and "Bus" in (out / "shard-00000.jsonl").read_text(encoding="utf-8")
    # The same inputs in another order are the same job; a files run into the folder is refused.
    both = [tmp_path / "one", tmp_path / "two"]
    run(both, out, settings=RunSettings(format="jsonl", force=True))
    assert run(both[::-1], out, settings=jsonl).documents == 2
    with pytest.raises(InputError, match="the other format"):
        run(both, out)
    # Shards whose run left no state are not known to be this run's either.
    (out / ".cleaner-run.sqlite").unlink()
    with pytest.raises(InputError, match="a run of other inputs"):
        run([tmp_path / "two"], out, settings=jsonl)


def test_failures_are_recorded_and_the_run_goes_on(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.txt").write_text(PAGE, encoding="utf-8")
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    result = run([tmp_path / "in", tmp_path / "missing-folder", tmp_path / "empty-dir-*"], tmp_path / "out")
    assert result.ids() == ["good"]
    failures = (tmp_path / "out" / "failures.csv").read_text()
    assert "empty.txt" in failures and "missing-folder" in failures and "matches no file" in failures


def test_directory_without_pages_is_a_failure(tmp_path: Path) -> None:
    (tmp_path / "nothing").mkdir()
    result = run([tmp_path / "nothing"], tmp_path / "out")
    assert result.ids() == [] and "no pages" in result.failures()[0][1]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_output_folder(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    from cleaner.errors import InputError

    with pytest.raises(InputError, match="not writable"):
        run([], locked / "out")


def test_unwritable_output_folder_via_cli(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = subprocess.run(
        [sys.executable, "-m", "cleaner", "run", "--out", str(blocker / "sub")], capture_output=True, timeout=120
    )
    assert result.returncode == 1
    err = result.stderr.decode()
    assert "Traceback" not in err and "not writable" in err
    with pytest.raises(InputError, match="not a folder"):  # --out naming a file itself
        run([], blocker)
    with pytest.raises(InputError, match="not a folder"):  # ...and that file given as the input too
        run([blocker], blocker)
    assert blocker.read_text() == "x"


def test_ctrl_c_stops_a_run_with_one_line_and_the_same_command_goes_on(tmp_path: Path) -> None:
    import signal
    import time

    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(400):
        (folder / f"p{n:03d}.txt").write_text(PAGE.replace("Ferry", f"Ferry {n}"), encoding="utf-8")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "cleaner", "run", str(folder), "--out", str(out)]
    # A job started in the background (as CI may run this) inherits SIGINT ignored; a terminal's does not.
    restore = lambda: signal.signal(signal.SIGINT, signal.SIG_DFL)  # noqa: E731
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=restore)
    deadline = time.monotonic() + 120
    while not list(out.glob("*.json")) and time.monotonic() < deadline:
        time.sleep(0.1)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    if process.returncode == 0:
        pytest.skip("the run finished before it was interrupted")
    assert process.returncode == 130
    message = f"interrupted; the reports finished so far are in {out}/, and the same command goes on from them"
    assert err.decode().splitlines() == [f"cleaner: error: {message}"]
    done = len(list(out.glob("*.json")))
    again = subprocess.run(command, capture_output=True, timeout=600)
    current = f"{done} report already current" if done == 1 else f"{done} reports already current"
    assert again.returncode == 0 and current in again.stdout.decode()


def test_two_jobs_write_what_one_job_writes(tmp_path: Path, demo_pages: list[Path], shared_seeds: Path) -> None:
    inputs = [*map(str, demo_pages), str(shared_seeds)]
    run(inputs, tmp_path / "one")
    run(inputs, tmp_path / "two", settings=RunSettings(executor=Executor(jobs=2)))
    assert tree(tmp_path / "one") == tree(tmp_path / "two")


def test_rerun_keeps_current_reports_and_redoes_changed_inputs(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(PAGE, encoding="utf-8")
    (folder / "b.txt").write_text(PAGE.replace("Ferry", "Bus"), encoding="utf-8")
    first = run([folder], tmp_path / "out")
    assert first.reused == 0
    before = tree(tmp_path / "out")
    stamps = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "out").iterdir()}
    second = run([folder], tmp_path / "out")
    assert second.reused == 2
    assert tree(tmp_path / "out") == before
    assert {p.name: p.stat().st_mtime_ns for p in (tmp_path / "out").iterdir()} == stamps  # nothing rewritten
    (folder / "b.txt").write_text(PAGE.replace("Ferry", "Tram"), encoding="utf-8")
    third = run([folder], tmp_path / "out")
    assert third.reused == 1
    assert "Tram" in (tmp_path / "out" / "b.txt").read_text()
    assert run([folder], tmp_path / "out", settings=RunSettings(force=True)).reused == 0


def test_reports_of_another_cleaner_version_are_cleaned_again(tmp_path: Path, monkeypatch) -> None:
    import cleaner.run as run_module

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(PAGE, encoding="utf-8")
    first = run([tmp_path / "in"], tmp_path / "out")
    report = json.loads((tmp_path / "out" / "a.json").read_text(encoding="utf-8"))
    assert report["provenance"]["cleaner_version"] == run_module.CLEANER_VERSION
    assert first.reused == 0 and run([tmp_path / "in"], tmp_path / "out").reused == 1
    monkeypatch.setattr(run_module, "CLEANER_VERSION", "99.0")  # an upgrade
    assert run([tmp_path / "in"], tmp_path / "out").reused == 0
    report = json.loads((tmp_path / "out" / "a.json").read_text(encoding="utf-8"))
    assert report["provenance"]["cleaner_version"] == "99.0"


def test_a_lowered_limit_or_other_smoothing_is_not_met_with_an_old_report_a_raised_limit_is(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(PAGE, encoding="utf-8")
    assert run([tmp_path / "in"], tmp_path / "out").documents == 1
    lines = PAGE.count("\n")
    fewer = run([tmp_path / "in"], tmp_path / "out", options=CleanOptions(max_lines=lines - 1))
    assert (fewer.documents, fewer.reused, fewer.failed) == (0, 0, 1)  # as a fresh run: too many lines
    assert fewer.others == 0  # its earlier report is kept, and it is not another input's
    assert "lines" in fewer.failures()[0][1]
    # A raised limit refuses nothing the lower one let through: the report stands, with the new limits.
    raised = run([tmp_path / "in"], tmp_path / "out", options=CleanOptions(max_lines=DEFAULT_MAX_LINES * 2))
    assert (raised.documents, raised.reused) == (1, 1)
    report = json.loads((tmp_path / "out" / "a.json").read_text(encoding="utf-8"))
    assert report["provenance"]["options"]["max_lines"] == DEFAULT_MAX_LINES * 2
    fresh = run([tmp_path / "in"], tmp_path / "fresh", options=CleanOptions(max_lines=DEFAULT_MAX_LINES * 2))
    assert fresh.documents == 1 and tree(tmp_path / "fresh") == tree(tmp_path / "out")
    unsmoothed = run([tmp_path / "in"], tmp_path / "out", options=CleanOptions(smoothing=False))
    assert (unsmoothed.documents, unsmoothed.reused) == (1, 0)
    report = json.loads((tmp_path / "out" / "a.json").read_text(encoding="utf-8"))
    assert report["provenance"]["options"]["smoothing"] is False


def test_a_moved_input_or_a_new_url_is_cleaned_again_as_a_fresh_run_would(tmp_path: Path) -> None:
    import shutil

    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "a.txt").write_text(PAGE, encoding="utf-8")
    run([tmp_path / "old"], tmp_path / "out")
    shutil.move(tmp_path / "old", tmp_path / "new")
    moved = run([tmp_path / "new"], tmp_path / "out")
    assert moved.reused == 0
    run([tmp_path / "new"], tmp_path / "fresh")
    assert tree(tmp_path / "out") == tree(tmp_path / "fresh")
    pages = tmp_path / "pages.jsonl"
    for url in ("https://one.example/a", "https://two.example/a"):
        pages.write_text(json.dumps({"id": "a", "url": url, "text": PAGE}) + "\n", encoding="utf-8")
        result = run([pages], tmp_path / "records")
    assert result.reused == 0
    assert "two.example" in (tmp_path / "records" / "sources.csv").read_text(encoding="utf-8")
    assert run([pages], tmp_path / "records").reused == 1  # unchanged: kept
    # Kept too when the document's URL is not the record's: no host, or the page's own canonical URL.
    html = f'<html><head><link rel="canonical" href="https://three.example/b"></head><body><p>{PAGE}</p></body></html>'
    records = [
        {"id": "a", "url": "example.com/a", "text": PAGE},
        {"id": "b", "url": "https://x.example/b?s=1", "html": html},
    ]
    pages.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    run([pages], tmp_path / "others")
    assert run([pages], tmp_path / "others").reused == 2
    pages.write_text(json.dumps({"id": "a", "url": "example.com/a", "html": PAGE}) + "\n", encoding="utf-8")
    assert run([pages], tmp_path / "others").reused == 0  # the same bytes, now said to be HTML


def test_reports_of_inputs_no_longer_given_are_kept_and_counted(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a", "b"):
        (folder / f"{name}.txt").write_text(PAGE.replace("Ferry", name), encoding="utf-8")
    assert run([folder], tmp_path / "out").others == 0
    (folder / "b.txt").unlink()
    again = run([folder], tmp_path / "out")
    assert again.others == 1 and again.ids() == ["a"] and (tmp_path / "out" / "b.json").exists()
    from typer.testing import CliRunner

    from cleaner.cli import app

    result = CliRunner().invoke(app, ["run", str(folder), "--out", str(tmp_path / "out")])
    assert "1 older report in" in result.output and "not in index.html" in result.output


def _slow_process(job, **kwargs):  # stands in for a page that makes the cleaner hang
    import time

    if b"HANG" in job.page.data:
        time.sleep(600)
    return process(job, **kwargs)


def test_time_limit_stops_a_slow_document_and_the_run_goes_on(tmp_path: Path, monkeypatch) -> None:
    import time

    import cleaner.run as run_module

    monkeypatch.setattr(run_module, "process", _slow_process)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(PAGE, encoding="utf-8")
    (folder / "slow.txt").write_text(PAGE + "HANG\n", encoding="utf-8")
    start = time.monotonic()
    result = run([folder], tmp_path / "out", settings=RunSettings(executor=Executor(jobs=2, timeout=3)))
    assert time.monotonic() - start < 60
    assert result.ids() == ["good"]
    assert result.failed == 1 and "took longer than 3 s" in result.failures()[0][1]
    assert "slow.txt" in (tmp_path / "out" / "failures.csv").read_text()


_WARMED: list[bool] = []


def _slow_warm_up(options) -> None:
    import time

    from cleaner.api import warm_up

    time.sleep(2)  # longer than the time limit below
    warm_up(options)  # the models too: a worker forked before they were loaded loads them here
    _WARMED.append(True)


def _needs_warm_worker(job, **kwargs):
    if not _WARMED:
        raise RuntimeError("the worker was not warmed up before its first document")
    return process(job, **kwargs)


def test_time_limit_does_not_count_a_workers_model_loading(tmp_path: Path, monkeypatch, demo_pages: list[Path]) -> None:
    import cleaner.run as run_module

    monkeypatch.setattr(run_module, "warm_up", _slow_warm_up)
    monkeypatch.setattr(run_module, "process", _needs_warm_worker)
    result = run(
        [str(p) for p in demo_pages], tmp_path / "out", settings=RunSettings(executor=Executor(jobs=2, timeout=1))
    )
    assert result.failures() == [] and len(result.ids()) == len(demo_pages)


def test_time_limited_run_writes_what_a_plain_run_writes(tmp_path: Path, demo_pages: list[Path]) -> None:
    run([str(p) for p in demo_pages], tmp_path / "plain")
    run([str(p) for p in demo_pages], tmp_path / "limited", settings=RunSettings(executor=Executor(timeout=120)))
    assert tree(tmp_path / "plain") == tree(tmp_path / "limited")


def test_ids_stay_distinct_after_making_names_safe_and_never_take_run_file_names(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a b.txt", "a_b.txt", "index.txt", "Summary.txt"):
        (folder / name).write_text(PAGE.replace("Ferry", name[:5]), encoding="utf-8")
    result = run([folder], tmp_path / "out")
    ids = result.ids()
    assert len(ids) == 4 and len({i.casefold() for i in ids}) == 4
    assert not {"index", "summary"} & {i.casefold() for i in ids}
    assert "cleaner run" in (tmp_path / "out" / "index.html").read_text()


def test_accented_names_keep_their_letters_in_ids() -> None:
    from cleaner.run import safe_id

    assert safe_id("Zürich-Bericht") == "Zurich-Bericht" and safe_id("café crème") == "cafe_creme"
    assert safe_id("日本") == "page"  # nothing left: the run then adds a short hash of the input


def test_an_input_that_is_the_same_file_as_another_is_read_once_and_counted(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(PAGE, encoding="utf-8")
    (folder / "b.txt").symlink_to(folder / "a.txt")
    result = run([folder, folder / "a.txt"], tmp_path / "out")
    assert result.ids() == ["a"] and result.repeated == 2 and result.failed == 0
    # A JSON Lines run started again after it finished counts them too (one item per shard here).
    jsonl = RunSettings(format="jsonl", shard_size=1)
    assert run([folder, folder / "a.txt"], tmp_path / "jsonl", settings=jsonl).repeated == 2
    resumed = run([folder, folder / "a.txt"], tmp_path / "jsonl", settings=jsonl)
    assert (resumed.resumed, resumed.repeated) == (1, 2)
    cli = subprocess.run(
        [sys.executable, "-m", "cleaner", "run", "--out", str(tmp_path / "cli"), str(folder)],
        capture_output=True,
        timeout=300,
    )
    assert cli.returncode == 0
    assert "1 page was the same as an earlier input's (the same file or record" in cli.stderr.decode()


@pytest.mark.parametrize("format_", ["files", "jsonl"])
def test_a_file_name_that_is_not_utf8_is_read_and_named_with_escapes(tmp_path: Path, format_: str) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(PAGE, encoding="utf-8")
    try:  # "café.txt" named in Latin-1, as old archives name files
        with open(os.path.join(os.fsencode(folder), b"caf\xe9.txt"), "wb") as handle:
            handle.write(PAGE.replace("Ferry", "Bus").encode())
    except OSError:
        pytest.skip("this file system takes only UTF-8 names")
    (folder / "caf\\xe9.txt").write_text(PAGE.replace("Ferry", "Tram"), encoding="utf-8")  # named like the escapes
    result = run([folder], tmp_path / "out", settings=RunSettings(format=format_))
    assert result.failed == 0 and result.repeated == 0 and len(set(result.ids())) == 3
    summary = (tmp_path / "out" / "summary.csv").read_text(encoding="utf-8")
    assert "caf\\xe9.txt" in summary
    assert run([folder], tmp_path / "out", settings=RunSettings(format=format_)).failed == 0  # a rerun too
    named = os.path.join(os.fsencode(folder), b"caf\xe9.txt")  # given by its own name
    assert run([os.fsdecode(named)], tmp_path / "alone", settings=RunSettings(format=format_)).documents == 1
    from cleaner.errors import shown

    assert shown(os.fsdecode(b"out/caf\xe9")) == "out/caf\\xe9"  # as messages show such a name


@pytest.mark.parametrize("second_out", ["reports", "other"])
def test_report_folders_inside_the_input_folder_are_not_read_back(tmp_path: Path, second_out: str) -> None:
    # The run's own report folder, and another run's ("other"), hold reports, not pages.
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(PAGE, encoding="utf-8")
    run([folder], folder / "reports")
    second = run([folder], folder / second_out)
    assert second.ids() == ["a"] and second.failed == 0
    assert second.reused == (second_out == "reports")


@pytest.mark.parametrize("inside", ["file", "folder"])
def test_an_input_inside_the_output_folder_is_refused_and_left_alone(tmp_path: Path, inside: str) -> None:
    page = tmp_path / "a.txt"
    page.write_text(PAGE, encoding="utf-8")
    given = page if inside == "file" else tmp_path
    with pytest.raises(InputError, match="inside the output folder"):
        run([given], tmp_path)
    assert tree(tmp_path) == {"a.txt": PAGE.encode()}  # nothing written, nothing overwritten


def test_a_link_in_a_scanned_folder_to_a_file_in_the_output_folder_is_a_failure_and_left_alone(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "victim.txt").write_text(PAGE, encoding="utf-8")
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "victim.txt").symlink_to(out / "victim.txt")
    result = run([pages], out)
    assert result.ids() == [] and result.failed == 2  # the link, and a folder with no other page
    assert (out / "victim.txt").read_text(encoding="utf-8") == PAGE  # not replaced by its own clean text
    failures = (out / "failures.csv").read_text(encoding="utf-8")
    assert "victim.txt: inside the output folder" in failures and "no pages" in failures


def test_an_altered_model_stops_the_run_once(tmp_path: Path) -> None:
    from conftest import copy_model

    from cleaner.models import bundled_paragraph_model_path

    (tmp_path / "model").mkdir()
    model = copy_model(bundled_paragraph_model_path(), tmp_path / "model")
    data = bytearray(model.read_bytes())
    data[-10] ^= 0xFF
    model.write_bytes(bytes(data))
    (tmp_path / "in").mkdir()
    for name in ("a", "b"):
        (tmp_path / "in" / f"{name}.txt").write_text(PAGE, encoding="utf-8")
    with pytest.raises(ModelError, match="sha256 does not match"):
        run([tmp_path / "in"], tmp_path / "out", options=CleanOptions(paragraph_model=model))


def test_broken_utf16_and_hostile_counts_do_not_stop_the_run(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(PAGE, encoding="utf-8")
    (folder / "b.txt").write_bytes(b"\xff\xfeH\x00i\x00!")
    (folder / "c.txt").write_text(PAGE.replace("© 2025", "Archives (" + "9" * 5000 + ")\n©"), encoding="utf-8")
    result = run([folder], tmp_path / "out")
    assert set(result.ids()) >= {"a", "c"}
    assert (tmp_path / "out" / "index.html").exists() and (tmp_path / "out" / "failures.csv").exists()


def test_page_text_cannot_become_a_spreadsheet_formula(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text('=HYPERLINK("http://x.invalid")\n' + PAGE, encoding="utf-8")
    result = run([folder], tmp_path / "out")
    summary = (tmp_path / "out" / "summary.csv").read_text()
    assert result.documents and "\n=" not in summary and ",=" not in summary


def test_guarded_csv_cells_read_back_as_they_were(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    names = ["-broken.txt", "'-broken.txt", "@broken.txt"]
    for name in names:
        (tmp_path / name).write_bytes(b"\x00\x01" * 100)
    result = run(names, tmp_path / "out")
    assert [source for source, _ in result.failures()] == names
    assert all(problem.startswith(name) for name, (_, problem) in zip(names, result.failures()))
    rows = (tmp_path / "out" / "failures.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert [row.split(",")[0] for row in rows] == ["'-broken.txt", "''-broken.txt", "'@broken.txt"]


def test_a_second_run_into_the_same_folder_is_refused_while_the_first_runs(tmp_path: Path) -> None:
    """Two runs writing one report folder would corrupt each other's reports and state. Another
    process holds the folder's lock, as a running `cleaner run` does; the lock goes when it dies."""
    from typer.testing import CliRunner

    from cleaner.cli import app
    from cleaner.errors import InputError

    page = tmp_path / "in" / "ferry.txt"
    page.parent.mkdir()
    page.write_text(PAGE)
    out = tmp_path / "out"
    out.mkdir()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(out)], stdout=subprocess.PIPE, text=True
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(InputError, match="another cleaner run is writing to this folder"):
            run([page], out)
        result = CliRunner().invoke(app, ["run", str(page), "--out", str(out)])
        assert result.exit_code == 1
        assert result.output.strip() == (
            f"cleaner: error: {out}: another cleaner run is writing to this folder; "
            "wait for it to end or choose another --out"
        )
        assert [p.name for p in out.iterdir()] == [".cleaner-run.lock"]  # nothing written
    finally:
        holder.kill()  # as a killed run: it leaves its lock file, but not the lock
        holder.wait()
    assert run([page], out).documents == 1
    assert not (out / ".cleaner-run.lock").exists()


HOLD_LOCK = """
import sys, time
from pathlib import Path
from cleaner.runstate import folder_lock
with folder_lock(Path(sys.argv[1])):
    print("locked", flush=True)
    time.sleep(120)
"""


def test_bench_run_reports_pages_per_second_and_the_ratio_to_clean(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from cleaner.cli import app

    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.txt").write_text("Menu\n\nA council voted on Tuesday to repair the bridge, officials said.\n")
    result = CliRunner().invoke(app, ["bench", "run", "--pages", "3", "--repeat", "2", "--folder", str(pages)])
    assert result.exit_code == 0, result.output
    assert "run: 3 pages" in result.output and "pages/s" in result.output
    assert "x the time of clean alone (best of 2 alternating rounds)" in result.output
    assert sorted(p.name for p in pages.iterdir()) == ["a.txt"]  # the benchmark works on copies


def test_a_text_record_is_filed_under_its_urls_domain(tmp_path: Path) -> None:
    import json

    record = {"id": "ferry", "url": "https://harbour.example.org/ferry-fares", "text": PAGE}
    (tmp_path / "pages.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    run([tmp_path / "pages.jsonl"], tmp_path / "out")
    report = json.loads((tmp_path / "out" / "ferry.json").read_text())
    assert report["document"]["metadata"]["url"] == record["url"]
    assert "harbour.example.org" in (tmp_path / "out" / "sources.csv").read_text()


def test_a_killed_runs_temporary_files_are_removed_by_the_next_run(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(PAGE, encoding="utf-8")
    out = tmp_path / "out"
    run([tmp_path / "in"], out)
    clean_tree = tree(out)
    leftover = out / ".cleaner-tmp-a.html.dby3kb_m.tmp"  # what a run killed mid-write leaves
    leftover.write_text("<html>half")
    (out / ".budget.20250131.tmp").write_text("not ours")  # other names: left alone
    run([tmp_path / "in"], out)
    assert not leftover.exists()
    assert tree(out) == {**clean_tree, ".budget.20250131.tmp": b"not ours"}


def test_a_record_with_an_unreadable_url_is_still_cleaned(tmp_path: Path) -> None:
    import json

    record = {"id": "ferry", "url": "http://[oops/x", "text": PAGE}
    (tmp_path / "pages.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    result = run([tmp_path / "pages.jsonl"], tmp_path / "out")
    assert result.ids() == ["ferry"] and result.failed == 0


def test_a_folder_with_files_named_like_reports_is_still_read(tmp_path: Path) -> None:
    scrape = tmp_path / "in" / "scrape"
    scrape.mkdir(parents=True)
    (scrape / "a.txt").write_text(PAGE, encoding="utf-8")
    (scrape / "summary.csv").write_text("url,fetched\n")  # the user's own files, not a run's
    (scrape / "failures.csv").write_text("url,error\n")
    assert run([tmp_path / "in"], tmp_path / "out").ids() == ["a"]


def test_a_pattern_matching_only_files_in_the_output_folder_is_refused_before_writing(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(PAGE, encoding="utf-8")
    out = tmp_path / "in" / "reports"
    run([tmp_path / "in"], out)
    before = tree(out)
    with pytest.raises(InputError, match="only files inside the output folder"):
        run([str(out / "*.txt")], out)
    assert tree(out) == before  # the earlier run's summary and index are left as they were
    both = run([str(tmp_path / "in" / "**" / "*.txt")], out)  # matches outside too: those are read
    assert both.ids() == ["a"]
    # A pattern that matches the output folder itself matches no file: a failure row, not a refusal.
    folder_only = run([str(tmp_path / "in" / "a.txt"), str(tmp_path / "in" / "rep*")], out)
    assert folder_only.ids() == ["a"] and "the pattern matches no file" in folder_only.failures()[0][1]


def test_reports_are_synced_once_and_a_report_cut_short_is_written_again(tmp_path: Path, monkeypatch) -> None:
    from cleaner import atomic

    (tmp_path / "in").mkdir()
    for name in ("a", "b", "c"):
        (tmp_path / "in" / f"{name}.txt").write_text(PAGE.replace("6%", f"{len(name) + ord(name)}%"), encoding="utf-8")
    calls = {"fsync": 0, "sync": 0}
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: calls.__setitem__("fsync", calls["fsync"] + 1) or real_fsync(fd))
    monkeypatch.setattr(os, "sync", lambda: calls.__setitem__("sync", calls["sync"] + 1))
    monkeypatch.setattr(atomic, "BATCH_SYNC", True)
    out = tmp_path / "out"
    run([tmp_path / "in"], out)
    assert calls["sync"] == 1
    assert calls["fsync"] <= 4  # summary.csv, sources.csv, failures.csv, index.html: not the 9 reports
    first = tree(out)
    # A power loss before the sync can leave renamed reports empty: the next run writes them again.
    (out / "a.json").write_bytes(b"")
    (out / "b.html").write_bytes(b"")
    again = run([tmp_path / "in"], out)
    assert again.reused == 2 and tree(out) == first


def test_a_file_of_the_users_in_the_output_folder_is_never_replaced_by_a_report(tmp_path: Path) -> None:
    """An input folder holding the output folder, or an output folder of pages: a report whose id
    would take a file that is not a report gets another id, and the file stays as it was."""
    top = tmp_path / "top"
    (top / "sub").mkdir(parents=True)
    (top / "story.txt").write_text(PAGE, encoding="utf-8")
    mine = PAGE.replace("Ferry", "Tram")
    (top / "sub" / "story.txt").write_text(mine, encoding="utf-8")
    (top / "sub" / "notes.html").write_text("<p>my notes</p>", encoding="utf-8")
    (top / "notes.txt").write_text(PAGE.replace("Ferry", "Bus"), encoding="utf-8")
    result = run([top], top / "sub")
    assert result.failed == 0 and len(result.ids()) == 2
    assert not {"story", "notes"} & set(result.ids())
    assert (top / "sub" / "story.txt").read_text(encoding="utf-8") == mine
    assert (top / "sub" / "notes.html").read_text(encoding="utf-8") == "<p>my notes</p>"
    again = run([top], top / "sub")  # the same ids, and nothing cleaned twice
    assert again.ids() == result.ids() and again.reused == 2


def test_a_run_cut_short_after_a_reports_html_takes_its_id_again(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "page.txt").write_text(PAGE, encoding="utf-8")
    out = tmp_path / "out"
    first = run([tmp_path / "in"], out)
    (out / "page.json").unlink()  # the HTML is written first: a kill between the two leaves this
    (out / "page.txt").unlink()
    (out / ".cleaner-ids").unlink()
    assert run([tmp_path / "in"], out).ids() == first.ids() == ["page"]


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges on Windows")
def test_symbolic_link_loops_are_failures_and_the_run_goes_on(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "page.txt").write_text(PAGE, encoding="utf-8")
    (pages / "self.txt").symlink_to("self.txt")
    (tmp_path / "loopA").symlink_to("loopB")
    (tmp_path / "loopB").symlink_to("loopA")
    for inputs in ([pages], [str(pages / "*.txt")], [pages / "page.txt", tmp_path / "loopA"]):
        out = tmp_path / f"out-{len(list(tmp_path.glob('out-*')))}"
        result = run(inputs, out)
        assert result.ids() == ["page"] and result.failed == 1
        failures = (out / "failures.csv").read_text(encoding="utf-8")
        assert "symbolic link" in failures or "Too many levels" in failures


def test_a_run_in_the_other_format_is_refused_unless_forced(tmp_path: Path) -> None:
    """The two formats share summary.csv, sources.csv and failures.csv: a run of one into the
    other's folder would drop the other's documents from them while its reports stayed."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "page.txt").write_text(PAGE, encoding="utf-8")
    for first, second in (("jsonl", "files"), ("files", "jsonl")):
        out = tmp_path / f"out-{first}"
        run([tmp_path / "in"], out, settings=RunSettings(format=first))
        with pytest.raises(InputError, match="holds the reports of a run in the other format"):
            run([tmp_path / "in"], out, settings=RunSettings(format=second))
        assert run([tmp_path / "in"], out, settings=RunSettings(format=second, force=True)).ids() == ["page"]
