/**
 * POST /hooks/srs: SRS's on_publish starts a live task for the published stream (when
 * its stream key is accepted), on_unpublish stops it. Answers as SRS expects: 200 with
 * body `0` accepts; 403 refuses the publish.
 */
import type { Hono } from 'hono';
import { errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { TaskControl } from '../tasks/task-control.js';
import { isFinalState } from '../tasks/task-record.js';
import { isAuthorizedPublish, parseSrsHook, taskForPublish, taskIdForStream } from './srs-hook.js';
import type { SrsTaskOptions } from './srs-hook.js';

export interface SrsHooksOptions extends SrsTaskOptions {
  readonly enabled: boolean;
  readonly streamKeys: readonly string[];
  readonly control: TaskControl;
  readonly logger: Logger;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function mountSrsHooks(app: Hono<any, any, any>, options: SrsHooksOptions): void {
  const accept = () => new Response('0', { status: 200, headers: { 'Content-Type': 'text/plain' } });
  const refuse = (status: number, msg: string) => Response.json({ code: status, msg }, { status });

  app.post('/hooks/srs', async (c) => {
    const event = parseSrsHook(await c.req.json().catch(() => undefined));
    if (!event.ok) return refuse(400, event.error.message);
    const { action, app: srsApp, stream } = event.value;
    const id = taskIdForStream(srsApp, stream);
    const log = options.logger.child({ hook: action, app: srsApp, stream, task: id });

    if (action === 'on_unpublish') {
      await options.control.stop(id).catch((error: unknown) => log.warn({ error: errorMessage(error) }, 'could not stop the task'));
      log.info('publisher left: task stopped');
      return accept();
    }
    if (action !== 'on_publish') return accept();

    if (!isAuthorizedPublish(event.value, options.streamKeys)) {
      log.warn({ ip: event.value.ip }, 'publish refused: missing or unknown stream key');
      return refuse(403, 'stream key refused');
    }
    const existing = await options.control.get(id);
    if (existing && !isFinalState(existing.state)) {
      log.info({ state: existing.state }, 'publish accepted: the stream already has a task');
      return accept();
    }
    // A stream published again after it ended: a new task on the same output, which
    // the uploader continues behind a discontinuity.
    if (existing) await options.control.delete(id);
    const created = await options.control.create(taskForPublish(event.value, options));
    if (!created.ok) {
      log.error({ error: created.error.message }, 'the hook settings make an invalid task');
      return refuse(500, created.error.message);
    }
    log.info('publish accepted: live task created');
    return accept();
  });
}
