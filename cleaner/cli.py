"""The `cleaner` command line."""

from __future__ import annotations

import json
import math
import os
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from .document import Document
from .errors import CleanerError, InputError, shown
from .options import DEFAULT_MAX_BYTES, DEFAULT_MAX_LINES, DEFAULT_SHARD_SIZE, CleanOptions, RunSettings
from .textinput import read_source

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Clean news pages into typed, scored blocks.")
train_app = typer.Typer(no_args_is_help=True, help="Train the project's models.")
evaluate_app = typer.Typer(no_args_is_help=True, help="Score the cleaner on annotated pages.")
bench_app = typer.Typer(no_args_is_help=True, help="Measure throughput.")
app.add_typer(train_app, name="train")
app.add_typer(evaluate_app, name="evaluate")
app.add_typer(bench_app, name="bench")

T = TypeVar("T")
ModelOption = Annotated[Path | None, typer.Option("--model", help="Line model file (default: the bundled one).")]
ParagraphModelOption = Annotated[
    Path | None, typer.Option("--paragraph-model", help="Paragraph classifier file (default: the bundled one).")
]
SEEDS_HELP = (
    "Folder holding the shared seed pages (default: ../shared/seeds beside the checkout, or $CLEANER_SHARED/seeds)."
)
ClassifierOption = Annotated[
    Path | None, typer.Option("--model", help="Paragraph classifier file (default: the bundled one).")
]
LineModelOption = Annotated[
    Path | None, typer.Option("--line-model", help="Line model file (default: the bundled one).")
]


def _positive(value: float | None) -> float | None:
    """A time limit: a finite number above zero (nan, inf, 0 and negatives are refused)."""
    if value is not None and not (math.isfinite(value) and value > 0):
        raise typer.BadParameter(f"{value} is not a positive number")
    return value


# A size limit is at least a byte and at most what one page could sensibly be.
MAX_MB_CEILING = 100_000


def _megabytes(value: float) -> float:
    if not (math.isfinite(value) and 1e-6 <= value <= MAX_MB_CEILING):
        raise typer.BadParameter(f"{value} is not a size between 0.000001 and {MAX_MB_CEILING:,} MB")
    return value


MaxMbOption = Annotated[
    float, typer.Option("--max-mb", callback=_megabytes, help="Refuse inputs larger than this many megabytes.")
]


MaxLinesOption = Annotated[
    int, typer.Option("--max-lines", min=1, help="Refuse text with more lines than this (a page has a few hundred).")
]


def fail(message: str) -> None:
    typer.echo(f"cleaner: error: {message}", err=True)


def notice(message: str) -> None:
    typer.echo(f"cleaner: notice: {message}", err=True)


def guarded(source: str, action: Callable[[], T]) -> T | None:
    """Run one unit of work; a failure becomes one line on stderr, never a traceback."""
    try:
        return action()
    except CleanerError as exc:
        fail(str(exc))
    except Exception as exc:  # a bug must not hide the other inputs' results
        if os.environ.get("CLEANER_DEBUG"):
            raise
        fail(f"{shown(source)}: internal error ({type(exc).__name__}: {exc}); set CLEANER_DEBUG=1 for details")
    return None


def run_or_exit(source: str, action: Callable[[], T]) -> T:
    """guarded(), then exit with status 1 when the work failed (its error is already printed)."""
    result = guarded(source, action)
    if result is None:
        raise typer.Exit(1)
    return result


def _seed_evaluation(work: Callable[[], dict], other_data: str) -> dict:
    """Run an evaluation that reads the shared seed pages by default; a missing folder or bad
    data is one line and exit status 1, never a traceback."""
    try:
        return work()
    except FileNotFoundError as exc:
        fail(f"{exc.filename}: not found (the shared seed pages live in ../shared/seeds; {other_data})")
        raise typer.Exit(1) from None
    except CleanerError as exc:
        fail(str(exc))
        raise typer.Exit(1) from None


def render_detailed(doc: Document) -> str:
    by_number = {d.number: d for d in doc.line_decisions}
    last = max(by_number, default=0)
    rows = []
    for number in range(1, last + 1):
        d = by_number.get(number)
        if d is None:
            rows.append(f"{number:>5}  {'·':<11}")
        else:
            rows.append(f"{number:>5}  {d.kind:<11} {d.text.strip()}\n{'':>18}└ {d.reason}")
    return "\n".join(rows)


def _clean_each(files: list[str], options: CleanOptions, failed: list[str]) -> Iterator[tuple[int, Document]]:
    """(position, document) for each input that cleans; the others get their one-line error and
    are appended to `failed`, and the loop goes on."""
    for n, name in enumerate(files):

        def work(name: str = name) -> Document:
            from .api import clean as clean_page  # here: the models' libraries take seconds to import

            data, source = read_source(name, max_bytes=options.max_bytes)
            try:
                return clean_page(data, source=source, options=options)
            except InputError as exc:
                raise exc.on_command_line() from None

        doc = guarded(name, work)
        if doc is None:
            failed.append(name)
        else:
            yield n, doc


def _header(n: int, files: list[str], doc: Document) -> None:
    if len(files) > 1:
        typer.echo(f"{'' if n == 0 else chr(10)}==> {shown(doc.source)} <==")


def _echo_json(payload: object, files: list[str]) -> None:
    """One indented JSON document for one file; for several, one per line (JSON Lines), which
    a program can read back one by one."""
    typer.echo(json.dumps(payload, ensure_ascii=False, indent=2 if len(files) == 1 else None))


@app.command()
def clean(
    files: Annotated[list[str], typer.Argument(help="Pages to clean (text or HTML); '-' reads standard input.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the document with its blocks as JSON (several files: one per line).")
    ] = False,
    detailed: Annotated[
        bool, typer.Option("--detailed", help="Show every source line with its kind and reason.")
    ] = False,
    model: ModelOption = None,
    paragraph_model: Annotated[
        Path | None,
        typer.Option(
            "--paragraph-model", help="Paragraph classifier for the labels --json shows (default: the bundled one)."
        ),
    ] = None,
    max_mb: MaxMbOption = DEFAULT_MAX_BYTES / 1e6,
    max_lines: MaxLinesOption = DEFAULT_MAX_LINES,
) -> None:
    """Print the clean article of each page (title, headings and body paragraphs)."""
    if paragraph_model is not None and not as_json:  # else a wrong or altered file would pass unseen
        fail("--paragraph-model goes with --json: the plain article shows no labels")
        raise typer.Exit(2)
    # Plain text output shows no labels; skip classifying for it.
    options = CleanOptions(
        max_bytes=int(max_mb * 1e6),
        max_lines=max_lines,
        line_model=model,
        labels=as_json,
        paragraph_model=paragraph_model,
    )
    failed: list[str] = []
    for n, doc in _clean_each(files, options, failed):
        if as_json:
            _echo_json(doc.to_dict(detailed=detailed), files)
            continue
        _header(n, files, doc)
        typer.echo(render_detailed(doc) if detailed else doc.article_text())
    if failed:
        raise typer.Exit(1)


def _percent(scores: dict[str, float]) -> str:
    return " ".join(f"{label} {p:.2f}" for label, p in sorted(scores.items(), key=lambda item: -item[1]))


@app.command()
def classify(
    files: Annotated[list[str], typer.Argument(help="Pages to clean and classify; '-' reads standard input.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print paragraphs, labels and scores as JSON (several files: one per line).")
    ] = False,
    model: ClassifierOption = None,
    line_model: LineModelOption = None,
    max_mb: MaxMbOption = DEFAULT_MAX_BYTES / 1e6,
    max_lines: MaxLinesOption = DEFAULT_MAX_LINES,
) -> None:
    """Print each body paragraph of each page with its label and probabilities."""
    options = CleanOptions(
        max_bytes=int(max_mb * 1e6), max_lines=max_lines, line_model=line_model, paragraph_model=model
    )
    failed: list[str] = []
    for n, doc in _clean_each(files, options, failed):
        body = [b for b in doc.blocks if b.kind == "body"]
        if as_json:
            rows = [{"lines": list(b.lines), "label": b.label, "scores": b.scores, "text": b.text} for b in body]
            payload = {"source": doc.source, "notices": list(doc.notices), "paragraphs": rows}
            _echo_json(payload, files)
            continue
        _header(n, files, doc)
        for text in doc.notices:
            notice(f"{shown(doc.source)}: {text}")
        for b in body:
            typer.echo(f"[{b.label}] ({_percent(b.scores or {})}) lines {b.lines[0]}-{b.lines[1]}\n{b.text}\n")
    if failed:
        raise typer.Exit(1)


def _progress_counter() -> Callable[[int], None] | None:
    """A one-line counter on a terminal's stderr; nothing when stderr is a file or a pipe."""
    if not sys.stderr.isatty():
        return None
    started = time.monotonic()

    def show(done: int) -> None:
        rate = done / max(time.monotonic() - started, 1e-9)
        print(f"\rcleaning: {done} documents, {rate:.1f}/s", end="", file=sys.stderr)

    return show


# At most this many failures are printed; failures.csv lists all of them.
PRINTED_FAILURES = 20


@app.command("run")
def run_command(
    inputs: Annotated[
        list[str] | None,
        typer.Argument(
            help="Files, folders (recursive), glob patterns, JSON Lines (.jsonl[.gz]) or WARC (.warc[.gz]) files; "
            "default: the bundled demo pages."
        ),
    ] = None,
    out: Annotated[Path, typer.Option(help="Report folder.")] = Path("reports"),
    model: ModelOption = None,
    paragraph_model: ParagraphModelOption = None,
    max_mb: MaxMbOption = DEFAULT_MAX_BYTES / 1e6,
    max_lines: MaxLinesOption = DEFAULT_MAX_LINES,
    output_format: Annotated[
        str,
        typer.Option(
            "--format", help="files: <id>.json/.html/.txt per document; jsonl: sharded JSON Lines, resumable."
        ),
    ] = "files",
    shard_size: Annotated[
        int | None, typer.Option(min=1, help=f"Input items per JSON Lines shard (default {DEFAULT_SHARD_SIZE:,}).")
    ] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Local worker processes (same output as one).")] = 1,
    backend: Annotated[
        str, typer.Option(help="local (this machine) or dask (a Dask cluster, see --scheduler).")
    ] = "local",
    scheduler: Annotated[str | None, typer.Option(help="Dask scheduler address, e.g. tcp://10.0.0.5:8786.")] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Clean everything again (files: even current reports; jsonl: start over, replacing the shards "
            "of a run of other inputs).",
        ),
    ] = False,
    timeout: Annotated[
        float | None,
        typer.Option(
            callback=_positive,
            help="Per-document time limit in seconds (documents run in worker processes); default none.",
        ),
    ] = None,
) -> None:
    """Clean, label and assess every page into OUT: per-document reports (or JSON Lines shards),
    summary.csv, sources.csv, failures.csv and index.html (or index.json)."""
    from .executors import Executor
    from .run import default_inputs, run

    # An option that does nothing in this run is a mistake worth saying, not a setting to ignore.
    if shard_size is not None and output_format != "jsonl":
        fail("--shard-size applies to --format jsonl only")
        raise typer.Exit(2)
    if scheduler is not None and backend != "dask":
        fail("--scheduler applies to --backend dask only")
        raise typer.Exit(2)
    options = CleanOptions(
        max_bytes=int(max_mb * 1e6), max_lines=max_lines, line_model=model, paragraph_model=paragraph_model
    )
    settings = RunSettings(
        format=output_format,
        shard_size=DEFAULT_SHARD_SIZE if shard_size is None else shard_size,
        force=force,
        executor=Executor(jobs=jobs, backend=backend, scheduler=scheduler, timeout=timeout),
    )
    sources = inputs or [str(p) for p in default_inputs()]
    progress = _progress_counter()
    try:
        result = run_or_exit(str(out), lambda: run(sources, out, options=options, settings=settings, progress=progress))
    except KeyboardInterrupt:
        again = "the same command without --force" if force else "the same command"
        fail(f"interrupted; the reports finished so far are in {shown(str(out))}/, and {again} goes on from them")
        raise typer.Exit(130) from None
    if progress is not None:
        print(file=sys.stderr)
    if result.failed:
        for _, problem in result.failures()[:PRINTED_FAILURES]:
            fail(problem)
        if result.failed > PRINTED_FAILURES:
            fail(f"… and {result.failed - PRINTED_FAILURES} more, listed in {shown(str(out / 'failures.csv'))}")
    if result.others:
        older = "report" if result.others == 1 else "reports"
        notice(
            f"{result.others} older {older} in {shown(str(out))}/ of inputs not in this run: kept, "
            "but not in index.html or summary.csv"
        )
    if result.repeated:
        pages = "page was" if result.repeated == 1 else "pages were"
        notice(
            f"{result.repeated} {pages} the same as an earlier input's (the same file or record, "
            "through a link or a name given twice): read once"
        )
    resumed = f"{result.resumed} already in finished shards, " if result.resumed else ""
    cleaned = result.documents - result.reused - result.resumed
    current = "report already current" if result.reused == 1 else "reports already current"
    typer.echo(
        f"{cleaned} document{'' if cleaned == 1 else 's'} cleaned, {resumed}"
        f"{result.reused} {current}, {result.failed} failed; reports in {shown(str(out))}/"
    )
    if result.failed:
        raise typer.Exit(1)


def _wrote(out: Path | None, manifest: dict, counts: str, also: str = "") -> None:
    target = out or Path("classifiers") / manifest["file"]
    typer.echo(f"wrote {target} (sha256 {manifest['sha256'][:16]}…, {counts}){also}")


@train_app.command("lines")
def train_lines(
    data: Annotated[Path | None, typer.Option(help="Folder of annotated pages (*.tsv); default: seeds/pages.")] = None,
    out: Annotated[
        Path | None, typer.Option(help="Where to write the model; default: classifiers/lines.joblib.")
    ] = None,
    cv: Annotated[bool, typer.Option("--cv/--no-cv", help="Record leave-one-style-out scores in the manifest.")] = True,
) -> None:
    """Train the line model on annotated pages and save it with its manifest."""
    from .artifacts import check_model_out
    from .corpus import training_pages
    from .models import MODEL_SUFFIX, bundled_line_model_path, cross_validate_lines, train_line_model

    target = out or bundled_line_model_path()

    def work() -> dict:
        pages = training_pages(data)
        check_model_out(target, suffix=MODEL_SUFFIX)  # after reading the data, before the training
        scores = cross_validate_lines(pages) if cv else {}
        return train_line_model(pages, target, scores=scores, data=data)

    manifest = run_or_exit(str(data or "seeds/pages"), work)
    _wrote(out, manifest, f"{manifest['training_lines']} lines, {manifest['training_pages']} pages")
    if manifest["cross_validation"]:
        typer.echo(format_style_table(manifest["cross_validation"]))


@train_app.command("paragraphs")
def train_paragraphs(
    data: Annotated[
        list[Path] | None,
        typer.Option(help="Labelled paragraphs: .jsonl, .csv, CheckThat! .tsv, or a folder (repeatable)."),
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Where to write the model; default: classifiers/paragraphs.joblib.")
    ] = None,
    cv: Annotated[bool, typer.Option("--cv/--no-cv", help="Record cross-validation scores in the manifest.")] = True,
) -> None:
    """Train the paragraph classifier and save it with its manifest and model card."""
    from .artifacts import check_model_out
    from .labelled import DataError, check_trainable, read_labelled
    from .models import MODEL_SUFFIX, bundled_paragraph_model_path, bundled_paragraphs, train_paragraph_model
    from .paragraphs import CALIBRATION_FOLDS, CV_FOLDS, cross_validate
    from .paths import BUNDLED_PARAGRAPHS_SOURCE

    if data and out is None:
        fail("give --out for a model trained on your own data (the bundled model stays as it is)")
        raise typer.Exit(2)

    sources = [str(path) for path in data] if data else [BUNDLED_PARAGRAPHS_SOURCE]

    target = out or bundled_paragraph_model_path()

    def work() -> dict:
        paragraphs = [p for path in data for p in read_labelled(path)] if data else bundled_paragraphs()
        check_trainable(
            paragraphs, ", ".join(sources), min_per_label=CALIBRATION_FOLDS, min_documents=CV_FOLDS if cv else 1
        )
        check_model_out(target, suffix=MODEL_SUFFIX)  # after reading the data, before the training
        try:
            scores = cross_validate(paragraphs) if cv else {}
        except DataError as exc:  # a fold the data cannot fill: name the data
            raise DataError(f"{', '.join(sources)}: {exc}") from None
        # The bundled model is also measured on the reference sets (when present) for its card.
        return train_paragraph_model(paragraphs, target, sources=sources, scores=scores, reference=not data)

    manifest = run_or_exit(", ".join(sources), work)
    counts = f"{manifest['training_paragraphs']} paragraphs, {manifest['training_documents']} documents"
    _wrote(out, manifest, counts, " and its model card")
    if manifest["cross_validation"]:
        typer.echo(format_classification(manifest["cross_validation"]["method"], manifest["cross_validation"]))
    for name, report in manifest["evaluations"].items():
        typer.echo(format_classification(name, report))


def format_classification(title: str, report: dict) -> str:
    labels = report["labels"]
    rows = [f"{title}: macro-F1 {report['macro_f1']:.3f} over {report['n']} paragraphs"]
    rows.append(f"  {'label':<10} {'P':>6} {'R':>6} {'F1':>6} {'n':>6}")
    for label in labels:
        s = report["per_class"][label]
        rows.append(f"  {label:<10} {s['precision']:>6.3f} {s['recall']:>6.3f} {s['f1']:>6.3f} {s['support']:>6}")
    rows.append("  confusion (rows: truth; columns: " + ", ".join(labels) + ")")
    for label, counts in zip(labels, report["confusion_matrix"]):
        rows.append(f"  {label:<10} " + " ".join(f"{c:>6}" for c in counts))
    return "\n".join(rows)


def format_style_table(cv: dict) -> str:
    rows = [f"{'held-out style':<16} {'P':>6} {'R':>6} {'F1':>6} {'line acc':>9}"]
    for style, s in cv["per_style"].items():
        rows.append(
            f"{style:<16} {s['precision']:>6.3f} {s['recall']:>6.3f} {s['f1']:>6.3f} {s['line_accuracy']:>9.3f}"
        )
    o = cv["overall"]
    rows.append(
        f"{'overall':<16} {o['precision']:>6.3f} {o['recall']:>6.3f} {o['f1']:>6.3f} {o['line_accuracy']:>9.3f}"
    )
    return "\n".join(rows)


def _score_table(title: str, rows: list[dict]) -> Iterator[str]:
    yield title
    yield f"  {'page':<30} {'P':>6} {'R':>6} {'F1':>6} {'line acc':>9} {'keep acc':>9} {'lines':>6}"
    for r in rows:
        yield (
            f"  {r['page'][:30]:<30} {r['precision']:>6.3f} {r['recall']:>6.3f} {r['f1']:>6.3f} "
            f"{r['line_accuracy']:>9.3f} {r['keep_accuracy']:>9.3f} {r['lines']:>6}"
        )


@evaluate_app.command("cleaning")
def evaluate_cleaning(
    pages: Annotated[
        Path | None, typer.Option(help="Folder of annotated pages (*.tsv) to score instead of the shared seeds.")
    ] = None,
    seeds: Annotated[Path | None, typer.Option(help=SEEDS_HELP)] = None,
    cv: Annotated[
        bool, typer.Option("--cv", help="Also run leave-one-style-out cross-validation on the training pages.")
    ] = False,
    baselines: Annotated[
        bool, typer.Option("--baselines", help="Also score keep-all, C4 rules, jusText and trafilatura.")
    ] = False,
    model: ModelOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
) -> None:
    """Character-weighted P/R/F1 and line accuracy, per page and overall."""
    from .baselines import BASELINES
    from .corpus import evaluation_seeds, training_pages
    from .evaluate import evaluate
    from .models import cross_validate_lines, line_model

    def work() -> dict:
        annotated = training_pages(pages) if pages else evaluation_seeds(seeds)
        ours = line_model(model)
        systems = {"cleaner": lambda page: ours.predict([list(page.lines)])[0]}
        if baselines:
            systems.update(BASELINES)
        report: dict = {"pages": "annotated pages in " + str(pages) if pages else "shared seeds", "systems": {}}
        for name, predict in systems.items():
            scores, total = evaluate(annotated, predict)
            report["systems"][name] = {"pages": [s.as_row() for s in scores], "overall": total.as_row()}
        if cv:
            report["cross_validation"] = cross_validate_lines(training_pages())
        return report

    report = _seed_evaluation(work, "use --seeds or --pages")
    if as_json:
        typer.echo(json.dumps(report, indent=2))
        return
    for name, result in report["systems"].items():
        typer.echo("\n".join(_score_table(f"{name} on {report['pages']}:", result["pages"] + [result["overall"]])))
    if cv:
        typer.echo("leave-one-style-out cross-validation on the training pages:")
        typer.echo(format_style_table(report["cross_validation"]))


@evaluate_app.command("extraction")
def evaluate_extraction_command(
    dataset: Annotated[
        Path, typer.Option(help="A folder laid out like the scrapinghub benchmark (ground-truth.json, html/).")
    ],
    trafilatura: Annotated[
        bool, typer.Option("--trafilatura/--no-trafilatura", help="Also score trafilatura alone, in the same run.")
    ] = True,
    labels: Annotated[
        bool, typer.Option("--labels", help="Also time the path with paragraph labels (as `clean --json` runs).")
    ] = False,
    as_text: Annotated[
        bool,
        typer.Option(
            "--as-text",
            help="Flatten each page to text in headless Chromium (its innerText, as a browser copy gives it) and "
            "score the text path; trafilatura, jusText and keep-all get the same text. Flattened pages are "
            "cached in the user cache folder.",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
) -> None:
    """Body-text P/R/F1 (shingle metric of the scrapinghub benchmark) with 95% bootstrap intervals, and pages/s."""
    from .browsertext import default_cache
    from .extraction_eval import evaluate_extraction

    systems = ["cleaner"] + (["cleaner+labels"] if labels else [])
    systems += (["trafilatura"] if trafilatura else []) + (["justext", "keep-all"] if as_text else [])
    cache = default_cache() if as_text else None
    results = run_or_exit(str(dataset), lambda: evaluate_extraction(dataset, systems, as_text=as_text, cache=cache))
    rows = [r.as_row() for r in results]
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    typer.echo(f"{'system':<16} {'F1':>22} {'precision':>22} {'recall':>22} {'pages/s':>8}")
    for row in rows:
        cells = [
            f"{row[k]['value']:.3f} [{row[k]['low']:.3f}, {row[k]['high']:.3f}]" for k in ("f1", "precision", "recall")
        ]
        typer.echo(f"{row['system']:<16} {cells[0]:>22} {cells[1]:>22} {cells[2]:>22} {row['pages_per_second']:>8}")


@evaluate_app.command("classifier")
def evaluate_classifier(
    data: Annotated[
        Path | None,
        typer.Option(
            help="Labelled paragraphs (.jsonl, .csv, CheckThat! .tsv or a folder); "
            "default: the seed pages' body paragraphs."
        ),
    ] = None,
    seeds: Annotated[Path | None, typer.Option(help=SEEDS_HELP)] = None,
    pages: Annotated[
        Path | None,
        typer.Option(
            help="Folder of pages to clean and label as `cleaner run` does; the paragraphs named in "
            "--page-labels are scored (e.g. ../shared/bench/scrapinghub/html)."
        ),
    ] = None,
    page_labels: Annotated[
        Path | None,
        typer.Option(help="Page annotation for --pages (default: seeds/annotations/scrapinghub-paragraphs.json)."),
    ] = None,
    model: ClassifierOption = None,
    opinion_vs_rest: Annotated[
        bool, typer.Option("--opinion-vs-rest", help="Merge every label but opinion into 'rest' before scoring.")
    ] = False,
    page_context: Annotated[
        bool,
        typer.Option(
            "--page-context/--paragraphs-alone",
            help="Label the paragraphs of one document together, as the cleaner labels a page "
            "(default), or each paragraph alone.",
        ),
    ] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
) -> None:
    """Per-class precision, recall and F1, macro-F1 and the confusion matrix of the paragraph classifier."""
    from .labelled import read_labelled
    from .models import evaluate_on_seeds, evaluate_paragraph_model, paragraph_model

    if pages is not None and (data is not None or seeds is not None):
        fail("--pages scores the pages named in --page-labels: it takes no --data or --seeds")
        raise typer.Exit(2)
    if page_labels is not None and pages is None:
        fail("--page-labels needs --pages, the folder of the pages it labels")
        raise typer.Exit(2)

    def work() -> dict:
        if pages is not None:
            return _evaluate_pages(
                pages, page_labels, model, opinion_vs_rest=opinion_vs_rest, page_context=page_context
            )
        if data is None:
            return evaluate_on_seeds(
                paragraph_model(model), seeds, opinion_vs_rest=opinion_vs_rest, page_context=page_context
            )
        return evaluate_paragraph_model(
            paragraph_model(model), read_labelled(data), opinion_vs_rest=opinion_vs_rest, page_context=page_context
        )

    report = _seed_evaluation(work, "use --seeds or --data")
    if as_json:
        typer.echo(json.dumps(report, indent=2))
        return
    title = f"{model or 'bundled classifier'} on {pages or data or 'the seed pages (body paragraphs)'}"
    title += "" if page_context else ", each paragraph alone"
    if pages is not None:
        title += f" ({report['missing']} annotated paragraphs no longer found as body text)"
    typer.echo(format_classification(title + (" (opinion vs rest)" if opinion_vs_rest else ""), report))


def _evaluate_pages(
    pages: Path, page_labels: Path | None, model: Path | None, *, opinion_vs_rest: bool, page_context: bool
) -> dict:
    from .models import evaluate_on_pages, paragraph_model
    from .pagelabels import scrapinghub_annotation_file

    return evaluate_on_pages(
        paragraph_model(model),
        page_labels or scrapinghub_annotation_file(),
        pages,
        opinion_vs_rest=opinion_vs_rest,
        page_context=page_context,
    )


@bench_app.command("clean")
def bench_clean(
    folder: Annotated[
        Path | None, typer.Argument(help="Folder of text pages (default: the bundled demo and training pages).")
    ] = None,
    repeat: Annotated[int, typer.Option(help="Least passes over the pages (and 3 s of them); the best counts.")] = 5,
    model: ModelOption = None,
) -> None:
    """Pages/s and MB/s of `clean` on one core, with the ratio to a plain line split of the same text."""
    from .bench import run_clean_benchmark

    result = run_or_exit(str(folder), lambda: run_clean_benchmark(folder, repeat=repeat, model=model))
    typer.echo(result.summary())


@bench_app.command("classifier")
def bench_classifier(
    data: Annotated[
        Path | None, typer.Option(help="Labelled paragraphs to time (default: the bundled corpus).")
    ] = None,
    repeat: Annotated[
        int, typer.Option(help="Least passes over the paragraphs (and 3 s of them); the best counts.")
    ] = 5,
    model: ClassifierOption = None,
) -> None:
    """Paragraphs/s of predict_proba on one core, and the time to load the model."""
    from .bench import run_classifier_benchmark

    result = run_or_exit(str(data), lambda: run_classifier_benchmark(data, repeat=repeat, model=model))
    typer.echo(result.summary())


@bench_app.command("run")
def bench_run(
    pages: Annotated[int, typer.Option(min=1, help="How many pages to run over.")] = 1000,
    folder: Annotated[
        Path | None, typer.Option(help="Pages to cycle through (default: the bundled demo and training pages).")
    ] = None,
    repeat: Annotated[int, typer.Option(min=1, help="Alternating rounds of run and clean; the best counts.")] = 3,
) -> None:
    """Pages/s of a whole `cleaner run` on one core, and its ratio to `clean` alone on the same pages."""
    from .bench import run_run_benchmark

    result = run_or_exit(str(folder), lambda: run_run_benchmark(pages, folder=folder, repeat=repeat))
    typer.echo(result.summary())


@bench_app.command("scale")
def bench_scale(
    pages: Annotated[int, typer.Option(min=1, help="Pages in the synthetic corpus.")] = 10_000,
    workers: Annotated[
        list[int] | None, typer.Option("--workers", min=1, help="Local worker counts to run (repeatable).")
    ] = None,
    dask_workers: Annotated[int, typer.Option(min=0, help="Workers of a local Dask cluster run; 0: none.")] = 2,
    keep: Annotated[Path | None, typer.Option(help="Keep the corpus and outputs in this folder.")] = None,
) -> None:
    """Pages/s, MB/s and peak memory of `cleaner run --format jsonl` over a synthetic corpus."""
    from .scalebench import run_scale_benchmark

    chosen = tuple(workers or (1, 2))
    results = run_or_exit(
        "bench scale", lambda: run_scale_benchmark(pages, workers=chosen, dask_workers=dask_workers, keep=keep)
    )
    for result in results:
        typer.echo(result.line())
    base = next((r for r in results if r.name.startswith("1 ")), None)
    for result in results:
        if base is not None and result is not base:
            typer.echo(f"{result.name}: {base.seconds / result.seconds:.2f}x the throughput of 1 local worker")


def _warning_as_notice(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: object = None,
    line: str | None = None,
) -> None:
    """The library's NotEnglishWarning as one notice line; other warnings as Python shows them."""
    from .paragraphs import NotEnglishWarning

    if issubclass(category, NotEnglishWarning):
        notice(str(message))
    else:
        _SHOW_WARNING(message, category, filename, lineno, file, line)


_SHOW_WARNING = warnings.showwarning


def main() -> None:
    warnings.showwarning = _warning_as_notice
    # A closed stdout (e.g. `cleaner clean x | head`) is not an error worth a traceback.
    try:
        app()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
