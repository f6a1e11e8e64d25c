"""Security records of the IR: schemes and the alternatives an operation accepts."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ParamLocation(StrEnum):
    PATH = "path"
    QUERY = "query"
    HEADER = "header"
    COOKIE = "cookie"


@dataclass(frozen=True)
class SecurityScheme:
    key: str  # name in components/securitySchemes, spec text
    type: str  # http, apiKey, oauth2, openIdConnect, mutualTLS
    pointer: str
    scheme: str = ""  # for http: bearer, basic
    location: ParamLocation | None = None  # for apiKey
    param_name: str = ""  # for apiKey: header/query/cookie name
    description: str = ""

    @property
    def is_bearer(self) -> bool:
        """Credentials travel as `Authorization: Bearer <token>` (OAuth2 and OIDC do too)."""
        return (self.type == "http" and self.scheme.lower() == "bearer") or self.type in {
            "oauth2",
            "openIdConnect",
        }

    @property
    def is_basic(self) -> bool:
        return self.type == "http" and self.scheme.lower() == "basic"

    @property
    def is_api_key(self) -> bool:
        return self.type == "apiKey" and self.location is not None

    @property
    def is_supported(self) -> bool:
        return self.is_bearer or self.is_basic or self.is_api_key


@dataclass(frozen=True)
class SecurityRequirement:
    """One alternative of an operation's `security`: all its schemes must be present."""

    schemes: tuple[str, ...]  # keys of SecurityScheme; empty = anonymous access allowed

    @property
    def is_anonymous(self) -> bool:
        return not self.schemes
