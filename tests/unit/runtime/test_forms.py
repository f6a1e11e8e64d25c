"""generator/runtime/python/_forms.py as code: `File` in pydantic models, a parsed form read
into a body's data (the server side), and a body spelled as form items (the client side),
with the multipart body httpx writes from them parsed back by python-multipart."""

from __future__ import annotations

import tempfile
from typing import Any

import httpx
import pytest
from pydantic import BaseModel
from python_multipart.multipart import MultipartParser, parse_options_header

from generator.runtime.python._forms import (
    File,
    FormError,
    FormField,
    collect,
    multipart_parts,
    urlencoded_items,
)


class Upload(BaseModel):
    avatar: File
    extra: list[File] = []
    width: int
    tags: list[str] = []


def test_file_reads_bytes_or_a_file_object_from_its_start() -> None:
    assert File(b"abc").read() == b"abc"
    with tempfile.TemporaryFile() as handle:
        handle.write(b"spooled")
        handle.seek(3)
        file = File(handle, "a.txt", "text/plain")
        assert file.read() == b"spooled"
        assert file.stream().read() == b"spooled"
    assert File(b"x", "a", "t") == File(b"x", "a", "t") != File(b"y", "a", "t")
    assert repr(File(b"abc", "a.png", "image/png")) == "File('a.png', 'image/png', 3 bytes)"


def test_file_in_a_model_validates_and_dumps() -> None:
    model = Upload(avatar=b"raw", width=1)  # bytes are taken as a file
    assert model.avatar == File(b"raw")
    with pytest.raises(ValueError, match="expected a file"):
        Upload(avatar=3, width=1)
    named = Upload(avatar=File(b"x", "a.png", "image/png"), width="2")  # type: ignore[arg-type]
    # JSON has no bytes: the dump names the file, which keeps a log line small.
    assert named.model_dump(mode="json")["avatar"] == {
        "filename": "a.png",
        "content_type": "image/png",
    }
    assert named.model_dump()["avatar"] is named.avatar
    avatar = Upload.model_json_schema()["properties"]["avatar"]
    assert (avatar["type"], avatar["format"]) == ("string", "binary")


FIELDS = (
    FormField("avatar", "file", content_types=("image/png", "image/*")),
    FormField("extra", "file", repeated=True),
    FormField("width"),
    FormField("tags", repeated=True),
    FormField("meta", "json"),
    FormField("sizes", repeated=True, explode=False),
)


def test_collect_reads_each_field_per_its_shape() -> None:
    png = File(b"\x89PNG", "a.png", "image/png")
    items: list[tuple[str, str | File]] = [
        ("avatar", png),
        ("width", "5"),
        ("tags", "a"),
        ("tags", "b"),
        ("meta", '{"k": [1]}'),
        ("sizes", "1,2,3"),
        ("extra", File(b"more", "more.txt")),
        ("unknown", "kept"),
    ]
    data = collect(items, FIELDS)
    assert data == {
        "avatar": png,
        "width": "5",  # the model turns text into numbers
        "tags": ["a", "b"],
        "meta": {"k": [1]},
        "sizes": ["1", "2", "3"],
        "extra": [File(b"more", "more.txt")],
        "unknown": "kept",
    }
    assert collect([("sizes", "")], FIELDS) == {"sizes": []}
    assert collect([("width", File(b"7", "w.txt"))], FIELDS) == {"width": "7"}


@pytest.mark.parametrize(
    ("items", "field", "message"),
    [
        ([("width", "1"), ("width", "2")], "width", "takes one value, got 2"),
        ([("meta", "{nope")], "meta", "is not JSON"),
        ([("avatar", File(b"GIF", "a.gif", "text/html"))], "avatar", "image/png, image/*"),
        ([("width", File(b"\xff\xfe", "w.bin"))], "width", "UTF-8"),
        ([("extra", "text, not a file")], "extra", "must be files"),
        ([("extra", File(b"a", "a")), ("extra", "b")], "extra", "must be files"),
    ],
)
def test_collect_names_the_bad_field(
    items: list[tuple[str, str | File]], field: str, message: str
) -> None:
    with pytest.raises(FormError, match=message) as caught:
        collect(items, FIELDS)
    assert caught.value.field == field


def test_a_part_without_a_filename_is_a_lone_files_bytes() -> None:
    # RFC 7578 makes the filename optional: one binary value takes the part's content.
    assert collect([("avatar", "null")], FIELDS) == {"avatar": File(b"null")}


def test_file_parts_without_a_type_or_generic_bytes_pass_the_encoding() -> None:
    for content_type in (None, "application/octet-stream", "image/webp"):
        got = collect([("avatar", File(b"x", "a", content_type))], FIELDS)
        assert got["avatar"].content_type == content_type


def test_urlencoded_items() -> None:
    data: dict[str, Any] = {
        "name": "Ada",
        "tags": ["a", "b"],
        "sizes": [1, 2],
        "flag": True,
        "ratio": 0.5,
        "meta": {"k": 1},
        "gone": None,
    }
    assert urlencoded_items(data, FIELDS) == [
        ("name", "Ada"),
        ("tags", "a"),
        ("tags", "b"),
        ("sizes", "1,2"),
        ("flag", "true"),
        ("ratio", "0.5"),
        ("meta", '{"k": 1}'),
    ]


def _parsed(parts: Any) -> list[tuple[str, str | None, str | None, bytes]]:
    """The multipart body httpx writes from `parts`, parsed by python-multipart: (name,
    filename, content type, bytes) per part."""
    request = httpx.Request("POST", "http://x", files=parts)
    body = request.read()
    _, options = parse_options_header(request.headers["content-type"])
    found: list[tuple[str, str | None, str | None, bytes]] = []
    headers: dict[bytes, bytes] = {}
    field, value, data = bytearray(), bytearray(), bytearray()

    def header_end() -> None:
        headers[bytes(field).lower()] = bytes(value)
        field.clear()
        value.clear()

    def part_end() -> None:
        _, disposition = parse_options_header(headers[b"content-disposition"])
        filename = disposition.get(b"filename")
        content_type = headers.get(b"content-type")
        found.append(
            (
                disposition[b"name"].decode(),
                filename.decode() if filename else None,
                content_type.decode() if content_type else None,
                bytes(data),
            )
        )
        headers.clear()
        data.clear()

    callbacks: Any = {
        "on_header_field": lambda b, s, e: field.extend(b[s:e]),
        "on_header_value": lambda b, s, e: value.extend(b[s:e]),
        "on_header_end": header_end,
        "on_part_data": lambda b, s, e: data.extend(b[s:e]),
        "on_part_end": part_end,
    }
    parser = MultipartParser(options[b"boundary"], callbacks)
    parser.write(body)
    parser.finalize()
    return found


def test_multipart_parts_round_trip_through_a_real_parser() -> None:
    png = File(b"\x89PNG\x00\xff", "a.png", "image/png")
    with tempfile.TemporaryFile() as handle:
        handle.write(b"from disk")
        extra = [File(handle), File(b"two", "2.bin", "application/octet-stream")]
        model = Upload(avatar=png, extra=extra, width=5, tags=["x", "é"])
        data, files = model.model_dump(mode="json"), model.model_dump()
        data["meta"], files["meta"] = {"k": [1]}, {"k": [1]}
        parsed = _parsed(multipart_parts(data, files, FIELDS))
    assert parsed == [
        ("avatar", "a.png", "image/png", b"\x89PNG\x00\xff"),
        ("extra", "extra", "application/octet-stream", b"from disk"),  # named after the field
        ("extra", "2.bin", "application/octet-stream", b"two"),
        ("width", None, None, b"5"),
        ("tags", None, None, b"x"),
        ("tags", None, None, "é".encode()),
        ("meta", None, "application/json", b'{"k": [1]}'),
    ]
