/**
 * One error taxonomy for hlscdn: a stable machine-readable `code`, a message a
 * person can act on, and the `cause` that led to it. HTTP statuses are chosen
 * at the edge of the system (see `http/error-response.ts`), never here.
 */
export type ErrorCode =
  | 'invalid-config'
  | 'invalid-input'
  | 'invalid-key'
  | 'not-found'
  | 'precondition-failed'
  | 'range-not-satisfiable'
  | 'unauthorized'
  | 'conflict'
  | 'unavailable'
  | 'timeout'
  | 'upstream'
  | 'process-failed'
  | 'internal';

export class HlscdnError extends Error {
  readonly code: ErrorCode;
  /** Structured facts about the failure, safe to log and to show (no secrets). */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HlscdnError';
    this.code = code;
    this.details = options.details ?? {};
  }
}

export function isHlscdnError(error: unknown, code?: ErrorCode): error is HlscdnError {
  return error instanceof HlscdnError && (code === undefined || error.code === code);
}

/** Message of any thrown value, for logs and reasons. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
