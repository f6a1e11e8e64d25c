"""The API's servers: their URLs with variables at their defaults, and the path part of
the first one, which generated servers mount their routes under (clients default to the
full URL, so the two meet)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from generator.ir.model import Server

_VARIABLE = re.compile(r"\{([^{}]*)\}")


def build_servers(document: Mapping[str, Any]) -> tuple[Server, ...]:
    servers = []
    for entry in document.get("servers") or ():
        if not isinstance(entry, Mapping) or not isinstance(entry.get("url"), str):
            continue
        url = _with_defaults(entry["url"], entry.get("variables"))
        description = entry.get("description")
        servers.append(
            Server(
                url=url,
                description=description if isinstance(description, str) else "",
                base_path=base_path(url),
            )
        )
    return tuple(servers)


def base_path(url: str) -> str:
    """The path of a server URL as a route prefix: "/v2" for `https://x.example/v2/`,
    "" for none. A variable left in it (no default) ends the prefix there."""
    path = urlsplit(url).path if "://" in url or url.startswith("//") else url.split("?")[0]
    path = path.split("{", 1)[0].rstrip("/")
    return "/" + path.lstrip("/") if path.strip("/") else ""


def _with_defaults(url: str, variables: Any) -> str:
    """`url` with each `{name}` replaced by its variable's default (the URL a client
    gets by default; a name without a default stays as written)."""
    if not isinstance(variables, Mapping):
        return url

    def default(match: re.Match[str]) -> str:
        variable = variables.get(match.group(1))
        value = variable.get("default") if isinstance(variable, Mapping) else None
        return str(value) if isinstance(value, str | int | float) else match.group(0)

    return _VARIABLE.sub(default, url)
