/**
 * An in-memory EdgeActuator for unit tests of the loop: it records calls and
 * can be made to block or fail. It starts nothing; integration tests use the
 * real actuators.
 */
import { HlscdnError } from '../../core/errors.js';
import { checkAddCount, type ActuatorEdge, type ActuatorState, type EdgeActuator } from '../actuators/edge-actuator.js';

export class MemoryActuator implements EdgeActuator {
  readonly calls: string[] = [];
  readonly edges = new Map<string, ActuatorEdge>();
  /** When set, add() and remove() wait for it. */
  gate: Promise<void> | undefined;
  /** When set, the next add() fails with it. */
  failNextAdd: Error | undefined;
  private next = 1;
  private closed = false;

  constructor(private readonly prefix = 'mem') {}

  /** Marks edges as already running (e.g. the ones a fake registry shows). */
  adopt(...ids: string[]): this {
    for (const id of ids) this.edges.set(id, { id, state: 'running' });
    return this;
  }

  async list(): Promise<ActuatorEdge[]> {
    return [...this.edges.values()].map((e) => ({ ...e }));
  }

  async add(count: number): Promise<string[]> {
    checkAddCount(count);
    if (this.closed) throw new HlscdnError('unavailable', 'closed');
    this.calls.push(`add ${count}`);
    await this.gate;
    if (this.failNextAdd) {
      const error = this.failNextAdd;
      this.failNextAdd = undefined;
      throw error;
    }
    const ids = Array.from({ length: count }, () => `${this.prefix}-${this.next++}`);
    for (const id of ids) this.edges.set(id, { id, state: 'running' });
    return ids;
  }

  async remove(id: string): Promise<void> {
    this.calls.push(`remove ${id}`);
    await this.gate;
    this.edges.delete(id);
  }

  state(): ActuatorState {
    return { kind: 'memory', edges: [...this.edges.values()] };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
