/**
 * Object keys are validated before any driver touches them: a bad key is a
 * typed error, never a file outside the store root or a surprising S3 key.
 */
import { HlscdnError } from './errors.js';
import { err, ok, type Result } from './result.js';

/** S3 allows 1024 bytes; leave room for a prefix. */
export const maxKeyBytes = 900;
/** The fs driver keeps its own files under this top-level name. */
export const reservedKeyPrefix = '.hlscdn';

export type KeyProblem =
  'empty' | 'too-long' | 'absolute' | 'dot-segment' | 'control-character' | 'backslash' | 'empty-segment' | 'reserved';

export function checkObjectKey(key: string): Result<string, { problem: KeyProblem; message: string }> {
  const fail = (problem: KeyProblem, why: string) =>
    err({ problem, message: `invalid object key ${JSON.stringify(key.slice(0, 120))}: ${why}` });
  if (key.length === 0) return fail('empty', 'it is empty');
  if (Buffer.byteLength(key, 'utf8') > maxKeyBytes) return fail('too-long', `longer than ${maxKeyBytes} bytes`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(key)) return fail('control-character', 'it contains a control character');
  if (key.includes('\\')) return fail('backslash', 'it contains a backslash');
  if (key.startsWith('/')) return fail('absolute', 'it is absolute (starts with "/")');
  const segments = key.split('/');
  if (segments.some((s) => s === '.' || s === '..')) return fail('dot-segment', 'it contains a "." or ".." segment');
  if (segments.some((s, i) => s === '' && i !== segments.length - 1))
    return fail('empty-segment', 'it contains an empty path segment ("//")');
  if (segments[0] === reservedKeyPrefix) return fail('reserved', `"${reservedKeyPrefix}/" is reserved for the store's own files`);
  return ok(key);
}

/** Throws `invalid-key` for a bad key: the drivers' guard. */
export function assertObjectKey(key: string): string {
  const checked = checkObjectKey(key);
  if (!checked.ok) throw new HlscdnError('invalid-key', checked.error.message, { details: { problem: checked.error.problem } });
  return checked.value;
}

/** Prefixes may be empty or end in "/"; otherwise the same rules as keys. */
export function assertKeyPrefix(prefix: string): string {
  if (prefix === '') return prefix;
  assertObjectKey(prefix.endsWith('/') ? `${prefix}x` : prefix);
  return prefix;
}
