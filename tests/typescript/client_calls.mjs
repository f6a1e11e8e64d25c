// Drives the compiled TypeScript clients against the generated Python servers started by
// test_runtime.py, which passes everything in $SPECGEN_TS_E2E (JSON): base URLs, the compiled
// modules, the token and the ids that select each server-side scenario. Run with `node --test`.
import assert from "node:assert/strict";
import { test } from "node:test";
import { pathToFileURL } from "node:url";

const cfg = JSON.parse(process.env.SPECGEN_TS_E2E ?? "{}");
const martian = await import(pathToFileURL(cfg.martian.module).href);
const braintrust = await import(pathToFileURL(cfg.braintrust.module).href);
const ids = cfg.ids;

const feedback = (id, value = { helpful: true, rating: 4.5, nested: { deep: { precision: 0.95 }, graded: { score: "B" } } }) => [
  { id, feedback: value, tags: { evaluator: "node" }, optimize: "max" },
];

test("martian: success returns the parsed body", async () => {
  const client = new martian.Client({ baseUrl: cfg.martian.url, token: cfg.token });
  const results = await client.postFeedback({ body: feedback(ids.ok) });
  assert.equal(results.length, 1);
  assert.equal(results[0].error, null);
  assert.deepEqual(Object.keys(results[0].feedback_ids).sort(), ["helpful", "nested.deep.precision", "nested.graded", "rating"]);
});

test("martian: an invalid body throws the typed 400 error with the parsed body", async () => {
  const client = new martian.Client({ baseUrl: cfg.martian.url, token: cfg.token });
  const error = await client.postFeedback({ body: feedback(ids.ok, { tags: [1, 2] }) }).then(
    () => assert.fail("expected a 400"),
    (e) => e,
  );
  assert.ok(error instanceof martian.PostFeedback400Error, String(error));
  assert.ok(error instanceof martian.ApiError);
  assert.equal(error.name, "PostFeedback400Error");
  assert.equal(error.status, 400);
  assert.equal(error.body.error.status_code, 400);
  assert.match(error.headers.get("content-type"), /application\/json/);
});

test("martian: a rejected token throws the typed 401 error", async () => {
  const client = new martian.Client({ baseUrl: cfg.martian.url, token: "wrong" });
  await assert.rejects(client.postFeedback({ body: feedback(ids.ok) }), (e) => {
    assert.ok(e instanceof martian.PostFeedback401Error);
    assert.equal(e.body.error.status_code, 401);
    return true;
  });
});

test("martian: 429 with Retry-After: 1 is waited out and retried (POST)", async () => {
  const client = new martian.Client({ baseUrl: cfg.martian.url, token: cfg.token });
  const start = Date.now();
  const results = await client.postFeedback({ body: feedback(ids.limited) });
  assert.ok(Date.now() - start >= 900, `retried after ${Date.now() - start} ms`);
  assert.equal(results[0].error, null);
});

test("martian: an undeclared status throws UnexpectedStatusError", async () => {
  const client = new martian.Client({ baseUrl: cfg.martian.url, token: cfg.token });
  await assert.rejects(client.postFeedback({ body: feedback(ids.teapot) }), (e) => {
    assert.ok(e instanceof martian.UnexpectedStatusError);
    assert.ok(!(e instanceof martian.PostFeedback400Error));
    assert.equal(e.status, 418);
    return true;
  });
});

test("martian: a timeout throws TimeoutError and a POST is not retried", async () => {
  const client = new martian.Client({ baseUrl: cfg.martian.url, token: cfg.token, timeoutMs: 300 });
  await assert.rejects(client.postFeedback({ body: feedback(ids.slow) }), martian.TimeoutError);
});

test("martian: NaN is refused before anything is sent", async () => {
  const client = new martian.Client({ baseUrl: cfg.martian.url, token: cfg.token });
  await assert.rejects(client.postFeedback({ body: feedback(ids.ok, { x: Number.NaN }) }), TypeError);
});

test("braintrust: both operations succeed, with and without a token", async () => {
  const client = new braintrust.Client({ baseUrl: cfg.braintrust.url, token: cfg.token });
  const body = { feedback: [{ id: "row-1", scores: { accuracy: 0.5, missing: null }, comment: null, source: "api" }] };
  assert.deepEqual(await client.postExperimentIdFeedback({ experimentId: ids.ok, body }), { status: "success" });
  assert.deepEqual(await client.postProjectLogsIdFeedback({ projectId: ids.ok, body }), { status: "success" });
  const anonymous = new braintrust.Client({ baseUrl: cfg.braintrust.url });
  assert.deepEqual(await anonymous.postExperimentIdFeedback({ experimentId: ids.anonymous }), { status: "success" });
});

test("braintrust: typed 400 errors carry text/plain and JSON bodies", async () => {
  const client = new braintrust.Client({ baseUrl: cfg.braintrust.url, token: cfg.token });
  await assert.rejects(client.postExperimentIdFeedback({ experimentId: ids.bad }), (e) => {
    assert.ok(e instanceof braintrust.PostExperimentIdFeedback400Error);
    assert.equal(e.status, 400);
    assert.equal(e.body, "bad request: no feedback");
    return true;
  });
  await assert.rejects(client.postProjectLogsIdFeedback({ projectId: ids.bad }), (e) => {
    assert.ok(e instanceof braintrust.PostProjectLogsIdFeedback400Error);
    assert.deepEqual(e.body, { reason: "no feedback" });
    return true;
  });
});

test("braintrust: 429 with Retry-After: 1 is retried; 503 on a POST is not", async () => {
  const client = new braintrust.Client({ baseUrl: cfg.braintrust.url, token: cfg.token });
  const start = Date.now();
  assert.deepEqual(await client.postExperimentIdFeedback({ experimentId: ids.limited }), { status: "success" });
  assert.ok(Date.now() - start >= 900);
  await assert.rejects(client.postExperimentIdFeedback({ experimentId: ids.unavailable }), (e) => {
    assert.ok(e instanceof braintrust.UnexpectedStatusError);
    assert.equal(e.status, 503);
    // Not declared: the server answers problem+json, which the error exposes parsed.
    assert.equal(e.problem?.status, 503);
    assert.equal(e.problem?.type, "about:blank");
    assert.equal(e.problem?.detail, "maintenance");
    return true;
  });
});

test("braintrust: a 429 whose Retry-After exceeds the policy is thrown at once", async () => {
  const client = new braintrust.Client({
    baseUrl: cfg.braintrust.url,
    token: cfg.token,
    retry: { maxRetryAfterMs: 500 },
  });
  await assert.rejects(client.postExperimentIdFeedback({ experimentId: ids.patient }), (e) => {
    assert.ok(e instanceof braintrust.PostExperimentIdFeedback429Error);
    assert.equal(e.headers.get("retry-after"), "1");
    assert.equal(e.body, "slow down");
    return true;
  });
});

test("retry policy: Retry-After forms, backoff and jitter", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  assert.equal(martian.retryAfterMs("3", now), 3000);
  assert.equal(martian.retryAfterMs("Thu, 01 Jan 2026 00:00:02 GMT", now), 2000);
  assert.equal(martian.retryAfterMs("Wed, 31 Dec 2025 00:00:00 GMT", now), 0);
  assert.equal(martian.retryAfterMs("soon", now), null);
  const policy = { backoffMs: 100, jitter: 0.5, random: () => 1, maxAttempts: 3 };
  assert.equal(martian.retryDelayMs(policy, 1), 50);
  assert.equal(martian.retryDelayMs(policy, 2), 100);
  assert.equal(martian.retryDelayMs(policy, 3), null);
  assert.equal(martian.retryDelayMs(policy, 1, "2"), 2000);
  assert.equal(martian.retryDelayMs(martian.NO_RETRY, 1), null);
});
