"""What each published file says: the template values for one standard and for the catalogue.

Python gathers and shapes the values; the templates under ``templates/site`` and
``templates/standard`` (and ``templates/standard.docx``) hold the wording and the layout. Every
file is returned as bytes, keyed by its path below the web root, so that the builder decides
alone what is written where.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from markupsafe import Markup

from standardgen.core import markup
from standardgen.render.docx import render_docx
from standardgen.render.pdf import ARCHIVAL, PdfRenderer
from standardgen.render.templating import environment
from standardgen.standards.catalogue import LoadedStandard
from standardgen.standards.model import Municipality, Paragraph, Role, Standard
from standardgen.standards.revision import today
from standardgen.standards.wordmeta import add_identity

DOCX_TEMPLATE = "standard.docx"
PDF_STYLESHEET = Path("standard") / "pdf.css"
STATIC = Path("site") / "static"

# Danish letters folded to the spellings people type without them, so that "samvær", "SAMVÆR"
# and "samvaer" find the same standard; the search script (static/search.js) folds identically.
_FOLD = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "ä": "ae", "ö": "oe", "ü": "ue"})
# Danish alphabetical order puts æ, ø, å after z, in that order (code points say å, æ, ø).
_COLLATE = str.maketrans({"æ": "z{", "ø": "z|", "å": "z}"})


def fold(text: str) -> list[str]:
    """The search words of ``text``: lower case, Danish letters folded, accents dropped."""
    text = unicodedata.normalize("NFKC", text).lower().translate(_FOLD)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    words, current = [], []
    for char in text:
        if char.isascii() and char.isalnum():
            current.append(char)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return words


def collation_key(text: str) -> str:
    return text.lower().translate(_COLLATE)


def page_path(slug: str) -> str:
    return f"{slug}/index.html"


def standard_files(slug: str) -> tuple[str, ...]:
    """The files of one standard below the web root, in the order they are rendered."""
    return (f"{slug}/{slug}.json", f"{slug}/{slug}.docx", f"{slug}/{slug}.pdf", page_path(slug))


CATALOGUE_FILES = ("index.html", "sitemap.xml")


class Renderer:
    """Renders the files of standards and of the catalogue; one per process.

    ``bases`` is the public address of each municipality's site, by municipality id, or one
    address for all. File names are relative to that municipality's web root. WeasyPrint is
    imported on the first PDF only, so a build that has nothing to render stays fast.
    """

    def __init__(self, templates: Path, bases: Mapping[str, str] | str) -> None:
        self.templates = templates
        self.bases = bases if isinstance(bases, str) else dict(bases)
        self._env = environment(templates, typeset=True)
        self._pdf: PdfRenderer | None = None

    # --- one standard -------------------------------------------------------------------------

    def standard(self, item: LoadedStandard) -> dict[str, bytes]:
        """All files of one standard; the web page last, as it states the downloads' sizes."""
        slug = item.slug
        values = self._values(item)
        files = {f"{slug}/{slug}.json": _json_bytes(self._data(item))}
        files[f"{slug}/{slug}.docx"] = self.docx(item)
        files[f"{slug}/{slug}.pdf"] = self.pdf(item, values)
        page = self._env.get_template("site/standard.html").render(
            values, root="../", jsonld=_script_json(self._jsonld(item)),
            page_url=self.page_url(item), sizes={
                kind: _size(files[f"{slug}/{slug}.{kind}"]) for kind in ("pdf", "docx", "json")
            })
        files[page_path(slug)] = page.encode()
        return files

    def pdf(self, item: LoadedStandard, values: dict[str, Any] | None = None, *,
            variant: str = ARCHIVAL) -> bytes:
        """The standard as PDF/A-2a and PDF/UA-1 (another ``variant`` only to measure what
        conformance costs, ``benchmarks/bench_build.py``)."""
        html = self._env.get_template("standard/pdf.html").render(values or self._values(item))
        return self._pdf_renderer().render(html, variant=variant)

    def docx(self, item: LoadedStandard) -> bytes:
        """The Word document, with the ids and facts `import` needs to restore the standard."""
        rendered = render_docx(self.templates / DOCX_TEMPLATE,
                               lambda template: self._docx_values(item, template), typeset=True)
        return add_identity(rendered, item.standard)

    def base_url(self, item: LoadedStandard) -> str:
        if isinstance(self.bases, str):
            return self.bases
        return self.bases[item.standard.municipality]

    def page_url(self, item: LoadedStandard) -> str:
        return f"{self.base_url(item)}{item.slug}/"

    def _values(self, item: LoadedStandard) -> dict[str, Any]:
        standard = item.standard
        return {
            "standard": standard,
            "municipality": item.municipality,
            "contact": item.contact,
            "address": item.address,
            "versions": versions(standard),
            "description": description(standard),
            "theme": theme_colour(item.municipality),
            "logo": logo_name(item),
        }

    def _pdf_renderer(self) -> PdfRenderer:
        if self._pdf is None:
            self._pdf = PdfRenderer([self.templates / PDF_STYLESHEET],
                                    base_url=self.templates / "standard")
        return self._pdf

    def _data(self, item: LoadedStandard) -> dict[str, Any]:
        """The machine-readable file: the standard as validated, with what it was merged with."""
        slug = item.slug
        return {
            "url": self.page_url(item),
            "files": {"html": "index.html", "pdf": f"{slug}.pdf", "docx": f"{slug}.docx"},
            "municipality": item.municipality.model_dump(mode="json", exclude_none=True),
            "contact": item.contact.model_dump(mode="json", exclude_none=True),
            "standard": item.standard.model_dump(mode="json", exclude_none=True),
        }

    def _jsonld(self, item: LoadedStandard) -> dict[str, Any]:
        """schema.org GovernmentService, so search engines show the service and its provider."""
        standard, town, contact = item.standard, item.municipality, item.contact
        address = item.address
        target = standard.section(Role.target_group)
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "GovernmentService",
            "name": standard.service.name,
            "description": description(standard),
            "serviceType": f"{standard.service.law} {standard.service.paragraph}",
            "url": self.page_url(item),
            "inLanguage": "da",
            "areaServed": {"@type": "AdministrativeArea", "name": town.name},
            "provider": {
                "@type": "GovernmentOrganization",
                "name": town.name,
                "url": town.web,
                "telephone": contact.phone,
                "email": contact.email,
                "address": {
                    "@type": "PostalAddress",
                    "streetAddress": address.street,
                    "postalCode": address.postcode,
                    "addressLocality": address.city,
                    "addressCountry": "DK",
                },
            },
            "subjectOf": {
                "@type": "DigitalDocument",
                "name": standard.title,
                "encodingFormat": "application/pdf",
                "url": f"{self.page_url(item)}{item.slug}.pdf",
                "dateCreated": standard.approval.date.isoformat(),
                "version": standard.version,
            },
        }
        if target and target.content:
            data["audience"] = {"@type": "Audience",
                                "audienceType": _plain(_first_text(target.content))}
        return data

    # --- Word -------------------------------------------------------------------------------------

    def _docx_values(self, item: LoadedStandard, template: Any) -> dict[str, Any]:
        from docxtpl import RichText

        def rich(text: str) -> Any:
            value = RichText()
            for span in markup.to_spans(text):
                link = template.build_url_id(span.href) if span.href else None
                value.add(markup.typeset(span.text), bold=span.bold, italic=span.italic,
                          url_id=link, style="Hyperlink" if link else None)
            return value

        def link(text: str, url: str | None) -> Any:
            text = markup.typeset(text)
            if not url:
                return RichText(text)
            return RichText(text, url_id=template.build_url_id(url), style="Hyperlink")

        standard = item.standard
        return {
            **self._values(item),
            "sections": [_docx_section(section.title, section.role, section.content, rich)
                         for section in standard.sections],
            "legal_basis": [{"citation": link(ref.citation, ref.url),
                             "text": rich(ref.text) if ref.text else None}
                            for ref in standard.legal_basis],
            "email": link(email, f"mailto:{email}") if (email := item.contact.email) else None,
            "deadlines": link(found.title, found.url)
            if (found := standard.link("deadlines")) else None,
            "versions": [{**entry, "summary": rich(entry["summary"] or "")}
                         for entry in versions(standard)],
        }

    # --- the catalogue ----------------------------------------------------------------------------

    def catalogue(self, items: Sequence[LoadedStandard]) -> dict[str, bytes]:
        """The catalogue of one municipality's standards (the builder gives each its own),
        which names the day it was rendered ($STANDARDGEN_TODAY fixes it).

        The day is not part of the catalogue's cache key: a rebuild with nothing changed leaves
        the page, and its date, as they are, so the date says when the site last changed.
        """
        ordered = sorted(items, key=lambda item: (collation_key(item.standard.title), item.slug))
        first = site_item(items)
        town = first.municipality if first else None
        base = self.base_url(first) if first else ""
        entries = [{"standard": item.standard, "href": f"{item.slug}/", "slug": item.slug,
                    "search": " ".join(search_words(item))} for item in ordered]
        listing = {"@context": "https://schema.org", "@type": "ItemList", "itemListElement": [
            {"@type": "ListItem", "position": n, "item": {
                "@type": "GovernmentService", "name": item.standard.service.name,
                "url": self.page_url(item),
                "provider": {"@type": "GovernmentOrganization", "name": item.municipality.name}}}
            for n, item in enumerate(ordered, 1)]}
        index = self._env.get_template("site/index.html").render(
            entries=entries, municipality=town, root="", page_url=base,
            theme=theme_colour(town) if town else None,
            logo=logo_name(first) if first else None, jsonld=_script_json(listing),
            built=today())
        sitemap = self._env.get_template("site/sitemap.xml").render(
            base_url=base, entries=entries,
            lastmod=max((item.standard.approval.date for item in items), default=None))
        return {"index.html": index.encode(), "sitemap.xml": sitemap.encode()}

    def static(self, items: Sequence[LoadedStandard]) -> dict[str, bytes]:
        folder = self.templates / STATIC
        files = {f"static/{path.relative_to(folder).as_posix()}": path.read_bytes()
                 for path in sorted(folder.rglob("*")) if path.is_file()}
        files.update({name: path.read_bytes() for name, path in logo_files(items).items()})
        return files


# --- values shared by the templates -----------------------------------------------------------

def logo_name(item: LoadedStandard) -> str | None:
    """Where a municipality's logo is published: ``static/logo-<municipality id>.<svg|png>``."""
    logo = item.logo_file
    return f"static/logo-{item.standard.municipality}{logo.suffix.lower()}" if logo else None


def logo_files(items: Iterable[LoadedStandard]) -> dict[str, Path]:
    """Every logo the site publishes, by its name below the web root."""
    return {name: logo for item in items
            if (name := logo_name(item)) and (logo := item.logo_file)}


def versions(standard: Standard) -> list[dict[str, Any]]:
    """The current version first, then the earlier approved ones (newest first, as written)."""
    current = {"version": standard.version, "approval": standard.approval, "summary": None,
               "current": True}
    return [current, *({"version": r.version, "approval": r.approval, "summary": r.summary,
                        "current": False} for r in standard.history)]


def description(standard: Standard) -> str:
    """One plain sentence or two for meta descriptions: the purpose, else the target group."""
    for role in (Role.purpose, Role.target_group):
        section = standard.section(role)
        if section and section.content:
            return _plain(_first_text(section.content))
    return standard.title


def search_words(item: LoadedStandard) -> list[str]:
    standard = item.standard
    texts: Iterable[str] = (
        *standard.iter_text(), standard.service.name, standard.service.law,
        standard.service.paragraph, standard.approval.body, item.municipality.name,
        standard.slug.replace("-", " "),
    )
    return sorted({word for text in texts for word in fold(markup.to_plain(text))})


def theme_colour(town: Municipality | None) -> str | None:
    """The municipality's own primary colour, or None for Det Fælles Designsystem's look."""
    if town is None or "theme" not in town.model_fields_set:
        return None
    return town.theme.primary


def site_item(items: Sequence[LoadedStandard]) -> LoadedStandard | None:
    """The standard whose municipality (name, logo) the site's header shows: the first by slug."""
    return min(items, key=lambda item: item.slug, default=None)


def _first_text(content: Sequence[Any]) -> str:
    return next((block.text for block in content if isinstance(block, Paragraph)), "")


def _plain(text: str) -> str:
    return " ".join(markup.to_plain(text).split())


def _docx_section(title: str, role: Role, content: Sequence[Any],
                  rich: Callable[[str], Any]) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = []
    for block in content:
        if isinstance(block, Paragraph):
            blocks.append({"kind": "text", "text": rich(block.text)})
        else:
            blocks.append({"kind": "list", "items": [rich(item) for item in block.list]})
    return {"title": title, "role": role.value, "blocks": blocks}


def _json_bytes(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode()


def _script_json(data: Any) -> Markup:
    """JSON safe inside ``<script>``: no ``</script>`` or ``<!--`` can end the element early."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def _size(data: bytes) -> str:
    kilobytes = max(1, round(len(data) / 1000))
    return f"{kilobytes} kB"
