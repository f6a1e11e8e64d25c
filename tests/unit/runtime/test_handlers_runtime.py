"""generator/runtime/python/_handlers_runtime.py as code: the Record base and the fixed
classes of the handler contract, tested directly (every package gets this module verbatim)."""

from __future__ import annotations

import asyncio
from dataclasses import FrozenInstanceError, field
from typing import Any, ClassVar

import pytest

from generator.runtime.python._handlers_runtime import (
    Auth,
    BaseHandlers,
    NotImplementedOperation,
    Record,
    RequestError,
    ResponseVariant,
)


class ReportClassVar:  # a model class whose name ends in ClassVar (real specs have these)
    pass


class MakeReportRequest(Record):
    _fields = ("report_id", "body", "limit", "auth")
    report_id: int
    body: ReportClassVar
    limit: int | None = None
    auth: Auth = field(default_factory=Auth)


class Made201JsonResponse(ResponseVariant):
    status: ClassVar[int | None] = 201
    media_type: ClassVar[str | None] = "application/json"
    kind: ClassVar[str] = "json"
    body_type: ClassVar[Any] = dict
    _fields = ("body",)
    body: dict[str, Any]


class Made4xxResponse(ResponseVariant):
    _fields = ("code",)
    code: int


def test_fields_come_from_the_generated_field_list_not_annotations() -> None:
    body = ReportClassVar()
    record = MakeReportRequest(report_id=1, body=body)
    assert record.body is body  # a type named ...ClassVar is a field like any other
    assert record.limit is None and record.auth == Auth() and record.auth is not Auth()
    assert repr(record).startswith("MakeReportRequest(report_id=1, body=")


def test_records_are_keyword_only_frozen_and_compared_by_value() -> None:
    body = ReportClassVar()
    one = MakeReportRequest(report_id=1, body=body, limit=5)
    assert one == MakeReportRequest(report_id=1, body=body, limit=5)
    assert one != MakeReportRequest(report_id=2, body=body, limit=5)
    assert hash(one) == hash(MakeReportRequest(report_id=1, body=body, limit=5))
    with pytest.raises(FrozenInstanceError):
        one.limit = 6  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        del one.limit  # type: ignore[misc]
    with pytest.raises(TypeError, match="missing keyword argument 'body'"):
        MakeReportRequest(report_id=1)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"unexpected keyword arguments \['colour'\]"):
        MakeReportRequest(report_id=1, body=body, colour="red")  # type: ignore[call-arg]


def test_response_variants_carry_status_media_type_and_body() -> None:
    made = Made201JsonResponse(body={"id": 1})
    assert (made.status_code, made.media_type, made.kind, made.content) == (
        201,
        "application/json",
        "json",
        {"id": 1},
    )
    assert Made4xxResponse(code=418).status_code == 418
    assert (
        Made4xxResponse(code=418).content is None and Made4xxResponse(code=1).header_values() == {}
    )


def test_header_values_are_wire_strings() -> None:
    class Headers(Record):
        _fields = ("retry_after", "cached")
        retry_after: int
        cached: bool | None = None

    class Limited(ResponseVariant):
        status: ClassVar[int | None] = 429
        header_names: ClassVar[dict[str, str]] = {"retry_after": "Retry-After", "cached": "X-C"}
        _fields = ("headers",)
        headers: Headers

    assert Limited(headers=Headers(retry_after=3)).header_values() == {"Retry-After": "3"}
    both = Limited(headers=Headers(retry_after=3, cached=True)).header_values()
    assert both == {"Retry-After": "3", "X-C": "true"}


def test_base_handlers_defaults() -> None:
    handlers = BaseHandlers()
    assert asyncio.run(handlers.authenticate("bearer", "anything")) is True
    error = RequestError("op", 400, "Bad Request", "no")
    assert asyncio.run(handlers.error_response(error)) is None
    assert error.headers == {} and error.errors is None
    assert str(NotImplementedOperation("getPet")) == "operation 'getPet' is not implemented"
    assert Auth({"k": "v"}).is_anonymous is False and Auth().is_anonymous is True
