/**
 * Why a viewer token or a session was refused, as a value the HTTP layer turns into a
 * response. The status follows the edge (nginx secure_link): 410 only for an expired
 * credential, which a player can fix by fetching a fresh one; 403 for everything else.
 */
import { err, type CodedProblem } from '../../core/result.js';

export type AccessProblemCode = 'missing' | 'malformed' | 'forged' | 'expired' | 'out-of-scope' | 'wrong-ip' | 'not-yet-valid';

export interface AccessProblem extends CodedProblem<AccessProblemCode> {
  readonly status: 403 | 410;
}

/** A failed Result carrying an AccessProblem with the status its code implies. */
export function refuse(code: AccessProblemCode, message: string): { ok: false; error: AccessProblem } {
  return err({ code, status: code === 'expired' ? 410 : 403, message });
}

/** `2026-12-01T03:00:00Z`: unix seconds as ISO 8601, without the always-zero milliseconds. */
export function isoSeconds(unixSeconds: number): string {
  const date = new Date(unixSeconds * 1000);
  return Number.isNaN(date.getTime()) ? String(unixSeconds) : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
