/**
 * The contract every ObjectStore driver meets, as one vitest suite each
 * driver's test file runs (the Hono `common.case.test.ts` model):
 * `describeObjectStoreContract('fs', async () => ({ store, cleanup }))`.
 * `setup` runs before every case and must give an empty store using the
 * default cache policy whose multipart threshold (if it has one) is below
 * 6 MiB, so the big-body cases exercise multipart uploads.
 */
import { afterEach, beforeEach, describe } from 'vitest';

import type { ObjectStore } from './object-store.js';
import { registerListAndKeyCases } from './object-store-list.case.js';
import { registerRangeAndConditionCases } from './object-store-read.case.js';
import { registerWriteCases } from './object-store-write.case.js';

export interface ContractSubject {
  store: ObjectStore;
  cleanup(): Promise<void>;
}

/**
 * Ways a backend used in tests is known to differ from S3. Each names the
 * reason and skips the cases that rely on the behaviour, so the deviation
 * shows in the test report instead of being papered over.
 */
export interface KnownDeviations {
  /** Readers can see a partial object while it is overwritten. */
  nonAtomicOverwrite?: string;
  /** A listing does not interleave `a/...` keys with `a-b`, `a.b` in byte order. */
  listOrderAcrossDirectories?: string;
}

/** What the case groups share: the current store, valid inside a case. */
export interface ContractContext {
  store(): ObjectStore;
  deviations: KnownDeviations;
}

export function describeObjectStoreContract(name: string, setup: () => Promise<ContractSubject>, deviations: KnownDeviations = {}): void {
  describe(`ObjectStore contract: ${name}`, () => {
    let subject: ContractSubject | undefined;
    beforeEach(async () => {
      subject = await setup();
    });
    afterEach(async () => {
      await subject?.cleanup();
      subject = undefined;
    });
    const context: ContractContext = {
      store: () => {
        if (subject === undefined) throw new Error('the store is only available inside a test');
        return subject.store;
      },
      deviations,
    };
    registerWriteCases(context);
    registerRangeAndConditionCases(context);
    registerListAndKeyCases(context);
  });
}
