#!/usr/bin/env node
// Development aid until the real agent exists: a stand-in for `rollcall demo --agents N --base-port P
// --workdir D` built on mock_server.mjs, so cluster.test.mjs can be exercised end to end:
//   ROLLCALL_BIN=tests/web/fake_rollcall.mjs node --test tests/web/cluster.test.mjs
// Each "agent" is a real child process (so kill -9 of its pid works); when one dies, its mock HTTP
// endpoint closes and the shared cluster marks it suspect, then dead. SIGTERM/SIGINT stop everything.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { MockCluster, fixture, startMockAgent } from './mock_server.mjs';

const args = process.argv.slice(2);
const opt = (n, d) => { const i = args.indexOf(`--${n}`); return i >= 0 ? args[i + 1] : d; };
if (args[0] !== 'demo') { console.error('fake rollcall: only `demo` is supported'); process.exit(2); }
const n = Number(opt('agents', 3));
const base = Number(opt('base-port', 27950));
const workdir = opt('workdir', fs.mkdtempSync('/tmp/fake-demo-'));
const token = 'fake-demo-token-0123456789';
const cluster = new MockCluster(fixture('three'));
const agents = [];
for (let i = 0; i < n; i++) {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], { stdio: 'ignore' });
  const http = await startMockAgent({ cluster, index: i, port: base + 1 + i * 10, token });
  child.on('exit', () => { cluster.kill(http.name); http.close(); });
  agents.push({ name: http.name, pid: child.pid, http: http.url, data_dir: path.join(workdir, http.name), child, server: http });
}
fs.writeFileSync(path.join(workdir, 'admin.token'), token + '\n', { mode: 0o600 });
fs.writeFileSync(path.join(workdir, 'demo.json'), JSON.stringify({
  agents: agents.map(({ name, pid, http, data_dir }) => ({ name, pid, http, data_dir })),
  admin_token_file: path.join(workdir, 'admin.token') }, null, 2));
for (const a of agents) console.log(`${a.name}: ${a.http}/`);
const stop = async () => {
  for (const a of agents) { try { a.child.kill('SIGTERM'); } catch { /* gone */ } }
  await Promise.all(agents.map((a) => a.server.close()));
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
