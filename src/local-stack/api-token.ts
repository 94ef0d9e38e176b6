/**
 * The local stack's control API token: the configured one, or one generated
 * on first start and kept in <dataDir>/api-token (mode 0600), so the CLI and a
 * person can use the API without the secret ever appearing in code or logs.
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export async function localApiToken(configured: string | undefined, dataDir: string): Promise<{ token: string; file?: string }> {
  if (configured) return { token: configured };
  const file = join(dataDir, 'api-token');
  try {
    const existing = (await readFile(file, 'utf8')).trim();
    if (existing) return { token: existing, file };
  } catch {
    // First start: create it below.
  }
  const token = randomBytes(24).toString('base64url');
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  return { token, file };
}
