"""The desk as a caseworker starts it: ``standardgen desk`` in its own process, on loopback.

For the tests that need the real server and the real process (signals, slow clients, the
address it is bound to): the desk gets its own temporary folder (``TMPDIR``), so what it leaves
behind can be listed, and is stopped and waited for on every way out of the block.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx2 as httpx

ROOT = Path(__file__).resolve().parent.parent
STANDARDS = ROOT / "standards"
START_SECONDS = 60


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


@dataclass
class DeskProcess:
    process: subprocess.Popen[bytes]
    url: str
    tmp: Path

    def client(self, *, timeout: float = 60, headers: Mapping[str, str] | None = None
               ) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=timeout, headers=headers)

    def left_behind(self) -> list[str]:
        """Everything under the desk's temporary folder, relative to it."""
        return sorted(str(path.relative_to(self.tmp)) for path in self.tmp.rglob("*"))

    def stop(self, signum: int = signal.SIGTERM, timeout: float = 30) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signum)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
            raise


@contextlib.contextmanager
def desk_process(tmp: Path, *args: str, host: str = "127.0.0.1",
                 env: Mapping[str, str] | None = None,
                 limit_files: int | None = None) -> Iterator[DeskProcess]:
    """``standardgen desk --bind host`` on a free port with ``tmp`` as its temporary folder;
    ``limit_files``: its soft and hard limit of open files (as a common default, 1024)."""
    port = free_port(host)
    environ = {**os.environ, "TMPDIR": str(tmp), **(env or {})}
    command = [sys.executable, "-m", "standardgen", "desk", "--bind", host, "--port", str(port),
               "--standards", str(STANDARDS), *args]
    process = subprocess.Popen(command, env=environ, cwd=tmp.parent, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, preexec_fn=_limit(limit_files))
    desk = DeskProcess(process, f"http://{host}:{port}", tmp)
    try:
        _wait_until_up(host, port, process)
        yield desk
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(30)
        if process.stderr is not None:
            process.stderr.close()


def _limit(files: int | None) -> Callable[[], None] | None:
    if files is None:
        return None

    def limit() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_NOFILE, (files, files))

    return limit


def _wait_until_up(host: str, port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            message = process.stderr.read().decode() if process.stderr else ""
            raise AssertionError(f"the desk did not start: {message}")
        try:
            with socket.create_connection((host, port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"the desk did not start within {START_SECONDS} s")


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "the page has no CSRF field"
    return match.group(1)


def start_batch(client: httpx.Client, raw: bytes) -> str:
    """Post a CSV of cases as the batch page does; the batch's address."""
    token = csrf_of(client.get("/batch").text)
    response = client.post("/batch", data={"csrf": token},
                           files={"fil": ("sager.csv", raw, "text/csv")})
    assert response.status_code == 303, response.text
    return str(response.headers["location"])


def wait_for_batch(client: httpx.Client, location: str, seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if client.get(f"{location}/status.json").json()["faerdig"]:
            return
        time.sleep(0.2)
    raise AssertionError("the batch did not finish")
