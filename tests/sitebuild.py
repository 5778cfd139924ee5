"""Sources for the build tests: the real standard plus variants made from it."""

from __future__ import annotations

import html.parser
import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
STANDARDS = ROOT / "standards"
REAL = "aktivitets-og-samvaerstilbud"
# Text that breaks XML and HTML when it is not escaped; it must come out literally everywhere.
TRICKY = 'Jensen & Søn <ApS> siger "hej" og \'farvel\' & <b>ikke fed</b>'
TRICKY_SLUG = "tegn-og-historik"


def copy_standards(target: Path) -> Path:
    shutil.copytree(STANDARDS, target)
    return target


# A made-up mark for the tests (no municipality's real logo belongs in the repository).
LOGO_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40" width="40" height="40">'
    '<rect width="40" height="40" rx="6" fill="#004993"/>'
    '<circle cx="20" cy="20" r="9" fill="#ffffff"/></svg>\n'
)


def with_logo(standards: Path, name: str = "logo.svg", data: str = LOGO_SVG) -> Path:
    """Give the municipality of ``standards`` a logo file beside its municipality file."""
    town = standards / "municipalities" / "norddjurs.yaml"
    (town.parent / name).write_text(data, encoding="utf-8")
    town.write_text(town.read_text(encoding="utf-8") + f"logo: {name}\n", encoding="utf-8")
    return town.parent / name


def variant(folder: Path, slug: str, **changes: object) -> Path:
    """A copy of the real standard with a new slug and the given top-level keys replaced."""
    data = yaml.safe_load((STANDARDS / f"{REAL}.yaml").read_text(encoding="utf-8"))
    data["slug"] = slug
    data.update(changes)
    path = folder / f"{slug}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def tricky_variant(folder: Path) -> Path:
    """A standard with text that needs escaping, inline markup, a link and a version history."""
    data = yaml.safe_load((STANDARDS / f"{REAL}.yaml").read_text(encoding="utf-8"))
    sections = data["sections"]
    sections[0]["content"] = [
        TRICKY,
        "Læs *mere* hos **Ankestyrelsen**: [ast.dk](https://ast.dk/klage).",
        {"list": ["Punkt med & og <", "Andet punkt"]},
    ]
    return variant(folder, TRICKY_SLUG, title=f"Kvalitetsstandard: {TRICKY}", sections=sections,
                   version="2024", approval={"body": "Social- og sundhedsudvalget",
                                             "date": "2024-05-02"},
                   history=[{"version": "2023", "summary": "Første udgave & <start>",
                             "approval": {"body": "Voksen- og plejeudvalget",
                                          "date": "2023-04-26"}}])


class TextOfHtml(html.parser.HTMLParser):
    """The text a reader sees: no scripts, no styles; block elements end a line."""

    BLOCKS = frozenset({"p", "li", "h1", "h2", "h3", "dt", "dd", "tr", "th", "td", "br", "address",
              "blockquote", "div", "section", "caption"})

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "head"):
            self._skip += 1
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head"):
            self._skip -= 1
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_text(path: Path) -> str:
    parser = TextOfHtml()
    parser.feed(path.read_text(encoding="utf-8"))
    return "".join(parser.parts)


# The second municipality: the fictitious Solbakke Kommune of examples/ (a § 85 and a § 83
# standard). Everything it publishes must name only itself.
EXAMPLE_TOWN = ROOT / "examples" / "solbakke"
OTHER = "solbakke"
OTHER_FACTS = yaml.safe_load((EXAMPLE_TOWN / "standards" / "municipalities" / f"{OTHER}.yaml")
                             .read_text(encoding="utf-8"))
OTHER_NAME = OTHER_FACTS["name"]
OTHER_SLUG = "socialpaedagogisk-stoette"
OTHER_SLUGS = (OTHER_SLUG, "personlig-og-praktisk-hjaelp")
OTHER_LOGO_SVG = LOGO_SVG.replace("#004993", OTHER_FACTS["theme"]["primary"])


def municipality_tree(root: Path) -> Path:
    """``root/norddjurs/`` (the real standards) and ``root/solbakke/`` (the example municipality
    with its cases and follow-up records, given a logo), and a case beside them: the build must
    publish the standards only."""
    copy_standards(root / "norddjurs")
    with_logo(root / "norddjurs")
    shutil.copytree(EXAMPLE_TOWN, root / OTHER)
    town = root / OTHER / "standards" / "municipalities" / f"{OTHER}.yaml"
    (town.parent / "logo.svg").write_text(OTHER_LOGO_SVG, encoding="utf-8")
    town.write_text(town.read_text(encoding="utf-8") + "logo: logo.svg\n", encoding="utf-8")
    cases = root / "cases"
    cases.mkdir()
    shutil.copy(ROOT / "examples" / "cases" / "bevilget.yaml", cases)
    return root


def names_of(facts: dict[str, object], *extra: str) -> list[str]:
    """What would reveal a municipality in another's files: name, address, contact, web."""
    address = facts["address"]
    assert isinstance(address, dict)
    web = str(facts["web"])
    return [str(facts["name"]), str(address["street"]), f"{address['postcode']} {address['city']}",
            str(facts["phone"]), str(facts["email"]), web.removeprefix("https://"), *extra]
