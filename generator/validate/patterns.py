"""Schema patterns generated code could not compile (SG315), read leniently.

JSON Schema patterns are ECMA-262 regular expressions, and generated code compiles them with
three engines: Python's `re` (the mock, fuzzing), pydantic-core's Rust `regex` crate (models;
datamodel-code-generator switches a model to Python's `re` for lookarounds) and jsonschema-rs
(servers' request checks); openapi-spec-validator checks each as JSON Schema's `format: regex`
(jsonschema-rs's ECMA-262 check). Published specs use syntax one of them lacks: Unicode
property escapes (`\\p{L}`, all over AWS's specs) and a class range ECMA reads as a literal
dash (`[\\w- ]`) that Python refuses, a `[` inside a class (`[[A-Z0-9]`) that the Rust crate
refuses, a POSIX class (`[[:alnum:]]`, AWS) that ECMA-262 refuses (and Python reads as a set
of characters). The validator refused the first and the last kind; the others made a
models.py that failed to import. Each is now a warning, and the pattern is dropped from the
document generation reads (`leniency.Repairs.patterns`): no generated code compiles it, and
none checks it, which the warning says. The validator reads its copy without them.
"""

from __future__ import annotations

import re
import warnings
from functools import lru_cache
from typing import Any

from generator.diagnostics import Severity
from generator.pointers import join_pointer
from generator.validate.lint_context import LintContext
from generator.validate.schemas import SchemaWalk

# What makes datamodel-code-generator give a model Python's `re` (the Rust crate has none).
_LOOKAROUND = re.compile(r"\(\?<?[=!]")


@lru_cache(maxsize=4096)
def refusal(pattern: str) -> str | None:
    """Which engine of generated code cannot compile `pattern` ("Python's re", ...), if any."""
    try:
        with warnings.catch_warnings():  # a FutureWarning for `[[` ("possible nested set")
            warnings.simplefilter("ignore")
            re.compile(pattern)
    except (re.error, RecursionError, OverflowError):
        return "Python's re"
    # Imported here: only a spec with patterns pays for them (about 15 ms together).
    import jsonschema_rs
    from pydantic_core import SchemaError, SchemaValidator, core_schema

    if _LOOKAROUND.search(pattern) is None:
        try:
            SchemaValidator(core_schema.str_schema(pattern=pattern))
        except SchemaError:
            return "pydantic's Rust regex"
    try:
        jsonschema_rs.Draft202012Validator({"pattern": pattern})
    except ValueError:  # jsonschema_rs.ValidationError is one
        return "jsonschema-rs"
    if not _regex_format().is_valid(pattern):
        # openapi-spec-validator checks `pattern` as `format: regex` with this (ECMA-262):
        # a POSIX class (`[[:alnum:]]`, AWS) passes every engine above and fails here. Python
        # reads it as a set of characters, so it means something else there anyway.
        return "ECMA-262's (JSON Schema's regex format)"
    return None


@lru_cache(maxsize=1)
def _regex_format() -> Any:
    import jsonschema_rs

    return jsonschema_rs.Draft4Validator({"format": "regex"}, validate_formats=True)


def check_patterns(ctx: LintContext) -> None:
    """SG315 (warning): a schema's `pattern` an engine of generated code cannot compile, or
    that is no string at all (`pattern: 0`)."""
    for item in ctx.walk.nodes:
        if "pattern" not in item.node:
            continue
        pattern = item.node["pattern"]
        if not isinstance(pattern, str):
            message = f"pattern {pattern!r} is not a string: generated code does not check it"
        elif (engine := refusal(pattern)) is not None:
            message = (
                f"pattern {pattern!r} is not a regular expression {engine} reads (ECMA-262 "
                "syntax such as \\p{L}, or a nested class): generated code does not check it"
            )
        else:
            continue
        hint = "write it as a string in the syntax all read (\\p{L}: a class of the letters)"
        ctx.report(Severity.WARNING, "SG315", join_pointer(item.pointer, "pattern"), message, hint)


def drop_refused_patterns(walk: SchemaWalk) -> None:
    """Remove, in place, the patterns `check_patterns` reports (the validator's copy: it
    would refuse those Python's `re` cannot compile, and the schemas that hold them)."""
    for item in walk.nodes:
        pattern = item.node.get("pattern")
        if "pattern" in item.node and (not isinstance(pattern, str) or refusal(pattern)):
            del item.node["pattern"]
