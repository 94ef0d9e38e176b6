/** Results carry expected failures as values, so parsers and validators never throw on bad input. */
export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };

/** An expected failure with a `code` that is stable and meant for programs, and a `message` for people. */
export interface CodedProblem<Code extends string = string> {
  readonly code: Code;
  readonly message: string;
}

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const err = <E>(error: E): { ok: false; error: E } => ({ ok: false, error });

/** A failed Result carrying a CodedProblem. */
export function fail<Code extends string>(code: Code, message: string): { ok: false; error: CodedProblem<Code> } {
  return err({ code, message });
}
