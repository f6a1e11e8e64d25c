"""tidy_python puts a rendered module's imports and `__all__` in the form ruff's check pass
leaves them in, so that the pass has nothing to fix; it never drops an import in use, and
leaves alone what it does not read. The judge is ruff itself, run on the files."""

from __future__ import annotations

import json
import random
import subprocess
from pathlib import Path
from textwrap import dedent

import pytest
from ruff.__main__ import find_ruff_bin

from generator.build.api import build_api
from generator.pipeline import Options, load_and_validate
from generator.render.package import render_package
from generator.render.python import tidy
from generator.render.python.tidy import tidy_python
from generator.render.styles import resolve_styles
from generator.write.formatting import format_python

ROOT = Path(__file__).resolve().parents[3]
CORPUS = ROOT / "tests" / "corpus"
STYLES = ("fastapi", "flask", "mock", "httpx")
# The rules of the formatter's check pass whose fixes tidy_python makes itself, and the one
# that finds an import it dropped while in use.
RULES = "I,RUF022,F821"


def _ruff(folder: Path, *args: str) -> str:
    done = subprocess.run(
        [find_ruff_bin(), "check", "--isolated", "--no-cache", "--target-version=py311", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    return done.stdout


def _findings(tmp_path: Path, files: dict[str, str], rules: str = RULES) -> list[str]:
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    found = json.loads(_ruff(tmp_path, f"--select={rules}", "--output-format=json", "."))
    return sorted(f"{Path(str(f['filename'])).name}: {f['code']} {f['message']}" for f in found)


SOURCE = dedent(
    '''\
    """A module."""

    from __future__ import annotations

    import json
    from typing import Any, ClassVar

    import httpx

    from . import _runtime as rt
    from . import handlers as h
    from typing import Any
    from uuid import UUID
    from datetime import datetime

    from . import models
    from ._runtime import (
        Zeta,
        alpha,
        BETA,
    )


    __all__ = [
        "zeta_function",
        "Client",
        'Op10Response',
        'Op9Response',
        "MAX_SIZE",
        "Op10",
    ]


    def zeta_function(value: Any) -> UUID:
        return rt.go(value, models.Pet, h, Zeta, alpha, BETA, httpx, datetime)
    '''
)


def test_merges_sorts_and_drops_as_ruff_does(tmp_path: Path) -> None:
    tidied = tidy_python(SOURCE)
    assert "import json" not in tidied  # unused
    assert "ClassVar" not in tidied
    assert tidied.count("from typing import Any") == 1
    assert _findings(tmp_path, {"module.py": tidied}, "I,F401,RUF022,F821") == []
    # ruff would have written the same: formatting both gives one text.
    (tmp_path / "raw.py").write_text(SOURCE)
    _ruff(tmp_path, "--select=I,F401,RUF022", "--fix", "raw.py")
    assert (tmp_path / "raw.py").read_text() == tidied


def test_keeps_what_it_does_not_read() -> None:
    for text in (
        "from typing import Any  # noqa: F401\n\nx = 1\n",
        "from . import (a,\n  b)\n",
        "from .x import *\n",
        "x = 1\n",
    ):
        assert tidy_python(text) == text
    guarded = "try:\n    import yaml\nexcept ImportError:\n    yaml = None\n"
    assert tidy_python(f"import os\n{guarded}print(os)\n") == f"import os\n\n{guarded}print(os)\n"
    # A comment ends the block it reads: what follows stays as written.
    text = "import os\n# why\nimport sys\n\nprint(os, sys)\n"
    assert tidy_python(text).endswith("# why\nimport sys\n\nprint(os, sys)\n")


def test_keeps_an_import_used_anywhere_as_a_word() -> None:
    text = "from . import models\nfrom ._x import Y\n\nf = [models][0]\ng = {'Y': 1}\n"
    assert tidy_python(text) == text
    assert "import models" in tidy_python(text, drop_unused=False)


def test_keeps_unused_imports_when_told_to() -> None:
    text = "from . import b, a\n"
    assert tidy_python(text, drop_unused=False) == "from . import a, b\n"
    assert tidy_python(text) == ""


def test_sorts_all_in_ruffs_natural_order(tmp_path: Path) -> None:
    """RUF022's order (constants, classes, the rest; runs of digits as numbers), checked
    on names like the generated ones."""
    rng = random.Random(7)
    parts = ["Op", "op", "OP", "_x", "Get", "get_", "A", "B2", "V", "JSON"]
    names = {
        "".join(rng.choice(parts) + str(rng.choice([1, 2, 9, 10, 11, 100, 200, 404])) for _ in "ab")
        for _ in range(300)
    }
    names |= {"A", "a", "AB", "Ab", "aB", "_", "__version__", "X1", "X01", "X001", "X010"}
    shuffled = sorted(names)
    rng.shuffle(shuffled)
    text = "import os\n\n__all__ = [\n" + "".join(f'    "{n}",\n' for n in shuffled) + "]\n"
    text += "\nprint(os)\n"
    tidied = tidy_python(text)
    assert _findings(tmp_path, {"names.py": tidied}, "RUF022,I") == []


@pytest.mark.parametrize(
    ("specs", "layout"),
    [
        (tuple(sorted((ROOT / "specs" / "braintrust").glob("*.yaml"))), "module"),
        (tuple(sorted((ROOT / "specs" / "braintrust").glob("*.yaml"))), "tags"),
        ((ROOT / "specs" / "martian" / "feedback.yaml",), "module"),
        ((CORPUS / "webhooks.yaml",), "module"),
        ((CORPUS / "streams.yaml",), "tags"),
        ((CORPUS / "binary.yaml",), "module"),
    ],
    ids=lambda value: value if isinstance(value, str) else Path(value[0]).parent.name,
)
def test_rendered_modules_leave_ruff_nothing_to_sort(
    tmp_path: Path, specs: tuple[Path, ...], layout: str
) -> None:
    """The built-in templates' modules, as rendered: imports and `__all__` already in
    ruff's form, and no import dropped that the module uses."""
    spec, validated, _ = load_and_validate(specs, Options())
    api = build_api("pkg", validated.document, spec, root=ROOT)
    files = render_package(api, styles=resolve_styles(STYLES, "pydantic"), layout=layout)
    # models.py is datamodel-code-generator's: ruff's pass is what sorts it.
    rendered = {p: t for p, t in files.items() if p.endswith(".py") and p != "models.py"}
    assert _findings(tmp_path, rendered) == []


def test_leaves_a_module_imported_twice_with_a_magic_comma_to_ruff() -> None:
    text = "from a import (\n    x,\n)\nfrom a import y\n\nprint(x, y)\n"
    assert tidy_python(text) == text


def test_what_ruff_makes_of_a_tidied_module_is_what_it_makes_of_the_module() -> None:
    """The invariant the speed rests on, over modules of random imports (shuffled, repeated,
    unused, aliased, long, relative, first party) and `__all__` lists: ruff's two passes
    write the same text from the tidied module as from the module as rendered."""
    rng = random.Random(11)
    pool = [
        "import json",
        "import os.path",
        "import httpx as hx",
        "from typing import Any, ClassVar",
        "from typing import cast",
        "from uuid import UUID",
        "from collections.abc import AsyncIterable, Mapping",
        "from datetime import date, datetime, timezone",
        "from pkg import models",
        "from pkg.sub import Thing, OTHER_THING, helper",
        "from . import handlers as h",
        "from . import models",
        "from .. import _runtime as rt",
        "from ._server_core import openapi_document, SOMETHING_LONG_ENOUGH, AnotherQuiteLongName",
        "from .x import (\n    Alpha,\n    beta,\n)",
    ]
    uses = ["json", "os", "hx", "Any", "cast", "UUID", "Mapping", "date", "models", "Thing"]
    uses += ["helper", "h", "rt", "openapi_document", "Alpha", "beta", "OTHER_THING"]
    for _ in range(12):
        lines = rng.sample(pool, rng.randint(3, len(pool)))
        lines += rng.sample(pool, 2)  # repeated
        used = rng.sample(uses, rng.randint(1, len(uses)))
        names = rng.sample(["Zed", "alpha2", "Alpha10", "ALPHA", "Alpha9", "_x"], 4)
        exported = "".join(f'    "{n}",\n' for n in names)
        text = (
            '"""Doc."""\n\nfrom __future__ import annotations\n\n'
            + "\n".join(lines)
            + f"\n\n__all__ = [\n{exported}]\n\n\ndef f() -> object:\n"
            + f"    return ({', '.join(used)},)\n"
        )
        files = {"pkg/mod.py": text, "pkg/__init__.py": ""}
        tidied = {**files, "pkg/mod.py": tidy_python(text, ("pkg",))}
        assert format_python(tidied, first_party=("pkg",)) == format_python(
            files, first_party=("pkg",)
        ), text


def test_reads_the_block_after_the_docstring_only() -> None:
    """A docstring line that reads like an import is text; code before the imports means
    nothing is tidied."""
    docstring = '"""Use it so:\n\nfrom pkg import Client\nimport this\n"""\n'
    text = f"# header\n{docstring}\nimport sys\nimport os\n\nprint(os, sys)\n"
    assert tidy_python(text) == f"# header\n{docstring}\nimport os\nimport sys\n\nprint(os, sys)\n"
    single = "'''One line.'''\nfrom b import x\nfrom a import y\n\nprint(x, y)\n"
    tidied = "'''One line.'''\nfrom a import y\nfrom b import x\n\nprint(x, y)\n"
    assert tidy_python(single) == tidied
    for text in ("x = 1\nimport os\nprint(os)\n", '"""Never closed.\nimport os\n'):
        assert tidy_python(text) == text


def test_tidies_for_the_line_length_ruff_formats_with() -> None:
    from generator.render.python import tidy
    from generator.write import formatting

    assert f"--line-length={tidy.LINE_LENGTH}" in formatting._SETTINGS


def test_a_large_module_tidies_as_when_every_line_is_split(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A large module is split into its first lines and the rest in one piece: wherever
    that split falls (in the docstring, the imports, `__all__`, after it), the result is
    the one of a module split into every line."""
    texts = [
        SOURCE,
        '"""Doc\n\nmore."""\n\nfrom b import x\nimport os\nfrom a import (\n    y,\n    z,\n)\n'
        '\n\n__all__ = [\n    "z",\n    "Y",\n    "x",\n]\n\n\nclass C:\n    a = (x, y, os)\n',
        "# only comments\n\n# and more\n",
        "import os\n",
        "from b import x\n\n\n\n\nprint(x)\n__all__ = [\n    'b',\n    'a',\n]\n",
        '"""Never closed.\nimport os\n',
    ]
    for text in texts:
        whole = tidy_python(text, ("pkg",))
        for head in range(1, text.count("\n") + 2):
            monkeypatch.setattr(tidy, "_HEAD_LINES", head)
            assert tidy_python(text, ("pkg",)) == whole, (head, text)
        monkeypatch.undo()
