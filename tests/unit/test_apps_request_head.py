"""specgen's uvicorn servers take a legal request whose query is long (a spec's 100 KB
default sent back by a fuzzer): h11's default limit (16 KiB) would answer 400 itself."""

from __future__ import annotations

from typing import Any

import httpx

from generator.apps import serve_in_thread


async def _echo_length(scope: dict[str, Any], receive: Any, send: Any) -> None:
    body = str(len(scope["query_string"])).encode()
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": body})


def test_a_long_query_reaches_the_app() -> None:
    with serve_in_thread(_echo_length) as url:
        answer = httpx.get(url + "/a", params={"q": "x" * 60_000}, timeout=10)
    assert answer.status_code == 200
    assert answer.text == str(len("q=") + 60_000)
