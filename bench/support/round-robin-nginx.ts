/**
 * nginx as a plain round-robin load balancer in front of several HTTP servers
 * (an `upstream` with keep-alive), as operators put N rewriters behind one name.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findFreePort, httpProbe, startNginx, type ManagedProcess } from '../../src/core/process/index.js';

export async function startRoundRobinNginx(dir: string, backends: readonly string[]): Promise<{ url: string; process: ManagedProcess }> {
  await mkdir(dir, { recursive: true });
  const port = await findFreePort();
  const user = process.getuid?.() === 0 ? 'user root;\n' : '';
  const servers = backends.map((url) => `        server ${new URL(url).host};`).join('\n');
  await writeFile(
    join(dir, 'nginx.conf'),
    `${user}daemon off;
master_process on;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log stderr warn;
events { worker_connections 4096; }
http {
    client_body_temp_path ${dir}/client_body_temp;
    proxy_temp_path ${dir}/proxy_temp;
    fastcgi_temp_path ${dir}/fastcgi_temp;
    uwsgi_temp_path ${dir}/uwsgi_temp;
    scgi_temp_path ${dir}/scgi_temp;
    access_log off;
    upstream rewriters {
${servers}
        keepalive 64;
    }
    server {
        listen 127.0.0.1:${port};
        location = /nginx-healthz { return 200 "ok"; }
        location / {
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_pass http://rewriters;
        }
    }
}
`,
  );
  const process_ = await startNginx({
    name: 'nginx-round-robin',
    prefixDir: dir,
    configFile: join(dir, 'nginx.conf'),
    probe: httpProbe(`http://127.0.0.1:${port}/nginx-healthz`),
  });
  return { url: `http://127.0.0.1:${port}`, process: process_ };
}
