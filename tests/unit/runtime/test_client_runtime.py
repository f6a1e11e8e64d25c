"""generator/runtime/python/_client_runtime.py and _client_request.py as code: requests,
credentials, retries and response parsing, over a real httpx transport (WSGITransport to a
small WSGI app in process)."""

from __future__ import annotations

import datetime as dt
import email.utils
import random
from typing import Any
from uuid import UUID

import httpx
import pytest

from generator.runtime.python import _client_runtime as rt
from generator.runtime.python._client_request import build_request


class NotFound(rt.ApiError):
    pass


DECLARED = (
    rt.Declared(200, 200, None, (("application/json", "json", dict[str, int]),)),
    rt.Declared(404, 404, NotFound, (("text/plain", "text", str),)),
)


def test_requests_carry_path_query_headers_body_and_credentials() -> None:
    seen: list[dict[str, Any]] = []

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        seen.append({**environ, "body": environ["wsgi.input"].read(length)})
        start_response("200 OK", [("Content-Type", "application/json")])
        return [b'{"n": 1}']

    call = rt.Call(
        method="POST",
        path="/items/{item_id}/{rest+}",
        path_params={"item_id": "a b/c", "rest+": "x/y"},
        query={"tags": ["a", "b"], "flag": True, "skip": None},
        headers={"X-When": dt.date(2026, 1, 2)},
        cookies={"session": UUID(int=1)},
        body_kind="json",
        body={"n": 1},
        body_type=dict[str, int],
        media_type="application/json",
        security=(("key",), ("bearer",)),
    )
    credentials = rt.Credentials({"bearer": ("bearer", "", "tok"), "key": ("query", "k", None)})
    with httpx.Client(base_url="http://api", transport=httpx.WSGITransport(app=app)) as http:
        transport = rt.Transport(http, credentials, rt.NO_RETRY)
        assert rt.parse(transport.send(call), DECLARED) == {"n": 1}
    (request,) = seen
    assert request["PATH_INFO"] == "/items/a b/c/x/y"  # decoded by the WSGI layer
    assert request["QUERY_STRING"] == "tags=a&tags=b&flag=true"
    assert request["HTTP_X_WHEN"] == "2026-01-02"
    assert request["HTTP_COOKIE"] == f"session={UUID(int=1)}"
    assert request["HTTP_AUTHORIZATION"] == "Bearer tok"  # the key alternative had no secret
    assert request["body"] == b'{"n": 1}'
    with httpx.Client() as plain:
        built = build_request(plain, call, credentials)
    assert built.url.raw_path.split(b"?")[0] == b"/items/a%20b%2Fc/x/y"  # escaped on the wire


@pytest.mark.parametrize(
    ("media_type", "text", "sent"),
    [
        ("text/plain", "café ✓", "café ✓".encode()),  # UTF-8, as the servers read it
        ("text/plain; charset=utf-16", "café ✓", "café ✓".encode("utf-16")),
        ('text/csv; header=present; charset="ISO-8859-15"', "café", b"caf\xe9"),
    ],
)
def test_a_text_body_is_sent_in_its_declared_charset(
    media_type: str, text: str, sent: bytes
) -> None:
    call = rt.Call("POST", "/notes", body_kind="text", body=text, media_type=media_type)
    with httpx.Client() as plain:
        built = build_request(plain, call, rt.Credentials({}))
    assert (built.content, built.headers["content-type"]) == (sent, media_type)


def test_declared_errors_and_unexpected_statuses() -> None:
    def respond(status: int, **kwargs: Any) -> httpx.Response:
        return httpx.Response(status, request=httpx.Request("GET", "http://api/x"), **kwargs)

    with pytest.raises(NotFound) as caught:
        rt.parse(respond(404, text="gone", headers={"Content-Type": "text/plain"}), DECLARED)
    assert caught.value.body == "gone" and caught.value.status_code == 404
    with pytest.raises(rt.UnexpectedStatus):
        rt.parse(respond(500), DECLARED)
    with pytest.raises(rt.ResponseParseError):
        rt.parse(respond(200, json={"n": "not an int"}), DECLARED)


def test_retry_after_and_backoff() -> None:
    assert rt.retry_after_seconds("3") == 3.0
    assert rt.retry_after_seconds("soon") is None and rt.retry_after_seconds(None) is None
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=90)
    seconds = rt.retry_after_seconds(email.utils.format_datetime(later, usegmt=True))
    assert seconds is not None and 85 <= seconds <= 90
    policy = rt.RetryPolicy(backoff=1.0, jitter=0.0, max_attempts=3, rng=random.Random(1))
    assert [policy.delay(n, None) for n in (1, 2, 3)] == [1.0, 2.0, None]
    limited = httpx.Response(429, headers={"Retry-After": "500"})
    assert policy.delay(1, limited) is None  # longer than max_retry_after: give up
    assert policy.should_retry("POST", False, limited)  # 429: not processed, safe to resend
    assert not policy.should_retry("POST", False, httpx.Response(503))
    assert policy.should_retry("GET", True, httpx.Response(503))
