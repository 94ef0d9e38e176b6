import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { AccessLogTailer } from './access-log-tailer.js';

it('returns appended complete lines once, waits for unfinished ones, and restarts after truncation', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'hlscdn-tailer-'));
  const path = join(dir, 'access.log');
  const tailer = new AccessLogTailer({ path, maxBytes: 40 });
  expect(await tailer.poll()).toEqual([]);
  await writeFile(path, 'one\ntwo\nthr');
  expect(await tailer.poll()).toEqual(['one', 'two']);
  await appendFile(path, 'ee\n');
  expect(await tailer.poll()).toEqual(['three']);
  expect(await tailer.poll()).toEqual([]);
  // Past maxBytes the tailer truncates what it has read; nginx's O_APPEND writes go on at the new end.
  await appendFile(path, `${'x'.repeat(40)}\n`);
  expect(await tailer.poll()).toEqual(['x'.repeat(40)]);
  await appendFile(path, 'after\n');
  expect(await tailer.poll()).toEqual(['after']);
  await rm(dir, { recursive: true, force: true });
});
