"""``standardgen serve``: preview the site on this machine and rebuild when a source changes.

For policy staff editing a standard: save the YAML, reload the page. The server is Python's own
``http.server`` in a thread, bound to 127.0.0.1 by default; ``watchfiles`` watches the standards
and the templates and runs the same incremental build as ``standardgen build``.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Sequence
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from standardgen.publish.build import SITE, BuildResult, build

WATCHED_SUFFIXES = (".yaml", ".yml", ".html", ".css", ".js", ".xml", ".docx", ".woff2", ".svg",
                    ".png")  # .svg and .png: a municipality logo


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass  # the terminal is for build problems, not for every request


class Preview:
    """A running preview server; ``stop()`` shuts it down."""

    def __init__(self, site: Path, host: str, port: int) -> None:
        site.mkdir(parents=True, exist_ok=True)
        handler = functools.partial(_QuietHandler, directory=str(site))
        self.server = ThreadingHTTPServer((host, port), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}/"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


def serve(paths: Sequence[Path], out: Path, *, host: str, port: int, templates: Path,
          on_build: Callable[[BuildResult], None], on_start: Callable[[str], None],
          stop: threading.Event | None = None, base_url: str | None = None) -> None:
    """Build, serve ``out/site`` and rebuild on every change until ``stop`` is set (or Ctrl-C)."""
    from watchfiles import watch

    def rebuild() -> None:
        on_build(build(paths, out, base_url=base_url, templates=templates))

    rebuild()
    preview = Preview(out / SITE, host, port)
    on_start(preview.url)
    watched = [*(path.resolve() for path in paths), templates.resolve()]
    try:
        for _changes in watch(*watched, watch_filter=_relevant, stop_event=stop,
                              debounce=300, step=50, rust_timeout=500, yield_on_timeout=False):
            rebuild()
    except KeyboardInterrupt:
        pass
    finally:
        preview.stop()


def _relevant(_change: object, path: str) -> bool:
    name = Path(path).name
    return name.endswith(WATCHED_SUFFIXES) and not name.startswith(".")
