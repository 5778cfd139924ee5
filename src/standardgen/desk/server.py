"""Start the desk with uvicorn: on this machine only, unless an access token is configured."""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from standardgen.core.codes import Code
from standardgen.core.pool import exit_cleanly
from standardgen.core.problems import InputError, Problem, Severity
from standardgen.core.tempdirs import sweep_stale
from standardgen.core.templates import VIEW_PREFIX

TOKEN_VARIABLE = "STANDARDGEN_DESK_TOKEN"
MIN_TOKEN = 16  # characters: a token anyone could guess is no token


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def access_token(host: str, environ: dict[str, str] | os._Environ[str] = os.environ) -> str | None:
    """The token every request must carry, from the environment (never the command line, where
    it would show in the process list). Another address than this machine's needs one."""
    token = environ.get(TOKEN_VARIABLE, "").strip() or None
    if token is not None and len(token) < MIN_TOKEN:
        raise InputError([Problem(TOKEN_VARIABLE, 0, 0, Severity.ERROR,
                                  f"adgangsnøglen er for kort (mindst {MIN_TOKEN} tegn)",
                                  Code.DESK_TOKEN)])
    if token is None and not is_loopback(host):
        raise InputError([Problem(
            "--bind", 0, 0, Severity.ERROR,
            f"skrivebordet lytter kun på andre adresser end denne computer ({host}), når "
            f"miljøvariablen {TOKEN_VARIABLE} har en adgangsnøgle", Code.DESK_BIND)])
    return token


def allowed_hosts(host: str, proxy_name: str | None = None) -> tuple[str, ...]:
    """The Host names a request may carry. On this machine: its usual names, the address the
    desk listens on (``--bind 127.0.0.2`` is reached as 127.0.0.2) and the name a reverse proxy
    in front of it serves it under; bound beyond it, any (the token guards it)."""
    if not is_loopback(host):
        return ("*",)
    own = f"[{host.strip('[]')}]" if ":" in host else host
    names = ("127.0.0.1", "localhost", "[::1]", own, *([proxy_name] if proxy_name else []))
    return tuple(dict.fromkeys(names))


def run(standards: Sequence[Path], host: str, port: int,
        on_start: Callable[[str], None], proxy_name: str | None = None) -> None:
    from standardgen.desk.app import create_app
    from standardgen.desk.batch import FOLDER_PREFIX, BatchRunner
    from standardgen.desk.engine import Desk

    token = access_token(host)
    # A desk that was killed (SIGKILL, a power cut) left its folders: a batch's CSV with full
    # CPR numbers, its letters. Remove them before anything else.
    sweep_stale((FOLDER_PREFIX, VIEW_PREFIX))
    with _signals_end_cleanly():
        desk = Desk(standards)
        batches = BatchRunner(desk.standard_paths, desk.folder, memo=desk.memo_for_all)
        try:
            app = create_app(desk, token=token, allowed_hosts=allowed_hosts(host, proxy_name),
                             batches=batches)
            _serve(app, host, port, on_start)
        finally:
            with _signals_held():
                batches.close()


def _serve(app: Any, host: str, port: int, on_start: Callable[[str], None]) -> None:
    import uvicorn

    from standardgen.desk.connections import connection_cap, server_options

    # No access log: the paths are harmless, but a log is the first place personal data leaks.
    config = uvicorn.Config(app, host=host, port=port, access_log=False, log_config=None,
                            log_level="warning", server_header=False, date_header=False,
                            timeout_graceful_shutdown=5, **server_options(connection_cap()))
    logging.getLogger("standardgen.desk").setLevel(logging.INFO)
    server = uvicorn.Server(config)
    hangup = _Hangup(server)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, hangup)
    shown = host if ":" not in host else f"[{host}]"
    on_start(f"http://{shown}:{port}/")
    server.run()
    if hangup.seen:
        raise SystemExit(128 + signal.SIGHUP)


class _Hangup:
    """SIGHUP (the terminal was closed) while serving: the graceful shutdown uvicorn gives
    SIGTERM; the desk then ends with SIGHUP's exit code."""

    def __init__(self, server: Any) -> None:
        self.server, self.seen = server, False

    def __call__(self, signum: int, frame: object) -> None:
        self.seen = True
        self.server.should_exit = True


@contextlib.contextmanager
def _signals_end_cleanly() -> Iterator[None]:
    """SIGTERM and SIGHUP (a closed terminal) end the desk by ``SystemExit``, so the batches
    are stopped and the folders removed (``finally``, ``atexit``); by default they end the
    process where it stands. uvicorn handles SIGTERM and SIGINT itself while it serves (a
    graceful shutdown), then hands them on to these handlers."""
    wanted = [sig for sig in (signal.SIGTERM, getattr(signal, "SIGHUP", None)) if sig]
    previous = {sig: signal.signal(sig, exit_cleanly) for sig in wanted}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """A second Ctrl-C or SIGTERM must not cut the clean-up short."""
    wanted = [sig for sig in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None))
              if sig]
    previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in wanted}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
