"""Every rule `specgen diff` applies: a stable id, a fixed severity, and what it means.

Ids are modelled on oasdiff's checks. Most are written out below; the schema rules are a
matrix: `<scope>-<aspect>`, where the scope says where the schema sits (and so which way data
flows) and the aspect what changed. The severity of a schema rule follows from the direction and
from what the change does to the set of accepted values (`Effect`):

                request (client sends)   response (client receives)
  tightened     breaking                 info
  loosened      info                     breaking
  changed       breaking                 breaking
  unclear       warning                  warning
  default       warning                  info

`python -m generator.diff.docgen` prints the rule tables of docs/diff-rules.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.diff.model import Direction, Effect, Severity

B, W, N = Severity.BREAKING, Severity.WARNING, Severity.INFO  # N: "note"


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    direction: str  # "request", "response" or "-" (both, or not about data)
    area: str  # paths, security, servers, parameters, request body, responses, schemas
    description: str


@dataclass(frozen=True)
class Scope:
    """Where a schema sits: the root of a parameter, body or header, or inside a body."""

    name: str  # rule id prefix
    direction: Direction
    description: str


@dataclass(frozen=True)
class Aspect:
    suffix: str  # rule id suffix
    effect: Effect
    description: str


SEVERITY_BY_EFFECT: dict[Direction, dict[Effect, Severity]] = {
    Direction.REQUEST: {
        Effect.TIGHTENED: B,
        Effect.LOOSENED: N,
        Effect.CHANGED: B,
        Effect.UNCLEAR: W,
        Effect.DEFAULT: W,
    },
    Direction.RESPONSE: {
        Effect.TIGHTENED: N,
        Effect.LOOSENED: B,
        Effect.CHANGED: B,
        Effect.UNCLEAR: W,
        Effect.DEFAULT: N,
    },
}

SCOPES: tuple[Scope, ...] = (
    Scope("request-parameter", Direction.REQUEST, "the schema of a parameter (at any depth)"),
    Scope("request-body", Direction.REQUEST, "the root schema of a request body"),
    Scope("request-property", Direction.REQUEST, "a schema inside a request body"),
    Scope("response-body", Direction.RESPONSE, "the root schema of a response body"),
    Scope("response-property", Direction.RESPONSE, "a schema inside a response body"),
    Scope("response-header", Direction.RESPONSE, "the schema of a response header"),
)

T, L, C, U, D = Effect.TIGHTENED, Effect.LOOSENED, Effect.CHANGED, Effect.UNCLEAR, Effect.DEFAULT
ASPECTS: tuple[Aspect, ...] = (
    Aspect("type-narrowed", T, "`type` accepts fewer kinds of value (number -> integer)"),
    Aspect("type-widened", L, "`type` accepts more kinds of value (integer -> number)"),
    Aspect("type-changed", C, "`type` changed to an unrelated type (string -> integer)"),
    Aspect("format-narrowed", T, "`format` added or narrowed (int64 -> int32, none -> uuid)"),
    Aspect("format-widened", L, "`format` removed or widened (int32 -> int64, uuid -> none)"),
    Aspect("format-changed", C, "`format` changed to an unrelated one (date -> date-time)"),
    Aspect("became-not-nullable", T, "`nullable` removed: null is no longer allowed"),
    Aspect("became-nullable", L, "`nullable: true` added: null is now allowed"),
    Aspect("enum-value-removed", T, "values removed from `enum` (or `const` changed)"),
    Aspect("enum-value-added", L, "values added to `enum`"),
    Aspect("became-enum", T, "`enum` (or `const`) added: only listed values remain valid"),
    Aspect("enum-removed", L, "`enum` removed: any value of the type is valid"),
    Aspect("max-length-decreased", T, "`maxLength` set or decreased"),
    Aspect("max-length-increased", L, "`maxLength` removed or increased"),
    Aspect("min-length-increased", T, "`minLength` set or increased"),
    Aspect("min-length-decreased", L, "`minLength` removed or decreased"),
    Aspect("max-decreased", T, "`maximum`/`exclusiveMaximum` set, decreased or made exclusive"),
    Aspect("max-increased", L, "`maximum`/`exclusiveMaximum` removed, increased or inclusive"),
    Aspect("min-increased", T, "`minimum`/`exclusiveMinimum` set, increased or made exclusive"),
    Aspect("min-decreased", L, "`minimum`/`exclusiveMinimum` removed, decreased or inclusive"),
    Aspect("max-items-decreased", T, "`maxItems` set or decreased"),
    Aspect("max-items-increased", L, "`maxItems` removed or increased"),
    Aspect("min-items-increased", T, "`minItems` set or increased"),
    Aspect("min-items-decreased", L, "`minItems` removed or decreased"),
    Aspect("pattern-added", T, "`pattern` added"),
    Aspect("pattern-removed", L, "`pattern` removed"),
    Aspect("pattern-changed", U, "`pattern` changed (whether it is stricter cannot be decided)"),
    Aspect("multiple-of-changed", U, "`multipleOf` added, removed or changed"),
    Aspect("unique-items-added", T, "`uniqueItems: true` added"),
    Aspect("unique-items-removed", L, "`uniqueItems: true` removed"),
    Aspect("additional-properties-disallowed", T, "`additionalProperties: false` added"),
    Aspect("additional-properties-allowed", L, "`additionalProperties: false` removed"),
    Aspect("variant-removed", T, "a branch of `oneOf`/`anyOf` removed"),
    Aspect("variant-added", L, "a branch of `oneOf`/`anyOf` added"),
    Aspect("default-value-changed", D, "`default` added, removed or changed"),
)


r, q, s = "request", "response", "-"
# fmt: off
FIXED: tuple[Rule, ...] = (
    # paths and operations
    Rule("api-path-removed-without-deprecation", B, s, "paths",
         "a path (all its operations) removed without being deprecated first"),
    Rule("api-path-removed-with-deprecation", W, s, "paths",
         "a path removed after its operations were marked deprecated"),
    Rule("api-removed-without-deprecation", B, s, "paths",
         "an operation removed (its path remains) without being deprecated first"),
    Rule("api-removed-with-deprecation", W, s, "paths",
         "an operation removed after it was marked deprecated"),
    Rule("endpoint-added", N, s, "paths", "an operation added"),
    Rule("api-deprecated", N, s, "paths", "an operation marked deprecated"),
    Rule("api-reactivated", N, s, "paths", "an operation no longer deprecated"),
    Rule("api-operation-id-changed", W, s, "paths",
         "operationId changed: wire-compatible, but generated clients rename the method"),
    Rule("api-path-parameter-renamed", N, s, "paths",
         "a path parameter renamed (`/a/{id}` -> `/a/{a_id}`): same URLs"),
    # security
    Rule("api-security-added", B, s, "security",
         "an operation that allowed anonymous calls now requires credentials"),
    Rule("api-security-removed", N, s, "security",
         "an operation now also accepts anonymous calls"),
    Rule("api-security-alternative-removed", B, s, "security",
         "credentials an operation accepted (a security requirement) are no longer enough"),
    Rule("api-security-alternative-added", N, s, "security",
         "an operation accepts a new kind of credentials"),
    Rule("api-security-scope-added", B, s, "security",
         "a security requirement needs more OAuth2 scopes"),
    Rule("api-security-scope-removed", N, s, "security",
         "a security requirement needs fewer OAuth2 scopes"),
    Rule("security-scheme-changed", B, s, "security",
         "a security scheme changed how credentials travel (type, scheme, `in`, name)"),
    # servers
    Rule("server-removed", W, s, "servers",
         "a server URL removed (clients defaulting to it call the wrong host)"),
    Rule("server-added", N, s, "servers", "a server URL added"),
    # parameters
    Rule("request-parameter-removed", W, r, "parameters",
         "a parameter removed: clients still send it, the server may ignore or reject it"),
    Rule("request-parameter-added-required", B, r, "parameters",
         "a required parameter added"),
    Rule("request-parameter-added-optional", N, r, "parameters",
         "an optional parameter added"),
    Rule("request-parameter-location-changed", B, r, "parameters",
         "a parameter moved (`in` changed: query -> header, ...)"),
    Rule("request-parameter-became-required", B, r, "parameters",
         "an optional parameter became required"),
    Rule("request-parameter-became-optional", N, r, "parameters",
         "a required parameter became optional"),
    Rule("request-parameter-style-changed", B, r, "parameters",
         "a parameter's serialisation (`style`, `explode`) changed"),
    Rule("request-parameter-deprecated", N, r, "parameters", "a parameter marked deprecated"),
    # request bodies
    Rule("request-body-added-required", B, r, "request body",
         "a required request body added to an operation that had none"),
    Rule("request-body-added-optional", N, r, "request body",
         "an optional request body added"),
    Rule("request-body-removed", W, r, "request body",
         "the request body removed: clients still send one"),
    Rule("request-body-became-required", B, r, "request body",
         "the request body became required"),
    Rule("request-body-became-optional", N, r, "request body",
         "the request body became optional"),
    Rule("request-body-media-type-removed", B, r, "request body",
         "a request media type removed: clients sending it get 415"),
    Rule("request-body-media-type-added", N, r, "request body",
         "a request media type added"),
    # responses
    Rule("response-success-status-removed", B, q, "responses",
         "a 2xx response status removed"),
    Rule("response-non-success-status-removed", W, q, "responses",
         "a non-2xx response status removed (clients handling it lose the case)"),
    Rule("response-status-added", N, q, "responses", "a response status added"),
    Rule("response-media-type-removed", B, q, "responses",
         "a response media type removed: clients asking for it get something else"),
    Rule("response-media-type-added", N, q, "responses", "a response media type added"),
    Rule("response-required-header-removed", B, q, "responses",
         "a required response header removed"),
    Rule("response-optional-header-removed", W, q, "responses",
         "an optional response header removed"),
    Rule("response-header-became-optional", B, q, "responses",
         "a required response header became optional: clients may not find it"),
    Rule("response-header-added", N, q, "responses", "a response header added"),
    # properties (objects inside bodies and object parameters)
    Rule("request-property-removed", W, r, "schemas",
         "a request property removed: clients still send it"),
    Rule("request-property-became-read-only", B, r, "schemas",
         "a request property became `readOnly`: servers refuse requests that still send it"),
    Rule("request-required-property-added", B, r, "schemas",
         "a required request property added"),
    Rule("request-optional-property-added", N, r, "schemas",
         "an optional request property added"),
    Rule("request-property-became-required", B, r, "schemas",
         "an optional request property became required"),
    Rule("request-property-became-optional", N, r, "schemas",
         "a required request property became optional"),
    Rule("response-required-property-removed", B, q, "schemas",
         "a required response property removed"),
    Rule("response-optional-property-removed", W, q, "schemas",
         "an optional response property removed: clients reading it find nothing"),
    Rule("response-property-added", N, q, "schemas", "a response property added"),
    Rule("response-property-became-optional", B, q, "schemas",
         "a required response property became optional: clients may not find it"),
    Rule("response-property-became-required", N, q, "schemas",
         "an optional response property became required"),
    Rule("schema-component-renamed", N, s, "schemas",
         "a component schema renamed with the same shape (generated class renamed)"),
)
# fmt: on


def _schema_rules() -> list[Rule]:
    return [
        Rule(
            f"{scope.name}-{aspect.suffix}",
            SEVERITY_BY_EFFECT[scope.direction][aspect.effect],
            str(scope.direction),
            "schemas",
            f"{aspect.description}, in {scope.description}",
        )
        for aspect in ASPECTS
        for scope in SCOPES
    ]


RULES: dict[str, Rule] = {rule.id: rule for rule in [*FIXED, *_schema_rules()]}


def severity_of(rule_id: str) -> Severity:
    """The severity of a rule (KeyError for an unknown id: a bug in a rule module)."""
    return RULES[rule_id].severity
