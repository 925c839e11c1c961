// Drives the fal emulator with fal's official JavaScript client, @fal-ai/client, redirected from
// https://queue.fal.run to the emulator through its requestMiddleware (the client has no host
// option). Usage: node conformance.mjs <emulator base url>. Exits 0 when every check passes.
import { createFalClient, ApiError, ValidationError } from "@fal-ai/client";
import assert from "node:assert/strict";

const base = (process.argv[2] ?? "").replace(/\/+$/, "");
if (!base) {
  console.error("usage: node conformance.mjs <emulator base url>");
  process.exit(2);
}
const FAL_HOSTS = /^https:\/\/(queue\.)?fal\.run/;
const seenUrls = [];
const fal = createFalClient({
  credentials: "conformance-key",
  requestMiddleware: async (request) => {
    const url = request.url.replace(FAL_HOSTS, base);
    seenUrls.push(`${request.method} ${url.slice(base.length)}`);
    return { ...request, url };
  },
});

const T2V = "fal-ai/kling-video/v3/standard/text-to-video";
const input = (prompt) => ({ prompt, duration: "3", aspect_ratio: "16:9", generate_audio: false });
const checks = [];
async function check(name, fn) {
  const started = Date.now();
  try {
    await fn();
    checks.push(name);
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    console.log(`FAIL ${name}: ${e.stack ?? e}`);
    process.exitCode = 1;
  }
}
async function expectMp4(video) {
  assert.equal(video.content_type, "video/mp4");
  assert.ok(video.url.startsWith(base + "/media/"), video.url);
  const response = await fetch(video.url);
  assert.equal(response.status, 200);
  const bytes = new Uint8Array(await response.arrayBuffer());
  assert.equal(bytes.length, video.file_size);
  assert.equal(new TextDecoder().decode(bytes.slice(4, 8)), "ftyp");
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

await check("queue.submit / status / result", async () => {
  const { request_id: requestId, status } = await fal.queue.submit(T2V, { input: input("a lighthouse at dusk") });
  assert.equal(status, "IN_QUEUE");
  assert.match(requestId, /^[0-9a-f-]{36}$/);
  const first = await fal.queue.status(T2V, { requestId, logs: true });
  assert.ok(["IN_QUEUE", "IN_PROGRESS", "COMPLETED"].includes(first.status), first.status);
  let last = first;
  for (let i = 0; i < 200 && last.status !== "COMPLETED"; i++) {
    await sleep(100);
    last = await fal.queue.status(T2V, { requestId, logs: true });
  }
  assert.equal(last.status, "COMPLETED");
  assert.ok(Array.isArray(last.logs) && last.logs.length > 0, "logs on COMPLETED");
  assert.equal(typeof last.metrics.inference_time, "number");
  const result = await fal.queue.result(T2V, { requestId });
  assert.equal(result.requestId, requestId);
  await expectMp4(result.data.video);
});

await check("subscribe, polling mode", async () => {
  const updates = [];
  let enqueued;
  const result = await fal.subscribe(T2V, {
    input: input("a red kite over the sea"),
    mode: "polling",
    pollInterval: 100,
    logs: true,
    onEnqueue: (id) => { enqueued = id; },
    onQueueUpdate: (update) => updates.push(update.status),
  });
  assert.equal(result.requestId, enqueued);
  assert.ok(updates.includes("COMPLETED"), updates.join(","));
  await expectMp4(result.data.video);
});

await check("subscribe, streaming mode (SSE status stream)", async () => {
  const updates = [];
  const result = await fal.subscribe(T2V, {
    input: input("a paper boat on a river"),
    mode: "streaming",
    logs: true,
    onQueueUpdate: (update) => updates.push(update.status),
  });
  assert.ok(updates.length >= 1, "at least one streamed status");
  assert.equal(updates[updates.length - 1], "COMPLETED");
  assert.ok(seenUrls.some((u) => u.includes("/status/stream")), "went through /status/stream");
  await expectMp4(result.data.video);
});

await check("queue.streamStatus delivers every change and ends", async () => {
  const { request_id: requestId } = await fal.queue.submit(T2V, { input: input("a snail racing a tortoise") });
  const stream = await fal.queue.streamStatus(T2V, { requestId, logs: true });
  const seen = [];
  stream.on("data", (d) => seen.push(d.status));
  const done = await stream.done();
  assert.equal(done.status, "COMPLETED");
  const order = ["IN_QUEUE", "IN_PROGRESS", "COMPLETED"];
  assert.deepEqual([...seen].sort((a, b) => order.indexOf(a) - order.indexOf(b)), seen, "forward only");
});

await check("queue.cancel of a queued request, then result is the cancellation error", async () => {
  // Occupy the emulator's slots so the last request stays queued.
  const blockers = [];
  for (let i = 0; i < 3; i++) {
    blockers.push((await fal.queue.submit(T2V, { input: input(`blocker ${i}`) })).request_id);
  }
  const { request_id: requestId } = await fal.queue.submit(T2V, { input: input("to be cancelled") });
  await fal.queue.cancel(T2V, { requestId });
  const status = await fal.queue.status(T2V, { requestId, logs: false });
  assert.equal(status.status, "COMPLETED");
  await assert.rejects(fal.queue.result(T2V, { requestId }), (e) => e instanceof ApiError && e.status === 499);
  // Cancelling a finished request is refused with 400.
  await assert.rejects(fal.queue.cancel(T2V, { requestId }), (e) => e instanceof ApiError && e.status === 400);
  for (const id of blockers) {
    await fal.queue.cancel(T2V, { requestId: id }).catch(() => {});
  }
});

await check("invalid input surfaces as ValidationError (422 detail[])", async () => {
  await assert.rejects(
    fal.queue.submit(T2V, { input: { duration: 5 } }),
    (e) => e instanceof ValidationError && e.status === 422 && e.fieldErrors.length > 0,
  );
});

await check("unknown request id: status is 404", async () => {
  await assert.rejects(
    fal.queue.status(T2V, { requestId: "00000000-0000-0000-0000-000000000000", logs: false }),
    (e) => e instanceof ApiError && e.status === 404,
  );
});

console.log(`${checks.length} checks passed; requests seen: ${new Set(seenUrls.map((u) => u.split(" ")[0])).size} methods, ${seenUrls.length} calls`);
