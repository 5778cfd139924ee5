"""The package as a municipality gets it: the sdist and wheel built from this checkout, the wheel
installed into a fresh virtual environment outside the checkout, and every command run in an
empty folder with no STANDARDGEN_* variable, no PYTHONPATH and nothing of this repository in
reach.

To stay fast and off the network, the new environment has no pip and no dependencies of its
own: a ``.pth`` file appends the test environment's site-packages to its path (after its own, so
the installed wheel is what ``import standardgen`` finds; the test checks that), and the wheel is
installed with ``pip --python NEW install --no-deps``. The test environment's own standardgen is
an editable install whose finder is a ``.pth`` file, which Python does not read from a folder
added that way.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, without_info

pytestmark = pytest.mark.slow

FILLED_TOWN = {
    "name": "Testby Kommune", "street": "Rådhuspladsen 1", "postcode": "9999", "city": "Testby",
    "phone": "1234 5678", "email": "post@testby.dk", "web": "https://testby.dk",
    "accessibility_statement": "https://www.was.digst.dk/testby-dk",
}


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out),
                           str(ROOT)], check=True, capture_output=True, text=True, cwd=ROOT)
    (out / "build.log").write_text(done.stdout + done.stderr, encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def installed(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """bin/ of a fresh virtual environment holding the wheel."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    own = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()"
                          "['purelib'])"], check=True, capture_output=True, text=True)
    deps = sysconfig.get_paths()["purelib"]  # this test environment's dependencies
    (Path(own.stdout.strip()) / "test-dependencies.pth").write_text(deps + "\n")
    wheel = next(dist.glob("standardgen-*.whl"))
    # Without PYTHONPATH: where it names a checkout's src/ (as .ci/selfcontained does), pip would
    # find standardgen already "installed" there and install nothing.
    clean = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
                    "--no-deps", "--no-index", str(wheel)], check=True, capture_output=True,
                   env=clean)
    assert (venv / "bin" / "standardgen").is_file(), "pip did not install the wheel"
    return venv / "bin"


def _env(bin_dir: Path, home: Path) -> dict[str, str]:
    keep = {"PATH", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT"}
    env = {k: v for k, v in os.environ.items() if k in keep}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env["HOME"] = str(home)
    return env


def _run(bin_dir: Path, cwd: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(bin_dir / "standardgen"), *map(str, args)], cwd=cwd,
                          env=_env(bin_dir, cwd), capture_output=True, text=True, timeout=600)


def test_the_wheel_carries_templates_data_and_licences(dist: Path) -> None:
    with zipfile.ZipFile(next(dist.glob("*.whl"))) as wheel:
        names = set(wheel.namelist())
    for folder in ("templates", "src/standardgen/data"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and path.suffix not in (".py", ".pyc"):
                inside = path.relative_to(ROOT / folder).as_posix()
                prefix = "standardgen/templates/" if folder == "templates" else "standardgen/data/"
                assert prefix + inside in names, inside
    assert "standardgen-0.1.0.dist-info/licenses/LICENSE" in names
    assert "standardgen/templates/site/static/fonts/OFL.txt" in names
    with tarfile.open(next(dist.glob("*.tar.gz"))) as sdist:
        in_sdist = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    assert {"LICENSE", "setup.py", "templates/letter/letter.typ",
            "src/standardgen/data/profiles/serviceloven.yaml",
            "src/standardgen/data/profiles/sel-85.yaml",
            "src/standardgen/data/letter_kinds.yaml"} <= in_sdist
    # The licence as an SPDX string: no deprecation warning from setuptools any more.
    assert "deprecat" not in (dist / "build.log").read_text(encoding="utf-8").lower()


def test_installed_standardgen_works_in_an_empty_folder(installed: Path, tmp_path: Path) -> None:
    probe = subprocess.run([str(installed / "python"), "-c", "import standardgen.core."
                            "templates as t; print(t.__file__); print(t.builtin_templates())"],
                           cwd=tmp_path, env=_env(installed, tmp_path), capture_output=True,
                           text=True, check=True).stdout.split()
    assert all(str(installed.parent) in line for line in probe), probe  # not this checkout

    version = _run(installed, tmp_path, "--version")
    assert version.stdout == "standardgen 0.1.0\n"

    init = _run(installed, tmp_path, "init", "kommune", "--municipality", "Testby")
    assert init.returncode == 0, init.stderr
    repo = tmp_path / "kommune"
    check = _run(installed, repo, "check", "--format", "json")
    assert check.returncode == 1
    assert {p["code"] for p in json.loads(check.stdout)} == {"guidance"}
    build = _run(installed, repo, "build")
    assert build.returncode == 1 and not (repo / "output" / "site").exists()
    assert "vejledningen skal erstattes" in build.stdout and "Traceback" not in build.stderr

    _fill_in(repo / "standards")
    check = _run(installed, repo, "check", "--strict")
    assert (check.returncode, without_info(check.stdout)) == (0, ""), check.stdout
    assert "Kontrollerede 1 standard i standards" in check.stderr

    build = _run(installed, repo, "build")
    assert build.returncode == 0, build.stdout + build.stderr
    site = repo / "output" / "site"
    assert {"index.html", "ny-standard/ny-standard.pdf", "ny-standard/ny-standard.docx"} <= {
        p.relative_to(site).as_posix() for p in site.rglob("*")}
    assert "Testby Kommune" in (site / "index.html").read_text(encoding="utf-8")

    case = _write_case(repo / "sager" / "sag.yaml")
    letter = _run(installed, repo, "letter", case, "--out", "breve")
    assert letter.returncode == 0, letter.stdout + letter.stderr
    assert sorted(p.name for p in (repo / "breve").iterdir()) == ["2026-1.docx", "2026-1.pdf"]
    form = _run(installed, repo, "form", case, "--out", "skemaer")
    assert form.returncode == 0, form.stdout + form.stderr
    assert len(list((repo / "skemaer").glob("2026-1-opfoelgning.*"))) == 2

    old = repo / "gammel.yaml"
    new = repo / "standards" / "ny-standard.yaml"
    old.write_text(new.read_text(encoding="utf-8"), encoding="utf-8")
    new.write_text(new.read_text(encoding="utf-8").replace(
        "Formålet er at give borgeren", "Formålet er at sikre borgeren"), encoding="utf-8")
    diff = _run(installed, repo, "diff", old, new)
    assert diff.returncode == 0, diff.stderr
    assert "## Formål (ændret)" in diff.stdout
    assert "[-give-]" in diff.stdout and "{+sikre+}" in diff.stdout


def test_a_municipality_override_wins_in_the_installed_package(installed: Path,
                                                               tmp_path: Path) -> None:
    assert _run(installed, tmp_path, "init", ".", "--municipality", "Testby").returncode == 0
    _fill_in(tmp_path / "standards")
    own = tmp_path / "templates" / "site"
    own.mkdir(parents=True)
    base = _builtin(installed, "site/base.html")
    (own / "base.html").write_text(base.replace("<body>", "<body><p>Testbys egen ramme</p>"),
                                   encoding="utf-8")
    build = _run(installed, tmp_path, "build")
    assert build.returncode == 0, build.stdout + build.stderr
    page = (tmp_path / "output" / "site" / "index.html").read_text(encoding="utf-8")
    assert "Testbys egen ramme" in page


def _builtin(bin_dir: Path, name: str) -> str:
    return subprocess.run(
        [str(bin_dir / "python"), "-c", "import sys; from standardgen.core.templates import "
         "builtin_templates as b; sys.stdout.write((b() / sys.argv[1]).read_text())", name],
        env=_env(bin_dir, bin_dir), capture_output=True, text=True, check=True).stdout


# --- filling in the scaffold as a policy officer would ----------------------------------------

_MARKER = re.compile(r"\[\[VEJLEDNING:\s*(.*?)\]\]", re.S)


def _fill_in(standards: Path) -> None:
    town = next((standards / "municipalities").glob("*.yaml"))
    text = town.read_text(encoding="utf-8")
    for key, value in FILLED_TOWN.items():
        text = re.sub(rf"^(\s*{key}: )\"\[\[VEJLEDNING:[^\n]*$", rf'\g<1>"{value}"', text,
                      flags=re.M)
    town.write_text(text, encoding="utf-8")
    standard = standards / "ny-standard.yaml"
    text = standard.read_text(encoding="utf-8")
    text = re.sub(r"^(\s*url: )\"\[\[VEJLEDNING:[^\n]*$",
                  r'\g<1>"https://testby.dk/sagsbehandlingsfrister"', text, flags=re.M)
    text = re.sub(r"^(\s*paragraph: )\"\[\[VEJLEDNING:[^\n]*$", r'\g<1>"§ 104"', text, flags=re.M)
    text = _MARKER.sub(lambda m: _sentence(m.group(1)), text)
    standard.write_text(text, encoding="utf-8")


def _sentence(guidance: str) -> str:
    if guidance.startswith("Beskriv formålet"):
        return "Formålet er at give borgeren et meningsfuldt indhold i hverdagen."
    if guidance.startswith("udvalget"):
        return "Social- og sundhedsudvalget"
    if guidance.startswith("ydelsens navn"):
        return "Aktivitets- og samværstilbud"
    return "Testby Kommunes egen tekst."


def _write_case(path: Path) -> Path:
    path.parent.mkdir(parents=True)
    case = {
        "case_number": "2026-1", "standard": "ny-standard", "result": "bevilget",
        "decision_date": "2026-03-02",
        "citizen": {"name": "Anna Testesen", "cpr": "150385-0000",
                    "address": {"street": "Prøvevej 1", "postcode": "9999", "city": "Testby"}},
        "caseworker": {"name": "Birthe Eksempel", "phone": "1234 5679",
                       "email": "birthe@testby.dk"},
        "extent": {"days_per_week": 3, "provider": "Aktivitetshuset", "start_date": "2026-03-16"},
        "follow_up": {"due": "2027-03-01"},
    }
    path.write_text(yaml.safe_dump(case, allow_unicode=True), encoding="utf-8")
    return path


# --- README: the municipality's path, as written ------------------------------------------------

def readme_block(name: str) -> list[str]:
    """The commands of the README's ```sh block marked `<!-- path: NAME`, comments removed."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split(f"<!-- path: {name}", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    lines = [line.split("  #", 1)[0].strip() for line in block.splitlines() if line.strip()]
    assert lines, f"the README's block '<!-- path: {name}' holds no commands"
    return lines


def test_the_readme_municipality_path_works_as_written(installed: Path, tmp_path: Path) -> None:
    """Every line runs as written in an empty folder, with two stand-ins: `pip install
    standardgen` is the wheel the fixture installed (no index here), and `serve` gets `--port 0`
    (a shared machine may have 8000 taken) and is stopped once it has answered."""
    lines = readme_block("municipality")
    assert lines[0] == "pip install standardgen"
    cwd = tmp_path
    env = {**_env(installed, tmp_path), "GIT_AUTHOR_NAME": "Test", "GIT_COMMITTER_NAME": "Test",
           "GIT_AUTHOR_EMAIL": "test@testby.dk", "GIT_COMMITTER_EMAIL": "test@testby.dk"}
    for line in lines[1:]:
        if line.startswith("cd "):
            cwd = cwd / line.removeprefix("cd ")
        elif line == "standardgen serve":
            _serve_once(installed, cwd, env)
        else:
            done = subprocess.run(["bash", "-c", line], cwd=cwd, env=env, capture_output=True,
                                  text=True, timeout=300)
            expected = 1 if line == "standardgen check" else 0  # the guidance is still there
            assert done.returncode == expected, (line, done.stdout, done.stderr)
            if line == "standardgen check":
                assert all(": fejl: vejledningen skal erstattes" in problem
                           for problem in without_info(done.stdout).splitlines())
    assert (cwd / ".github/workflows/kvalitetsstandarder.yml").is_file()
    tracked = subprocess.run(["git", "ls-files"], cwd=cwd, env=env, capture_output=True,
                             text=True, check=True).stdout.split()
    assert "standards/ny-standard.yaml" in tracked and not any(
        name.startswith("output/") for name in tracked)


def _serve_once(bin_dir: Path, cwd: Path, env: dict[str, str]) -> None:
    import urllib.request

    server = subprocess.Popen([str(bin_dir / "standardgen"), "serve", "--port", "0"], cwd=cwd,
                              env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
                              text=True)
    try:
        assert server.stderr is not None
        url = ""
        for line in server.stderr:
            if line.startswith("Forhåndsvisning: "):
                url = line.split()[1]
                break
        assert url, "serve never said where it was"
        with urllib.request.urlopen(url, timeout=10) as response:
            page = response.read().decode("utf-8")
        # Nothing could be built yet (guidance left), so the page is the list of problems.
        assert 'role="alert"' in page and "vejledningen skal erstattes" in page
    finally:
        server.terminate()
        server.wait(timeout=30)
        if server.stderr is not None:
            server.stderr.close()
