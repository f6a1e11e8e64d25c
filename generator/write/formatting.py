"""Format generated Python with the pinned ruff, the same way on every machine.

All files go through two ruff passes (sort imports and `__all__`, drop unused imports, then
format; for a file formatted alone the two run at once, see `_run_ruff`) in a private
temporary folder. `--isolated`, explicit settings and a scrubbed environment keep a
user's ruff configuration, cache or RUFF_* variables from changing generated output.

With a memo (`.specgen-cache/format/`), a file whose text ruff has formatted before in the
same surroundings is answered from it, and ruff runs on the others only. Ruff reads one file
at a time, but sorts imports by the top-level modules beside it (first-party detection): all
files are still written to the temporary folder, and the key names those modules.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import tempfile
from collections.abc import Collection, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

from ruff import find_ruff_bin  # type: ignore[import-untyped]  # ships no py.typed

from generator.cache.memo import Memo, memo_key
from generator.diagnostics import Diagnostic, Location, SpecError, error
from generator.forked import spare_core
from generator.write.paths import check_paths

_SETTINGS = (
    "--isolated",
    "--no-cache",
    "--line-length=88",  # ruff's default: what most projects' own ruff expects
    "--target-version=py311",
    # First-party detection looks for top-level packages in the temporary folder only.
    "--config=src = ['.']",
    "--config=format.line-ending = 'lf'",
)
_TIMEOUT_SECONDS = 600
_ON_ITS_OWN = 100_000  # characters of a file that `EarlyFormat.add` gives a ruff run
_BUG_HINT = "this is a specgen bug (a template or name produced invalid Python); please report it"


def format_python(
    files: Mapping[str, str],
    *,
    first_party: Collection[str] = (),
    memo: Memo | None = None,
    early: EarlyFormat | None = None,
) -> dict[str, str]:
    """Return `files` with every `.py` entry import-sorted and formatted; others untouched.

    Keys are relative posix paths. `first_party` names top-level packages to sort as first
    party besides those present in `files` (for example the generated package itself when
    the keys are relative to its folder). Raises SpecError: SG590 when a file is not valid
    Python, SG591 when ruff itself cannot run. `memo` keeps ruff's output per file; `early`
    has formatted some of them already, in the same surroundings.
    """
    check_paths(files, what="file to format")
    sources = sorted(path for path in files if path.endswith(".py"))
    result = dict(files)
    if not sources:
        return result
    settings = _settings(first_party)
    key = _key(settings, sources)
    if early is not None and early.key == key:
        kept, known = early.kept, early.table(key)
    else:
        kept = memo.get_table(key) if memo is not None else {}
        known = kept
    digest = early.digest if early is not None else memo_key
    digests = {path: digest(path, files[path]) for path in sources}
    todo = [path for path in sources if digests[path] not in known]
    result.update({path: known[digests[path]] for path in sources if path not in todo})
    if todo:
        result.update(_format(files, sources, todo, settings))
    if memo is not None and any(digests[path] not in kept for path in sources):
        memo.put_table(key, {digests[path]: result[path] for path in sources})
    return result


class EarlyFormat:
    """ruff on the Python files of a package as they are handed over (`add`), while the
    rest are still being made: rendering is Python on this core, ruff works on the other.
    Each handing-over is its own ruff run, in a thread (two at a time with a spare core),
    so that one large file does not hold up those after it. `sources` are every Python
    path the package will have: import sorting reads which top-level modules exist, so
    those not handed over yet are there, empty. Files `memo` holds are not formatted again.
    `format_python` then takes what this formatted among the same modules; anything that
    failed here is formatted (and reported) there."""

    def __init__(
        self, sources: Collection[str], first_party: Collection[str], memo: Memo | None = None
    ) -> None:
        self._sources = sorted({path for path in sources if path.endswith(".py")})
        self._settings = _settings(first_party)
        _executable()  # looked up here: not first in a thread
        self.key = _key(self._settings, self._sources)
        self.kept = memo.get_table(self.key) if memo is not None else {}
        self._formatted: dict[str, str] = {}  # by memo_key(path, text)
        self._digests: dict[str, tuple[str, str]] = {}  # path -> (text, its memo_key)
        self._handed: set[str] = set()
        self._failed = False
        self._folder = tempfile.TemporaryDirectory(prefix="specgen-format-")
        self._root = Path(self._folder.name)
        _write_sources(self._root, dict.fromkeys(self._sources, ""), self._sources)
        # Two ruff runs at once where a core is spare; one in a pool worker or on one core.
        runs = 2 if spare_core() else 1
        self._pool = ThreadPoolExecutor(runs, thread_name_prefix="specgen-early-format")
        self._closed = False

    def add(self, path: str, text: str) -> None:
        """Format `path` (a file of the package, whole) in a ruff run of its own, if it is
        large enough to be worth one; smaller files are left to the final pass, which
        formats them all in one run (a ruff run costs about as much as 100 KB of code)."""
        if len(text) >= _ON_ITS_OWN:
            self.add_all({path: text})

    def add_all(self, files: Mapping[str, str]) -> None:
        """Format `files` in one ruff run. A path is taken once: the final pass formats any
        later text of it."""
        todo = {
            path: text
            for path, text in files.items()
            if path in self._sources
            and path not in self._handed
            and self.digest(path, text) not in self.kept
        }
        if todo and not self._closed:
            self._handed.update(todo)
            self._pool.submit(self._format, todo)

    def digest(self, path: str, text: str) -> str:
        """`memo_key(path, text)`, worked out once for the text handed over (a file of a
        package is a megabyte or more)."""
        known = self._digests.get(path)
        if known is not None and known[0] is text:
            return known[1]
        digest = memo_key(path, text)
        self._digests[path] = (text, digest)
        return digest

    def wait(self) -> None:
        """No more files: return once ruff is done with those handed over."""
        if not self._closed:
            self._closed = True
            self._pool.shutdown(wait=True)
            self._folder.cleanup()

    def table(self, key: str) -> dict[str, str]:
        """Formatted texts by `memo_key(path, text)` (the memo's among them), where `key`
        names the same settings and modules."""
        self.wait()
        return {**self.kept, **self._formatted} if key == self.key else {}

    def _format(self, files: Mapping[str, str]) -> None:
        if self._failed:
            return
        todo = sorted(files)
        try:
            _write_sources(self._root, files, todo)
            formatted = _run_ruff(self._root, todo, self._settings)
        except Exception:  # the final pass formats these files again and reports it
            self._failed = True
            return
        for path, text in files.items():
            self._formatted[self.digest(path, text)] = formatted[path]


def _settings(first_party: Collection[str]) -> list[str]:
    return [
        *_SETTINGS,
        f"--config=lint.isort.known-first-party = {json.dumps(sorted(first_party))}",
    ]


def _key(settings: list[str], sources: Collection[str]) -> str:
    """What ruff's output for a file depends on besides its text: its version and settings,
    and the top-level modules beside it (first-party detection)."""
    tops = sorted({path.split("/")[0].removesuffix(".py") for path in sources})
    return memo_key("ruff", _ruff_version(), settings, tops)


def _format(
    files: Mapping[str, str], sources: Sequence[str], todo: Sequence[str], settings: list[str]
) -> dict[str, str]:
    """`todo` formatted by ruff, among all `sources` (which decide first-party imports)."""
    with tempfile.TemporaryDirectory(prefix="specgen-format-") as tmp:
        root = Path(tmp)
        _write_sources(root, files, sources)
        return _run_ruff(root, todo, settings)


def _write_sources(root: Path, files: Mapping[str, str], paths: Sequence[str]) -> None:
    for path in paths:
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(files[path].encode("utf-8"))


def _run_ruff(root: Path, todo: Sequence[str], settings: list[str]) -> dict[str, str]:
    """ruff's two passes on `todo`, in `root` where every source of the package is. For one
    file, the format pass starts at once, on the text as handed over, beside the check
    pass: rendered modules come tidied (render/python/tidy.py), so the check mostly fixes
    nothing and the format's answer stands; when it fixed something, the fixed file is
    formatted after it, as for several files."""
    speculative = _format_text(root, todo[0], settings) if len(todo) == 1 else None
    try:
        _check(root, todo, settings)
    except BaseException:
        if speculative is not None:
            speculative.kill()
        raise
    if speculative is not None:
        if (root / todo[0]).read_bytes() != speculative.source:
            speculative.kill()  # the check fixed something: that text is not the one
        elif (text := speculative.text()) is not None:
            return {todo[0]: text}
    _ruff(root, ["format", *settings], todo)
    return {path: (root / path).read_bytes().decode("utf-8") for path in todo}


def _check(root: Path, todo: Sequence[str], settings: list[str]) -> None:
    """The check pass: imports and `__all__` sorted, unused imports dropped, in place."""
    findings = _ruff(
        root,
        [
            "check",
            *settings,
            "--select=I,F401,UP,RUF022",
            "--fix",
            "--exit-zero",
            "--output-format=json",
        ],
        todo,
    )
    try:
        parsed = json.loads(findings or "[]")
    except json.JSONDecodeError:
        raise SpecError([_sg591(f"ruff check printed no JSON: {_first_lines(findings)}")]) from None
    _raise_on_syntax_errors(root, parsed)


@dataclass(frozen=True)
class _Formatting:
    """`ruff format` of one file's text as the check pass found it (`source`), from a copy."""

    process: subprocess.Popen[bytes]
    source: bytes

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()

    def text(self) -> str | None:
        """What it wrote, or None when it failed (the file is formatted again then)."""
        try:
            out, _ = self.process.communicate(timeout=_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            self.kill()
            return None
        return out.decode("utf-8") if self.process.returncode == 0 else None


def _format_text(root: Path, path: str, settings: list[str]) -> _Formatting | None:
    source = (root / path).read_bytes()
    command = [_executable(), "format", *settings, "--stdin-filename", path, "-"]
    # ruff reads an unnamed copy: the check pass may rewrite the file meanwhile.
    with tempfile.TemporaryFile() as copy:
        copy.write(source)
        copy.seek(0)
        try:
            process = subprocess.Popen(
                command,
                cwd=root,
                env=_env(),
                stdin=copy,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except OSError:  # the sequential pass formats it, and reports what fails
            return None
    return _Formatting(process, source)


def _env() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if not key.startswith("RUFF_")}


def _ruff_version() -> tuple[str, str]:
    """What else decides ruff's output: its version (the binary ships in the package) and
    this module's code (the rules it selects)."""
    return version("ruff"), hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


@cache
def _executable() -> str:
    """ruff's binary, looked up once: the lookup reads `sysconfig`, whose first use is not
    safe from two threads at once (`EarlyFormat` asks first, from the calling thread)."""
    try:
        found: str = find_ruff_bin()
    except FileNotFoundError as exc:
        raise SpecError([_sg591(f"the ruff executable was not found ({exc})")]) from None
    return found


def _ruff(root: Path, args: Sequence[str], sources: Sequence[str]) -> str:
    """Run ruff in `root` on `sources` (passed explicitly so no exclude rule can skip one)."""
    command = [_executable(), *args, "--", *sources]
    try:
        done = subprocess.run(
            command,
            cwd=root,
            env=_env(),
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SpecError([_sg591(f"ruff {args[0]} could not run: {exc}")]) from None
    if done.returncode != 0:
        raise SpecError([_sg591(f"ruff {args[0]} failed: {_first_lines(done.stderr)}")])
    return done.stdout


def _raise_on_syntax_errors(root: Path, findings: list[dict[str, Any]]) -> None:
    base = os.path.realpath(root)
    by_file: dict[str, list[dict[str, Any]]] = {}
    for finding in findings:
        if finding.get("code") in (None, "invalid-syntax"):
            name = os.path.relpath(os.path.realpath(finding["filename"]), base)
            by_file.setdefault(Path(name).as_posix(), []).append(finding)
    problems: list[Diagnostic] = []
    for name, items in sorted(by_file.items()):
        first = items[0]["location"]
        messages = "; ".join(item["message"] for item in items[:3])
        problems.append(
            error(
                "SG590",
                f"generated file {name} is not valid Python: {messages}",
                hint=_BUG_HINT,
                location=Location(name, first["row"], first["column"]),
            )
        )
    if problems:
        raise SpecError(problems)


def _first_lines(text: str, count: int = 5) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return "\n".join(lines[:count]) or "(no output)"


def _sg591(message: str) -> Diagnostic:
    return error(
        "SG591",
        message,
        hint="specgen needs the pinned ruff==0.17.6 in its environment; reinstall specgen",
    )
