"""Letter batches: bad rows, the process pool, kill and re-run, progress output."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import child_pids
from standardgen.cli import main
from standardgen.letters.sample import multiply_csv

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_CSV = ROOT / "examples" / "cases" / "batch.csv"
STANDARDS = ROOT / "standards"
FULL_CPR = re.compile(r"\b\d{6}-\d{4}\b")


def _rows(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def _write_rows(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_bad_rows_are_reported_and_good_rows_written(tmp_path: Path) -> None:
    header, granted, partly, refused = _rows(EXAMPLE_CSV)
    cells = refused.split(";")
    no_reasons = ";".join([*cells[:19], "", "", *cells[21:]]).replace("0103", "0201")
    cells = granted.split(";")
    no_extent = ";".join([*cells[:15], "", "", "", *cells[18:]]).replace("0101", "0202")
    unused = ";".join([*refused.split(";")[:15], "3", "X", "2026-06-01",
                       *refused.split(";")[18:]]).replace("0103", "0203")
    batch = _write_rows(tmp_path / "batch.csv",
                        [header, granted, no_reasons, partly, no_extent, unused, refused])
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["letter", str(batch), "--standards", str(STANDARDS),
                                       "--out", str(out), "--jobs", "1"])
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    # Missing data: row 3 lacks both facts and considerations; row 5 lacks the extent.
    assert any(":3:1: fejl: Hovedhensyn bag afgørelsen: skal udfyldes" in line
               for line in lines), lines
    assert any(":3:1: fejl: De konkrete oplysninger, der har vægtet: skal udfyldes" in line
               for line in lines)
    assert any(":5:1: fejl: Indhold og omfang: skal udfyldes" in line for line in lines)
    # Additional data: row 6 is an afslag with an extent; located at the first extent column.
    assert any(":6:16: fejl: Indhold og omfang: er udfyldt, men et brev om afslag" in line
               for line in lines)
    written = sorted(p.name for p in out.iterdir())
    assert written == sorted(f"2026-104-{n}.{f}" for n in ("0101", "0102", "0103")
                             for f in ("pdf", "docx"))
    assert "3 af 6 breve skrevet" in result.output


def test_unknown_column_is_reported(tmp_path: Path) -> None:
    header, *rows = _rows(EXAMPLE_CSV)
    batch = _write_rows(tmp_path / "batch.csv",
                        [header + ";citizen.phone", *(row + ";12345678" for row in rows)])
    result = CliRunner().invoke(main, ["letter", str(batch), "--standards", str(STANDARDS),
                                       "--out", str(tmp_path / "out"), "--jobs", "1"])
    assert result.exit_code == 1
    assert ":1:27: fejl: ukendt kolonne 'citizen.phone'" in result.output


def _valid_outputs(out: Path) -> list[Path]:
    """Every file in ``out``; each must be a whole PDF or Word file."""
    files = sorted(out.iterdir())
    for path in files:
        assert not path.name.startswith("."), f"temporary file left: {path.name}"
        data = path.read_bytes()
        if path.suffix == ".pdf":
            assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF"), path.name
        else:
            with zipfile.ZipFile(path) as package:
                assert package.testzip() is None
                assert "word/document.xml" in package.namelist()
    return files


def _start(batch: Path, out: Path, jobs: int = 2) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "standardgen", "letter", str(batch), "--standards",
         str(STANDARDS), "--out", str(out), "--jobs", str(jobs)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")})


def _wait_for_files(out: Path, count: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if out.is_dir() and sum(1 for _ in out.glob("*.pdf")) >= count:
            return
        time.sleep(0.01)
    pytest.fail("the batch did not start writing letters")


@pytest.mark.slow
@pytest.mark.parametrize(("sig", "jobs"), [(signal.SIGTERM, 2), (signal.SIGTERM, 1),
                                         (signal.SIGKILL, 2)])
def test_killed_batch_leaves_whole_files_and_rerun_completes(tmp_path: Path, sig: int,
                                                             jobs: int) -> None:
    total = 600
    batch = multiply_csv(EXAMPLE_CSV, tmp_path / "batch.csv", total)
    out = tmp_path / "out"
    process = _start(batch, out, jobs)
    _wait_for_files(out, 50, process)
    os.killpg(process.pid, sig)  # the whole process group: the parent and its workers
    process.communicate(timeout=60)
    assert process.returncode != 0
    if sig == signal.SIGTERM:
        _valid_outputs(out)  # cleaned up after itself: no temporary files
    else:  # SIGKILL cannot be caught: at most a hidden temporary file is left, never a torn one
        assert all(p.name.startswith(".") or p.name.startswith("B-") for p in out.iterdir())
    done = sum(1 for _ in out.glob("*.pdf"))
    assert done < total, "the batch finished before it was killed; make it larger"
    rerun = _start(batch, out)
    stdout, stderr = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, stderr.decode()
    assert stdout == b""  # no problems; no progress bar when not on a terminal
    assert f"{total} af {total} breve skrevet".encode() in stderr
    assert len(_valid_outputs(out)) == 2 * total


@pytest.mark.slow  # several seconds: left out of `make quick`
def test_progress_bar_only_on_a_terminal(tmp_path: Path) -> None:
    script = shutil.which("script")
    if script is None:
        pytest.skip("util-linux 'script' is needed to run the command on a terminal")
    batch = multiply_csv(EXAMPLE_CSV, tmp_path / "batch.csv", 60)
    command = (f"{sys.executable} -m standardgen letter {batch} --standards {STANDARDS} "
               f"--out {tmp_path / 'out'} --format docx --jobs 1")
    on_tty = subprocess.run([script, "-qec", command, "/dev/null"], capture_output=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT / "src")}, timeout=120)
    assert on_tty.returncode == 0, on_tty.stdout
    screen = on_tty.stdout.decode()
    assert "Skriver breve" in screen and "100%" in screen
    assert not FULL_CPR.search(screen)
    piped = subprocess.run(command.split(), capture_output=True, timeout=120,
                           env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert piped.returncode == 0
    assert piped.stdout == b""
    assert piped.stderr.decode().strip() == (
        f"60 af 60 breve skrevet til {tmp_path / 'out'}, 0 afvist: ingen fejl eller advarsler")


def test_broken_wording_is_a_located_error_not_a_traceback(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    wording = templates / "letter" / "wording.yaml"
    text = wording.read_text(encoding="utf-8")
    wording.write_text(text.replace("{{ law.fvl.access }}", "{{ law.fvl.acces }}"),
                       encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "STANDARDGEN_TEMPLATES": str(templates)}
    result = subprocess.run(
        [sys.executable, "-m", "standardgen", "letter", str(EXAMPLE_CSV), "--standards",
         str(STANDARDS), "--out", str(tmp_path / "out"), "--jobs", "1"],
        capture_output=True, timeout=120, env=env)
    output = result.stdout.decode() + result.stderr.decode()
    assert result.returncode == 1
    assert "Traceback" not in output
    assert output.count("wording.yaml: teksten 'text.access'") == 3  # one per case
    assert "acces" in output
    assert not FULL_CPR.search(output)


def test_a_duplicate_key_in_the_wording_stops_the_batch_before_any_letter(tmp_path: Path) -> None:
    # PyYAML would keep one of the two silently; a lawyer's edit must never be half-applied.
    from standardgen.letters.run import write_letters

    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    wording = templates / "letter" / "wording.yaml"
    text = wording.read_text(encoding="utf-8")
    wording.write_text(text.replace("deadlines:\n", "deadlines:\n  complaint_weeks: 2\n", 1),
                       encoding="utf-8")
    outcome = write_letters([EXAMPLE_CSV], [STANDARDS], tmp_path / "out", jobs=1,
                            templates=templates)
    [problem] = outcome.problems
    assert problem.code == "duplicate-key" and problem.file.endswith("wording.yaml")
    assert outcome.written == 0 and not (tmp_path / "out").exists()


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has exited; only its parent's wait is missing


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_killing_only_the_main_process_leaves_no_orphaned_workers(tmp_path: Path) -> None:
    batch = multiply_csv(EXAMPLE_CSV, tmp_path / "batch.csv", 600)
    out = tmp_path / "out"
    process = _start(batch, out)
    _wait_for_files(out, 30, process)
    workers = child_pids(process.pid)
    assert workers, "the batch runs no worker processes"
    os.kill(process.pid, signal.SIGKILL)  # only the main process, as `kill -9 PID` does
    process.wait(timeout=60)  # not communicate(): a live worker would hold the pipes open
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.1)
    left = [pid for pid in workers if _alive(pid)]
    for pid in left:  # do not leave them running after a failure
        os.kill(pid, signal.SIGKILL)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    process.stderr.close()
    assert not left, f"{len(left)} worker(s) outlived the main process"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_a_worker_killed_mid_batch_leaves_its_letters_to_the_main_process(tmp_path: Path) -> None:
    total = 600
    batch = multiply_csv(EXAMPLE_CSV, tmp_path / "batch.csv", total)
    out = tmp_path / "out"
    process = _start(batch, out)
    _wait_for_files(out, 50, process)
    workers = child_pids(process.pid)
    assert workers, "the batch runs no worker processes"
    for pid in workers:  # as the kernel's OOM killer would
        os.kill(pid, signal.SIGKILL)
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr.decode()
    assert "arbejdsproces stoppede uventet (kode -9); hovedprocessen skrev resten af brevene" in (
        stdout + stderr).decode()
    assert f"{total} af {total} breve skrevet".encode() in stderr
    assert len(_valid_outputs(out)) == 2 * total
