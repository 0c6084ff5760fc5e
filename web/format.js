// Small pure helpers for the Cluster Overview page: HTML escaping and human-readable durations.
// Imported by render.js and actions.js; no DOM access here.

const ESC = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

// Escapes any value for use in HTML text or a double-quoted attribute.
export function esc(v) {
  return String(v ?? '').replace(/[&<>"']/g, (c) => ESC[c]);
}

// A duration in ms as a person reads it: "850 ms", "1.2 s", "45 s", "5 min", "2 h 5 min", "3 d".
export function duration(ms) {
  if (ms == null || !Number.isFinite(ms)) return '—';
  ms = Math.max(0, ms);
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 10) return `${trim(s.toFixed(1))} s`;
  if (s < 90) return `${Math.round(s)} s`;
  const min = s / 60;
  if (min < 90) return `${trim(min.toFixed(min < 10 ? 1 : 0))} min`;
  const h = Math.floor(min / 60);
  const m = Math.round(min - h * 60);
  if (h < 48) return m ? `${h} h ${m} min` : `${h} h`;
  const d = h / 24;
  return `${trim(d.toFixed(d < 10 ? 1 : 0))} d`;
}

// An age ("last heard") in ms: "just now", "3 s ago", "never" for null.
export function age(ms) {
  if (ms == null) return 'never';
  if (ms < 1000) return 'just now';
  return `${duration(ms)} ago`;
}

function trim(s) {
  return s.replace(/\.0$/, '');
}

// A round-trip time in ms: "0.4 ms", "12 ms".
export function rtt(ms) {
  if (ms == null || !Number.isFinite(ms)) return '';
  return ms < 10 ? `${trim(ms.toFixed(1))} ms` : `${Math.round(ms)} ms`;
}

// Number in the unit the config form uses, without float noise: 30000 ms / 1000 -> "30".
export function fromMs(ms, unitMs) {
  if (ms == null) return '';
  return String(Math.round((ms / unitMs) * 1000) / 1000);
}

// The digest grouped in fours so two people can read it to each other.
export function groupDigest(d) {
  return String(d ?? '').replace(/(.{4})(?=.)/g, '$1 ');
}

// Stable, attribute-safe piece of a data-testid (names are free text from other servers).
export function tid(s) {
  return String(s ?? '').replace(/[^A-Za-z0-9_.:-]/g, '_');
}
