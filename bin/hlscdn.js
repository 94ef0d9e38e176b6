#!/usr/bin/env node
// Runs the compiled CLI; `npm run build` (run by `npm ci` and `npm start`) produces dist/.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  console.error('hlscdn: dist/ is missing: run `npm run build` first');
  process.exit(1);
}
await import(entry.href);
