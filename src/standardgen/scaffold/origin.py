"""Where the running standardgen came from, so a new repository's CI installs exactly that.

standardgen is not on PyPI, so ``pip install standardgen`` in a municipality's CI finds nothing.
``init`` therefore puts the wheel that installed the running standardgen in the repository's
``.standardgen/`` folder (the same bytes when pip's record of it (PEP 610 ``direct_url.json``)
still points at the file, else the installed files packed again as a wheel) and the CI file
installs that file; ``--source`` names another wheel or a Git URL pinned to a revision instead.
An editable install (a contributor's checkout) has no wheel to give: ``--source`` is required.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlparse

from standardgen import __version__

FOLDER = Path(".standardgen")
NOTE = FOLDER / "kilde.txt"
# A fixed time for repacked members: the same installation packs to the same bytes.
_EPOCH = (1980, 1, 1, 0, 0, 0)
_NOT_PACKED = {"INSTALLER", "RECORD", "REQUESTED", "direct_url.json"}


class SourceError(ValueError):
    """No installable standardgen can be named (a usage error: say what to give instead)."""


@dataclass(frozen=True)
class Source:
    """What the new repository's CI installs, and the files that go with it."""

    install: str  # pip's argument, as the CI file writes it
    origin: str  # where it came from, in Danish, for .standardgen/kilde.txt
    files: dict[Path, bytes] = field(default_factory=dict)

    @property
    def needs_git(self) -> bool:
        return self.install.startswith("git+")

    def note(self) -> str:
        lines = [f"standardgen {__version__}", f"installeres af CI med: pip install "
                 f'"{self.install}"', f"kom fra: {self.origin}"]
        for path, data in self.files.items():
            lines.append(f"sha256 {hashlib.sha256(data).hexdigest()}  {path.name}")
        return "\n".join(lines) + "\n"


def resolve(given: str | None) -> Source:
    """``--source`` as given, or the running installation."""
    if given is None:
        return _running()
    if given.startswith("git+"):
        if "@" not in given.split("://", 1)[-1]:
            raise SourceError(f"Git-adressen skal pege på en fast version, fx {given}@v"
                              f"{__version__}")
        return Source(given, f"Git-adressen {given}")
    path = Path(given)
    if path.suffix == ".whl" and path.is_file():
        return _wheel_file(path, f"hjulet {path.resolve()}")
    raise SourceError(f"--source skal være et hjul (.whl), der findes, eller en Git-adresse "
                      f"(git+https://...@version); '{given}' er ingen af dem")


def _running() -> Source:
    try:
        dist = metadata.distribution("standardgen")
    except metadata.PackageNotFoundError:
        dist = None
    direct = json.loads(dist.read_text("direct_url.json") or "{}") if dist else {}
    if dist is None or direct.get("dir_info", {}).get("editable"):
        raise SourceError(
            "standardgen kører fra en kildemappe, så der er intet hjul at lægge i arkivet; byg "
            "et med 'python -m build --wheel' og giv det med --source dist/standardgen-"
            f"{__version__}-py3-none-any.whl, eller giv en Git-adresse med --source")
    if "vcs_info" in direct:
        pinned = f"git+{direct['url']}@{direct['vcs_info']['commit_id']}"
        return Source(pinned, f"Git-adressen {direct['url']}, version "
                              f"{direct['vcs_info']['commit_id']}")
    recorded = _recorded_wheel(direct)
    if recorded is not None:
        return _wheel_file(recorded, f"hjulet {recorded}")
    return Source(f"{FOLDER.as_posix()}/{_wheel_name(dist)}",
                  "den installerede pakke, pakket igen som hjul (det oprindelige hjul findes "
                  "ikke længere)", {FOLDER / _wheel_name(dist): repack(dist)})


def _wheel_file(path: Path, origin: str) -> Source:
    return Source(f"{FOLDER.as_posix()}/{path.name}", origin,
                  {FOLDER / path.name: path.read_bytes()})


def _recorded_wheel(direct: dict[str, object]) -> Path | None:
    """The wheel file pip installed from, when it is still there with the same content."""
    url = str(direct.get("url", ""))
    if not url.startswith("file:") or not url.endswith(".whl"):
        return None
    path = Path(unquote(urlparse(url).path))
    hashes = direct.get("archive_info", {})
    expected = hashes.get("hashes", {}).get("sha256") if isinstance(hashes, dict) else None
    if not path.is_file():
        return None
    if expected and hashlib.sha256(path.read_bytes()).hexdigest() != expected:
        return None
    return path


def _wheel_name(dist: metadata.Distribution) -> str:
    return f"{dist.metadata['Name'].replace('-', '_')}-{dist.version}-py3-none-any.whl"


def repack(dist: metadata.Distribution) -> bytes:
    """The installed files of ``dist`` as a wheel again, with a fresh RECORD (PEP 427)."""
    members: list[tuple[str, bytes]] = []
    for file in dist.files or []:
        posix = PurePosixPath(str(file))
        if ".." in posix.parts or "__pycache__" in posix.parts or posix.suffix == ".pyc":
            continue  # the console script in bin/ is made again from entry_points.txt
        if posix.parent.name.endswith(".dist-info") and posix.name in _NOT_PACKED:
            continue
        members.append((posix.as_posix(), Path(str(dist.locate_file(file))).read_bytes()))
    info = next(name.split("/")[0] for name, _ in members if ".dist-info/" in name)
    record = _record(members, f"{info}/RECORD")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as wheel:
        for name, data in [*sorted(members), (f"{info}/RECORD", record)]:
            member = zipfile.ZipInfo(name, _EPOCH)
            member.external_attr = 0o644 << 16
            wheel.writestr(member, data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _record(members: list[tuple[str, bytes]], name: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for path, data in sorted(members):
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        writer.writerow([path, f"sha256={digest}", len(data)])
    writer.writerow([name, "", ""])
    return out.getvalue().encode()
