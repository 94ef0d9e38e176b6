/**
 * Store URLs: where objects live, as one string in configuration.
 * `file:./data`, `file:/abs/path`, `file:///abs/path` or a bare path select
 * the fs driver; `s3://bucket/prefix` the S3 driver. Pure: relative paths
 * resolve against the `cwd` given, never the process's.
 */
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { err, ok, type Result } from '../core/result.js';
import { checkObjectKey } from './object-key.js';

export type StoreLocation = { kind: 'fs'; root: string } | { kind: 's3'; bucket: string; prefix: string };

const acceptedForms =
  'file:./relative/dir, file:/absolute/dir, file:///absolute/dir, a bare directory path, or s3://bucket/optional/prefix';

export function parseStoreUrl(url: string, cwd: string): Result<StoreLocation, { message: string }> {
  const fail = (why: string) =>
    err({ message: `store URL ${JSON.stringify(describeStoreUrl(url))} ${why}; accepted forms: ${acceptedForms}` });
  const text = url.trim();
  if (text === '') return fail('is empty');
  const scheme = /^([a-z][a-z0-9+.-]+):/i.exec(text)?.[1]?.toLowerCase();
  if (scheme === undefined) return ok({ kind: 'fs', root: resolve(cwd, text) });
  if (scheme === 'file') return parseFileUrl(text.slice('file:'.length), text, cwd, fail);
  if (scheme === 's3') return parseS3Url(text, fail);
  return fail(`has the unsupported scheme "${scheme}:"`);
}

type Fail = (why: string) => { ok: false; error: { message: string } };

function parseFileUrl(rest: string, text: string, cwd: string, fail: Fail): Result<StoreLocation, { message: string }> {
  if (rest === '') return fail('names no directory');
  // `file:./data` is not a WHATWG URL (the parser would read it as /data): relative forms are taken literally.
  if (!rest.startsWith('/')) return ok({ kind: 'fs', root: resolve(cwd, rest) });
  try {
    const root = fileURLToPath(new URL(text));
    if (!isAbsolute(root)) return fail('does not name an absolute path');
    return ok({ kind: 'fs', root: resolve(root) });
  } catch {
    return fail('is not a local file URL (a host other than localhost is not supported)');
  }
}

function parseS3Url(text: string, fail: Fail): Result<StoreLocation, { message: string }> {
  // Taken apart by hand: a WHATWG parser would quietly resolve "a/../b" to "b".
  const match = /^s3:\/\/([^/?#]*)([^?#]*)(.*)$/is.exec(text);
  if (match === null) return fail('is not a valid URL');
  const [, authority = '', rawPath = '', rest = ''] = match;
  if (authority.includes('@')) return fail('carries credentials; give them in the S3 settings or let the AWS default chain find them');
  if (rest !== '') return fail('has a query or fragment, which S3 store URLs do not use');
  if (authority.includes(':')) return fail('has a port; put the endpoint in the S3 settings');
  // S3 bucket naming rules (general purpose buckets): 3-63 of a-z 0-9 . -, starting and ending alphanumeric.
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(authority)) return fail(`names "${authority}", which is not a valid S3 bucket name`);
  let path: string;
  try {
    path = decodeURIComponent(rawPath.replace(/^\//, ''));
  } catch {
    return fail('has a badly percent-encoded prefix');
  }
  const prefix = path === '' || path.endsWith('/') ? path : `${path}/`;
  if (prefix !== '') {
    const checked = checkObjectKey(`${prefix}x`);
    if (!checked.ok) return fail(`has an unusable prefix: ${checked.error.message}`);
  }
  return ok({ kind: 's3', bucket: authority, prefix });
}

/** The URL fit for logs: credentials and query strings (which may carry signatures) removed. */
export function describeStoreUrl(url: string): string {
  return url
    .trim()
    .replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1')
    .replace(/[?#].*$/s, '');
}
