#!/usr/bin/env python3
"""Read a workbook of `tranche export --format xlsx` with openpyxl, for tests/export_tools.rs.

Usage: xlsx_read.py FILE.xlsx
Reads the sheets as an independent reader would, recomputes every total from its `SUM`
formula (openpyxl keeps formulas as text and computes nothing), and prints what it found as
JSON, money in pence: {"sheets", "frozen", "years": {label: {column: pence}}, "year_totals":
{column: pence}, "projects": {id: {column: pence}}, "project_totals": {column: pence},
"targets": [[kind, year, limit, forecast, met]], "schedule": {id: [kind, start, finish]}}.
Exit status 0 when read, 1 when the workbook is not what it should be, 2 when openpyxl is
missing.
"""

import json
import re
import sys

from script_start import begin

SUM = re.compile(r"^=SUM\(([A-Z])(\d+):([A-Z])(\d+)\)$")


def pence(value):
    return round(value * 100)


def total(sheet, formula):
    """The pence of a `=SUM(B2:B6)` over `sheet`, computed here."""
    match = SUM.match(formula or "")
    if not match or match.group(1) != match.group(3):
        raise ValueError(f"not a column SUM: {formula!r}")
    column, first, last = match.group(1), int(match.group(2)), int(match.group(4))
    return sum(pence(sheet[f"{column}{row}"].value or 0) for row in range(first, last + 1))


def main():
    if begin(__doc__, "openpyxl") is None:
        return 2
    import openpyxl

    book = openpyxl.load_workbook(sys.argv[1])
    out = {"sheets": book.sheetnames, "frozen": {}}
    for name in book.sheetnames:
        out["frozen"][name] = book[name].freeze_panes
    finance = book["Finance"]
    header = [c.value for c in finance[1]]
    columns = [c for c in header[1:] if c]
    out["years"], out["year_totals"] = {}, {}
    row = 2
    while finance.cell(row, 1).value != "total":
        label = finance.cell(row, 1).value
        out["years"][label] = {
            c: pence(finance.cell(row, i + 2).value) for i, c in enumerate(columns)
        }
        row += 1
    for i, c in enumerate(columns):
        out["year_totals"][c] = total(finance, finance.cell(row, i + 2).value)
    row += 2
    if finance.cell(row, 1).value != "project":
        print(f"no project table at row {row}")
        return 1
    project_columns = [finance.cell(row, i).value for i in range(3, 3 + len(columns))]
    row += 1
    out["projects"], out["project_totals"] = {}, {}
    while finance.cell(row, 1).value != "total":
        out["projects"][finance.cell(row, 1).value] = {
            c: pence(finance.cell(row, i + 3).value) for i, c in enumerate(project_columns)
        }
        row += 1
    for i, c in enumerate(project_columns):
        out["project_totals"][c] = total(finance, finance.cell(row, i + 3).value)
    out["targets"] = [
        [kind, year, pence(limit), pence(actual), met]
        for kind, year, limit, actual, met in book["Targets"].iter_rows(min_row=2, values_only=True)
    ]
    out["schedule"] = {
        r[0]: [r[2], r[3].date().isoformat(), r[4].date().isoformat()]
        for r in book["Schedule"].iter_rows(min_row=2, values_only=True)
    }
    print(json.dumps(out, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
