"""Self-contained HTML views of reports: one page per document, and an index of the run.

No external assets: styles are inline, the index's sorting is a few lines of inline script, and
the chart is inline SVG. Page text is hostile data: every string is escaped, so markup in a page
shows as text and never runs.
"""

from __future__ import annotations

from html import escape

from .report import Report
from .runstate import SummaryRow

LABEL_COLOURS = {"reporting": "#d9ecff", "opinion": "#ffe7c2", "filler": "#eeeeee"}
STYLE = """
body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;color:#222;padding:0 1rem}
h1{font-size:1.5rem}table{border-collapse:collapse;width:100%;margin:1rem 0}
td,th{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top;text-align:left}
th{background:#f4f4f4}.p{padding:.4rem .6rem;margin:.4rem 0;border-radius:4px}
.tag{font-size:.8rem;color:#555;display:block}.score{font-size:2rem;font-weight:bold}
details{margin:.3rem 0}summary{cursor:pointer;color:#555}.removed{color:#777;font-size:.9rem}
.neg{color:#a00}.pos{color:#060}th.sortable{cursor:pointer}
""".strip()


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _value(value: object) -> str:
    """A signal's value as a reader reads it: "reporting 0.82, opinion 0.1", "yes", "–"."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return "–"
    if isinstance(value, dict):
        return ", ".join(f"{key} {_value(item)}" for key, item in value.items())
    if isinstance(value, float):  # a share or rate: three significant digits say it
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"
    return str(value)


# Ends every document report's title: how a run knows its own reports from other files of the name.
REPORT_TITLE_END = " — cleaner report"


def _page(title: str, body: str, script: str = "") -> str:
    tail = f"<script>{script}</script>" if script else ""
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{_e(title)}</title>'
        f"<style>{STYLE}</style></head><body>\n{body}\n{tail}</body></html>\n"
    )


def _scores(scores: dict[str, float] | None) -> str:
    return " · ".join(f"{_e(k)} {v:.2f}" for k, v in sorted((scores or {}).items(), key=lambda kv: -kv[1]))


def document_html(report: Report) -> str:
    doc = report.document
    meta = doc.metadata
    title = meta.title or doc.source
    parts = [
        f"<h1>{_e(title)}</h1>",
        f"<p>Source: {_e(doc.source)}"
        + (f" · {_e(meta.site_name)}" if meta.site_name else "")
        + (f" · by {_e(meta.author)}" if meta.author else "")
        + (f" · {_e(meta.date_iso or meta.date)}" if meta.date_iso or meta.date else "")
        + "</p>",
        f'<p><span class="score">{report.score:.1f}</span> {_e(report.band)} · type of work: '
        f"<strong>{_e(report.type_of_work)}</strong></p>",
    ]
    if doc.notices:
        parts.append("<ul>" + "".join(f"<li>{_e(n)}</li>" for n in doc.notices) + "</ul>")
    parts.append("<h2>Article</h2>")
    for block in doc.blocks:
        if block.kind == "heading":
            parts.append(f"<h3>{_e(block.text)}</h3>")
        elif block.kind == "body":
            colour = LABEL_COLOURS.get(block.label or "", "#fff")
            parts.append(
                f'<div class="p" style="background:{colour}" data-label="{_e(block.label or "")}">'
                f'<span class="tag">{_e(block.label or "unlabelled")} — {_scores(block.scores)} '
                f"(lines {block.lines[0]}–{block.lines[1]})</span>{_e(block.text)}</div>"
            )
        elif block.kind != "title":
            parts.append(
                f'<details class="removed"><summary>removed: {_e(block.kind)}, lines {block.lines[0]}–'
                f"{block.lines[1]} — {_e(block.reason)}</summary><pre>{_e(block.text)}</pre></details>"
            )
    parts.append("<h2>Signals</h2><table><tr><th>signal</th><th>value</th><th>points</th><th>evidence</th></tr>")
    for s in report.signals:
        points = "neg" if s.effect < 0 else "pos" if s.effect > 0 else ""
        evidence = "".join(
            f"<li>{'lines ' + str(e.lines[0]) + '–' + str(e.lines[1]) + ': ' if e.lines else ''}{_e(e.snippet)}</li>"
            for e in s.evidence
        )
        parts.append(
            f"<tr><td>{_e(s.name)}<br><small>{_e(s.detail)}</small></td><td>{_e(_value(s.value))}</td>"
            f'<td class="{points}">{s.effect:+.1f}</td><td><ul>{evidence}</ul></td></tr>'
        )
    parts.append("</table>")
    return _page(f"{title}{REPORT_TITLE_END}", "\n".join(parts))


SORT_SCRIPT = """
document.querySelectorAll('th.sortable').forEach(function (th) {
  th.addEventListener('click', function () {
    var table = th.closest('table'), index = Array.prototype.indexOf.call(th.parentNode.children, th);
    var rows = Array.prototype.slice.call(table.querySelectorAll('tr')).slice(1);
    var asc = th.dataset.asc !== 'true'; th.dataset.asc = asc;
    rows.sort(function (a, b) {
      var x = a.children[index].dataset.v || a.children[index].textContent;
      var y = b.children[index].dataset.v || b.children[index].textContent;
      var nx = parseFloat(x), ny = parseFloat(y);
      var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
      return asc ? c : -c;
    });
    rows.forEach(function (r) { table.appendChild(r); });
  });
});
""".strip()


# Characters of a document's name shown left of the chart's bars (200 px at 12 px type).
CHART_NAME_CHARS = 26


def _chart(rows: list[SummaryRow]) -> str:
    """Inline SVG: one row per document, a bar for the score and a stacked bar of label shares."""
    height = 22 * len(rows) + 30
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="720" height="{height}" role="img" aria-label="scores">']
    parts.append('<text x="200" y="14" font-size="12">score (0–100)</text>')
    parts.append('<text x="470" y="14" font-size="12">reporting / opinion / filler</text>')
    for i, row in enumerate(rows):
        y = 24 + 22 * i
        # The full id, title and score on hover; the row's name is cut to what fits before the bars.
        name = row.id if len(row.id) <= CHART_NAME_CHARS else row.id[: CHART_NAME_CHARS - 1] + "…"
        hover = f"{row.id}: {row.title}, score {row.score:.1f}" if row.title else f"{row.id}: score {row.score:.1f}"
        parts.append(f"<g><title>{_e(hover)}</title>")
        parts.append(f'<text x="0" y="{y + 12}" font-size="12">{_e(name)}</text>')
        parts.append(f'<rect x="200" y="{y}" width="{2.5 * row.score:.1f}" height="16" fill="#4a7bb7"/>')
        x = 470.0
        for label in ("reporting", "opinion", "filler"):
            width = 240 * (getattr(row, label) or 0.0)  # no bar where the labels are unreliable
            colour = LABEL_COLOURS[label]
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="16" fill="{colour}" stroke="#999"/>')
            x += width
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


def _share_cell(share: float | None) -> str:
    if share is None:
        return '<td data-v="-1" title="labels not counted: the text does not look like English">–</td>'
    return f"<td>{share:.0%}</td>"


def index_html(
    rows: list[SummaryRow], sources: list[tuple[str, int, float, float, float]], failures: list[tuple[str, str]]
) -> str:
    head = "".join(
        f'<th class="sortable">{name}</th>'
        for name in ("document", "title", "source", "score", "band", "type", "reporting", "opinion", "filler")
    )
    body = []
    for row in rows:
        cells = [
            f'<td data-v="{_e(row.id)}"><a href="{_e(row.id)}.html">{_e(row.id)}</a></td>',
            f"<td>{_e(row.title)}</td>",
            f"<td>{_e(row.site)}</td>",
            f"<td>{row.score:.1f}</td>",
            f"<td>{_e(row.band)}</td>",
            f"<td>{_e(row.type_of_work)}</td>",
            *(_share_cell(getattr(row, label)) for label in ("reporting", "opinion", "filler")),
        ]
        body.append("<tr>" + "".join(cells) + "</tr>")
    source_rows = "".join(
        f"<tr><td>{_e(name)}</td><td>{count}</td><td>{mean:.1f}</td><td>{low:.1f}</td><td>{high:.1f}</td></tr>"
        for name, count, mean, low, high in sources
    )
    failed = "".join(f"<tr><td>{_e(source)}</td><td>{_e(problem)}</td></tr>" for source, problem in failures)
    parts = [
        "<h1>cleaner run</h1>",
        f"<p>{len(rows)} documents, {len(failures)} failed.</p>",
        _chart(rows),
        f"<h2>Documents</h2><table><tr>{head}</tr>{''.join(body)}</table>",
        "<h2>Sources</h2><table><tr>"
        + "".join(f'<th class="sortable">{n}</th>' for n in ("source", "documents", "mean score", "lowest", "highest"))
        + f"</tr>{source_rows}</table>",
    ]
    if failures:
        parts.append(f"<h2>Failed inputs</h2><table><tr><th>input</th><th>problem</th></tr>{failed}</table>")
    return _page("cleaner run", "\n".join(parts), SORT_SCRIPT)
