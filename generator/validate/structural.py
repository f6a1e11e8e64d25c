# jsonschema ships no type information (types-jsonschema is not a project dependency).
# mypy: disable-error-code="import-untyped"
"""Structural validation with openapi-spec-validator: every error, located, in one line each.

The validator reports in two phases. First the whole document against the OpenAPI
meta-schema: errors carry an absolute path, but with the jsonschema-rs backend (picked when
installed) only that of the outer `oneOf`; we re-validate that node with the Python
jsonschema to find the innermost failure. Then per-object checks whose errors carry no
document path: a schema's meta-check (path relative to the schema), a `default` that does
not match its schema, duplicate operationIds, parameters and tags. We locate those
ourselves; the ones the lint pass reports with a location (SG402, SG403/SG404, SG409) are
dropped here.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator
from typing import Any, Final

from jsonschema.exceptions import ValidationError
from jsonschema.protocols import Validator
from jsonschema.validators import Draft202012Validator, validator_for
from jsonschema_path import SchemaPath
from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
from openapi_spec_validator.schemas import schema_v30, schema_v31
from openapi_spec_validator.validation.exceptions import (
    DuplicateOperationIDError,
    ExtraParametersError,
    ParameterDuplicateError,
    UnresolvableParameterError,
)

from generator.diagnostics import Diagnostic, error
from generator.load.refscan import is_literal
from generator.load.spec import Spec
from generator.pointers import MISSING, join_pointer, lookup
from generator.validate import units
from generator.validate.defaults import DefaultOwners
from generator.validate.schemas import SPEC_ANCHORS, SchemaWalk, object_kind
from generator.validate.speedups import quicken_subscriptable
from generator.validate.tree import short_repr

quicken_subscriptable()

_COVERED_BY_LINT = (DuplicateOperationIDError, ParameterDuplicateError, UnresolvableParameterError)
_ROOT_KEYS: Final = frozenset(
    "openapi info jsonSchemaDialect servers paths webhooks components security tags "
    "externalDocs".split()
)
_JSON_TYPES = (dict, list, str, int, float, bool, type(None))
_SPEC_URL = {
    "3.0": "https://spec.openapis.org/oas/v3.0.3",
    "3.1": "https://spec.openapis.org/oas/v3.1.0",
}


class _NoRetrieval(dict[str, Any]):
    """Resolver handlers for every URI scheme (the resolver falls back to urllib for schemes it
    has no handler for): each refuses. The loader makes every reference local, so only a
    `$ref` inside data (an example, a default) could make the validator look elsewhere, and
    specgen never reads files or fetches URLs that a spec names."""

    def __contains__(self, scheme: object) -> bool:
        return True

    def __missing__(self, scheme: str) -> Any:
        return _refuse


class RefusedRetrieval(Exception):
    """openapi-spec-validator tried to read a document a `$ref` names."""


def _refuse(uri: str) -> Any:
    raise RefusedRetrieval(f"refused to read {uri!r}")


def _drop_data_refs(document: dict[str, Any]) -> None:
    """Remove from the validator's copy the data values (examples, defaults, enums,
    extensions) that hold a `$ref` key: the validator would follow it as a reference."""
    stack: list[tuple[str, Any]] = [("", document)]
    while stack:
        pointer, node = stack.pop()
        members = list(node.items()) if isinstance(node, dict) else list(enumerate(node))
        for key, value in members:
            if not isinstance(value, dict | list):
                continue
            if isinstance(key, str) and is_literal(pointer, key, value):
                if _has_ref_key(value):
                    del node[key]
            else:
                stack.append((join_pointer(pointer, key), value))


def _has_ref_key(value: Any) -> bool:
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if "$ref" in node:
                return True
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


class _Locator:
    """Turns validator errors into (pointer, message) findings over one document."""

    def __init__(self, document: dict[str, Any], version: str, walk: SchemaWalk) -> None:
        self.document = document
        self.version = version
        self.walk = walk
        self.schema_ids = {id(item.node): item.pointer for item in walk.nodes}
        self.rechecked: dict[str, list[tuple[str, str]]] | None = None
        self.defaults = DefaultOwners(document, version, walk)
        self.used: set[str] = set()

    def findings(self, err: ValidationError) -> Iterator[tuple[str, str]]:
        tokens: list[str | int] = list(err.absolute_path)
        if self._is_absolute(err, tokens):
            leaf_tokens, leaf = self._refine(err, tokens)
            yield join_pointer("", *leaf_tokens), _message(leaf)
        elif isinstance(err.schema, dict) and id(err.schema) in self.schema_ids:
            # a `default` that its own schema rejects: the path is inside the default value
            if len(err.schema_path) > 1:  # failed further in: which schema holds it?
                found = self.defaults.owners(err)
                if found is not None:
                    yield from ((pointer, _clip(message)) for pointer, message in found)
                    return
            base = join_pointer(self.schema_ids[id(err.schema)], "default")
            yield join_pointer(base, *tokens), _message(err)
        elif isinstance(err, ExtraParametersError):
            names = sorted(set(re.findall(r"'([^']*)'", err.message)))
            pointer = self._extra_required(names)
            yield pointer, f"`required` lists properties no schema of its allOf defines: {names}"
        elif err.message.startswith("Duplicate tag name"):
            yield self._duplicate_tag(err.message), err.message
        elif not isinstance(err.instance, _JSON_TYPES):
            if "is not of type 'object', 'boolean'" not in err.message:  # phase 1 has these
                yield "", _clip(err.message.split("\n")[0])
        else:
            yield from self._recheck_schema(err, tokens)

    def _is_absolute(self, err: ValidationError, tokens: list[str | int]) -> bool:
        if err.instance is self.document:  # jsonschema-rs passes the whole document
            return True
        if not tokens or not (isinstance(tokens[0], str) and tokens[0] in _ROOT_KEYS):
            return False
        return lookup(self.document, tokens) is err.instance

    def _refine(
        self, err: ValidationError, tokens: list[str | int]
    ) -> tuple[list[str | int], ValidationError]:
        """The innermost failure under `err`, with its absolute path."""
        if err.context:
            leaf = _leaf(err)
            return list(leaf.absolute_path), leaf
        meta: dict[str, Any] = dict(schema_v30 if self.version == "3.0" else schema_v31)
        failing = lookup(meta, list(err.schema_path)[:-1])
        node = lookup(self.document, tokens)
        if not isinstance(failing, dict) or node is MISSING:
            return tokens, err
        keep = ("id", "$id", "$schema", "definitions", "$defs")
        root = {k: meta[k] for k in keep if k in meta} | failing
        errors = list(validator_for(root)(root).iter_errors(node))
        if not errors:
            return tokens, err
        leaf = _innermost(_leaf(e) for e in errors)
        return tokens + list(leaf.absolute_path), leaf

    def _recheck_schema(
        self, err: ValidationError, tokens: list[str | int]
    ) -> Iterator[tuple[str, str]]:
        """A schema failed its meta-check. The validator raises one error per schema, picked
        in hash order; so at the first one we check every schema ourselves, once, and
        report all their errors."""
        if self.rechecked is None:
            self.rechecked = {}
            checker = _meta_checker(self.version)
            for item in self.walk.nodes:
                # in 3.0 a `$ref` schema is a Reference Object: its siblings are ignored
                if item.depth == 0 and not (self.version == "3.0" and "$ref" in item.node):
                    leaves = sorted(
                        (join_pointer(item.pointer, *leaf.absolute_path), _message(leaf))
                        for leaf in map(_leaf, checker.iter_errors(item.node))
                    )
                    if leaves:
                        self.rechecked[item.pointer] = leaves
                        yield from leaves
        root = self._schema_root(err, tokens)
        if root is None or root not in self.rechecked:
            # invisible to plain JSON Schema (an OpenAPI keyword): keep the validator's word
            yield join_pointer(root or "", *tokens), _message(err)

    def _schema_root(self, err: ValidationError, tokens: list[str | int]) -> str | None:
        """Best effort: the first schema where the error's relative path leads to its value."""
        roots = [(item.pointer, item.node) for item in self.walk.nodes if item.depth == 0]
        for pointer, node in roots:
            if lookup(node, tokens) is err.instance:
                return pointer
        for pointer, node in roots:
            try:
                if lookup(node, tokens) == err.instance:
                    return pointer
            except RecursionError:
                continue
        return None

    def _extra_required(self, names: list[str]) -> str:
        for item in self.walk.nodes:
            required, props = item.node.get("required"), item.node.get("properties") or {}
            pointer = join_pointer(item.pointer, "required")
            if (
                "allOf" in item.node
                and isinstance(required, list)
                and set(names) <= set(required) - set(props)
                and pointer not in self.used
            ):
                self.used.add(pointer)
                return pointer
        return ""

    def _duplicate_tag(self, message: str) -> str:
        tags = self.document.get("tags")
        seen: set[Any] = set()
        for index, tag in enumerate(tags if isinstance(tags, list) else []):
            name = tag.get("name") if isinstance(tag, dict) else None
            if name in seen and f"'{name}'" in message:
                return join_pointer("", "tags", index, "name")
            seen.add(name)
        return "/tags"


def _leaf(err: ValidationError) -> ValidationError:
    """The innermost failure under a oneOf/anyOf error (they keep the branches' errors in
    `context`). Branches ruled out by a discriminating keyword (`in: query` for a path
    parameter, the `$ref` of "Schema or Reference") are not the user's intent; among the
    rest, the branch that got furthest into the instance is."""
    while err.context:
        branches: dict[Any, list[ValidationError]] = {}
        for sub in err.context:
            key = sub.relative_schema_path[0] if sub.relative_schema_path else None
            branches.setdefault(key, []).append(sub)
        plausible = [b for b in branches.values() if not _discriminated(b)]
        chosen = max(plausible or list(branches.values()), key=_progress)
        err = _innermost(_leaf(e) for e in chosen)
    return err


def _innermost(errors: Iterable[ValidationError]) -> ValidationError:
    """The deepest error; among equals the first by pointer (errors of `additionalProperties`
    come in set order, which changes with the hash seed)."""
    return min(errors, key=lambda e: (-len(e.absolute_path), join_pointer("", *e.absolute_path)))


def _discriminated(errors: list[ValidationError]) -> bool:
    return any(
        (e.validator in ("enum", "const") and len(e.relative_path) == 1)
        or (e.validator == "required" and e.validator_value == ["$ref"])
        for e in errors
    )


def _progress(errors: list[ValidationError]) -> int:
    return max(len(e.absolute_path) for e in errors)


def _meta_checker(version: str) -> Validator:
    """A validator for one Schema Object of the given version."""
    if version == "3.0":  # the OpenAPI 3.0 meta-schema defines Schema Objects itself
        meta = dict(schema_v30)
        root = {
            "id": meta["id"],
            "$schema": meta["$schema"],
            "definitions": meta["definitions"],
            "$ref": "#/definitions/Schema",
        }
        checker: Validator = validator_for(root)(root)
        return checker
    # The 3.1 dialect meta-schema is only reachable through openapi-schema-validator's
    # private registry; JSON Schema 2020-12 catches all but OpenAPI's own keywords.
    return Draft202012Validator(Draft202012Validator.META_SCHEMA)


def _clip(text: str, limit: int = 240) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _message(err: ValidationError) -> str:
    """The first line of the error, with the offending value clipped to ~80 characters."""
    text = str(err.message).split("\n")[0]
    if isinstance(err.instance, _JSON_TYPES):
        full = short_repr(err.instance, limit=10**6)
        if len(full) > 80 and full in text:
            text = text.replace(full, short_repr(err.instance))
    return _clip(text)


def _hint(pointer: str, version: str) -> str:
    anchor = SPEC_ANCHORS[object_kind(pointer)]
    return f"see {_SPEC_URL[version]}#{anchor}"


def check_structure(
    document: dict[str, Any],
    version: str,
    walk: SchemaWalk,
    spec: Spec,
    referred: Collection[str] = (),
) -> list[Diagnostic]:
    """SG310 for every validator error (SG305 when the document is too deep to validate).
    The named components `referred` (found clean before) are checked only as far as the
    references of the rest lead (`units.hide_referred`)."""
    cls = OpenAPIV30SpecValidator if version == "3.0" else OpenAPIV31SpecValidator
    locator = _Locator(document, version, walk)
    # One finding per node: for 3.0 both phases check schemas, and the first (the OpenAPI
    # meta-schema's) says it in OpenAPI terms.
    findings: dict[str, str] = {}
    _drop_data_refs(document)
    # After the data's references are dropped, which is decided by where a node is.
    units.hide_referred(document, referred)
    path = SchemaPath.from_dict(document, base_uri="", handlers=_NoRetrieval())
    try:
        for err in cls(path).iter_errors():
            if not isinstance(err, _COVERED_BY_LINT):
                for pointer, message in locator.findings(err):
                    findings.setdefault(pointer, message)
    except RecursionError:
        loop = _self_including(walk)
        if loop is None:
            message = "the document nests too deeply for openapi-spec-validator"
            return [error("SG305", message, "flatten the schemas with $ref", spec.locate(""))]
        pointer, chain = loop
        findings.setdefault(
            pointer,
            "openapi-spec-validator cannot check a schema that includes itself through allOf "
            f"(it recurses forever): {chain}",
        )
    except Exception as exc:  # the validator gives up on some broken documents
        if not findings:  # else a consequence of the errors found: those say what to fix
            reason = _clip(str(exc), 160) or type(exc).__name__
            findings.setdefault("", f"openapi-spec-validator stopped: {reason}")
    finally:
        _forget(cls)
    for pointer, message in locator.defaults.request_body_findings():
        findings.setdefault(pointer, _clip(message))
    for pointer, message in locator.defaults.uri_findings():
        findings.setdefault(pointer, _clip(message))
    return [
        error("SG310", message, _hint(pointer, version), spec.locate(pointer))
        for pointer, message in findings.items()
    ]


def _self_including(walk: SchemaWalk) -> tuple[str, str] | None:
    """The first allOf member that leads back to itself the way openapi-spec-validator
    collects properties (through $ref, allOf/anyOf/oneOf, items and not): (pointer, chain)."""
    nodes = {item.pointer: item.node for item in walk.nodes}
    for start in nodes:
        if "/allOf/" not in start:
            continue
        path, seen = [start], {start}
        stack = [iter(_collected(start, nodes[start]))]
        while stack:
            target = next(stack[-1], None)
            if target is None:
                stack.pop()
                seen.discard(path.pop())
            elif target == start:
                return start, " -> ".join([*path, start])
            elif target not in seen and target in nodes and len(path) < 1000:
                seen.add(target)
                path.append(target)
                stack.append(iter(_collected(target, nodes[target])))
    return None


def _collected(pointer: str, node: dict[str, Any]) -> Iterator[str]:
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#"):
        yield ref[1:]
    for key in ("allOf", "anyOf", "oneOf"):
        members = node.get(key)
        for index in range(len(members) if isinstance(members, list) else 0):
            yield join_pointer(pointer, key, index)
    for key in ("items", "not"):
        if isinstance(node.get(key), dict):
            yield join_pointer(pointer, key)


def _forget(cls: type[OpenAPIV30SpecValidator | OpenAPIV31SpecValidator]) -> None:
    # iter_errors is an lru_cache over `self`: without this every validated document
    # stays alive for the life of the process.
    cached = getattr(cls.iter_errors, "__wrapped__", None)
    if cached is not None and hasattr(cached, "cache_clear"):
        cached.cache_clear()
