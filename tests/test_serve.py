"""``standardgen serve``: the preview answers on 127.0.0.1 and rebuilds when a standard changes."""

from __future__ import annotations

import threading
import time
import urllib.request
from pathlib import Path

from sitebuild import REAL, copy_standards
from standardgen.publish.build import BuildResult
from standardgen.publish.serve import serve
from standardgen.render.templating import templates_dir


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        body: bytes = response.read()
    return body.decode("utf-8")


def test_preview_serves_the_site_and_rebuilds_on_change(tmp_path: Path) -> None:
    sources = copy_standards(tmp_path / "standards")
    stop = threading.Event()
    started: list[str] = []
    builds: list[BuildResult] = []
    thread = threading.Thread(target=serve, kwargs={
        "paths": [sources], "out": tmp_path / "output", "host": "127.0.0.1", "port": 0,
        "templates": templates_dir(), "on_build": builds.append, "on_start": started.append,
        "stop": stop, "base_url": "https://example.dk/"}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 60
        while not started and time.monotonic() < deadline:
            time.sleep(0.05)
        assert started and started[0].startswith("http://127.0.0.1:")
        assert "Aktivitets- og samværstilbud" in _get(started[0] + "index.html")
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
            page = _get(started[0] + f"{REAL}/index.html")
        assert "Samvær, rettet" in page
        assert set(builds[-1].written) >= {"index.html", f"{REAL}/index.html"}
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive()
