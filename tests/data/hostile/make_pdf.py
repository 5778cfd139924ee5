"""Write the hostile filled-in follow-up forms beside this script.

Run ``.venv/bin/python tests/data/hostile/make_pdf.py`` after a change to the form template; the
files are committed, so the tests read fixed bytes. The case is the fictitious example case.
"""

from __future__ import annotations

import io
import tempfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pikepdf
from click.testing import CliRunner

from standardgen.cli import main as cli

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
CASE = ROOT / "examples" / "cases" / "bevilget.yaml"
# Enough for a valid record, so that the hostile value is the only problem.
FILLED = {"meeting_date": "10.01.2027", "result": "fortsaettelse", "next_follow_up": "15.01.2028",
          "overall_assessment": "Tilbuddet er fortsat relevant."}
BIG_VALUE = 60_000
STREAM_BOMB_MIB = 200  # characters: over the per-field limit, far under the file limit


def blank_form() -> bytes:
    with tempfile.TemporaryDirectory() as out:
        result = CliRunner().invoke(cli, ["form", "--format", "pdf", str(CASE), "--standards",
                                          str(ROOT / "standards"), "--out", out])
        assert result.exit_code == 0, result.output
        return (Path(out) / "2026-104-0001-opfoelgning.pdf").read_bytes()


def changed(base: bytes, change: Callable[[pikepdf.Pdf, dict[str, Any]], None]
            ) -> bytes:
    with pikepdf.open(io.BytesIO(base)) as pdf:
        fields = {str(field.T): field for field in pdf.Root.AcroForm.Fields}
        for name, value in FILLED.items():
            fields[name].V = pikepdf.String(value)
        change(pdf, fields)
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def kids_cycle(pdf: pikepdf.Pdf, fields: dict[str, Any]) -> None:
    field = fields["provider_status"]
    field.Kids = pikepdf.Array([field] * 4)  # 4**depth walks without a visited set


def dictionary_value(pdf: pikepdf.Pdf, fields: dict[str, Any]) -> None:
    fields["provider_status"].V = pikepdf.Dictionary(A=pikepdf.Name("/B"))


def stream_value(pdf: pikepdf.Pdf, fields: dict[str, Any]) -> None:
    text = "Leverandøren oplyser, at borgeren kommer fast."
    fields["provider_status"].V = pdf.make_stream(b"\xfe\xff" + text.encode("utf-16-be"))


def stream_bomb(pdf: pikepdf.Pdf, fields: dict[str, Any]) -> None:
    """200 MiB of spaces in a Flate stream of ~200 KB."""
    packed = zlib.compressobj(9)
    block = b" " * (1 << 20)
    data = b"".join(packed.compress(block) for _ in range(STREAM_BOMB_MIB)) + packed.flush()
    stream = pikepdf.Stream(pdf, data)
    stream.Filter = pikepdf.Name("/FlateDecode")
    fields["provider_status"].V = stream


def unknown_field(pdf: pikepdf.Pdf, fields: dict[str, Any]) -> None:
    for name in ("goal_57_description", "goal_57_theme", "bankkonto"):
        extra = pdf.make_indirect(pikepdf.Dictionary(
            FT=pikepdf.Name("/Tx"), T=pikepdf.String(name), V=pikepdf.String("Indsmuglet")))
        pdf.Root.AcroForm.Fields.append(extra)


def huge_value(pdf: pikepdf.Pdf, fields: dict[str, Any]) -> None:
    fields["overall_assessment"].V = pikepdf.String("x" * BIG_VALUE)


def main() -> None:
    base = blank_form()
    for name, change in {"form-kids-cycle.pdf": kids_cycle,
                         "form-dictionary-value.pdf": dictionary_value,
                         "form-stream-value.pdf": stream_value,
                         "form-stream-bomb.pdf": stream_bomb,
                         "form-unknown-field.pdf": unknown_field,
                         "form-huge-value.pdf": huge_value}.items():
        (HERE / name).write_bytes(changed(base, change))
    (HERE / "form-junk-before-header.pdf").write_bytes(
        b"\r\n\xef\xbb\xbfjunk from a mail gateway\r\n" + changed(base, lambda pdf, f: None))


if __name__ == "__main__":
    main()
