"""``standardgen doctor``: is this machine ready for every command? Says what is missing, in
Danish, with the ``apt-get install`` line for it (Debian and Ubuntu package names).

A missing required library makes ``build``, ``letter`` or ``form`` fail late, after a user has
waited; the optional clients are only used by the checks of the outputs (tests, CI).
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import click

from standardgen.cli.i18n import DanishCommand

FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"),
             Path.home() / ".local/share/fonts", Path.home() / ".fonts")


@dataclass(frozen=True)
class Need:
    name: str
    used_for: str
    package: str  # Debian package(s) that provide it
    required: bool
    present: Callable[[], bool]


def _library(*names: str) -> Callable[[], bool]:
    def present() -> bool:
        import ctypes.util  # only doctor needs it: not at every command's start

        return all(ctypes.util.find_library(name) for name in names)

    return present


def _program(*names: str) -> Callable[[], bool]:
    return lambda: any(shutil.which(name) for name in names)


def _font(file_name: str) -> Callable[[], bool]:
    def present() -> bool:
        return any(next(folder.rglob(file_name), None) for folder in FONT_DIRS if folder.is_dir())
    return present


NEEDS = (
    Need("Pango", "PDF af standarder og opfølgningsskemaer (build, form)",
         "libpango-1.0-0 libpangoft2-1.0-0", True, _library("pango-1.0", "pangoft2-1.0")),
    Need("HarfBuzz subset",
         "indlejrede skrifttyper i PDF (uden den er build 2-5 gange langsommere)",
         "libharfbuzz-subset0", True, _library("harfbuzz-subset")),
    Need("DejaVu Sans", "skrifttypen i breve og skemaernes udfyldningsfelter (letter, form)",
         "fonts-dejavu-core", True, _font("DejaVuSans.ttf")),
    Need("LibreOffice", "valgfri kontrol: åbner og konverterer Word-filerne (til udviklernes test)",
         "libreoffice-writer-nogui", False, _program("soffice", "libreoffice")),
    Need("Chromium", "valgfri kontrol: tilgængelighed med axe-core (til udviklernes test)",
         "chromium chromium-driver", False,
         lambda: _program("chromium", "chromium-browser", "google-chrome")()
         and _program("chromedriver")()),
    Need("pdftotext", "valgfri kontrol: læser PDF'erne som tekst (til udviklernes test)",
         "poppler-utils", False,
         _program("pdftotext")),
)


def examine(needs: tuple[Need, ...] = NEEDS) -> tuple[list[str], int]:
    """The lines to print and the exit code (1 when a required one is missing)."""
    lines = []
    missing: list[Need] = []
    for need in needs:
        ok = need.present()
        if not ok:
            missing.append(need)
        state = "ok" if ok else ("MANGLER" if need.required else "mangler (valgfri)")
        lines.append(f"{state:18} {need.name}: {need.used_for}")
    required = [need for need in missing if need.required]
    optional = [need for need in missing if not need.required]
    if required:
        lines += ["", "Installér det, der mangler, med:", _apt(required)]
    if optional:
        lines += ["", "De valgfri kontroller kræver:", _apt(optional)]
    if not missing:
        lines += ["", "Alt, hvad standardgen bruger, er installeret."]
    elif not required:
        lines += ["", "Alt, hvad kommandoerne kræver, er installeret."]
    return lines, 1 if required else 0


def _apt(needs: list[Need]) -> str:
    packages = " ".join(need.package for need in needs)
    return f"  sudo apt-get install -y --no-install-recommends {packages}"


@click.command(cls=DanishCommand)
def doctor() -> None:
    """Kontrollér, at biblioteker og skrifttyper, som kommandoerne bruger, er installeret."""
    lines, code = examine()
    for line in lines:
        click.echo(line)
    sys.exit(code)
