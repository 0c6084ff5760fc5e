// Turns one /v1/cluster snapshot into the page: the configuration pane, cluster warnings and the
// Servers in Cluster table. Rows are keyed by server id and replaced only when their content changed;
// ages ("last heard") live in their own spans and tick without touching the rest of the row, so keyboard
// focus and open tooltips survive live updates. Called by app.js only.
import { esc, duration, age, rtt, groupDigest, tid } from './format.js';

const TITLES = {
  STALE_WEB_COMPONENT: 'Web component stale',
  STALE_SERVICE_COMPONENT: 'Service component stale',
  KEY_NOT_SYNCHRONIZED: 'Encryption key not in sync',
  KEY_NOT_SET: 'Encryption key not set',
  VERSION_OUT_OF_SYNC: 'Software version out of sync',
  VERIFICATION_FAILED: 'Verification failed',
  SERVER_SUSPECT: 'Server suspect',
  SERVER_UNREACHABLE: 'Server unreachable',
  SERVER_DEGRADED: 'Server degraded',
  NAME_CONFLICT: 'Name conflict',
  SHARED_HOST: 'Servers share a host',
};
const KNOWN = new Set(Object.keys(TITLES));
const SEV_RANK = { error: 2, warning: 1, info: 0 };
// 'error' | 'warning' | 'info' (unknown severities count as warnings).
const sevOf = (w) => (w.severity === 'error' || w.severity === 'info' ? w.severity : 'warning');
const SEV_ICON = { error: 'error', warning: 'warning', info: 'unknown' };
const sevIcon = (sev) => icon(SEV_ICON[sev], sev === 'info' ? 'unknown' : sev);
const STATUS_TEXT = { ok: 'OK', warning: 'Warning', error: 'Error', stale: 'Stale', unknown: 'Unknown' };

const icon = (name, cls = '') => `<svg class="ic ${cls}" aria-hidden="true" focusable="false"><use href="#i-${name}"/></svg>`;

function worst(warnings) {
  let w = 'info';
  for (const x of warnings) if (SEV_RANK[sevOf(x)] > SEV_RANK[w]) w = sevOf(x);
  return w;
}

// The warning/error icon with its tooltip: reason, remedy and a link to the troubleshooting answer.
// Visible on hover and on keyboard focus (CSS :focus-within); click pins it for touch screens.
function warnIcon(warnings, server, kind) {
  if (!warnings.length) return '';
  const sev = worst(warnings);
  const scope = kind ? `${kind} component of ${server.name}` : server.name;
  const tipId = `tip-${tid(server.id)}-${tid(kind || 'server')}`;
  const items = warnings.map((w) => {
    const code = String(w.code || '');
    const anchor = KNOWN.has(code) ? `ts-${code}` : 'troubleshooting';
    const testid = kind ? `warning-${tid(server.name)}-${tid(kind)}-${tid(code)}` : `warning-${tid(server.name)}-${tid(code)}`;
    const where = !kind && w.component ? ` <span class="muted">(${esc(w.component)})</span>` : '';
    return `<span class="w sev-${sevOf(w)}" data-testid="${testid}" data-code="${esc(code)}">` +
      `<strong>${sevIcon(sevOf(w))} ${esc(TITLES[code] || code)}</strong>${where}` +
      `<span class="reason">${esc(w.message)}</span>` +
      (w.remedy ? `<span class="remedy"><b>Fix:</b> ${esc(w.remedy)}</span>` : '') +
      `<a href="#${anchor}" data-testid="${testid}-help">Troubleshooting: why?</a></span>`;
  }).join('');
  const label = `${warnings.length} ${sev === 'error' ? 'problem' : sev === 'info' ? 'note' : 'warning'}${warnings.length > 1 ? 's' : ''} for ${scope}`;
  const testid = kind ? `warnings-${tid(server.name)}-${tid(kind)}` : `warnings-${tid(server.name)}`;
  return `<span class="warn" data-testid="${testid}" data-severity="${sev}">` +
    `<button type="button" class="icon-btn ${sev}" data-focus="w:${esc(server.id)}:${esc(kind || '')}" aria-label="${esc(label)}" aria-describedby="${tipId}" aria-expanded="false">${sevIcon(sev)}</button>` +
    `<span class="tip" role="tooltip" id="${tipId}">${items}</span></span>`;
}

function pill(status, text = STATUS_TEXT[status] || status) {
  return `<span class="pill ${esc(status)}">${esc(text)}</span>`;
}

function yesNo(ok, testid, noText = 'No', sev = 'warning') {
  if (ok === true) return `<span class="yn ok" data-testid="${testid}">${icon('ok', 'ok')} Yes</span>`;
  if (ok === false) return `<span class="yn ${sev}" data-testid="${testid}">${icon(sev, sev)} ${esc(noText)}</span>`;
  return `<span class="yn unknown" data-testid="${testid}">${icon('unknown', 'unknown')} Unknown</span>`;
}

function verification(v) {
  if (!v) return '';
  const r = v.result || 'unknown';
  const mark = r === 'ok' ? icon('ok', 'ok') : r === 'failed' ? icon('error', 'error') : icon('unknown', 'unknown');
  const word = r === 'ok' ? 'verified' : r === 'failed' ? 'verification failed' : 'not verified yet';
  return `<span class="verify ${esc(r)}">${mark} ${word}${v.detail ? `: ${esc(v.detail)}` : ''}` +
    (v.checked_age_ms != null ? ` <span class="muted">(<span data-age="checked">…</span>)</span>` : '') + '</span>';
}

function componentHtml(server, c, warnings) {
  const mine = warnings.filter((w) => w.component === c.kind);
  const ver = c.version_in_sync === false && c.prevailing_version
    ? ` <span class="muted">(cluster: ${esc(c.prevailing_version)})</span>` : '';
  return `<li class="comp st-${esc(c.status)}" data-testid="component-${tid(server.name)}-${tid(c.kind)}" data-status="${esc(c.status)}">` +
    `<div class="comp-head"><span class="kind">${esc(c.kind)}</span> <span class="ver" title="software version">${esc(c.version)}</span>${ver} ` +
    `${pill(c.status, c.stale ? 'Stale' : undefined)}${warnIcon(mine, server, c.kind)}` +
    `<button type="button" class="btn tiny" data-remove-component="${esc(c.kind)}" data-focus="rc:${esc(server.id)}:${esc(c.kind)}" data-testid="remove-${tid(server.name)}-${tid(c.kind)}" aria-label="Remove the ${esc(c.kind)} component of ${esc(server.name)}">Remove</button></div>` +
    `<div class="comp-meta">${verification(c.verification)} <span class="hb">heartbeat <span data-age="comp">…</span></span>` +
    (c.endpoint ? ` <span class="muted ep">${esc(c.endpoint)}</span>` : '') + '</div></li>';
}

function keysHtml(s) {
  const keys = s.keys || [];
  const list = keys.map((k) => `<span class="key ${k.in_sync === false ? 'bad' : ''}">${esc(k.name)} ` +
    (k.fingerprint ? `<code>${esc(k.fingerprint)}</code>` : '<em>not set</em>') + '</span>').join('');
  const notSet = keys.some((k) => k.fingerprint == null);
  return yesNo(s.key_in_sync, `key-sync-${tid(s.name)}`, notSet ? 'No (not set)' : 'No', 'error') + (list ? `<div class="keys">${list}</div>` : '');
}

function versionHtml(s) {
  const off = (s.components || []).filter((c) => c.version_in_sync === false);
  const detail = off.map((c) => `<div class="muted small">${esc(c.kind)} ${esc(c.version)} vs ${esc(c.prevailing_version ?? '?')}</div>`).join('');
  return yesNo(s.version_in_sync, `version-sync-${tid(s.name)}`) + detail;
}

// One table row (ages are filled in by app.js). Each cell's content sits in one <div> so the narrow
// layout can put the column label beside it.
export function rowHtml(s, servedById) {
  const hb = s.heartbeat || {};
  const warnings = s.warnings || [];
  const os = s.os ? `${esc(s.os.name)} ${esc(s.os.version)}` : '';
  const addrs = (s.addresses || []).map((a) => `<li>${esc(a)}</li>`).join('');
  const labels = Object.entries(s.labels || {}).map(([k, v]) => `<span class="label">${esc(k)}=${esc(v)}</span>`).join('');
  const comps = (s.components || []).map((c) => componentHtml(s, c, warnings)).join('');
  const removable = hb.state === 'dead' || hb.state === 'left';
  const status = s.status || 'unknown';
  const td = (label, html) => `<td data-label="${label}"><div>${html}</div></td>`;
  return `<tr id="srv-${tid(s.id)}" data-testid="server-row-${tid(s.name)}" data-server="${esc(s.name)}" data-state="${esc(hb.state)}" data-status="${esc(status)}" class="st-${esc(status)} hb-${esc(hb.state)}">` +
    `<th scope="row" data-label="Server"><div><div class="srv">` +
    (warnings.length ? warnIcon(warnings, s, null) : `<span class="icon-static ${esc(status)}">${icon(status === 'ok' ? 'ok' : 'unknown', status)}<span class="sr">${esc(STATUS_TEXT[status] || status)}</span></span>`) +
    `<span class="name">${esc(s.name)}</span>${s.id === servedById ? ' <span class="tag" title="the agent serving this page">this agent</span>' : ''}</div>` +
    `<div class="muted small">agent ${esc(s.agent_version)}${s.host_id ? ` · host ${esc(s.host_id)}` : ''}</div>` +
    (labels ? `<div class="labels">${labels}</div>` : '') + '</div></th>' +
    td('OS', os) +
    td('IP addresses', `<ul class="addrs">${addrs}</ul>` +
      (s.gossip_address ? `<div class="muted small" title="gossip address">gossip ${esc(s.gossip_address)}</div>` : '')) +
    td('Components', comps ? `<ul class="comps">${comps}</ul>` : '<span class="muted">none</span>') +
    td('Heartbeat', `<div data-testid="heartbeat-${tid(s.name)}">${pill(hb.state || 'unknown', hb.state || 'unknown')}` +
      (hb.degraded ? ' <span class="pill warning">degraded</span>' : '') + '</div>' +
      `<div class="small">last heard <span data-age="heard" data-testid="last-heard-${tid(s.name)}">…</span></div>` +
      `<div class="muted small"><span data-age="rtt"></span>inc ${esc(hb.incarnation)}</div>`) +
    td('Version in sync', versionHtml(s)) +
    td('Key in sync', keysHtml(s)) +
    (removable ? td('Actions', `<button type="button" class="btn small danger-outline" data-remove-server data-focus="rs:${esc(s.id)}" data-testid="remove-server-${tid(s.name)}" aria-label="Remove server ${esc(s.name)}">Remove server</button>`)
      : '<td data-label="Actions" class="empty"></td>') + '</tr>';
}

// What makes a row different, ignoring fields that only tick (ages, rtt).
export function rowSignature(s, servedById) {
  return JSON.stringify(s, (k, v) =>
    (k === 'last_heard_ms' || k === 'heartbeat_age_ms' || k === 'checked_age_ms' || k === 'rtt_ms') ? undefined : v) +
    (s.id === servedById ? '*' : '');
}

// Age values (ms at snapshot time) for a row's data-age spans, in document order.
export function rowAges(s) {
  const out = [];
  for (const c of s.components || []) {
    if (c.verification && c.verification.checked_age_ms != null) out.push(['checked', c.verification.checked_age_ms]);
    out.push(['comp', c.heartbeat_age_ms]);
  }
  out.push(['heard', s.heartbeat ? s.heartbeat.last_heard_ms : null]);
  out.push(['rtt', s.heartbeat ? s.heartbeat.rtt_ms : null]);
  return out;
}

// Text of a data-age span, `elapsed` ms after the snapshot arrived (round-trip times do not tick).
export function ageText(kind, ms, elapsed) {
  if (kind === 'rtt') return ms == null ? '' : `rtt ${rtt(ms)} · `;
  return age(ms == null ? null : ms + elapsed);
}

export function sortServers(servers) {
  return [...servers].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function configHtml(snap) {
  const c = snap.cluster || {};
  const cfg = c.config || {};
  const onOff = (b) => (b ? 'Enabled' : 'Disabled');
  return {
    servers: `${c.servers ?? (snap.servers || []).length}` + (c.servers_alive != null ? ` (${c.servers_alive} alive)` : ''),
    load_balancing: onOff(cfg.load_balancing),
    automatic_failover: onOff(cfg.automatic_failover),
    heartbeat_interval_ms: `every ${duration(cfg.heartbeat_interval_ms)}`,
    stale_timeout_ms: duration(cfg.stale_timeout_ms),
    web_stale_window_ms: duration(cfg.web_stale_window_ms),
    version: cfg.lamport != null ? `Configuration version ${cfg.lamport}${cfg.writer ? `, last written by ${cfg.writer}` : ''}.` : '',
  };
}

// The Cluster Health list: cluster-wide warnings, then every server's problems (errors first),
// each linking to its row and to the troubleshooting answer. At most `max` items.
export function problemsHtml(snap, max = 8) {
  const items = [];
  const byId = new Map((snap.servers || []).map((s) => [s.id, s]));
  for (const w of (snap.cluster || {}).warnings || []) items.push({ w, s: byId.get(w.server) || null });
  for (const s of snap.servers || []) for (const w of s.warnings || []) items.push({ w, s });
  items.sort((a, b) => SEV_RANK[sevOf(b.w)] - SEV_RANK[sevOf(a.w)]);
  if (!items.length) return `<li class="none">${icon('ok', 'ok')} No warnings: every server agrees and is healthy.</li>`;
  const html = items.slice(0, max).map(({ w, s }) => {
    const code = String(w.code || '');
    const anchor = KNOWN.has(code) ? `ts-${code}` : 'troubleshooting';
    const sev = sevOf(w);
    const who = s ? `<a href="#srv-${tid(s.id)}">${esc(s.name)}</a>${w.component ? ` ${esc(w.component)}` : ''}: ` : '';
    return `<li data-testid="problem-${s ? tid(s.name) + '-' : ''}${tid(code)}">${sevIcon(sev)}<span>${who}${esc(TITLES[code] || code)}` +
      ` <a href="#${anchor}" class="why">Why?</a></span></li>`;
  }).join('');
  return html + (items.length > max ? `<li class="more muted">and ${items.length - max} more in the table below</li>` : '');
}

function tally(out, w) {
  const sev = sevOf(w);
  if (sev === 'error') out.errors++; else if (sev === 'warning') out.warnings++;
}

export function counts(snap) {
  const out = { alive: 0, suspect: 0, dead: 0, warnings: 0, errors: 0 };
  for (const s of snap.servers || []) {
    const st = (s.heartbeat || {}).state;
    if (st === 'alive') out.alive++; else if (st === 'suspect') out.suspect++; else if (st === 'dead' || st === 'left') out.dead++;
    for (const w of s.warnings || []) tally(out, w);
  }
  for (const w of (snap.cluster || {}).warnings || []) tally(out, w);
  return out;
}

export function summaryText(snap) {
  const n = (snap.servers || []).length;
  const c = counts(snap);
  return `${n} server${n === 1 ? '' : 's'} · ${c.alive} alive · ` +
    `${c.warnings} warning${c.warnings === 1 ? '' : 's'} · ${c.errors} error${c.errors === 1 ? '' : 's'}`;
}

export { groupDigest, STATUS_TEXT };
