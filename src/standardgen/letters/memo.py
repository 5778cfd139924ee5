"""A decision letter as a Digital Post message: MeMo 1.1, and for ordinary post the SF1601
kombi request that lets Digital Post print it ("Automatisk Valg").

MeMo (MeddelelsesModel, namespace ``https://DigitalPost.dk/MeMo-1``) is the only format Digital
Post accepts since 5 December 2023 (Digitaliseringsstyrelsen, "MeMo v1.1",
digitaliser.dk/digital-post/vejledninger/memo). The message is built with lxml's ElementMaker,
element by element in the order of the MeMo 1.1 model, never from a string template: a citizen's
name cannot break the XML. The official XSD and Schematron could not be obtained here; the tests
check every message against the structure of the official minimum and full example messages
(``tests/memo_structure.py``) and read the PDF back out of it.

Everything is plain data (:class:`Dispatch`), built with the letter in the main process; the
worker processes import only this module and lxml.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
import uuid
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final, Literal
from zoneinfo import ZoneInfo

MEMO: Final = "https://DigitalPost.dk/MeMo-1"
KLE: Final = "http://kle-online.dk/"
FJERNPRINT: Final = "urn:oio:fjernprint:1.0.0"
DKAL: Final = "urn:oio:dkal:1.0.0"
SAGDOK: Final = "urn:oio:sagdok:3.0.0"
ADIR: Final = "urn:oio:adir:dagpenge:2009.07.01"
ITST: Final = "http://rep.oio.dk/itst.dk/xml/schemas/2006/01/17/"
DKCC: Final = "http://rep.oio.dk/ebxml/xml/schemas/dkcc/2003/02/13/"
DKCC2005: Final = "http://rep.oio.dk/ebxml/xml/schemas/dkcc/2005/03/15/"
DKCC2005_3: Final = "http://rep.oio.dk/ebxml/xml/schemas/dkcc/2005/05/19/"
PREFIXES: Final = {"memo": MEMO, "kle": KLE, "fjernprint": FJERNPRINT, "dkal": DKAL,
                   "sd": SAGDOK, "adir": ADIR, "itst": ITST, "dkcc": DKCC,
                   "dkcc2005": DKCC2005, "dkcc2005-3": DKCC2005_3}
#: MeMo 1.1 is in force; 1.2 runs in parallel and replaces it only after four months' notice
#: (digitaliser.dk, "Varsling og høring af MeMo v1.2", 23-02-2024). 1.2 drops memoSchVersion.
MEMO_VERSION, MEMO_SCH_VERSION = "1.1", "1.1.0"
#: How a case system labels where the case number comes from (MeMo CaseID.caseSystem).
CASE_SYSTEM = "standardgen"
#: The file name's extension, after the case number: ``<sagsnummer>.memo.xml``.
SUFFIX = ".memo.xml"
#: A fixed namespace for the message UUIDs (uuid5): the same case and PDF give the same UUID.
_UUIDS = uuid.UUID("6f1d3c52-4b0e-5d61-9a7e-3c2f8d1b7e44")
_DANISH_TIME = ZoneInfo("Europe/Copenhagen")
# Characters Digital Post refuses in a file name (digitaliser.dk, "Øget validering i Digital
# Post", November 2024, as implemented by itk-dev/serviceplatformen's SF1601 client).
_BAD_FILENAME = re.compile(r"[<>:\"/\\|?*\r\n\u00a0\u2000-\u200a\u2028\u205f\u2060\u3000]+")

Channel = Literal["digital_post", "post"]


#: The fjernprint schema's limits: a postal address line (CompletePostalLabelText) and a name.
ADDRESS_LINE_MAX, NAME_MAX = 34, 130


class MemoError(Exception):
    """A message could not be made; the message is safe to show (no personal data)."""


@dataclass(frozen=True, slots=True)
class KleSubject:
    subject: str
    version: str
    facet: str
    label: str


@dataclass(frozen=True, slots=True)
class FormAttachment:
    """The follow-up form, as HTML made in the main process (the worker makes the PDF)."""

    label: str
    html: str
    goal_count: int


@dataclass(frozen=True, slots=True)
class Dispatch:
    """What the Digital Post message says beside the letter's PDF. Only here and in the letter
    body is the CPR number in full."""

    cpr: str  # ten digits, no dash
    cvr: str
    sender: str  # the municipality's name
    recipient: str
    street: str
    postcode: str
    city: str
    channel: Channel
    decision_date: dt.date
    last_complaint_day: dt.date
    kle: KleSubject | None
    form: FormAttachment | None = None


@dataclass(frozen=True, slots=True)
class RemotePrint:
    """Print options for Digital Post's remote print (``print.yaml``, ``remote_print``)."""

    envelope: Literal["C4", "C5", "MA"]
    sides: Literal["Simplex", "Duplex"]
    colour: Literal["SH", "Farve"]
    category: str


#: The shipped ``print.yaml`` values, for a municipality's own print.yaml written before the
#: block existed.
_PRINT_DEFAULTS: Final = {"envelope": "C5", "sides": "Duplex", "colour": "SH",
                          "category": "Prioritaire"}


def remote_print(settings: dict[str, Any]) -> RemotePrint:
    """The ``remote_print`` block of ``print.yaml``."""
    block = {**_PRINT_DEFAULTS, **(settings.get("remote_print") or {})}
    return RemotePrint(block["envelope"], block["sides"], block["colour"], block["category"])


def message_uuid(file_stem: str, pdf: bytes) -> str:
    """Deterministic from the case and the letter's bytes: a rerun gives the same message, a
    changed letter a new one."""
    digest = hashlib.sha256(pdf).hexdigest()
    return str(uuid.uuid5(_UUIDS, f"{file_stem}\n{digest}"))


def end_of_day(day: dt.date) -> str:
    """The last second of ``day`` in Danish time, as UTC: a deadline runs to the end of its last
    day (Justitsministeriets vejledning nr. 9533 af 26. juni 2018 om beregning af klagefrister)."""
    local = dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=_DANISH_TIME)
    return _zulu(local)


def _zulu(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def file_name(title: str, extension: str = "pdf") -> str:
    """The name the citizen sees on the attachment: the title, without refused characters."""
    return f"{_BAD_FILENAME.sub('-', title).strip() or 'brev'}.{extension}"


def _bool(value: bool) -> str:
    return "true" if value else "false"


@cache
def _maker(namespace: str) -> Any:
    """lxml's element factory for one namespace (made once per process)."""
    from lxml.builder import ElementMaker

    return ElementMaker(namespace=namespace, nsmap={p: n for p, n in PREFIXES.items()
                                                     if n == namespace})


def _file(m: Any, filename: str, data: bytes) -> Any:
    return m.File(m.encodingFormat("application/pdf"), m.filename(filename),
                  m.language("da"), m.content(base64.b64encode(data).decode("ascii")))


#: An attachment: its label (what the citizen sees) and its PDF.
Attachment = tuple[str, bytes]


def build_message(title: str, file_stem: str, dispatch: Dispatch, pdf: bytes,
                  form: Attachment | None = None) -> Any:
    """The ``memo:Message`` element of one letter (lxml)."""
    m, k = _maker(MEMO), _maker(KLE)
    content = [m.CaseID(m.caseID(file_stem), m.caseSystem(CASE_SYSTEM))]
    if dispatch.kle is not None:
        kle = dispatch.kle
        content.append(k.KLEdata(k.subjectKey(kle.subject), k.version(kle.version),
                                 k.activityFacet(kle.facet), k.label(kle.label)))
    header = m.MessageHeader(
        m.messageType("DIGITALPOST"),
        m.messageUUID(message_uuid(file_stem, pdf)),
        m.label(title),
        # The complaint deadline as a reply date: the complaint goes to the municipality that
        # decided, may be written and needs no reasons, so a reply to this message is a
        # complaint; the inbox shows the date (see docs/digital-post.md for the sources).
        m.reply("true"),
        m.replyByDateTime(end_of_day(dispatch.last_complaint_day)),
        # An afgørelse: obligatory post from a public authority that has legal effect.
        m.mandatory(_bool(True)),
        m.legalNotification(_bool(True)),
        m.Sender(m.senderID(dispatch.cvr), m.idType("CVR"), m.label(dispatch.sender)),
        m.Recipient(m.recipientID(dispatch.cpr), m.idType("CPR")),
        m.ContentData(*content),
    )
    created = dt.datetime.combine(dispatch.decision_date, dt.time(), tzinfo=dt.UTC)
    body = [m.createdDateTime(_zulu(created)),
            m.MainDocument(m.label(title), _file(m, file_name(title), pdf))]
    if form is not None:
        label, data = form
        body.append(m.AdditionalDocument(m.label(label), _file(m, file_name(label), data)))
    message = m.Message(header, m.MessageBody(*body))
    message.set("memoVersion", MEMO_VERSION)
    message.set("memoSchVersion", MEMO_SCH_VERSION)
    return message


def _address(dispatch: Dispatch) -> Any:
    """The recipient's postal address, as the letter's window shows it (address lines)."""
    f, itst = _maker(FJERNPRINT), _maker(ITST)
    lines, dkcc, dkcc2005 = _maker(DKCC2005_3), _maker(DKCC), _maker(DKCC2005)
    second = f"{dispatch.postcode} {dispatch.city}"
    if max(len(dispatch.street), len(second)) > ADDRESS_LINE_MAX:
        raise MemoError(f"en adresselinje er længere end de {ADDRESS_LINE_MAX} tegn, som "
                        "fjernprint tillader")
    if len(dispatch.recipient) > NAME_MAX:
        raise MemoError(f"modtagerens navn er længere end de {NAME_MAX} tegn, som fjernprint "
                        "tillader")
    country = dkcc.CountryIdentificationCode("DK")
    country.set("scheme", "iso3166-alpha2")
    return f.ModtagerAdresse(
        itst.PersonName(dispatch.recipient),
        lines.PostalAddressFirstLineText(dispatch.street),
        lines.PostalAddressSecondLineText(second),
        dkcc2005.PostCodeIdentifier(dispatch.postcode),
        country,
    )


def build_print(title: str, message_id: str, dispatch: Dispatch, pdf: bytes,
                options: RemotePrint, form: Attachment | None = None) -> Any:
    """The SF1601 ``ForsendelseI`` for remote print (KOMBIT's fjernprint schema)."""
    f, d, sd, adir = _maker(FJERNPRINT), _maker(DKAL), _maker(SAGDOK), _maker(ADIR)
    parts = [
        f.AfsendelseIdentifikator(message_id),
        # Ten zeros instead of the CPR number: print at the address given here (SF1601,
        # "KombiPostAfsend - Feltbeskrivelse", as os2forms_digital_post reads it), so the CPR
        # number is not repeated outside the MeMo message.
        f.ForsendelseModtager(d.AfsendelseModtager(adir.CPRnummerIdentifikator("0" * 10)),
                              _address(dispatch)),
        d.FilformatNavn("PDF"),
        d.MeddelelseIndholdData(base64.b64encode(pdf).decode("ascii")),
        f.DokumentParametre(sd.TitelTekst(title)),
        f.PrintParametre(f.SimplexDuplexKode(options.sides), f.FarveSHKode(options.colour),
                         f.KuvertTypeKode(options.envelope)),
        f.PostParametre(f.PostKategoriKode(options.category)),
    ]
    if form is not None:
        parts.append(f.BilagSamling(f.Bilag(
            f.BilagNavn(form[0]), d.FilformatNavn("PDF"),
            f.BilagSorteringsIndeksIdentifikator("1"),
            d.VedhaeftningIndholdData(base64.b64encode(form[1]).decode("ascii")))))
    return f.ForsendelseI(*parts)


def render(title: str, file_stem: str, dispatch: Dispatch, pdf: bytes, options: RemotePrint,
           form: Attachment | None = None) -> bytes:
    """The file for one letter: the MeMo message for Digital Post; for ordinary post the kombi
    request with KombiValgKode "Automatisk Valg" (digital, else printed at the address)."""
    from lxml import etree

    message = build_message(title, file_stem, dispatch, pdf, form)
    root = message
    if dispatch.channel == "post":
        root = etree.Element("kombi_request")
        etree.SubElement(root, "KombiValgKode").text = "Automatisk Valg"
        root.append(message)
        collection = etree.SubElement(root, f"{{{FJERNPRINT}}}ForsendelseISamling",
                                      nsmap={"fjernprint": FJERNPRINT})
        message_id = message.findtext(f"{{{MEMO}}}MessageHeader/{{{MEMO}}}messageUUID")
        collection.append(build_print(title, message_id, dispatch, pdf, options, form))
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def output_path(out: Path, file_stem: str) -> Path:
    return out / f"{file_stem}{SUFFIX}"
