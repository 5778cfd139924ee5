"""The follow-up → change-letter chain: a decision file built on a case and a follow-up record.

After a follow-up, the caseworker writes a short *decision file*: the letter kind (``aendring``
or ``ophoer``), the decision and its reasons, and two references::

    based_on: 2026-085-0001.yaml                      # the original case
    follow_up_record: 2026-085-0001-opfoelgning.yaml  # written by `standardgen form read`

Everything else comes from those two files: the citizen, the caseworker, the standard and the
case number from the case; the granted extent becomes ``previous_extent``; the record's
assessments become the first ``facts`` (worded by ``text.follow_up_facts`` in wording.yaml).
The result is an ordinary case document, validated like any other, so ``standardgen letter
decision.yaml`` writes the change letter. Paths are relative to the decision file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from standardgen.cases.record import FollowUpRecord
from standardgen.core import validation
from standardgen.core.codes import Code
from standardgen.core.problems import InputError, Problem, errors
from standardgen.core.yamlsource import Loc, Mark, YamlDocument, load_yaml

BASED_ON = "based_on"
RECORD = "follow_up_record"
# What a later decision takes from the original case; the rest is the decision's own.
INHERITED = ("case_number", "standard", "citizen", "caseworker", "channel")


def is_decision(document: YamlDocument) -> bool:
    return BASED_ON in document.data or RECORD in document.data


def resolve(document: YamlDocument) -> YamlDocument:
    """The full case of a decision file, or :class:`InputError` with located problems."""
    data = document.data
    problems: list[Problem] = []
    for key in (BASED_ON, RECORD):
        if not isinstance(data.get(key), str) or not data[key].strip():
            problems.append(document.problem((key,) if key in data else (), f"mangler '{key}': "
                                             "stien til " + ("den oprindelige sag" if key ==
                                                             BASED_ON else "opfølgningen fra "
                                                             "'standardgen form read'"),
                                             code=Code.CHAIN))
    if problems:
        raise InputError(problems)
    original = _load(document, BASED_ON)
    record = _record(document)
    return _merged(document, original, record)


def _path(document: YamlDocument, key: str) -> Path:
    return (document.path.parent / str(document.data[key]).strip()).resolve()


def _load(document: YamlDocument, key: str) -> YamlDocument:
    path = _path(document, key)
    if not path.is_file():
        raise InputError([document.problem((key,), f"filen '{document.data[key]}' findes ikke "
                                           "(stien regnes fra denne fil)", code=Code.CHAIN)])
    loaded = load_yaml(path)
    if errors(loaded.problems):
        raise InputError(errors(loaded.problems))
    return loaded


def _record(document: YamlDocument) -> FollowUpRecord:
    loaded = _load(document, RECORD)
    return validation.parse_valid(loaded, FollowUpRecord)


def _merged(decision: YamlDocument, original: YamlDocument,
            record: FollowUpRecord) -> YamlDocument:
    case_number = original.data.get("case_number")
    if str(record.case_number) != str(case_number):
        raise InputError([decision.problem((RECORD,), f"opfølgningen er fra sag "
                                           f"'{record.case_number}', men sagen er "
                                           f"'{case_number}'", code=Code.CHAIN)])
    own = {k: v for k, v in decision.data.items() if k not in (BASED_ON, RECORD)}
    data: dict[str, Any] = {k: original.data[k] for k in INHERITED if k in original.data}
    if "extent" in original.data:
        data["previous_extent"] = original.data["extent"]
    data.update(own)
    facts = record_facts(record)
    data["facts"] = [*facts, *_as_list(own.get("facts"))]
    # Inherited values are located on `based_on`, the record's facts on `follow_up_record`,
    # the decision's own values where they stand.
    anchor = decision.mark((BASED_ON,))
    value_marks: dict[Loc, Mark] = {(): decision.mark(())}
    for key in data:
        value_marks[(key,)] = anchor
    value_marks.update({loc: mark for loc, mark in decision.value_marks.items() if loc})
    for index in range(len(facts)):
        value_marks[("facts", index)] = decision.mark((RECORD,))
    own_facts = len(_as_list(own.get("facts")))
    for index in range(own_facts):
        value_marks[("facts", len(facts) + index)] = decision.mark(("facts", index))
    value_marks[("facts",)] = decision.mark(("facts",) if "facts" in own else (RECORD,))
    return YamlDocument(decision.path, data, value_marks, dict(decision.key_marks),
                        decision.problems)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def record_facts(record: FollowUpRecord) -> list[str]:
    """The follow-up's assessments as facts of the new decision, worded by wording.yaml."""
    from standardgen.cases.wording import load_wording
    from standardgen.core.dates import long_date
    from standardgen.core.templates import templates_dir

    wording = load_wording(templates_dir())
    values: dict[str, Any] = {"record": record, "meeting_date": long_date(record.meeting_date)}
    facts = []
    for key, value in (("overall", record.overall_assessment),
                       ("citizen", record.citizen_assessment),
                       ("provider", record.provider_status)):
        if value:
            facts.append(wording.say(f"follow_up_facts.{key}", {**values, "text": value}))
    for goal in record.goals:
        if goal.status or goal.current_level is not None:
            facts.append(wording.say("follow_up_facts.goal", {**values, "goal": goal}))
    return facts
