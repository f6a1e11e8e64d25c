"""schemathesis's report, rewritten for whoever ran `specgen fuzz`.

schemathesis writes its report for its own CLI: curl commands against the URL it tested (for
`--app`, a free port that is dead once the run ends), hints naming its own options (`--auth`,
`-H`, `st replay`, `--report=har`) and the headers it sent. The report is rewritten line by
line as it streams: reproduction commands name a server the user can start, hints name
specgen's options (or go when specgen has none), and the values of `--header` become
placeholders the user fills in from their environment, in the terminal and the JUnit file.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

# Where `specgen fuzz --app` tells the user to serve the app to reproduce a failure.
REPRODUCE_PORT = 8000
REPRODUCE_ORIGIN = f"http://127.0.0.1:{REPRODUCE_PORT}"

# Options of `specgen fuzz`: a hint naming any other option is schemathesis's and goes.
FUZZ_OPTIONS = frozenset(
    "--api --spec --app --url --max-examples --seed --header --junit --checks --app-log "
    "--config".split()
)

# schemathesis's hints that have a specgen equivalent (or a better sentence without one).
HINTS = (
    (
        "Ensure valid authentication credentials are set via `--auth` or `-H`",
        "Send valid credentials with `--header 'Authorization: Bearer ...'`",
    ),
    (
        "Send requests no faster than the API allows with `--rate-limit`, e.g. "
        "`--rate-limit=100/m`",
        "Lift the server's rate limit for the run, or lower `--max-examples`",
    ),
)
_HEALTH_CHECK = re.compile(r" or bypass this health check using `--suppress-health-check=[^`]*`")
_OPTION = re.compile(r"`(-{1,2}[A-Za-z][\w-]*)")
_HEADER = re.compile(r"""-H '(?P<name>[^':]+): (?P<value>[^']*)'""")


@dataclass(frozen=True)
class Secret:
    """A credential the user gave specgen, and how the report names it instead."""

    value: str  # as it would appear: a whole header value, a credential, a URL's password
    variable: str  # the environment variable a reproduction command reads it from
    header: str | None = None  # the header that carries it
    scheme: str | None = None  # the auth scheme kept in front of it ("Bearer")

    @property
    def header_value(self) -> str:
        """The header's value in a shell command: the scheme, then the variable."""
        scheme = f"{self.scheme} " if self.scheme else ""
        return f"{scheme}${self.variable}"


def secrets_of(headers: Sequence[str], url: str | None = None) -> tuple[Secret, ...]:
    """Every `--header` value is treated as a secret (they carry credentials far more often
    than not), and so is the password of a `--url` with one."""
    found: list[Secret] = []
    for header in headers:
        name, _, value = (part.strip() for part in header.partition(":"))
        scheme, _, credential = value.partition(" ")
        if name.lower() == "authorization" and credential.strip():
            # Keep the scheme: the user fills in the token only.
            found.append(Secret(credential.strip(), _unused("SPECGEN_TOKEN", found), name, scheme))
        else:
            base = "SPECGEN_" + re.sub(r"[^A-Z0-9]+", "_", name.upper()).strip("_")
            found.append(Secret(value, _unused(base, found), name))
    password = urlsplit(url).password if url else None
    if password:
        found.append(Secret(password, "SPECGEN_URL_PASSWORD"))
    return tuple(s for s in found if s.value)


def _unused(variable: str, secrets: Sequence[Secret]) -> str:
    taken = {s.variable for s in secrets}
    n = 1
    name = variable
    while name in taken:
        n += 1
        name = f"{variable}_{n}"
    return name


@dataclass(frozen=True)
class Report:
    """How to rewrite one run's report."""

    contract: str  # the temporary contract schemathesis loaded
    folder: str  # the temporary folder it is in (schemathesis's config file too)
    specs: str  # the spec files the user named, as shown
    secrets: tuple[Secret, ...] = ()
    served_origin: str | None = None  # `--app`: where it was served for the run only

    def rewrite(self, lines: Iterable[str]) -> Iterator[str]:
        """The report's lines, rewritten; a dropped line takes the blank line after it."""
        dropped = False
        for line in lines:
            if dropped and not line.strip():
                dropped = False
                continue
            new = self.line(line)
            dropped = new is None
            if new is not None:
                yield new

    def line(self, line: str) -> str | None:
        """One line rewritten, or None when it only makes sense in schemathesis's CLI."""
        line = line.replace(self.contract, self.specs)
        if self.folder in line:
            return None  # a file of the run's own (schemathesis's config), gone after it
        if self.served_origin is not None:
            if line.lstrip().startswith("Base URL:"):
                return f"{line}  (--app, served for this run only)"
            line = line.replace(self.served_origin, REPRODUCE_ORIGIN)
        for old, new in HINTS:
            line = line.replace(old, new)
        line = _HEALTH_CHECK.sub("", line)
        if re.search(r"(^|[\s`])st (replay|explain|run)\b", line):
            return None  # schemathesis's own commands, over files specgen does not keep
        if any(option not in FUZZ_OPTIONS for option in _OPTION.findall(line)):
            return None  # a hint about an option specgen does not have
        return self.redact(line)

    def redact(self, text: str) -> str:
        """Secrets as placeholders: `-H "Authorization: Bearer $SPECGEN_TOKEN"` in a curl
        command (the shell fills it in), `<SPECGEN_TOKEN>` anywhere else."""
        by_header = {s.header.lower(): s for s in self.secrets if s.header}

        def header(match: re.Match[str]) -> str:
            secret = by_header.get(match["name"].lower())
            if secret is None:
                return match[0]
            return f'-H "{match["name"]}: {secret.header_value}"'

        text = _HEADER.sub(header, text)
        for secret in self.secrets:
            pattern = rf"(?<![\w.~+/-]){re.escape(secret.value)}(?![\w.~+/=-])"
            text = re.sub(pattern, f"<{secret.variable}>", text)
        return text

    def rewrite_junit(self, path: Path) -> None:
        """The same rewriting in a JUnit file, element by element (so it stays valid XML)."""
        tree = ET.parse(path)
        for element in tree.iter():
            if element.text:
                element.text = "\n".join(self.rewrite(element.text.split("\n")))
            for key, value in element.attrib.items():
                element.set(key, self.line(value) or "")
        tree.write(path, encoding="utf-8", xml_declaration=True)

    def reproduce(self, app: str | None, config: Path | None) -> list[str]:
        """What to run before a curl command of the report: serve the app (for `--app`),
        export the secrets it reads."""
        lines = []
        if app is not None:
            option = f" --config {config}" if config is not None else ""
            serve = f"specgen serve --app {app} --port {REPRODUCE_PORT}{option}"
            lines.append(f"    {serve}   # in another terminal")
        for secret in self.secrets:
            if secret.header is None:
                what = "the password of --url"
            elif secret.scheme:
                what = f"the token of --header '{secret.header}: {secret.scheme} ...'"
            else:
                what = f"the value of --header '{secret.header}: ...'"
            lines.append(f"    export {secret.variable}=...   # {what}")
        if not lines:
            return []
        return ["", "To reproduce a failure, first run:", *lines, "then its curl command above."]
