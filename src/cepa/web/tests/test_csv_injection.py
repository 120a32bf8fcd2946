"""Finding 6 of issue 12: text a spreadsheet would run as a formula is neutralised in every CSV."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from django.test import Client

from cepa.bodies.models import Accreditation, Agreement, Designation, Organisation
from cepa.designation.models import Plan
from cepa.personnel.models import Inspector
from cepa.spreadsheets import csv_writer, safe_cell
from cepa.testing import factories as f
from cepa.web.public.opendata import CSV_FILES

HOSTILE = {
    "=": '=HYPERLINK("http://evil.example","x")',
    "+": "+1+cmd|' /C calc'!A0",
    "-": "-2+3",
    "@": "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t": "\t=1+1",
    "\r": "\r=1+1",
}


def test_each_formula_start_gets_a_leading_quote_and_nothing_else_changes() -> None:
    assert {start: safe_cell(value) for start, value in HOSTILE.items()} == {
        start: "'" + value for start, value in HOSTILE.items()
    }
    assert [safe_cell(v) for v in ("Harbour =Lab", "0701", "", None, -5, 2026, "'quoted")] == [
        "Harbour =Lab",
        "0701",
        "",
        None,
        -5,
        2026,
        "'quoted",
    ]
    out = io.StringIO()
    csv_writer(out, lineterminator="\n").writerows([["=1+1", -1, "ok"]])
    assert out.getvalue() == "'=1+1,-1,ok\n"


@pytest.fixture
def hostile_registry(db: None) -> None:
    f.organisation("=hk-lab", "laboratory", "HK", name=HOSTILE["="], note=HOSTILE["+"])
    f.organisation("cn-cb", "certification_body", "MAINLAND", name="Mainland CB", source=HOSTILE["@"])
    f.accreditation(
        "HOKLAS 1",
        "=hk-lab",
        "HOKLAS",
        "2020-01-01",
        ["0701"],
        [{"on": "2021-01-01", "status": "suspended", "reason": HOSTILE["-"], "basis": HOSTILE["@"]}],
    )
    Accreditation.objects.filter(pk="HOKLAS 1").update(note=HOSTILE["\t"])
    f.designation("D-1", "cn-cb", "certification_body", ["0701"], "2020-01-01", basis=HOSTILE["\r"])
    f.agreement("AG-1", "testing", "=hk-lab", "cn-cb", ["0701"], "2021-01-01", "2027-12-31")
    Agreement.objects.filter(pk="AG-1").update(note=HOSTILE["-"])
    f.plan("P-1", 2026, "laboratory", ["0701"], "2026-01-05", "2026-02-01T09:00", "2026-02-20T17:00")
    Plan.objects.filter(pk="P-1").update(note=HOSTILE["="])
    f.inspector(
        "-INS-1",
        "inspector",
        ["07"],
        "2023-01-01",
        "2026-12-31",
        [("=hk-lab", "2023-01-01", None)],
        [{"on": "2024-01-01", "status": "suspended", "reason": "private"}],
        name=HOSTILE["@"],
    )
    Inspector.objects.filter(pk="-INS-1").update(note=HOSTILE["+"])
    assert Organisation.objects.count() == 2 and Designation.objects.count() == 1


@pytest.mark.parametrize("file_name", sorted(CSV_FILES))
def test_no_open_data_csv_cell_starts_a_formula(
    client: Client, hostile_registry: None, file_name: str
) -> None:
    response = client.get(f"/open-data/{file_name}.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8").removeprefix("\ufeff"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert len(rows) > 1
    assert [cell for cell in cells if cell.startswith(tuple(HOSTILE))] == []
    # Every hostile value the file carries is there, quoted.
    quoted = {cell for cell in cells if cell.startswith("'")}
    expected = {
        "organisations": {"'=hk-lab", "'" + HOSTILE["="], "'" + HOSTILE["+"], "'" + HOSTILE["@"]},
        "accreditations": {"'=hk-lab", "'" + HOSTILE["\t"]},
        "accreditation_events": {"'" + HOSTILE["-"], "'" + HOSTILE["@"]},
        "designations": {"'" + HOSTILE["\r"]},
        "agreements": {"'=hk-lab", "'" + HOSTILE["-"]},
        "plans": {"'" + HOSTILE["="]},
        "inspectors": {"'-INS-1", "'" + HOSTILE["@"], "'" + HOSTILE["+"]},
        "inspector_affiliations": {"'-INS-1", "'=hk-lab"},
        "inspector_events": {"'-INS-1"},
    }
    assert quoted == expected[file_name]


def test_every_csv_writer_in_the_project_is_the_safe_one() -> None:
    """A new CSV export must use cepa.spreadsheets.csv_writer, not csv.writer directly."""
    package = Path(__file__).resolve().parents[2]
    pattern = re.compile(r"\bcsv\.(writer|DictWriter)\(")
    direct = sorted(
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if "tests" not in path.parts and path.name != "spreadsheets.py" and pattern.search(path.read_text())
    )
    assert direct == []
