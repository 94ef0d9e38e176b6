/**
 * Runs s3rver (a local S3 emulator) in a child node for tests. It needs
 * `--openssl-legacy-provider`: s3rver 3.7 encrypts ListObjectsV2 continuation
 * tokens with DES, which OpenSSL 3 (Node >= 17) keeps in its legacy provider, so
 * in-process every truncated listing fails with a 500. The child exits when its
 * stdin closes, so it cannot outlive the test run.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';

export interface RunningS3rver {
  readonly endpoint: string;
  stop(): Promise<void>;
}

export async function startS3rver(options: { readonly directory: string; readonly bucket: string }): Promise<RunningS3rver> {
  const script = [
    'const S3rver = require(process.argv[1]);',
    'const server = new S3rver(JSON.parse(process.argv[2]));',
    "server.run().then((address) => process.stdout.write(JSON.stringify(address) + '\\n'));",
    "process.stdin.on('end', () => server.close().then(() => process.exit(0)));",
    'process.stdin.resume();',
  ].join('\n');
  const config = {
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory: options.directory,
    configureBuckets: [{ name: options.bucket }],
  };
  const modulePath = createRequire(import.meta.url).resolve('s3rver');
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '-e', script, modulePath, JSON.stringify(config)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  const [line] = (await Promise.race([once(createInterface({ input: child.stdout }), 'line'), exited.then(() => [undefined])])) as [
    string | undefined,
  ];
  if (line === undefined) throw new Error('s3rver exited before it listened');
  const { port } = JSON.parse(line) as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: async () => {
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
