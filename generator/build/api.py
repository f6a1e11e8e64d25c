"""The builder's entry point: normalised document → `Api`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from generator.build.checks import model_is_exact
from generator.build.groups import build_groups
from generator.build.hooks import HookBuilder
from generator.build.jsonschema import contract_document, request_schemas, webhook_contract
from generator.build.operations import OperationBuilder
from generator.build.schemas import SchemaTable
from generator.build.servers import build_servers
from generator.build.sides import split_sides
from generator.ir.model import (
    Api,
    ContentKind,
    Operation,
    ParamLocation,
    SecurityScheme,
    SourceInfo,
)
from generator.load.files import project_path
from generator.load.spec import Spec
from generator.pointers import join_pointer, lookup_pointer


def _text(node: Mapping[str, Any], key: str) -> str:
    value = node.get(key)
    return value if isinstance(value, str) else ""


def _security_schemes(document: Mapping[str, Any]) -> tuple[SecurityScheme, ...]:
    raw = (document.get("components") or {}).get("securitySchemes") or {}
    schemes: list[SecurityScheme] = []
    for key, node in raw.items():
        if not isinstance(node, Mapping):
            continue
        where = node.get("in")
        schemes.append(
            SecurityScheme(
                key=key,
                type=_text(node, "type"),
                pointer=join_pointer("/components/securitySchemes", key),
                scheme=_text(node, "scheme"),
                location=ParamLocation(where) if where in ("header", "query", "cookie") else None,
                param_name=_text(node, "name"),
                description=_text(node, "description"),
            )
        )
    return tuple(schemes)


def _mark_exact(
    operations: tuple[Operation, ...], checks: Mapping[str, Any]
) -> tuple[Operation, ...]:
    """Each JSON body marked with whether its model enforces all of its schema."""
    marked = []
    for op in operations:
        body = op.body
        if body is not None and body.content.kind is ContentKind.JSON:
            schema = lookup_pointer(checks, body.content.pointer + "/schema")
            body = replace(body, model_is_exact=model_is_exact(checks, schema))
            op = replace(op, body=body)
        marked.append(op)
    return tuple(marked)


def build_api(name: str, document: Mapping[str, Any], spec: Spec, *, root: Path = Path()) -> Api:
    """Build the IR of one API from its normalised document (see generator.validate); `root`
    is the project root, which source paths are recorded relative to."""
    # Types and checks read each body on its side; the contract stays as the author wrote it.
    sides = split_sides(document)
    table = SchemaTable(sides.models, sides.write_keys)
    builder = OperationBuilder(sides.models, table)
    operations = builder.build_all()
    taken = {op.operation_id for op in operations}
    hook_builder = HookBuilder(sides.models, builder)
    webhooks = _mark_exact(hook_builder.build_webhooks(taken), sides.checks)
    operations = tuple(
        replace(op, callbacks=_mark_exact(op.callbacks, sides.checks)) if op.callbacks else op
        for op in _mark_exact(hook_builder.build_callbacks(operations, taken), sides.checks)
    )
    hooks = (*webhooks, *(cb for op in operations for cb in op.callbacks))
    bodies = {
        op.operation_id: lookup_pointer(sides.checks, op.body.content.pointer + "/schema")
        for op in (*operations, *hooks)
        if op.body is not None and op.body.content.is_checked
    }
    # A body's other media types by their pointer (an operationId never is one).
    bodies.update(
        (c.pointer, lookup_pointer(sides.checks, c.pointer + "/schema"))
        for op in (*operations, *hooks)
        if op.body is not None
        for c in op.body.alternatives
        if c.is_checked
    )
    responses = {
        pointer: lookup_pointer(sides.checks, pointer + "/schema")
        for pointer in sorted(sides.checked_responses)
    }
    info = document.get("info") or {}
    version = str(document.get("openapi", "3.0.0"))
    servers = build_servers(document)
    return Api(
        name=name,
        title=_text(info, "title"),
        version=_text(info, "version"),
        description=_text(info, "description"),
        openapi_version=version,
        servers=servers,
        operations=operations,
        schemas=table.named_schemas(),
        security_schemes=_security_schemes(document),
        sources=tuple(
            SourceInfo(project_path(s.path, root), s.sha256, index < spec.root_count)
            for index, s in enumerate(spec.sources)
        ),
        models_document=table.models_document(version),
        contract=contract_document(document),
        request_schemas=request_schemas(
            sides.checks,
            {k: v if isinstance(v, dict) else {} for k, v in bodies.items()},
            {k: v if isinstance(v, dict) else {} for k, v in responses.items()},
        ),
        groups=build_groups(document, operations),
        webhooks=webhooks,
        webhook_contract=webhook_contract(document, hooks) if hooks else {},
    )
