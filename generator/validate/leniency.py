"""Defects of published specs that do not change what code means: warnings, not errors.

Other generators (datamodel-code-generator, openapi-python-client) generate from specs with
these, so specgen does too, saying what it did about each:

  SG311 warning  a `default` that does not match its schema: generated code has no default
                 there (it is dropped from the document generation reads)
  SG312 warning  an `example`/`examples` value that does not match its schema (data only)
  SG313 warning  a keyword OpenAPI does not define in that place (ignored by generation)
  SG314 warning  a `required` or `enum` list that holds an item more than once (read once)
  SG315 warning  a `pattern` Python's `re` cannot compile (ECMA-262 syntax such as `\\p{L}`,
                 common in AWS specs; the lint finds it, validate/patterns.py): generated
                 code does not check it (dropped from the document generation reads)
  SG316 warning  a schema typed only `null` beside a `oneOf`/`anyOf` of other types, which no
                 value meets (vercel's spec): read as null or one of them (the lint finds
                 it; normalise.py reads it so)
  SG317 warning  `enum` values the schema's `type` rejects (enode's `{override: true}` in a
                 string enum): left out, as no value can be both (the lint finds them;
                 normalise.py drops them)
  SG412 warning  a discriminator mapping that names no schema (the lint pass finds it): the
                 union is generated without the discriminator (members are told apart by
                 validation)

`--strict` (or `strict = true`) makes every finding an error again, for teams that lint their
own spec. What the validator reports beyond these stays SG310, an error unless
`--allow-invalid`.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterable
from typing import Any, Final

from generator.diagnostics import Diagnostic, Severity
from generator.pointers import join_pointer, lookup_pointer, split_pointer
from generator.validate.schemas import SchemaWalk

# How the meta-schemas reject a keyword: 3.1 (unevaluated/additional properties) and 3.0
# (a name that is neither a keyword nor an `x-` extension).
_UNEXPECTED: Final = re.compile(
    r"(Additional|Unevaluated) properties are not allowed|does not match any of the "
    r"regexes: '\^x-'"
)
_NOT_UNIQUE: Final = "has non-unique elements"
_DATA: Final = frozenset({"example", "examples"})


@dataclasses.dataclass(frozen=True)
class Repairs:
    """What generation reads differently: `default`s dropped, `required` and `enum` lists
    deduplicated, discriminators and patterns dropped (pointers of the schema nodes)."""

    defaults: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    enums: tuple[str, ...] = ()
    discriminators: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()


def _schema_owner(pointer: str, schemas: frozenset[str], key: str) -> str | None:
    """The schema whose `key` (default, required) `pointer` is at or inside, if any."""
    tokens = split_pointer(pointer)
    for index in range(len(tokens) - 1, -1, -1):
        if tokens[index] != key:
            continue
        owner = join_pointer("", *tokens[:index])
        if owner in schemas:
            return owner
    return None


def _is_data(pointer: str) -> bool:
    """At or inside an `example`/`examples` value (a property named so is a schema)."""
    tokens = split_pointer(pointer)
    return any(
        t in _DATA and (i == 0 or tokens[i - 1] != "properties") for i, t in enumerate(tokens)
    )


def classify(findings: Iterable[Diagnostic], walk: SchemaWalk) -> tuple[list[Diagnostic], Repairs]:
    """The findings, with the validator's SG310s that change nothing a generator relies on
    turned into their own warning codes, and what generation must read differently."""
    schemas = frozenset(item.pointer for item in walk.nodes)
    out: list[Diagnostic] = []
    defaults: list[str] = []
    required: list[str] = []
    enums: list[str] = []
    discriminators: list[str] = []
    patterns: list[str] = []
    for found in findings:
        pointer = found.location.pointer if found.location else ""
        if found.code == "SG315":  # the lint's (validate/patterns.py)
            patterns.append(pointer.removesuffix("/pattern"))
            out.append(found)
            continue
        if found.code == "SG412":
            discriminators.append(pointer.split("/discriminator/", 1)[0])
            out.append(dataclasses.replace(found, severity=Severity.WARNING))
            continue
        if found.code != "SG310":
            out.append(found)
            continue
        owner = _schema_owner(pointer, schemas, "default")
        if owner is not None:
            defaults.append(owner)
            out.append(_warn(found, "SG311", "the default is ignored: no default is generated"))
        elif _is_data(pointer):
            out.append(_warn(found, "SG312", "an example is data: nothing is generated from it"))
        elif _NOT_UNIQUE in found.message and pointer.endswith("/required"):
            required.append(pointer.removesuffix("/required"))
            out.append(_warn(found, "SG314", "each property is required once"))
        elif _NOT_UNIQUE in found.message and pointer.removesuffix("/enum") in schemas:
            enums.append(pointer.removesuffix("/enum"))
            out.append(_warn(found, "SG314", "each value is allowed once"))
        elif _ITEM_SCHEMA in found.message and "/content/" in pointer:
            continue  # OpenAPI 3.2's item schema of a streamed media type: generation reads it
        elif _UNEXPECTED.search(found.message):
            out.append(_warn(found, "SG313", "the keyword is ignored"))
        else:
            out.append(found)
    repairs = Repairs(
        defaults=tuple(dict.fromkeys(defaults)),
        required=tuple(dict.fromkeys(required)),
        enums=tuple(dict.fromkeys(enums)),
        discriminators=tuple(dict.fromkeys(discriminators)),
        patterns=tuple(dict.fromkeys(patterns)),
    )
    return out, repairs


_ITEM_SCHEMA = "('itemSchema' was unexpected)"


def _warn(found: Diagnostic, code: str, what: str) -> Diagnostic:
    return dataclasses.replace(
        found,
        severity=Severity.WARNING,
        code=code,
        message=f"{found.message} ({what})",
        hint="fix the spec (--strict makes this an error); other generators accept it too",
    )


def repair(document: dict[str, Any], repairs: Repairs) -> None:
    """Apply `repairs` to the document generation reads (pointers are the same as in the
    document that was validated: both are copies of one source)."""
    for pointer in repairs.defaults:
        node = lookup_pointer(document, pointer)
        if isinstance(node, dict):
            node.pop("default", None)
    for pointer in repairs.required:
        node = lookup_pointer(document, pointer)
        if isinstance(node, dict) and isinstance(node.get("required"), list):
            node["required"] = list(dict.fromkeys(node["required"]))
    for pointer in repairs.enums:
        node = lookup_pointer(document, pointer)
        if isinstance(node, dict) and isinstance(node.get("enum"), list):
            node["enum"] = _unique(node["enum"])
    for pointer in repairs.discriminators:
        node = lookup_pointer(document, pointer)
        if isinstance(node, dict):
            node.pop("discriminator", None)
    for pointer in repairs.patterns:
        node = lookup_pointer(document, pointer)
        if isinstance(node, dict):
            node.pop("pattern", None)


def _unique(values: list[Any]) -> list[Any]:
    """`values` without repeats, first kept; equal as JSON (`true` is not `1`)."""
    seen: set[str] = set()
    kept = []
    for value in values:
        key = json.dumps(value, sort_keys=True)
        if key not in seen:
            seen.add(key)
            kept.append(value)
    return kept
