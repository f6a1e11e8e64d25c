"""The validate stage: version readings, lint rules, structural validation, normalisation.

    validate(spec, allow_invalid=False) -> Validated

Codes (all located at the JSON pointer of the offending node):
  SG300 error    `openapi` missing, not a string, or not 3.0.x / 3.1.x (Swagger 2.0 included)
  SG301 warning  a 3.1 document uses a 3.0 form (`nullable`, boolean exclusiveMinimum/Maximum)
  SG302 warning  a 3.0 document uses a 3.1 form (`type: "null"`, type lists, `const`,
                 numeric exclusiveMinimum/Maximum, schema `examples`)
  SG305 error    schemas nest deeper than MAX_SCHEMA_DEPTH, or anything deeper than
                 MAX_DOCUMENT_DEPTH (structural checks are then skipped)
  SG310 error    openapi-spec-validator finding (a warning with allow_invalid)
  SG311 warning  a `default` that does not match its schema (dropped: no default generated)
  SG312 warning  an example value that does not match its schema (a scalar schema's own
                 example is dropped from the document generation reads: examples.py)
  SG313 warning  a keyword OpenAPI does not define in that place (ignored)
  SG314 warning  a `required` or `enum` list holding an item twice (read once)
  SG315 warning  a `pattern` Python's `re` cannot compile (`\\p{L}`...): dropped, not checked
  SG316 warning  a schema typed only `null` beside a `oneOf`/`anyOf` of other types: read as
                 null or one of them (normalise.py)
  SG317 warning  `enum` values the schema's `type` rejects: left out (no value can be both)
  SG401 warning  operation without operationId (names the derived method name)
  SG402 error    duplicate operationId
  SG403 error    `{var}` in a path template without an `in: path` parameter
  SG404 error    an `in: path` parameter that is not in the path template
  SG405 warning  a path parameter without `required: true` (treated as required)
  SG406 error    `$ref` that does not resolve in the document, or is not local
  SG407 warning  spec names that collide as Python identifiers (operations, schema
                 classes, parameters of one operation, properties of one schema): the later
                 ones are suffixed or numbered (`get_user_operation`, `UserId2`)
  SG408 warning  one parameter name in two locations (arguments get a location suffix)
  SG409 error    the same parameter (name and `in`) twice in one list
  SG410 warning  request/response media type without typed generation: raw bytes
  SG411 error    a path template that names one variable twice
  SG412 warning  a discriminator mapping value that names no schema of the document (the
                 union is generated without the discriminator)
  SG413 warning  a webhook or callback whose path item has no operation: nothing generated

SG311-SG317 and SG412 are defects other generators accept (validate/leniency.py): generation
goes on, reading the spec the way its author meant it. `--strict` makes every warning an
error (generator.diagnostics.apply_policy).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from generator.diagnostics import Diagnostic, Location, Severity, error
from generator.load.spec import Spec
from generator.load.tree import deep_copy
from generator.pointers import lookup_pointer
from generator.validate import units
from generator.validate.examples import drop_refused, refused_examples
from generator.validate.leniency import Repairs, classify, repair
from generator.validate.lint import lint
from generator.validate.normalise import canonicalise, discriminator_values, for_validation
from generator.validate.patterns import drop_refused_patterns
from generator.validate.schemas import MAX_SCHEMA_DEPTH, SchemaWalk, schema_nodes, walk_schemas
from generator.validate.tree import too_deep
from generator.validate.versions import declared_version, mixing_diagnostics

# Past this, openapi-spec-validator (with the Python jsonschema backend) overflows the
# recursion limit even on plain data such as an `example` value.
MAX_DOCUMENT_DEPTH = 256
_SCHEMA_HINT = "name the inner schemas in components/schemas and refer to them with $ref"
_DATA_HINT = "flatten the nested value (an example or default?): it cannot be validated"


@dataclass(frozen=True)
class Validated:
    """The outcome of validation; the caller stops when `diagnostics` holds an error."""

    document: dict[str, Any]  # canonical form (see normalise.py), a copy of spec.document
    version: str  # "3.0" or "3.1" as declared; "" when SG300 reported it unsupported
    diagnostics: tuple[Diagnostic, ...]  # sorted by file, line, column, code


def validate(spec: Spec, *, allow_invalid: bool = False) -> Validated:
    before = prepare(spec)
    return finish(before, spec_validator(before), allow_invalid=allow_invalid)[0]


@dataclass(frozen=True)
class Prepared:
    """What validation found before openapi-spec-validator's pass (`spec_validator`), which
    may run elsewhere meanwhile (generator.validate.background)."""

    spec: Spec
    version: str
    walk: SchemaWalk  # of spec.document
    diagnostics: tuple[Diagnostic, ...]
    examples: tuple[str, ...]  # pointers of refused examples
    blocked: bool  # the validator cannot run (SG300, SG305, SG406 say why)


def prepare(spec: Spec) -> Prepared:
    """Every check but openapi-spec-validator's."""
    source = spec.document
    version, unsupported = declared_version(source, spec)
    if unsupported is not None:
        return Prepared(spec, "", walk_schemas({}), (unsupported,), (), True)

    source_walk = walk_schemas(source)
    diagnostics = [
        _too_deep(
            spec, root, deepest, f"schema nests more than {MAX_SCHEMA_DEPTH} levels", _SCHEMA_HINT
        )
        for root, deepest in source_walk.too_deep
    ]
    deep_data = None if diagnostics else too_deep(source, MAX_DOCUMENT_DEPTH)
    if deep_data is not None:
        where = "/".join(deep_data.split("/")[:4])
        what = f"document nests more than {MAX_DOCUMENT_DEPTH} levels"
        diagnostics.append(_too_deep(spec, where, deep_data, what, _DATA_HINT))
    diagnostics += mixing_diagnostics(source_walk.nodes, version, spec)
    diagnostics += lint(source, spec, source_walk)
    refused, examples = refused_examples(source_walk, spec)
    diagnostics += refused
    # The validator follows every $ref (it would stop at a broken one) and recurses per
    # schema level (it would overflow on deep ones): both are reported already.
    blocked = any(d.code in ("SG305", "SG406") for d in diagnostics)
    return Prepared(spec, version, source_walk, tuple(diagnostics), tuple(examples), blocked)


def spec_validator(
    before: Prepared, parts: Collection[str] | None = None, changed: Collection[str] = ()
) -> list[Diagnostic]:
    """openapi-spec-validator's findings (SG310), on a copy of the document; with `parts`,
    of the document with only those path items and components (validate/units.py), and of
    those not `changed` (found clean before) only what the others' references reach."""
    if before.blocked:
        return []
    # Imported here: a run whose validation happens in a child (or is reused) never loads
    # openapi-spec-validator and jsonschema in its own process (~0.2 s).
    from generator.validate.structural import check_structure

    document = before.spec.document
    if parts is not None:
        document = units.keep_only(document, parts)
    checked = deep_copy(document)
    checked_walk = walk_schemas(checked)
    for_validation(checked_walk, before.version)
    drop_refused_patterns(checked_walk)  # reported as SG315
    referred = set(parts) - set(changed) if parts is not None and changed else set()
    return check_structure(checked, before.version, checked_walk, before.spec, referred)


def finish(
    before: Prepared, found: Sequence[Diagnostic], *, allow_invalid: bool = False
) -> tuple[Validated, Repairs]:
    """The outcome with the validator's findings `found`, and the repairs that made its
    document (equal repairs: an equal document)."""
    source = before.spec.document
    if not before.version:
        return Validated(deep_copy(source), "", before.diagnostics), Repairs()
    # Defects that change nothing generation relies on become warnings (and repairs).
    diagnostics, repairs = classify([*before.diagnostics, *found], before.walk)
    diagnostics = [_allowed(d) if allow_invalid else _strict(d) for d in diagnostics]

    document = deep_copy(source)
    canonicalise(schema_nodes(document))
    discriminator_values(document)
    repair(document, repairs)
    for pointer in before.examples:
        node = lookup_pointer(document, pointer)
        if isinstance(node, dict):
            drop_refused(node)
    ordered = sorted(diagnostics, key=lambda d: (d.sort_key, d.location or Location("")))
    return Validated(document, before.version, tuple(ordered)), repairs


def _strict(found: Diagnostic) -> Diagnostic:
    if found.code != "SG310":
        return found
    return dataclasses.replace(
        found, hint=f"{found.hint}; or pass --allow-invalid to generate anyway"
    )


def _allowed(found: Diagnostic) -> Diagnostic:
    if found.code != "SG310":
        return found
    message = f"{found.message} (ignored: --allow-invalid)"
    return dataclasses.replace(found, severity=Severity.WARNING, message=message)


def _too_deep(spec: Spec, pointer: str, deepest: str, what: str, hint: str) -> Diagnostic:
    shown = deepest if len(deepest) <= 120 else f"{deepest[:57]}...{deepest[-60:]}"
    return error("SG305", f"{what} deep (at {shown})", hint, spec.locate(pointer))
