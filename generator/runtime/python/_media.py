"""Media types as both sides read them: the type without its parameters, and the charset
a text body is in. Shared by the servers' and the clients' runtime modules."""

from __future__ import annotations


def base(media_type: str) -> str:
    """`text/plain; charset=utf-8` -> `text/plain` (lower case)."""
    return media_type.split(";", 1)[0].strip().lower()


def charset(media_type: str) -> str:
    """The charset a text body of `media_type` is in: its `charset` parameter, else
    UTF-8 (what the servers read and the clients send without one)."""
    for parameter in media_type.split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"'):
            return value.strip().strip('"')
    return "UTF-8"
