/**
 * Turns what ioredis rejects with into HlscdnErrors with a stable code:
 * refused credentials or an ACL denial are 'unauthorized', an unreachable or
 * silent server is 'unavailable', anything else Redis answered is 'internal'.
 */
import { HlscdnError, type ErrorCode } from '../errors.js';

export interface RedisErrorContext {
  /** What was being done, e.g. "heartbeat of edge-1". */
  what: string;
  /** Where, from `describeTarget()`. */
  target: string;
}

// ioredis' wording for "not connected" (enableOfflineQueue false), a link that
// closed under a command, retries exhausted, and a command timeout.
const UNAVAILABLE = [
  /Stream isn't writeable/i,
  /Connection is closed/i,
  /max retries per request/i,
  /Command timed out/i,
  /Command aborted due to connection close/i,
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN|EPIPE/,
  /^LOADING\b/,
  /^MASTERDOWN\b/,
  /^READONLY\b/,
];

/** The code an ioredis failure maps to. */
export function redisErrorCode(error: unknown): ErrorCode {
  const message = messageOf(error);
  if (/^(NOAUTH|WRONGPASS)\b/.test(message) || /invalid (username-)?password/i.test(message)) return 'unauthorized';
  if (isAclDenial(error)) return 'unauthorized';
  if (UNAVAILABLE.some((pattern) => pattern.test(message))) return 'unavailable';
  return 'internal';
}

/** An HlscdnError for a failed Redis operation; an HlscdnError passes through unchanged. */
export function toRedisError(error: unknown, context: RedisErrorContext): HlscdnError {
  if (error instanceof HlscdnError) return error;
  const code = redisErrorCode(error);
  const reason = reasonOf(error);
  const hint =
    code === 'unauthorized'
      ? isAclDenial(error)
        ? ': the Redis user lacks a permission (see docs/edge-registry.md, "ACL users")'
        : ': Redis refused the credentials (check redis.username and redis.password)'
      : code === 'unavailable'
        ? ': Redis is not reachable right now'
        : '';
  // The cause is rebuilt from the message alone: ioredis errors carry the
  // command's arguments (AUTH's include the password) and loggers print them.
  return new HlscdnError(code, `${context.what} failed at Redis ${context.target}${hint} (${reason})`, {
    cause: new Error(reason),
    details: { target: context.target },
  });
}

function isAclDenial(error: unknown): boolean {
  if (/^NOPERM\b/.test(messageOf(error))) return true;
  // A command refused inside MULTI makes EXEC fail with EXECABORT; the refusal is in previousErrors.
  const previous = (error as { previousErrors?: unknown } | null)?.previousErrors;
  return Array.isArray(previous) && previous.some((inner) => /^NOPERM\b/.test(messageOf(inner)));
}

function reasonOf(error: unknown): string {
  const message = messageOf(error);
  const previous = (error as { previousErrors?: unknown } | null)?.previousErrors;
  if (/^EXECABORT\b/.test(message) && Array.isArray(previous) && previous.length > 0) return messageOf(previous[0]);
  return message;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
