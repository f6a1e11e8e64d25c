# mypy: disable-error-code="import-untyped"
"""Which schema holds a `default` that openapi-spec-validator rejected.

The validator checks each schema's `default` against that schema, but its error names the
schema where the check failed: the one a `$ref` or an `allOf` member leads to, or a property
inside the default. `"default": "null"` beside `allOf: [$ref: GrammarType]` is reported at
`GrammarType`, and the default that leniency must drop would survive. So when the error's
schema is not where the check began, every schema holding a matching default is checked
again on its own and each that fails is named.
"""

from __future__ import annotations

from typing import Any, Final
from urllib.parse import quote

from jsonschema import FormatChecker
from jsonschema.exceptions import ValidationError
from openapi_schema_validator import (
    OAS30Validator,
    OAS31Validator,
    oas30_format_checker,
    oas31_format_checker,
)
from pydantic_core import Url
from referencing import Registry
from referencing.jsonschema import DRAFT4, DRAFT202012

from generator.pointers import MISSING, join_pointer, lookup
from generator.validate.schemas import SchemaWalk


class DefaultOwners:
    """Rechecks the defaults of one document (each schema once)."""

    def __init__(self, document: dict[str, Any], version: str, walk: SchemaWalk) -> None:
        self.document = document
        self.version = version
        self.holders = [(item.pointer, item.node) for item in walk.nodes if "default" in item.node]
        self.checked: dict[str, tuple[str, str] | None] = {}

    def owners(self, err: ValidationError) -> list[tuple[str, str]] | None:
        """(pointer inside the failing default, message) for each schema whose default holds
        `err`'s instance at `err`'s path and fails its own schema; None when no default
        holds it."""
        path = list(err.absolute_path)
        found: list[tuple[str, str]] = []
        matched = False
        for pointer, node in self.holders:
            if not _holds(node["default"], path, err.instance):
                continue
            matched = True
            finding = self.finding(pointer, node)
            if finding:
                found.append(finding)
        return found if matched else None

    def finding(self, pointer: str, node: dict[str, Any]) -> tuple[str, str] | None:
        """(pointer inside the default, message) when the default of the schema `node` at
        `pointer` fails that schema."""
        if pointer not in self.checked:
            failure = self._first_error(pointer, node)
            self.checked[pointer] = (
                None
                if failure is None
                else (join_pointer(pointer, "default", *failure.absolute_path), failure.message)
            )
        return self.checked[pointer]

    def request_body_findings(self) -> list[tuple[str, str]]:
        """`finding` for each default in a request body's schemas, which openapi-spec-validator
        never checks (it does in components, parameters and responses)."""
        found = []
        for pointer, node in self.holders:
            if "/requestBody/" in pointer or pointer.startswith("/components/requestBodies/"):
                finding = self.finding(pointer, node)
                if finding is not None:
                    found.append(finding)
        return found

    def uri_findings(self) -> list[tuple[str, str]]:
        """`finding` for each string default of a `format: uri` schema: the format checks
        know no `uri` (jsonschema reads it with a package specgen does not install), and the
        models type such a field as a URL, which refuses a default that is none (`""`)."""
        found = []
        for pointer, node in self.holders:
            if node.get("format") == "uri" and isinstance(node["default"], str):
                finding = self.finding(pointer, node)
                if finding is not None:
                    found.append(finding)
        return found

    def _first_error(self, pointer: str, node: dict[str, Any]) -> ValidationError | None:
        value = node["default"]
        if value is None and node.get("nullable") is True:
            return None  # the validator allows it too
        # The document is the root resource, so the schema's local `$ref`s resolve.
        root = {**self.document, "allOf": [{"$ref": "#" + quote(pointer, safe="/~")}]}
        if self.version == "3.0":
            registry: Registry[Any] = Registry().with_resource("", DRAFT4.create_resource(root))
            checker: Any = OAS30Validator(root, registry=registry, format_checker=_OAS30_URI)
        else:
            registry = Registry().with_resource("", DRAFT202012.create_resource(root))
            checker = OAS31Validator(root, registry=registry, format_checker=_OAS31_URI)
        try:
            return next(iter(checker.iter_errors(value)), None)
        except Exception:  # an unresolvable reference: the validator reports that itself
            return None


def _is_uri(instance: object) -> bool:
    """What the models' URL type (pydantic's `AnyUrl`, pydantic-core's `Url`) reads as one."""
    if not isinstance(instance, str):
        return True
    try:
        Url(instance)
    except ValueError:  # pydantic-core's ValidationError
        return False
    return True


def _with_uri(base: FormatChecker) -> FormatChecker:
    """`base`, checking `uri` too."""
    checker = FormatChecker(formats=())
    checker.checkers = {**base.checkers, "uri": (_is_uri, ())}
    return checker


_OAS30_URI: Final = _with_uri(oas30_format_checker)
_OAS31_URI: Final = _with_uri(oas31_format_checker)


def _holds(default: Any, path: list[str | int], instance: Any) -> bool:
    found = lookup(default, path) if path else default
    return found is not MISSING and type(found) is type(instance) and found == instance
