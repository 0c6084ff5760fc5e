// What a person can do on the page: edit the cluster configuration, remove a component or a dead
// server (after a confirmation naming it), hold the admin token for this tab (sessionStorage only),
// and open warning tooltips by hover, keyboard focus or click. Wired once by app.js (initActions).
import { fromMs, age } from './format.js';

const $ = (id) => document.getElementById(id);
const TOKEN_KEY = 'rollcall.adminToken';
const FIELDS = [  // form input id suffix, API field, unit in ms
  ['heartbeat_interval_ms', 'Heartbeat frequency', 1000],
  ['stale_timeout_ms', 'Stale timeout', 1000],
  ['web_stale_window_ms', 'Web stale window', 3600000],
];

// ---- admin token (sessionStorage only; never logged, never shown) ------------------------------
function getToken() {
  try { return sessionStorage.getItem(TOKEN_KEY) || ''; } catch { return ''; }
}
function setToken(t) {
  try { if (t) sessionStorage.setItem(TOKEN_KEY, t); else sessionStorage.removeItem(TOKEN_KEY); } catch { /* private mode */ }
  syncTokenUi();
}
function syncTokenUi() {
  const held = !!getToken();
  for (const el of document.querySelectorAll('[data-token-field]')) el.hidden = held;
  for (const el of document.querySelectorAll('[data-token-held]')) el.hidden = !held;
}
// Uses a token typed into `input` (and keeps it for the session) or the one already held.
function tokenFrom(input) {
  const typed = input && !input.closest('[hidden]') ? input.value.trim() : '';
  if (typed) { setToken(typed); input.value = ''; }
  return getToken();
}

// Sends a write; resolves to { ok, status, message }. 401/403 drop the held token.
async function send(method, url, body) {
  const token = getToken();
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    return { ok: false, status: 0, message: 'Cannot reach this agent. Check that it is running, then try again.' };
  }
  if (res.ok) return { ok: true, status: res.status, message: '' };
  let message = '';
  try {
    const j = await res.json();
    message = (j && j.error && (j.error.message || j.error.code)) || '';
  } catch { /* not JSON */ }
  if (res.status === 401 || res.status === 403) setToken('');
  const what = res.status === 401 ? 'Refused: an admin token is required.'
    : res.status === 403 ? 'Refused: the admin token was not accepted.'
    : res.status === 400 ? 'Not saved: invalid value.'
    : `Failed (HTTP ${res.status}).`;
  return { ok: false, status: res.status, message: message ? `${what} ${message}` : what };
}

let toastTimer = 0;
function toast(text) {
  const t = $('toast');
  t.textContent = text;
  t.classList.add('show');
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => t.classList.remove('show'), 5000);
}

// ---- configuration form ----------------------------------------------------------------------
function initConfig(ctx) {
  const form = $('config-form');
  const edit = $('config-edit');
  const msg = $('config-message');
  const open = (yes) => {
    form.hidden = !yes;
    edit.setAttribute('aria-expanded', String(yes));
    edit.textContent = yes ? 'Close' : 'Edit';
    msg.textContent = '';
    msg.className = 'message';
    if (yes) { fill(); $('cf-load_balancing').focus(); }
  };
  const fill = () => {
    const cfg = ((ctx.getSnapshot() || {}).cluster || {}).config || {};
    $('cf-load_balancing').checked = !!cfg.load_balancing;
    $('cf-automatic_failover').checked = !!cfg.automatic_failover;
    for (const [k, , unit] of FIELDS) $(`cf-${k}`).value = fromMs(cfg[k], unit);
    syncTokenUi();
  };
  edit.addEventListener('click', () => open(form.hidden));
  $('config-cancel').addEventListener('click', () => { open(false); edit.focus(); });
  form.addEventListener('keydown', (e) => { if (e.key === 'Escape') { open(false); edit.focus(); } });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const cfg = ((ctx.getSnapshot() || {}).cluster || {}).config || {};
    const patch = {};
    for (const k of ['load_balancing', 'automatic_failover']) {
      const v = $(`cf-${k}`).checked;
      if (v !== !!cfg[k]) patch[k] = v;
    }
    for (const [k, label, unit] of FIELDS) {
      const raw = $(`cf-${k}`).value.trim().replace(',', '.');
      const n = Number(raw);
      if (raw === '' || !Number.isFinite(n)) {
        show(`${label} must be a number.`, 'error');
        $(`cf-${k}`).focus();
        return;
      }
      const ms = Math.round(n * unit);
      if (ms !== cfg[k]) patch[k] = ms;
    }
    if (!Object.keys(patch).length) { show('Nothing changed.', ''); return; }
    tokenFrom($('cf-token'));
    const btn = form.querySelector('[type=submit]');
    btn.disabled = true;
    const r = await send('PUT', '/v1/config', patch);
    btn.disabled = false;
    syncTokenUi();
    if (r.ok) {
      open(false);
      edit.focus();
      toast('Configuration saved; it spreads to every server within seconds.');
      ctx.refresh();
    } else {
      show(r.message, 'error');
    }
  });
  function show(text, cls) {
    msg.textContent = text;
    msg.className = `message ${cls}`;
  }
}

// ---- remove dialog ---------------------------------------------------------------------------
function initRemove(ctx) {
  const dlg = $('confirm');
  const text = $('confirm-text');
  const msg = $('confirm-message');
  let pending = null;  // { url, what }
  let returnFocus = null;  // data-focus key of the button that opened the dialog
  const server = (name) => ((ctx.getSnapshot() || {}).servers || []).find((s) => s.name === name);
  $('servers-body').addEventListener('click', (e) => {
    const btn = e.target.closest('[data-remove-component],[data-remove-server]');
    if (!btn) return;
    const name = btn.closest('tr').dataset.server;
    const s = server(name) || { name, heartbeat: {} };
    const enc = encodeURIComponent(name);
    if (btn.dataset.removeComponent !== undefined) {
      const kind = btn.dataset.removeComponent;
      const c = (s.components || []).find((x) => x.kind === kind) || {};
      pending = { url: `/v1/servers/${enc}/components/${encodeURIComponent(kind)}`, what: `the ${kind} component of ${name}` };
      text.textContent = `Remove the ${kind} component${c.version ? ` (version ${c.version})` : ''} of server ${name} from the cluster? Only this component is removed; the server and its other components stay.`;
    } else {
      const hb = s.heartbeat || {};
      pending = { url: `/v1/servers/${enc}`, what: `server ${name}` };
      const comps = (s.components || []).map((c) => c.kind).join(' and ');
      text.textContent = `Remove server ${name} (${hb.state || 'unknown'}, last heard ${age(hb.last_heard_ms)})` +
        `${comps ? ` and its ${comps} component${(s.components || []).length > 1 ? 's' : ''}` : ''} from the cluster?`;
    }
    returnFocus = btn.dataset.focus;
    msg.textContent = '';
    syncTokenUi();
    dlg.showModal();
  });
  $('confirm-form').addEventListener('submit', async (e) => {
    if (!e.submitter || e.submitter.value !== 'remove' || !pending) return;  // Cancel closes the dialog
    e.preventDefault();
    tokenFrom($('confirm-token'));
    const btn = $('confirm-remove');
    btn.disabled = true;
    const r = await send('DELETE', pending.url);
    btn.disabled = false;
    syncTokenUi();
    if (r.ok) {
      dlg.close();
      toast(`Removed ${pending.what}; every server drops it within seconds.`);
      pending = null;
      ctx.refresh();
    } else {
      msg.textContent = r.message;
      if (!getToken()) $('confirm-token').focus();
    }
  });
  dlg.addEventListener('close', () => {
    const back = returnFocus && document.querySelector(`[data-focus="${CSS.escape(returnFocus)}"]`);
    (back || $('servers-h')).focus();
    pending = null;
  });
}

// ---- warning tooltips ------------------------------------------------------------------------
function initTips() {
  const place = (warn) => {
    const tip = warn.querySelector('.tip');
    if (!tip) return;
    tip.style.left = '';
    const r = tip.getBoundingClientRect();
    const over = r.right - (document.documentElement.clientWidth - 8);
    if (over > 0) tip.style.left = `${-Math.min(over, r.left - 8)}px`;
  };
  const closeAll = (except) => {
    for (const w of document.querySelectorAll('.warn.open')) {
      if (w === except) continue;
      w.classList.remove('open');
      const b = w.querySelector('.icon-btn');
      if (b) b.setAttribute('aria-expanded', 'false');
    }
  };
  document.addEventListener('mouseover', (e) => { const w = e.target.closest('.warn'); if (w) place(w); });
  document.addEventListener('focusin', (e) => { const w = e.target.closest('.warn'); if (w) { w.classList.remove('dismissed'); place(w); } });
  document.addEventListener('mouseout', (e) => { const w = e.target.closest('.warn'); if (w && !w.contains(e.relatedTarget)) w.classList.remove('dismissed'); });
  document.addEventListener('click', (e) => {
    const b = e.target.closest('.warn .icon-btn');
    const w = b && b.closest('.warn');
    closeAll(w);
    if (!w) return;
    const on = w.classList.toggle('open');
    b.setAttribute('aria-expanded', String(on));
    if (on) place(w);
  });
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape') return;
    const w = document.activeElement && document.activeElement.closest('.warn');
    closeAll(null);
    if (w) { w.classList.add('dismissed'); w.querySelector('.icon-btn').focus(); }
  });
  // A link to a troubleshooting answer: move focus there so keyboard users land on it.
  document.addEventListener('click', (e) => {
    const a = e.target.closest('a[href^="#ts-"], a[href="#troubleshooting"]');
    if (!a) return;
    const target = document.getElementById(a.getAttribute('href').slice(1));
    if (target) setTimeout(() => target.focus({ preventScroll: true }), 0);
  });
}

export function initActions(ctx) {
  syncTokenUi();
  for (const b of document.querySelectorAll('[data-forget-token]')) {
    b.addEventListener('click', () => { setToken(''); toast('Admin token forgotten for this tab.'); });
  }
  initConfig(ctx);
  initRemove(ctx);
  initTips();
}
