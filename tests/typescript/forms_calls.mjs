// Drives the compiled TypeScript client of tests/corpus/uploads.yaml against a generated
// Python server started by test_forms.py, which passes $SPECGEN_TS_FORMS (JSON): the base URL
// and the compiled module. The handlers echo what they read, so each assertion checks both
// what the client wrote and what the server parsed. Run with `node --test`.
import assert from "node:assert/strict";
import { test } from "node:test";
import { pathToFileURL } from "node:url";

const cfg = JSON.parse(process.env.SPECGEN_TS_FORMS ?? "{}");
const api = await import(pathToFileURL(cfg.module).href);
const client = new api.Client({ baseUrl: cfg.url, timeoutMs: 10_000 });
const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe]);

test("multipart: files, a list of files, a JSON part, typed text parts", async () => {
  const got = await client.uploadAvatar({
    body: {
      avatar: new File([png], "me.png", { type: "image/png" }),
      width: 640,
      public: false,
      kind: "drawing",
      caption: "née à Zürich",
      tags: ["A", "B,c"],
      meta: { source: "camera", rating: 4 },
      attachments: [new Blob([new Uint8Array([1, 2, 3])]), new File(["four"], "4.txt")],
    },
  });
  assert.deepEqual(got, {
    filename: "me.png",
    content_type: "image/png",
    size: png.length,
    width: 640,
    public: false,
    kind: "drawing",
    caption: "née à Zürich",
    tags: ["A", "B,c"],
    source: "camera",
    attachments: [3, 4],
  });
});

test("multipart: a bad part is the declared 400", async () => {
  await assert.rejects(
    client.uploadAvatar({ body: { avatar: new Blob([png], { type: "image/gif" }), width: 5 } }),
    (error) => error.status === 400 && JSON.stringify(error.body).includes("avatar"),
  );
});

test("urlencoded: repeated keys, comma-joined arrays, booleans", async () => {
  const profile = { name: "Ada & co", age: 36, subscribed: true, colours: ["red", "blue"], sizes: [3, 4] };
  assert.deepEqual(await client.saveProfile({ body: profile }), profile);
  assert.deepEqual(await client.addNote({ body: { title: "t", body: "b=1&c" } }), { title: "t", body: "b=1&c" });
});
