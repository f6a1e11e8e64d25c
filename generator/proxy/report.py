"""What the proxy saw: one line per violation as it happens, a summary at the end, and a JUnit
report with one test case per operation seen (a failure per violation)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from generator.diagnostics import SpecError, error

# The test case of requests that match no operation.
NO_OPERATION = "(no operation)"


@dataclass(frozen=True)
class Violation:
    method: str
    path: str  # as requested, without the query
    status: int | None  # None: found in the request, before the upstream answered
    part: str
    detail: str
    operation: str | None  # its operationId; None when the request matches none

    @property
    def line(self) -> str:
        status = f" -> {self.status}" if self.status is not None else ""
        where = f" (operation {self.operation})" if self.operation else ""
        return f"VIOLATION {self.method} {self.path}{status} {self.part}: {self.detail}{where}"


class Reporter:
    """Counts exchanges and violations; prints each violation to `out` as it is found.
    `on_limit` is called once `max_requests` exchanges have finished."""

    def __init__(
        self,
        out: TextIO,
        max_requests: int | None = None,
        on_limit: Callable[[], None] = lambda: None,
    ) -> None:
        self.out = out
        self.max_requests = max_requests
        self.on_limit = on_limit
        self.requests = 0
        self.upstream_errors = 0
        self.violations: list[Violation] = []
        self.cases: dict[str, list[Violation]] = {}  # test case name -> its violations

    def seen(self, case: str) -> None:
        self.cases.setdefault(case, [])

    def violation(self, case: str, violation: Violation) -> None:
        self.cases.setdefault(case, []).append(violation)
        self.violations.append(violation)
        self._print(violation.line)

    def upstream_error(self, method: str, path: str, message: str) -> None:
        self.upstream_errors += 1
        self._print(f"UPSTREAM {method} {path}: {message} (answered 502)")

    def finished(self) -> None:
        """One exchange is over (its response sent, or failed)."""
        self.requests += 1
        if self.max_requests is not None and self.requests == self.max_requests:
            self.on_limit()

    def summary(self) -> str:
        operations = sum(1 for case in self.cases if case != NO_OPERATION)
        text = (
            f"specgen proxy: {self.requests} request(s), {operations} operation(s), "
            f"{len(self.violations)} violation(s)"
        )
        if self.upstream_errors:
            text += f", {self.upstream_errors} upstream error(s)"
        return text

    def _print(self, line: str) -> None:
        self.out.write(line + "\n")
        self.out.flush()


def junit_xml(reporter: Reporter, title: str) -> bytes:
    suite = ET.Element(
        "testsuite",
        name=f"specgen proxy: {title}" if title else "specgen proxy",
        tests=str(len(reporter.cases)),
        failures=str(sum(1 for found in reporter.cases.values() if found)),
        errors="0",
    )
    for case, violations in reporter.cases.items():
        element = ET.SubElement(suite, "testcase", classname="specgen.proxy", name=case)
        for violation in violations:
            failure = ET.SubElement(element, "failure", message=violation.line[:500])
            failure.text = violation.line
    suites = ET.Element("testsuites")
    suites.append(suite)
    return bytes(ET.tostring(suites, encoding="utf-8", xml_declaration=True))


def write_junit(path: Path, reporter: Reporter, title: str) -> None:
    """Raises SpecError SG625 when the file cannot be written."""
    try:
        path.write_bytes(junit_xml(reporter, title))
    except OSError as exc:
        message = f"cannot write the JUnit report {path}: {exc.strerror or exc}"
        raise SpecError(
            [error("SG625", message, "check the folder exists and is writable")]
        ) from None
