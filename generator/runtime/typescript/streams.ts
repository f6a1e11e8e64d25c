/**
 * Streamed responses, read as they arrive: Server-Sent Events (`text/event-stream`, each
 * event's `data` one item) and JSON lines (`application/jsonl`, `application/x-ndjson`,
 * `application/json-seq`, one JSON text per line).
 */

import { ResponseParseError, TimeoutError } from "./errors.js";

/** What OpenAI-style streams send as the last event's data; not an item. */
export const DONE = "[DONE]";

export type StreamKind = "events" | "lines";
/** How an item's data reads: JSON, or the text as it is (untyped or string events). */
export type ItemFormat = "json" | "text";

/** One item of a stream with its Server-Sent Event fields: `event` (the type, "message" for
 * an unnamed one), `id` (the last event id seen) and `retry` (milliseconds to wait before
 * reconnecting, when this event set it). JSON lines have only `data`. */
export interface StreamEvent<T> {
  readonly data: T;
  readonly event: string;
  readonly id: string | undefined;
  readonly retry: number | undefined;
}

/** One dispatched event, its data still text. */
export type RawEvent = StreamEvent<string>;

/** The Server-Sent Events parser of the HTML standard ("Interpreting an event stream"):
 * text in, complete events out; text may be cut anywhere, a CRLF included. */
export class EventParser {
  #buffer = "";
  #started = false;
  #afterCR = false;
  #data: string[] = [];
  #event = "";
  #id: string;
  #retry: number | undefined;

  /** `lastEventId`: the id a resumed stream carries on from. */
  constructor(lastEventId = "") {
    this.#id = lastEventId;
  }

  /** The events completed by `text`. */
  feed(text: string): RawEvent[] {
    if (text === "") {
      return []; // keeps the CR state: a decoder may hold a partial character back
    }
    if (!this.#started) {
      this.#started = true;
      text = text.startsWith("\uFEFF") ? text.slice(1) : text;
    }
    if (this.#afterCR && text.startsWith("\n")) {
      text = text.slice(1); // the LF of a CRLF cut after its CR
    }
    this.#afterCR = text.endsWith("\r");
    const lines = (this.#buffer + text).split(/\r\n|\r|\n/);
    this.#buffer = lines.pop() ?? "";
    const events: RawEvent[] = [];
    for (const line of lines) {
      const event = this.#line(line);
      if (event !== undefined) {
        events.push(event);
      }
    }
    return events;
  }

  #line(line: string): RawEvent | undefined {
    if (line === "") {
      return this.#dispatch();
    }
    if (line.startsWith(":")) {
      return undefined; // a comment (keep-alive)
    }
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    value = value.startsWith(" ") ? value.slice(1) : value;
    if (field === "data") {
      this.#data.push(value);
    } else if (field === "event") {
      this.#event = value;
    } else if (field === "id" && !value.includes("\0")) {
      this.#id = value;
    } else if (field === "retry" && /^\d+$/.test(value)) {
      this.#retry = Number(value);
    }
    return undefined;
  }

  #dispatch(): RawEvent | undefined {
    const data = this.#data;
    const event = this.#event || "message";
    const retry = this.#retry;
    this.#data = [];
    this.#event = "";
    this.#retry = undefined;
    // An event without data lines is no event; the id it set still holds for the next one.
    if (data.length === 0) {
      return undefined;
    }
    return { data: data.join("\n"), event, id: this.#id || undefined, retry };
  }
}

/** JSON lines: one item per non-empty line; json-seq's record separator (0x1E) is
 * whitespace here. The last line needs no line break. */
export class LineParser {
  #buffer = "";

  feed(text: string): RawEvent[] {
    const lines = (this.#buffer + text).split("\n");
    this.#buffer = lines.pop() ?? "";
    return LineParser.#items(lines);
  }

  /** The item of a last line without a line break. */
  end(): RawEvent[] {
    const rest = this.#buffer;
    this.#buffer = "";
    return LineParser.#items([rest]);
  }

  static #items(lines: readonly string[]): RawEvent[] {
    return lines
      .map((line) => line.replace(/^[\s\u001e]+|[\s\u001e]+$/g, ""))
      .filter((line) => line !== "")
      .map((data) => ({ data, event: "message", id: undefined, retry: undefined }));
  }
}

/** The parser of `kind`, with the `end` both have. */
function parserOf(
  kind: StreamKind,
  lastEventId?: string,
): { feed(text: string): RawEvent[]; end(): RawEvent[] } {
  if (kind === "lines") {
    return new LineParser();
  }
  const parser = new EventParser(lastEventId);
  // The standard drops an event the stream ends inside of (no blank line after it).
  return { feed: (text) => parser.feed(text), end: () => [] };
}

/** Whether `raw` ends an OpenAI-style stream: `[DONE]` where items are JSON. */
function isDone(raw: RawEvent, format: ItemFormat): boolean {
  return format === "json" && raw.data === DONE;
}

/** The items of a whole body (an error response declared as a stream), up to `[DONE]`. */
export function parseWhole(text: string, kind: StreamKind, format: ItemFormat): unknown[] {
  const parser = parserOf(kind);
  const items: unknown[] = [];
  for (const raw of [...parser.feed(text), ...parser.end()]) {
    if (isDone(raw, format)) {
      break;
    }
    items.push(format === "json" ? JSON.parse(raw.data) : raw.data);
  }
  return items;
}

/** How a streamed body is read: the idle timeout, and what it tells the transport. */
export interface ChunkOptions {
  readonly status: number;
  readonly headers: Headers;
  /** Used in errors: "METHOD url -> status". */
  readonly description: string;
  /** The longest wait for the next chunk, in milliseconds. */
  readonly timeoutMs: number;
  /** Aborts the request, which closes the connection. */
  readonly abort: () => void;
}

/** The wait before resuming a dropped event stream when the server set no `retry`. */
export const RECONNECT_MS = 3000;
/** Drops in a row (no event between them) after which a stream gives up. */
export const MAX_RECONNECTS = 3;
/** A `retry` longer than this is not waited: the error is the caller's. */
export const MAX_RETRY_MS = 60_000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** How a `Stream` reads its body: the parser and the items' format, besides the chunks. */
export interface StreamOptions extends ChunkOptions {
  readonly kind: StreamKind;
  readonly format: ItemFormat;
  /**
   * Sends the request again after the connection dropped, with `Last-Event-ID`: a fresh
   * stream, or undefined when the server says there is nothing more (204). Given for
   * idempotent event streams only: a POST that starts work is never sent twice.
   */
  readonly resume?: (lastEventId: string | undefined) => Promise<Stream<unknown> | undefined>;
}

/**
 * A streamed response, read as it arrives: `for await (const item of stream)` for the typed
 * items, or `stream.events()` for each with its SSE fields. Breaking out of the loop (or
 * `close()`) cancels the body and aborts the request, so the connection closes; so does
 * reading to the end. A stream is read once. An idempotent event stream whose connection
 * drops is resumed as browsers' EventSource does: after the server's last `retry` (else
 * 3 s) the request is sent again with `Last-Event-ID`, and reading goes on.
 */
export class Stream<T> implements AsyncIterable<T> {
  readonly status: number;
  readonly headers: Headers;
  #body: ReadableStream<Uint8Array>;
  #options: StreamOptions;
  #reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  #read = false;
  #closed = false;

  constructor(body: ReadableStream<Uint8Array>, options: StreamOptions) {
    this.#body = body;
    this.#options = options;
    this.status = options.status;
    this.headers = options.headers;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const event of this.events()) {
      yield event.data;
    }
  }

  /** Each item with its Server-Sent Event fields. */
  async *events(): AsyncGenerator<StreamEvent<T>, void, undefined> {
    if (this.#read || this.#closed) {
      throw new Error("a Stream is read once: this one was read or closed");
    }
    this.#read = true;
    let lastId: string | undefined;
    let retryMs = RECONNECT_MS;
    let drops = 0;
    try {
      for (;;) {
        const reader = this.#body.getReader();
        this.#reader = reader;
        const decoder = new TextDecoder("utf-8");
        const parser = parserOf(this.#options.kind, lastId);
        try {
          for (;;) {
            const chunk = await nextChunk(reader, this.#options);
            const text = chunk === undefined ? decoder.decode() : decoder.decode(chunk, { stream: true });
            const found = parser.feed(text);
            if (chunk === undefined) {
              found.push(...parser.end());
            }
            for (const raw of found) {
              if (isDone(raw, this.#options.format)) {
                return;
              }
              lastId = raw.id;
              retryMs = raw.retry ?? retryMs;
              drops = 0;
              yield { ...raw, data: this.#parse(raw.data) };
            }
            if (chunk === undefined) {
              return;
            }
          }
        } catch (error) {
          drops += 1;
          const next = await this.#resumed(error, lastId, retryMs, drops);
          if (next === undefined) {
            return;
          }
          this.#options.abort();
          this.#body = next.#body;
          this.#options = next.#options;
          this.#reader = undefined;
        }
      }
    } finally {
      await this.close();
    }
  }

  /** The stream that goes on after `error`, undefined when the server has no more; throws
   * `error` when it is not a dropped connection the stream may resume from. */
  async #resumed(
    error: unknown,
    lastId: string | undefined,
    retryMs: number,
    drops: number,
  ): Promise<Stream<unknown> | undefined> {
    const { resume } = this.#options;
    const dropped = !(error instanceof TimeoutError) && !(error instanceof ResponseParseError);
    if (resume === undefined || this.#closed || !dropped || drops > MAX_RECONNECTS || retryMs > MAX_RETRY_MS) {
      throw error;
    }
    await sleep(retryMs);
    if (this.#closed) {
      throw error;
    }
    return resume(lastId);
  }

  /** Stops reading and closes the connection (idempotent). */
  async close(): Promise<void> {
    if (this.#closed) {
      return;
    }
    this.#closed = true;
    try {
      await (this.#reader ?? this.#body).cancel();
    } catch {
      // Already errored (aborted, timed out): nothing left to cancel.
    } finally {
      this.#options.abort();
    }
  }

  #parse(data: string): T {
    if (this.#options.format === "text") {
      return data as T;
    }
    try {
      return JSON.parse(data) as T;
    } catch {
      const { status, headers, description } = this.#options;
      throw new ResponseParseError(status, headers, data, `${description}: an item is not JSON`);
    }
  }
}

/** The next chunk of a streamed body, undefined at the end; within the idle timeout. */
async function nextChunk(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  options: ChunkOptions,
): Promise<Uint8Array | undefined> {
  const { timeoutMs, abort, description } = options;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    abort();
  }, timeoutMs);
  try {
    const { done, value } = await reader.read();
    return done ? undefined : value;
  } catch (error) {
    if (timedOut) {
      throw new TimeoutError(timeoutMs, `${description}: no data within ${timeoutMs} ms`);
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A binary response read as it arrives (a client's `stream<Operation>` method):
 * `for await (const chunk of download)` yields its bytes, never all of them at once.
 * Breaking out of the loop (or `close()`) cancels the body and aborts the request, so the
 * connection closes; so does reading to the end. A download is read once.
 */
export class ByteStream implements AsyncIterable<Uint8Array> {
  readonly status: number;
  readonly headers: Headers;
  readonly #body: ReadableStream<Uint8Array>;
  readonly #options: ChunkOptions;
  #reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  #closed = false;

  constructor(body: ReadableStream<Uint8Array>, options: ChunkOptions) {
    this.#body = body;
    this.#options = options;
    this.status = options.status;
    this.headers = options.headers;
  }

  /** The media type the server sent (the concrete one, for a wildcard such as `image/*`). */
  get contentType(): string | null {
    return this.headers.get("content-type");
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array, void, undefined> {
    if (this.#reader !== undefined || this.#closed) {
      throw new Error("a ByteStream is read once: this one was read or closed");
    }
    const reader = this.#body.getReader();
    this.#reader = reader;
    try {
      for (let chunk = await nextChunk(reader, this.#options); chunk !== undefined; ) {
        yield chunk;
        chunk = await nextChunk(reader, this.#options);
      }
    } finally {
      await this.close();
    }
  }

  /** Stops reading and closes the connection (idempotent). */
  async close(): Promise<void> {
    if (this.#closed) {
      return;
    }
    this.#closed = true;
    try {
      await (this.#reader ?? this.#body).cancel();
    } catch {
      // Already errored (aborted, timed out): nothing left to cancel.
    } finally {
      this.#options.abort();
    }
  }
}
