"""JSON Schemas of the YAML formats, generated from the model so they never drift from it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from standardgen.cases.model import case_model
from standardgen.core.fileio import write_atomic
from standardgen.standards.model import Municipality, Standard
from standardgen.standards.profiles import service_profiles

# A case's extent follows the service profile of its standard: ``case.schema.json`` leaves the
# extent open, ``case-<profile>.schema.json`` (e.g. case-sel-85) checks it for that service type.
SCHEMAS: dict[str, type[BaseModel]] = {
    "standard": Standard,
    "municipality": Municipality,
    "case": case_model(None),
    **{f"case-{profile.name}": case_model(profile.name) for profile in service_profiles()},
}


def schema_of(kind: str) -> dict[str, Any]:
    schema = SCHEMAS[kind].model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def render(kind: str) -> str:
    return json.dumps(schema_of(kind), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_all(folder: Path) -> list[Path]:
    written = []
    for kind in SCHEMAS:
        target = folder / f"{kind}.schema.json"
        write_atomic(target, render(kind).encode())
        written.append(target)
    return written
