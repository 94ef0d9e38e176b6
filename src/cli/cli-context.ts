/** What every command gets from the global options: the effective configuration and a logger. */
import type { Command } from 'commander';
import { deepMerge, loadConfig, type HlscdnConfig } from '../config/index.js';
import { createLogger, type Logger } from '../core/logger.js';

export interface GlobalOptions {
  config?: string;
  logLevel?: string;
}

export interface CliContext {
  config: HlscdnConfig;
  logger: Logger;
}

/** Reads configuration once, at the entry point; `overrides` come from the command's own flags. */
export function cliContext(command: Command, service: string, overrides: Record<string, unknown> = {}): CliContext {
  const globals = command.optsWithGlobals<GlobalOptions>();
  const flagOverrides = deepMerge(globals.logLevel ? { log: { level: globals.logLevel } } : {}, overrides);
  const config = loadConfig({ env: process.env, file: globals.config, overrides: flagOverrides });
  return { config, logger: createLogger({ name: service, level: config.log.level }) };
}

/** Drops undefined values so unset flags do not override the environment. */
export function definedOnly<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`"${value}" is not a port number (0-65535)`);
  return port;
}

export function parseWholeNumber(value: string): number {
  const count = Number(value);
  if (!Number.isInteger(count) || count < 0) throw new Error(`"${value}" is not a whole number >= 0`);
  return count;
}
