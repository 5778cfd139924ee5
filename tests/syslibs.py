"""The system libraries the tests need that pip cannot install, checked once at the start of a
test session: a missing one is one clear line naming the package to install, instead of dozens
of errors (WeasyPrint warns, with a DeprecationWarning that the suite turns into an error, when
HarfBuzz-Subset is missing; without Pango it cannot be imported at all)."""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable

# (what WeasyPrint loads, the names it tries, the Debian/Ubuntu package that provides it)
LIBRARIES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("HarfBuzz-Subset", ("libharfbuzz-subset.so.0", "libharfbuzz-subset.0.dylib",
                         "libharfbuzz-subset-0.dll"), "libharfbuzz-subset0"),
    ("Pango", ("libpango-1.0.so.0", "libpango-1.0.dylib", "libpango-1.0-0.dll"),
     "libpango-1.0-0"),
    ("PangoFT2", ("libpangoft2-1.0.so.0", "libpangoft2-1.0.dylib", "libpangoft2-1.0-0.dll"),
     "libpangoft2-1.0-0"),
)


def _loads(name: str) -> bool:
    try:
        ctypes.CDLL(name)
    except OSError:
        return False
    return True


def missing_packages(loads: Callable[[str], bool] = _loads) -> list[str]:
    """The packages whose library cannot be loaded under any of its names."""
    return [package for _what, names, package in LIBRARIES
            if not any(loads(name) for name in names)]


def message(packages: list[str]) -> str:
    command = "apt-get install" if sys.platform.startswith("linux") else "your package manager:"
    return (f"missing system libraries for the tests: install {' '.join(packages)} "
            f"({command} {' '.join(packages)})")
