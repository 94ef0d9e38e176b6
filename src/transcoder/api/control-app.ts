/**
 * The transcoder's control API (Hono): tasks behind a bearer token, the SRS ingest
 * hooks (authorized by stream key, since SRS sends no headers), and the service
 * routes /healthz /readyz /metrics every hlscdn service has.
 */
import { Hono } from 'hono';
import type { Registry } from 'prom-client';
import { HlscdnError } from '../../core/errors.js';
import { errorBody, handleHttpError } from '../../core/http/error-response.js';
import { requestObservability } from '../../core/http/request-metrics.js';
import { mountServiceRoutes } from '../../core/http/service-routes.js';
import type { ReadinessCheck } from '../../core/http/service-routes.js';
import type { Logger } from '../../core/logger.js';
import type { TaskControl } from '../tasks/task-control.js';
import { TASK_ID_PATTERN } from '../task-spec.js';
import { mountSrsHooks } from '../hooks/srs-routes.js';
import type { SrsHooksOptions } from '../hooks/srs-routes.js';
import { bearerAuth } from './bearer-auth.js';

export interface ControlAppOptions {
  readonly control: TaskControl;
  /** `api.token`; undefined refuses every task request. */
  readonly token: string | undefined;
  readonly registry: Registry;
  readonly logger: Logger;
  readonly checks?: readonly ReadinessCheck[];
  /** SRS hooks; not mounted when absent or disabled. */
  readonly srsHooks?: SrsHooksOptions;
}

export function createControlApp(options: ControlAppOptions): Hono {
  const app = new Hono();
  const { control } = options;
  app.use('*', requestObservability({ registry: options.registry, logger: options.logger }));
  app.onError(handleHttpError(options.logger));
  mountServiceRoutes(app, { registry: options.registry, checks: options.checks });
  if (options.srsHooks?.enabled) mountSrsHooks(app, options.srsHooks);

  app.use('/tasks', bearerAuth(options.token));
  app.use('/tasks/*', bearerAuth(options.token));

  app.post('/tasks', async (c) => {
    const body: unknown = await c.req.json().catch(() => {
      throw new HlscdnError('invalid-input', 'the body must be a JSON task spec');
    });
    const created = await control.create(body);
    if (!created.ok) return c.json(errorBody(created.error.code, created.error.message, { problems: created.error.problems }), 400);
    return c.json(created.value, 201, { Location: `/tasks/${created.value.id}` });
  });

  app.get('/tasks', async (c) => c.json({ tasks: await control.list() }));

  app.get('/tasks/:id', async (c) => c.json(await found(await control.get(taskId(c.req.param('id'))), c.req.param('id'))));

  app.post('/tasks/:id/stop', async (c) => c.json(await found(await control.stop(taskId(c.req.param('id'))), c.req.param('id')), 202));

  app.delete('/tasks/:id', async (c) => {
    const id = taskId(c.req.param('id'));
    if (!(await control.delete(id))) throw notFound(id);
    return c.body(null, 204);
  });

  app.notFound((c) => c.json(errorBody('not-found', `no route ${c.req.method} ${c.req.path}`), 404));
  return app;
}

function taskId(id: string): string {
  if (!TASK_ID_PATTERN.test(id)) throw new HlscdnError('not-found', `no task "${id.slice(0, 80)}"`);
  return id;
}

function notFound(id: string): HlscdnError {
  return new HlscdnError('not-found', `no task "${id}"`);
}

async function found<T>(value: T | undefined, id: string): Promise<T> {
  if (value === undefined) throw notFound(id);
  return value;
}
