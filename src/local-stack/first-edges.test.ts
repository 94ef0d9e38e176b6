import { describe, expect, it } from 'vitest';
import { HlscdnError } from '../core/errors.js';
import { silentLogger } from '../core/logger.js';
import { startFirstEdges } from './first-edges.js';

/** An actuator whose add() answers from a script, recording what it was asked. */
function scriptedActuator(answers: Array<(count: number) => string[]>) {
  const asked: number[] = [];
  return {
    asked,
    add: async (count: number) => {
      asked.push(count);
      return answers.shift()!(count);
    },
  };
}

const partlyFailed = (started: string[]) => () => {
  throw new HlscdnError('process-failed', '1 of 3 local edges failed to start', { details: { started } });
};

describe('startFirstEdges', () => {
  it('tries the edges that failed to start once more', async () => {
    const actuator = scriptedActuator([partlyFailed(['local-1', 'local-3']), () => ['local-4']]);
    await startFirstEdges(actuator, 3, silentLogger());
    expect(actuator.asked).toEqual([3, 1]);
  });

  it('gives up after the second try, and passes other errors on at once', async () => {
    const twice = scriptedActuator([partlyFailed([]), partlyFailed([])]);
    await expect(startFirstEdges(twice, 2, silentLogger())).rejects.toThrow('failed to start');
    expect(twice.asked).toEqual([2, 2]);
    const closed = scriptedActuator([
      () => {
        throw new HlscdnError('unavailable', 'the local actuator is closed');
      },
    ]);
    await expect(startFirstEdges(closed, 2, silentLogger())).rejects.toThrow('closed');
    expect(closed.asked).toEqual([2]);
  });
});
