// Drives the compiled TypeScript client of tests/corpus/binary.yaml against the generated
// FastAPI server started by test_binary.py, which passes $SPECGEN_TS_BINARY (JSON): the base
// URL and the compiled module. Run with `node --test`.
import assert from "node:assert/strict";
import { test } from "node:test";
import { pathToFileURL } from "node:url";

const cfg = JSON.parse(process.env.SPECGEN_TS_BINARY ?? "{}");
const api = await import(pathToFileURL(cfg.module).href);
const client = new api.Client({ baseUrl: cfg.url, timeoutMs: 10_000 });
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]);

test("uploads as Uint8Array, Blob and ArrayBuffer, with the declared type", async () => {
  const pdf = new TextEncoder().encode("%PDF-1.7 fake");
  let stored = await client.uploadDocument({ body: pdf });
  assert.deepEqual([stored.size, stored.content_type], [pdf.length, "application/pdf"]);
  stored = await client.uploadDocument({ body: new Blob([pdf]), contentType: "application/octet-stream" });
  assert.deepEqual([stored.size, stored.content_type], [pdf.length, "application/octet-stream"]);
  stored = await client.uploadDocument({ body: pdf.buffer });
  assert.equal(stored.size, pdf.length);
});

test("a ReadableStream is streamed, in the type the caller names for image/*", async () => {
  const body = new ReadableStream({
    start(controller) {
      controller.enqueue(PNG.slice(0, 3));
      controller.enqueue(PNG.slice(3));
      controller.close();
    },
  });
  const stored = await client.putImage({ name: "logo", body, contentType: "image/png" });
  assert.deepEqual([stored.size, stored.content_type], [PNG.length, "image/png"]);
  const back = await client.getImage({ name: "logo" });
  assert.ok(back instanceof Uint8Array);
  assert.deepEqual([...back], [...PNG]);
});

test("downloads resolve to their bytes", async () => {
  const blob = await client.downloadBlob({ blobId: "b", chunks: 3 });
  assert.equal(new TextDecoder().decode(blob), "chunk 0;chunk 1;chunk 2;");
  const report = await client.getReport({ reportId: "r" });
  assert.equal(new TextDecoder().decode(report.slice(0, 8)), "%PDF-1.7");
});

test("a stream method reads a download as it arrives and closes it", async () => {
  const download = await client.streamDownloadBlob({ blobId: "b", chunks: 4 });
  assert.ok(download instanceof api.ByteStream);
  assert.equal(download.contentType, "application/octet-stream");
  assert.equal(download.headers.get("content-length"), null);
  const chunks = [];
  for await (const chunk of download) {
    chunks.push(new TextDecoder().decode(chunk));
  }
  assert.equal(chunks.join(""), "chunk 0;chunk 1;chunk 2;chunk 3;");
  const image = await client.streamGetImage({ name: "logo" });
  assert.equal(image.contentType, "image/png"); // the concrete type, not image/*
  await image.close();
  await assert.rejects(client.streamGetImage({ name: "nothing" }), (error) => error.status === 404);
});
