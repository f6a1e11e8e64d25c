"""`_server_bodies.choose_media`: which declared media type of a body of several a request's
Content-Type is."""

from __future__ import annotations

import pytest

from generator.runtime.python import _server_bodies as bodies
from generator.runtime.python._problems import HTTPProblem

MEDIA = (
    bodies.BodyMedia("application/merge-patch+json", "json", dict),
    bodies.BodyMedia("application/xml", "binary", bytes),
    bodies.BodyMedia("multipart/form-data", "multipart", dict),
    bodies.BodyMedia("*/*", "binary", bytes),
    bodies.BodyMedia("text/*", "text", str),
)


@pytest.mark.parametrize(
    ("content_type", "chosen"),
    [
        ("", "application/merge-patch+json"),  # none: what clients send, listed first
        ("Application/XML; charset=utf-8", "application/xml"),
        ("multipart/form-data; boundary=x", "multipart/form-data"),
        ("application/json", "application/merge-patch+json"),  # any JSON: the JSON one
        ("application/vnd.a+json", "application/merge-patch+json"),
        ("text/csv", "text/*"),  # a range of a type before */*
        ("image/png", "*/*"),
    ],
)
def test_the_declared_media_type_a_content_type_is(content_type: str, chosen: str) -> None:
    assert bodies.choose_media(MEDIA, content_type).media_type == chosen


def test_a_content_type_none_of_them_is_415() -> None:
    with pytest.raises(HTTPProblem) as caught:
        bodies.choose_media(MEDIA[:3], "text/plain")
    assert caught.value.status == 415
    assert "application/xml" in str(caught.value.detail)
