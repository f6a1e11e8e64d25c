/** The errors the generated client throws. */

/** An HTTP error response; `body` is parsed per the declared media type (JSON or text). */
export class ApiError extends Error {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;

  constructor(status: number, headers: Headers, body: unknown, message: string) {
    super(message);
    this.name = new.target.name;
    this.status = status;
    this.headers = headers;
    this.body = body;
  }

  /** The RFC 9457 problem of an `application/problem+json` response (what generated servers
   * answer for errors the spec does not declare), else undefined. */
  get problem(): Record<string, unknown> | undefined {
    const media = (this.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
    if (media !== "application/problem+json") {
      return undefined;
    }
    let found: unknown = this.body;
    if (typeof found === "string") {
      try {
        found = JSON.parse(found);
      } catch {
        return undefined;
      }
    }
    return typeof found === "object" && found !== null && !Array.isArray(found)
      ? (found as Record<string, unknown>)
      : undefined;
  }
}

/** A status code the spec does not declare for the operation; `body` is the raw text. */
export class UnexpectedStatusError extends ApiError {}

/** A declared response whose body is not valid for its media type (malformed JSON). */
export class ResponseParseError extends ApiError {}

/** No complete response within `timeoutMs` (one attempt). */
export class TimeoutError extends Error {
  readonly timeoutMs: number;

  constructor(timeoutMs: number, message: string) {
    super(message);
    this.name = new.target.name;
    this.timeoutMs = timeoutMs;
  }
}
