/**
 * `hlscdn tasks list|get|create|stop|delete`: talks to the transcoder control API with
 * the bearer token `api.token` (HLSCDN_API_TOKEN, or HLSCDN_API_TOKEN_FILE).
 */
import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { HlscdnError } from '../../core/errors.js';
import type { TaskRecord } from '../../transcoder/index.js';
import { cliContext } from '../cli-context.js';
import { exitCodeFor, reportFatal } from '../service-runner.js';
import { specFromFlags, withTaskSpecOptions } from './transcode-command.js';

interface ApiFlags {
  api?: string;
  json?: boolean;
}

export function tasksCommand(): Command {
  const tasks = new Command('tasks').description(
    'list, create, stop and delete transcoding tasks through the control API (token: HLSCDN_API_TOKEN)',
  );
  const withApi = (command: Command) =>
    command
      .option('--api <url>', 'control API base URL (default http://<transcoder.api.host>:<transcoder.api.port>)')
      .option('--json', 'print JSON');

  withApi(tasks.command('list').description('every task with its state, worker, restarts and progress')).action(
    async (flags: ApiFlags, command: Command) => {
      await oneShot(command, flags, async (api) => {
        const { tasks: records } = (await api('GET', '/tasks')) as { tasks: TaskRecord[] };
        return flags.json ? records : formatTaskTable(records);
      });
    },
  );

  withApi(tasks.command('get <id>').description('one task record')).action(async (id: string, flags: ApiFlags, command: Command) => {
    await oneShot(command, { ...flags, json: true }, (api) => api('GET', `/tasks/${encodeURIComponent(id)}`));
  });

  withApi(
    withTaskSpecOptions(
      tasks
        .command('create [input]')
        .description('queue a task: an input like `hlscdn transcode` takes, or a whole JSON spec with --spec')
        .option('--spec <json>', 'the task spec as JSON, or @file.json'),
    ),
  ).action(
    async (input: string | undefined, flags: ApiFlags & Parameters<typeof specFromFlags>[1] & { spec?: string }, command: Command) => {
      await oneShot(command, { ...flags, json: true }, async (api) => {
        let spec: unknown;
        if (flags.spec !== undefined)
          spec = JSON.parse(flags.spec.startsWith('@') ? await readFile(flags.spec.slice(1), 'utf8') : flags.spec);
        else if (input !== undefined) spec = specFromFlags(input, flags);
        else throw new HlscdnError('invalid-input', 'give an input or --spec');
        return api('POST', '/tasks', spec);
      });
    },
  );

  withApi(tasks.command('stop <id>').description('stop a task wherever it runs (a live stream gets its ENDLIST)')).action(
    async (id: string, flags: ApiFlags, command: Command) => {
      await oneShot(command, flags, async (api) => {
        const record = (await api('POST', `/tasks/${encodeURIComponent(id)}/stop`)) as TaskRecord;
        return flags.json ? record : `task ${record.id} is ${record.state}`;
      });
    },
  );

  withApi(tasks.command('delete <id>').description('stop a task and forget it (its output stays in the store)')).action(
    async (id: string, flags: ApiFlags, command: Command) => {
      await oneShot(command, flags, async (api) => {
        await api('DELETE', `/tasks/${encodeURIComponent(id)}`);
        return `task ${id} deleted`;
      });
    },
  );
  return tasks;
}

type ApiCall = (method: string, path: string, body?: unknown) => Promise<unknown>;

async function oneShot(command: Command, flags: ApiFlags, run: (api: ApiCall) => Promise<unknown>): Promise<void> {
  try {
    const { config } = cliContext(command, 'cli');
    const section = config.transcoder;
    const base = (flags.api ?? `http://${section.api.host}:${section.api.port}`).replace(/\/+$/, '');
    const token = config.api.token;
    if (!token)
      throw new HlscdnError('invalid-config', 'no API token: set HLSCDN_API_TOKEN (or HLSCDN_API_TOKEN_FILE) to the token the workers use');
    const api: ApiCall = async (method, path, body) => {
      let res: Response;
      try {
        res = await fetch(`${base}${path}`, {
          method,
          headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (error) {
        throw new HlscdnError('unavailable', `cannot reach the control API at ${base}: ${(error as Error).message}`, { cause: error });
      }
      const text = await res.text();
      const payload: unknown = text ? JSON.parse(text) : undefined;
      if (!res.ok) {
        const { message, details } = (payload ?? {}) as { message?: string; details?: { problems?: { field: string; message: string }[] } };
        const problems = details?.problems?.map((p) => `\n  - ${p.field || '(task)'}: ${p.message}`).join('') ?? '';
        const summary = problems ? 'invalid task spec:' : (message ?? res.statusText);
        throw new HlscdnError(
          res.status === 400 ? 'invalid-input' : res.status === 404 ? 'not-found' : 'upstream',
          `${res.status}: ${summary}${problems}`,
        );
      }
      return payload;
    };
    const output = await run(api);
    console.log(typeof output === 'string' ? output : JSON.stringify(output, null, 2));
  } catch (error) {
    reportFatal(error);
    process.exitCode = exitCodeFor(error);
  }
}

export function formatTaskTable(records: readonly TaskRecord[]): string {
  if (records.length === 0) return 'no tasks';
  const header = ['ID', 'MODE', 'STATE', 'WORKER', 'RESTARTS', 'PROGRESS', 'OUTPUT', 'LAST ERROR'];
  const rows = records.map((t) => [
    t.id,
    t.spec.mode,
    t.state,
    t.workerId ?? '-',
    String(t.restarts),
    t.progress === undefined
      ? '-'
      : t.spec.mode === 'vod' && t.progress.percent !== undefined
        ? `${t.progress.percent.toFixed(1)}%`
        : `${Math.round(t.progress.uptimeSec)}s up`,
    `${t.spec.outputPrefix}/master.m3u8`,
    (t.lastError ?? '').slice(0, 60),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [header, ...rows]
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
