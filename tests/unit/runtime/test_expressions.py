"""generator/runtime/python/_expressions.py as code: OpenAPI runtime expressions, whole and
embedded in a URL, over JSON data and pydantic models."""

from __future__ import annotations

import pydantic
import pytest

from generator.runtime.python._expressions import ExpressionError, callback_url, evaluate


class Body(pydantic.BaseModel):
    callback_url: str = pydantic.Field(alias="callbackUrl")
    ids: list[int] = []


REQUEST = {
    "body": Body(callbackUrl="https://me.example/hook", ids=[4, 5]),
    "header": {"X-Tenant": "a b"},
    "query": {"id": "7"},
    "path": {"petId": "p/1"},
}


def test_whole_expressions_read_the_request() -> None:
    assert callback_url("{$request.body#/callbackUrl}", request=REQUEST) == (
        "https://me.example/hook"
    )
    assert callback_url("$request.body#/callbackUrl", request=REQUEST) == (
        "https://me.example/hook"
    )
    assert evaluate("$request.body#/ids/1", request=REQUEST) == 5
    assert evaluate("$request.header.x-tenant", request=REQUEST) == "a b"  # any case
    assert evaluate("$method", method="POST") == "POST"
    assert evaluate("$statusCode", status_code=201) == 201
    assert evaluate("$response.body#/a~1b", response={"body": {"a/b": 1}}) == 1


def test_embedded_expressions_are_percent_encoded() -> None:
    url = "https://x.example/cb/{$request.path.petId}?t={$request.header.X-Tenant}&id={$request.query.id}"
    assert callback_url(url, request=REQUEST) == "https://x.example/cb/p%2F1?t=a%20b&id=7"
    assert callback_url("{$url}/done", url="https://api.example/x") == (
        "https%3A%2F%2Fapi.example%2Fx/done"
    )


@pytest.mark.parametrize(
    "expression",
    ["$request.body#/missing", "$request.query.nope", "$request.cookie.a", "$nothing", "$request"],
)
def test_expressions_that_name_nothing_raise(expression: str) -> None:
    with pytest.raises(ExpressionError):
        evaluate(expression, request=REQUEST)
