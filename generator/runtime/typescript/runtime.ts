/**
 * Transport, retries and response parsing shared by the generated client. No dependencies:
 * `fetch`, `AbortController` and `setTimeout` are globals of Node.js 20 and of browsers.
 */

import { ResponseParseError, TimeoutError, UnexpectedStatusError, type ApiError } from "./errors.js";
import { retryDelayMs, shouldRetry, type RetryPolicy } from "./retry.js";
import { ByteStream, parseWhole, Stream, type ItemFormat, type StreamKind } from "./streams.js";

/** Per-call options. */
export interface CallOptions {
  /** Aborts the call, retries included. */
  readonly signal?: AbortSignal;
  /** Extra request headers for this call. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Overrides the client's timeout for this call (per attempt). */
  readonly timeoutMs?: number;
}

export type BodyKind = "json" | "multipart" | "form" | "text" | "binary" | "events" | "lines";

/**
 * How one property of a form body travels (multipart or urlencoded): as text, JSON text or a
 * file part; an array as one part (or key) per item, or comma-joined when not `explode`.
 */
export type FormField = readonly [name: string, shape: "text" | "json" | "file", repeated: boolean, explode: boolean];
type Pairs = readonly (readonly [string, unknown])[];

/** One operation call, before credentials and transport. */
export interface Call {
  readonly method: string;
  readonly path: string;
  readonly pathParams: Pairs;
  readonly query: Pairs;
  readonly headers: Pairs;
  readonly cookies: Pairs;
  readonly body?: {
    readonly kind: BodyKind;
    readonly mediaType: string;
    readonly value: unknown;
    /** A form body's properties. */
    readonly fields?: readonly FormField[];
  };
  /** Security alternatives: the first whose credentials are all configured is sent. */
  readonly security: readonly (readonly string[])[];
  readonly idempotent: boolean;
  /** A success response comes unread, as a `ByteStream` (a binary download). */
  readonly download?: boolean;
}

export type ErrorClass = new (status: number, headers: Headers, body: unknown, message: string) => ApiError;

/** A declared media type; a stream's item format says whether each item's data is JSON. */
export type DeclaredContent = readonly [mediaType: string, kind: BodyKind, items?: ItemFormat];

/** A declared response: status range, error class (null for success), media types. */
export interface Declared {
  readonly low: number;
  readonly high: number;
  readonly error: ErrorClass | null;
  readonly contents: readonly DeclaredContent[];
}

export type Credential =
  | { readonly kind: "bearer"; readonly secret: string | undefined }
  | {
      readonly kind: "basic";
      readonly secret: { readonly username: string; readonly password: string } | undefined;
    }
  | { readonly kind: "header" | "query" | "cookie"; readonly name: string; readonly secret: string | undefined };

export type Fetch = (input: string, init: RequestInit) => Promise<Response>;

export interface TransportConfig {
  readonly baseUrl: string;
  readonly fetch: Fetch;
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
  readonly headers: Readonly<Record<string, string>>;
  readonly credentials: readonly (readonly [string, Credential])[];
}

/** A complete response (body read within the timeout). */
export interface RawResponse {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly headers: Headers;
  readonly bytes: Uint8Array;
}

function wire(value: unknown): string {
  if (typeof value === "string") {
    return value;
  }
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") {
    return String(value);
  }
  if (value instanceof Date) {
    return value.toISOString();
  }
  return JSON.stringify(value) ?? "";
}

/** A path segment or header value: arrays as comma-separated items (OpenAPI `simple` style). */
function simple(value: unknown): string {
  return Array.isArray(value) ? value.map(wire).join(",") : wire(value);
}

function jsonText(value: unknown): string {
  // NaN and Infinity are not JSON: refuse to send them (JSON.stringify would write null).
  return JSON.stringify(value, (_key: string, item: unknown) => {
    if (typeof item === "number" && !Number.isFinite(item)) {
      throw new TypeError(`${item} cannot be sent as JSON`);
    }
    return item;
  });
}

/** A form value as text: booleans `true`/`false`, numbers as JSON writes them, objects as JSON. */
function formText(value: unknown): string {
  return typeof value === "string" ? value : jsonText(value);
}

/** Each (field, value) of a form body, arrays spread when the field repeats. */
function* formEntries(value: unknown, fields: readonly FormField[]): Generator<[FormField, unknown]> {
  if (typeof value !== "object" || value === null) {
    throw new TypeError("a form body is an object");
  }
  const declared = new Map(fields.map((f) => [f[0], f]));
  for (const [name, item] of Object.entries(value)) {
    if (item === undefined || item === null) {
      continue;
    }
    const shape = typeof item === "object" && !(item instanceof Blob) ? "json" : "text";
    const field = declared.get(name) ?? ([name, shape, false, true] as const);
    const items = field[2] && Array.isArray(item) ? (item as unknown[]) : [item];
    if (field[2] && !field[3]) {
      yield [field, items.map(formText).join(",")];
      continue;
    }
    for (const one of items) {
      if (one !== undefined && one !== null) {
        yield [field, one];
      }
    }
  }
}

function multipart(value: unknown, fields: readonly FormField[]): FormData {
  const form = new FormData();
  for (const [[name, shape], item] of formEntries(value, fields)) {
    if (shape === "file" || item instanceof Blob) {
      const blob = item instanceof Blob ? item : new Blob([item as BlobPart]);
      // A filename makes the part a file for every parser; a `File` brings its own.
      form.append(name, blob, typeof File !== "undefined" && blob instanceof File ? blob.name : name);
    } else if (shape === "json") {
      form.append(name, new Blob([jsonText(item)], { type: "application/json" }), name);
    } else {
      form.append(name, formText(item));
    }
  }
  return form;
}

function urlencoded(value: unknown, fields: readonly FormField[]): URLSearchParams {
  const params = new URLSearchParams();
  for (const [[name, shape], item] of formEntries(value, fields)) {
    params.append(name, shape === "json" ? jsonText(item) : formText(item));
  }
  return params;
}

function encodeBody(call: Call): BodyInit | undefined {
  if (call.body === undefined || call.body.value === undefined) {
    return undefined;
  }
  const { kind, value, fields = [] } = call.body;
  switch (kind) {
    case "json":
      return jsonText(value);
    case "text":
      return String(value);
    case "multipart":
      return multipart(value, fields);
    case "form":
      return urlencoded(value, fields);
    default:
      return value as BodyInit;
  }
}

function base64(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) {
    binary += String.fromCharCode(byte);
  }
  return btoa(binary);
}

function mediaBase(contentType: string): string {
  return (contentType.split(";", 1)[0] ?? "").trim().toLowerCase();
}

const CONNECT_ERRORS = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT"]);

function failedToConnect(error: unknown): boolean {
  const cause: unknown = error instanceof Error ? error.cause : undefined;
  const code: unknown = typeof cause === "object" && cause !== null ? Reflect.get(cause, "code") : undefined;
  return typeof code === "string" && CONNECT_ERRORS.has(code);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Sends calls with credentials, timeouts and retries, and parses their responses. */
export class Transport {
  readonly #config: TransportConfig;

  constructor(config: TransportConfig) {
    this.#config = config;
  }

  /** The parsed body of a success response, or a `Stream` for a declared success stream (a
   * `ByteStream` for a download); throws the declared error otherwise (before any is read). */
  async call(call: Call, declared: readonly Declared[], options: CallOptions): Promise<unknown> {
    const response = await this.send(call, options, declared);
    return response instanceof Stream || response instanceof ByteStream ? response : parse(response, declared);
  }

  /** The response, read whole, except a success stream of `declared`: that comes unread. */
  async send(
    call: Call,
    options: CallOptions,
    declared: readonly Declared[] = [],
  ): Promise<RawResponse | Stream<unknown> | ByteStream> {
    const policy = this.#config.retry;
    const body = encodeBody(call);
    // A stream is read by the first attempt: it cannot be sent again.
    const once = typeof ReadableStream !== "undefined" && body instanceof ReadableStream;
    for (let attempt = 1; ; attempt += 1) {
      let wait: number | null;
      try {
        const response = await this.#attempt(call, body, options, declared);
        const streamed = response instanceof Stream || response instanceof ByteStream;
        if (streamed || once || !shouldRetry(policy, call.idempotent, response.status)) {
          return response;
        }
        wait = retryDelayMs(policy, attempt, response.headers.get("retry-after"));
        if (wait === null) {
          return response;
        }
      } catch (error) {
        // Only a failed connection proves the server never saw a non-idempotent request.
        const retryable = !once && options.signal?.aborted !== true && (
          failedToConnect(error) ||
          (call.idempotent && (error instanceof TimeoutError || error instanceof TypeError))
        );
        wait = retryable ? retryDelayMs(policy, attempt) : null;
        if (wait === null) {
          throw error;
        }
      }
      await sleep(wait, options.signal);
    }
  }

  #url(call: Call, query: [string, string][]): string {
    let path = call.path;
    for (const [name, value] of call.pathParams) {
      path = path.split(`{${name}}`).join(encodeURIComponent(simple(value)));
    }
    const search = new URLSearchParams();
    for (const [name, value] of call.query) {
      for (const item of Array.isArray(value) ? value : [value]) {
        if (item !== undefined && item !== null) {
          search.append(name, wire(item));
        }
      }
    }
    for (const [name, value] of query) {
      search.append(name, value);
    }
    const text = search.toString();
    return this.#config.baseUrl.replace(/\/+$/, "") + path + (text ? `?${text}` : "");
  }

  #credentials(call: Call, headers: Headers, cookies: string[], query: [string, string][]): void {
    const known = new Map(this.#config.credentials);
    for (const requirement of call.security) {
      const chosen = requirement.map((key) => known.get(key));
      if (!chosen.every((c) => c !== undefined && c.secret !== undefined)) {
        continue;
      }
      for (const credential of chosen) {
        if (credential?.kind === "bearer" && credential.secret !== undefined) {
          headers.set("Authorization", `Bearer ${credential.secret}`);
        } else if (credential?.kind === "basic" && credential.secret !== undefined) {
          const { username, password } = credential.secret;
          headers.set("Authorization", `Basic ${base64(`${username}:${password}`)}`);
        } else if (credential !== undefined && credential.kind !== "bearer" && credential.kind !== "basic") {
          const secret = credential.secret ?? "";
          if (credential.kind === "header") {
            headers.set(credential.name, secret);
          } else if (credential.kind === "query") {
            query.push([credential.name, secret]);
          } else {
            cookies.push(`${credential.name}=${secret}`);
          }
        }
      }
      return;
    }
  }

  /** An event stream sent again after its connection dropped (with retries), from
   * `lastEventId`: the new stream, or undefined for a 204 (the server has no more). */
  async #resume(
    call: Call,
    options: CallOptions,
    declared: readonly Declared[],
    lastEventId: string | undefined,
  ): Promise<Stream<unknown> | undefined> {
    options.signal?.throwIfAborted();
    const headers: Record<string, string> = { ...options.headers };
    if (lastEventId !== undefined) {
      headers["Last-Event-ID"] = lastEventId;
    }
    const again: CallOptions = { ...options, headers };
    const response = await this.send(call, again, declared);
    if (response instanceof Stream) {
      return response;
    }
    if (response instanceof ByteStream) {
      await response.close(); // not an event stream: nothing to go on with
      return undefined;
    }
    if (response.status !== 204) {
      parse(response, declared); // throws the declared error of an error status
    }
    return undefined;
  }

  async #attempt(
    call: Call,
    body: BodyInit | undefined,
    options: CallOptions,
    declared: readonly Declared[],
  ): Promise<RawResponse | Stream<unknown> | ByteStream> {
    options.signal?.throwIfAborted();
    const headers = new Headers(this.#config.headers);
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      headers.set(name, value);
    }
    for (const [name, value] of call.headers) {
      if (value !== undefined && value !== null) {
        headers.set(name, simple(value));
      }
    }
    const cookies = call.cookies
      .filter(([, value]) => value !== undefined && value !== null)
      .map(([name, value]) => `${name}=${wire(value)}`);
    const query: [string, string][] = [];
    this.#credentials(call, headers, cookies, query);
    if (cookies.length > 0) {
      headers.set("Cookie", cookies.join("; "));
    }
    // fetch writes a multipart body's Content-Type itself, with the boundary.
    if (body !== undefined && call.body !== undefined && call.body.kind !== "multipart") {
      headers.set("Content-Type", call.body.mediaType);
    }
    const url = this.#url(call, query);
    const timeoutMs = options.timeoutMs ?? this.#config.timeoutMs;
    const controller = new AbortController();
    const onAbort = (): void => controller.abort(options.signal?.reason);
    options.signal?.addEventListener("abort", onAbort, { once: true });
    let timedOut = false;
    let streaming = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    try {
      const init: RequestInit = { method: call.method, headers, signal: controller.signal };
      if (body !== undefined) {
        init.body = body;
        if (typeof ReadableStream !== "undefined" && body instanceof ReadableStream) {
          Object.assign(init, { duplex: "half" }); // Node's fetch streams a body only so
        }
      }
      const response = await this.#config.fetch(url, init);
      const items = streamed(response.status, response.headers, declared);
      const download = call.download === true && entryFor(response.status, declared)?.error === null;
      if ((items !== undefined || download) && response.body !== null) {
        // The caller's signal still aborts the stream, until it closes.
        streaming = true;
        const chunks = {
          status: response.status,
          headers: response.headers,
          description: `${call.method} ${url} -> ${response.status}`,
          timeoutMs,
          abort: () => {
            options.signal?.removeEventListener("abort", onAbort);
            controller.abort();
          },
        };
        if (items === undefined) {
          return new ByteStream(response.body, chunks);
        }
        return new Stream<unknown>(response.body, {
          ...chunks,
          kind: items[0],
          format: items[1],
          resume:
            call.idempotent && items[0] === "events"
              ? (lastEventId) => this.#resume(call, options, declared, lastEventId)
              : undefined,
        });
      }
      const bytes = new Uint8Array(await response.arrayBuffer());
      return { method: call.method, url, status: response.status, headers: response.headers, bytes };
    } catch (error) {
      if (timedOut) {
        throw new TimeoutError(timeoutMs, `${call.method} ${url}: no response within ${timeoutMs} ms`);
      }
      throw error;
    } finally {
      clearTimeout(timer);
      if (!streaming) {
        options.signal?.removeEventListener("abort", onAbort);
      }
    }
  }
}

/** The declared content a response's Content-Type matches (else the first declared). */
function chosen(headers: Headers, declared: Declared): DeclaredContent | undefined {
  const received = mediaBase(headers.get("content-type") ?? "");
  for (const content of declared.contents) {
    const base = mediaBase(content[0]);
    if (base === received || (base.endsWith("/*") && received.startsWith(base.slice(0, -1)))) {
      return content;
    }
  }
  return declared.contents[0];
}

function entryFor(status: number, declared: readonly Declared[]): Declared | undefined {
  return declared.find((entry) => entry.low <= status && status <= entry.high);
}

/** The kind and item format of a declared success stream; undefined for any other response. */
function streamed(
  status: number,
  headers: Headers,
  declared: readonly Declared[],
): readonly [StreamKind, ItemFormat] | undefined {
  const entry = entryFor(status, declared);
  const content = entry !== undefined && entry.error === null ? chosen(headers, entry) : undefined;
  const kind = content?.[1];
  return kind === "events" || kind === "lines" ? [kind, content?.[2] ?? "json"] : undefined;
}

function decode(response: RawResponse, declared: Declared): unknown {
  if (declared.contents.length === 0 || response.bytes.length === 0) {
    return undefined;
  }
  const [, kind, items] = chosen(response.headers, declared) ?? ["", "binary"];
  if (kind === "binary") {
    return response.bytes;
  }
  const text = new TextDecoder().decode(response.bytes);
  if (kind === "events" || kind === "lines") {
    return parseWhole(text, kind, items ?? "json"); // an error response declared as a stream
  }
  return kind === "json" ? JSON.parse(text) : text;
}

/** The body of a success response; throws the declared error for an error response. */
export function parse(response: RawResponse, declared: readonly Declared[]): unknown {
  const message = `${response.method} ${response.url} -> ${response.status}`;
  const entry = entryFor(response.status, declared);
  if (entry !== undefined) {
    let body: unknown;
    try {
      body = decode(response, entry);
    } catch {
      const text = new TextDecoder().decode(response.bytes);
      throw new ResponseParseError(response.status, response.headers, text, message);
    }
    if (entry.error !== null) {
      throw new entry.error(response.status, response.headers, body, message);
    }
    return body;
  }
  const text = new TextDecoder().decode(response.bytes);
  throw new UnexpectedStatusError(response.status, response.headers, text, message);
}
