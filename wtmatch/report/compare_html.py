"""The comparison of options as one self-contained HTML page (``wtmatch compare -o DIR``)."""

from __future__ import annotations

import html
from pathlib import Path

from wtmatch.analysis.compare import Comparison, cell_text
from wtmatch.files import write_text
from wtmatch.report.html import CSS, html_table


def render_comparison(comparison: Comparison) -> str:
    """The comparison as an HTML page: key figures side by side, then what changes."""
    labels = [o.label for o in comparison.options]
    head = ["figure", *labels]
    rows = [[name, *(cell_text(v, values[0], k) for k, v in enumerate(values))]
            for name, values in comparison.figures]
    parts = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
             f"<title>wtmatch: {html.escape(' vs '.join(labels))}</title><style>{CSS}</style>"
             f"</head><body><h1>{html.escape(' · '.join(labels))}</h1>",
             "<p>Each option's key figures; in brackets the difference to "
             f"<b>{html.escape(labels[0])}</b>.</p>",
             "<section id='figures'><h2>Key figures</h2>" + html_table(head, rows) + "</section>"]
    for label in labels[1:]:
        parts.append(f"<section><h2>{html.escape(label)} against {html.escape(labels[0])}</h2>")
        for title, part in (("Who moves where", comparison.moves),
                            ("Seats that change", comparison.seats),
                            ("Sessions and meetings gained (+) or lost (−)", comparison.year)):
            parts.append(f"<h3>{title}</h3>" + html_table([title.split(' (')[0].lower()],
                                                       [[x] for x in part.get(label, [])]))
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write_comparison(comparison: Comparison, out_dir: str | Path) -> Path:
    """Write ``index.html`` into ``out_dir``; returns its path."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "index.html"
    write_text(path, render_comparison(comparison))
    return path
