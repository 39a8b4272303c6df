"""Reading an import file, step 1 of the import (plans.exchange.imports): the file as a header and rows.

Everything here reads hostile files: the size is checked before anything is opened, an XLSX's zip
directory before openpyxl reads a byte of it (zip bombs), its XML through defusedxml (entity bombs,
external entities; openpyxl uses defusedxml whenever it is installed, and it is a dependency), and
rows are counted while they stream in, before any row is checked. A formula is marked (Formula) and
becomes a bad row: a file with formulas imports nothing. A text formula, ="03220000", is no formula but
the text it shows: the Swedish CSV export writes CPV codes so (plans.exchange.tabular), and a spreadsheet
that opened such a file keeps it as a formula or as that text.
"""

import csv
import io
import logging
import re
import warnings
import zipfile

from django.conf import settings
from django.utils.translation import gettext as _

from plans.register.validation import formula_text

log = logging.getLogger(__name__)


class ImportRefused(Exception):
    """The file as a whole cannot be imported; the message says why."""


# An XLSX is a zip archive. The sizes in its directory are binding: zipfile never unpacks more of a
# member than its declared size (and checks its CRC), so checking the directory is enough.
XLSX_MAX_UNCOMPRESSED = 100 * 1024 * 1024  # bytes, all members together


XLSX_MAX_MEMBERS = 1000  # a workbook from Excel or LibreOffice has a few dozen


XLSX_MAX_RATIO = 100  # uncompressed : compressed, for a member over XLSX_RATIO_FROM (sheets reach ~20)


XLSX_RATIO_FROM = 1024 * 1024


# What a CSV cell must not start with: "=" always; "+", "-" or "@" before a letter or "(" (as in
# +cmd|…, @SUM(…), -HYPERLINK(…)). "-5", "+46 70 …" and "-" stay values. The export's leading
# apostrophe ('=…) keeps a cell from being one, and the importer removes it (FORMULA_GUARD).
CSV_FORMULA = re.compile(r"^(?:=|[+\-@](?:[^\W\d_]|\())")


class Formula(str):
    """A cell holding a formula (an XLSX formula cell, or CSV text that a spreadsheet would run)."""


def _binary_kinds():
    """Signatures of files people upload by mistake (or on purpose) instead of a spreadsheet."""
    return [
        (b"%PDF", _("a PDF document")),
        (b"\x89PNG", _("a PNG image")),
        (b"\xff\xd8\xff", _("a JPEG image")),
        (b"GIF8", _("a GIF image")),
        (b"\x7fELF", _("a program (ELF)")),
        (b"MZ\x90\x00", _("a Windows program")),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", _("an old Excel file (.xls) or a password-protected workbook")),
        (b"PK\x03\x04", _("a zip archive, such as an Excel workbook (.xlsx)")),
        (b"\x1f\x8b", _("a gzip archive")),
        (b"Rar!", _("a RAR archive")),
        (b"7z\xbc\xaf", _("a 7-Zip archive")),
    ]


def LOOKS_LIKE_MESSAGE(kind: str) -> str:
    return _("This file looks like %(kind)s.") % {"kind": kind}


def _looks_like(content: bytes) -> str | None:
    for signature, kind in _binary_kinds():
        if content.startswith(signature):
            return kind
    return None


def read_table(filename: str, content: bytes) -> tuple[list, list[tuple[int, list]]]:
    """The header cells and the data rows (line number, cells) of a CSV or XLSX file.

    Refuses (ImportRefused) a file over IMPORT_MAX_BYTES before opening it and one with more than
    IMPORT_MAX_ROWS data rows while reading it, before any row is checked.
    """
    if len(content) > settings.IMPORT_MAX_BYTES:
        raise ImportRefused(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {
                "size": round(len(content) / 1_048_576, 1),
                "limit": round(settings.IMPORT_MAX_BYTES / 1_048_576),
            }
        )
    name = filename.lower()
    if name.endswith((".xlsx", ".xlsm")):
        rows = _read_xlsx(content)
    elif name.endswith((".csv", ".txt")):
        rows = _read_csv(content)
    else:
        raise ImportRefused(_("Upload an Excel file (.xlsx) or a CSV file (.csv)."))
    rows = iter(rows)
    header = next(rows, None)
    if header is None or not any(cell not in (None, "") for cell in header[1]):
        raise ImportRefused(_("The file is empty: the first row must hold the column headers."))
    data = []
    for line, cells in rows:
        if any(cell not in (None, "") and str(cell).strip() for cell in cells):
            data.append((line, cells))
            if len(data) > settings.IMPORT_MAX_ROWS:
                raise ImportRefused(
                    _("The file has more than %(limit)d rows; split it into smaller files.")
                    % {"limit": settings.IMPORT_MAX_ROWS}
                )
    return header[1], data


def _read_csv(content: bytes):
    kind = _looks_like(content)
    if kind is not None:
        raise ImportRefused(
            _("Upload an Excel file (.xlsx) or a CSV file (.csv).") + " " + LOOKS_LIKE_MESSAGE(kind)
        )
    if b"\x00" in content:
        raise ImportRefused(_("The file contains NUL bytes: it is not a text CSV file."))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(
            _("The CSV file is not in UTF-8. In Excel, save it as “CSV UTF-8 (kommaavgränsad)”.")
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max([";", ",", "\t"], key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, [_csv_value(cell) for cell in cells]
    except csv.Error as exc:
        raise ImportRefused(_("The CSV file cannot be read: %(error)s") % {"error": exc}) from None


def _csv_value(cell: str) -> str:
    """A CSV cell as text, or as a Formula when a spreadsheet would run it."""
    text = formula_text(cell)
    if text is not None and not CSV_FORMULA.match(text):
        return text
    return Formula(cell) if CSV_FORMULA.match(cell) else cell


def _not_a_workbook() -> ImportRefused:
    return ImportRefused(_("The file is not a readable Excel workbook (.xlsx)."))


def check_workbook_zip(content: bytes) -> None:
    """Refuse an XLSX whose zip directory promises a bomb, or that is a zip but no workbook.

    Only the directory is read: nothing is unpacked.
    """
    if not content.startswith(b"PK"):
        kind = _looks_like(content)
        if kind is not None:
            raise ImportRefused(str(_not_a_workbook()) + " " + LOOKS_LIKE_MESSAGE(kind))
        raise _not_a_workbook()
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise _not_a_workbook() from None
    with archive:
        members = archive.infolist()
    bomb = _("It is refused as a possible zip bomb.")
    if len(members) > XLSX_MAX_MEMBERS:
        raise ImportRefused(
            _("The workbook holds %(count)d parts; a plan needs far fewer.") % {"count": len(members)}
            + " "
            + bomb
        )
    unpacked = sum(member.file_size for member in members)
    if unpacked > XLSX_MAX_UNCOMPRESSED:
        raise ImportRefused(
            _("The workbook would unpack to %(size)d MB; the limit is %(limit)d MB.")
            % {"size": unpacked // 1_048_576, "limit": XLSX_MAX_UNCOMPRESSED // 1_048_576}
            + " "
            + bomb
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > XLSX_RATIO_FROM and ratio > XLSX_MAX_RATIO:
            raise ImportRefused(
                _("The part %(name)s of the workbook is compressed %(ratio)d to 1.")
                % {"name": member.filename[:80], "ratio": ratio}
                + " "
                + bomb
            )
    if "xl/workbook.xml" not in {member.filename for member in members}:
        raise ImportRefused(_("The file is a zip archive but not an Excel workbook (.xlsx)."))


def _refused_xml(exc: Exception) -> ImportRefused:
    """What went wrong inside openpyxl, as the user's message."""
    if _caused_by_defusedxml(exc):
        return ImportRefused(
            _(
                "The workbook contains XML entity declarations (a DOCTYPE), which Excel never writes; "
                "it is refused as possibly harmful."
            )
        )
    log.info("An XLSX file was refused: openpyxl could not read it", exc_info=exc)
    return _not_a_workbook()


def _caused_by_defusedxml(exc: BaseException | None) -> bool:
    """Whether defusedxml refused the XML (openpyxl wraps what the parser raised in its own ValueError)."""
    from defusedxml.common import DefusedXmlException

    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, DefusedXmlException):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def _xlsx_value(cell):
    value = cell.value  # for a formula "=SUM(A1:A3)", or an ArrayFormula / DataTableFormula object
    # A text formula (="03220000", as the CSV export writes a CPV code) as a formula cell, or kept as
    # text by a spreadsheet that did not evaluate it: the text it shows.
    text = formula_text(value) if isinstance(value, str) and cell.data_type in ("f", "s") else None
    if text is not None and not CSV_FORMULA.match(text):
        return text
    if cell.data_type != "f":
        return value
    return Formula(value if isinstance(value, str) else getattr(value, "text", None) or "=")


def _read_xlsx(content: bytes):
    """The first sheet's rows; a formula cell comes as Formula (its text), whatever it computes."""
    check_workbook_zip(content)
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            # openpyxl warns about parts it drops (extensions, validations): not the user's concern.
            warnings.simplefilter("ignore", UserWarning)
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as exc:  # a hostile file can make openpyxl raise anything; all of it is a refusal
        raise _refused_xml(exc) from None
    try:
        if not workbook.worksheets:
            raise _not_a_workbook()
        sheet = workbook.worksheets[0]
        rows = enumerate(sheet.iter_rows(), start=1)
        while True:
            try:
                number, cells = next(rows)
                values = [_xlsx_value(cell) for cell in cells]
            except StopIteration:
                return
            except Exception as exc:  # the sheet is parsed as it is read: the same holds here
                raise _refused_xml(exc) from None
            yield number, values
    finally:
        workbook.close()
