"""``standardgen serve``: the preview answers on 127.0.0.1 and rebuilds when a standard changes."""

from __future__ import annotations

import socket
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from click.testing import CliRunner

import clients
from sitebuild import REAL, copy_standards
from standardgen.cli import main
from standardgen.core.templates import templates_dir
from standardgen.publish.build import BuildResult
from standardgen.publish.serve import serve


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        body: bytes = response.read()
    return body.decode("utf-8")


class _Preview(NamedTuple):
    url: str  # the address ``serve`` announced, ending in "/"
    builds: list[BuildResult]  # every build so far, oldest first


@contextmanager
def _serving(sources: Path, out: Path, **options: Any) -> Iterator[_Preview]:
    """Run ``serve`` on a free port in a thread until the block ends, then stop it and join.

    Waits (up to a minute: the first build comes first) until the server has said its address.
    """
    stop = threading.Event()
    started: list[str] = []
    builds: list[BuildResult] = []
    thread = threading.Thread(target=serve, kwargs={
        "paths": [sources], "out": out, "host": "127.0.0.1", "port": 0,
        "on_build": builds.append, "on_start": started.append, "stop": stop,
        "base_url": "https://example.dk/", **options}, daemon=True)
    thread.start()
    try:
        _wait_for(lambda: bool(started), 60)
        yield _Preview(started[0], builds)
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive()


def _wait_for(condition: Callable[[], bool], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert condition()


@pytest.mark.slow  # several seconds: left out of `make quick`
def test_preview_serves_the_site_and_rebuilds_on_change(tmp_path: Path) -> None:
    sources = copy_standards(tmp_path / "standards")
    with _serving(sources, tmp_path / "output", templates=templates_dir()) as preview:
        builds = preview.builds
        assert preview.url.startswith("http://127.0.0.1:")
        assert "Aktivitets- og samværstilbud" in _get(preview.url + "index.html")
        assert builds[0].ok and builds[0].written

        path = sources / f"{REAL}.yaml"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace('title: "Kvalitetsstandard: Aktivitets- og samværstilbud"',
                                     'title: "Kvalitetsstandard: Samvær, rettet"'),
                        encoding="utf-8")
        page = ""
        deadline = time.monotonic() + 30
        while "Samvær, rettet" not in page and time.monotonic() < deadline:
            time.sleep(0.2)
            page = _get(preview.url + f"{REAL}/index.html")
        assert "Samvær, rettet" in page
        assert set(builds[-1].written) >= {"index.html", f"{REAL}/index.html"}


@pytest.mark.slow
def test_build_errors_show_on_the_page_until_the_file_is_fixed(tmp_path: Path) -> None:
    sources = copy_standards(tmp_path / "standards")
    with _serving(sources, tmp_path / "output") as preview:
        builds = preview.builds
        page = preview.url + f"{REAL}/index.html"
        assert 'role="alert"' not in _get(page)
        path = sources / f"{REAL}.yaml"
        good = path.read_text(encoding="utf-8")
        path.write_text(good.replace("version: ", "versoin: ", 1), encoding="utf-8")
        _wait_for(lambda: len(builds) >= 2 and not builds[-1].ok)
        html = _get(page)
        assert html.count('role="alert"') == 1
        assert "Hjemmesiden er ikke opdateret: 2 fejl i filerne" in html
        assert f"{REAL}.yaml:" in html and "ukendt felt &#39;versoin&#39;" in html
        assert "Aktivitets- og samværstilbud" in html  # the last good page is still there
        path.write_text(good, encoding="utf-8")
        _wait_for(lambda: builds[-1].ok)
        assert 'role="alert"' not in _get(page)


@pytest.mark.client
def test_the_banner_is_accessible(tmp_path: Path) -> None:
    """axe-core (WCAG 2.1 A/AA) on a site page with the banner, and on the page of its own."""
    from standardgen.core.problems import Problem, Severity
    from standardgen.publish.build import build
    from standardgen.publish.serve import _banner, _with_banner

    site = tmp_path / "output" / "site"
    assert build([copy_standards(tmp_path / "standards")], tmp_path / "output",
                 base_url="https://example.dk/").ok
    banner = _banner([Problem("standards/x.yaml", 3, 5, Severity.ERROR, "ukendt felt 'a' <b>"),
                      Problem("standards/y.yaml", 1, 1, Severity.ERROR, "filen er tom")])
    with_banner = site / REAL / "fejl.html"
    with_banner.write_text(_with_banner(site / REAL / "index.html", banner), encoding="utf-8")
    alone = site / "fejl.html"
    alone.write_text(_with_banner(None, banner), encoding="utf-8")
    found = clients.axe([with_banner, alone], root=site)
    for page, violations in found.items():
        assert violations == [], (page, clients.describe_axe(violations))


def test_a_first_build_with_errors_gets_a_page_of_its_own(tmp_path: Path) -> None:
    from standardgen.publish.serve import _with_banner

    html = _with_banner(None, '<div role="alert">x</div>')
    assert html.startswith("<!DOCTYPE html>") and '<html lang="da">' in html
    assert "<h1" in html and '<div role="alert">x</div>' in html


def test_a_port_in_use_is_said_before_anything_is_built(tmp_path: Path) -> None:
    sources = copy_standards(tmp_path / "standards")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", str(sources), "--out", str(tmp_path / "out"),
                                           "--port", str(port)])
    assert result.exit_code == 1
    assert result.stderr == (f"standardgen: fejl: porten {port} er optaget (kører en anden "
                             f"forhåndsvisning?); vælg en anden med --port, fx --port "
                             f"{port + 1}\n")
    assert not (tmp_path / "out").exists()
