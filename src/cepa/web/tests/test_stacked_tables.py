"""Phone widths (issue 11, point 9): every table of the site's pages stacks into labelled rows on narrow
screens, so each data cell carries its column's name (data-label) for the stylesheet to show."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "web"
TABLE = re.compile(r"<table(?P<attrs>[^>]*)>(?P<body>.*?)</table>", re.S)


def tables() -> list[tuple[str, str, str]]:
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        for match in TABLE.finditer(path.read_text(encoding="utf-8")):
            found.append((str(path.relative_to(TEMPLATES)), match.group("attrs"), match.group("body")))
    return found


def test_every_table_stacks_and_labels_its_cells() -> None:
    found = tables()
    assert len(found) == 29
    assert [name for name, attrs, _ in found if "stack" not in attrs] == []
    unlabelled = [
        (name, cell)
        for name, _, body in found
        for cell in re.findall(r"<td\b[^>]*>", body.partition("</thead>")[2])
        if "data-label" not in cell and "colspan" not in cell
    ]
    assert unlabelled == []


def test_the_stylesheet_stacks_tables_below_40rem() -> None:
    css = (TEMPLATES.parents[1] / "static" / "web" / "site.css").read_text(encoding="utf-8")
    narrow = css.split("@media (max-width: 40rem) {")[1]
    assert "table.stack, table.stack tbody, table.stack tr, table.stack th, table.stack td" in narrow
    assert "table.stack [data-label]::before { content: attr(data-label);" in narrow
