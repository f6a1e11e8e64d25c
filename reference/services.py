"""What both reference servers' handlers share: the store, the API keys, the rate limiter."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import ParamSpec, TypeVar

from .auth import ApiKeys
from .ratelimit import RateLimiter, client_address
from .storage import FeedbackStore

P = ParamSpec("P")
T = TypeVar("T")


@dataclass(frozen=True)
class Services:
    store: FeedbackStore
    keys: ApiKeys
    limiter: RateLimiter | None = None

    async def run(self, call: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run a (blocking) store call in a worker thread, off the event loop."""
        return await asyncio.to_thread(call, *args, **kwargs)

    def throttle(self, credentials: Mapping[str, str]) -> int:
        """0 when the caller may proceed, else the seconds it must wait (Retry-After).

        Callers are told apart by API key only when keys are checked; otherwise anyone could
        dodge the limit by sending a new made-up key each time, so the address counts."""
        if self.limiter is None:
            return 0
        credential = next(iter(credentials.values()), None)
        if credential is not None and self.keys.configured:
            return self.limiter.acquire("key:" + credential)
        return self.limiter.acquire("address:" + client_address())
