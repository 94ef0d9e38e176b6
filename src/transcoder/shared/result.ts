// Error values of the transcoder's parsers and validators, on core's Result: bad input
// comes back as `{ ok: false, error: { code, message } }`, never as a thrown exception.

import { err } from '../../core/result.js';
import type { Result } from '../../core/result.js';

export { ok } from '../../core/result.js';

/** `code` is stable and meant for programs; `message` is for people. */
export interface TranscoderError<Code extends string = string> {
  readonly code: Code;
  readonly message: string;
}

export type TranscoderResult<T, Code extends string = string> = Result<T, TranscoderError<Code>>;

export function fail<Code extends string>(code: Code, message: string): { ok: false; error: TranscoderError<Code> } {
  return err({ code, message });
}
