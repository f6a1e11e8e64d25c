"""Compare two normalised documents: every change, with its rule, severity and pointer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.diff.context import Context
from generator.diff.document import Document
from generator.diff.model import Change
from generator.diff.rules_operations import compare_operations
from generator.diff.rules_security import compare_security_schemes
from generator.pointers import join_pointer


def compare_documents(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """The changes from `old` to `new` (both as `Validated.document`), most severe first."""
    ctx = Context.of(Document(old), Document(new))
    emit = ctx.emitter()
    _servers(ctx, old, new)
    compare_security_schemes(emit, ctx.old, ctx.new)
    compare_operations(ctx)
    for was, now in sorted(ctx.renames):
        if was not in ctx.new.schemas and now not in ctx.old.schemas:
            what = f"component schema `{was}` renamed to `{now}`"
            emit("schema-component-renamed", join_pointer("/components/schemas", now), "new", what)
    return sorted(ctx.sink, key=lambda c: c.sort_key)


def _urls(document: Mapping[str, Any]) -> dict[str, int]:
    servers = document.get("servers")
    urls: dict[str, int] = {}
    for i, server in enumerate(servers if isinstance(servers, list) else ()):
        if isinstance(server, Mapping) and isinstance(server.get("url"), str):
            urls.setdefault(server["url"].rstrip("/"), i)
    return urls


def _servers(ctx: Context, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
    emit = ctx.emitter()
    old_urls, new_urls = _urls(old), _urls(new)
    for url in sorted(old_urls.keys() - new_urls.keys()):
        emit("server-removed", f"/servers/{old_urls[url]}", "old", f"server {url} removed")
    for url in sorted(new_urls.keys() - old_urls.keys()):
        emit("server-added", f"/servers/{new_urls[url]}", "new", f"server {url} added")
