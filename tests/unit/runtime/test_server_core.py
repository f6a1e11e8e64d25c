"""generator/runtime/python/_server_core.py and _server_bodies.py as code: body decoding,
credentials, security alternatives and response encoding, without any framework."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import decimal
import enum
import json
import uuid
import warnings
from typing import Any, ClassVar, Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field

from generator.runtime.python import _server_bodies as bodies
from generator.runtime.python import _server_core as core
from generator.runtime.python import _server_json as json_writer
from generator.runtime.python._handlers_runtime import Auth, BaseHandlers, ResponseVariant

SCHEMES = {"bearer": ("bearer", ""), "key": ("header", "X-Key"), "basic": ("basic", "")}


def source(headers: dict[str, str] | None = None, query: dict[str, str] | None = None) -> Any:
    lowered = {k.lower(): v for k, v in (headers or {}).items()}
    return core.CredentialSource(
        header=lambda n: lowered.get(n.lower()),
        query=(query or {}).get,
        cookie={}.get,
    )


class OnlySecret(BaseHandlers):
    async def authenticate(self, scheme: str, credential: str) -> bool:
        return credential in ("s3cret", "user:pw")


def authorize(src: Any, requirements: tuple[tuple[str, ...], ...]) -> Auth:
    return asyncio.run(core.authorize(src, OnlySecret(), SCHEMES, requirements))


def test_json_bodies_are_checked_for_media_type_syntax_and_type() -> None:
    assert bodies.decode_body(b'{"a": 1}', "application/json", "json", dict[str, int], True) == {
        "a": 1
    }
    assert bodies.decode_body(b"{}", "application/problem+json", "json", dict, True) == {}
    for raw, content_type, status in (
        (b"{}", "text/plain", 415),
        (b"{", "application/json", 400),
        (b"NaN", "application/json", 400),  # not JSON, though Python's parser takes it
        (b'{"a": "x"}', "application/json", 400),
        (b"", "application/json", 400),  # required
    ):
        with pytest.raises(core.HTTPProblem) as caught:
            bodies.decode_body(raw, content_type, "json", dict[str, int], True)
        assert caught.value.status == status, raw
    assert bodies.decode_body(b"", "", "json", dict, False) is None
    assert bodies.decode_body(b"hi", "text/plain", "text", str, True) == "hi"
    assert bodies.decode_body(b"\x00\xff", "", "binary", bytes, True) == b"\x00\xff"
    with pytest.raises(core.HTTPProblem):
        bodies.decode_body(b"\xff", "text/plain", "text", str, True)


@pytest.mark.parametrize(
    ("raw", "content_type", "text"),
    [
        ("é ✓".encode(), "text/plain", "é ✓"),  # UTF-8 unless told
        (b"caf\xe9", "text/plain; charset=ISO-8859-1", "café"),
        (b"caf\xe9", 'text/plain; format=flowed; charset="latin-1"', "café"),
        ("é".encode("utf-16"), "text/csv;charset=utf-16", "é"),
        (b"", "text/plain", ""),  # empty text is text
    ],
)
def test_a_text_body_is_read_in_the_charset_it_names(
    raw: bytes, content_type: str, text: str
) -> None:
    assert bodies.decode_body(raw, content_type, "text", str, True) == text


def test_the_declared_charset_reads_a_body_sent_without_content_type() -> None:
    declared = ("text/plain; charset=latin-1",)
    assert bodies.decode_body(b"\xe9", "", "text", str, True, "", declared) == "é"


@pytest.mark.parametrize(
    ("raw", "content_type", "status"),
    [
        (b"\xff", "text/plain", 400),  # no UTF-8
        (b"\xed\xa0\x80", "text/plain; charset=utf-8", 400),  # an encoded surrogate
        (b"\x00", "text/plain; charset=utf-16", 400),  # half a code unit
        (b"\\ud800", "text/plain; charset=unicode_escape", 400),  # a lone surrogate
        (b"x", "text/plain; charset=klingon", 415),
        (b"eA==", "text/plain; charset=base64", 415),  # a codec, but no text encoding
    ],
)
def test_a_text_body_that_is_no_text_in_its_charset_is_refused(
    raw: bytes, content_type: str, status: int
) -> None:
    with pytest.raises(core.HTTPProblem) as caught:
        bodies.decode_body(raw, content_type, "text", str, True)
    assert caught.value.status == status


def test_a_body_without_a_schema_check_is_validated_once_in_strict_json_mode() -> None:
    """No `schema` key: the model says everything, in strict JSON mode, as JSON Schema
    reads JSON types (a string is no integer, 1 no boolean)."""
    from datetime import datetime
    from uuid import UUID

    from pydantic import BaseModel

    class Event(BaseModel):
        id: UUID
        at: datetime
        count: int
        ok: bool = False

    good = (
        b'{"id": "0190e7b1-0000-7000-8000-000000000001", "at": "2026-01-01T00:00:00Z", "count": 2}'
    )
    event = bodies.decode_body(good, "application/json", "json", Event, True)
    assert isinstance(event, Event) and event.count == 2 and event.at.year == 2026
    for raw, fragment in (
        (good.replace(b"2}", b'"2"}'), "request body is invalid"),
        (good.replace(b"2}", b'2, "ok": 1}'), "request body is invalid"),
        (good.replace(b"2}", b"NaN}"), "malformed JSON"),  # the json module's refusal
        (good[:-3], "malformed JSON"),
        (b"[" * 300 + b"]" * 300, "deeply"),
    ):
        with pytest.raises(core.HTTPProblem) as caught:
            bodies.decode_body(raw, "application/json", "json", Event, True)
        assert caught.value.status == 400 and fragment in caught.value.detail, raw
    # An escaped lone surrogate, which pydantic's parser refuses, is read as Python reads it.
    assert bodies.decode_body(
        b'{"k\\ud800": "v"}', "application/json", "json", dict[str, str], True
    ) == {"k\ud800": "v"}


def test_a_body_nested_too_deeply_is_a_400_not_a_crash() -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    with pytest.raises(core.HTTPProblem) as caught:
        bodies.decode_body(deep, "application/json", "json", Any, True)
    assert caught.value.status == 400 and "deeply" in caught.value.detail


def test_credentials_by_kind() -> None:
    assert core.credential(source({"Authorization": "Bearer  tok "}), "bearer", "") == "tok"
    assert core.credential(source({"Authorization": "Basic x"}), "bearer", "") is None
    basic = "Basic " + base64.b64encode(b"user:pw").decode()
    assert core.credential(source({"Authorization": basic}), "basic", "") == "user:pw"
    assert core.credential(source({"Authorization": "Basic !!"}), "basic", "") is None
    assert core.credential(source({"X-Key": "k"}), "header", "X-Key") == "k"
    assert core.credential(source(query={"key": "q"}), "query", "key") == "q"


def test_security_alternatives() -> None:
    good = source({"Authorization": "Bearer s3cret"})
    assert authorize(good, (("bearer",),)).credentials == {"bearer": "s3cret"}
    assert authorize(source(), ((), ("bearer",))).is_anonymous  # anonymous allowed
    assert authorize(source(), ()).is_anonymous  # no security at all
    with pytest.raises(core.HTTPProblem) as missing:
        authorize(source(), (("bearer",),))
    assert missing.value.status == 401 and missing.value.headers["WWW-Authenticate"] == "Bearer"
    with pytest.raises(core.HTTPProblem) as wrong:  # presented and wrong: 401 even if optional
        authorize(source({"Authorization": "Bearer nope"}), ((), ("bearer",)))
    assert wrong.value.detail == "invalid credentials"
    both = source({"Authorization": "Bearer s3cret", "X-Key": "s3cret"})
    assert authorize(both, (("bearer", "key"),)).credentials == {
        "bearer": "s3cret",
        "key": "s3cret",
    }


class Created(ResponseVariant):
    status: ClassVar[int | None] = 201
    media_type: ClassVar[str | None] = "application/json"
    kind: ClassVar[str] = "json"
    body_type: ClassVar[Any] = dict[str, float]
    _fields = ("body",)
    body: dict[str, float]


def test_encoding_declared_responses() -> None:
    encoded = core.encode(Created(body={"x": 1.5}))
    assert (encoded.status, encoded.media_type, json.loads(encoded.content)) == (
        201,
        "application/json",
        {"x": 1.5},
    )
    with pytest.raises(ValueError):  # NaN is not JSON: never sent
        core.encode(Created(body={"x": float("nan")}))
    with pytest.raises(TypeError, match="not a declared response"):
        core.encode({"x": 1})  # type: ignore[arg-type]
    problem = core.encode_problem(core.HTTPProblem(404, "Not Found", "no such pet"))
    assert problem.media_type == "application/problem+json"
    assert json.loads(problem.content) == {
        "type": "about:blank",
        "status": 404,
        "title": "Not Found",
        "detail": "no such pet",
    }


@pytest.mark.parametrize(
    ("declared", "sent", "accepted"),
    [
        (("image/png", "image/jpeg"), "image/jpeg", True),
        (("image/png",), "IMAGE/PNG; q=1", True),
        (("image/*",), "image/webp", True),
        (("*/*",), "application/anything", True),
        (("image/png",), "", True),  # no Content-Type: taken as the declared one
        (("image/png",), "image/jpeg", False),
        (("text/plain",), "application/json", False),
        (("image/*",), "imagex/png", False),
    ],
)
def test_accepts_what_the_operation_declares(
    declared: tuple[str, ...], sent: str, accepted: bool
) -> None:
    assert bodies.accepts(declared, sent) is accepted


def test_undeclared_media_types_are_415_for_every_body_kind() -> None:
    with pytest.raises(core.HTTPProblem) as caught:
        bodies.decode_body(b"x", "application/json", "binary", bytes, True, "", ("image/png",))
    assert (caught.value.status, caught.value.title) == (415, "Unsupported Media Type")
    assert "image/png" in caught.value.detail
    with pytest.raises(core.HTTPProblem):
        bodies.decode_body(b"x", "application/json", "text", str, True, "", ("text/plain",))
    with pytest.raises(core.HTTPProblem):
        bodies.decode_body(b"{}", "application/xml", "json", dict, True)
    assert bodies.decode_body(b"{}", "application/merge-patch+json", "json", dict, True) == {}
    assert bodies.decode_body(b"x", "text/plain", "text", str, True, "", ("text/plain",)) == "x"


@pytest.mark.parametrize(
    ("base_path", "prefix"),
    [("/v2", "/v2"), ("/v2/", "/v2"), ("v2", "/v2"), ("/", ""), ("", ""), ("/a/b/", "/a/b")],
)
def test_route_prefix(base_path: str, prefix: str) -> None:
    assert core.route_prefix(base_path) == prefix


def test_a_body_with_a_schema_check_is_read_as_the_json_module_reads_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With a `schema` key: parsed by pydantic's parser where it can (the model then reads
    the raw JSON, lax), else by the json module as before (UTF-16, a BOM, nesting past
    pydantic's limit, escaped lone surrogates); NaN refused either way."""
    schemas = {
        "bodies": {
            "op": {"type": "object", "properties": {"n": {"type": "number", "not": {"const": 13}}}},
            "any": {},
        }
    }
    monkeypatch.setattr(bodies, "_request_schemas", lambda: schemas)
    bodies._schema_validator.cache_clear()
    try:

        def read(raw: bytes, body_type: Any = dict[str, float], key: str = "op") -> Any:
            return bodies.decode_body(raw, "application/json", "json", body_type, True, key)

        assert read(b'{"n": 2}') == {"n": 2.0}
        assert read('{"n": 2}'.encode("utf-16")) == {"n": 2.0}
        assert read(b'\xef\xbb\xbf{"n": 2.5}') == {"n": 2.5}
        deep = b"[" * 300 + b"]" * 300  # past pydantic's nesting limit, not json's
        assert len(str(read(deep, Any, "any"))) == 600
        for raw, fragment in (
            (b'{"n": 13}', "does not match the schema"),
            (b'{"n": NaN}', "malformed JSON: NaN is not valid JSON"),
            (b'{"n": -Infinity}', "malformed JSON"),
            (b'{"n": 2', "malformed JSON"),
            (b'{"\\ud800": 1}', "lone surrogate"),
            (b'{"n": "2"}', "does not match the schema"),
        ):
            with pytest.raises(core.HTTPProblem) as caught:
                read(raw)
            assert caught.value.status == 400 and fragment in caught.value.detail, raw
    finally:
        bodies._schema_validator.cache_clear()


class Colour(enum.Enum):
    red = "red"
    one = 1


class Scale(enum.Enum):
    half = 0.5


class Leaf(BaseModel):
    name: str = Field(alias="Name")
    colour: Colour | None = None
    kind: Literal["leaf", 2] = "leaf"
    at: dt.datetime | None = None


class Tree(BaseModel):
    id: uuid.UUID
    leaves: list[Leaf] = []
    children: dict[str, Tree] = {}
    pair: tuple[int, bool] | None = None


class Measured(BaseModel):
    size: float


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")
    name: str


TREE = Tree(
    id=uuid.UUID(int=7),
    leaves=[
        Leaf(
            Name='ä \u2028 "q" \\ \x01',
            colour=Colour.one,
            at=dt.datetime(2024, 1, 2, 3, 4, 5, 6, tzinfo=dt.UTC),
        )
    ],
    children={"c": Tree(id=uuid.UUID(int=8), pair=(2**70, True))},
)


@pytest.mark.parametrize(
    ("body_type", "body", "at_once"),
    [
        (Tree, TREE, True),
        (list[Tree], [TREE, TREE], True),
        (dict[str, int] | None, {"a": -(2**64)}, True),
        (Tree, {"id": str(uuid.UUID(int=7))}, True),  # not a Tree: written as before
        (Measured, Measured(size=1e16), False),  # floats: repr and the serializer differ
        (dict[str, float | str], {"x": 1e-07}, False),
        (Scale, Scale.half, False),
        (Any, {"x": 1e16}, False),
        (Open, Open.model_validate({"name": "n", "extra": 1.5}), False),
        (decimal.Decimal, decimal.Decimal("1.10"), False),
    ],
)
def test_json_bodies_written_at_once_are_the_bytes_written_before(
    body_type: Any, body: Any, at_once: bool
) -> None:
    """Where a body type's serializer writes its JSON directly, the bytes are those of
    its JSON data through the json module; a type where they may differ is not."""

    class Answer(ResponseVariant):
        status: ClassVar[int | None] = 200
        media_type: ClassVar[str | None] = "application/json"
        kind: ClassVar[str] = "json"
        _fields = ("body",)

    Answer.body_type = body_type
    data = bodies.adapter(body_type).dump_python(
        body, mode="json", by_alias=True, exclude_unset=True, warnings=False
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a value its type does not describe warns
        assert core.encode(Answer(body=body)).content == core.dumps(data)
    assert (json_writer._json_serializer(body_type) is not None) is at_once
