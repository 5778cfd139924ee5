"""The desk under load: 20 caseworkers making letters at once for a minute, on this machine.

Starts ``standardgen desk`` (uvicorn) on 127.0.0.1 in its own process, with its own empty working
folder and temporary folder. Each client is one browser session (its own CSRF cookie) that posts
a checked case to "Hent brevet som PDF" again and again: every request validates the case and
renders the letter, as a caseworker's download does. Reports letters per second, the median and
95th percentile latency, failed requests, the server's resident memory over the run, files left
behind, and, next to it, the in-process time of one letter (check + build + PDF).

Only 127.0.0.1 is ever contacted; the run is bounded by ``--seconds`` (at most 300).
Run: ``make bench`` or ``.venv/bin/python benchmarks/bench_desk.py [--clients 20] [--seconds 60]``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import yaml  # noqa: E402
from timing import wait_until_up  # noqa: E402

from standardgen.desk.casedata import to_form  # noqa: E402

STANDARDS = ROOT / "standards"
# Today's figures (p50, p95 in ms): the desk before issue 21 (commit 12c8000; the layout move
# changed no desk behaviour), 20 clients for 30 s doing the same round, measured with this
# script on the same shared 2-core machine on 2026-12-05, right before the branch's own run
# (1246 rounds; two earlier, busier runs gave 246/501 and 225/435 for the preview, 370/644 and
# 334/551 for the download). The preview then was HTML only; since issue 21 a submit is a
# redirect and a GET, the preview draws the PDF's pages, and the download reuses that PDF.
TODAY = {"preview": (184.1, 267.4), "download": (283.8, 402.3)}
CASE = ROOT / "examples" / "cases" / "bevilget.yaml"
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


class Session:
    """One browser: a keep-alive connection and the desk's CSRF cookie."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection(HOST, port, timeout=60)
        self.cookie = ""
        self.location = ""

    def submit(self, form: dict[str, str]) -> tuple[int, bytes]:
        """Post the form as "Kontrollér og vis brevet" does, and follow a redirect (the desk
        answers a post with 303 since issue 21; before, with the page itself)."""
        status, body = self.request("POST", "/sag", form)
        if status == 303:
            status, body = self.request("GET", self.location)
        return status, body

    def request(self, method: str, path: str, form: dict[str, str] | None = None
                ) -> tuple[int, bytes]:
        headers = {"host": f"{HOST}:{self.connection.port}"}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers |= {"content-type": "application/x-www-form-urlencoded",
                        "origin": f"http://{HOST}:{self.connection.port}"}
        if self.cookie:
            headers["cookie"] = self.cookie
        self.connection.request(method, path, body, headers)
        response = self.connection.getresponse()
        data = response.read()
        self.location = response.getheader("location") or ""
        cookie = response.getheader("set-cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        return response.status, data

    def prepare(self) -> dict[str, str]:
        """Fill in and check the example case once: the preview's download form."""
        data = yaml.safe_load(CASE.read_text(encoding="utf-8"))
        status, page = self.request("GET", f"/sag?standard={data['standard']}&kind="
                                           f"{data['result']}")
        token = _field(page, "csrf")
        self.form = {**to_form(data), "csrf": token}
        status, page = self.submit(self.form)
        if status != 200:
            raise SystemExit(f"the example case did not check ({status})")
        return {"csrf": _field(page, "csrf"), "sag": _field(page, "sag")}


def _field(page: bytes, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]+)"'.encode(), page)
    if match is None:
        raise SystemExit(f"no field {name} on the page")
    return match.group(1).decode()


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def load(port: int, clients: int, seconds: float) -> dict[str, Any]:
    sessions = [Session(port) for _ in range(clients)]
    forms = [session.prepare() for session in sessions]
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    previews: list[float] = []

    def timed(work: Any, check: Any, into: list[float]) -> None:
        start = time.perf_counter()
        try:
            status, body = work()
            problem = "" if status == 200 and check(body) else f"HTTP {status}"
        except (OSError, http.client.HTTPException) as exc:
            problem = type(exc).__name__
        elapsed = time.perf_counter() - start
        with lock:
            (failures.append(problem) if problem else into.append(elapsed))

    def client(session: Session, form: dict[str, str]) -> None:
        # A caseworker's round: "Kontrollér og vis brevet" (to the preview), then the PDF.
        while time.monotonic() < stop:
            timed(lambda: session.submit(session.form), lambda b: b"Brevet er klar" in b,
                  previews)
            timed(lambda: session.request("POST", "/sag/hent/brev.pdf", form),
                  lambda b: b.startswith(b"%PDF-"), latencies)

    threads = [threading.Thread(target=client, args=(s, f)) for s, f in zip(sessions, forms,
                                                                             strict=True)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    latencies.sort()
    previews.sort()
    return {
        "previews": len(previews), "preview_p50_ms": _percentile(previews, 0.5),
        "preview_p95_ms": _percentile(previews, 0.95),
        "clients": clients, "seconds": round(wall, 1), "letters": len(latencies),
        "failed": len(failures), "failures": sorted(set(failures)),
        "letters_per_s": round(len(latencies) / wall, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))] * 1000, 1)
        if latencies else None,
    }


def _percentile(values: list[float], share: float) -> float | None:
    """The share-th value of sorted ``values`` in ms (the median for 0.5)."""
    if not values:
        return None
    if share == 0.5:
        return round(statistics.median(values) * 1000, 1)
    return round(values[int(share * (len(values) - 1))] * 1000, 1)


def in_process(repeat: int = 50) -> dict[str, float]:
    """One letter in the desk's own process: check the case YAML, build, render the PDF."""
    from standardgen.desk.casedata import to_yaml
    from standardgen.desk.engine import Desk

    desk = Desk([STANDARDS], renderers=1)
    raw = to_yaml(yaml.safe_load(CASE.read_text(encoding="utf-8")))
    times = []
    for _ in range(repeat + 3):
        start = time.perf_counter()
        checked = desk.check_yaml(raw)
        assert checked.source is not None, checked.issues
        desk.pdf(checked.source.case)
        times.append(time.perf_counter() - start)
    return {"median_ms": round(statistics.median(times[3:]) * 1000, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--json", type=Path, help="Also write the results as JSON.")
    args = parser.parse_args()
    seconds = min(args.seconds, 300.0)
    work = Path(tempfile.mkdtemp(prefix="standardgen-bench-desk-"))
    cwd, tmp = work / "cwd", work / "tmp"
    cwd.mkdir()
    tmp.mkdir()
    port = free_port()
    env = {**os.environ, "TMPDIR": str(tmp)}
    env.pop("STANDARDGEN_DESK_TOKEN", None)
    command = [sys.executable, "-m", "standardgen", "desk", "--port", str(port),
               "--bind", HOST, "--standards", str(STANDARDS)]
    server = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
    try:
        wait_until_up(HOST, port, server)
        memory: list[int] = []
        sampling = threading.Event()

        def sample() -> None:
            while not sampling.wait(1.0):
                memory.append(rss_kib(server.pid))

        sampler = threading.Thread(target=sample)
        memory.append(rss_kib(server.pid))
        sampler.start()
        try:
            results = load(port, args.clients, seconds)
        finally:
            sampling.set()
            sampler.join()
        memory.append(rss_kib(server.pid))
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=30)
    warm = memory[min(10, len(memory) - 1)]
    results |= {
        "rss_mib": {"start": round(memory[0] / 1024, 1), "after_10_s": round(warm / 1024, 1),
                    "end": round(memory[-1] / 1024, 1), "max": round(max(memory) / 1024, 1)},
        "files_left": sorted(str(p.relative_to(work)) for p in work.rglob("*")
                             if p not in (cwd, tmp)),
        "server_log_lines": len(stderr.decode("utf-8", "replace").splitlines()),
        "in_process_one_letter": in_process(),
        "cpus": os.cpu_count(),
    }
    shutil.rmtree(work, ignore_errors=True)
    _print(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    if results["failed"] or results["files_left"]:
        raise SystemExit(1)


def _print(r: dict[str, Any]) -> None:
    memory = r["rss_mib"]
    print(f"standardgen desk, {r['clients']} clients for {r['seconds']} s on 127.0.0.1, "
          f"{r['cpus']} CPUs (shared machine: figures are noisy)")
    print(f"  rounds of submit -> preview -> PDF: {r['previews']} previews, {r['letters']} PDFs "
          f"({r['letters_per_s']} PDFs/s), failed {r['failed']} {r['failures'] or ''}")
    print(f"  {'':28} {'p50 ms':>8} {'p95 ms':>8}   {'today p50':>9} {'today p95':>9}")
    for name, key in (("submit -> preview", "preview"), ("download (PDF)", "")):
        p50, p95 = (r[f"{key}_p50_ms"], r[f"{key}_p95_ms"]) if key else (r["p50_ms"],
                                                                           r["p95_ms"])
        base = TODAY[key or "download"]
        print(f"  {name:28} {p50!s:>8} {p95!s:>8}   {base[0]!s:>9} {base[1]!s:>9}")
    print(f"  in-process one letter (check + build + PDF) "
          f"{r['in_process_one_letter']['median_ms']} ms")
    print(f"  server memory (RSS) start {memory['start']} MiB, after 10 s "
          f"{memory['after_10_s']} MiB, end {memory['end']} MiB, max {memory['max']} MiB")
    print(f"  files left in its working and temporary folders: {len(r['files_left'])}; "
          f"server log lines: {r['server_log_lines']}")


if __name__ == "__main__":
    main()
