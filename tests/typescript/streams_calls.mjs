// Drives the compiled TypeScript client of tests/corpus/streams.yaml against the generated
// FastAPI server started by test_streams.py, which passes $SPECGEN_TS_STREAMS (JSON): the base
// URL, the compiled module, the server's pause between the two tokens of `count: 2`, and the
// URL of a probe saying whether the server closed a token stream early.
// Run with `node --test`.
import assert from "node:assert/strict";
import { test } from "node:test";
import { pathToFileURL } from "node:url";

const cfg = JSON.parse(process.env.SPECGEN_TS_STREAMS ?? "{}");
const api = await import(pathToFileURL(cfg.module).href);
const client = new api.Client({ baseUrl: cfg.url, timeoutMs: 10_000 });

async function collect(iterable) {
  const items = [];
  for await (const item of iterable) {
    items.push(item);
  }
  return items;
}

/** Waits until the server has closed the token stream of `count` (it saw the connection go),
 * while this process and `stream` live on: the client closed it, not its exit or GC. */
async function serverClosed(count, stream) {
  const deadline = Date.now() + 10_000;
  while (!(await (await fetch(`${cfg.probeUrl}/closed/${count}`)).json())) {
    assert.ok(Date.now() < deadline, `the server never saw the stream of ${count} tokens close`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.ok(stream instanceof api.Stream);
}

test("SSE typed by itemSchema: items with their fields, each as it is made", async () => {
  const stream = await client.streamTokens({ count: 2 });
  assert.ok(stream instanceof api.Stream);
  assert.match(stream.headers.get("content-type"), /^text\/event-stream/);
  const seen = [];
  for await (const event of stream.events()) {
    seen.push({ ...event, at: Date.now() });
  }
  assert.deepEqual(
    seen.map(({ data, event, id, retry }) => ({ data, event, id, retry })),
    [
      { data: { id: 0, text: "t0" }, event: "token", id: "0", retry: 2500 },
      { data: { id: 1, text: "t1" }, event: "token", id: "1", retry: 2500 },
    ],
  );
  // Not buffered: the first token was read while the server was still pausing.
  assert.ok(seen[1].at - seen[0].at >= cfg.pauseMs * 0.6, `${seen[1].at - seen[0].at} ms apart`);
});

test("SSE typed by schema, OpenAI style, in the JSON-or-stream operation", async () => {
  const whole = await client.complete({ body: { prompt: "hi" } });
  assert.ok(!(whole instanceof api.Stream));
  assert.deepEqual(whole, { text: "hello world" });
  const stream = await client.complete({ body: { prompt: "hi", stream: true } });
  assert.ok(stream instanceof api.Stream);
  assert.deepEqual(await collect(stream), [
    { index: 0, delta: "hello" },
    { index: 1, delta: " " },
    { index: 2, delta: "world" },
  ]);
});

test("untyped SSE: each event's data as text, multi-line data joined", async () => {
  assert.deepEqual(await collect(await client.ticker()), ["line one\nline two", "done"]);
});

test("JSON lines: one typed item per line", async () => {
  assert.deepEqual(await collect(await client.tailLogs()), [
    { level: "info", message: "started" },
    { level: "error", message: "failed: {x}" },
  ]);
});

test("an error status throws its typed error before any streaming", async () => {
  await assert.rejects(client.streamTokens({ count: 51 }), (e) => {
    assert.ok(e instanceof api.StreamTokens400Error, String(e));
    assert.equal(e.status, 400);
    return true;
  });
});

test("events() read to the end give every item", async () => {
  const events = await collect((await client.streamTokens({ count: 3 })).events());
  assert.deepEqual(events.map((e) => e.data.id), [0, 1, 2]);
});

test("leaving the loop early closes the connection", async () => {
  const stream = await client.streamTokens({ count: 50 });
  for await (const token of stream) {
    assert.equal(token.id, 0);
    break;
  }
  await assert.rejects(collect(stream), /read once/);
  await serverClosed(50, stream);
});

test("aborting the call's signal mid-stream ends the loop with the abort and closes the connection", async () => {
  const controller = new AbortController();
  const stream = await client.streamTokens({ count: 40 }, { signal: controller.signal });
  const seen = [];
  await assert.rejects(
    (async () => {
      for await (const token of stream) {
        seen.push(token.id);
        if (token.id === 1) {
          controller.abort();
        }
      }
    })(),
    (e) => e.name === "AbortError",
  );
  assert.deepEqual(seen, [0, 1]);
  await serverClosed(40, stream);
});
