// Unit tests of the stream runtime (generator/runtime/typescript/streams.ts, compiled into a
// package's dist/ by test_streams.py, which passes the folder in $SPECGEN_TS_DIST). Bodies are
// ReadableStreams of chunks cut wherever the test says. Run with `node --test`.
import assert from "node:assert/strict";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import path from "node:path";

const dist = process.env.SPECGEN_TS_DIST ?? "";
const { EventParser, LineParser, Stream, parseWhole } = await import(pathToFileURL(path.join(dist, "streams.js")).href);
const { ResponseParseError, TimeoutError } = await import(pathToFileURL(path.join(dist, "errors.js")).href);

const encoder = new TextEncoder();

/** A body of `chunks` (bytes); `log` records what the reader did to it. */
function body(chunks, log = {}) {
  let index = 0;
  return new ReadableStream({
    pull(controller) {
      if (index < chunks.length) {
        controller.enqueue(chunks[index++]);
      } else {
        controller.close();
      }
    },
    cancel() {
      log.cancelled = true;
    },
  });
}

function open(chunks, options = {}, log = {}) {
  return new Stream(body(chunks, log), {
    kind: "events",
    format: "json",
    status: 200,
    headers: new Headers(),
    description: "GET /x -> 200",
    timeoutMs: 5000,
    abort: () => {
      log.aborted = true;
    },
    ...options,
  });
}

async function collect(iterable) {
  const items = [];
  for await (const item of iterable) {
    items.push(item);
  }
  return items;
}

/** Every way of cutting `bytes` in two, and byte by byte. */
function cuts(bytes) {
  const ways = [[bytes], Array.from(bytes, (b) => Uint8Array.of(b))];
  for (let at = 1; at < bytes.length; at += 1) {
    ways.push([bytes.slice(0, at), bytes.slice(at)]);
  }
  return ways;
}

test("SSE fields: data lines joined with LF, event, id, retry; comments and unknown fields ignored", () => {
  const parser = new EventParser();
  const events = parser.feed(
    ": keep-alive\n\nevent: token\nid: 7\nretry: 2500\ndata: one\ndata:two\ndata:  three\nfoo: bar\n\n",
  );
  assert.deepEqual(events, [{ data: "one\ntwo\n three", event: "token", id: "7", retry: 2500 }]);
});

test("SSE defaults: event 'message', the last id carries over, retry only where set", () => {
  const parser = new EventParser();
  const events = parser.feed("id: a\ndata: 1\n\ndata: 2\n\nid\ndata: 3\n\n");
  assert.deepEqual(events, [
    { data: "1", event: "message", id: "a", retry: undefined },
    { data: "2", event: "message", id: "a", retry: undefined },
    { data: "3", event: "message", id: undefined, retry: undefined },
  ]);
});

test("SSE: a field without a colon, an empty data line, bad retry and a NUL id", () => {
  const parser = new EventParser();
  const events = parser.feed("id: x\ndata\ndata\nretry: 1s\nid: a\u0000b\n\n");
  assert.deepEqual(events, [{ data: "\n", event: "message", id: "x", retry: undefined }]);
});

test("SSE: an event without data is not dispatched; its event type does not leak", () => {
  const parser = new EventParser();
  assert.deepEqual(parser.feed("event: ping\n\ndata: x\n\n"), [
    { data: "x", event: "message", id: undefined, retry: undefined },
  ]);
});

test("SSE: CRLF, CR and LF line ends, and a BOM at the start", () => {
  for (const end of ["\r\n", "\r", "\n"]) {
    const parser = new EventParser();
    const text = `\uFEFFdata: a${end}data: b${end}${end}event: e${end}data: c${end}${end}`;
    assert.deepEqual(
      parser.feed(text).map((e) => [e.data, e.event]),
      [["a\nb", "message"], ["c", "e"]],
      JSON.stringify(end),
    );
  }
  // A BOM only counts at the very start.
  assert.deepEqual(new EventParser().feed("data: a\n\n\uFEFFdata: b\n\n").length, 1);
});

test("SSE: a CRLF cut between its CR and LF is one line end", () => {
  const parser = new EventParser();
  assert.deepEqual(parser.feed("data: a\r"), []);
  assert.deepEqual(parser.feed("\ndata: b\r"), []);
  assert.deepEqual(parser.feed("\n\r\n").map((e) => e.data), ["a\nb"]);
});

const SSE = "\uFEFFevent: t\r\nid: 1\r\ndata: {\"text\": \"h\u00e9llo \ud83d\ude00\"}\r\n\r\n: ping\n\ndata: {\"text\":\r\ndata: \"\u20ac\"}\r\r";

test("SSE over a body cut anywhere, multi-byte UTF-8 included, gives the same items", async () => {
  const bytes = encoder.encode(SSE);
  const expected = [
    { data: { text: "h\u00e9llo \ud83d\ude00" }, event: "t", id: "1", retry: undefined },
    { data: { text: "\u20ac" }, event: "message", id: "1", retry: undefined },
  ];
  for (const chunks of cuts(bytes)) {
    assert.deepEqual(await collect(open(chunks).events()), expected, `cut into ${chunks.length}`);
  }
});

test("JSON lines cut anywhere: one item per non-empty line, CRLF, json-seq RS, no final LF", async () => {
  const text = '{"a": 1}\r\n\n  \n\u001e{"a": "\u00e9\ud83d\ude00"}\n\u001e{"a": 3}';
  const bytes = encoder.encode(text);
  for (const chunks of cuts(bytes)) {
    const items = await collect(open(chunks, { kind: "lines" }));
    assert.deepEqual(items, [{ a: 1 }, { a: "\u00e9\ud83d\ude00" }, { a: 3 }], `cut into ${chunks.length}`);
  }
  const parser = new LineParser();
  assert.deepEqual(parser.feed('{"x":1}\n{"x"'), [{ data: '{"x":1}', event: "message", id: undefined, retry: undefined }]);
  assert.deepEqual(parser.end().map((e) => e.data), ['{"x"']); // truncated: not JSON, an error
});

test("[DONE] ends a JSON stream and closes it; text items keep it as data", async () => {
  const frames = ['data: {"n": 1}\n\n', "data: [DONE]\n\n", 'data: {"n": 2}\n\n', "data: 3\n\n"];
  const log = {};
  assert.deepEqual(await collect(open(frames.map((f) => encoder.encode(f)), {}, log)), [{ n: 1 }]);
  assert.ok(log.cancelled && log.aborted);
  const text = encoder.encode("data: [DONE]\n\ndata: line one\ndata: line two\n\n");
  assert.deepEqual(await collect(open([text], { format: "text" })), ["[DONE]", "line one\nline two"]);
});

test("an event the body ends inside of is dropped (no blank line after it)", async () => {
  assert.deepEqual(await collect(open([encoder.encode('data: {"n": 1}\n\ndata: {"n": 2}\n')])), [{ n: 1 }]);
});

test("breaking out of the loop cancels the body and aborts the request", async () => {
  const frames = Array.from({ length: 5 }, (_, n) => encoder.encode(`data: ${n}\n\n`));
  const log = {};
  const stream = open(frames, {}, log);
  for await (const item of stream) {
    assert.equal(item, 0);
    break;
  }
  assert.ok(log.cancelled, "the body was not cancelled");
  assert.ok(log.aborted, "the request was not aborted");
  await assert.rejects(collect(stream), /read once/);
  const closed = open(frames, {}, {});
  await closed.close();
  await assert.rejects(collect(closed), /read once/);
});

test("an item that is not JSON throws ResponseParseError with the data", async () => {
  const stream = open([encoder.encode("data: {oops\n\n")]);
  await assert.rejects(collect(stream), (e) => {
    assert.ok(e instanceof ResponseParseError);
    assert.equal(e.body, "{oops");
    assert.equal(e.status, 200);
    return true;
  });
});

test("no chunk within timeoutMs throws TimeoutError", async () => {
  let source;
  const silent = new ReadableStream({
    start(controller) {
      source = controller;
    },
  });
  const stream = new Stream(silent, {
    kind: "events",
    format: "json",
    status: 200,
    headers: new Headers(),
    description: "GET /x -> 200",
    timeoutMs: 50,
    abort: () => source.error(new DOMException("aborted", "AbortError")),
  });
  await assert.rejects(collect(stream), (e) => e instanceof TimeoutError && e.timeoutMs === 50);
});

test("a whole body (an error response declared as a stream) parses to its items", () => {
  assert.deepEqual(parseWhole('data: {"n":1}\n\ndata: [DONE]\n\n', "events", "json"), [{ n: 1 }]);
  assert.deepEqual(parseWhole("data: a\n\ndata: b\n\n", "events", "text"), ["a", "b"]);
  assert.deepEqual(parseWhole('{"n":1}\n{"n":2}', "lines", "json"), [{ n: 1 }, { n: 2 }]);
});
