/** The real k6 (../shared/tools/k6) for the tests that play viewers with it, and why it is missing when it is. */
import { accessSync, constants } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const K6 = fileURLToPath(new URL('../../../shared/tools/k6', import.meta.url));

/** Why k6 cannot run here, or undefined when it can. */
export const k6Missing: string | undefined = (() => {
  try {
    accessSync(K6, constants.X_OK);
    return undefined;
  } catch (error) {
    return `no runnable k6 at ${K6} (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
  }
})();
