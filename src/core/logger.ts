/** Structured JSON logs (pino) for every service; one factory so fields and redaction agree. */
import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

export interface LoggerOptions {
  /** Service name, logged as `service`. */
  name: string;
  /** @defaultValue 'info' */
  level?: LevelWithSilent;
  /** Where lines go. @defaultValue stdout */
  destination?: pino.DestinationStream;
}

/** Field paths that must never be written out even if a caller logs a whole options object. */
const redactPaths = ['*.password', '*.secret', '*.token', '*.secretAccessKey', '*.sessionToken', 'headers.authorization'];

export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      name: options.name,
      level: options.level ?? 'info',
      base: { service: options.name },
      redact: { paths: redactPaths, censor: '[redacted]' },
    },
    options.destination,
  );
}

/** A logger that drops everything, for tests and library defaults. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
