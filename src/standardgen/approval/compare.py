"""Compare two versions of a standard: sections, then paragraphs, sentences and words.

Sections are matched by id, then by role; inside a section every paragraph, list item and data
field (legal basis, contact, approval, links) is a *unit*. Units are aligned with difflib (by block
id where there is one, else by text, pairing similar leftovers), a changed unit is compared
sentence by sentence, and a changed sentence word by word. The result is plain data that the
terminal, HTML and Word renderers share.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import StrEnum
from typing import Literal, TypeVar

from standardgen.core import markup
from standardgen.core.dates import long_date
from standardgen.core.sentences import sentences as danish_sentences
from standardgen.standards.model import BulletList, Role, Section, Standard

_WORD = re.compile(r"\w+\s*|[^\w\s]\s*")
# Below this similarity two leftovers are shown as one removed and one added, not as a change.
_PAIR_RATIO = 0.45

ABOUT = "_about"
LINKS = "_links"

T = TypeVar("T")
Kind = Literal["paragraph", "item", "field"]


class Op(StrEnum):
    equal = "equal"
    insert = "insert"
    delete = "delete"


class Status(StrEnum):
    added = "added"
    removed = "removed"
    changed = "changed"
    unchanged = "unchanged"


@dataclass(frozen=True)
class Piece:
    op: Op
    text: str


@dataclass(frozen=True)
class Unit:
    """One paragraph, list item or data field of one version, as plain text."""

    kind: Kind
    text: str
    key: str | None = None  # block id or field name: matched before the text is
    field: str | None = None  # label key in templates/diff/wording.yaml (fields only)
    raw: str = ""  # the source with its markup, to notice changes of emphasis or links

    @property
    def match(self) -> str:
        return self.key or f"{self.kind}:{self.text}"


@dataclass(frozen=True)
class SentenceDiff:
    status: Status
    pieces: tuple[Piece, ...]

    @property
    def old(self) -> tuple[Piece, ...]:
        return tuple(p for p in self.pieces if p.op is not Op.insert)

    @property
    def new(self) -> tuple[Piece, ...]:
        return tuple(p for p in self.pieces if p.op is not Op.delete)


@dataclass(frozen=True)
class UnitDiff:
    status: Status
    old: Unit | None
    new: Unit | None
    sentences: tuple[SentenceDiff, ...]

    @property
    def unit(self) -> Unit:
        unit = self.new or self.old
        assert unit is not None
        return unit

    @property
    def kind(self) -> Kind:
        return self.unit.kind

    @property
    def pieces(self) -> tuple[Piece, ...]:
        """The whole unit inline: equal, deleted and inserted runs in reading order."""
        out: list[Piece] = []
        in_old = in_new = False  # has a sentence of the old / new version been written yet?
        for sentence in self.sentences:
            has_old = sentence.status is not Status.added
            has_new = sentence.status is not Status.removed
            space = (in_old and has_old, in_new and has_new)
            if any(space):
                op = Op.equal if all(space) else Op.delete if space[0] else Op.insert
                out.append(Piece(op, " "))
            out.extend(sentence.pieces)
            in_old, in_new = in_old or has_old, in_new or has_new
        return tuple(_merge(out))

    @property
    def changes(self) -> tuple[SentenceDiff, ...]:
        return tuple(s for s in self.sentences if s.status is not Status.unchanged)

    @property
    def format_only(self) -> bool:
        """Same wording, other emphasis or link target."""
        return (self.status is Status.changed and self.old is not None
                and self.new is not None and self.old.text == self.new.text)


@dataclass(frozen=True)
class SectionDiff:
    key: str
    title: str
    old_title: str | None  # set when the heading itself changed
    status: Status
    units: tuple[UnitDiff, ...]

    def numbered(self) -> Iterator[tuple[int, UnitDiff]]:
        """Each unit with its number among its kind: in the new version, or the old if removed."""
        new_count: dict[str, int] = {}
        old_count: dict[str, int] = {}
        for unit in self.units:
            if unit.old:
                old_count[unit.kind] = old_count.get(unit.kind, 0) + 1
            if unit.new:
                new_count[unit.kind] = new_count.get(unit.kind, 0) + 1
            yield (new_count if unit.new else old_count)[unit.kind], unit


@dataclass(frozen=True)
class StandardDiff:
    old: Standard
    new: Standard
    sections: tuple[SectionDiff, ...]

    @property
    def changed(self) -> tuple[SectionDiff, ...]:
        return tuple(s for s in self.sections if s.status is not Status.unchanged)

    @property
    def unchanged(self) -> tuple[SectionDiff, ...]:
        return tuple(s for s in self.sections if s.status is Status.unchanged)


# --- units of a standard -----------------------------------------------------------------------

def _text_unit(kind: Kind, source: str, key: str | None = None) -> Unit:
    # White space is not wording: YAML folding and editors vary it, readers never see it.
    return Unit(kind, " ".join(markup.to_plain(source).split()), key=key,
                raw=" ".join(source.split()))


def _field(name: str, value: str | dt.date | None, key: str | None = None) -> Iterator[Unit]:
    if value is None:
        return
    text = long_date(value) if isinstance(value, dt.date) else value
    yield Unit("field", " ".join(text.split()), key=key or name, field=name, raw=text)


def section_units(section: Section) -> list[Unit]:
    units: list[Unit] = []
    for block in section.content:
        if isinstance(block, BulletList):
            units.extend(_text_unit("item", item) for item in block.list)
        else:
            units.append(_text_unit("paragraph", block.text,
                                    key=f"id:{block.id}" if block.id else None))
    return units


def about_units(standard: Standard) -> list[Unit]:
    """Title, service, version, approval and revision date: what the committee signs off."""
    service = standard.service
    return [
        *_field("title", standard.title),
        *_field("service", service.name),
        *_field("service_paragraph", f"{service.law} {service.paragraph}"),
        *_field("version", standard.version),
        *_field("approval_body", standard.approval.body),
        *_field("approval_date", standard.approval.date),
        *_field("next_revision", standard.next_revision),
    ]


def legal_units(standard: Standard) -> list[Unit]:
    units: list[Unit] = []
    for ref in standard.legal_basis:
        key = f"ref:{ref.paragraph}"
        units += _field("legal_reference", ref.citation, key=key)
        if ref.text:
            units.append(_text_unit("paragraph", ref.text, key=f"{key}:text"))
        units += _field("legal_url", ref.url, key=f"{key}:url")
    return units


def contact_units(standard: Standard) -> list[Unit]:
    contact = standard.contact
    address = ", ".join(contact.address.lines) if contact.address else None
    return [*_field("contact_unit", contact.unit), *_field("contact_address", address),
            *_field("contact_phone", contact.phone), *_field("contact_email", contact.email),
            *_field("contact_hours", contact.hours)]


def link_units(standard: Standard) -> list[Unit]:
    return [unit for link in standard.links
            for unit in _field("link", f"{link.title}: {link.url}", key=f"link:{link.role}")]


def _units(standard: Standard, section: Section) -> list[Unit]:
    # The legal basis and contact sections are rendered from data, so their data is their text.
    extra = {Role.legal_basis: legal_units, Role.contact: contact_units}.get(section.role)
    return section_units(section) + (extra(standard) if extra else [])


# --- comparing ---------------------------------------------------------------------------------

def compare(old: Standard, new: Standard) -> StandardDiff:
    sections = [_section_diff(ABOUT, "", None, about_units(old), about_units(new))]
    for old_section, new_section in _align_sections(old.sections, new.sections):
        current = new_section or old_section
        assert current is not None
        sections.append(_section_diff(
            current.id, current.title,
            old_section.title if old_section and new_section else None,
            _units(old, old_section) if old_section else None,
            _units(new, new_section) if new_section else None,
        ))
    sections.append(_section_diff(LINKS, "", None, link_units(old), link_units(new)))
    return StandardDiff(old, new, tuple(s for s in sections if s.units or s.key[0] != "_"))


def _section_diff(key: str, title: str, old_title: str | None, old: list[Unit] | None,
                  new: list[Unit] | None) -> SectionDiff:
    units = tuple(_unit_diff(a, b) for a, b in _align(old or [], new or []))
    if old is None:
        status = Status.added
    elif new is None:
        status = Status.removed
    elif (old_title is not None and old_title != title) or any(
            u.status is not Status.unchanged for u in units):
        status = Status.changed
    else:
        status = Status.unchanged
    renamed = old_title if old_title is not None and old_title != title else None
    return SectionDiff(key, title, renamed, status, units)


def _align_sections(old: Sequence[Section], new: Sequence[Section]
                    ) -> list[tuple[Section | None, Section | None]]:
    """Pairs in the new order; a removed section follows the section it followed before.

    Linear apart from sorting: sections are matched by id, then by role, through dictionaries,
    and each removed section finds its place from a prefix maximum, never by searching the list
    (which made 600 sections take 37 s)."""
    match = _match_sections(old, new)
    pairs: list[tuple[Section | None, Section | None]] = [
        (old[match[j]] if j in match else None, section) for j, section in enumerate(new)]
    # last[i]: the position in ``pairs`` of the last kept section whose old index is below i.
    position = {i: j for j, i in match.items()}
    last, best = [], -1
    for i in range(len(old)):
        last.append(best)
        best = max(best, position.get(i, -1))
    after: dict[int, list[Section]] = {}
    for i in sorted(set(range(len(old))) - set(match.values())):
        after.setdefault(last[i], []).append(old[i])
    out: list[tuple[Section | None, Section | None]] = [
        (section, None) for section in after.get(-1, [])]
    for k, pair in enumerate(pairs):
        out.append(pair)
        out += [(section, None) for section in after.get(k, [])]
    return out


def _match_sections(old: Sequence[Section], new: Sequence[Section]) -> dict[int, int]:
    """New index -> old index: the same id first, then the first free section of the role."""
    match: dict[int, int] = {}
    by_id = {s.id: i for i, s in enumerate(old)}
    for j, section in enumerate(new):
        if section.id in by_id:
            match[j] = by_id[section.id]
    taken = set(match.values())
    free: dict[Role, deque[int]] = {}
    for i, section in enumerate(old):
        if i not in taken:
            free.setdefault(section.role, deque()).append(i)
    for j, section in enumerate(new):
        if j in match or section.role is Role.other:
            continue
        queue = free.get(section.role)
        if queue:
            match[j] = queue.popleft()
    return match


def _align(old: Sequence[Unit], new: Sequence[Unit]) -> list[tuple[Unit | None, Unit | None]]:
    matcher = SequenceMatcher(None, [u.match for u in old], [u.match for u in new],
                              autojunk=False)
    pairs: list[tuple[Unit | None, Unit | None]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs.extend(zip(old[i1:i2], new[j1:j2], strict=True))
        else:
            leftovers = _pair_similar(old[i1:i2], new[j1:j2], _unit_alike)
            pairs.extend(leftovers)
    return pairs


def _unit_alike(a: Unit, b: Unit) -> bool:
    if a.kind != b.kind:
        return False
    if a.key and b.key:
        return a.key == b.key
    return _ratio(a.text, b.text) >= _PAIR_RATIO


def _pair_similar(old: Sequence[T], new: Sequence[T], alike: Callable[[T, T], bool]
                  ) -> list[tuple[T | None, T | None]]:
    """Pair leftovers in order when they are alike; the rest are removed or added."""
    pairs: list[tuple[T | None, T | None]] = []
    j = 0
    for item in old:
        k = next((k for k in range(j, len(new)) if alike(item, new[k])), None)
        if k is None:
            pairs.append((item, None))
            continue
        pairs.extend((None, added) for added in new[j:k])
        pairs.append((item, new[k]))
        j = k + 1
    pairs.extend((None, added) for added in new[j:])
    return pairs


def _unit_diff(old: Unit | None, new: Unit | None) -> UnitDiff:
    if old is None:
        assert new is not None
        return UnitDiff(Status.added, None, new, tuple(
            SentenceDiff(Status.added, (Piece(Op.insert, s),)) for s in sentences(new.text)))
    if new is None:
        return UnitDiff(Status.removed, old, None, tuple(
            SentenceDiff(Status.removed, (Piece(Op.delete, s),)) for s in sentences(old.text)))
    if old.text == new.text:
        status = Status.unchanged if old.raw == new.raw else Status.changed
        return UnitDiff(status, old, new, tuple(
            SentenceDiff(Status.unchanged, (Piece(Op.equal, s),)) for s in sentences(new.text)))
    return UnitDiff(Status.changed, old, new, tuple(_sentence_diffs(old.text, new.text)))


def sentences(text: str) -> list[str]:
    """Danish sentences (:mod:`standardgen.core.sentences`); a unit is at least one."""
    return danish_sentences(text) or [text]


def _sentence_diffs(old_text: str, new_text: str) -> Iterator[SentenceDiff]:
    old, new = sentences(old_text), sentences(new_text)
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            yield from (SentenceDiff(Status.unchanged, (Piece(Op.equal, s),)) for s in old[i1:i2])
            continue
        for a, b in _pair_similar(old[i1:i2], new[j1:j2],
                                  lambda a, b: _ratio(a, b) >= _PAIR_RATIO):
            if a is None:
                yield SentenceDiff(Status.added, (Piece(Op.insert, str(b)),))
            elif b is None:
                yield SentenceDiff(Status.removed, (Piece(Op.delete, a),))
            else:
                yield SentenceDiff(Status.changed, tuple(word_diff(a, b)))


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def _ratio(a: str, b: str) -> float:
    return SequenceMatcher(None, [w.strip() for w in words(a)], [w.strip() for w in words(b)],
                           autojunk=False).ratio()


def word_diff(old: str, new: str) -> list[Piece]:
    """Word-level pieces; each run of changes is shown as one deletion then one insertion."""
    a, b = words(old), words(new)
    matcher = SequenceMatcher(None, [w.strip() for w in a], [w.strip() for w in b],
                              autojunk=False)
    pieces: list[Piece] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces += _equal_run("".join(a[i1:i2]), "".join(b[j1:j2]))
            continue
        if i2 > i1:
            pieces.append(Piece(Op.delete, "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(Piece(Op.insert, "".join(b[j1:j2])))
    return _merge(_absorb_short_equals(pieces))


def _equal_run(old: str, new: str) -> list[Piece]:
    """Equal words; only the white space after the last one may differ (end of a sentence)."""
    common = new if old == new else new.rstrip()
    if not old.startswith(common):
        return [Piece(Op.equal, new)]
    return [Piece(Op.equal, common), Piece(Op.delete, old[len(common):]),
            Piece(Op.insert, new[len(common):])]


def _absorb_short_equals(pieces: list[Piece]) -> list[Piece]:
    """An equal run of one short word between two changes reads better as part of the change."""
    out: list[Piece] = []
    for i, piece in enumerate(pieces):
        if (piece.op is Op.equal and 0 < i < len(pieces) - 1
                and len(piece.text.strip()) <= 2
                and pieces[i - 1].op is not Op.equal and pieces[i + 1].op is not Op.equal):
            out += [Piece(Op.delete, piece.text), Piece(Op.insert, piece.text)]
        else:
            out.append(piece)
    return _regroup(out)


def _regroup(pieces: list[Piece]) -> list[Piece]:
    """Within each run of changes put all deletions first, then all insertions."""
    out: list[Piece] = []
    run: list[Piece] = []
    for piece in [*pieces, Piece(Op.equal, "")]:
        if piece.op is not Op.equal:
            run.append(piece)
            continue
        out += [p for p in run if p.op is Op.delete] + [p for p in run if p.op is Op.insert]
        run = []
        out.append(piece)
    return [p for p in out if p.text]


def _merge(pieces: Iterable[Piece]) -> list[Piece]:
    merged: list[Piece] = []
    for piece in pieces:
        if merged and merged[-1].op is piece.op:
            merged[-1] = Piece(piece.op, merged[-1].text + piece.text)
        elif piece.text:
            merged.append(piece)
    return merged
