"""Training configuration. Its keys, types, limits and defaults are not written here: they come
from train_config.schema.json, generated from the app's zod TrainConfig
(src/shared/contracts/training.ts, where each key is documented) by `npm run gen:worker-schema`.
The TrainConfig dataclass is built from that schema at import, and every config is validated
against it, so the app, the form and the worker cannot disagree (tests/unit/worker/
worker-contract.test.ts fails when the committed schema is stale or this side reads it differently).
Keys are the SR_LLM authors' parameter names (their released code's TRAIN_PARAM_DICT and
TrainingArguments) where they had one."""

from __future__ import annotations

import copy
import dataclasses
import json
from pathlib import Path

from . import schema as jsonschema_subset
from .errors import WorkerError

PRESETS_DIR = Path(__file__).parent / "presets"
SCHEMA_FILE = Path(__file__).parent / "train_config.schema.json"
SCHEMA: dict = json.loads(SCHEMA_FILE.read_text())
jsonschema_subset.check_supported(SCHEMA)

_PY_TYPES = {"boolean": bool, "integer": int, "number": float, "string": str, "array": list}


def _field(spec: dict):
    if "default" not in spec:
        raise ValueError("every TrainConfig key needs a default in the zod schema (the worker fills missing keys with it)")
    default = spec["default"]
    if isinstance(default, (list, dict)):
        return dataclasses.field(default_factory=lambda d=default: copy.deepcopy(d))
    return dataclasses.field(default=default)


TrainConfig = dataclasses.make_dataclass(
    "TrainConfig",
    [(name, _PY_TYPES[spec["type"]], _field(spec)) for name, spec in SCHEMA["properties"].items()],
    namespace={"__module__": __name__},
)
TrainConfig.__doc__ = "One training run's settings; fields, defaults and limits from train_config.schema.json."


def schema_view() -> dict:
    """What this side reads from the schema, per key: type, default, limits, choices (the drift test compares it with the app's)."""
    cfg = TrainConfig()
    out = {}
    for f in dataclasses.fields(TrainConfig):
        spec = SCHEMA["properties"][f.name]
        out[f.name] = {"type": spec["type"], "default": getattr(cfg, f.name),
                       **{k: spec[k] for k in ("minimum", "maximum", "exclusiveMinimum", "enum") if k in spec}}
    return out


def validate_args(raw: dict) -> TrainConfig:
    """Build a TrainConfig, reporting every problem at once (never the first only), each naming its key."""
    if not isinstance(raw, dict):
        raise WorkerError("invalid-config", f"invalid training config: expected an object, got {raw!r}", "")
    problems = jsonschema_subset.problems(SCHEMA, raw)
    # Not expressible per key in the schema (as the app's resolveConfig checks it too).
    if raw.get("fp16") is True and raw.get("bf16") is True:
        problems.append("fp16, bf16: choose one mixed-precision dtype, not both")
    if problems:
        raise WorkerError("invalid-config", "invalid training config: " + "; ".join(problems), "fix these values (srlab train --set KEY=VALUE)")
    ints = {name for name, spec in SCHEMA["properties"].items() if spec["type"] == "integer"}
    return TrainConfig(**{k: int(v) if k in ints else v for k, v in raw.items()})


def load_preset(name: str) -> dict:
    path = PRESETS_DIR / f"{name}.json"
    if not path.is_file():
        known = ", ".join(p.stem for p in PRESETS_DIR.glob("*.json"))
        raise WorkerError("not-found", f'no preset "{name}"', f"known presets: {known}")
    return json.loads(path.read_text())
