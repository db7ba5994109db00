"""Big runs: JSON Lines shards, resuming a killed run, worker deaths, Dask, WARC and JSON Lines inputs."""

from __future__ import annotations

import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cleaner.executors import Executor
from cleaner.options import RunSettings
from cleaner.run import process, run
from cleaner.runstate import STATE_FILE
from cleaner.scalebench import synthetic_pages

JSONL = RunSettings(format="jsonl", shard_size=5)


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def corpus(path: Path, count: int, *, extra: list[str] = ()) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for doc_id, text in synthetic_pages(count):
            handle.write(json.dumps({"id": doc_id, "text": text}) + "\n")
        for line in extra:
            handle.write(line + "\n")
    return path


def shard_reports(out: Path) -> list[dict]:
    return [json.loads(line) for shard in sorted(out.glob("shard-*.jsonl")) for line in shard.read_text().splitlines()]


def test_jsonl_shards_hold_the_reports_the_files_format_writes(tmp_path: Path) -> None:
    pages = corpus(tmp_path / "pages.jsonl", 12, extra=["{not json", '{"id": "x"}', ""])
    result = run([pages], tmp_path / "jsonl", settings=JSONL)
    run([pages], tmp_path / "files")
    assert result.documents == 12 and result.failed == 2
    assert sorted(p.name for p in (tmp_path / "jsonl").glob("shard-*")) == [
        "shard-00000.jsonl", "shard-00001.jsonl", "shard-00002.jsonl",
    ]  # fmt: skip
    reports = shard_reports(tmp_path / "jsonl")
    assert [r["id"] for r in reports] == [f"synthetic-{i:07d}" for i in range(12)]
    for report in reports:
        assert report == json.loads((tmp_path / "files" / f"{report['id']}.json").read_text())
    index = json.loads((tmp_path / "jsonl" / "index.json").read_text())
    assert index["documents"] == 12 and [s["documents"] for s in index["shards"]] == [5, 5, 2]
    failures = (tmp_path / "jsonl" / "failures.csv").read_text()
    assert "pages.jsonl:13" in failures and "not valid JSON" in failures and "pages.jsonl:14" in failures
    assert (tmp_path / "jsonl" / "summary.csv").read_text() == (tmp_path / "files" / "summary.csv").read_text()


def _cleaner_run(pages: Path, out: Path, *extra: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "cleaner", "run", str(pages), "--out", str(out), "--format", "jsonl"]
    return subprocess.Popen(
        [*command, "--shard-size", "4", *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: the kill takes the workers too
    )


def _stamp(path: Path) -> tuple[int, int]:
    return path.stat().st_ino, path.stat().st_mtime_ns


def test_a_killed_run_resumes_without_losing_or_repeating_reports(tmp_path: Path) -> None:
    pages = corpus(tmp_path / "pages.jsonl", 40)
    reference = _cleaner_run(pages, tmp_path / "reference")
    killed = _cleaner_run(pages, tmp_path / "out", "--jobs", "2")
    deadline = time.monotonic() + 240
    while len(list((tmp_path / "out").glob("shard-*.jsonl"))) < 4:
        assert killed.poll() is None, "the run ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    os.killpg(killed.pid, signal.SIGKILL)
    killed.wait()
    # Shards the state records as done must not be done again. (A shard renamed into place just
    # before the kill but not yet recorded is done again, to the same bytes.)
    with sqlite3.connect(tmp_path / "out" / STATE_FILE) as db:
        done = [row[0] for row in db.execute("SELECT file FROM shards WHERE file IS NOT NULL")]
    assert 2 <= len(done) < 10
    finished_before = {name: _stamp(tmp_path / "out" / name) for name in done}
    resumed = _cleaner_run(pages, tmp_path / "out", "--jobs", "2")
    assert resumed.wait(timeout=300) == 0, resumed.stderr.read().decode()
    assert reference.wait(timeout=300) == 0, reference.stderr.read().decode()
    assert {name: _stamp(tmp_path / "out" / name) for name in done} == finished_before
    ids = [r["id"] for r in shard_reports(tmp_path / "out")]
    assert len(ids) == 40 and len(set(ids)) == 40
    assert tree(tmp_path / "out").keys() - {".cleaner-run.sqlite"} == tree(tmp_path / "reference").keys() - {
        ".cleaner-run.sqlite"
    }
    for name, data in tree(tmp_path / "reference").items():
        if name != ".cleaner-run.sqlite":
            assert (tmp_path / "out" / name).read_bytes() == data, name


def test_a_finished_jsonl_run_is_not_redone_and_force_starts_over(tmp_path: Path) -> None:
    pages = corpus(tmp_path / "pages.jsonl", 6)
    run([pages], tmp_path / "out", settings=JSONL)
    stamps = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "out").iterdir()}
    again = run([pages], tmp_path / "out", settings=JSONL)
    assert again.documents == 6 and again.resumed == 6  # none cleaned again
    assert {p.name: p.stat().st_mtime_ns for p in (tmp_path / "out").glob("shard-*")} == {
        name: stamp for name, stamp in stamps.items() if name.startswith("shard-")
    }
    bigger = RunSettings(format="jsonl", shard_size=10)  # other settings: another run, started over
    assert run([pages], tmp_path / "out", settings=bigger).documents == 6
    assert [p.name for p in (tmp_path / "out").glob("shard-*")] == ["shard-00000.jsonl"]
    before = _stamp(tmp_path / "out" / "shard-00000.jsonl")
    run([pages], tmp_path / "out", settings=bigger)
    assert _stamp(tmp_path / "out" / "shard-00000.jsonl") == before  # the same run: kept
    run([pages], tmp_path / "out", settings=RunSettings(format="jsonl", shard_size=10, force=True))
    assert _stamp(tmp_path / "out" / "shard-00000.jsonl") != before  # --force: done again


def test_a_jsonl_run_starts_over_when_its_files_change(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    pages = dict(synthetic_pages(4))
    for name, text in pages.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert run([folder], out, settings=JSONL).documents == 4
    (folder / "0-first.txt").write_text(next(iter(pages.values())) + "\nAdded later.\n", encoding="utf-8")
    added = run([folder], out, settings=JSONL)
    assert (added.documents, added.resumed) == (5, 0)  # the new file sorts first: nothing is resumed
    assert "0-first" in {r["document"]["source"].rsplit("/", 1)[-1].removesuffix(".txt") for r in shard_reports(out)}
    edited = folder / "0-first.txt"
    edited.write_text("Edited: " + edited.read_text(encoding="utf-8"), encoding="utf-8")
    assert run([folder], out, settings=JSONL).resumed == 0
    assert any("Edited:" in json.dumps(r) for r in shard_reports(out))
    edited.unlink()
    removed = run([folder], out, settings=JSONL)
    assert (removed.documents, removed.resumed) == (4, 0) and len(shard_reports(out)) == 4
    assert run([folder], out, settings=JSONL).resumed == 4  # unchanged: resumed, nothing redone


def test_a_jsonl_run_started_over_and_stopped_leaves_no_index_naming_missing_shards(
    tmp_path: Path, monkeypatch
) -> None:
    import cleaner.run as run_module

    pages = corpus(tmp_path / "pages.jsonl", 12)
    out = tmp_path / "out"
    run([pages], out, settings=JSONL)

    def stopped_at_the_seventh(job, **kwargs):  # Ctrl-C while the second shard is being written
        if job.seq == 6:
            raise KeyboardInterrupt
        return process(job, **kwargs)

    monkeypatch.setattr(run_module, "process", stopped_at_the_seventh)
    with pytest.raises(KeyboardInterrupt):
        run([pages], out, settings=RunSettings(format="jsonl", shard_size=5, force=True))
    assert not (out / "index.json").exists() and not (out / "summary.csv").exists()
    assert [p.name for p in out.glob("shard-*")] == ["shard-00000.jsonl"]
    monkeypatch.setattr(run_module, "process", process)
    resumed = run([pages], out, settings=RunSettings(format="jsonl", shard_size=5))
    assert (resumed.documents, resumed.resumed) == (12, 5)
    index = json.loads((out / "index.json").read_text())
    assert [s["file"] for s in index["shards"]] == sorted(p.name for p in out.glob("shard-*"))


def test_a_resumed_start_over_removes_the_old_runs_shards_it_had_not_removed_yet(tmp_path: Path, monkeypatch) -> None:
    import shutil

    import cleaner.run as run_module

    out = tmp_path / "out"
    run([corpus(tmp_path / "many.jsonl", 12)], out, settings=RunSettings(format="jsonl", shard_size=2))
    shutil.copy(out / "shard-00005.jsonl", tmp_path / "old-shard")

    def stopped_at_once(job, **kwargs):
        raise KeyboardInterrupt

    fewer = corpus(tmp_path / "fewer.jsonl", 3)
    monkeypatch.setattr(run_module, "process", stopped_at_once)
    with pytest.raises(KeyboardInterrupt):  # other inputs: a start-over, so forced
        run([fewer], out, settings=RunSettings(format="jsonl", shard_size=2, force=True))
    # As if the stop had come while the old shards were being removed: one of them is still there.
    shutil.copy(tmp_path / "old-shard", out / "shard-00005.jsonl")
    monkeypatch.setattr(run_module, "process", process)
    assert run([fewer], out, settings=RunSettings(format="jsonl", shard_size=2)).documents == 3
    assert sorted(p.name for p in out.glob("shard-*")) == ["shard-00000.jsonl", "shard-00001.jsonl"]
    assert len(shard_reports(out)) == 3


def test_a_full_disk_stops_the_run_with_one_line_and_it_resumes_losing_nothing(tmp_path: Path, monkeypatch) -> None:
    import errno

    from cleaner import atomic
    from cleaner.errors import InputError

    pages = corpus(tmp_path / "pages.jsonl", 12)
    run([pages], tmp_path / "reference", settings=JSONL)
    real_commit, commits = atomic.commit_handle, []

    def disk_fills_up(handle, path) -> None:
        commits.append(path.name)
        if len(commits) == 2:  # the second shard cannot be written
            handle.close()
            raise OSError(errno.ENOSPC, "No space left on device")
        real_commit(handle, path)

    monkeypatch.setattr(atomic, "commit_handle", disk_fills_up)
    with pytest.raises(InputError, match="No space left on device") as stopped:
        run([pages], tmp_path / "out", settings=JSONL)
    assert "\n" not in str(stopped.value)
    assert [p.name for p in (tmp_path / "out").glob("shard-*")] == ["shard-00000.jsonl"]
    monkeypatch.setattr(atomic, "commit_handle", real_commit)
    first = _stamp(tmp_path / "out" / "shard-00000.jsonl")
    assert run([pages], tmp_path / "out", settings=JSONL).documents == 12
    assert _stamp(tmp_path / "out" / "shard-00000.jsonl") == first
    resumed, reference = tree(tmp_path / "out"), tree(tmp_path / "reference")
    del resumed[STATE_FILE], reference[STATE_FILE]
    assert resumed == reference


def _dying_process(job, **kwargs):  # stands in for a page that crashes the worker process
    if b"CRASH-THE-WORKER" in job.page.data:
        os._exit(3)
    return process(job, **kwargs)


def test_a_worker_that_dies_is_one_failed_document(tmp_path: Path, monkeypatch) -> None:
    import cleaner.run as run_module

    monkeypatch.setattr(run_module, "process", _dying_process)
    pages = corpus(tmp_path / "pages.jsonl", 6, extra=[json.dumps({"id": "bad", "text": "CRASH-THE-WORKER " * 20})])
    result = run([pages], tmp_path / "out", settings=RunSettings(format="jsonl", executor=Executor(jobs=2)))
    assert result.documents == 6 and result.failed == 1
    assert "worker process died" in result.failures()[0][1]


def test_the_same_input_given_twice_is_cleaned_once(tmp_path: Path) -> None:
    pages = corpus(tmp_path / "pages.jsonl", 3)
    result = run([pages, tmp_path / "*.jsonl"], tmp_path / "out")
    assert result.ids() == [f"synthetic-{i:07d}" for i in range(3)]


def test_the_dask_backend_writes_what_one_process_writes(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    pages = corpus(tmp_path / "pages.jsonl", 10)
    run([pages], tmp_path / "local", settings=JSONL)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        executor = Executor(backend="dask", scheduler=cluster.scheduler_address)
        run([pages], tmp_path / "dask", settings=RunSettings(format="jsonl", shard_size=5, executor=executor))
    assert tree(tmp_path / "dask") == tree(tmp_path / "local")


def _warc(path: Path, count: int) -> list[str]:
    urls = []
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for i, (_, text) in enumerate(synthetic_pages(count)):
            lines = [line for line in text.splitlines() if line.strip()]
            body = "".join(f"<p>{line.replace('<', '&lt;')}</p>" for line in lines[1:])
            html = f"<html><head><title>{lines[0]}</title></head><body><article>{body}</article></body></html>"
            url = f"https://news.example.org/{i:04d}/story.html"
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(html.encode()), http_headers=headers)
            writer.write_record(record)
            urls.append(url)
    return urls


def test_a_warc_of_a_thousand_responses_runs_end_to_end(tmp_path: Path) -> None:
    urls = _warc(tmp_path / "crawl.warc.gz", 1000)
    settings = RunSettings(format="jsonl", shard_size=250, executor=Executor(jobs=2))
    result = run([tmp_path / "crawl.warc.gz"], tmp_path / "out", settings=settings)
    assert result.documents == 1000 and result.failed == 0
    reports = shard_reports(tmp_path / "out")
    assert [r["document"]["metadata"]["url"] for r in reports] == urls
    assert all(any(b["kind"] == "body" for b in r["document"]["blocks"]) for r in reports)


def test_a_truncated_warc_reports_the_broken_record_and_keeps_the_rest(tmp_path: Path) -> None:
    _warc(tmp_path / "full.warc.gz", 5)
    data = (tmp_path / "full.warc.gz").read_bytes()
    (tmp_path / "cut.warc.gz").write_bytes(data[: len(data) - 300])
    result = run([tmp_path / "cut.warc.gz"], tmp_path / "out", settings=JSONL)
    assert result.documents == 4 and result.failed == 1
    source, problem = result.failures()[0]
    assert "cut.warc.gz@" in source and "truncated or corrupt" in problem


def test_run_settings_errors_are_one_line(tmp_path: Path) -> None:
    pages = corpus(tmp_path / "pages.jsonl", 1)
    for args, message in (
        (["--format", "csv"], "unknown format 'csv'"),
        (["--backend", "spark"], "unknown backend 'spark'"),
        (["--backend", "dask"], "needs --scheduler"),
        (["--backend", "dask", "--scheduler", "tcp://127.0.0.1:9"], "cannot reach the Dask scheduler"),
        # An option that would do nothing in this run is refused, not ignored.
        (["--scheduler", "tcp://127.0.0.1:9"], "--scheduler applies to --backend dask only"),
        (["--shard-size", "4"], "--shard-size applies to --format jsonl only"),
    ):
        result = subprocess.run(
            [sys.executable, "-m", "cleaner", "run", str(pages), "--out", str(tmp_path / "out"), *args],
            capture_output=True,
            timeout=120,
        )
        err = result.stderr.decode()
        assert result.returncode != 0 and message in err and "Traceback" not in err, err
