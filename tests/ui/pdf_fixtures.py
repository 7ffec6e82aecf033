"""Printing without a printer: the print dialog "accepted" with a PDF file as the printer, and PDFs to read back."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import pypdf
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas


@dataclass
class PrintDialogRecord:
    """What the dialog suggested (page size, orientation, page range limits) each time it was shown."""

    suggested: list[dict] = field(default_factory=list)


def accept_print_dialog(monkeypatch, output: Path, *, first: int = 0, last: int = 0, copies: int = 1,
                        accept: bool = True) -> PrintDialogRecord:
    """Make QPrintDialog.exec answer at once, as a clerk choosing "print to PDF file" would.

    A low resolution keeps the rendered pages small; the page count is what the tests read.
    """
    record = PrintDialogRecord()

    def exec_(dialog: QPrintDialog) -> int:
        printer = dialog.printer()
        layout = printer.pageLayout()
        record.suggested.append({
            "page_size": layout.pageSize().id(),
            "orientation": layout.orientation(),
            "document_name": printer.docName(),
            "max_page": dialog.maxPage(),
        })
        if not accept:
            return QDialog.DialogCode.Rejected
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(output))
        printer.setResolution(72)
        printer.setCopyCount(copies)
        if first:
            printer.setPrintRange(QPrinter.PrintRange.PageRange)
            printer.setFromTo(first, last)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", exec_)
    return record


def pdf_pages(path_or_bytes) -> list[pypdf.PageObject]:
    source = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else str(path_or_bytes)
    return list(pypdf.PdfReader(source).pages)


def sample_pdf(pages: list[str], pagesize: tuple[float, float] = A4) -> bytes:
    """An A4 PDF with one page per entry: text, "" for an empty page, "#" for a page with only a picture
    on it (as a scanned page is: no text, but far from blank)."""
    out = io.BytesIO()
    sheet = canvas.Canvas(out, pagesize=pagesize)
    for text in pages:
        if text == "#":
            sheet.rect(100, 300, 300, 300, stroke=0, fill=1)
        elif text:
            sheet.drawString(100, 700, text)
        sheet.showPage()
    sheet.save()
    return out.getvalue()
