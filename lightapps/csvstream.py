"""CSV that Excel opens right and that streams: UTF-8 with a BOM (without it Excel on Windows
reads the Chinese as GBK and shows mojibake), one row at a time for a StreamingHttpResponse,
and no cell a spreadsheet would run as a formula (CSV injection: =, +, -, @ are made text)."""

import csv
import io
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime

CSV_TYPE = "text/csv; charset=utf-8"
_FORMULA = re.compile(r"^[=+\-@\t\r]")
# What no file should carry: C0 controls but tab and newlines, lone surrogates, U+FFFE/U+FFFF.
ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def csv_text(value) -> str:
    """One cell as text: datetimes to the minute, dates as YYYY-MM-DD, formulas quoted."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        return str(value)
    text = ILLEGAL.sub("", str(value))
    return "'" + text if _FORMULA.match(text) else text


class _Line:
    """A file-like that hands back what csv.writer wrote, a row at a time."""

    def __init__(self):
        self.buffer = io.StringIO()

    def write(self, text):
        self.buffer.write(text)

    def take(self) -> bytes:
        out = self.buffer.getvalue().encode("utf-8")
        self.buffer.seek(0)
        self.buffer.truncate()
        return out


def csv_stream(header: list[str], rows: Iterable[list]) -> Iterator[bytes]:
    """The BOM and the header, then each row (cells through csv_text), as bytes."""
    line = _Line()
    writer = csv.writer(line)
    writer.writerow([csv_text(h) for h in header])
    yield "\ufeff".encode() + line.take()
    for row in rows:
        writer.writerow([csv_text(v) for v in row])
        yield line.take()
