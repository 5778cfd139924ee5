"""Start the desk with uvicorn: on this machine only, unless an access token is configured."""

from __future__ import annotations

import ipaddress
import logging
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from standardgen.core.codes import Code
from standardgen.core.problems import InputError, Problem, Severity

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


def allowed_hosts(host: str) -> tuple[str, ...]:
    """The Host names a request may carry. On this machine: its usual names and the address
    the desk listens on (``--bind 127.0.0.2`` is reached as 127.0.0.2); bound beyond it, any
    (the token guards it, and a proxy in front may use a name of its own)."""
    if not is_loopback(host):
        return ("*",)
    own = f"[{host.strip('[]')}]" if ":" in host else host
    return tuple(dict.fromkeys(("127.0.0.1", "localhost", "[::1]", own)))


def run(standards: Sequence[Path], host: str, port: int,
        on_start: Callable[[str], None]) -> None:
    import uvicorn

    from standardgen.desk.app import create_app
    from standardgen.desk.engine import Desk

    token = access_token(host)
    desk = Desk(standards)
    app = create_app(desk, token=token, allowed_hosts=allowed_hosts(host))
    # No access log: the paths are harmless, but a log is the first place personal data leaks.
    config = uvicorn.Config(app, host=host, port=port, access_log=False, log_config=None,
                            log_level="warning", server_header=False, date_header=False,
                            timeout_graceful_shutdown=5)
    logging.getLogger("standardgen.desk").setLevel(logging.INFO)
    server = uvicorn.Server(config)
    shown = host if ":" not in host else f"[{host}]"
    on_start(f"http://{shown}:{port}/")
    server.run()
