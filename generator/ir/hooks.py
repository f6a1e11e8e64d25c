"""IR records of webhooks and callbacks: requests the API's provider sends to a URL its
consumer chose. Both are `Operation`s (generator.ir.model) without a path of their own; a
webhook carries its name (`Operation.webhook`), a callback where it comes from."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CallbackOf:
    """Where a callback operation comes from: an operation's `callbacks` entry."""

    operation_id: str  # the operation that declares the callback
    name: str  # the callback's key, spec text
    expression: str  # the URL runtime expression, spec text: `{$request.body#/callbackUrl}`

    @property
    def url(self) -> str:
        """The expression, said to be one (for docstrings)."""
        return f"{self.expression} (a runtime expression over the request and response)"
