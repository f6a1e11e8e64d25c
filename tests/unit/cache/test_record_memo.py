"""The generation record's operation hashes kept by each operation's IR digest: the same
hashes as computed anew, edit after edit; an unusable entry is a miss with a warning."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build.api import build_api
from generator.cache.memo import Memo
from generator.ir.digest import ir_digest
from generator.ir.model import Api
from generator.load import load_spec
from generator.report import record
from generator.validate import validate

ROOT = Path(__file__).resolve().parents[3]
SPEC = ROOT / "tests" / "corpus" / "names_keywords_operation_ids.yaml"


def _api(text: str, tmp_path: Path) -> Api:
    path = tmp_path / "spec.yaml"
    path.write_text(text)
    spec, _ = load_spec([path])
    return build_api("api", validate(spec).document, spec)


def test_kept_hashes_are_the_hashes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = SPEC.read_text()
    memo = Memo(tmp_path / "record")
    api = _api(text, tmp_path)
    fresh = record.operation_hashes(api.operations, None)
    assert record.operation_hashes(api.operations, memo) == fresh
    computed: list[object] = []
    real = record.short_hash
    monkeypatch.setattr(record, "short_hash", lambda v: computed.append(v) or real(v))
    assert record.operation_hashes(api.operations, memo) == fresh
    assert computed == []  # all kept
    edited = _api(text.replace("operationId: class,", "operationId: class, summary: x,"), tmp_path)
    hashes = record.operation_hashes(edited.operations, memo)
    assert len(computed) == 1  # the edited operation's
    assert hashes == record.operation_hashes(edited.operations, None)
    assert hashes != fresh


def test_digests_tell_apart_what_repr_does(tmp_path: Path) -> None:
    api = _api(SPEC.read_text(), tmp_path)
    digests = {ir_digest(op) for op in api.operations}
    assert len(digests) == len({repr(op) for op in api.operations})


def test_an_unusable_table_is_a_miss_with_a_warning(tmp_path: Path) -> None:
    warnings: list[str] = []
    memo = Memo(tmp_path / "record", warnings.append)
    api = _api(SPEC.read_text(), tmp_path)
    fresh = record.operation_hashes(api.operations, memo)
    (entry,) = (tmp_path / "record").glob("*.json")
    entry.write_text('{"key": "another", "table": {}}')
    assert record.operation_hashes(api.operations, memo) == fresh
    assert len(warnings) == 1 and entry.name in warnings[0]
