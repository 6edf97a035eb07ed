"""Printed material: HTML/CSS to A4 PDF (WeasyPrint, Chinese via fontconfig) and pages back to PNG."""

from __future__ import annotations

from pathlib import Path

__all__ = ["BASE_CSS", "page_texts", "render_png", "write_pdf"]

#: The house style of every printed page: A4, Noto CJK, readable sizes.
BASE_CSS = """
@page { size: A4; margin: 15mm 15mm 18mm 15mm;
        @bottom-center { content: counter(page) " / " counter(pages); font-size: 9pt; color: #666; } }
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", sans-serif;
       font-size: 10.5pt; line-height: 1.55; color: #111; }
h1 { font-size: 18pt; margin: 0 0 6pt; } h2 { font-size: 14pt; margin: 12pt 0 4pt; }
h3 { font-size: 12pt; margin: 10pt 0 3pt; }
table { border-collapse: collapse; width: 100%; } td, th { border: 0.6pt solid #999; padding: 3pt 5pt;
  vertical-align: top; } th { background: #eef3f8; }
.page { page-break-after: always; } .page:last-child { page-break-after: auto; }
.box { border: 1pt solid #333; width: 10pt; height: 10pt; display: inline-block; margin-right: 4pt; }
"""


def write_pdf(html: str, out: Path, *, css: str = "") -> Path:
    """Render an HTML document (``BASE_CSS`` + ``css`` applied) to ``out`` as a PDF; returns ``out``."""
    from weasyprint import CSS, HTML

    out.parent.mkdir(parents=True, exist_ok=True)
    sheets = [CSS(string=BASE_CSS)] + ([CSS(string=css)] if css else [])
    HTML(string=html, base_url=str(out.parent)).write_pdf(str(out), stylesheets=sheets)
    return out


def page_texts(pdf: Path) -> list[str]:
    """The text of each page of ``pdf`` (for tests and checks)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    finally:
        doc.close()


def render_png(pdf: Path, out: Path, *, page: int = 0, scale: float = 1.5) -> Path:
    """Render one page of ``pdf`` to a PNG picture (previews, screenshots in notes)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        doc[page].render(scale=scale).to_pil().save(str(out))
    finally:
        doc.close()
    return out
