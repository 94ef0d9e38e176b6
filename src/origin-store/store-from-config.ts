/** Maps the `store` configuration section onto a driver. */
import { mkdir } from 'node:fs/promises';
import type { StoreConfig } from './config.js';
import { defaultRetryPolicy } from '../core/retry.js';
import type { ObjectStore } from './object-store.js';
import { openObjectStore } from './open-object-store.js';
import { parseStoreUrl } from './store-url.js';
import { HlscdnError } from '../core/errors.js';

export async function openStoreFromConfig(config: StoreConfig, cwd: string): Promise<ObjectStore> {
  const location = parseStoreUrl(config.url, cwd);
  if (!location.ok) throw new HlscdnError('invalid-config', `store.url (HLSCDN_STORE_URL): ${location.error.message}`);
  if (location.value.kind === 'fs') {
    try {
      await mkdir(location.value.root, { recursive: true });
    } catch (error) {
      throw new HlscdnError(
        'unavailable',
        `cannot create the store directory ${location.value.root}: choose a writable path with HLSCDN_STORE_URL=file:/some/dir`,
        { cause: error },
      );
    }
  }
  const s3 = config.s3;
  const mib = 1024 * 1024;
  return openObjectStore(config.url, {
    cwd,
    cachePolicy: config.cache,
    s3: {
      endpoint: s3.endpoint,
      region: s3.region,
      forcePathStyle: s3.forcePathStyle,
      requestChecksumCalculation: s3.checksum,
      credentials:
        s3.accessKeyId && s3.secretAccessKey
          ? { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey, sessionToken: s3.sessionToken }
          : undefined,
      multipartThresholdBytes: s3.multipartThresholdMiB * mib,
      partSizeBytes: Math.max(5, s3.multipartThresholdMiB) * mib,
      retry: { ...defaultRetryPolicy, maxAttempts: s3.maxAttempts },
    },
  });
}
