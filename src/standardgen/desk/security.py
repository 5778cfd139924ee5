"""The desk's guards, as ASGI middleware around the app.

- Every response: ``Cache-Control: no-store``, a strict Content-Security-Policy (our own scripts,
  styles, fonts and images only), no referrer, no framing.
- An error inside a request becomes a Danish error page; the log gets the exception's type only,
  never its message (which may quote a citizen's name).
- Request bodies are limited (a Danish 413 page) before anything parses them.
- With an access token (``STANDARDGEN_DESK_TOKEN``), every request must carry it (HTTP Basic
  password or Bearer token).
- Form posts carry a CSRF token bound to a per-browser cookie (:class:`Csrf`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import secrets
import time
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from typing import Any

import anyio

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

log = logging.getLogger("standardgen.desk")

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
       "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
       "frame-ancestors 'none'")
HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"cache-control", b"no-store"),
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),  # no-referrer would make a POST's Origin "null"
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
)
#: A request body must come with at most this many seconds between two pieces, and whole
#: within the other (4 MiB, the largest batch, at 70 KB/s).
BODY_GAP_SECONDS = 10.0
BODY_SECONDS = 60.0
CSRF_COOKIE = "desk_csrf"
CSRF_FIELD = "csrf"

ErrorPage = Callable[[int, str], bytes]


def _html_response(status: int, body: bytes,
                   extra: tuple[tuple[bytes, bytes], ...] = ()) -> list[Message]:
    return [{"type": "http.response.start", "status": status,
             "headers": [(b"content-type", b"text/html; charset=utf-8"),
                         (b"content-length", str(len(body)).encode()), *extra]},
            {"type": "http.response.body", "body": body}]


class Guard:
    """The outermost layer: headers on every response, errors as a Danish page."""

    def __init__(self, app: ASGIApp, page: ErrorPage) -> None:
        self.app, self.page = app, page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                names = {name.lower() for name, _ in HEADERS}
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message["headers"] = [*headers, *HEADERS]
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as exc:  # a bug: the type for the log, a Danish page for the user
            log.error("fejl i en forespørgsel (%s)", type(exc).__name__)
            if not started:
                for message in _html_response(500, self.page(500, "")):
                    await send_with_headers(message)


class BodyLimit:
    """Refuse a request body over its path's limit, before any parser sees it, and one that
    comes too slowly: a client that sends a byte now and then would otherwise hold its
    connection for as long as it likes (408 after ``gap`` seconds without a piece, or
    ``total`` seconds for the whole body)."""

    def __init__(self, app: ASGIApp, limits: Callable[[str], int], page: ErrorPage, *,
                 gap: float = BODY_GAP_SECONDS, total: float = BODY_SECONDS) -> None:
        self.app, self.limits, self.page = app, limits, page
        self.gap, self.total = gap, total

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        limit = self.limits(scope["path"])
        declared = dict(scope.get("headers", [])).get(b"content-length")
        # At most 12 digits: int() of thousands of digits is slow, and of 4,301 an error.
        if declared is not None and (not declared.isdigit() or len(declared) > 12
                                     or int(declared) > limit):
            await self._refuse(send, limit)
            return
        body, more = bytearray(), True
        deadline = time.monotonic() + self.total
        while more:
            try:
                with anyio.fail_after(max(0.0, min(self.gap, deadline - time.monotonic()))):
                    message = await receive()
            except TimeoutError:
                await self._too_slow(send)
                return
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > limit:
                await self._refuse(send, limit)
                return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _too_slow(self, send: Send) -> None:
        message = "Det, du sendte, kom for langsomt frem. Prøv igen."
        for part in _html_response(408, self.page(408, message), ((b"connection", b"close"),)):
            await send(part)

    async def _refuse(self, send: Send, limit: int) -> None:
        message = f"Det, du sendte, er for stort: højst {limit // 1024} KiB."
        for part in _html_response(413, self.page(413, message), ((b"connection", b"close"),)):
            await send(part)


class AccessToken:
    """Every request must carry the token (HTTP Basic password, any user name, or Bearer)."""

    def __init__(self, app: ASGIApp, token: str, page: ErrorPage) -> None:
        self.app, self.page = app, page
        self._digest = hashlib.sha256(token.encode()).digest()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self._allowed(scope):
            await self.app(scope, receive, send)
            return
        challenge = ((b"www-authenticate", b'Basic realm="standardgen desk", charset="UTF-8"'),)
        body = self.page(401, "Skrivebordet kræver adgangsnøglen. Brug den som adgangskode.")
        for part in _html_response(401, body, challenge):
            await send(part)

    def _allowed(self, scope: Scope) -> bool:
        header = dict(scope.get("headers", [])).get(b"authorization", b"")
        scheme, _, value = header.partition(b" ")
        given = b""
        if scheme.lower() == b"bearer":
            # The header's own bytes: a client sends a token of "æøå" as UTF-8, and decoding
            # them as Latin-1 (as HTTP headers officially are) would never match.
            given = value.strip()
        elif scheme.lower() == b"basic":
            try:
                given = base64.b64decode(value.strip(), validate=True).partition(b":")[2]
            except ValueError:
                return False
        # Compare digests: constant time whatever the lengths.
        return hmac.compare_digest(hashlib.sha256(given).digest(), self._digest)


class Csrf:
    """Synchroniser tokens: the form's token is an HMAC of the browser's random cookie, with a
    key that lives only in this process (a restarted desk asks for the form again)."""

    def __init__(self) -> None:
        self._key = secrets.token_bytes(32)

    @staticmethod
    def new_cookie() -> str:
        return secrets.token_urlsafe(32)

    def token(self, cookie: str) -> str:
        return hmac.new(self._key, cookie.encode(), hashlib.sha256).hexdigest()

    def valid(self, cookie: str | None, token: str | None) -> bool:
        if not cookie or not token:
            return False
        return hmac.compare_digest(self.token(cookie), token)


def same_origin(headers: Mapping[str, str], scheme: str) -> bool:
    """A browser's Origin (when it sends one) must be this desk's own: its scheme (``http``,
    or ``https`` behind a TLS proxy) as well as its host and port."""
    origin = headers.get("origin")
    if origin is None or origin == "null":
        return origin is None
    return origin == f"{scheme}://{headers.get('host', '')}"
