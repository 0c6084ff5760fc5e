// A stand-in for rollcall agents while developing the page: serves web/ and the agent's page API
// (/v1/cluster, /v1/members, /v1/events SSE, PUT /v1/config, DELETE removals, bearer-token checks)
// from an in-memory cluster shared by several mock "agents". No dependencies beyond node.
//
//   node tests/web/mock_server.mjs [--fixture three|fifty] [--agents 3] [--port 8080] [--token T]
//
// Test hooks (mock only): POST /__mock/kill/<name>  (that server goes suspect, then dead; if it is a
// mock agent its HTTP server closes), POST /__mock/sse-off?ms=N (drop every event stream, refuse new
// ones for N ms).
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const WEB_DIR = path.resolve(HERE, '../../web');
export const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.svg': 'image/svg+xml' };

// ---- fixtures ------------------------------------------------------------------------------------
const hex = (rand, n) => Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join('');
function prng(seed) {  // mulberry32
  let a = seed >>> 0;
  return () => { a = (a + 0x6d2b79f5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}

function makeServer(rand, i, name, { version = '2024.3', key = 'ab12cd34', os = ['Debian GNU/Linux', '12'], state = 'alive' } = {}) {
  const now = Date.now();
  return {
    id: hex(rand, 32), name, os: { name: os[0], version: os[1] },
    addresses: [`10.0.${Math.floor(i / 200)}.${(i % 200) + 5}`, `fe80::${(i + 1).toString(16)}`],
    gossip_address: `127.0.0.1:${7950 + i * 10}`, agent_version: '0.1.0', host_id: hex(rand, 8),
    labels: { zone: ['a', 'b', 'c'][i % 3] },
    state, heardAt: now - Math.floor(rand() * 1500), incarnation: `${1 + (i % 3)}.0`, degraded: false, rtt_ms: 0.2 + rand(),
    components: [
      { kind: 'web', version, endpoint: `http://10.0.0.${i + 5}:8624`, verify: { result: 'ok', detail: 'HTTP 200 in 3 ms' }, checkedAt: now - 4000, hbAt: now - 1200 },
      { kind: 'service', version, endpoint: `tcp://10.0.0.${i + 5}:33237`, verify: { result: 'ok', detail: 'connect ok in 1 ms' }, checkedAt: now - 9000, hbAt: now - 800 },
    ],
    keys: [{ name: 'encryption', fingerprint: key }],
  };
}

export function fixture(kind = 'three') {
  const rand = prng(kind === 'three' ? 3 : 50);
  let servers;
  if (kind === 'three') {
    servers = [
      makeServer(rand, 0, 'node-1'),
      makeServer(rand, 1, 'node-2', { version: '2023.9' }),
      makeServer(rand, 2, 'node-3', { key: null, os: ['Ubuntu', '22.04'] }),
    ];
  } else {
    servers = [];
    for (let i = 0; i < 50; i++) {
      const name = `server-${String(i + 1).padStart(2, '0')}`;
      const opts = {};
      if (i % 11 === 4) opts.version = '2023.9';
      if (i === 17) opts.key = null;
      if (i === 23) opts.key = 'ffee0011';
      if (i === 31) opts.state = 'suspect';
      if (i === 44) opts.state = 'dead';
      const s = makeServer(rand, i, name, opts);
      if (i === 8) s.components[0].hbAt = Date.now() - 90_000_000;  // stale web
      if (i === 12) s.components[1].verify = { result: 'failed', detail: 'connect 127.0.0.1:33237: refused' };
      if (i === 44) s.heardAt = Date.now() - 600_000;
      servers.push(s);
    }
  }
  return {
    name: 'demo',
    config: { load_balancing: true, automatic_failover: true, heartbeat_interval_ms: 30000, stale_timeout_ms: 300000, web_stale_window_ms: 86400000, lamport: 1, writer: servers[0].id.slice(0, 8) },
    servers,
    tombstones: [],
  };
}

// ---- the shared cluster ----------------------------------------------------------------------------
const REMEDY = {
  VERSION_OUT_OF_SYNC: 'Upgrade this server to the version the rest of the cluster runs.',
  KEY_NOT_SET: 'Set the encryption key on this server to the same value as on the others, then restart the product.',
  KEY_NOT_SYNCHRONIZED: 'Copy the encryption key from the other servers into this server\'s configuration.',
  STALE_WEB_COMPONENT: 'Send a request to this web server or check the load balancer; remove it if it is gone.',
  STALE_SERVICE_COMPONENT: 'Check that the service is running and heartbeating.',
  VERIFICATION_FAILED: 'Check that the component listens where the agent expects it.',
  SERVER_SUSPECT: 'Check the server\'s load and network.',
  SERVER_UNREACHABLE: 'If the server is gone for good, remove it; otherwise find out why it stopped.',
};

function prevailing(servers, kind) {
  const count = new Map();
  for (const s of servers) for (const c of s.components) if (c.kind === kind && s.state !== 'dead' && s.state !== 'left') count.set(c.version, (count.get(c.version) || 0) + 1);
  let best = null; let n = -1;
  for (const [v, k] of count) if (k > n || (k === n && v > best)) { best = v; n = k; }
  return best;
}

export class MockCluster {
  constructor(fx) {
    Object.assign(this, fx);
    this.listeners = new Set();
    this.sseOffUntil = 0;
  }
  changed() { for (const f of this.listeners) f(); }

  table(servedByIndex = 0) {
    const now = Date.now();
    const cfg = this.config;
    const fps = new Map();
    for (const s of this.servers) { const f = s.keys[0].fingerprint; if (f) fps.set(f, (fps.get(f) || 0) + 1); }
    const mainFp = [...fps.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
    const servers = this.servers.map((s) => {
      const warnings = [];
      const w = (code, severity, message, component) => warnings.push({ code, severity, message, remedy: REMEDY[code] || '', ...(component ? { component } : {}) });
      const components = s.components.map((c) => {
        const pv = prevailing(this.servers, c.kind);
        const inSync = pv == null || c.version === pv;
        const hbAge = now - c.hbAt;
        const stale = hbAge > (c.kind === 'web' ? cfg.web_stale_window_ms : cfg.stale_timeout_ms);
        if (!inSync) w('VERSION_OUT_OF_SYNC', 'warning', `${c.kind} runs ${c.version}; the cluster runs ${pv}.`, c.kind);
        if (stale) w(c.kind === 'web' ? 'STALE_WEB_COMPONENT' : 'STALE_SERVICE_COMPONENT', 'warning', `No ${c.kind} heartbeat for ${Math.round(hbAge / 60000)} min.`, c.kind);
        if (c.verify.result === 'failed') w('VERIFICATION_FAILED', 'error', `Verification failed: ${c.verify.detail}.`, c.kind);
        const status = c.verify.result === 'failed' ? 'error' : stale ? 'stale' : !inSync ? 'warning' : 'ok';
        return { kind: c.kind, version: c.version, endpoint: c.endpoint, status,
          verification: { ...c.verify, checked_age_ms: now - c.checkedAt }, heartbeat_age_ms: hbAge, stale,
          version_in_sync: inSync, prevailing_version: pv };
      });
      const fp = s.keys[0].fingerprint;
      const keyInSync = fp != null && fp === mainFp;
      if (fp == null) w('KEY_NOT_SET', 'error', 'No encryption key is set on this server; logins will not carry over between servers.');
      else if (!keyInSync) w('KEY_NOT_SYNCHRONIZED', 'error', `Encryption key ${fp} differs from the cluster's ${mainFp}.`);
      if (s.state === 'suspect') w('SERVER_SUSPECT', 'warning', 'The server stopped answering probes.');
      if (s.state === 'dead') w('SERVER_UNREACHABLE', 'error', 'No agent can reach this server.');
      const status = warnings.some((x) => x.severity === 'error') ? 'error' : warnings.length ? 'warning' : 'ok';
      return { id: s.id, name: s.name, os: s.os, addresses: s.addresses, gossip_address: s.gossip_address, agent_version: s.agent_version,
        host_id: s.host_id, labels: s.labels,
        heartbeat: { state: s.state, last_heard_ms: s.state === 'alive' ? Math.min(now - s.heardAt, 1500) : now - s.heardAt, incarnation: s.incarnation, degraded: s.degraded, rtt_ms: s.state === 'alive' ? Math.round(s.rtt_ms * 10) / 10 : null },
        status, version_in_sync: components.every((c) => c.version_in_sync), key_in_sync: keyInSync,
        components, keys: s.keys.map((k) => ({ ...k, in_sync: keyInSync })), warnings };
    });
    const alive = servers.filter((s) => s.heartbeat.state === 'alive').length;
    const status = servers.some((s) => s.status === 'error') ? 'error' : servers.some((s) => s.status === 'warning') ? 'warning' : 'ok';
    const digest = crypto.createHash('sha256').update(JSON.stringify([cfg, this.servers.map((s) => [s.id, s.state, s.incarnation, s.components.map((c) => [c.kind, c.version])])])).digest('hex').slice(0, 16);
    const me = this.servers[servedByIndex] || this.servers[0];
    return { cluster: { name: this.name, servers: servers.length, servers_alive: alive, status, digest, config: { ...cfg }, warnings: [] },
      served_by: { id: me.id, name: me.name }, servers };
  }

  // Validates like membership::ClusterConfig::validate. Returns an error message or null.
  setConfig(patch, writerId) {
    const allowed = ['load_balancing', 'automatic_failover', 'heartbeat_interval_ms', 'stale_timeout_ms', 'web_stale_window_ms'];
    if (!patch || typeof patch !== 'object' || Array.isArray(patch)) return 'body must be a JSON object';
    for (const k of Object.keys(patch)) if (!allowed.includes(k)) return `unknown field ${k}`;
    const next = { ...this.config, ...patch };
    for (const k of ['load_balancing', 'automatic_failover']) if (typeof next[k] !== 'boolean') return `${k} must be true or false`;
    const range = (k, lo, hi) => (!Number.isInteger(next[k]) || next[k] < lo || next[k] > hi ? `${k} must be an integer in ${lo}..${hi} (ms)` : null);
    const err = range('heartbeat_interval_ms', 1000, 3600000) || range('stale_timeout_ms', 5000, 86400000) || range('web_stale_window_ms', 60000, 2592000000) ||
      (next.stale_timeout_ms < 2 * next.heartbeat_interval_ms ? 'stale_timeout_ms must be at least 2 x heartbeat_interval_ms' : null);
    if (err) return err;
    next.lamport = this.config.lamport + 1;
    next.writer = writerId.slice(0, 8);
    this.config = next;
    this.changed();
    return null;
  }

  removeComponent(name, kind) {
    const s = this.servers.find((x) => x.name === name);
    const i = s ? s.components.findIndex((c) => c.kind === kind) : -1;
    if (i < 0) return false;
    s.components.splice(i, 1);
    this.changed();
    return true;
  }

  removeServer(name) {
    const i = this.servers.findIndex((x) => x.name === name);
    if (i < 0) return false;
    this.servers.splice(i, 1);
    this.changed();
    return true;
  }

  // Simulates kill -9: suspect after 1 s, dead after 3 s.
  kill(name) {
    const s = this.servers.find((x) => x.name === name);
    if (!s) return false;
    s.heardAt = Date.now();
    setTimeout(() => { s.state = 'suspect'; this.changed(); }, 1000).unref();
    setTimeout(() => { s.state = 'dead'; this.changed(); }, 3000).unref();
    return true;
  }
}

// ---- one mock agent (HTTP server) ----------------------------------------------------------------
function sendJson(res, status, obj) {
  const body = JSON.stringify(obj);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
const apiError = (res, status, code, message) => sendJson(res, status, { error: { code, message } });

function readBody(req, limit = 65536) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let n = 0;
    req.on('data', (c) => { n += c.length; if (n > limit) { reject(new Error('too large')); req.destroy(); } else chunks.push(c); });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function startMockAgent({ cluster, index = 0, port = 0, token = 'test-token', webDir = WEB_DIR, onKill } = {}) {
  const streams = new Set();
  const me = () => cluster.servers[index] || cluster.servers[0];
  const push = (res) => res.write(`event: cluster\ndata: ${JSON.stringify(cluster.table(index))}\n\n`);
  const onChange = () => { for (const r of streams) push(r); };
  cluster.listeners.add(onChange);
  const ticker = setInterval(onChange, 2000);

  const authorized = (req, res) => {
    const h = req.headers.authorization || '';
    if (!h) { apiError(res, 401, 'unauthorized', 'missing admin token (send Authorization: Bearer <token>)'); return false; }
    const m = /^Bearer (.+)$/.exec(h);
    const a = Buffer.from(m ? m[1] : ''); const b = Buffer.from(token);
    if (!m || a.length !== b.length || !crypto.timingSafeEqual(a, b)) { apiError(res, 403, 'forbidden', 'admin token rejected'); return false; }
    return true;
  };

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    const p = url.pathname;
    try {
      if (req.method === 'POST' && p.startsWith('/__mock/kill/')) {
        const name = decodeURIComponent(p.slice('/__mock/kill/'.length));
        if (!cluster.kill(name)) return apiError(res, 404, 'not_found', 'no such server');
        sendJson(res, 200, { killed: name });
        if (onKill) onKill(name);
        return;
      }
      if (req.method === 'POST' && p === '/__mock/sse-off') {
        cluster.sseOffUntil = Date.now() + Number(url.searchParams.get('ms') || 5000);
        for (const r of streams) r.destroy();
        return sendJson(res, 200, { ok: true });
      }
      if (req.method === 'GET' && p === '/v1/cluster') return sendJson(res, 200, cluster.table(index));
      if (req.method === 'GET' && p === '/v1/members') {
        return sendJson(res, 200, cluster.table(index).servers.map((s) => ({ id: s.id, name: s.name, address: s.gossip_address, incarnation: s.heartbeat.incarnation, state: s.heartbeat.state, last_heard_ms: s.heartbeat.last_heard_ms, rtt_ms: s.heartbeat.rtt_ms })));
      }
      if (req.method === 'GET' && p === '/v1/events') {
        if (Date.now() < cluster.sseOffUntil) return apiError(res, 503, 'unavailable', 'event stream disabled by the mock');
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
        res.write('retry: 1000\n\n');
        streams.add(res);
        req.on('close', () => streams.delete(res));
        push(res);
        return;
      }
      if (req.method === 'PUT' && p === '/v1/config') {
        if (!authorized(req, res)) return;
        let patch;
        try { patch = JSON.parse(await readBody(req)); } catch { return apiError(res, 400, 'bad_request', 'body is not valid JSON'); }
        const err = cluster.setConfig(patch, me().id);
        if (err) return apiError(res, 400, 'invalid_config', err);
        return sendJson(res, 200, cluster.config);
      }
      let m;
      if (req.method === 'DELETE' && (m = /^\/v1\/servers\/([^/]+)\/components\/([^/]+)$/.exec(p))) {
        if (!authorized(req, res)) return;
        const ok = cluster.removeComponent(decodeURIComponent(m[1]), decodeURIComponent(m[2]));
        return ok ? sendJson(res, 200, { removed: true }) : apiError(res, 404, 'not_found', 'no such component');
      }
      if (req.method === 'DELETE' && (m = /^\/v1\/servers\/([^/]+)$/.exec(p))) {
        if (!authorized(req, res)) return;
        const s = cluster.servers.find((x) => x.name === decodeURIComponent(m[1]));
        if (!s) return apiError(res, 404, 'not_found', 'no such server');
        if (s.state !== 'dead' && s.state !== 'left') return apiError(res, 409, 'conflict', 'only a dead or left server can be removed');
        cluster.removeServer(s.name);
        return sendJson(res, 200, { removed: true });
      }
      if (req.method === 'GET' && !p.startsWith('/v1/')) {
        const rel = p === '/' ? 'index.html' : p.slice(1);
        const file = path.resolve(webDir, rel);
        if (!file.startsWith(webDir + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) return apiError(res, 404, 'not_found', 'no such page');
        // The strict policy the page is written for (no inline script or style, same origin only).
        res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream', 'Cache-Control': 'no-cache',
          'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' });
        return res.end(fs.readFileSync(file));
      }
      apiError(res, 404, 'not_found', `no route ${req.method} ${p}`);
    } catch (e) {
      if (!res.headersSent) apiError(res, 500, 'internal', String(e.message || e));
    }
  });
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => {
      const url = `http://127.0.0.1:${server.address().port}`;
      resolve({
        url, name: me().name,
        close: () => new Promise((done) => {
          clearInterval(ticker);
          cluster.listeners.delete(onChange);
          for (const r of streams) r.destroy();
          server.closeAllConnections?.();
          server.close(() => done());
        }),
      });
    });
  });
}

// A cluster of `agents` mock agents sharing one in-memory cluster.
export async function startMockCluster({ fixture: kind = 'three', agents = 3, basePort = 0, token = 'test-token' } = {}) {
  const cluster = new MockCluster(fixture(kind));
  const list = [];
  for (let i = 0; i < agents; i++) {
    list.push(await startMockAgent({ cluster, index: i, port: basePort ? basePort + i : 0, token,
      onKill: (name) => { const a = list.find((x) => x.name === name); if (a) setTimeout(() => a.close(), 50); } }));
  }
  return { cluster, agents: list, token, close: () => Promise.all(list.map((a) => a.close())) };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name, dflt) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : dflt; };
  const mc = await startMockCluster({ fixture: arg('fixture', 'three'), agents: Number(arg('agents', 3)), basePort: Number(arg('port', 0)), token: arg('token', 'test-token') });
  for (const a of mc.agents) console.log(`${a.name}: ${a.url}/`);
  console.log('admin token: (the one given with --token)');
  const stop = async () => { await mc.close(); process.exit(0); };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
