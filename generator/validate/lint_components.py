"""Lint rules on references, component names, media types, what is not generated, schemas
typed `null` beside a union and enum values of another type (SG316, SG317, SG406, SG407,
SG410, SG412, SG413)."""

from __future__ import annotations

from typing import Any, Final

from generator.diagnostics import Severity
from generator.ir.names import pascal_case, snake_case
from generator.pointers import MISSING, closest_pointer, join_pointer, lookup, ref_tokens
from generator.validate.lint_context import LintContext
from generator.validate.normalise import mistyped_enum_values, null_beside_union
from generator.validate.tree import Link, link_pointer, short_repr

# Values that are data, not OpenAPI objects: a `$ref` key inside them is not a reference.
_DATA_KEYS: Final = frozenset("example default enum const value".split())
# Maps whose keys are user-chosen names (a property may well be called "value").
_NAME_MAPS: Final = frozenset(
    "properties patternProperties schemas parameters responses headers examples $defs "
    "definitions requestBodies callbacks pathItems paths".split()
)


_STREAMS_AND_JSON = frozenset(
    {
        "application/json",
        "text/event-stream",
        "application/jsonl",
        "application/x-ndjson",
        "application/json-seq",
        "application/x-jsonlines",
    }
)
# Media types whose content is bytes by nature: typed `bytes` is all they can be.
_BYTES = frozenset({"application/octet-stream", "application/pdf", "application/zip"})
_BYTES_RANGES = ("image/", "audio/", "video/", "font/")
_FORMS = frozenset({"multipart/form-data", "application/x-www-form-urlencoded"})


def typed_media_type(media_type: str, *, request: bool = False) -> bool:
    """Media types with typed code generation (JSON, text, event streams, JSON lines,
    forms in requests) or that are bytes anyway (octet-stream, PDF, images, ...)."""
    base = media_type.split(";")[0].strip().lower()
    return (
        base in _STREAMS_AND_JSON
        or base.endswith("+json")
        or base.startswith(("text/", *_BYTES_RANGES))
        or base in _BYTES
        or (request and base in _FORMS)
    )


def check_references(ctx: LintContext) -> None:
    """SG406: every `$ref` must be local and point at something."""
    stack: list[tuple[Link, Any, str]] = [(None, ctx.document, "")]
    while stack:
        link, node, parent_key = stack.pop()
        if isinstance(node, dict) and isinstance(node.get("$ref"), str):
            _check_ref(ctx, (link, "$ref"), node["$ref"])
        members = node.items() if isinstance(node, dict) else enumerate(node)
        for key, sub in reversed(list(members)):
            is_data = (
                isinstance(key, str)
                and parent_key not in _NAME_MAPS
                and (key in _DATA_KEYS or key.startswith("x-"))
            )
            if isinstance(sub, (dict, list)) and not is_data:
                stack.append(((link, key), sub, str(key)))


def _check_ref(ctx: LintContext, link: Link, ref: str) -> None:
    tokens = ref_tokens(ref)
    if tokens is None:
        message = f"`$ref: {ref}` is not a local reference (the loader inlines those)"
    elif lookup(ctx.document, tokens) is MISSING:
        message = f"`$ref: {ref}` points to nothing in the document"
        close = closest_pointer(ctx.document, join_pointer("", *tokens))
        if close is not None:
            hint = f"did you mean '#{close}'?"
            ctx.report(Severity.ERROR, "SG406", link_pointer(link), message, hint)
            return
    else:
        return
    hint = "fix the reference, or define the component it names"
    ctx.report(Severity.ERROR, "SG406", link_pointer(link), message, hint)


def check_discriminators(ctx: LintContext) -> None:
    """SG412 (warning): a discriminator mapping value must name a schema of the document;
    generation drops the discriminator of one that does not (validate/leniency.py)."""
    components = ctx.document.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    for item in ctx.walk.nodes:
        discriminator = item.node.get("discriminator")
        mapping = discriminator.get("mapping") if isinstance(discriminator, dict) else None
        for value, target in mapping.items() if isinstance(mapping, dict) else ():
            if not isinstance(target, str):
                continue  # structurally invalid: SG310
            tokens = ref_tokens(target)
            if tokens is None and "/" not in target and "#" not in target:
                found = isinstance(schemas, dict) and target in schemas  # a bare schema name
            else:
                found = tokens is not None and lookup(ctx.document, tokens) is not MISSING
            if not found:
                message = (
                    f"discriminator value `{value}` maps to `{target}`, which is not a schema "
                    "(the union is generated without the discriminator)"
                )
                hint = "map it to `#/components/schemas/<Name>` of a schema that exists"
                where = join_pointer(item.pointer, "discriminator", "mapping", value)
                ctx.report(Severity.WARNING, "SG412", where, message, hint)


def check_schema_names(ctx: LintContext) -> None:
    """SG407 (warnings): component schemas with one class name (the later ones numbered, as
    `build.schemas.SchemaTable` names them), properties of one schema with one attribute
    name (the model keeps them apart with aliases)."""
    components = ctx.document.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    classes: dict[str, list[str]] = {}
    for raw in schemas if isinstance(schemas, dict) else {}:
        name, pointer = pascal_case(str(raw)), join_pointer("", "components", "schemas", raw)
        holders = classes.setdefault(name, [])
        holders.append(str(raw))
        if len(holders) > 1:
            message = (
                f"schemas `{holders[0]}` and `{raw}` both become the class `{name}`; this one "
                f"is named `{name}{len(holders)}`"
            )
            hint = "legal OpenAPI; rename one to choose the class names yourself"
            ctx.report(Severity.WARNING, "SG407", pointer, message, hint)
    for item in ctx.walk.nodes:
        props = item.node.get("properties")
        attrs: dict[str, str] = {}
        for raw in props if isinstance(props, dict) else {}:
            attr = snake_case(str(raw))
            if attr in attrs:
                message = (
                    f"properties `{attrs[attr]}` and `{raw}` both become the attribute "
                    f"`{attr}`; the model keeps them apart with aliases"
                )
                pointer = join_pointer(item.pointer, "properties", raw)
                ctx.report(Severity.WARNING, "SG407", pointer, message, "rename one of them")
            else:
                attrs[attr] = str(raw)


def check_media_types(ctx: LintContext) -> None:
    """SG410: request and response content we generate no typed code for."""
    owners: list[tuple[str, Any, bool]] = []  # (pointer, body or response, is a request)
    for op in ctx.operations():
        body = op.node.get("requestBody")
        owners.append((join_pointer(op.pointer, "requestBody"), body, True))
        responses = op.node.get("responses")
        for status, response in responses.items() if isinstance(responses, dict) else ():
            owners.append((join_pointer(op.pointer, "responses", status), response, False))
    components = ctx.document.get("components")
    for section in ("requestBodies", "responses"):
        group = components.get(section) if isinstance(components, dict) else None
        for name, owner in group.items() if isinstance(group, dict) else ():
            pointer = join_pointer("", "components", section, name)
            owners.append((pointer, owner, section == "requestBodies"))
    for pointer, owner, request in owners:
        content = owner.get("content") if isinstance(owner, dict) else None
        for media_type in content if isinstance(content, dict) else {}:
            if not typed_media_type(str(media_type), request=request):
                message = f"no typed code for `{media_type}` content: treated as raw bytes"
                hint = (
                    "typed code is generated for JSON, text, event streams, JSON lines, "
                    "bytes (octet-stream, PDF, images, ...) and forms in request bodies"
                )
                where = join_pointer(pointer, "content", media_type)
                ctx.report(Severity.WARNING, "SG410", where, message, hint)


_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def _generates_nothing(item: Any) -> bool:
    """A webhook's or callback's path item without one operation (a `$ref` is followed
    by the builder, so it is not judged here)."""
    if not isinstance(item, dict) or "$ref" in item:
        return False
    return not any(isinstance(item.get(m), dict) for m in _METHODS)


def check_not_generated(ctx: LintContext) -> None:
    """SG413: webhooks and callbacks that no code is generated for (never dropped
    silently): a path item without an operation. The others generate receivers and
    senders in Python; the TypeScript client, a client of the API's paths, has none."""
    hint = "give the path item an operation (post, put, ...) with its requestBody and responses"
    webhooks = ctx.document.get("webhooks")
    for name, item in webhooks.items() if isinstance(webhooks, dict) else ():
        if _generates_nothing(item):
            message = f"webhook `{name}` is not generated: its path item has no operation"
            where = join_pointer("", "webhooks", name)
            ctx.report(Severity.WARNING, "SG413", where, message, hint)
    for op in ctx.operations():
        callbacks = op.node.get("callbacks")
        for name, callback in callbacks.items() if isinstance(callbacks, dict) else ():
            for expression, item in callback.items() if isinstance(callback, dict) else ():
                if not _generates_nothing(item):
                    continue
                message = (
                    f"callback `{name}` of `{op.method.upper()} {op.path}` is not generated:"
                    " its path item has no operation"
                )
                where = join_pointer(op.pointer, "callbacks", name, expression)
                ctx.report(Severity.WARNING, "SG413", where, message, hint)


def check_null_unions(ctx: LintContext) -> None:
    """SG316 (warning): a schema typed only `null` beside a `oneOf`/`anyOf` of other types,
    which generation reads as "null, or one of these" (`normalise.null_beside_union`)."""
    for item in ctx.walk.nodes:
        key = null_beside_union(item.node)
        if key is None:
            continue
        message = (
            f'`type: "null"` beside `{key}`: no value is both, so it is read as null or '
            f"one of the `{key}` branches"
        )
        hint = f'add `{{type: "null"}}` as a branch of `{key}` and remove the `type`'
        ctx.report(Severity.WARNING, "SG316", join_pointer(item.pointer, "type"), message, hint)


def check_enum_types(ctx: LintContext) -> None:
    """SG317 (warning): `enum` values the schema's `type` rejects, which no value can be
    (`normalise.mistyped_enum_values`): generation reads the enum without them."""
    for item in ctx.walk.nodes:
        wrong = mistyped_enum_values(item.node)
        if not wrong:
            continue
        shown = ", ".join(short_repr(value) for value in wrong[:3])
        more = f" and {len(wrong) - 3} more" if len(wrong) > 3 else ""
        message = (
            f"enum value(s) {shown}{more} are not of the schema's type "
            f"`{item.node['type']}`: no value can be both, so they are left out"
        )
        hint = "remove them, or widen the schema's `type`"
        ctx.report(Severity.WARNING, "SG317", join_pointer(item.pointer, "enum"), message, hint)
