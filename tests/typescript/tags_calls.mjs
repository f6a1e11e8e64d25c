// Drives the compiled tags-layout Braintrust client (`client.experiments`, `client.logs`)
// against the Braintrust reference server started by test_tags_layout.py, which passes
// everything in $SPECGEN_TS_TAGS (JSON): the compiled module, the base URLs of a plain and of
// a rate-limited server, the API key and the container ids. Run with `node --test`.
import assert from "node:assert/strict";
import { test } from "node:test";
import { pathToFileURL } from "node:url";

const cfg = JSON.parse(process.env.SPECGEN_TS_TAGS ?? "{}");
const bt = await import(pathToFileURL(cfg.module).href);
const { experiment, logs } = cfg.ids;
const client = (options = {}) => new bt.Client({ baseUrl: cfg.url, token: cfg.key, ...options });
const rejected = (promise) => promise.then(() => assert.fail("expected an error"), (e) => e);

test("one property per tag, each an instance of its group's exported class", () => {
  const c = client();
  assert.deepEqual(Object.keys(c), ["experiments", "logs"]);
  assert.ok(c.experiments instanceof bt.ExperimentsClient);
  assert.ok(c.logs instanceof bt.LogsClient);
  assert.equal(typeof c.experiments.postExperimentIdFeedback, "function");
  assert.equal(typeof c.logs.postProjectLogsIdFeedback, "function");
  assert.equal(c.postExperimentIdFeedback, undefined);
  assert.equal(c.experiments.postProjectLogsIdFeedback, undefined);
});

test("both groups send feedback with the client's token", async () => {
  const c = client();
  const rows = { feedback: [{ id: "row-1", scores: { accuracy: 0.5, stale: null }, comment: "from node", source: "api", tags: ["ts"] }] };
  assert.deepEqual(await c.experiments.postExperimentIdFeedback({ experimentId: experiment, body: rows }), { status: "success" });
  const logged = { feedback: [{ id: "log-1", scores: { quality: 1 } }] };
  assert.deepEqual(await c.logs.postProjectLogsIdFeedback({ projectId: logs, body: logged }), { status: "success" });
});

test("a client without a token is served (the spec allows anonymous calls)", async () => {
  const anonymous = new bt.Client({ baseUrl: cfg.url });
  const body = { feedback: [{ id: "anon-1" }] };
  assert.deepEqual(await anonymous.experiments.postExperimentIdFeedback({ experimentId: experiment, body }), { status: "success" });
});

test("a wrong key throws the group's typed 401 error, exported from the entry", async () => {
  const e = await rejected(client({ token: "wrong" }).experiments.postExperimentIdFeedback({ experimentId: experiment }));
  assert.ok(e instanceof bt.PostExperimentIdFeedback401Error, String(e));
  assert.ok(e instanceof bt.ApiError);
  assert.equal(e.name, "PostExperimentIdFeedback401Error");
  assert.equal(e.status, 401);
  assert.equal(e.body.status, 401);
});

test("an invalid body throws the typed 400 error with the parsed problem body", async () => {
  const body = { feedback: [{ scores: { accuracy: "high" } }] };
  const e = await rejected(client().logs.postProjectLogsIdFeedback({ projectId: logs, body }));
  assert.ok(e instanceof bt.PostProjectLogsIdFeedback400Error, String(e));
  assert.ok(!(e instanceof bt.PostExperimentIdFeedback400Error));
  assert.equal(e.body.status, 400);
  assert.match(e.headers.get("content-type"), /application\/json/);
});

test("the groups share the client's transport: its retry policy answers a 429", async () => {
  const limited = client({ baseUrl: cfg.limitedUrl });
  const first = { feedback: [{ id: "t-1" }] };
  assert.deepEqual(await limited.experiments.postExperimentIdFeedback({ experimentId: experiment, body: first }), { status: "success" });
  const start = Date.now();
  const second = { feedback: [{ id: "t-2" }] };
  assert.deepEqual(await limited.logs.postProjectLogsIdFeedback({ projectId: logs, body: second }), { status: "success" });
  assert.ok(Date.now() - start >= 900, `retried after ${Date.now() - start} ms`);
  const strict = client({ baseUrl: cfg.limitedUrl, retry: bt.NO_RETRY });
  const e = await rejected(strict.logs.postProjectLogsIdFeedback({ projectId: logs, body: { feedback: [{ id: "t-3" }] } }));
  assert.ok(e instanceof bt.PostProjectLogsIdFeedback429Error, String(e));
  assert.equal(e.headers.get("retry-after"), "1");
});
