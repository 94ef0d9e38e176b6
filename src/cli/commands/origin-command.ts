/** `hlscdn origin`: serves the origin store over HTTP for edges to pull. */
import { Command } from 'commander';
import { openStoreFromConfig, startOriginServer } from '../../origin-store/index.js';
import { cliContext, definedOnly, parsePort } from '../cli-context.js';
import { runService } from '../service-runner.js';

export function originCommand(): Command {
  return new Command('origin')
    .description('serve the origin store over HTTP (GET/HEAD, ranges, conditional requests) for edges to pull')
    .option('--host <host>', 'address to bind (default 127.0.0.1; HLSCDN_ORIGIN_HOST)')
    .option('--port <port>', 'port to listen on (default 8080; HLSCDN_ORIGIN_PORT)', parsePort)
    .option('--store <url>', 'object store: file:./dir or s3://bucket/prefix (HLSCDN_STORE_URL)')
    .action(async (options: { host?: string; port?: number; store?: string }, command: Command) => {
      await runService(async (scope) => {
        const { config, logger } = cliContext(command, 'origin', {
          origin: definedOnly({ host: options.host, port: options.port }),
          store: definedOnly({ url: options.store }),
        });
        scope.useLogger(logger);
        const store = scope.add(await openStoreFromConfig(config.store, process.cwd()));
        const server = scope.add(
          await startOriginServer({
            store,
            logger,
            host: config.origin.host,
            port: config.origin.port,
            corsOrigin: config.origin.corsOrigin,
            lowLatency: config.origin.lowLatency,
          }),
        );
        console.log(`origin serving ${store.description} at ${server.url}`);
      });
    });
}
