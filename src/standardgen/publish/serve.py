"""``standardgen serve``: preview the site on this machine and rebuild when a source changes.

For policy staff editing a standard: save the YAML, reload the page. The server is Python's own
``http.server`` in a thread, bound to 127.0.0.1 by default; ``watchfiles`` watches the standards
and the templates (the municipality's own and the built-in ones) and runs the same incremental
build as ``standardgen build``.

The port is taken before anything is built, so a port in use is said at once. While the last
build had errors, every page carries a banner listing them (``templates/serve/problems.html``),
so a user who only looks at the browser sees why the page did not change; it is gone on the next
reload after the fix. The last good site stays up underneath.
"""

from __future__ import annotations

import errno
import functools
import threading
from collections.abc import Callable, Sequence
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from standardgen.core.cpr import mask_in_text
from standardgen.core.problems import Problem, errors
from standardgen.publish.build import SITE, BuildResult, build

WATCHED_SUFFIXES = (".yaml", ".yml", ".html", ".css", ".js", ".xml", ".docx", ".woff2", ".svg",
                    ".png", ".typ")  # .svg and .png: a municipality logo


class PortInUse(Exception):
    """The port is taken by another program (often another ``standardgen serve``)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        super().__init__(f"{host}:{port}")


class _State:
    """What the handler shows beside the site: the errors of the last build (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._banner = ""

    def show(self, problems: Sequence[Problem]) -> None:
        banner = _banner(errors(problems)) if errors(problems) else ""
        with self._lock:
            self._banner = banner

    @property
    def banner(self) -> str:
        with self._lock:
            return self._banner


class _PreviewHandler(SimpleHTTPRequestHandler):
    state: _State

    def __init__(self, *args: Any, state: _State, **kwargs: Any) -> None:
        self.state = state
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the terminal is for build problems, not for every request

    def do_GET(self) -> None:
        banner = self.state.banner
        page = self._page()
        if banner and (page is None or page.suffix == ".html"):
            self._send_html(_with_banner(page, banner))
        else:
            super().do_GET()

    def _page(self) -> Path | None:
        """The HTML file this request would get, None when there is none (yet)."""
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        return path if path.is_file() else None

    def _send_html(self, html: str) -> None:
        body = html.encode("utf-8")
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


def _banner(problems: Sequence[Problem]) -> str:
    from standardgen.render.templating import environment

    shown = [{"file": mask_in_text(p.file), "line": p.line, "column": p.column,
              "message": mask_in_text(p.message)} for p in problems]
    return str(environment().get_template("serve/problems.html").render(problems=shown))


def _with_banner(page: Path | None, banner: str) -> str:
    """The page with the banner first in its body, or the banner alone when there is no page."""
    if page is not None:
        html = page.read_text(encoding="utf-8")
        start = html.find("<body")
        end = html.find(">", start) + 1 if start >= 0 else 0
        if end > 0:
            return f"{html[:end]}\n{banner}{html[end:]}"
    from markupsafe import Markup

    from standardgen.render.templating import environment

    return str(environment().get_template("serve/empty.html").render(banner=Markup(banner)))


class Preview:
    """A running preview server; ``stop()`` shuts it down."""

    def __init__(self, site: Path, host: str, port: int) -> None:
        self.state = _State()
        handler = functools.partial(_PreviewHandler, directory=str(site), state=self.state)
        try:
            self.server = ThreadingHTTPServer((host, port), handler)
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                raise PortInUse(host, port) from None
            raise
        site.mkdir(parents=True, exist_ok=True)  # only once the port is ours
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


def serve(paths: Sequence[Path], out: Path, *, host: str, port: int,
          on_build: Callable[[BuildResult], None], on_start: Callable[[str], None],
          stop: threading.Event | None = None, base_url: str | None = None,
          templates: Path | None = None) -> None:
    """Serve ``out/site``, build, and rebuild on every change until ``stop`` is set (or Ctrl-C).

    ``templates`` fixes the template folder (tests); by default it is looked up again before
    every build, so a template the municipality adds to its own folder is picked up.
    """
    from watchfiles import watch

    from standardgen.core.templates import template_folders, templates_dir

    preview = Preview(out / SITE, host, port)  # PortInUse before any work is done

    def rebuild() -> None:
        result = build(paths, out, base_url=base_url, templates=templates or templates_dir())
        preview.state.show(result.problems)
        on_build(result)

    try:
        rebuild()
        on_start(preview.url)  # once there is something to see
        watched = [*(path.resolve() for path in paths),
                   *([templates.resolve()] if templates else template_folders())]
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
