// Starts Debian's chromium headless through playwright-core, exactly as FACTS.md says works here:
// launchPersistentContext with a fresh user-data dir and the flags below. A browser that cannot start
// is an error (the tests fail, they do not skip). Used by the page tests and the screenshot tool.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.ROLLCALL_CHROMIUM || '/usr/bin/chromium';
export const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

// Returns { context, newPage(viewport?), close() }. Each context is its own browser profile, so
// sessionStorage and cookies never leak between two "people".
export async function launchBrowser({ viewport = { width: 1400, height: 900 } } = {}) {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`chromium not found at ${CHROMIUM} (run scripts/bootstrap --browser)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rollcall-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(dir, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport });
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  // Any request leaving 127.0.0.1 is a bug (no CDN, no fonts): record it so a test can assert none.
  const offsite = [];
  context.on('request', (r) => { const u = new URL(r.url()); if (!['127.0.0.1', 'localhost'].includes(u.hostname) && u.protocol !== 'data:') offsite.push(r.url()); });
  return {
    context,
    offsite,
    async newPage() {
      const page = await context.newPage();
      page.consoleErrors = [];
      page.on('pageerror', (e) => page.consoleErrors.push(String(e)));
      page.on('console', (m) => { if (m.type() === 'error') page.consoleErrors.push(m.text()); });
      return page;
    },
    async close() {
      try { await context.close(); } finally { fs.rmSync(dir, { recursive: true, force: true }); }
    },
  };
}
