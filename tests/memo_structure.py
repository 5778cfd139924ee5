"""The structural check every Digital Post message in the tests must pass.

The official MeMo 1.1 XSD and Schematron (Digitaliseringsstyrelsen's MeMo_XSD.zip and
MeMo_Schematron.zip, listed on digitaliser.dk/digital-post/vejledninger/memo) could not be
obtained on this machine (no network beyond package registries; no public repository carries
them). This is therefore *our* check, written from the structure of the official
MeMo_Minimum_Example.xml and MeMo_Full_Example.xml and the MeMo 1.1 element order: for every
element we emit, its children in order with their cardinality, and the shape of every leaf. The
SF1601 remote-print part follows the element order of KOMBIT's fjernprint schema
(urn:oio:fjernprint:1.0.0, ForsendelseI and the types it uses). What it does not check: the
Schematron's business rules (such as allowed file types per channel), and elements we never emit.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable

from lxml import etree

MEMO = "https://DigitalPost.dk/MeMo-1"
NS = {
    "memo": MEMO,
    "kle": "http://kle-online.dk/",
    "form": "http://www.form-online.dk/",
    "grd": "https://data.gov.dk/model/core/",
    "dmv": "https://motorregister.skat.dk/",
    "udd": "https://www.dst.dk/da/TilSalg/Forskningsservice/Dokumentation/"
           "hoejkvalitetsvariable/elevregister-2/udd#",
    "fjernprint": "urn:oio:fjernprint:1.0.0",
    "dkal": "urn:oio:dkal:1.0.0",
    "sd": "urn:oio:sagdok:3.0.0",
    "adir": "urn:oio:adir:dagpenge:2009.07.01",
    "itst": "http://rep.oio.dk/itst.dk/xml/schemas/2006/01/17/",
    "dkcc": "http://rep.oio.dk/ebxml/xml/schemas/dkcc/2003/02/13/",
    "dkcc2005": "http://rep.oio.dk/ebxml/xml/schemas/dkcc/2005/03/15/",
    "dkcc2005-2": "http://rep.oio.dk/ebxml/xml/schemas/dkcc/2005/05/13/",
    "dkcc2005-3": "http://rep.oio.dk/ebxml/xml/schemas/dkcc/2005/05/19/",
}
MANY = 10_000


def q(name: str) -> str:
    """``memo:label`` -> ``{https://DigitalPost.dk/MeMo-1}label``; no prefix: no namespace."""
    prefix, _, local = name.rpartition(":")
    return f"{{{NS[prefix]}}}{local}" if prefix else local


# Children in order: (name, min, max). An element not listed here must be a leaf.
SEQUENCES: dict[str, list[tuple[str, int, int]]] = {
    "kombi_request": [("KombiValgKode", 1, 1), ("memo:Message", 0, 1),
                      ("fjernprint:ForsendelseISamling", 0, 1)],
    "memo:Message": [("memo:MessageHeader", 1, 1), ("memo:MessageBody", 0, 1)],
    "memo:MessageHeader": [
        ("memo:messageType", 1, 1), ("memo:messageUUID", 1, 1), ("memo:messageID", 0, 1),
        ("memo:messageCode", 0, 1), ("memo:label", 1, 1), ("memo:notification", 0, 1),
        ("memo:additionalNotification", 0, 1), ("memo:reply", 0, 1),
        ("memo:replyByDateTime", 0, 1), ("memo:doNotDeliverUntilDate", 0, 1),
        ("memo:mandatory", 0, 1), ("memo:legalNotification", 0, 1), ("memo:postType", 0, 1),
        ("memo:Sender", 1, 1), ("memo:Recipient", 1, 1), ("memo:ContentData", 0, 1),
        ("memo:ForwardData", 0, 1), ("memo:ReplyData", 0, MANY)],
    "memo:Sender": [("memo:senderID", 1, 1), ("memo:idType", 1, 1), ("memo:label", 1, 1),
                    ("memo:AttentionData", 0, 1), ("memo:ContactPoint", 0, 1)],
    "memo:Recipient": [("memo:recipientID", 1, 1), ("memo:idType", 1, 1),
                       ("memo:label", 0, 1), ("memo:AttentionData", 0, 1),
                       ("memo:ContactPoint", 0, 1)],
    "memo:ContentData": [
        ("grd:CPRdata", 0, 1), ("grd:CVRdata", 0, 1), ("dmv:MotorVehicle", 0, 1),
        ("grd:PropertyNumber", 0, 1), ("memo:CaseID", 0, 1), ("kle:KLEdata", 0, 1),
        ("form:FORMdata", 0, 1), ("grd:ProductionUnit", 0, 1), ("udd:Education", 0, 1),
        ("grd:Address", 0, 1), ("grd:UnstructuredAddress", 0, 1),
        ("memo:AdditionalContentData", 0, MANY)],
    "memo:CaseID": [("memo:caseID", 1, 1), ("memo:caseSystem", 1, 1)],
    "kle:KLEdata": [("kle:subjectKey", 1, 1), ("kle:version", 1, 1),
                    ("kle:activityFacet", 0, 1), ("kle:label", 1, 1)],
    "memo:MessageBody": [("memo:createdDateTime", 1, 1), ("memo:MainDocument", 1, 1),
                         ("memo:AdditionalDocument", 0, MANY),
                         ("memo:TechnicalDocument", 0, MANY)],
    "memo:MainDocument": [("memo:mainDocumentID", 0, 1), ("memo:label", 0, 1),
                          ("memo:File", 1, MANY), ("memo:Action", 0, MANY)],
    "memo:AdditionalDocument": [("memo:additionalDocumentID", 0, 1), ("memo:label", 0, 1),
                                ("memo:File", 1, MANY), ("memo:Action", 0, MANY)],
    "memo:File": [("memo:encodingFormat", 1, 1), ("memo:filename", 1, 1),
                  ("memo:language", 1, 1), ("memo:content", 1, 1)],
    "fjernprint:ForsendelseISamling": [("fjernprint:ForsendelseI", 1, MANY)],
    "fjernprint:ForsendelseI": [
        ("fjernprint:AfsendelseIdentifikator", 1, 1),
        ("fjernprint:ForsendelseTypeIdentifikator", 0, 1),
        ("fjernprint:ForsendelseModtager", 0, 1), ("dkal:FilformatNavn", 1, 1),
        ("dkal:MeddelelseIndholdData", 1, 1), ("fjernprint:TransaktionsParametreI", 0, 1),
        ("fjernprint:DokumentParametre", 1, 1),
        ("fjernprint:KanalUafhaengigeParametreI", 0, 1), ("fjernprint:PrintParametre", 0, 1),
        ("fjernprint:DigitalPostParametre", 0, 1), ("fjernprint:PostParametre", 0, 1),
        ("fjernprint:BilagSamling", 0, 1)],
    "fjernprint:ForsendelseModtager": [("dkal:AfsendelseModtager", 0, 1),
                                       ("fjernprint:ModtagerAdresse", 0, 1)],
    # A choice of one; checked below (exactly one child).
    "dkal:AfsendelseModtager": [("adir:CPRnummerIdentifikator", 0, 1),
                                ("adir:CVRnummerIdentifikator", 0, 1)],
    # KontaktOplysningType, the branch with address lines (the other has street and number).
    "fjernprint:ModtagerAdresse": [
        ("itst:PersonName", 1, 1), ("dkcc2005-3:PostalAddressFirstLineText", 1, 1),
        ("dkcc2005-3:PostalAddressSecondLineText", 0, 1),
        ("dkcc2005-3:PostalAddressThirdLineText", 0, 1),
        ("dkcc2005-3:PostalAddressFourthLineText", 0, 1),
        ("dkcc2005-3:PostalAddressFifthLineText", 0, 1),
        ("dkcc2005-3:PostalAddressSixthLineText", 0, 1),
        ("dkcc2005:PostCodeIdentifier", 0, 1), ("dkcc:CountryIdentificationCode", 1, 1)],
    "fjernprint:DokumentParametre": [("sd:TitelTekst", 0, 1), ("sd:UUIDIdentifikator", 0, 1),
                                     ("sd:BrevDato", 0, 1),
                                     ("fjernprint:MeddelelsesFormatObjekt", 0, 1)],
    "fjernprint:PrintParametre": [("fjernprint:SimplexDuplexKode", 0, 1),
                                  ("fjernprint:FarveSHKode", 0, 1),
                                  ("fjernprint:KuvertTypeKode", 0, 1)],
    "fjernprint:PostParametre": [("fjernprint:PostKategoriKode", 0, 1),
                                 ("fjernprint:AllokeringsIdentifikator", 0, 1)],
    "fjernprint:BilagSamling": [("fjernprint:Bilag", 1, 100)],
    "fjernprint:Bilag": [("fjernprint:BilagNavn", 1, 1), ("dkal:FilformatNavn", 1, 1),
                         ("fjernprint:BilagSorteringsIndeksIdentifikator", 1, 1),
                         ("dkal:VedhaeftningIndholdData", 1, 1)],
}


def _one_of(*values: str) -> Callable[[str], bool]:
    return lambda text: text in values


def _pattern(regex: str) -> Callable[[str], bool]:
    compiled = re.compile(regex)
    return lambda text: compiled.fullmatch(text) is not None


def _base64(text: str) -> bool:
    try:
        return bool(base64.b64decode(text, validate=True))
    except ValueError:
        return False


def _text(max_length: int) -> Callable[[str], bool]:
    return lambda text: 0 < len(text) <= max_length and text == text.strip()


_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_DATETIME = r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})"
LEAVES: dict[str, Callable[[str], bool]] = {
    "KombiValgKode": _one_of("Digital Post", "Fysisk Post", "Automatisk Valg", "NemSMS"),
    "memo:messageType": _one_of("DIGITALPOST", "NEMSMS"),
    "memo:messageUUID": _pattern(_UUID),
    "memo:label": _text(150),
    "memo:reply": _one_of("true", "false"),
    "memo:replyByDateTime": _pattern(_DATETIME),
    "memo:mandatory": _one_of("true", "false"),
    "memo:legalNotification": _one_of("true", "false"),
    "memo:idType": _one_of("CPR", "CVR"),
    "memo:senderID": _pattern(r"\d{8}|\d{10}"),  # by idType: see _id_shapes
    "memo:recipientID": _pattern(r"\d{8}|\d{10}"),
    "memo:caseID": _text(100),
    "memo:caseSystem": _text(100),
    "kle:subjectKey": _pattern(r"\d{2}\.\d{2}\.\d{2}"),
    "kle:version": _text(100),
    "kle:activityFacet": _pattern(r"[A-Z]\d{2}"),
    "kle:label": _text(150),
    "memo:createdDateTime": _pattern(_DATETIME),
    "memo:encodingFormat": _one_of("application/pdf"),
    "memo:filename": _pattern(r"[^<>:\"/\\|?*\r\n]+\.pdf"),
    "memo:language": _one_of("da"),
    "memo:content": _base64,
    "fjernprint:AfsendelseIdentifikator": _text(38),
    "dkal:FilformatNavn": _text(10),
    "dkal:MeddelelseIndholdData": _base64,
    "dkal:VedhaeftningIndholdData": _base64,
    "sd:TitelTekst": _text(1000),
    "adir:CPRnummerIdentifikator": _pattern(r"\d{10}"),
    "itst:PersonName": _text(130),
    "dkcc2005-3:PostalAddressFirstLineText": _text(34),
    "dkcc2005-3:PostalAddressSecondLineText": _text(34),
    "dkcc2005:PostCodeIdentifier": _pattern(r"[0-9]{4}"),
    "dkcc:CountryIdentificationCode": _pattern(r"[a-zA-Z]{2}"),
    "fjernprint:SimplexDuplexKode": _one_of("Simplex", "Duplex"),
    "fjernprint:FarveSHKode": _one_of("SH", "Farve"),
    "fjernprint:KuvertTypeKode": _one_of("C4", "C5", "MA"),
    "fjernprint:PostKategoriKode": _one_of("Prioritaire", "Economique", "Bulk",
                                           "Rekommanderet",
                                           "Rekommanderet med modtagerbevis", "Forkyndelse"),
    "fjernprint:BilagNavn": _text(300),
    "fjernprint:BilagSorteringsIndeksIdentifikator": _pattern(r"\d+"),
}
_NAMES = {q(name): name for name in [*SEQUENCES, *LEAVES]}


def problems(data: bytes) -> list[str]:
    """Every way ``data`` departs from the structure; empty when it fits."""
    root = etree.fromstring(data)
    found: list[str] = []
    if root.tag not in (q("memo:Message"), "kombi_request"):
        return [f"unexpected root element {root.tag}"]
    _check(root, found)
    for message in root.iter(q("memo:Message")):
        if (message.get("memoVersion"), message.get("memoSchVersion")) != ("1.1", "1.1.0"):
            found.append("memo:Message needs memoVersion 1.1 and memoSchVersion 1.1.0")
        found += _id_shapes(message)
    return found


def _check(element: etree._Element, found: list[str]) -> None:
    name = _NAMES.get(element.tag)
    if name is None:
        found.append(f"unknown element {element.tag}")
        return
    children = [child for child in element if isinstance(child.tag, str)]
    if name in SEQUENCES:
        found += _sequence(name, children)
        if name == "dkal:AfsendelseModtager" and len(children) != 1:
            found.append("dkal:AfsendelseModtager needs exactly one identifier")
        for child in children:
            _check(child, found)
    elif children:
        found.append(f"{name} must hold text, not elements")
    elif not LEAVES[name](element.text or ""):
        found.append(f"{name} has an invalid value: {(element.text or '')[:40]!r}")


def _sequence(name: str, children: list[etree._Element]) -> list[str]:
    found, index = [], 0
    for child_name, low, high in SEQUENCES[name]:
        count = 0
        while index < len(children) and children[index].tag == q(child_name) and count < high:
            index, count = index + 1, count + 1
        if count < low:
            found.append(f"{name}: {child_name} is missing (or out of order)")
    found += [f"{name}: unexpected {child.tag} (or out of order)" for child in children[index:]]
    return found


def _id_shapes(message: etree._Element) -> list[str]:
    """senderID and recipientID by their idType: CPR ten digits, CVR eight (MeMo 1.1)."""
    found = []
    for party, field in (("Sender", "senderID"), ("Recipient", "recipientID")):
        element = message.find(f"memo:MessageHeader/memo:{party}", NS)
        if element is None:
            continue
        kind = element.findtext("memo:idType", namespaces=NS)
        value = element.findtext(f"memo:{field}", namespaces=NS) or ""
        digits = {"CPR": 10, "CVR": 8}.get(kind or "")
        if digits is None or not re.fullmatch(rf"\d{{{digits}}}", value):
            found.append(f"memo:{party}/{field} is not a {kind} number")
    return found
