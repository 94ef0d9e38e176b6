/** Debian's Chromium driven by playwright-core, with the flags this sandboxed, offline machine needs. */
import { chromium, type Browser } from 'playwright-core';
import { findExecutable } from '../../src/core/process/index.js';

export function chromiumPath(): string | undefined {
  return process.env.CHROMIUM_PATH ?? findExecutable('chromium') ?? findExecutable('chromium-browser');
}

export function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('chromium was not found: apt-get install chromium (or set CHROMIUM_PATH)');
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      // Without these Chromium keeps reaching for Google's hosts, which this machine refuses.
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
}
