"""The municipality's logo is published on the site as it is: check where it is and what it holds.

A logo is read from the municipality's own repository only (a symbolic link to a system file or
an absolute path would publish that file), a PNG must really be one, and an SVG, which a browser
runs like a page, must hold a picture and nothing else: no script, no event handler, no entity,
no reference to another file or address. A logo that fails is refused with a located error rather
than cleaned, so that what the author sees in the repository is what the site shows.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from standardgen.core.problems import display_path

if TYPE_CHECKING:
    from lxml import etree

TYPES = (".svg", ".png")
MAX_BYTES = 512 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_XLINK = "{http://www.w3.org/1999/xlink}href"
# Elements that run code or pull in another document, whatever their attributes.
# A reference inside the file itself, or a picture embedded in it.
_INLINE = ("#", "data:image/png", "data:image/jpeg", "data:image/gif", "data:image/webp")
_ACTIVE = {"script", "foreignObject", "iframe", "embed", "object", "handler", "listener"}


def repository_of(municipality_file: Path) -> Path:
    """The repository a municipality file belongs to: the nearest folder above it with ``.git``,
    else the folder that holds ``municipalities/``."""
    folder = municipality_file.resolve().parent
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return folder.parent


def logo_problem(logo: Path, repository: Path) -> str | None:
    """What is wrong with the logo at ``logo`` (a Danish sentence), or None."""
    if logo.suffix.lower() not in TYPES:
        return "logoet skal være en SVG- eller PNG-fil"
    if not logo.is_file():
        return f"logoet '{display_path(logo)}' findes ikke (stien regnes fra kommunefilen)"
    if not logo.resolve().is_relative_to(repository.resolve()):
        return (f"logoet '{display_path(logo)}' ligger uden for kommunens arkiv "
                f"({display_path(repository)}), evt. gennem et symbolsk link; læg filen i arkivet")
    if logo.stat().st_size > MAX_BYTES:
        return f"logoet er for stort (højst {MAX_BYTES // 1024} KiB)"
    data = logo.read_bytes()
    if logo.suffix.lower() == ".png":
        return None if data.startswith(PNG_SIGNATURE) else (
            "logoet er ikke en PNG-fil (filens indhold begynder ikke som en PNG); gem det som PNG")
    return svg_problem(data)


def svg_problem(data: bytes) -> str | None:
    """Why an SVG cannot be published as it is, or None."""
    # Imported here: every command loads the catalogue, few of them meet an SVG logo.
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return "logoet er ikke en gyldig SVG-fil (XML-fejl)"
    info = root.getroottree().docinfo
    if info.internalDTD is not None or info.system_url or info.public_id:
        return "logoet må ikke have en DOCTYPE med entiteter; fjern den"
    if etree.QName(root).localname != "svg":
        return "logoet er ikke en SVG-fil (roden er ikke <svg>)"
    for element in root.iter():
        if not isinstance(element.tag, str):  # a processing instruction or an entity reference
            return "logoet må ikke indeholde entiteter eller behandlingsinstruktioner"
        found = _active_content(element)
        if found:
            return (f"logoet indeholder {found}, som kan køre kode eller hente andre filer; "
                    "fjern det")
    return None


def _active_content(element: etree._Element) -> str | None:
    from lxml import etree

    name = etree.QName(element).localname
    if name in _ACTIVE:
        return f"<{name}>"
    for attribute, value in element.attrib.items():
        local = etree.QName(attribute).localname
        if local.lower().startswith("on"):
            return f"hændelsen {local}= på <{name}>"
        if (attribute == _XLINK or local == "href") and not value.strip().startswith(_INLINE):
            return f"en henvisning til '{value[:60]}' på <{name}>"
        if "url(" in value.replace(" ", "") and "url(#" not in value.replace(" ", ""):
            return f"en adresse i {local}= på <{name}>"
    if name == "style" and element.text and "url(" in element.text.replace(" ", "") \
            and "url(#" not in element.text.replace(" ", ""):
        return "en adresse i <style>"
    if name == "style" and element.text and "@import" in element.text:
        return "@import i <style>"
    return None
