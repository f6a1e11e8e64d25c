"""generator/build/servers.py: server URLs with their variables' defaults, and the base path
generated servers mount their routes under."""

from __future__ import annotations

import pytest

from generator.build.servers import base_path, build_servers


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("https://api.example.com", ""),
        ("https://api.example.com/", ""),
        ("https://api.example.com/v2", "/v2"),
        ("https://api.example.com/api/v2/", "/api/v2"),
        ("/v1", "/v1"),
        ("v1", "/v1"),
        ("/", ""),
        ("http://localhost:8080/base?x=1", "/base"),
        ("https://api.example.com/{tenant}/v1", ""),  # no default: the prefix stops there
        ("https://api.example.com/v1/{tenant}", "/v1"),
    ],
)
def test_base_path(url: str, path: str) -> None:
    assert base_path(url) == path


def test_variables_take_their_defaults() -> None:
    document = {
        "servers": [
            {
                "url": "https://{region}.example.com/{version}",
                "description": "Production",
                "variables": {"region": {"default": "eu"}, "version": {"default": "v2"}},
            },
            {"url": "http://localhost/{missing}"},
            {"url": 3},
        ]
    }
    first, second = build_servers(document)
    assert (first.url, first.base_path, first.description) == (
        "https://eu.example.com/v2",
        "/v2",
        "Production",
    )
    assert (second.url, second.base_path) == ("http://localhost/{missing}", "")
    assert build_servers({}) == ()
