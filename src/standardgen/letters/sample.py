"""Large fictitious batches for benchmarks and tests: the example CSV's rows, repeated.

Every row keeps its fictitious citizen; only the case number changes (``B-000001`` ...), so the
batch has as many distinct letters as rows.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path


def multiply_csv(source: Path, target: Path, count: int) -> Path:
    """``target``: ``count`` rows of ``source`` (:func:`multiplied`)."""
    target.write_text(multiplied(source, count), encoding="utf-8")
    return target


def multiplied(source: Path, count: int) -> str:
    """The CSV text of ``count`` rows of ``source``, its rows repeated, each its own case."""
    text = source.read_text(encoding="utf-8-sig")
    reader = csv.reader(io.StringIO(text), delimiter=";")
    header = next(reader)
    rows = [row for row in reader if any(row)]
    number = header.index("case_number")
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(header)
    for i in range(count):
        row = list(rows[i % len(rows)])
        row[number] = f"B-{i + 1:06d}"
        writer.writerow(row)
    return out.getvalue()
