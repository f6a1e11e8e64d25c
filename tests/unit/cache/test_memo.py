"""The models memo: a hit is byte for byte what datamodel-code-generator would write, any
input it reads changes the key, and an unreadable or foreign entry is a miss."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.cache.memo import Memo, memo_key
from generator.config import ApiConfig
from generator.pipeline import Options, render_api
from generator.render.python import models

ROOT = Path(__file__).resolve().parents[3]
SPEC = ROOT / "specs" / "martian" / "feedback.yaml"


def test_keys_change_with_every_part() -> None:
    base = memo_key("models", ("0.89", "abc"), {"a": 1}, "header", "pydantic", True)
    assert base == memo_key("models", ("0.89", "abc"), {"a": 1}, "header", "pydantic", True)
    for changed in (
        memo_key("models", ("0.90", "abc"), {"a": 1}, "header", "pydantic", True),
        memo_key("models", ("0.89", "abd"), {"a": 1}, "header", "pydantic", True),
        memo_key("models", ("0.89", "abc"), {"a": 2}, "header", "pydantic", True),
        memo_key("models", ("0.89", "abc"), {"a": 1}, "other", "pydantic", True),
        memo_key("models", ("0.89", "abc"), {"a": 1}, "header", "msgspec", True),
        memo_key("models", ("0.89", "abc"), {"a": 1}, "header", "pydantic", False),
    ):
        assert changed != base


def test_unusable_entries_are_misses(tmp_path: Path) -> None:
    memo = Memo(tmp_path / "models")
    memo.put("k", "text")
    assert memo.get("k") == "text"
    assert memo.get("other") is None
    (tmp_path / "models" / "k.json").write_text("{not json")
    assert memo.get("k") is None
    (tmp_path / "models" / "k.json").write_text('{"key": "j", "text": "foreign"}')
    assert memo.get("k") is None
    memo.put("k", "again")  # rewritten whole
    assert memo.get("k") == "again"


def test_unusable_blobs_are_misses_with_a_warning(tmp_path: Path) -> None:
    warnings: list[str] = []
    memo = Memo(tmp_path / "parse", warnings.append)
    memo.put_blob("k", b"\x00payload\n\nwith blank lines")
    assert memo.get_blob("k") == b"\x00payload\n\nwith blank lines"
    assert memo.get_blob("other") is None and not warnings
    path = tmp_path / "parse" / "k.bin"
    data = path.read_bytes()
    for damaged in (data[:-1], data[:-1] + b"X", data.replace(b" k ", b" j "), b""):
        path.write_bytes(damaged)
        assert memo.get_blob("k") is None
    assert len(warnings) == 4 and all("k.bin" in w for w in warnings)
    memo.put_blob("k", b"again")
    assert memo.get_blob("k") == b"again"


@pytest.mark.parametrize(
    "value",
    [
        {"text": "é\u2028\x00", "n": [1, -2, 2.5, None, True], "t": {"b": "x", "a": "y"}},
        {"big": 2**70, "small": -(2**64)},  # ints orjson does not take
        {"nan": float("nan"), "inf": [float("-inf")]},  # orjson would write null
        {"lone": "\ud800"},  # a lone surrogate: not UTF-8
    ],
    ids=["plain", "big-ints", "non-finite", "surrogate"],
)
def test_every_json_value_reads_back_as_written(tmp_path: Path, value: dict[str, object]) -> None:
    """Entries are written by orjson where it writes what json would, else by json; either
    reads back as the value (NaN as NaN)."""
    memo = Memo(tmp_path / "values", warn=pytest.fail)
    memo.put_value("k", value)
    found = memo.get_value("k")
    assert json.dumps(found, sort_keys=True) == json.dumps(value, sort_keys=True)
    memo.put_table("t", {"a.py": "x = 1\n", "b.py": "é"})
    assert memo.get_table("t") == {"a.py": "x = 1\n", "b.py": "é"}


def test_a_hit_is_what_a_cold_run_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPECGEN_JOBS", "1")  # models.py generated here, where calls are seen
    config = ApiConfig("martian", (SPEC,), tmp_path / "out", styles=("models",), root=tmp_path)
    cold = render_api(config, Options(memo=False)).files
    assert not (tmp_path / ".specgen-cache").exists()  # memo=False: nothing kept

    first = render_api(config, Options()).files
    # What datamodel-code-generator wrote, and the module finished from it.
    assert len(list((tmp_path / ".specgen-cache" / "models").glob("*.json"))) == 2

    calls: list[object] = []
    real = models._generate
    monkeypatch.setattr(models, "_generate", lambda *a, **k: calls.append(a) or real(*a, **k))
    second = render_api(config, Options()).files
    assert calls == []  # answered from the memo
    assert cold == first == second

    monkeypatch.setattr(models, "_generator_fingerprint", lambda: ("another", "version"))
    render_api(config, Options())
    assert len(calls) == 1  # another datamodel-code-generator: generated anew


def test_a_finished_module_is_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A run whose schemas did not change reads the finished models.py (no parsing, no
    dropping of unused classes); without that entry, it finishes the generator's text again;
    a corrupt one is ignored with a warning."""
    monkeypatch.setenv("SPECGEN_JOBS", "1")
    config = ApiConfig("martian", (SPEC,), tmp_path / "out", styles=("models",), root=tmp_path)
    cold = render_api(config, Options(memo=False)).files
    render_api(config, Options())
    finishing: list[object] = []
    real = models.drop_unused
    monkeypatch.setattr(models, "drop_unused", lambda *a: finishing.append(a) or real(*a))
    assert render_api(config, Options()).files == cold
    assert finishing == []

    folder = tmp_path / ".specgen-cache" / "models"
    entries = {p: json.loads(p.read_text("utf-8")) for p in folder.glob("*.json")}
    (finished,) = [p for p, e in entries.items() if "value" in e]
    finished.write_text(json.dumps({"key": entries[finished]["key"], "value": {}}))
    assert render_api(config, Options()).files == cold
    assert "not a finished models.py" in capsys.readouterr().err
    assert len(finishing) == 1  # the generator's text, finished again
    finished.unlink()
    assert render_api(config, Options()).files == cold
    assert len(finishing) == 2


def test_a_finished_module_keeps_its_enum_members(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The finished entry keeps the enum members the templates spell defaults with, so a
    hit parses nothing; they read back as parsing models.py gives them, and an entry whose
    members are damaged is ignored with a warning."""
    monkeypatch.setenv("SPECGEN_JOBS", "1")
    spec = ROOT / "tests" / "corpus" / "params_component_types.yaml"
    config = ApiConfig("api", (spec,), tmp_path / "out", root=tmp_path)
    cold = render_api(config, Options(memo=False)).files
    render_api(config, Options())
    folder = tmp_path / ".specgen-cache" / "models"
    (finished,) = [p for p in folder.glob("*.json") if "value" in json.loads(p.read_text())]
    entry = json.loads(finished.read_text("utf-8"))
    assert models._read_enums(entry["value"]["enums"]) == models.enum_members(cold["models.py"])
    parsed: list[object] = []
    real = models.enum_members
    monkeypatch.setattr(models, "enum_members", lambda s: parsed.append(s) or real(s))
    assert render_api(config, Options()).files == cold
    assert parsed == []

    entry["value"]["enums"] = [["Region", [["eu-west"]]]]
    finished.write_text(json.dumps(entry))
    assert render_api(config, Options()).files == cold
    assert "not a finished models.py" in capsys.readouterr().err
    assert len(parsed) == 1


@pytest.mark.parametrize(
    "members",
    [{"A": {"a": "A", 2: "TWO", 2.5: "TWO_HALF", True: "YES", None: "NONE"}}, {}],
)
def test_enum_members_read_back_as_themselves(members: dict[str, dict[object, str]]) -> None:
    rows = models._enum_rows(members)
    assert rows is not None
    assert models._read_enums(json.loads(json.dumps(rows))) == members


def test_enum_members_json_cannot_spell_are_not_kept() -> None:
    assert models._enum_rows({"A": {float("nan"): "NAN"}}) is None
    assert models._enum_rows({"A": {b"x": "X"}}) is None


FORECAST_SPEC = """\
openapi: 3.0.3
info: {title: Pets, version: "1.0"}
paths:
  /pets:
    get:
      operationId: listPets
      summary: List the pets
      parameters:
        - {name: kind, in: query, schema: {type: string, enum: [cat, dog]}}
      responses:
        "200":
          description: the pets
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Pet"}}
components:
  schemas:
    Pet:
      type: object
      description: A pet
      properties:
        name: {type: string}
"""


def _seen(text: str, tmp_path: Path) -> str | None:
    from generator.load import load_spec

    path = tmp_path / "spec.yaml"
    path.write_text(text)
    spec, _ = load_spec([path])
    return models.schemas_seen_key(spec.document)


def test_the_forecast_sees_every_edit_that_can_change_models(tmp_path: Path) -> None:
    base = _seen(FORECAST_SPEC, tmp_path)
    assert base is not None and base == _seen(FORECAST_SPEC, tmp_path)
    assert _seen(FORECAST_SPEC.replace("List the pets", "All pets"), tmp_path) == base
    for edit in (
        ("description: A pet", "description: Any pet"),  # a docstring of models.py
        ("name: {type: string}", "name: {type: integer}"),
        ("enum: [cat, dog]", "enum: [cat, dog, bird]"),  # an inline type hoisted to models
        ("operationId: listPets", "operationId: allPets"),  # hoisted types' names
    ):
        assert _seen(FORECAST_SPEC.replace(*edit), tmp_path) != base, edit


def test_a_document_orjson_cannot_write_has_no_forecast() -> None:
    document = {"paths": {}, "components": {"schemas": {"A": {"properties": {1: {}}}}}}
    assert models.schemas_seen_key(document) is None


def test_a_run_leaves_its_forecast_for_the_next(tmp_path: Path) -> None:
    """The spare process warms up for models.py unless the memo has seen these schemas."""
    from generator.load import load_spec

    spec_path = tmp_path / "spec.yaml"
    spec_path.write_text(FORECAST_SPEC)
    config = ApiConfig(name="pets", specs=(spec_path,), output=tmp_path / "out", root=tmp_path)
    render_api(config, Options())
    spec, _ = load_spec([spec_path])
    key = models.schemas_seen_key(spec.document)
    assert key is not None
    assert Memo(tmp_path / ".specgen-cache" / "seen").get_value(key) is True
