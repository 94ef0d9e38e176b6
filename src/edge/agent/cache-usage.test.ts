import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { directoryBytes } from './cache-usage.js';

it('adds up the files of a cache directory tree, and treats a missing one as empty', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'hlscdn-cache-usage-'));
  await mkdir(join(dir, 'a', 'b'), { recursive: true });
  await writeFile(join(dir, 'a', 'b', 'x'), Buffer.alloc(1000));
  await writeFile(join(dir, 'a', 'y'), Buffer.alloc(234));
  expect(await directoryBytes(dir)).toBe(1234);
  expect(await directoryBytes(join(dir, 'missing'))).toBe(0);
  await rm(dir, { recursive: true, force: true });
});
