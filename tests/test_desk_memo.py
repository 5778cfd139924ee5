"""The desk hands out the Digital Post message beside the PDF and the Word letter, and a batch
zip holds the messages when every municipality has its CVR number."""

from __future__ import annotations

import base64
import io
import zipfile
from pathlib import Path

from lxml import etree
from starlette.testclient import TestClient

import memo_structure
from deskclient import (
    BASE,
    SOLBAKKE,
    client,
    csrf,
    example,
    packed,
    run_batch,
    submit,
)
from memo_structure import NS
from standardgen.desk.app import create_app
from standardgen.desk.engine import Desk


def test_a_case_with_a_cvr_number_offers_the_message() -> None:
    browser = client()
    html = submit(browser, example("§ 85")).text  # Solbakke has its CVR number
    assert "/sag/hent/brev.memo.xml" in html
    data = {"csrf": csrf(html), "sag": packed(html)}
    message = browser.post("/sag/hent/brev.memo.xml", data=data)
    assert message.status_code == 200, message.text
    number = example("§ 85")["case_number"]
    assert message.headers["content-disposition"] == (
        f'attachment; filename="{number}.memo.xml"')
    assert memo_structure.problems(message.content) == []
    pdf = browser.post("/sag/hent/brev.pdf", data=data).content
    root = etree.fromstring(message.content)
    content = root.findtext(".//memo:MainDocument/memo:File/memo:content", namespaces=NS)
    assert base64.b64decode(content or "") == pdf  # the same letter as the PDF download


def test_a_municipality_without_cvr_number_offers_none() -> None:
    browser = client()
    html = submit(browser, example("bevilget.yaml")).text  # Norddjurs: no CVR number here
    assert "brev.memo.xml" not in html
    response = browser.post("/sag/hent/brev.memo.xml",
                            data={"csrf": csrf(html), "sag": packed(html)})
    assert response.status_code == 404
    assert "CVR-nummeret" in response.text


def test_the_batch_zip_holds_the_messages() -> None:
    desk = Desk([SOLBAKKE / "standards"], renderers=1)
    browser = TestClient(create_app(desk), base_url=BASE)
    raw = (SOLBAKKE / "cases" / "batch-83.csv").read_bytes()
    location, _ = run_batch(browser, raw)
    archive = zipfile.ZipFile(io.BytesIO(browser.get(f"{location}/breve.zip").content))
    # The letters and their messages (beside them, issue 21's forms, case files and report).
    names = [n for n in archive.namelist() if "/" not in n and not n.endswith(".csv")]
    stems = {Path(n).name.split(".")[0] for n in names}
    assert stems and all(f"{s}.memo.xml" in names and f"{s}.pdf" in names for s in stems)
    for stem in stems:
        assert memo_structure.problems(archive.read(f"{stem}.memo.xml")) == []
