// Drives request-service's /v1/videos with the official openai SDK's videos resource.
// Usage: node openai-videos.mjs <baseUrl> <apiKey>
// Protocol with OpenAiSdkVideosTest: prints "CREATED <id>" and waits (polling retrieve) for the
// JUnit side to publish the lifecycle events; prints "OK" at the end; exits 1 on any failure.
import OpenAI, { BadRequestError, NotFoundError } from 'openai';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';

const [baseUrl, apiKey] = process.argv.slice(2);
const client = new OpenAI({ baseURL: `${baseUrl}/v1`, apiKey, maxRetries: 0 });

async function main() {
  const created = await client.videos.create({
    model: 'kling-v3', prompt: 'A fox in the snow', seconds: '5', size: '1280x720',
    mode: 'standard', negative_prompt: 'blur', generate_audio: 'false', cfg_scale: '0.6',
  });
  assert.equal(created.object, 'video');
  assert.equal(created.status, 'queued');
  assert.equal(created.progress, 0);
  assert.equal(created.model, 'kling-v3');
  assert.equal(created.seconds, '5');
  assert.equal(created.size, '1280x720');
  assert.equal(created.endpoint_id, 'fal-ai/kling-video/v3/standard/text-to-video');
  console.log(`CREATED ${created.id}`);

  const got = await client.videos.retrieve(created.id);
  assert.equal(got.id, created.id);

  const page = await client.videos.list({ limit: 10 });
  assert.ok(page.data.some((v) => v.id === created.id), 'list holds the new video');

  let done = got;
  const until = Date.now() + 60_000;
  while (done.status !== 'completed') {
    assert.ok(Date.now() < until, `still ${done.status}`);
    assert.notEqual(done.status, 'failed');
    await new Promise((r) => setTimeout(r, 200));
    done = await client.videos.retrieve(created.id);
  }
  assert.equal(done.progress, 100);

  const content = await client.videos.downloadContent(created.id);
  const bytes = Buffer.from(await content.arrayBuffer());
  console.log(`CONTENT ${bytes.length} ${createHash('sha256').update(bytes).digest('hex')}`);

  const remix = await client.videos.remix(created.id, { prompt: 'The same fox, at night' });
  assert.equal(remix.remixed_from_video_id, created.id);
  assert.equal(remix.status, 'queued');
  assert.equal(remix.endpoint_id, 'fal-ai/kling-video/o3/standard/video-to-video/edit');
  console.log(`REMIX ${remix.id}`);

  const deleted = await client.videos.delete(created.id);
  assert.deepEqual([deleted.id, deleted.object, deleted.deleted], [created.id, 'video.deleted', true]);
  await assert.rejects(client.videos.retrieve(created.id), NotFoundError);

  // Validation errors come back as 400s, as OpenAI's API answers them, which the SDK raises.
  await assert.rejects(client.videos.create({ model: 'kling-v3', prompt: 'x', seconds: '40' }),
    (e) => e instanceof BadRequestError && e.status === 400);
  // A duration is one of the model's, exactly: 8.9 is not taken for 8.
  await assert.rejects(client.videos.create({ model: 'kling-v3', prompt: 'x', seconds: 8.9 }),
    (e) => e instanceof BadRequestError && e.status === 400);
  // The Idempotency-Key header follows the native API's rules (1 to 255 printable ASCII characters).
  await assert.rejects(client.videos.create({ model: 'kling-v3', prompt: 'x', seconds: '5' },
    { headers: { 'Idempotency-Key': 'k'.repeat(256) } }),
    (e) => e instanceof BadRequestError && e.status === 400);
  console.log('OK');
}

main().catch((e) => {
  console.error('FAILED', e?.status ?? '', e?.message ?? e, e?.error ? JSON.stringify(e.error) : '');
  process.exit(1);
});
