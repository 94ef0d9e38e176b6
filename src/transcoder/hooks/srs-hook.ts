/**
 * SRS HTTP callbacks (http_hooks on_publish / on_unpublish): reading the JSON body SRS
 * posts, checking the stream key from its `param` (`?key=...`), and the live task a
 * publish starts. Pure. SRS (v3 to v6) accepts a publish when the hook answers HTTP 200
 * with the body `0` (or `{"code":0}`); any other status or code refuses it
 * (ossrs.io docs "HTTP Callback").
 */
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { err, ok } from '../../core/result.js';
import type { Result } from '../../core/result.js';
import { TASK_ID_PATTERN } from '../task-spec.js';
import type { TaskSpecInput } from '../task-spec.js';

const hookSchema = z.looseObject({
  action: z.string(),
  app: z.string().min(1).max(128),
  stream: z.string().min(1).max(128),
  /** The query string the encoder published with, `?key=...` (may be empty). */
  param: z.string().default(''),
  vhost: z.string().optional(),
  client_id: z.union([z.string(), z.number()]).optional(),
  ip: z.string().optional(),
});

export type SrsHookEvent = z.output<typeof hookSchema>;

export function parseSrsHook(body: unknown): Result<SrsHookEvent, { message: string }> {
  const parsed = hookSchema.safeParse(body);
  if (!parsed.success) return err({ message: `not an SRS callback: ${z.prettifyError(parsed.error)}` });
  if (!/^[A-Za-z0-9._-]+$/.test(parsed.data.app) || !/^[A-Za-z0-9._-]+$/.test(parsed.data.stream)) {
    return err({ message: 'app and stream names must be letters, digits, ".", "_" or "-"' });
  }
  return ok(parsed.data);
}

/**
 * Whether `?key=` in the publish param is accepted. Configured entries are "KEY" (any
 * stream) or "STREAM=KEY" (that stream only). Compared in constant time.
 */
export function isAuthorizedPublish(event: Pick<SrsHookEvent, 'stream' | 'param'>, streamKeys: readonly string[]): boolean {
  const key = new URLSearchParams(event.param.replace(/^\?/, '')).get('key');
  if (!key) return false;
  return streamKeys.some((entry) => {
    const eq = entry.indexOf('=');
    const stream = eq < 0 ? undefined : entry.slice(0, eq);
    const expected = eq < 0 ? entry : entry.slice(eq + 1);
    return (stream === undefined || stream === event.stream) && sameSecret(key, expected);
  });
}

/** One task per published stream: the id is derived from app and stream. */
export function taskIdForStream(app: string, stream: string): string {
  const id = `srs-${app}-${stream}`.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
  return TASK_ID_PATTERN.test(id) ? id : `srs-${id.slice(4)}`;
}

export interface SrsTaskOptions {
  /** e.g. rtmp://127.0.0.1:1935 */
  readonly inputBaseUrl: string;
  readonly ladder: readonly string[];
  readonly segmentSec: number;
  readonly dvrWindowSec: number;
  /** With {app} and {stream} placeholders. */
  readonly outputPrefix: string;
}

export function taskForPublish(event: Pick<SrsHookEvent, 'app' | 'stream'>, options: SrsTaskOptions): TaskSpecInput {
  const fill = (template: string) => template.replaceAll('{app}', event.app).replaceAll('{stream}', event.stream);
  return {
    id: taskIdForStream(event.app, event.stream),
    input: `${options.inputBaseUrl.replace(/\/+$/, '')}/${event.app}/${event.stream}`,
    mode: 'live',
    ladder: [...options.ladder],
    segment: { durationSec: options.segmentSec },
    dvrWindowSec: options.dvrWindowSec,
    outputPrefix: fill(options.outputPrefix),
  };
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
