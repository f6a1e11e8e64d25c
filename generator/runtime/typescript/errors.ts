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
