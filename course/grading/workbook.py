"""The gradebook as an Excel workbook (``grades.xlsx``) for trainers who keep grades in Excel or WPS.

One summary sheet (one row per learner: each assignment's score and the total) and one sheet per
assignment (one row per learner, one column per graded item with its full marks). Written with
openpyxl, which also reads it back in the tests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Sheet", "sheet_title", "write_workbook"]

# Excel forbids these in sheet names and caps a name at 31 characters.
_BAD = re.compile(r"[\[\]:*?/\\]")


@dataclass
class Sheet:
    """One worksheet: a title, the header row and the data rows."""

    title: str
    header: list[str]
    rows: list[list[object]] = field(default_factory=list)


def sheet_title(name: str, taken: set[str]) -> str:
    """A legal, unique sheet name for ``name`` (Excel's 31-character limit, no []:*?/\\)."""
    base = _BAD.sub("_", name).strip("'") or "作业"
    title, n = base[:31], 2
    while title.lower() in taken:
        suffix = f"({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


def write_workbook(path: Path, sheets: list[Sheet]) -> Path:
    """Write ``sheets`` to ``path`` with bold frozen headers and readable column widths."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for sheet in sheets:
        ws = wb.create_sheet(sheet.title)
        ws.append(sheet.header)
        for cell in ws[1]:
            cell.font, cell.fill = bold, fill
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        for row in sheet.rows:
            ws.append(row)
        ws.freeze_panes = "C2"
        for i, head in enumerate(sheet.header, start=1):
            values = [head, *(r[i - 1] for r in sheet.rows)]
            # CJK characters are about two columns wide in Excel and WPS
            width = max(sum(2 if ord(ch) > 0x2E7F else 1 for ch in str(v)) for v in values)
            ws.column_dimensions[get_column_letter(i)].width = min(max(width + 2, 8), 40)
            for cell in ws[get_column_letter(i)][1:]:
                if isinstance(cell.value, float):
                    cell.number_format = "0.##"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
