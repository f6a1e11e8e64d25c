// The compiled clients of tests/corpus/structure_all_parameter_locations.yaml and
// structure_security_odd.yaml against a Node.js echo server: parameters and credentials as
// they reach the wire. The modules are $SPECGEN_TS_PARAMS and $SPECGEN_TS_SECURITY. Run with
// `node --test`.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { test } from "node:test";
import { pathToFileURL } from "node:url";

const pkg = await import(pathToFileURL(process.env.SPECGEN_TS_PARAMS).href);
const security = await import(pathToFileURL(process.env.SPECGEN_TS_SECURITY).href);

async function echo(run) {
  const server = createServer((req, res) => {
    res.setHeader("content-type", "application/json");
    const h = req.headers;
    if (req.url.startsWith("/base/a")) {
      res.statusCode = 204;
      res.setHeader("x-echo", JSON.stringify([req.url, h["x-api-key"] ?? "", h.authorization ?? ""]));
      res.end();
      return;
    }
    res.end(JSON.stringify([req.method, req.url, h["x-trace"] ?? "", h["x-flags"] ?? "", h.cookie ?? "", h.authorization ?? ""]));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    return await run(`http://127.0.0.1:${server.address().port}/base/`);
  } finally {
    server.close();
  }
}

test("every parameter location reaches the wire", async () => {
  const seen = await echo((baseUrl) =>
    new pkg.Client({ baseUrl }).listItems({
      itemId: "a/b c",
      kind: "b",
      xTrace: "trace-1",
      limit: 5,
      tags: ["x", "y z"],
      kinds: ["a", "c"],
      ratio: 0.5,
      xFlags: [1, 2],
      session: "s1",
      since: undefined,
    }),
  );
  assert.deepEqual(seen, [
    "GET",
    "/base/items/a%2Fb%20c/b?limit=5&tags=x&tags=y+z&kinds=a&kinds=c&ratio=0.5",
    "trace-1",
    "1,2",
    "session=s1",
    "",
  ]);
});

test("per-call headers and a caller's abort signal", async () => {
  const seen = await echo((baseUrl) =>
    new pkg.Client({ baseUrl, headers: { "X-Trace": "client" } }).listItems(
      { itemId: "1", kind: "a", xTrace: "arg" },
      { headers: { "X-Flags": "call" } },
    ),
  );
  assert.equal(seen[2], "arg");
  assert.equal(seen[3], "call");
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(
    new pkg.Client({ baseUrl: "http://127.0.0.1:9" }).listItems({ itemId: "1", kind: "a", xTrace: "t" }, { signal: controller.signal }),
    (e) => e.name === "AbortError",
  );
});

test("a refused connection is retried, then thrown", async () => {
  let calls = 0;
  const fetch = async () => {
    calls += 1;
    throw new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } });
  };
  const client = new pkg.Client({ baseUrl: "http://127.0.0.1:9", fetch, retry: { backoffMs: 1, maxAttempts: 3 } });
  await assert.rejects(client.listItems({ itemId: "1", kind: "a", xTrace: "t" }), TypeError);
  assert.equal(calls, 3);
});

test("the first security alternative whose credentials are all configured is sent", async () => {
  const seen = [];
  const fetchEcho = async (input, init) => {
    const response = await fetch(input, init);
    seen.push(JSON.parse(response.headers.get("x-echo")));
    return response;
  };
  await echo(async (baseUrl) => {
    const call = (options) => new security.Client({ baseUrl, fetch: fetchEcho, ...options }).getA();
    assert.equal(await call({ myKey: "k1", class_: "c1", token: "t1" }), undefined);
    await call({ myKey: "k1", token: "t1" });
    await call({});
  });
  assert.deepEqual(seen, [
    ["/base/a?class=c1", "k1", ""],
    ["/base/a", "", "Bearer t1"],
    ["/base/a", "", ""],
  ]);
});
