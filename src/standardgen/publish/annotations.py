"""Problems as CI annotations: GitHub Actions workflow commands and GitLab Code Quality JSON.

With these, ``standardgen check --format github|gitlab`` puts every problem on the YAML line it
concerns in the pull or merge request.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from standardgen.core.problems import Problem, Severity

FORMATS = ("github", "gitlab")


def render(fmt: str, problems: Iterable[Problem]) -> str:
    if fmt == "github":
        return "\n".join(github(problem) for problem in problems)
    if fmt == "gitlab":
        return gitlab(problems)
    raise ValueError(f"unknown annotation format: {fmt}")


def github(problem: Problem) -> str:
    """``::error file=…,line=…,col=…,title=…::message`` (a workflow command)."""
    data = problem.as_dict()
    kind = {Severity.ERROR: "error", Severity.INFO: "notice"}.get(problem.severity, "warning")
    properties = [f"file={_property(str(data['file']))}"]
    if problem.line:
        properties.append(f"line={problem.line}")
        if problem.column:
            properties.append(f"col={problem.column}")
    if problem.code:
        properties.append(f"title={_property(problem.code)}")
    return f"::{kind} {','.join(properties)}::{_data(str(data['message']))}"


def gitlab(problems: Iterable[Problem]) -> str:
    """A Code Quality report (``artifacts: reports: codequality``)."""
    report = []
    for problem in problems:
        data = problem.as_dict()
        fingerprint = hashlib.sha256(
            f"{data['file']}:{problem.line}:{problem.column}:{data['message']}".encode()
        ).hexdigest()
        report.append({
            "description": data["message"],
            "check_name": problem.code or "standardgen",
            "fingerprint": fingerprint,
            "severity": {Severity.ERROR: "major", Severity.INFO: "info"}.get(
                problem.severity, "minor"),
            "location": {"path": data["file"], "lines": {"begin": max(problem.line, 1)}},
        })
    return json.dumps(report, ensure_ascii=False, indent=2)


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
