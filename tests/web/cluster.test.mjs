// The Cluster Overview page in a real browser against a REAL 3-agent cluster (issue 6):
//   rollcall demo --agents 3 --base-port P --workdir D   (agent index 1 runs an older version,
//   index 2 has no product key; demo.json lists the agents and the admin token file).
// Run: ROLLCALL_BIN=build/rollcall node --test tests/web/cluster.test.mjs   (ctest: web.page)
// Env: ROLLCALL_BIN (default <repo>/build/rollcall), ROLLCALL_WEB_BASE_PORT (default: a free range),
//      ROLLCALL_WEB_DEAD_BOUND_MS (default 30000: how long a kill -9 may take to show as dead).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from './browser.mjs';
import * as S from './scenarios.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.resolve(process.env.ROLLCALL_BIN || path.join(ROOT, 'build/rollcall'));
const DEAD_BOUND_MS = Number(process.env.ROLLCALL_WEB_DEAD_BOUND_MS || 30000);

function tcpFree(port) {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

function udpFree(port) {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    s.once('error', () => { s.close(); resolve(false); });
    s.bind(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

const portFree = async (port) => (await tcpFree(port)) && (await udpFree(port));

// A base port with the next 40 TCP and UDP ports free (agent i: gossip base+2i, HTTP base+2i+1).
async function freeBasePort() {
  if (process.env.ROLLCALL_WEB_BASE_PORT) return Number(process.env.ROLLCALL_WEB_BASE_PORT);
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 400) * 100;
    let ok = true;
    for (let p = base; p < base + 40 && ok; p++) ok = await portFree(p);
    if (ok) return base;
  }
  throw new Error('no free port range found');
}

const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };

describe('Cluster Overview page on a real 3-agent cluster', () => {
  let demo; let workdir; let info; let token; let b; let p0; let p1;
  let demoLog = '';
  const agentUrl = (i) => info.agents[i].http.replace(/\/$/, '');
  const name = (i) => info.agents[i].name;

  before(async () => {
    assert.ok(fs.existsSync(BIN), `rollcall binary not found at ${BIN} (set ROLLCALL_BIN)`);
    workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'rollcall-web-'));
    const base = await freeBasePort();
    demo = spawn(BIN, ['demo', '--agents', '3', '--base-port', String(base), '--workdir', workdir],
      { cwd: workdir, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    demo.stdout.on('data', (d) => { demoLog += d; });
    demo.stderr.on('data', (d) => { demoLog += d; });
    let exited = null;
    demo.on('exit', (code, sig) => { exited = `exit ${code} ${sig || ''}`; });
    demo.on('error', (e) => { exited = `failed to start: ${e.message}`; });
    const file = path.join(workdir, 'demo.json');
    await S.until('demo.json', () => {
      if (exited) throw new Error(`rollcall demo ${exited}:\n${demoLog}`);
      if (!fs.existsSync(file)) return false;
      try { info = JSON.parse(fs.readFileSync(file, 'utf8')); } catch { return false; }
      return info.agents && info.agents.length === 3 && info.ready !== false;
    }, 60000, 250);
    token = fs.readFileSync(info.admin_token_file, 'utf8').trim();
    assert.ok(token.length > 0, 'admin token file is empty');
    // Converged: every agent lists 3 servers with one digest.
    await S.until('3 agents converged', async () => {
      if (exited) throw new Error(`rollcall demo ${exited}:\n${demoLog}`);
      const tables = await Promise.all([0, 1, 2].map((i) => S.getJson(`${agentUrl(i)}/v1/cluster`).then((r) => r.body)));
      return tables.every((t) => t && t.servers && t.servers.length === 3) &&
        new Set(tables.map((t) => t.cluster.digest)).size === 1;
    }, 60000, 500);
    b = await launchBrowser();
    p0 = await S.openPage(b, agentUrl(0), { expectRows: 3 });
    p1 = await S.openPage(b, agentUrl(1), { expectRows: 3 });
  });

  after(async () => {
    if (b) await b.close().catch(() => {});
    if (demo && demo.exitCode === null && demo.signalCode === null) {
      const gone = new Promise((r) => demo.once('exit', r));
      try { process.kill(demo.pid, 'SIGTERM'); } catch { /* already gone */ }
      const timer = new Promise((r) => setTimeout(r, 15000));
      await Promise.race([gone, timer]);
      if (demo.exitCode === null && demo.signalCode === null) {
        try { process.kill(-demo.pid, 'SIGKILL'); } catch { /* already gone */ }
      }
    }
    // Agents are the demo's children; if any outlived it (demo killed hard), stop them by PID.
    for (const a of (info && info.agents) || []) if (a.pid && alive(a.pid)) { try { process.kill(a.pid, 'SIGKILL'); } catch { /* gone */ } }
    if (workdir) fs.rmSync(workdir, { recursive: true, force: true });
  });

  it('lists the 3 servers with their components', async () => {
    const names = [0, 1, 2].map(name);
    await S.expectServers(p0, names);
    await S.expectServers(p1, names);
    assert.equal(await p0.getByTestId('served-by').innerText(), name(0));
    assert.equal(await p1.getByTestId('served-by').innerText(), name(1));
    await S.until('both pages show one digest', async () => (await S.digestOf(p0)) === (await S.digestOf(p1)));
    await S.screenshot(p0, 'cluster');
  });

  it('shows the older version as a warning icon with its text', async () => {
    const text = await S.expectWarning(p0, name(1), 'VERSION_OUT_OF_SYNC', { severity: 'warning' });
    assert.match(text, /version/i);
    assert.match(await p0.getByTestId(`version-sync-${name(1)}`).innerText(), /No/);
  });

  it('shows the missing product key as an error with the remedy', async () => {
    await S.expectWarning(p0, name(2), 'KEY_NOT_SET', { severity: 'error' });
    await S.expectRemedy(p0, name(2), 'KEY_NOT_SET');
    await S.screenshot(p0, 'cluster-warnings');
  });

  it('refuses a config change without the token; nothing changes', async () => {
    const before = await Promise.all([0, 1, 2].map((i) => S.getJson(`${agentUrl(i)}/v1/cluster`).then((r) => r.body.cluster.config)));
    const shown = await S.configValue(p0, 'automatic_failover');
    const r = await S.submitConfig(p0, { automatic_failover: shown !== 'Enabled' });
    assert.equal(r.ok, false, 'a change without a token must be refused');
    assert.match(r.message, /Refused/);
    await p0.getByTestId('config-cancel').click();
    const after = await Promise.all([0, 1, 2].map((i) => S.getJson(`${agentUrl(i)}/v1/cluster`).then((r) => r.body.cluster.config)));
    for (let i = 0; i < 3; i++) {
      assert.equal(after[i].automatic_failover, before[i].automatic_failover, `agent ${i} unchanged`);
      assert.equal(after[i].lamport, before[i].lamport, `agent ${i} config version unchanged`);
    }
    assert.equal(await S.configValue(p0, 'automatic_failover'), shown);
    assert.equal(await S.configValue(p1, 'automatic_failover'), shown);
  });

  it('applies a config change with the token; visible on another agent\'s page', async () => {
    const lb = await S.configValue(p0, 'load_balancing');
    const web = await S.configValue(p0, 'web_stale_window_ms');
    const hours = web === '12 h' ? '24' : '12';
    const r = await S.submitConfig(p0, { load_balancing: lb !== 'Enabled', web_stale_window: hours }, { token });
    assert.deepEqual(r, { ok: true, message: '' }, `save failed: ${r.message}`);
    const wantLb = lb === 'Enabled' ? 'Disabled' : 'Enabled';
    await S.until('agent 2\'s page shows the new config', async () =>
      (await S.configValue(p1, 'load_balancing')) === wantLb && (await S.configValue(p1, 'web_stale_window_ms')) === `${hours} h`, 20000);
    await S.assertNotReloaded(p1);
    const t = (await S.getJson(`${agentUrl(2)}/v1/cluster`)).body;
    assert.equal(t.cluster.config.web_stale_window_ms, Number(hours) * 3600000, 'agent 3 has it too');
  });

  it('marks a kill -9\'d agent dead without a reload, within the bound', async () => {
    const victim = info.agents[2];
    const t0 = Date.now();
    process.kill(victim.pid, 'SIGKILL');
    await S.waitServerState(p0, victim.name, 'dead', DEAD_BOUND_MS);
    await S.waitServerState(p1, victim.name, 'dead', DEAD_BOUND_MS);
    console.log(`# ${victim.name} shown dead ${Date.now() - t0} ms after kill -9`);
    await S.screenshot(p0, 'cluster-dead');
  });

  it('removes a component through the page; it disappears on every agent\'s page', async () => {
    const r = await S.remove(p0, name(2), 'service', { token });
    assert.deepEqual(r, { ok: true, message: '' }, `remove failed: ${r.message}`);
    await S.waitComponentGone(p0, name(2), 'service', 20000);
    await S.waitComponentGone(p1, name(2), 'service', 20000);
    const t = (await S.getJson(`${agentUrl(1)}/v1/cluster`)).body;
    const s = t.servers.find((x) => x.name === name(2));
    assert.ok(!s || !s.components.some((c) => c.kind === 'service'), 'agent 2 API no longer lists it');
  });

  it('removes the dead server through the page; it disappears on every agent\'s page', async () => {
    const r = await S.remove(p0, name(2), null, { token });
    assert.deepEqual(r, { ok: true, message: '' }, `remove failed: ${r.message}`);
    await S.waitServerGone(p0, name(2), 20000);
    await S.waitServerGone(p1, name(2), 20000);
    await S.screenshot(p0, 'cluster-after-remove');
  });

  it('loaded nothing from outside the agents and raised no page errors', async () => {
    assert.deepEqual(b.offsite, []);
    assert.deepEqual(p0.consoleErrors.filter((e) => !/Failed to load resource/.test(e)), []);
  });
});
