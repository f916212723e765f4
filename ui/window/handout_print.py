"""The handout on paper: Qt's own text document, printer and PDF writer (no other dependency). Every word is
inserted as plain text through a QTextCursor, never as markup: a priority typed as "<b>" prints those characters.
Type is large (14 pt, headings 18 pt, the title 22 pt): many patients read it without their glasses."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QLocale, QMarginsF, Qt
from PySide6.QtGui import (
    QFont,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPdfWriter,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from companion.errors import CompanionError, sentence
from companion.read.handout import Handout, build_handout
from companion.services.audit_trail import record_view
from companion.services.output_files import written_beside
from ui.window.labels import tr

BODY_PT, HEADING_PT, TITLE_PT = 14, 18, 22
MARGIN_MM = 20


def handout_document(handout: Handout) -> QTextDocument:
    """The handout as a document: each line plain text in its own paragraph, headings bold."""
    document = QTextDocument()
    font = QFont(document.defaultFont())
    font.setPointSize(BODY_PT)
    document.setDefaultFont(font)
    cursor = QTextCursor(document)

    def paragraph(text: str, size: int = BODY_PT, bold: bool = False, space_before: int = 0) -> None:
        block = QTextBlockFormat()
        block.setTopMargin(space_before)
        block.setBottomMargin(4)
        chars = QTextCharFormat()
        chars.setFontPointSize(size)
        chars.setFontWeight(QFont.Weight.Bold if bold else QFont.Weight.Normal)
        if cursor.position() > 0 or document.characterCount() > 1:
            cursor.insertBlock(block, chars)
        else:
            cursor.setBlockFormat(block)
            cursor.setBlockCharFormat(chars)
        cursor.insertText(text, chars)  # plain text: never read as markup

    paragraph(handout.title, TITLE_PT, bold=True)
    for line in handout.intro:
        paragraph(line)
    for section in handout.sections:
        paragraph(section.heading, HEADING_PT, bold=True, space_before=14)
        for line in section.lines:
            paragraph(f"•  {line}")
    paragraph(handout.closing, space_before=14)
    return document


def page_size() -> QPageSize:
    """Letter where the clinic's locale measures in inches (US), A4 elsewhere."""
    us = QLocale.system().measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem
    return QPageSize(QPageSize.PageSizeId.Letter if us else QPageSize.PageSizeId.A4)


def pdf_bytes(handout: Handout) -> bytes:
    """The handout as a PDF. From the command line there is no window: Qt starts off screen for the fonts."""
    if QGuiApplication.instance() is None:
        if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        pdf_bytes.app = QGuiApplication([sys.argv[0] if sys.argv else "companion"])  # kept alive while we draw
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle(handout.title)
    writer.setCreator("Encounter Companion")
    writer.setPageLayout(
        QPageLayout(
            page_size(), QPageLayout.Orientation.Portrait, QMarginsF(*[MARGIN_MM] * 4), QPageLayout.Unit.Millimeter
        )
    )
    document = handout_document(handout)
    document.print_(writer)
    del writer  # the PDF is finished when its writer goes
    buffer.close()
    return bytes(data)


def print_handout(parent: QWidget, ctx, visit_id: int | None) -> None:
    """Ctrl+P on the glance: the patient's handout in their language, without private facts, through the system's
    print dialog (which also offers printing to a PDF file)."""
    if visit_id is None:
        return
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    try:
        handout = build_handout(ctx.store, visit_id)
    except CompanionError as exc:  # a visit cancelled, missed or still to come: said, no print dialog
        ctx.message.emit(sentence(str(exc)))
        return
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(page_size())
    printer.setDocName(handout.title)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(handout.title)
    if dialog.exec() == QDialog.DialogCode.Accepted:
        print_to(printer, handout, ctx, visit_id, parent)


def print_to(printer, handout: Handout, ctx, visit_id: int, parent: QWidget) -> bool:
    """Print as the dialog chose. "Print to file" is written by Qt itself, so the app's rules for the files it writes
    are checked first (the dialog has asked before replacing a file): never the database or another one, never a
    device. Returns whether it printed; a print is recorded as every write is (ctx.attempt): off the window's
    thread, and kept until it is written when another desk holds the database."""
    store = ctx.store
    target = printer.outputFileName()
    if target:
        try:
            # Qt writes a new owner-only file beside the one chosen, renamed into place once printed: a link planted
            # at the name is replaced, not followed, and nobody else can read the handout.
            with written_beside(Path(target), force=True, database=store.sqlite_file, suffix=".pdf") as (
                handle,
                partial,
            ):
                os.close(handle)  # Qt opens the file by its name
                printer.setOutputFormat(printer.OutputFormat.PdfFormat)
                printer.setOutputFileName(str(partial))
                handout_document(handout).print_(printer)
        except (CompanionError, OSError) as exc:  # OSError: a folder that cannot be read or written
            refusal = QMessageBox(
                QMessageBox.Icon.Warning, tr("Encounter Companion"), sentence(str(exc)), parent=parent
            )
            refusal.setTextFormat(Qt.TextFormat.PlainText)
            refusal.open()
            return False
        finally:
            printer.setOutputFileName(target)
    else:
        handout_document(handout).print_(printer)
    ctx.attempt(record_view, "print handout", visit_id)
    if handout.left_out:  # as the command line says it: the clinician knows what the paper does not carry
        if handout.left_out == 1:
            ctx.message.emit(tr("Printed without 1 private item: a handout never carries it; go over it in person."))
        else:
            words = tr("Printed without %d private items: a handout never carries them; go over them in person.")
            ctx.message.emit(words % handout.left_out)
    return True
