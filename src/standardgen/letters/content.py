"""The content of one decision letter, independent of the output format.

Python decides the structure (which parts a letter of this result has, in which order); the
wording file says the fixed sentences; the approved standard gives the text about the service,
quoted block by block. The PDF and Word templates only lay this structure out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from standardgen import markup
from standardgen.case import Case
from standardgen.catalogue import LoadedStandard
from standardgen.letters import deadline
from standardgen.letters.letter import Block, Field, Kind, Letter, Part, bullets, p, plain
from standardgen.letters.rules import GRANTED, REASONED, quoted
from standardgen.letters.wording import Quote, Wording, WordingError
from standardgen.model import BulletList, Paragraph, Section, Standard
from standardgen.render import dates

# Babel is thorough but slow (~50 µs a date); a batch repeats the same few dates many times.
long_date = lru_cache(maxsize=4096)(dates.long_date)


def _quote_blocks(content: Iterable[str | Paragraph | BulletList], kind: Kind) -> list[Block]:
    """Blocks of the standard, word for word, with their inline markup kept as spans."""
    blocks = []
    for block in content:
        if isinstance(block, BulletList):
            blocks.append(Block("list", tuple(tuple(markup.to_spans(i)) for i in block.list)))
        else:
            text = block if isinstance(block, str) else block.text
            blocks.append(Block(kind, (tuple(markup.to_spans(text)),)))
    return blocks


@lru_cache(maxsize=256)
def _quote(standard: Standard, quote: Quote) -> tuple[Block, ...]:
    """The quoted blocks, parsed once per standard (they are the same in every letter)."""
    found = quoted(standard, quote)
    if found is None:
        raise WordingError(f"standarden har ikke det citat, brevet skal bruge ({quote.role})")
    content = found.content if isinstance(found, Section) else (found,)
    return tuple(_quote_blocks(content, "quote"))


class _Builder:
    def __init__(self, case: Case, loaded: LoadedStandard, wording: Wording) -> None:
        self.case, self.loaded, self.w = case, loaded, wording
        self.values = _values(case, loaded, wording)

    def say(self, key: str) -> str:
        return self.w.say(key, self.values)

    def quote(self, name: str) -> tuple[Block, ...]:
        return _quote(self.loaded.standard, self.w.quote(name))

    def build(self) -> Letter:
        case, town = self.case, self.loaded.municipality
        worker = case.caseworker
        unit = worker.unit or self.loaded.contact.unit
        sender = (town.name, unit, *self._address_lines(), f"{self.w.label('caseworker')}: "
                  f"{worker.name}", f"{self.w.label('phone')}: {worker.phone}",
                  f"{self.w.label('email')}: {worker.email}")
        citizen = case.citizen
        return Letter(
            case_number=case.case_number,
            decision_date=case.decision_date,
            title=self.say("title"),
            sender=sender,
            recipient=(citizen.name, *citizen.address.lines),
            fields=(
                Field(self.w.label("date"), long_date(case.decision_date)),
                Field(self.w.label("case_number"), case.case_number),
                Field(self.w.label("cpr"), citizen.cpr.full),
            ),
            heading=self.say("heading"),
            greeting=self.say("greeting"),
            parts=tuple(part for part in self._parts() if part.blocks),
            closing=(self.say("closing"), worker.name, unit, town.name),
            author=town.name,
            footer=f"{town.name} · {self.w.label('case_number')} {case.case_number}",
            page_label=self.w.label("page"),
            page_of=self.w.label("page_of"),
        )

    def _address_lines(self) -> tuple[str, ...]:
        return self.loaded.address.lines

    def _parts(self) -> list[Part]:
        result = self.case.result
        parts = [self._result()]
        if result in GRANTED:
            parts.append(self._extent())
        if result in REASONED or self.case.considerations or self.case.facts:
            parts.append(self._reasons())
        if self.case.hearing is not None:
            parts.append(self._hearing())
        if result in GRANTED:
            parts.append(Part(self.w.heading("costs"), (
                p(self.say("costs.intro")), *self.quote("costs"), *self.quote("transport"))))
            parts.append(self._follow_up())
        if result in self.w.file.plan_for_results:
            parts.append(Part(self.w.heading("plan"), (p(self.say("plan")),)))
        parts.append(Part(self.w.heading("access"), (p(self.say("access")),)))
        parts.append(self._complaint())
        parts.append(self._contact())
        return parts

    def _result(self) -> Part:
        result = self.case.result.value
        blocks = [Block("strong", (plain(self.w.result(result)),))]
        if self.case.applied_for:
            blocks.append(p(self.say("applied_for")))
        blocks.append(p(self.say(f"result.{result}")))
        return Part(self.w.heading("result"), tuple(blocks))

    def _extent(self) -> Part:
        extent = self.case.extent
        if extent is None:  # the rules reject this before rendering; kept for the type checker
            raise WordingError("mangler 'extent'")
        lines = [self.say("extent.days"), self.say("extent.provider"), self.say("extent.start")]
        if extent.end_date is not None:
            lines.append(self.say("extent.end"))
        return Part(self.w.heading("extent"), (
            bullets(lines), p(self.say("extent.delivery")), *self.quote("provider"),
            p(self.say("extent.purpose")),
            *self.quote("purpose")))

    def _reasons(self) -> Part:
        blocks = [p(self.say("reasons.rule"))]
        for ref in self.loaded.standard.legal_basis:
            if ref.text:
                blocks.append(Block("quote", (plain(f"{ref.citation}: {ref.text}"),)))
        if self.case.considerations:
            blocks += [p(self.say("reasons.considerations")), bullets(self.case.considerations)]
        if self.case.facts:
            blocks += [p(self.say("reasons.facts")), bullets(self.case.facts)]
        blocks.append(p(self.say("reasons.guideline")))
        return Part(self.w.heading("reasons"), tuple(blocks))

    def _hearing(self) -> Part:
        hearing = self.case.hearing
        assert hearing is not None
        if hearing.date is not None:
            # The case rules require hearing.response with a date; "svar" or "intet_svar".
            reply = hearing.response.value if hearing.response else "intet_svar"
            return Part(self.w.heading("hearing"), (
                p(f"{self.say('hearing.held')} {self.say(f'hearing.response.{reply}')}"),))
        blocks = [p(self.say("hearing.not_held"))]
        if hearing.disclosed:
            blocks += [p(self.say("hearing.disclosed")), bullets(hearing.disclosed)]
        blocks.append(p(self.say("hearing.reopen")))
        return Part(self.w.heading("hearing"), tuple(blocks))

    def _follow_up(self) -> Part:
        blocks = [p(self.say("follow_up.intro")), *self.quote("follow_up")]
        if self.case.follow_up is not None:
            blocks.append(p(self.say("follow_up.due")))
        return Part(self.w.heading("follow_up"), tuple(blocks))

    def _complaint(self) -> Part:
        channel = self.case.channel.value
        return Part(self.w.heading("complaint"), (
            p(self.say("complaint.where")), p(self.say("complaint.deadline")),
            Block("strong", (plain(self.say(f"complaint.last_day.{channel}")),)),
            p(self.say("complaint.how")), p(self.say("complaint.reconsider")),
            p(self.say("complaint.standard")), *self.quote("complaints")))

    def _contact(self) -> Part:
        return Part(self.w.heading("contact"), (
            p(self.say("contact.caseworker")), p(self.say("contact.unit"))))


def _values(case: Case, loaded: LoadedStandard, wording: Wording) -> dict[str, Any]:
    """What the wording texts may use. The CPR number is deliberately not among them."""
    limits = wording.file.deadlines
    received = deadline.receipt_date(case.decision_date, case.channel, limits.post_working_days)
    last_day = deadline.last_complaint_day(received, limits.complaint_weeks, limits.closed_days)
    extent = case.extent
    hearing = case.hearing
    return {
        "service": loaded.standard.service,
        "standard": loaded.standard,
        "approval_date": long_date(loaded.standard.approval.date),
        "municipality": loaded.municipality,
        "contact": loaded.contact,
        "case": case,
        "caseworker": case.caseworker,
        "citizen_name": case.citizen.name,
        "extent": extent,
        "start_date": _date(extent.start_date if extent else None),
        "end_date": _date(extent.end_date if extent else None),
        "hearing": hearing,
        "hearing_date": _date(hearing.date if hearing else None),
        "follow_up_due": _date(case.follow_up.due if case.follow_up else None),
        "decision_date": long_date(case.decision_date),
        "receipt_date": long_date(received),
        "last_complaint_day": long_date(last_day),
        "law": wording.file.law,
        "deadlines": limits,
    }


def _date(day: dt.date | None) -> str | None:
    return long_date(day) if day else None


def build_letter(case: Case, loaded: LoadedStandard, wording: Wording) -> Letter:
    """The letter for a case that passed :func:`~standardgen.letters.rules.case_problems`."""
    return _Builder(case, loaded, wording).build()
