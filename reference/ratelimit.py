"""Rate limiting (off unless configured): a token bucket per caller.

A caller is its verified API key or, without one, its client address, which a small ASGI
middleware makes available to the handlers (the handler contract does not carry it).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

from starlette.types import ASGIApp, Receive, Scope, Send

_client_address: ContextVar[str] = ContextVar("client_address", default="unknown")


def client_address() -> str:
    """The address of the client of the request being handled."""
    return _client_address.get()


def set_client_address(address: str | None) -> None:
    """Record the client address (WSGI servers: from a before-request hook)."""
    _client_address.set(address or "unknown")


class ClientAddress:
    """ASGI middleware: records the client address for `client_address()`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            client = scope.get("client")
            _client_address.set(client[0] if client else "unknown")
        await self.app(scope, receive, send)


@dataclass(frozen=True)
class RateLimit:
    """`requests` per `seconds`: the bucket holds `requests` tokens (the burst) and refills
    at `requests / seconds` tokens per second."""

    requests: int
    seconds: float = 1.0

    def __post_init__(self) -> None:
        if self.requests < 1 or not (0 < self.seconds < math.inf):
            raise ValueError("a rate limit needs requests >= 1 and 0 < seconds < inf")

    @classmethod
    def parse(cls, text: str) -> RateLimit:
        """`N` (per second) or `N/SECONDS`, for example `5/1` or `100/60`."""
        count, _, seconds = text.strip().partition("/")
        try:
            return cls(int(count), float(seconds) if seconds else 1.0)
        except ValueError:
            raise ValueError(
                f"invalid rate limit {text!r}: expected N or N/SECONDS, e.g. 100/60"
            ) from None


class RateLimiter:
    """Token buckets by caller key."""

    MAX_BUCKETS = 10_000  # beyond this, full buckets (idle callers) are forgotten

    def __init__(self, limit: RateLimit, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.clock = clock
        self._rate = limit.requests / limit.seconds
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, at)
        self._lock = threading.Lock()

    def acquire(self, key: str) -> int:
        """Take a token: 0 when the request may proceed, else the whole seconds to wait
        (at least 1) before a token is available."""
        with self._lock:
            now = self.clock()
            tokens, at = self._buckets.get(key, (float(self.limit.requests), now))
            tokens = min(float(self.limit.requests), tokens + (now - at) * self._rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                self._prune(now)
                return 0
            self._buckets[key] = (tokens, now)
            return max(1, math.ceil((1.0 - tokens) / self._rate))

    def _prune(self, now: float) -> None:
        if len(self._buckets) <= self.MAX_BUCKETS:
            return
        full = float(self.limit.requests)
        for key, (tokens, at) in list(self._buckets.items()):
            if tokens + (now - at) * self._rate >= full:
                del self._buckets[key]
