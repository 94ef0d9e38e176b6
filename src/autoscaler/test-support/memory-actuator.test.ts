/** The in-memory actuator the loop's unit tests use keeps the same bookkeeping contract as the real ones. */
import { describeEdgeActuatorContract } from './edge-actuator-contract.js';
import { MemoryActuator } from './memory-actuator.js';

describeEdgeActuatorContract('memory', async () => ({ actuator: new MemoryActuator(), cleanup: async () => {} }));
