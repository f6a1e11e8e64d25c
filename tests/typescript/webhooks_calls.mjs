// Drives the compiled TypeScript webhook sender (src/webhooks.ts) against the generated
// Python webhook receiver started by test_webhooks.py, which passes the receiver's base URL
// and the compiled module in $SPECGEN_TS_E2E (JSON). Run with `node --test`.
import assert from "node:assert/strict";
import { test } from "node:test";
import { pathToFileURL } from "node:url";

const cfg = JSON.parse(process.env.SPECGEN_TS_E2E ?? "{}");
const { webhooks } = await import(pathToFileURL(cfg.module).href);
const fast = { backoffMs: 10, jitter: 0 };

test("a webhook is delivered typed and its declared answer parsed", async () => {
  const sender = new webhooks.WebhookSender({ retry: fast, headers: { "X-Source": "node" } });
  const ack = await sender.newPet(`${cfg.url}/webhooks/newPet`, {
    xDeliveryId: "n-1",
    body: { id: 2, name: "Rex" },
  });
  assert.deepEqual(ack, { received: true });
});

test("a declared error throws its typed class", async () => {
  const sender = new webhooks.WebhookSender({ retry: fast });
  const error = await sender
    .newPet(`${cfg.url}/webhooks/newPet`, { xDeliveryId: "n-2", body: { id: 3, name: "refused" } })
    .then(() => assert.fail("expected a 422"), (e) => e);
  assert.ok(error instanceof webhooks.NewPet422Error);
  assert.deepEqual(error.body, { reason: "no thanks" });
});

test("a busy receiver gets the delivery again (503, then 204)", async () => {
  const sender = new webhooks.WebhookSender({ retry: fast });
  const url = `${cfg.url}/webhooks/subscribe/petEvent`;
  const result = await sender.subscribePetEvent(url, {
    body: { kind: "adopted", pet_id: 4, owner: "Ann" },
  });
  assert.equal(result, undefined);
});
