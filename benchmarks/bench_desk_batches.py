"""The desk's memory over CSV batches: ten 2,000-row batches, one after another, each zip fetched.

Starts ``standardgen desk`` on 127.0.0.1 in its own process with its own temporary folder, runs
one small batch to warm it up (its renderers, its pages), then ``--batches`` batches of ``--rows``
cases (examples/cases/batch.csv's rows with new case numbers), each posted as the batch page
does, followed to the end and its zip downloaded (read in chunks, counted, not kept). Reports the
desk's resident memory at start, after the warm-up, after each batch and at the end, the largest
a batch's own process reached, the time per batch, the zip's size, and what is left in the
temporary folder. Issue 20 asks that the memory after ten 2,000-row batches be within 20 % of
its start (here: the warmed-up desk); the run fails when it is not, or when files are left.

Only 127.0.0.1 is contacted. Run: ``make bench`` or
``.venv/bin/python benchmarks/bench_desk_batches.py [--batches 10] [--rows 2000]``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from timing import wait_until_up

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from standardgen.letters.sample import multiplied  # noqa: E402

STANDARDS = ROOT / "standards"
EXAMPLE = ROOT / "examples" / "cases" / "batch.csv"
HOST = "127.0.0.1"
LIMIT = 1.20  # the memory after the batches, at most this times the warmed-up start


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


class Browser:
    """One browser session against the desk: its cookie and a fresh connection per request."""

    def __init__(self, port: int) -> None:
        self.port, self.cookie = port, ""

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
        connection = http.client.HTTPConnection(HOST, self.port, timeout=600)
        sent = {"host": f"{HOST}:{self.port}", **(headers or {})}
        if self.cookie:
            sent["cookie"] = self.cookie
        connection.request(method, path, body, sent)
        response = connection.getresponse()
        cookie = response.getheader("set-cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        return response

    def text(self, path: str) -> str:
        return self.request("GET", path).read().decode("utf-8")

    def batch(self, raw: bytes) -> str:
        match = re.search(r'name="csrf" value="([^"]+)"', self.text("/batch"))
        if match is None:
            raise SystemExit("the batch page has no CSRF field")
        boundary = uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n"
                f"{match.group(1)}\r\n--{boundary}\r\nContent-Disposition: form-data; "
                f"name=\"fil\"; filename=\"sager.csv\"\r\nContent-Type: text/csv\r\n\r\n"
                ).encode() + raw + f"\r\n--{boundary}--\r\n".encode()
        response = self.request("POST", "/batch", body, {
            "content-type": f"multipart/form-data; boundary={boundary}",
            "origin": f"http://{HOST}:{self.port}"})
        response.read()
        if response.status != 303:
            raise SystemExit(f"the batch was not started (HTTP {response.status})")
        return str(response.getheader("location"))

    def wait(self, location: str) -> None:
        while not json.loads(self.text(f"{location}/status.json"))["faerdig"]:
            time.sleep(0.5)

    def fetch(self, location: str) -> int:
        """The zip's size, read in chunks and dropped."""
        response = self.request("GET", f"{location}/breve.zip")
        if response.status != 200:
            raise SystemExit(f"no zip (HTTP {response.status})")
        size = 0
        while chunk := response.read(1 << 20):
            size += len(chunk)
        return size


def run(batches: int, rows: int) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="standardgen-bench-batches-"))
    tmp = work / "tmp"
    tmp.mkdir()
    port = free_port()
    env = {**os.environ, "TMPDIR": str(tmp)}
    env.pop("STANDARDGEN_DESK_TOKEN", None)
    env.pop("STANDARDGEN_TEMPLATES", None)
    server = subprocess.Popen([sys.executable, "-m", "standardgen", "desk", "--port", str(port),
                               "--bind", HOST, "--standards", str(STANDARDS)], cwd=work, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = [0]
    stop = threading.Event()

    def watch_children() -> None:  # the largest a batch's own process gets
        while not stop.wait(0.5):
            for pid in children(server.pid):
                peak[0] = max(peak[0], rss_kib(pid))

    watcher = threading.Thread(target=watch_children)
    try:
        wait_until_up(HOST, port, server)
        cold = rss_kib(server.pid)
        browser = Browser(port)
        location = browser.batch(EXAMPLE.read_bytes())
        browser.wait(location)
        browser.fetch(location)
        time.sleep(1)
        warm = rss_kib(server.pid)
        watcher.start()
        raw, after, seconds, sizes = multiplied(EXAMPLE, rows).encode("utf-8"), [], [], []
        for _ in range(batches):
            started = time.perf_counter()
            location = browser.batch(raw)
            browser.wait(location)
            sizes.append(browser.fetch(location))
            seconds.append(time.perf_counter() - started)
            after.append(rss_kib(server.pid))
        time.sleep(2)
        end = rss_kib(server.pid)
        left = sorted(str(p.relative_to(tmp)) for p in tmp.rglob("*"))
    finally:
        stop.set()
        if watcher.is_alive():
            watcher.join()
        server.terminate()
        server.communicate(timeout=60)
    left_after_stop = sorted(str(p.relative_to(tmp)) for p in tmp.rglob("*"))
    shutil.rmtree(work, ignore_errors=True)
    return {"batches": batches, "rows": rows, "cpus": os.cpu_count(),
            "rss_mib": {"cold_start": _mib(cold), "warm_start": _mib(warm),
                        "after_each": [_mib(k) for k in after], "end": _mib(end),
                        "batch_process_max": _mib(peak[0])},
            "end_over_warm_start": round(end / warm, 3),
            "seconds_per_batch": [round(s, 1) for s in seconds],
            "zip_mb": round(max(sizes) / 1e6, 1) if sizes else 0,
            "left_after_downloads": left, "left_after_stop": left_after_stop}


def _mib(kib: int) -> float:
    return round(kib / 1024, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--batches", type=int, default=10)
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--json", type=Path, help="Also write the results as JSON.")
    args = parser.parse_args()
    results = run(max(1, min(args.batches, 20)), max(1, min(args.rows, 5000)))
    memory = results["rss_mib"]
    print(f"standardgen desk, {results['batches']} batches of {results['rows']} rows on "
          f"127.0.0.1, {results['cpus']} CPUs (shared machine: times are noisy)")
    print(f"  desk memory (RSS) cold start {memory['cold_start']} MiB, warmed up "
          f"{memory['warm_start']} MiB, after each batch {memory['after_each']} MiB, end "
          f"{memory['end']} MiB: {results['end_over_warm_start']}x the warmed-up start "
          f"(limit {LIMIT}x)")
    print(f"  a batch's own process at most {memory['batch_process_max']} MiB; seconds per batch "
          f"{results['seconds_per_batch']}; zip {results['zip_mb']} MB")
    print(f"  left in the temporary folder after the downloads: "
          f"{len(results['left_after_downloads'])}, after the desk stopped: "
          f"{len(results['left_after_stop'])}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    if (results["end_over_warm_start"] > LIMIT or results["left_after_downloads"]
            or results["left_after_stop"]):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
