// Drives the compiled TypeScript client of tests/corpus/streams.yaml against a scripted
// HTTP/1.1 server started by test_stream_reconnect.py ($SPECGEN_TS_RECONNECT: the base URL,
// the compiled module and the case to run); the Python side checks what the server saw.
// Run with `node --test`.
import assert from "node:assert/strict";
import { test } from "node:test";
import { pathToFileURL } from "node:url";

const cfg = JSON.parse(process.env.SPECGEN_TS_RECONNECT ?? "{}");
const api = await import(pathToFileURL(cfg.module).href);
const client = new api.Client({ baseUrl: cfg.url, timeoutMs: 10_000 });

async function collect(iterable) {
  const items = [];
  for await (const item of iterable) {
    items.push(item);
  }
  return items;
}

const cases = {
  async resumes() {
    const stream = await client.streamTokens({ count: 3 });
    const events = await collect(stream.events());
    assert.deepEqual(events.map((e) => [e.data.id, e.id]), [[0, "0"], [1, "1"], [2, "2"]]);
  },
  async ends_on_204() {
    const tokens = await collect(await client.streamTokens({ count: 3 }));
    assert.deepEqual(tokens.map((t) => t.id), [0]);
  },
  async post_is_not_resent() {
    const stream = await client.complete({ body: { prompt: "hi", stream: true } });
    await assert.rejects(collect(stream));
  },
  async gives_up() {
    await assert.rejects(collect(await client.streamTokens({ count: 3 })));
  },
};

test(cfg.case, async () => {
  await cases[cfg.case]();
});
