"""What a generation was made from: the record the manifest keeps next to the file hashes.

It holds the hash of every spec file read (roots and `$ref`'d siblings), of the templates, the
specgen and datamodel-code-generator versions, the settings that shape the output, and a short
hash of each operation's IR and each model's schema. Paths are relative to the project root,
so the record does not depend on the working directory.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import fields
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from generator import __version__
from generator.cache.memo import Memo, memo_key
from generator.config import ApiConfig
from generator.fingerprint import code_hash, templates_hash
from generator.ir.digest import ir_digest
from generator.ir.model import Api, Operation
from generator.load.files import project_path


def short_hash(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@cache
def dcg_version() -> str:
    try:
        return version("datamodel-code-generator")
    except PackageNotFoundError:
        return "unknown"


def config_record(config: ApiConfig) -> dict[str, Any]:
    """The settings that shape one API's output: every field of its config but where the
    package goes (the output folder, the project root), paths relative to the project root."""

    def plain(value: Any) -> Any:
        if isinstance(value, Path):
            return project_path(value, config.root)
        if isinstance(value, tuple | list):
            return [plain(v) for v in value]
        return value if isinstance(value, str | int | float | bool) or value is None else str(value)

    skipped = {"output", "root"}
    return {f.name: plain(getattr(config, f.name)) for f in fields(config) if f.name not in skipped}


def generation_record(api: Api, config: ApiConfig, memo: Memo | None = None) -> dict[str, Any]:
    """The record of `api`'s package; `memo` keeps its operations' hashes (see
    `operation_hashes`)."""
    schemas = api.models_document.get("components", {}).get("schemas", {})
    return {
        "specgen": __version__,
        "datamodel_code_generator": dcg_version(),
        "templates": templates_hash(config.template_dirs),
        "config": config_record(config),
        "specs": {s.path: s.sha256 for s in api.sources},
        "operations": operation_hashes(api.operations, memo),
        "models": {str(s.name): short_hash(schemas.get(str(s.name))) for s in api.schemas},
    }


def operation_hashes(operations: Sequence[Operation], memo: Memo | None) -> dict[str, str]:
    """`short_hash(repr(op))` of each operation by its id. `repr` of a large IR is slow
    (Braintrust's 218 operations: 15 ms, most of the record), so `memo` keeps each hash by
    the operation's `ir_digest` (2 ms): an edit computes only the edited operation's."""
    if memo is None:
        return {op.operation_id: short_hash(repr(op)) for op in operations}
    key = memo_key("operation hashes", code_hash())
    kept = memo.get_table(key)
    table: dict[str, str] = {}
    hashes: dict[str, str] = {}
    for op in operations:
        digest = ir_digest(op)
        value = kept.get(digest) or short_hash(repr(op))
        table[digest] = hashes[op.operation_id] = value
    if table != kept:
        memo.put_table(key, table)
    return hashes
