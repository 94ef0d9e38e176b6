/**
 * Turns a ladder as configured (preset names and/or custom rungs) into validated rung
 * specs, in the order given.
 */
import { z } from 'zod';
import { fail, ok } from '../../core/result.js';
import type { CodedProblem, Result } from '../../core/result.js';
import { LADDER_PRESETS, PRESET_NAMES, isPresetName } from './presets.js';
import type { RungSpec } from './rung.js';
import { rungSpecSchema } from './rung-schema.js';
import type { RungSpecInput } from './rung-schema.js';

export type ResolveLadderErrorCode = 'empty-ladder' | 'unknown-preset' | 'invalid-rung' | 'duplicate-rung-name';

/** One ladder entry: a preset name such as `'720p'` or a custom rung object. */
export type LadderEntry = string | RungSpecInput;

export function resolveLadder(entries: readonly LadderEntry[]): Result<RungSpec[], CodedProblem<ResolveLadderErrorCode>> {
  if (entries.length === 0) return fail('empty-ladder', 'the ladder has no rungs');

  const rungs: RungSpec[] = [];
  const seen = new Set<string>();
  for (const [index, entry] of entries.entries()) {
    let rung: RungSpec;
    if (typeof entry === 'string') {
      if (!isPresetName(entry)) {
        return fail('unknown-preset', `ladder entry ${index}: unknown preset "${entry}" (known: ${PRESET_NAMES.join(', ')})`);
      }
      rung = LADDER_PRESETS[entry];
    } else {
      const parsed = rungSpecSchema.safeParse(entry);
      if (!parsed.success) {
        return fail('invalid-rung', `ladder entry ${index}: ${z.prettifyError(parsed.error)}`);
      }
      rung = parsed.data;
    }
    if (seen.has(rung.name)) {
      return fail('duplicate-rung-name', `ladder entry ${index}: rung name "${rung.name}" is used twice`);
    }
    seen.add(rung.name);
    rungs.push(rung);
  }
  return ok(rungs);
}
