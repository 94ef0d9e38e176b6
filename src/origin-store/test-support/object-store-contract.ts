/**
 * The contract every ObjectStore driver meets, as one vitest suite each
 * driver's test file runs (the Hono `common.case.test.ts` model):
 * `describeObjectStoreContract('fs', async () => ({ store, cleanup }))`.
 * `setup` runs before every case and must give an empty store using the
 * default cache policy whose multipart threshold (if it has one) is below
 * 6 MiB, so the big-body cases exercise multipart uploads.
 */
import { afterEach, beforeEach, describe } from 'vitest';

import type { ObjectStore } from '../object-store.js';
import type { ContractContext, KnownDeviations } from './contract-helpers.js';
import { registerListAndKeyCases } from './object-store-list-cases.js';
import { registerRangeAndConditionCases } from './object-store-read-cases.js';
import { registerWriteCases } from './object-store-write-cases.js';

export interface ContractSubject {
  store: ObjectStore;
  cleanup(): Promise<void>;
}

/** What the case groups share: the current store, valid inside a case. */

export type { KnownDeviations } from './contract-helpers.js';

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
