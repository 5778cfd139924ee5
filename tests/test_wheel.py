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

import datetime as dt
import json
import os
import re
import shutil
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
    # The examples a new user starts from: one complete case per letter kind (issue 24).
    shipped = {p.relative_to(ROOT / "examples" / "solbakke").as_posix()
               for p in (ROOT / "examples" / "solbakke").rglob("*") if p.is_file()}
    assert {f"standardgen/examples/{name}" for name in shipped} <= names
    assert "standardgen/templates/new/guidance.yaml" in names
    with tarfile.open(next(dist.glob("*.tar.gz"))) as sdist:
        in_sdist = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    assert {"LICENSE", "setup.py", "templates/letter/letter.typ",
            "examples/solbakke/cases/2026-085-0005.yaml",
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
    path.parent.mkdir(parents=True, exist_ok=True)  # init writes sager/
    # Decided today: the scaffold's standard is approved the day init runs, and a letter quotes
    # only a version in force on its decision date.
    today = dt.date.today()
    case = {
        "case_number": "2026-1", "standard": "ny-standard", "result": "bevilget",
        "decision_date": today.isoformat(),
        "citizen": {"name": "Anna Testesen", "cpr": "150385-0000",
                    "address": {"street": "Prøvevej 1", "postcode": "9999", "city": "Testby"}},
        "caseworker": {"name": "Birthe Eksempel", "phone": "1234 5679",
                       "email": "birthe@testby.dk"},
        "extent": {"days_per_week": 3, "provider": "Aktivitetshuset",
                   "start_date": (today + dt.timedelta(days=14)).isoformat()},
        "follow_up": {"due": (today + dt.timedelta(days=365)).isoformat()},
    }
    path.write_text(yaml.safe_dump(case, allow_unicode=True), encoding="utf-8")
    return path


# --- the first push: the CI that init wrote, replayed as written (issue 24) ---------------------

# What the GitHub expressions in a `run:` step stand for in the municipality's repository.
_GITHUB = {"github.repository_owner": "testby",
           "github.event.repository.name": "kvalitetsstandarder"}
_ACTIONS = {"actions/checkout", "actions/setup-python", "actions/cache",
            "actions/upload-pages-artifact"}


@pytest.mark.parametrize("ci", ["github", "gitlab"])
def test_the_ci_that_init_writes_runs_green_as_written(installed: Path, tmp_path: Path,
                                                       ci: str) -> None:
    """``init`` from the installed wheel, the scaffold filled in, a commit through the hook; then
    the CI job's shell steps exactly as the file has them, in a clone in an empty folder with a
    new virtual environment (setup-python's, or the python image's) and nothing else installed:
    pip gets standardgen from ``.standardgen/`` and its dependencies from the package index."""
    env = _git_env(installed, tmp_path)
    done = _run(installed, tmp_path, "init", "kommune", "--municipality", "Testby", "--ci", ci)
    assert done.returncode == 0, done.stderr
    repo = tmp_path / "kommune"
    _fill_in(repo / "standards")
    for args in (["add", "."], ["commit", "-qm", "Kvalitetsstandarder"]):
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)
    work = tmp_path / "checkout"
    subprocess.run(["git", "clone", "-q", str(repo), str(work)], env=env, check=True)
    ci_env = _ci_env(tmp_path, ci)
    for name, script in (_github_steps(work) if ci == "github" else _gitlab_steps(work)):
        shell = ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script]
        step = subprocess.run(shell, cwd=work, env=ci_env, capture_output=True, text=True,
                              timeout=900)
        assert step.returncode == 0, (name, script, step.stdout[-3000:], step.stderr[-3000:])
    site = work / ("output/site" if ci == "github" else "public")
    assert "Testby Kommune" in (site / "index.html").read_text(encoding="utf-8")
    assert (site / "ny-standard" / "ny-standard.pdf").is_file()
    installed_from = subprocess.run([str(tmp_path / "ci-venv/bin/pip"), "show", "-f",
                                     "standardgen"], capture_output=True, text=True, env=ci_env)
    assert "Location: " + str(tmp_path / "ci-venv") in installed_from.stdout


def test_init_packs_the_installed_files_again_when_the_wheel_is_gone(
        dist: Path, tmp_path: Path) -> None:
    """pip's record names the wheel file it installed; once that file is gone, init packs the
    installed files into a wheel again: the same members with the same bytes."""
    original = next(dist.glob("standardgen-*.whl"))
    moved = tmp_path / "kopi" / original.name
    moved.parent.mkdir()
    shutil.copy(original, moved)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    own = subprocess.run([str(venv / "bin/python"), "-c", "import sysconfig; print(sysconfig."
                          "get_paths()['purelib'])"], check=True, capture_output=True, text=True)
    (Path(own.stdout.strip()) / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    clean = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin/python"), "install",
                    "--quiet", "--no-deps", "--no-index", str(moved)], check=True, env=clean)
    moved.unlink()
    done = _run(venv / "bin", tmp_path, "init", "k", "--municipality", "Testby", "--no-git")
    assert done.returncode == 0, done.stderr
    note = (tmp_path / "k/.standardgen/kilde.txt").read_text(encoding="utf-8")
    assert "pakket igen som hjul" in note
    repacked = tmp_path / "k/.standardgen" / original.name
    with zipfile.ZipFile(original) as a, zipfile.ZipFile(repacked) as b:
        members = {n: a.read(n) for n in a.namelist() if not n.endswith("RECORD")}
        assert members == {n: b.read(n) for n in b.namelist() if not n.endswith("RECORD")}
        record = b.read(next(n for n in b.namelist() if n.endswith("RECORD"))).decode()
    assert len(record.splitlines()) == len(members) + 1


def _git_env(bin_dir: Path, home: Path) -> dict[str, str]:
    env = _env(bin_dir, home)  # the installed standardgen on PATH: the hook runs it
    for name, value in (("NAME", "Test"), ("EMAIL", "test@testby.dk")):
        env[f"GIT_AUTHOR_{name}"] = env[f"GIT_COMMITTER_{name}"] = value
    return env


def _ci_env(tmp_path: Path, ci: str) -> dict[str, str]:
    """A CI runner's environment: a fresh virtual environment first on PATH, `sudo` (a GitHub
    runner has it without a password; we are root here, so it only runs its arguments), the
    variables the CI file reads, and this machine's pip settings (how it reaches the index)."""
    venv = tmp_path / "ci-venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    shims = tmp_path / "shims"
    shims.mkdir()
    if shutil.which("sudo") is None:
        (shims / "sudo").write_text('#!/bin/sh\nexec "$@"\n', encoding="utf-8")
        (shims / "sudo").chmod(0o755)
    keep = {k: v for k, v in os.environ.items() if k.startswith("PIP_") or k in ("LANG", "LC_ALL")}
    path = f"{venv / 'bin'}{os.pathsep}{shims}{os.pathsep}/usr/local/sbin:/usr/local/bin:" \
           "/usr/sbin:/usr/bin:/sbin:/bin"
    env = {**keep, "PATH": path, "HOME": str(tmp_path), "CI": "true",
           "DEBIAN_FRONTEND": "noninteractive"}
    if ci == "gitlab":
        env.update(CI_PAGES_URL="https://testby.gitlab.io/kvalitetsstandarder",
                   CI_COMMIT_BRANCH="main", CI_DEFAULT_BRANCH="main")
    return env


def _github_steps(work: Path) -> list[tuple[str, str]]:
    """The build job's `run:` steps, with the GitHub expressions they use filled in; the
    `uses:` steps are the runner's (checkout: the clone; setup-python: the venv; cache and the
    Pages upload change nothing the job checks)."""
    workflow = yaml.safe_load((work / ".github/workflows/kvalitetsstandarder.yml")
                              .read_text(encoding="utf-8"))
    steps = []
    for step in workflow["jobs"]["build"]["steps"]:
        if "uses" in step:
            assert step["uses"].split("@")[0] in _ACTIONS, step
            continue
        script = re.sub(r"\$\{\{\s*([\w.]+)\s*\}\}", lambda m: _GITHUB[m.group(1)], step["run"])
        assert "${{" not in script, script
        steps.append((step.get("name", script), script))
    assert [s["uses"] for s in workflow["jobs"]["publish"]["steps"]] == ["actions/deploy-pages@v4"]
    return steps


def _gitlab_steps(work: Path) -> list[tuple[str, str]]:
    """Each job in stage order, its before_script (or the default one) and script as one shell
    script, as the runner joins them; a job whose rules do not match the default branch is
    left out as GitLab would."""
    pipeline = yaml.safe_load((work / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert pipeline["default"]["image"].startswith("python:3.11")  # our venv's Python
    jobs = [(name, job) for name, job in pipeline.items()
            if isinstance(job, dict) and "stage" in job]
    jobs.sort(key=lambda item: pipeline["stages"].index(item[1]["stage"]))
    steps = []
    for name, job in jobs:
        for rule in job.get("rules", []):
            assert rule == {"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}, rule
        before = job.get("before_script", pipeline["default"]["before_script"])
        steps.append((name, "\n".join([*before, *job["script"]])))
    return steps


# --- the documentation: the municipality's path, as written -------------------------------------

def docs_block(page: str, name: str) -> list[str]:
    """The commands of the ```sh block marked `<!-- path: NAME` on docs/PAGE, comments removed;
    a page without the marker fails here, so a test can never pass on nothing."""
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    marker = f"<!-- path: {name}"
    assert marker in text, f"docs/{page} has no block marked {marker!r}"
    block = text.split(marker, 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    lines = [line.split("  #", 1)[0].strip() for line in block.splitlines() if line.strip()]
    assert lines, f"the block {name!r} on docs/{page} is empty"
    return lines


def test_the_documented_municipality_path_works_as_written(installed: Path,
                                                           tmp_path: Path) -> None:
    """Every line runs as written in an empty folder, with two stand-ins: `pipx install` of the
    wheel is the wheel the fixture installed (no index here), and `serve` gets `--port 0` (a
    shared machine may have 8000 taken) and is stopped once it has answered."""
    lines = docs_block("it/kommunens-arkiv.md", "municipality")
    assert lines[0] == "pipx install ./standardgen-0.1.0-py3-none-any.whl"
    cwd = tmp_path
    env = _git_env(installed, tmp_path)
    for line in lines[1:]:
        if line.startswith("cd "):
            cwd = cwd / line.removeprefix("cd ")
        elif line == "standardgen serve":
            _serve_once(installed, cwd, env)
        else:
            done = subprocess.run(["bash", "-c", line], cwd=cwd, env=env, capture_output=True,
                                  text=True, timeout=300)
            expected = 1 if line.startswith("standardgen check") else 0  # guidance is left
            assert done.returncode == expected, (line, done.stdout, done.stderr)
            if line.startswith("standardgen check"):
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
