"""The request an operation call makes, as the generated clients build it: its URL,
query, headers and cookies as wire text, the credentials of the first security
alternative configured, and its body per media kind (`_client_runtime` sends it)."""

from __future__ import annotations

import base64
import enum
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import Any
from urllib.parse import quote, urlencode
from uuid import UUID

import httpx
from pydantic import BaseModel, TypeAdapter

from . import _binary, _forms, _media

FormField = _forms.FormField


@cache
def adapter(annotation: Any) -> TypeAdapter[Any]:
    return TypeAdapter(annotation)


def _wire(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return _wire(value.value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID | int | float | str):
        return str(value)
    if isinstance(value, BaseModel):
        return json.dumps(
            value.model_dump(mode="json", by_alias=True, exclude_unset=True)
        )
    return str(value)


QueryItems = list[tuple[str, str | int | float | bool | None]]


def _items(params: Mapping[str, Any]) -> QueryItems:
    items: QueryItems = []
    for name, value in params.items():
        if value is None:
            continue
        if isinstance(value, list | tuple):
            items.extend((name, _wire(v)) for v in value)
        else:
            items.append((name, _wire(value)))
    return items


@dataclass(frozen=True)
class Call:
    """One operation call, before credentials and transport."""

    method: str
    path: str  # template, e.g. /v1/items/{item_id}
    path_params: Mapping[str, Any] = field(default_factory=dict)
    query: Mapping[str, Any] = field(default_factory=dict)
    headers: Mapping[str, Any] = field(default_factory=dict)
    cookies: Mapping[str, Any] = field(default_factory=dict)
    body_kind: str = ""  # json, multipart, form, text, binary or "" for none
    body: Any = None
    body_type: Any = None
    media_type: str = ""
    form_fields: Sequence[FormField] = ()  # a multipart or form body's properties
    security: Sequence[tuple[str, ...]] = ()
    idempotent: bool = False

    def url(self) -> str:
        path = self.path
        for name, value in self.path_params.items():
            # A greedy `{name+}` variable spans segments: its slashes stay slashes.
            safe = "/" if name.endswith("+") else ""
            path = path.replace("{" + name + "}", quote(_wire(value), safe=safe))
        return path


@dataclass(frozen=True)
class Credentials:
    """Credentials by security scheme name: (kind, wire name, secret)."""

    schemes: Mapping[str, tuple[str, str, str | tuple[str, str] | None]]

    def apply(
        self,
        requirements: Iterable[tuple[str, ...]],
        headers: dict[str, str],
        query: QueryItems,
    ) -> None:
        """Send the first security alternative whose credentials are all configured."""
        for requirement in requirements:
            secrets = [self.schemes.get(key) for key in requirement]
            if not all(s is not None and s[2] is not None for s in secrets):
                continue
            for kind, name, secret in (s for s in secrets if s is not None):
                if kind == "bearer" and isinstance(secret, str):
                    headers["Authorization"] = f"Bearer {secret}"
                elif kind == "basic" and isinstance(secret, tuple):
                    raw = f"{secret[0]}:{secret[1]}".encode()
                    headers["Authorization"] = "Basic " + base64.b64encode(raw).decode()
                elif kind == "header" and isinstance(secret, str):
                    headers[name] = secret
                elif kind == "query" and isinstance(secret, str):
                    query.append((name, secret))
                elif kind == "cookie" and isinstance(secret, str):
                    headers["Cookie"] = "; ".join(
                        filter(None, [headers.get("Cookie"), f"{name}={secret}"])
                    )
            return


def build_request(
    http: httpx.Client | httpx.AsyncClient, call: Call, credentials: Credentials
) -> httpx.Request:
    headers = {name: _wire(v) for name, v in call.headers.items() if v is not None}
    cookies = [
        f"{name}={_wire(v)}" for name, v in call.cookies.items() if v is not None
    ]
    if cookies:
        headers["Cookie"] = "; ".join(cookies)
    query = _items(call.query)
    credentials.apply(call.security, headers, query)
    content: Any = None
    if call.body_kind == "multipart" and call.body is not None:
        # httpx writes the parts, and the Content-Type with their boundary.
        files = _forms.multipart_parts(*_dumps(call), call.form_fields)
        return http.build_request(
            call.method, call.url(), params=query, headers=headers, files=files
        )
    if call.body_kind and call.body is not None:
        headers["Content-Type"] = call.media_type
        if call.body_kind == "form":
            items = _forms.urlencoded_items(_dumps(call)[0], call.form_fields)
            content = urlencode(items).encode("ascii")
        elif call.body_kind == "json":
            data = adapter(call.body_type).dump_python(
                call.body, mode="json", by_alias=True, exclude_unset=True
            )
            # allow_nan=False: refuse to send NaN/Infinity, which are not JSON.
            content = json.dumps(data, ensure_ascii=False, allow_nan=False).encode(
                "utf-8"
            )
        elif call.body_kind == "text":
            content = str(call.body).encode(_media.charset(call.media_type))
        else:
            asynchronous = isinstance(http, httpx.AsyncClient)
            content = _binary.upload_content(call.body, asynchronous)
    return http.build_request(
        call.method, call.url(), params=query, headers=headers, content=content
    )


def _dumps(call: Call) -> tuple[Any, Any]:
    """A form body dumped to JSON (its text) and as Python (its `File`s)."""
    dump = adapter(call.body_type).dump_python
    as_json = dump(call.body, mode="json", by_alias=True, exclude_unset=True)
    return as_json, dump(call.body, by_alias=True, exclude_unset=True)
