"""Transport, retries and response parsing shared by the generated clients (requests
are built in `_client_request`, streamed responses read in `_client_streams`)."""

from __future__ import annotations

import asyncio
import email.utils
import json
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

from . import _binary, _client_request, _media
from ._client_request import adapter, build_request

# The clients name these here, with the rest of the runtime.
Call = _client_request.Call
Credentials = _client_request.Credentials
FormField = _client_request.FormField


class ApiError(Exception):
    """An HTTP error response; `body` is parsed per the declared media type."""

    def __init__(self, response: httpx.Response, body: Any) -> None:
        request = response.request
        super().__init__(f"{request.method} {request.url} -> {response.status_code}")
        self.response = response
        self.status_code = response.status_code
        self.headers = response.headers
        self.body = body

    @property
    def problem(self) -> dict[str, Any] | None:
        """The RFC 9457 problem of an `application/problem+json` response (generated
        servers answer it for errors the spec does not declare), else None."""
        media = self.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if media != "application/problem+json":
            return None
        try:
            found = json.loads(self.response.content)
        except ValueError:
            return None
        return found if isinstance(found, dict) else None


class UnexpectedStatus(ApiError):
    """A status code the spec does not declare for the operation."""


class ResponseParseError(ApiError):
    """A declared response whose body does not match its schema or media type."""


@dataclass(frozen=True)
class RetryPolicy:
    """Retries with exponential backoff and jitter, honouring `Retry-After`.

    Idempotent methods are retried on any status in `statuses`; other methods only on
    429, where the server said the request was not processed. Connection failures (the
    request never reached the server) are retried for every method.
    """

    max_attempts: int = 4
    backoff: float = 0.5  # first delay in seconds, doubled each attempt
    max_backoff: float = 30.0
    jitter: float = 0.5  # each delay is scaled by a random factor in [1 - jitter, 1]
    statuses: frozenset[int] = frozenset({429, 503})
    max_retry_after: float = (
        120.0  # a longer Retry-After is not waited out: the error is raised
    )
    # An idempotent SSE stream that drops mid-way is resumed (`_client_streams`): at
    # most this many times in a row without an event between them; 0 turns it off.
    max_reconnects: int = 3
    reconnect_delay: float = 3.0  # seconds, until the server sends `retry:`
    rng: random.Random = field(default_factory=random.Random, compare=False, repr=False)

    def delay(self, attempt: int, response: httpx.Response | None) -> float | None:
        """Seconds to wait before attempt `attempt + 1`, or None to give up."""
        if attempt >= self.max_attempts:
            return None
        if response is not None:
            after = retry_after_seconds(response.headers.get("retry-after"))
            if after is not None:
                return after if after <= self.max_retry_after else None
        base = min(self.max_backoff, self.backoff * (2.0 ** (attempt - 1)))
        return base * (1 - self.jitter * self.rng.random())

    def should_retry(
        self, method: str, idempotent: bool, response: httpx.Response
    ) -> bool:
        if response.status_code not in self.statuses:
            return False
        return idempotent or response.status_code == 429


NO_RETRY = RetryPolicy(max_attempts=1, max_reconnects=0)


def retry_after_seconds(value: str | None) -> float | None:
    """`Retry-After` as seconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


@dataclass(frozen=True)
class Declared:
    """A declared response: status range, error class, and body type per media type."""

    low: int
    high: int
    error: type[ApiError] | None  # None for success responses
    contents: tuple[tuple[str, str, Any], ...] = ()  # (media type, kind, annotation)


def _chosen(response: httpx.Response, declared: Declared) -> tuple[str, str, Any]:
    """The declared (media type, kind, annotation) the response's Content-Type is."""
    received = _media.base(response.headers.get("content-type", ""))
    for media_type, kind, annotation in declared.contents:
        base = _media.base(media_type)
        if base == received or (base.endswith("/*") and received.startswith(base[:-1])):
            return media_type, kind, annotation
    return declared.contents[0]


def _decode(response: httpx.Response, declared: Declared) -> Any:
    if not declared.contents or not response.content:
        return None
    _, kind, annotation = _chosen(response, declared)
    if kind == "json":
        return adapter(annotation).validate_json(response.content)
    if kind == "text":
        return response.text
    return response.content


def _declared_for(
    response: httpx.Response, declared: Sequence[Declared]
) -> Declared | None:
    for entry in declared:
        if entry.low <= response.status_code <= entry.high:
            return entry
    return None


def parse(response: httpx.Response, declared: Sequence[Declared]) -> Any:
    """The body of a success response; an error response raises its declared error."""
    entry = _declared_for(response, declared)
    if entry is None:
        raise UnexpectedStatus(response, response.content)
    try:
        body = _decode(response, entry)
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        raise ResponseParseError(response, response.content) from exc
    if entry.error is not None:
        raise entry.error(response, body)
    return body


_RETRYABLE_ALWAYS: tuple[type[Exception], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
)
_RETRYABLE_IDEMPOTENT: tuple[type[Exception], ...] = (httpx.TransportError,)


def _retried(policy: RetryPolicy, call: Call, response: httpx.Response) -> bool:
    # A streamed upload was read by the first attempt: not sent again after an answer.
    replayable = call.body_kind != "binary" or _binary.is_replayable(call.body)
    return replayable and policy.should_retry(call.method, call.idempotent, response)


class Transport:
    """Sends calls with credentials and retries, for the sync client."""

    def __init__(
        self, http: httpx.Client, credentials: Credentials, retry: RetryPolicy
    ) -> None:
        self.http = http
        self.credentials = credentials
        self.retry = retry

    def send(self, call: Call, *, stream: bool = False) -> httpx.Response:
        # Only a failed connection proves the server never saw a non-idempotent request.
        retryable = _RETRYABLE_ALWAYS if not call.idempotent else _RETRYABLE_IDEMPOTENT
        attempt = 1
        while True:
            request = build_request(self.http, call, self.credentials)
            try:
                response = self.http.send(request, stream=stream)
            except retryable:
                wait = self.retry.delay(attempt, None)
                if wait is None:
                    raise
            else:
                if not _retried(self.retry, call, response):
                    return response
                wait = self.retry.delay(attempt, response)
                if wait is None:
                    return response
                response.close()
            time.sleep(wait)
            attempt += 1


class AsyncTransport:
    """Sends calls with credentials and retries, for the async client."""

    def __init__(
        self, http: httpx.AsyncClient, credentials: Credentials, retry: RetryPolicy
    ) -> None:
        self.http = http
        self.credentials = credentials
        self.retry = retry

    async def send(self, call: Call, *, stream: bool = False) -> httpx.Response:
        # Only a failed connection proves the server never saw a non-idempotent request.
        retryable = _RETRYABLE_ALWAYS if not call.idempotent else _RETRYABLE_IDEMPOTENT
        attempt = 1
        while True:
            request = build_request(self.http, call, self.credentials)
            try:
                response = await self.http.send(request, stream=stream)
            except retryable:
                wait = self.retry.delay(attempt, None)
                if wait is None:
                    raise
            else:
                if not _retried(self.retry, call, response):
                    return response
                wait = self.retry.delay(attempt, response)
                if wait is None:
                    return response
                await response.aclose()
            await asyncio.sleep(wait)
            attempt += 1
