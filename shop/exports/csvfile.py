"""CSV files that Excel in Vietnamese opens right and that cannot carry a formula.

UTF-8 with a byte-order mark (Excel then reads the diacritics), one row at a time (a generator:
memory stays flat however many rows), and a text cell that a spreadsheet would read as a
formula (= + - @, or a leading tab or carriage return) gets a leading apostrophe (OWASP).
"""

import csv
import io
from collections.abc import Iterable, Iterator

from flask import Response, stream_with_context

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> object:
    """A text cell that starts like a formula is prefixed with ' ; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return "" if value is None else value


def csv_lines(header: Iterable[str], rows: Iterable[Iterable]) -> Iterator[str]:
    """The BOM and header, then one CSV line per row, each cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(cells: Iterable) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([neutralise(cell) for cell in cells])
        return buffer.getvalue()

    yield BOM + line(header)
    for row in rows:
        yield line(row)


def csv_response(filename: str, header: Iterable[str], rows: Iterable[Iterable]) -> Response:
    """Stream the file as a download; `rows` is consumed while the response is sent, inside the
    request's context (so a database cursor can feed it)."""
    response = Response(
        stream_with_context(csv_lines(header, rows)), mimetype="text/csv; charset=utf-8"
    )
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
