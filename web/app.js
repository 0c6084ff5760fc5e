// Entry point of the Cluster Overview page: loads /v1/cluster, follows /v1/events (Server-Sent
// Events) and re-renders; shows "live" / "reconnecting…" and falls back to polling while the stream
// is down. Loaded by index.html as a module; exposes nothing global except window.rollcallPage
// (read-only hooks for tests: last render time, current snapshot).
import * as R from './render.js';
import { duration } from './format.js';
import { initActions } from './actions.js';

const $ = (id) => document.getElementById(id);
const WATCHDOG_MS = 7000;  // the agent sends at least every 2 s; silence this long means trouble
const POLL_MS = 5000;      // refresh period while the live stream is down

const state = {
  snap: null,
  receivedAt: 0,          // performance.now() when snap arrived
  digest: null,
  digestSince: 0,         // performance.now() when the digest last changed
  rows: new Map(),        // server id -> { tr, sig, ages: [[el, kind, ms]] }
  es: null,
  lastEvent: 0,
  live: false,
  pollTimer: 0,
  renderMs: [],
};

window.rollcallPage = {
  get snapshot() { return state.snap; },
  get renderMs() { return state.renderMs.slice(); },
  get live() { return state.live; },
};

// ---- rendering -------------------------------------------------------------------------------
function apply(snap) {
  const t0 = performance.now();
  state.snap = snap;
  state.receivedAt = t0;
  const c = snap.cluster || {};
  $('cluster-name').textContent = c.name ? `cluster “${c.name}”` : 'cluster';
  const st = $('cluster-status');
  st.className = `pill ${c.status || 'unknown'}`;
  st.textContent = R.STATUS_TEXT[c.status] || c.status || 'unknown';
  const sb = snap.served_by || {};
  $('served-by').textContent = sb.name || sb.id || '?';
  document.title = `Cluster Overview · ${sb.name || 'rollcall'}`;
  if (c.digest !== state.digest) {
    state.digest = c.digest;
    state.digestSince = t0;
    const d = $('digest');
    d.textContent = R.groupDigest(c.digest);
    d.dataset.digest = c.digest || '';
    $('digest-2').textContent = d.textContent;
  }
  const cv = R.configHtml(snap);
  for (const k of ['servers', 'load_balancing', 'automatic_failover', 'heartbeat_interval_ms', 'stale_timeout_ms', 'web_stale_window_ms']) {
    const el = $(`cv-${k}`);
    if (el.textContent !== cv[k]) el.textContent = cv[k];
  }
  $('config-version').textContent = cv.version;
  const counts = R.counts(snap);
  for (const k of Object.keys(counts)) $(`hc-${k}`).textContent = String(counts[k]);
  const problems = R.problemsHtml(snap);
  if (state.problemsHtml !== problems) { $('problems').innerHTML = problems; state.problemsHtml = problems; }
  $('servers-summary').textContent = R.summaryText(snap);
  renderRows(snap);
  tickAges();
  if (!performance.getEntriesByName('rollcall:first-table').length) performance.mark('rollcall:first-table');
  const dt = performance.now() - t0;
  state.renderMs.push(dt);
  if (state.renderMs.length > 50) state.renderMs.shift();
}

function renderRows(snap) {
  const body = $('servers-body');
  const servedBy = (snap.served_by || {}).id;
  const servers = R.sortServers(snap.servers || []);
  if (!servers.length) {
    body.innerHTML = '<tr><td colspan="8" class="muted">No servers yet.</td></tr>';
    state.rows.clear();
    return;
  }
  const active = document.activeElement;
  const focusKey = active && body.contains(active) ? active.dataset.focus : null;
  const next = new Map();
  const tpl = document.createElement('tbody');
  const changed = [];
  for (const s of servers) {
    const sig = R.rowSignature(s, servedBy);
    const old = state.rows.get(s.id);
    if (old && old.sig === sig) {
      next.set(s.id, { ...old, server: s });
    } else {
      changed.push(s);
      next.set(s.id, { sig, server: s, tr: null });
    }
  }
  if (changed.length) {
    tpl.innerHTML = changed.map((s) => R.rowHtml(s, servedBy)).join('');
    const trs = tpl.children;
    for (let i = 0; i < changed.length; i++) next.get(changed[i].id).tr = trs[i];
  }
  // Drop replaced or vanished rows, then put rows in order, moving only what is out of place.
  for (const [id, old] of state.rows) {
    const r = next.get(id);
    if (!r || r.tr !== old.tr) old.tr.remove();
  }
  for (const tr of [...body.children]) if (!tr.dataset.server) tr.remove();
  let cursor = body.firstElementChild;
  for (const s of servers) {
    const tr = next.get(s.id).tr;
    if (cursor === tr) { cursor = cursor.nextElementSibling; continue; }
    body.insertBefore(tr, cursor);
  }
  for (const [, r] of next) {
    if (!r.ages) {
      r.ages = [...r.tr.querySelectorAll('[data-age]')].map((el) => [el, el.dataset.age]);
    }
    const vals = R.rowAges(r.server);
    r.ages = r.ages.map(([el, kind], i) => [el, kind, vals[i] ? vals[i][1] : null]);
  }
  state.rows = next;
  if (focusKey && !body.contains(document.activeElement)) {
    const again = body.querySelector(`[data-focus="${CSS.escape(focusKey)}"]`);
    if (again) again.focus();
  }
}

function tickAges() {
  if (!state.snap) return;
  const elapsed = performance.now() - state.receivedAt;
  for (const [, r] of state.rows) {
    for (const [el, kind, ms] of r.ages) {
      const t = R.ageText(kind, ms, elapsed);
      if (el.textContent !== t) el.textContent = t;
    }
  }
  if (state.digest) {
    const t = `unchanged for ${duration(performance.now() - state.digestSince)}`;
    const el = $('digest-age');
    if (el.textContent !== t) el.textContent = t;
  }
}

// ---- connection ------------------------------------------------------------------------------
function setLive(mode) {
  const el = $('live');
  state.live = mode === 'live';
  el.className = `live ${mode}`;
  el.textContent = mode === 'live' ? 'live' : mode === 'connecting' ? 'connecting…' : 'reconnecting…';
  el.dataset.state = mode;
  $('conn-help').hidden = mode !== 'reconnecting';
  if (state.live) stopPolling(); else startPolling();
}

async function fetchOnce() {
  try {
    const res = await fetch('/v1/cluster', { cache: 'no-store', headers: { Accept: 'application/json' } });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    apply(await res.json());
    return true;
  } catch {
    return false;
  }
}

function startPolling() {
  if (state.pollTimer) return;
  state.pollTimer = setInterval(fetchOnce, POLL_MS);
}

function stopPolling() {
  clearInterval(state.pollTimer);
  state.pollTimer = 0;
}

function connect() {
  if (state.es) state.es.close();
  const es = new EventSource('/v1/events');
  state.es = es;
  state.lastEvent = performance.now();
  es.addEventListener('cluster', (ev) => {
    state.lastEvent = performance.now();
    let snap;
    try { snap = JSON.parse(ev.data); } catch { return; }
    if (!state.live) setLive('live');
    apply(snap);
  });
  es.onopen = () => { state.lastEvent = performance.now(); };
  es.onerror = () => {
    if (state.es !== es) return;
    setLive('reconnecting');
    if (es.readyState === EventSource.CLOSED) setTimeout(() => { if (state.es === es) connect(); }, 3000);
  };
}

function watchdog() {
  if (state.es && performance.now() - state.lastEvent > WATCHDOG_MS) {
    setLive('reconnecting');
    connect();
  }
}

function reconnectNow() {
  setLive(state.live ? 'live' : 'reconnecting');
  connect();
  fetchOnce();
}

// ---- boot ------------------------------------------------------------------------------------
$('conn-host').textContent = location.host;
$('reconnect').addEventListener('click', reconnectNow);
initActions({ getSnapshot: () => state.snap, refresh: fetchOnce });
setLive('connecting');
fetchOnce();
connect();
setInterval(() => { tickAges(); watchdog(); }, 1000);
