"""The content of one decision letter, independent of the output format.

Python decides the structure (which parts a letter of this result has, in which order); the
wording file says the fixed sentences; the approved standard gives the text about the service,
quoted block by block. The PDF and Word templates only lay this structure out.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from standardgen.cases.model import Case, Extent
from standardgen.cases.rules import needed, to_disadvantage
from standardgen.cases.wording import Wording, WordingError
from standardgen.core import markup
from standardgen.core.dates import long_date
from standardgen.core.markup import Span
from standardgen.letters import deadline
from standardgen.letters.letter import Block, Field, Kind, Letter, Part, bullets, paragraph, plain
from standardgen.letters.memo import Dispatch, KleSubject
from standardgen.standards.catalogue import LoadedStandard, quoted_content, refers_to_guidance
from standardgen.standards.in_force import in_force
from standardgen.standards.model import BulletList, Paragraph, Standard, official_law_title
from standardgen.standards.profiles import ExtentField, Profile, QuoteSpec


def _quote_blocks(content: Iterable[Paragraph | BulletList], kind: Kind) -> list[Block]:
    """Blocks of the standard, word for word, with their inline markup kept as spans."""
    return [Block("list" if isinstance(block, BulletList) else kind,
                  tuple(tuple(markup.to_spans(text)) for text in block.texts))
            for block in content]


# The quoted blocks of each standard, parsed once (they are the same in every letter). Keyed by
# the standard's identity: hashing a whole standard for every quote of every letter costs more
# than building the letter. The entry holds the standard, so its id cannot be reused meanwhile.
_QUOTES: dict[int, tuple[Standard, dict[QuoteSpec, tuple[Block, ...]]]] = {}
_QUOTES_MAX = 64


def _quote(standard: Standard, quote: QuoteSpec) -> tuple[Block, ...]:
    entry = _QUOTES.get(id(standard))
    if entry is None or entry[0] is not standard:
        if len(_QUOTES) >= _QUOTES_MAX:
            _QUOTES.clear()
        entry = _QUOTES[id(standard)] = (standard, {})
    cache = entry[1]
    if quote not in cache:
        cache[quote] = _parse_quote(standard, quote)
    return cache[quote]


def _parse_quote(standard: Standard, quote: QuoteSpec) -> tuple[Block, ...]:
    """The quoted blocks; empty when the standard lacks an optional block (a required one is
    checked by ``check``)."""
    found = quoted_content(standard, quote)
    if not found:
        return ()
    if isinstance(found, tuple):
        return tuple(block for section in found
                     for block in _quote_blocks(section.content, "quote"))
    return tuple(_quote_blocks((found,), "quote"))


def _number(value: float) -> str:
    text = f"{value:g}" if isinstance(value, float) else str(value)
    return text.replace(".", ",")


def extent_value(spec: ExtentField, value: Any) -> str:
    """One extent value as the letter and form show it: '2,5 timer om ugen', 'a, b og c'."""
    if spec.type == "list":
        items = list(value)
        return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} og {items[-1]}"
    if spec.type in ("integer", "number"):
        text = _number(value)
        if spec.unit:
            text += " " + (spec.unit[0] if value == 1 else spec.unit[1])
        return f"{text} {spec.per}" if spec.per else text
    return str(value)


def extent_lines(profile: Profile, extent: Extent) -> list[tuple[str, str]]:
    """(label, value) of every field of the extent that has a value, in the profile's order."""
    values = extent.values()
    return [(spec.label, extent_value(spec, values[name]))
            for name, spec in profile.extent.items() if values.get(name) is not None]


class _Builder:
    def __init__(self, case: Case, loaded: LoadedStandard, wording: Wording) -> None:
        self.case, self.loaded, self.wording = case, loaded, wording
        self.kind = case.kind
        profile = loaded.profile
        if profile is None:  # the rules refuse such a case before rendering
            raise WordingError(f"standarden '{loaded.slug}' har ingen serviceprofil")
        self.profile = profile
        self.values = _values(case, loaded, wording)

    def say(self, key: str) -> str:
        return self.wording.say(key, self.values)

    def quote(self, name: str) -> tuple[Block, ...]:
        spec = self.profile.quotes.get(name)
        return _quote(self.loaded.standard, spec) if spec is not None else ()

    def build(self) -> Letter:
        case, town = self.case, self.loaded.municipality
        worker = case.caseworker
        unit = self.values["unit"]
        sender = (town.name, unit, *self._address_lines(), f"{self.wording.label('caseworker')}: "
                  f"{worker.name}", f"{self.wording.label('phone')}: {worker.phone}",
                  f"{self.wording.label('email')}: {worker.email}")
        citizen = case.citizen
        return Letter(
            case_number=case.case_number,
            file_stem=case.case_number + self.kind.file_suffix,
            decision_date=case.decision_date,
            title=self.wording.say_for("title", self.kind.name, self.values),
            sender=sender,
            recipient=(citizen.name, *citizen.address.lines),
            fields=(
                Field(self.wording.label("date"), long_date(case.decision_date)),
                Field(self.wording.label("case_number"), case.case_number),
                Field(self.wording.label("cpr"), citizen.cpr.full),
            ),
            heading=self.wording.say_for("heading", self.kind.name, self.values),
            greeting=self.say("greeting"),
            parts=tuple(part for part in self._parts() if part.blocks),
            closing=(self.say("closing"), worker.name, unit, town.name),
            author=town.name,
            footer=f"{town.name} · {self.wording.label('case_number')} {case.case_number}",
            page_label=self.wording.label("page"),
            page_of=self.wording.label("page_of"),
            logo=str(self.loaded.logo_file.resolve()) if self.loaded.logo_file else None,
            accent=town.theme.primary.removeprefix("#").upper(),
            dispatch=self._dispatch(),
        )

    def _dispatch(self) -> Dispatch | None:
        """What the Digital Post message needs; None without the municipality's CVR number
        (``letter --format memo`` refuses such a run before it starts)."""
        case, town, kle = self.case, self.loaded.municipality, self.profile.kle
        if town.cvr is None:
            return None
        citizen = case.citizen
        return Dispatch(
            cpr=citizen.cpr.full.replace("-", ""), cvr=town.cvr, sender=town.name,
            recipient=citizen.name, street=citizen.address.street,
            postcode=citizen.address.postcode, city=citizen.address.city,
            channel=case.channel.value, decision_date=case.decision_date,
            last_complaint_day=complaint_day(case, self.wording),
            kle=KleSubject(kle.subject, kle.version, kle.facet, kle.label) if kle else None,
        )

    def _address_lines(self) -> tuple[str, ...]:
        return self.loaded.address.lines

    def _parts(self) -> list[Part]:
        """The parts the letter kind declares, in its order; a part with nothing to say is
        dropped by :meth:`build`."""
        makers: dict[str, Callable[[], Part | None]] = {
            "result": self._result, "extent": self._extent, "change": self._change,
            "end": self._end, "reasons": self._reasons, "hearing": self._hearing,
            "costs": self._costs, "follow_up": self._follow_up, "plan": self._plan,
            "access": self._access, "complaint": self._complaint, "contact": self._contact,
        }
        return [part for name in self.kind.parts if (part := makers[name]()) is not None]

    def _result(self) -> Part:
        result = self.case.result
        blocks = [Block("strong", (plain(self.wording.result(result)),))]
        if self.case.applied_for:
            blocks.append(paragraph(self.say("applied_for")))
        blocks.append(paragraph(self.say(f"result.{result}")))
        return Part(self.wording.heading("result"), tuple(blocks))

    def _extent_bullets(self, extent: Extent) -> Block:
        line = self.wording.say
        return bullets(line("extent.line", {**self.values, "label": label, "value": value})
                       for label, value in extent_lines(self.profile, extent))

    def _quoted(self, *names: str) -> list[Block]:
        """Each quote with its introducing sentence; a quote the standard lacks is left out."""
        blocks: list[Block] = []
        for name in names:
            quoted = self.quote(name)
            if quoted:
                blocks += [paragraph(self.say(f"quote_intro.{name}")), *quoted]
        return blocks

    def _extent(self) -> Part:
        extent = self.case.extent
        if extent is None:  # the rules reject this before rendering; kept for the type checker
            raise WordingError("mangler 'extent'")
        lines = self._extent_bullets(extent)
        dated = [self.say("extent.start")]
        if extent.end_date is not None:
            dated.append(self.say("extent.end"))
        listed = Block("list", lines.items + bullets(dated).items)
        return Part(self.wording.heading("extent"), (
            listed, *self._quoted("provider", "not_included", "purpose")))

    def _change(self) -> Part:
        change, before, after = self.case.change, self.case.previous_extent, self.case.extent
        if change is None or before is None or after is None:  # refused by the rules
            raise WordingError("mangler 'change', 'previous_extent' eller 'extent'")
        blocks = [paragraph(self.say(f"change.direction.{change.direction.value}")),
                  paragraph(self.say("change.before")), self._extent_bullets(before),
                  paragraph(self.say("change.after")), self._extent_bullets(after),
                  Block("strong", (plain(self.say("change.effective")),))]
        if to_disadvantage(self.case):
            blocks.append(paragraph(self.say("change.notice")))
        return Part(self.wording.heading("change"),
                    (*blocks, *self._quoted("provider", "not_included", "purpose")))

    def _end(self) -> Part:
        blocks = [Block("strong", (plain(self.say("end.last_day")),)),
                  paragraph(self.say("end.reason"))]
        if self.kind.notice is not None and to_disadvantage(self.case):
            blocks.append(paragraph(self.say("end.notice")))
        return Part(self.wording.heading("end"), tuple(blocks))

    def _reasons(self) -> Part | None:
        case = self.case
        if not (needed(self.kind.reasons, case) or case.considerations or case.facts):
            return None
        blocks = [paragraph(self.say("reasons.rule"))]
        for ref in self.loaded.standard.legal_basis:
            if ref.text:
                # The law's official title, as the letter's own sentences name it.
                law = official_law_title(ref.law)
                blocks.append(Block("quote", (plain(f"{law} {ref.paragraph}: {ref.text}"),)))
        if case.considerations:
            blocks += [paragraph(self.say("reasons.considerations")), bullets(case.considerations)]
        if case.facts:
            blocks += [paragraph(self.say("reasons.facts")), bullets(case.facts)]
        blocks.append(paragraph(self.say("reasons.guideline")))
        return Part(self.wording.heading("reasons"), tuple(blocks))

    def _hearing(self) -> Part | None:
        hearing = self.case.hearing
        if hearing is None:
            return None
        if hearing.date is not None:
            # The case rules require hearing.response with a date; "svar" or "intet_svar".
            reply = hearing.response.value if hearing.response else "intet_svar"
            return Part(self.wording.heading("hearing"), (
                paragraph(f"{self.say('hearing.held')} {self.say(f'hearing.response.{reply}')}"),))
        blocks = [paragraph(self.say("hearing.not_held"))]
        if hearing.disclosed:
            blocks += [paragraph(self.say("hearing.disclosed")), bullets(hearing.disclosed)]
        blocks.append(paragraph(self.say("hearing.reopen")))
        return Part(self.wording.heading("hearing"), tuple(blocks))

    def _costs(self) -> Part | None:
        """Costs and transport as the standard words them; the heading and the introducing
        sentence name only what the standard has."""
        present = [name for name in ("costs", "transport") if self.quote(name)]
        if not present:
            return None
        key = "+".join(present)
        return Part(self.wording.heading(key), (
            paragraph(self.say(f"costs.intro.{key}")),
            *(b for n in present for b in self.quote(n))))

    def _follow_up(self) -> Part:
        blocks = [paragraph(self.say("follow_up.intro")), *self.quote("follow_up")]
        if self.case.follow_up is not None:
            blocks.append(paragraph(
                self.wording.say_for("follow_up.due", self.kind.name, self.values)))
        elif self.values["follow_up_default"] is not None:  # the profile's interval
            blocks.append(paragraph(
                self.wording.say_for("follow_up.default", self.kind.name, self.values)))
        return Part(self.wording.heading("follow_up"), tuple(blocks))

    def _plan(self) -> Part | None:
        if self.case.result not in self.wording.file.plan_for_results:  # wording.yaml decides
            return None
        return Part(self.wording.heading("plan"), (paragraph(self.say("plan")),))

    def _access(self) -> Part:
        return Part(self.wording.heading("access"), (paragraph(self.say("access")),))

    def _complaint(self) -> Part:
        channel = self.case.channel.value
        return Part(self.wording.heading("complaint"), (
            paragraph(self.say("complaint.where")), paragraph(self.say("complaint.deadline")),
            Block("strong", (plain(self.say(f"complaint.last_day.{channel}")),)),
            paragraph(self.say("complaint.how")), paragraph(self.say("complaint.reconsider")),
            *self._deadlines(), *self._complaints_quote()))

    def _complaints_quote(self) -> list[Block]:
        """The standard's complaints blocks, less those that only point to the klagevejledning
        (quoted inside the letter's own klagevejledning they would point at themselves)."""
        blocks = [b for b in self.quote("complaints")
                  if not refers_to_guidance(" ".join(s.text for i in b.items for s in i))]
        return [paragraph(self.say("complaint.standard")), *blocks] if blocks else []

    def _deadlines(self) -> tuple[Block, ...]:
        """The municipality's published case-processing deadlines, as a link (rsl § 3, stk. 2)."""
        link = self.loaded.standard.link("deadlines")
        if link is None:
            return ()
        return (Block("p", ((Span(self.say("complaint.deadlines") + " "),
                             Span(link.title, href=link.url), Span(".")),)),)

    def _contact(self) -> Part:
        return Part(self.wording.heading("contact"), (
            paragraph(self.say("contact.caseworker")), paragraph(self.say("contact.unit"))))


def _values(case: Case, loaded: LoadedStandard, wording: Wording) -> dict[str, Any]:
    """What the wording texts may use. The CPR number is deliberately not among them."""
    limits = wording.file.deadlines
    received = deadline.receipt_date(case.decision_date, case.channel, limits.post_working_days)
    last_day = complaint_day(case, wording)
    extent = case.extent
    hearing = case.hearing
    return {
        "service": loaded.standard.service,
        "standard": loaded.standard,
        "approval_date": long_date(loaded.standard.approval.date),
        "municipality": loaded.municipality,
        "contact": loaded.contact,
        # One name for the unit in the whole letter: the case's, else the standard's.
        "unit": case.caseworker.unit or loaded.contact.unit,
        "case": case,
        "caseworker": case.caseworker,
        "citizen_name": case.citizen.name,
        "extent": extent,
        "start_date": _date(extent.start_date if extent else None),
        "end_date": _date(extent.end_date if extent else None),
        "change": case.change,
        "effective_date": _date(case.change.effective_date if case.change else None),
        "end": case.end,
        "last_day": _date(case.end.last_day if case.end else None),
        "hearing": hearing,
        "hearing_date": _date(hearing.date if hearing else None),
        "follow_up_due": _date(case.follow_up.due if case.follow_up else None),
        "follow_up_default": _date(default_follow_up(case, loaded)),
        "decision_date": long_date(case.decision_date),
        "receipt_date": long_date(received),
        "last_complaint_day": long_date(last_day),
        "law": wording.file.law,
        "deadlines": limits,
    }


def complaint_day(case: Case, wording: Wording) -> dt.date:
    """The last day to complain that the letter states (receipt by the case's channel)."""
    limits = wording.file.deadlines
    received = deadline.receipt_date(case.decision_date, case.channel, limits.post_working_days)
    return deadline.last_complaint_day(received, limits.complaint_weeks, limits.closed_days)


def default_follow_up(case: Case, loaded: LoadedStandard) -> dt.date | None:
    """When the case names no follow-up date: the profile's interval from the start."""
    profile = loaded.profile
    if profile is None or case.extent is None:
        return None
    return profile.follow_up_after(case.extent.start_date)


def _date(day: dt.date | None) -> str | None:
    return long_date(day) if day else None


def build_letter(case: Case, loaded: LoadedStandard, wording: Wording) -> Letter:
    """The letter for a case that passed :func:`~standardgen.cases.rules.case_problems`: it
    quotes the version of the standard in force on the decision date."""
    version = in_force(loaded.standard, loaded.source, case.decision_date)
    if version.standard is None:  # case_problems refuses such a case before it gets here
        raise ValueError(version.reason)
    if version.standard is not loaded.standard:
        loaded = dataclasses.replace(loaded, standard=version.standard)
    return _Builder(case, loaded, wording).build()
