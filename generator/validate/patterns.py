"""Schema patterns Python's `re` cannot compile (SG315), read leniently.

JSON Schema patterns are ECMA-262 regular expressions. Published specs use its syntax that
Python's `re` lacks: Unicode property escapes (`\\p{L}`, all over AWS's specs), a class range
ECMA reads as a literal dash (`[\\w- ]`). openapi-spec-validator checks `format: regex` with
`re`, so it refused those specs, which other generators accept. Here each such pattern is a
warning, and it is dropped from the document generation reads (`leniency.Repairs.patterns`):
no model, server check, mock or fuzz run compiles it, so generated code never fails on it;
it is not checked either, which the warning says. The validator reads its copy without them.
"""

from __future__ import annotations

import re
from functools import lru_cache

from generator.diagnostics import Severity
from generator.pointers import join_pointer
from generator.validate.lint_context import LintContext
from generator.validate.schemas import SchemaWalk


@lru_cache(maxsize=4096)
def compiles(pattern: str) -> bool:
    """Whether Python's `re` compiles `pattern` (what the validator's `format: regex` asks)."""
    try:
        re.compile(pattern)
    except (re.error, RecursionError, OverflowError):
        return False
    return True


def check_patterns(ctx: LintContext) -> None:
    """SG315 (warning): a schema's `pattern` that Python's `re` cannot compile."""
    for item in ctx.walk.nodes:
        pattern = item.node.get("pattern")
        if isinstance(pattern, str) and not compiles(pattern):
            message = (
                f"pattern {pattern!r} is not a regular expression Python reads (ECMA-262 "
                "syntax such as \\p{L}): generated code does not check it"
            )
            hint = "rewrite it in the syntax both read (\\p{L}: a class of the letters meant)"
            ctx.report(
                Severity.WARNING, "SG315", join_pointer(item.pointer, "pattern"), message, hint
            )


def drop_uncompiled(walk: SchemaWalk) -> None:
    """Remove, in place, the patterns `check_patterns` reports (the validator's copy: it
    would refuse them, and the parent schemas that hold them)."""
    for item in walk.nodes:
        pattern = item.node.get("pattern")
        if isinstance(pattern, str) and not compiles(pattern):
            del item.node["pattern"]
