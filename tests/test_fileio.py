"""fileio.write_all_atomic: many files, one wait for the disk, the guarantees of write_atomic."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from standardgen.core import fileio


def test_every_file_is_written_whole_with_its_mode_and_no_temporary_left(tmp_path: Path) -> None:
    files = [(tmp_path / f"{n}.pdf", bytes([n]) * 1000) for n in range(30)]
    assert fileio.write_all_atomic(files, mode=0o600) == [None] * 30
    for path, data in files:
        assert path.read_bytes() == data
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p, _ in files)


def test_a_file_that_cannot_be_written_is_reported_and_the_others_are_written(
        tmp_path: Path) -> None:
    (tmp_path / "blocked").write_text("a file, not a folder")
    files = [(tmp_path / "a.pdf", b"a"), (tmp_path / "blocked" / "b.pdf", b"b"),
             (tmp_path / "c.pdf", b"c")]
    errors = fileio.write_all_atomic(files)
    assert errors[0] is None and errors[2] is None
    assert isinstance(errors[1], OSError)
    assert (tmp_path / "a.pdf").read_bytes() == b"a" and (tmp_path / "c.pdf").read_bytes() == b"c"
    assert not list(tmp_path.glob(".*.tmp"))


def test_an_interrupted_write_leaves_no_temporary_and_no_half_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(path: Path) -> OSError | None:
        raise KeyboardInterrupt  # what SIGTERM's SystemExit does in a worker

    monkeypatch.setattr(fileio, "_sync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        fileio.write_all_atomic([(tmp_path / "a.pdf", b"a"), (tmp_path / "b.pdf", b"b")])
    assert list(tmp_path.iterdir()) == []


def test_nothing_to_write_is_fine(tmp_path: Path) -> None:
    assert fileio.write_all_atomic([]) == []
