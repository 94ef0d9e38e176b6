/**
 * `/healthz` (the process is alive), `/readyz` (its dependencies answer) and
 * `/metrics` (Prometheus), the same on every hlscdn service.
 */
import type { Hono } from 'hono';
import type { Registry } from 'prom-client';
import { errorMessage } from '../errors.js';

/** One named dependency check; throwing means "not ready". */
export type ReadinessCheck = { name: string; check: () => Promise<void> };

export interface ServiceRoutesOptions {
  registry: Registry;
  checks?: readonly ReadinessCheck[];
  /** @defaultValue 2000 */
  checkTimeoutMs?: number;
  /** What `/metrics` answers. @defaultValue the registry's own metrics (a clustered service sums its workers') */
  metricsText?: () => Promise<string>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function mountServiceRoutes(app: Hono<any, any, any>, options: ServiceRoutesOptions): void {
  const timeoutMs = options.checkTimeoutMs ?? 2_000;
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const results = await Promise.all((options.checks ?? []).map((check) => runCheck(check, timeoutMs)));
    const ready = results.every((r) => r.ok);
    return c.json({ status: ready ? 'ready' : 'not-ready', checks: results }, ready ? 200 : 503);
  });
  const metricsText = options.metricsText ?? (() => options.registry.metrics());
  app.get('/metrics', async (c) => c.body(await metricsText(), 200, { 'Content-Type': options.registry.contentType }));
}

async function runCheck(check: ReadinessCheck, timeoutMs: number): Promise<{ name: string; ok: boolean; error?: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([check.check(), timeout]);
    return { name: check.name, ok: true };
  } catch (error) {
    return { name: check.name, ok: false, error: errorMessage(error) };
  } finally {
    clearTimeout(timer);
  }
}
