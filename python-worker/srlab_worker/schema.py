"""A validator for the subset of JSON Schema that the generated training-config schema uses
(train_config.schema.json, written from the app's zod TrainConfig by `npm run gen:worker-schema`):
type, enum, minimum, maximum, exclusiveMinimum, exclusiveMaximum, minLength, items, required,
additionalProperties: false. The `jsonschema` package is not part of the worker's environment, and
this subset is small. A keyword outside it is refused at load, so a schema that starts using one
fails loudly here instead of being half-checked."""

from __future__ import annotations

import math
from typing import Any

SUPPORTED = {"$schema", "$comment", "type", "properties", "required", "additionalProperties", "default",
             "enum", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "items"}


def check_supported(schema: dict, where: str = "(root)") -> None:
    unknown = set(schema) - SUPPORTED
    if unknown:
        raise ValueError(f"{where}: JSON Schema keywords {sorted(unknown)} are not supported by srlab_worker.schema")
    for name, sub in (schema.get("properties") or {}).items():
        check_supported(sub, name)
    if isinstance(schema.get("items"), dict):
        check_supported(schema["items"], f"{where}[]")


def _is_type(value: Any, kind: str) -> bool:
    # bool is an int in Python, never a number in JSON Schema.
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool) or isinstance(value, float) and value.is_integer()
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if kind == "string":
        return isinstance(value, str)
    if kind == "array":
        return isinstance(value, list)
    if kind == "object":
        return isinstance(value, dict)
    raise ValueError(f"unsupported type {kind!r}")


_WORDS = {"boolean": "true or false", "integer": "an integer", "number": "a number", "string": "a string",
          "array": "a list", "object": "an object"}


def problems(schema: dict, value: Any, path: str = "") -> list[str]:
    """Every way `value` breaks `schema`, each naming the field ("lora_r: 0 is below the minimum 1")."""
    where = path or "(config)"
    kind = schema.get("type")
    if kind and not _is_type(value, kind):
        return [f"{where}: expected {_WORDS.get(kind, kind)}, got {value!r}"]
    out: list[str] = []
    if "enum" in schema and value not in schema["enum"]:
        out.append(f"{where}: {value!r} is not one of {', '.join(sorted(map(str, schema['enum'])))}")
    if "minimum" in schema and value < schema["minimum"]:
        out.append(f"{where}: {value!r} is below the minimum {schema['minimum']}")
    if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
        out.append(f"{where}: {value!r} must be greater than {schema['exclusiveMinimum']}")
    if "maximum" in schema and value > schema["maximum"]:
        out.append(f"{where}: {value!r} is above the maximum {schema['maximum']}")
    if "exclusiveMaximum" in schema and value >= schema["exclusiveMaximum"]:
        out.append(f"{where}: {value!r} must be less than {schema['exclusiveMaximum']}")
    if "minLength" in schema and len(value) < schema["minLength"]:
        out.append(f"{where}: {value!r} is shorter than {schema['minLength']}")
    if kind == "array" and isinstance(schema.get("items"), dict):
        for i, item in enumerate(value):
            out += problems(schema["items"], item, f"{where}[{i}]")
    if kind == "object":
        props = schema.get("properties") or {}
        for key in schema.get("required") or []:
            if key not in value:
                out.append(f"{path + '.' if path else ''}{key}: required")
        for key, item in value.items():
            name = f"{path}.{key}" if path else key
            if key in props:
                out += problems(props[key], item, name)
            elif schema.get("additionalProperties") is False:
                out.append(f"{name}: unknown key")
    return out
