"""Inline markup: *emphasis*, **strong** and links, as safe HTML and as styled spans."""

from __future__ import annotations

import pytest
from markupsafe import Markup

from standardgen.core.markup import Span, link_problems, to_html, to_plain, to_spans


def test_plain_text_is_one_span() -> None:
    assert to_spans("Der er ingen udgifter.") == [Span("Der er ingen udgifter.")]
    assert to_html("Der er ingen udgifter.") == "Der er ingen udgifter."


def test_emphasis() -> None:
    text = "Tilbuddet er *visiteret*."
    assert to_html(text) == "Tilbuddet er <em>visiteret</em>."
    assert to_spans(text) == [Span("Tilbuddet er "), Span("visiteret", italic=True), Span(".")]


def test_strong() -> None:
    text = "Der er **ikke** valgfrihed."
    assert to_html(text) == "Der er <strong>ikke</strong> valgfrihed."
    assert to_spans(text) == [Span("Der er "), Span("ikke", bold=True), Span(" valgfrihed.")]


def test_strong_with_emphasis_inside() -> None:
    text = "**fed *og kursiv***"
    assert to_html(text) == "<strong>fed <em>og kursiv</em></strong>"
    assert to_spans(text) == [Span("fed ", bold=True), Span("og kursiv", bold=True, italic=True)]


def test_no_empty_spans() -> None:
    # markdown-it leaves empty text tokens where delimiters were; a Word renderer would turn
    # each into an empty run.
    for text in ("***begge***", "**fed *og kursiv***", "*a* **b**"):
        assert all(span.text for span in to_spans(text)), to_spans(text)


def test_link() -> None:
    text = "Se [sagsbehandlingsfristerne](https://norddjurs.dk/frister) her."
    assert to_html(text) == (
        'Se <a href="https://norddjurs.dk/frister">sagsbehandlingsfristerne</a> her.')
    assert to_spans(text) == [
        Span("Se "), Span("sagsbehandlingsfristerne", href="https://norddjurs.dk/frister"),
        Span(" her."),
    ]
    assert to_plain(text) == "Se sagsbehandlingsfristerne her."


def test_autolink_keeps_the_address_as_text() -> None:
    url = "https://norddjurs.dk/om-kommunen/generel-information-om-norddjurs/sagsbehandlingsfrister"
    text = f"via følgende link: <{url}>"
    assert to_html(text) == f'via følgende link: <a href="{url}">{url}</a>'
    assert to_spans(text) == [Span("via følgende link: "), Span(url, href=url)]
    assert to_plain(text) == f"via følgende link: {url}"
    assert link_problems(text) == []


def test_mailto_link() -> None:
    assert to_spans("<mailto:norddjurs@norddjurs.dk>") == [
        Span("mailto:norddjurs@norddjurs.dk", href="mailto:norddjurs@norddjurs.dk")]
    assert link_problems("[skriv](mailto:norddjurs@norddjurs.dk)") == []


def test_styled_link_text() -> None:
    assert to_spans("[**vigtigt**](https://x.dk)") == [
        Span("vigtigt", bold=True, href="https://x.dk")]


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ('<img src=x onerror="alert(1)">', "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"),
        ("<b>fed</b>", "&lt;b&gt;fed&lt;/b&gt;"),
        ("Jensen & Søn", "Jensen &amp; Søn"),
    ],
)
def test_raw_html_is_escaped(text: str, html: str) -> None:
    rendered = to_html(text)
    assert isinstance(rendered, Markup)
    assert rendered == html
    assert to_plain(text) == text  # the words are kept, just not interpreted


def test_link_address_is_escaped() -> None:
    rendered = to_html('[x](https://x.dk/?a=1&b="2")')
    assert rendered == '<a href="https://x.dk/?a=1&amp;b=%222%22">x</a>'


@pytest.mark.parametrize(
    "text",
    ["# Overskrift", "- punkt", "1. punkt", "`kode`", "> citat", "| a | b |", "---"],
)
def test_nothing_else_is_interpreted(text: str) -> None:
    assert to_html(text) == text.replace(">", "&gt;")
    assert to_plain(text) == text


@pytest.mark.parametrize(
    "href",
    ["javascript:alert(1)", "JavaScript:alert(1)", "vbscript:msgbox(1)", "data:text/html,x",
     "file:///etc/passwd", "ftp://x.dk/fil", "/relativ/sti", "www.norddjurs.dk"],
)
def test_links_a_reader_cannot_follow_are_reported(href: str) -> None:
    text = f"Se [her]({href})."
    assert link_problems(text) == [f"linket '{href}' skal begynde med https:// eller mailto:"]


def test_javascript_autolink_is_reported() -> None:
    assert link_problems("<javascript:alert(1)>") == [
        "linket 'javascript:alert(1)' skal begynde med https:// eller mailto:"]


@pytest.mark.parametrize(
    "text", ["[x](javascript:alert(1))", "<javascript:alert(1)>", "[x](JAVASCRIPT:alert(1))",
             "[x](data:text/html,x)", "[x](vbscript:msgbox(1))"],
)
def test_unsafe_links_never_reach_the_output(text: str) -> None:
    assert "href" not in to_html(text)
    assert all(span.href is None for span in to_spans(text))
    assert link_problems(text)


def test_every_link_is_reported() -> None:
    text = "[a](javascript:x) og [b](https://ok.dk) og [c](ftp://x)"
    assert link_problems(text) == [
        "linket 'javascript:x' skal begynde med https:// eller mailto:",
        "linket 'ftp://x' skal begynde med https:// eller mailto:",
    ]


@pytest.mark.parametrize("href", ["https://norddjurs.dk", "http://norddjurs.dk",
                                  "mailto:norddjurs@norddjurs.dk"])
def test_good_links_are_not_reported(href: str) -> None:
    assert link_problems(f"[her]({href})") == []
