"""A synthetic OpenAPI 3.0 spec of OpenAI's size and shape, the same for a given seed: run
python benchmarks/synth_spec.py OUT.yaml [--seed N] [--resources 48]
OpenAI's spec is about 2.9 MB of YAML: ~288 operations, ~1,400 schemas. Each of the 48
resources here gives 6 operations (paginated list, create, retrieve, update, delete, and a
multipart upload or a `text/event-stream`) and 29 schemas: nested objects, allOf, oneOf with
discriminator mappings, enums, nullable, arrays, maps, $refs between resources; parameters
and errors are shared components; descriptions are as wordy as OpenAI's.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path
from typing import Any

import yaml

_NOUNS = (
    "assistant thread message run step vector store file batch model image audio speech "
    "transcript moderation embedding completion chat response project user invite key "
    "certificate organization usage cost evaluation grader job checkpoint upload part "
    "session realtime conversation item container skill prompt tool webhook team group role "
    "policy secret dataset label"
).split()
_WORDS = (
    "the a an of to for with when this that which returns object list value field request "
    "response identifier unix timestamp seconds created updated status token model input "
    "output set null default maximum minimum number string array used by API client server "
    "may must will only if not be is are can each any all more see guide reference"
).split()
_STATUSES = ("queued", "in_progress", "completed", "failed", "cancelled", "expired", "paused")
_EVENTS = ("created", "in_progress", "delta", "completed", "failed")
Schema = dict[str, Any]
_PAGE = ("Limit", "After", "Before", "Order")
_ERRORS = {code: {"$ref": f"#/components/responses/{name}"}
           for code, name in (("400", "BadRequest"), ("404", "NotFound"))}  # fmt: skip


def _json(schema: Schema) -> Schema:
    return {"application/json": {"schema": schema}}


def _camel(*parts: str) -> str:
    return "".join(p[:1].upper() + p[1:] for part in parts for p in part.split("_"))


class Synth:
    def __init__(self, seed: int, resources: int) -> None:
        self.rng = random.Random(seed)
        names = [f"{a}_{b}" for a in _NOUNS for b in ("item", "record", "entry")]
        self.rng.shuffle(names)
        self.names = sorted(names[:resources])
        self.schemas: dict[str, Schema] = {}
        self.paths: dict[str, Any] = {}

    def text(self, low: int = 8, high: int = 40) -> str:
        words = self.rng.choices(_WORDS, k=self.rng.randint(low, high) * 3)
        return (" ".join(words).capitalize() + ".").replace(" .", ".")

    def ref(self, name: str) -> Schema:
        return {"$ref": f"#/components/schemas/{name}"}

    def scalar(self) -> Schema:
        kind = self.rng.choice(("string", "integer", "number", "boolean", "date", "bounded"))
        if kind == "date":
            return {"type": "string", "format": "date-time", "description": self.text()}
        if kind == "bounded":
            return {"type": "integer", "minimum": 0, "maximum": 4096, "default": 16}
        return {"type": kind, "description": self.text()}

    def detail(self, name: str, index: int) -> None:
        props: Schema = {f"field_{i}": self.scalar() for i in range(self.rng.randint(3, 8))}
        props["tags"] = {"type": "array", "items": {"type": "string"}, "maxItems": 16}
        props["note"] = {"type": "string", "nullable": True, "description": self.text()}
        if index % 3 == 0:
            props["extra"] = {"type": "object", "additionalProperties": {"type": "string"}}
        if index % 4 == 1:
            props["nested"] = {
                "type": "object",
                "description": self.text(),
                "properties": {"depth": {"type": "integer"}, "inner": self.ref(f"{name}Usage")},
            }
        self.schemas[f"{name}Detail{index}"] = {
            "type": "object",
            "description": self.text(20, 80),
            "required": sorted(props)[:2],
            "properties": props,
        }

    def resource(self, position: int, raw: str) -> None:
        name = _camel(raw)
        other = _camel(self.names[(position + 7) % len(self.names)])
        s = self.schemas
        s[f"{name}Status"] = {"type": "string", "enum": list(_STATUSES[: 3 + position % 5])}
        s[f"{name}Usage"] = {
            "type": "object",
            "required": ["total_tokens"],
            "properties": {
                "input_tokens": {"type": "integer", "minimum": 0},
                "output_tokens": {"type": "integer", "minimum": 0},
                "total_tokens": {"type": "integer", "minimum": 0, "description": self.text()},
            },
        }
        s[f"{name}Config"] = {
            "allOf": [
                self.ref("BaseConfig"),
                {
                    "type": "object",
                    "properties": {
                        "temperature": {"type": "number", "minimum": 0, "maximum": 2},
                        "mode": {"type": "string", "enum": ["auto", "manual", "none"]},
                        "limits": {
                            "type": "object",
                            "properties": {
                                "max": {"type": "integer"},
                                "detail": self.ref(f"{name}Detail0"),
                            },
                        },
                    },
                },
            ],
            "description": self.text(20, 60),
        }
        s[f"{name}Item"] = {
            "type": "object",
            "required": ["id", "type"],
            "properties": {
                "id": {"type": "string"},
                "type": {"type": "string", "enum": ["text", "image", "file"]},
                "content": {"type": "string", "nullable": True},
                "detail": self.ref(f"{name}Detail1"),
            },
        }
        tools = ("function", "search", "interpreter")
        for tool in tools:
            s[f"{name}Tool{_camel(tool)}"] = {
                "type": "object",
                "required": ["type"],
                "description": self.text(),
                "properties": {
                    "type": {"type": "string", "enum": [tool]},
                    "options": self.ref(f"{name}Detail{2 + tools.index(tool)}"),
                },
            }
        s[f"{name}Tool"] = {
            "oneOf": [self.ref(f"{name}Tool{_camel(t)}") for t in tools],
            "discriminator": {
                "propertyName": "type",
                "mapping": {t: f"#/components/schemas/{name}Tool{_camel(t)}" for t in tools},
            },
        }
        s[name] = {
            "type": "object",
            "description": self.text(30, 90),
            "required": ["id", "object", "created_at", "status"],
            "properties": {
                "id": {"type": "string", "description": self.text()},
                "object": {"type": "string", "enum": [raw]},
                "created_at": {"type": "integer", "description": self.text()},
                "name": {"type": "string", "nullable": True, "description": self.text()},
                "status": self.ref(f"{name}Status"),
                "metadata": self.ref("Metadata"),
                "config": self.ref(f"{name}Config"),
                "items": {"type": "array", "items": self.ref(f"{name}Item")},
                "tools": {"type": "array", "items": self.ref(f"{name}Tool"), "maxItems": 128},
                "usage": {"allOf": [self.ref(f"{name}Usage")], "nullable": True},
                "related_status": self.ref(f"{other}Status"),
            },
        }
        s[f"Create{name}Request"] = {
            "type": "object",
            "required": ["name"],
            "additionalProperties": False,
            "properties": {
                "name": {"type": "string", "maxLength": 256, "description": self.text()},
                "config": self.ref(f"{name}Config"),
                "tools": {"type": "array", "items": self.ref(f"{name}Tool")},
                "metadata": self.ref("Metadata"),
                "stream": {"type": "boolean", "default": False, "nullable": True},
            },
        }
        s[f"Update{name}Request"] = {
            "type": "object",
            "properties": {
                "name": {"type": "string", "nullable": True},
                "status": self.ref(f"{name}Status"),
                "metadata": self.ref("Metadata"),
            },
        }
        s[f"List{name}Response"] = {
            "type": "object",
            "required": ["object", "data", "has_more"],
            "properties": {
                "object": {"type": "string", "enum": ["list"]},
                "data": {"type": "array", "items": self.ref(name)},
                "first_id": {"type": "string"},
                "last_id": {"type": "string"},
                "has_more": {"type": "boolean"},
            },
        }
        s[f"Deleted{name}Response"] = {
            "type": "object",
            "required": ["id", "deleted"],
            "properties": {"id": {"type": "string"}, "deleted": {"type": "boolean"}},
        }
        for event in _EVENTS:
            data = self.ref(f"{name}Delta") if event == "delta" else self.ref(name)
            s[f"{name}Event{_camel(event)}"] = {
                "allOf": [
                    self.ref("StreamEventBase"),
                    {
                        "type": "object",
                        "required": ["event", "data"],
                        "properties": {
                            "event": {"type": "string", "enum": [f"{raw}.{event}"]},
                            "data": data,
                        },
                    },
                ],
                "description": self.text(),
            }
        s[f"{name}StreamEvent"] = {
            "oneOf": [self.ref(f"{name}Event{_camel(e)}") for e in _EVENTS],
            "discriminator": {
                "propertyName": "event",
                "mapping": {
                    f"{raw}.{e}": f"#/components/schemas/{name}Event{_camel(e)}" for e in _EVENTS
                },
            },
        }
        s[f"{name}Delta"] = {
            "type": "object",
            "properties": {
                "index": {"type": "integer"},
                "items": {"type": "array", "items": self.ref(f"{name}Item")},
                "usage": self.ref(f"{name}Usage"),
            },
        }
        s[f"{name}Upload"] = {
            "type": "object",
            "required": ["file", "purpose"],
            "properties": {
                "file": {"type": "string", "format": "binary", "description": self.text()},
                "purpose": {"type": "string", "enum": ["input", "output", "fine-tune"]},
                "label": {"type": "string"},
            },
        }
        for index in range(8):
            self.detail(name, index)
        self.operations(position, raw, name)

    def operations(self, position: int, raw: str, name: str) -> None:
        base = f"/{raw.replace('_', '-')}s"
        item = f"{base}/{{{raw}_id}}"
        tag = _camel(raw)
        pid = {"$ref": f"#/components/parameters/{tag}Id"}

        def op(verb: str, summary: str, body: Any, content: Any, **extra: Any) -> Any:
            if isinstance(content, str):
                content = _json(self.ref(content))
            responses = {"200": {"description": "OK", "content": content}, **_ERRORS}
            if body is not None:
                body = {"required": True, "content": body}
                extra["requestBody"] = body
            described = {"summary": summary, "description": self.text(30, 120)}
            return {"operationId": f"{verb}{tag}", "tags": [tag], **described, **extra,
                    "responses": responses}  # fmt: skip

        created = _json(self.ref(name))
        if position % 3 == 0:
            created["text/event-stream"] = {"schema": self.ref(f"{name}StreamEvent")}
        pages = [{"$ref": f"#/components/parameters/{p}"} for p in _PAGE]
        create, update = (
            _json(self.ref(f"Create{name}Request")),
            _json(self.ref(f"Update{name}Request")),
        )
        self.paths[base] = {
            "get": op("list", f"List {raw}s", None, f"List{name}Response", parameters=pages),
            "post": op("create", f"Create a {raw}", create, created),
        }
        self.paths[item] = {
            "parameters": [pid],
            "get": op("retrieve", f"Retrieve a {raw}", None, name),
            "post": op("modify", f"Modify a {raw}", update, name),
            "delete": op("delete", f"Delete a {raw}", None, f"Deleted{name}Response"),
        }
        if position % 2 == 0:
            upload = {"multipart/form-data": {"schema": self.ref(f"{name}Upload")}}
            post = op("upload", f"Upload a file to a {raw}", upload, name)
            self.paths[f"{item}/files"] = {"parameters": [pid], "post": post}
        else:
            stream = {"text/event-stream": {"schema": self.ref(f"{name}StreamEvent")}}
            get = op("stream", f"Stream the events of a {raw}", None, stream)
            self.paths[f"{item}/events"] = {"parameters": [pid], "get": get}

    def document(self) -> dict[str, Any]:
        for position, raw in enumerate(self.names):
            self.resource(position, raw)
        self.schemas.update(_shared(self))
        params: dict[str, Any] = {
            "Limit": {
                "name": "limit",
                "in": "query",
                "schema": {"type": "integer", "default": 20, "minimum": 1, "maximum": 100},
            },
            "After": {
                "name": "after",
                "in": "query",
                "schema": {"type": "string"},
                "description": self.text(),
            },
            "Before": {
                "name": "before",
                "in": "query",
                "schema": {"type": "string"},
                "description": self.text(),
            },
            "Order": {
                "name": "order",
                "in": "query",
                "schema": {"type": "string", "enum": ["asc", "desc"], "default": "desc"},
            },
        }
        for raw in self.names:
            params[f"{_camel(raw)}Id"] = {
                "name": f"{raw}_id",
                "in": "path",
                "required": True,
                "schema": {"type": "string"},
                "description": self.text(),
            }
        error = {"application/json": {"schema": self.ref("ErrorResponse")}}
        return {
            "openapi": "3.0.3",
            "info": {
                "title": "Synthetic API",
                "version": "1.0.0",
                "description": self.text(50, 200),
            },
            "servers": [{"url": "https://api.example.com/v1"}],
            "security": [{"ApiKeyAuth": []}],
            "paths": self.paths,
            "components": {
                "securitySchemes": {"ApiKeyAuth": {"type": "http", "scheme": "bearer"}},
                "parameters": params,
                "responses": {
                    "BadRequest": {"description": "Bad request", "content": error},
                    "NotFound": {"description": "Not found", "content": error},
                },
                "schemas": self.schemas,
            },
        }


def _shared(synth: Synth) -> dict[str, Schema]:
    nullable = {"type": "string", "nullable": True}
    return {
        "Metadata": {"type": "object", "nullable": True, "maxProperties": 16,
                     "additionalProperties": {"type": "string", "maxLength": 512},
                     "description": synth.text()},
        "BaseConfig": {"type": "object", "properties": {"seed": {**nullable, "type": "integer"}}},
        "StreamEventBase": {"type": "object", "properties": {"sequence": {"type": "integer"}}},
        "Error": {"type": "object", "required": ["message", "type"],
                  "properties": {"message": {"type": "string"}, "type": {"type": "string"},
                                 "param": nullable, "code": nullable}},
        "ErrorResponse": {"type": "object", "required": ["error"],
                          "properties": {"error": synth.ref("Error")}},
    }  # fmt: skip


class _NoAliases(yaml.SafeDumper):  # a shared dict written out each time (no &id001)
    def ignore_aliases(self, data: Any) -> bool:
        return True


def write_yaml(document: dict[str, Any]) -> str:
    return yaml.dump(document, Dumper=_NoAliases, sort_keys=False, width=100, allow_unicode=True)


def synthesize(seed: int = 0, resources: int = 48) -> dict[str, Any]:
    return Synth(seed, resources).document()  # the same document for the same arguments


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--resources", type=int, default=48)
    args = parser.parse_args()
    document = synthesize(args.seed, args.resources)
    args.out.write_text(text := write_yaml(document), "utf-8")
    operations = sum(len(item.keys() - {"parameters"}) for item in document["paths"].values())
    schemas = len(document["components"]["schemas"])
    print(f"{args.out}: {len(text) / 1e6:.2f} MB, {operations} operations, {schemas} schemas")


if __name__ == "__main__":
    main()
