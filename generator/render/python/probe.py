"""A small API that takes every branch of the Python templates, for reading off which names
the rendered code binds (`generator.render.python.reserved`).

Every spec name in it contains `zz`, and so does every identifier the view derives from one:
in the rendered probe, a name without `zz` is one the templates (or the runtime modules) bind
themselves. Two operations in two tags cover parameters in every location, with defaults and
constraints, required and optional bodies (JSON, binary), exact, range and default statuses,
several media types per response, a streamed (SSE) response, binary bodies and responses
(a concrete and a wildcard media type, a download method), response headers, every kind of
credential, and every type spelling (models, lists, dicts, each primitive, Any); a third a
body of several media types (JSON, forms with fields, text, bytes); the first two
operations again as webhooks, and one as a callback, take the webhook modules' branches.
"""

from __future__ import annotations

from dataclasses import replace

from generator.ir.hooks import CallbackOf
from generator.ir.model import (
    Api,
    Constraint,
    Content,
    ContentKind,
    FieldShape,
    FormField,
    NamedSchema,
    Operation,
    Parameter,
    ParamLocation,
    RequestBody,
    Response,
    ResponseHeader,
    SecurityRequirement,
    SecurityScheme,
    Server,
    TagGroup,
)
from generator.ir.types import Primitive, TypeRef

MARK = "zz"  # in every probe name, case-insensitively

_MODEL = TypeRef.model("ZzModel")


def _p(kind: Primitive, *, nullable: bool = False) -> TypeRef:
    return TypeRef.primitive(kind, nullable=nullable)


def _param(
    name: str, location: ParamLocation, type_: TypeRef, *, required: bool, **extra: object
) -> Parameter:
    return Parameter(name, location, required, type_, f"/zz/{name}", **extra)  # type: ignore[arg-type]


def _json(type_: TypeRef) -> Content:
    return Content("application/json", ContentKind.JSON, type_, "/zz/json")


def _text() -> Content:
    return Content("text/plain", ContentKind.TEXT, _p(Primitive.STRING), "/zz/text")


def _binary(media_type: str = "application/octet-stream") -> Content:
    return Content(media_type, ContentKind.BINARY, _p(Primitive.BINARY), "/zz/b")


def _events() -> Content:
    return Content("text/event-stream", ContentKind.EVENTS, _MODEL, "/zz/sse")


def _operations() -> tuple[Operation, Operation]:
    every = (
        _param("zzp", ParamLocation.PATH, _p(Primitive.UUID), required=True),
        _param("zzgreedy+", ParamLocation.PATH, _p(Primitive.STRING), required=True),
        _param(
            "zzq",
            ParamLocation.QUERY,
            TypeRef.list_of(_p(Primitive.INTEGER)),
            required=False,
        ),
        _param(
            "zzqd",
            ParamLocation.QUERY,
            _p(Primitive.INTEGER),
            required=False,
            has_default=True,
            default=5,
            constraints=(Constraint("minimum", 1), Constraint("pattern", "x")),
        ),
        _param("zzqm", ParamLocation.QUERY, _MODEL, required=True),
        _param("zzqe", ParamLocation.QUERY, _MODEL, required=False, has_default=True, default="z"),
        _param("zzh", ParamLocation.HEADER, _p(Primitive.DATE_TIME), required=True),
        _param("zzc", ParamLocation.COOKIE, _p(Primitive.DATE, nullable=True), required=False),
        _param("zzt", ParamLocation.QUERY, _p(Primitive.TIME), required=False),
        _param("zzf", ParamLocation.QUERY, _p(Primitive.NUMBER), required=False),
        _param("zzb", ParamLocation.QUERY, _p(Primitive.BOOLEAN), required=False),
    )
    ordered = tuple(sorted(every, key=lambda p: not p.required))  # as the builder orders them
    headers = (
        ResponseHeader("zzhdr", True, _p(Primitive.INTEGER), "/zz/h1"),
        ResponseHeader("Zz-Hdr-Two", False, _p(Primitive.STRING), "/zz/h2"),
    )
    everything = TypeRef.dict_of(TypeRef.list_of(_MODEL, nullable=True))
    first = Operation(
        operation_id="zzProbeOp",
        method="POST",
        path="/zz/{zzp}/{zzgreedy+}",
        pointer="/paths/zz/post",
        summary="zz",
        tags=("zztag",),
        parameters=ordered,
        body=RequestBody(True, _json(_MODEL), "/zz/body"),
        responses=(
            Response("200", "zz", (_json(_MODEL), _text()), (), "/zz/200"),
            Response("201", "zz", (), headers, "/zz/201"),
            Response("202", "zz", (_json(everything), _json(TypeRef.any_())), (), "/zz/202"),
            Response("4XX", "zz", (_json(_MODEL),), headers, "/zz/4xx"),
            Response("default", "zz", (_text(),), (), "/zz/default"),
        ),
        security=(
            SecurityRequirement(("zzbearer",)),
            SecurityRequirement(("zzkeyh", "zzkeyq")),
            SecurityRequirement(("zzbasic", "zzkeyc")),
            SecurityRequirement(()),
        ),
    )
    second = Operation(
        operation_id="zzProbeOpTwo",
        method="GET",
        path="/zz",
        pointer="/paths/zz2/get",
        tags=("zztag2",),
        # A parameter beside the fields a streamed operation's request record adds.
        parameters=(_param("zzs", ParamLocation.QUERY, _p(Primitive.STRING), required=False),),
        body=RequestBody(False, _binary(), "/zz/body2"),
        responses=(
            Response("200", "zz", (_events(),), (), "/zz/200"),
            Response("203", "zz", (_binary(), _binary("image/*")), (), "/zz/203"),
            Response("204", "zz", (), (), "/zz/204"),
        ),
    )
    return first, second


def _several_media() -> Operation:
    """A body of several media types: every one the servers decode, the forms with fields."""
    fields = (FormField("zzfield", FieldShape.TEXT, "/zz/f"),)
    form = Content("application/x-www-form-urlencoded", ContentKind.FORM, _MODEL, "/zz/fm", fields)
    multipart = Content("multipart/form-data", ContentKind.MULTIPART, _MODEL, "/zz/mp", fields)
    body = RequestBody(
        True,
        _json(_MODEL),
        "/zz/body3",
        other_media_types=("application/x-www-form-urlencoded", "multipart/form-data"),
        alternatives=(form, multipart, _text(), _binary()),
    )
    return Operation(
        operation_id="zzProbeOpThree",
        method="PUT",
        path="/zz",
        pointer="/paths/zz2/put",
        tags=("zztag2",),
        body=body,
        responses=(Response("204", "zz", (), (), "/zz/204"),),
    )


def _webhooks(first: Operation, second: Operation) -> tuple[Operation, Operation]:
    """The two operations again as webhooks, for the webhook modules' branches."""
    return (
        replace(
            first, operation_id="zzHookOp", path="/zzhook", webhook="zzhook", tags=(), callbacks=()
        ),
        replace(second, operation_id="zzHookOpTwo", path="/zzhook2", webhook="zzhook2", tags=()),
    )


def probe_api() -> Api:
    first, second = _operations()
    third = _several_media()
    # A callback of the first operation, for the webhook modules' callback branches.
    source = CallbackOf("zzProbeOp", "zzcb", "{$request.body#/zz}")
    callback = replace(second, operation_id="zzCbOp", path="/zzcb", callback=source, tags=())
    first = replace(first, callbacks=(callback,))
    schemes = (
        SecurityScheme("zzbearer", "http", "/zz/s1", scheme="bearer"),
        SecurityScheme("zzbasic", "http", "/zz/s2", scheme="basic"),
        SecurityScheme(
            "zzkeyh", "apiKey", "/zz/s3", location=ParamLocation.HEADER, param_name="X-Zz"
        ),
        SecurityScheme("zzkeyq", "apiKey", "/zz/s4", location=ParamLocation.QUERY, param_name="zz"),
        SecurityScheme(
            "zzkeyc", "apiKey", "/zz/s5", location=ParamLocation.COOKIE, param_name="zz"
        ),
    )
    return Api(
        name="zzprobe",
        title="zz",
        version="1",
        description="zz",
        openapi_version="3.1.0",
        servers=(Server("http://zz.example/zz"),),
        operations=(first, second, third),
        schemas=(NamedSchema("ZzModel", "/components/schemas/ZzModel"),),
        security_schemes=schemes,
        sources=(),
        models_document={},
        contract={},
        request_schemas={"responses": {"/zz/json": {}}},
        groups=(
            TagGroup("zztag", "zztag", "/zz/t1", operations=(first,)),
            TagGroup("zztag2", "zztag2", "/zz/t2", operations=(second, third)),
        ),
        webhooks=_webhooks(first, second),
    )
