// Page-level checks shared by the real-cluster test (cluster.test.mjs) and the mock test
// (mock.test.mjs): each drives the page like a person (keyboard, hover, clicks) and waits on
// conditions with deadlines, never on fixed sleeps. All throw (assert) on failure.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ARTIFACTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'artifacts');
const tid = (s) => String(s).replace(/[^A-Za-z0-9_.:-]/g, '_');
export const row = (page, name) => page.getByTestId(`server-row-${tid(name)}`);

// Polls an async predicate until it returns a truthy value or the deadline passes.
export async function until(what, fn, timeoutMs = 15000, everyMs = 200) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try { last = await fn(); if (last) return last; } catch (e) { last = e; }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export async function getJson(url, init) {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(5000) });
  return { status: res.status, body: await res.json().catch(() => null) };
}

// Opens the page on one agent and waits until the table is rendered and the stream is live.
// Marks the window so a later check can prove the page was never reloaded.
export async function openPage(browser, url, { expectRows = 1 } = {}) {
  const page = await browser.newPage();
  await page.goto(`${url}/`);
  await page.waitForFunction((n) => document.querySelectorAll('#servers-body tr[data-server]').length >= n, expectRows, { timeout: 15000 });
  await page.getByTestId('live-indicator').filter({ hasText: /^live$/ }).waitFor({ timeout: 15000 });
  await page.evaluate(() => { window.__notReloaded = true; });
  return page;
}

export async function assertNotReloaded(page) {
  assert.equal(await page.evaluate(() => window.__notReloaded === true), true, 'the page was reloaded');
}

export async function screenshot(page, name, opts = {}) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true, ...opts });
  assert.ok(fs.statSync(file).size > 1000, `screenshot ${file} is empty`);
  return file;
}

// The table lists exactly these servers, each with the given components.
export async function expectServers(page, names, kinds = ['web', 'service']) {
  await until(`rows ${names.join(', ')}`, async () =>
    (await page.locator('#servers-body tr[data-server]').count()) === names.length);
  for (const name of names) {
    await row(page, name).waitFor({ state: 'visible', timeout: 5000 });
    for (const kind of kinds) {
      const comp = page.getByTestId(`component-${tid(name)}-${tid(kind)}`);
      await comp.waitFor({ state: 'visible', timeout: 5000 });
      assert.match(await comp.innerText(), new RegExp(kind, 'i'));
    }
  }
  const served = await page.getByTestId('served-by').innerText();
  assert.ok(names.includes(served), `"served by ${served}" names one of the servers`);
  assert.match(await page.getByTestId('digest').innerText(), /[0-9a-f]{4}/);
}

// The warning icon beside the server shows `code` with its reason and remedy when it gets keyboard
// focus, and links to an existing troubleshooting answer. Returns the tooltip text.
export async function expectWarning(page, name, code, { severity, component } = {}) {
  const scope = component ? `${tid(name)}-${tid(component)}` : tid(name);
  const wrap = page.getByTestId(`warnings-${scope}`);
  await wrap.waitFor({ state: 'visible', timeout: 10000 });
  if (severity) assert.equal(await wrap.getAttribute('data-severity'), severity, `${scope} icon severity`);
  const item = page.getByTestId(`warning-${scope}-${code}`).first();
  assert.equal(await item.isVisible(), false, 'tooltip hidden before focus');
  // Keyboard: Tab from the element just before the icon, as a person would.
  await page.locator('body').click({ position: { x: 1, y: 1 } });
  await wrap.locator('button').focus();
  await item.waitFor({ state: 'visible', timeout: 3000 });
  const text = await item.innerText();
  assert.ok(text.length > 10, `tooltip of ${code} has a reason: "${text}"`);
  const link = page.getByTestId(`warning-${scope}-${code}-help`).first();
  const href = await link.getAttribute('href');
  assert.ok(await page.locator(href).count() === 1, `troubleshooting answer ${href} exists`);
  // Tabbing onto the answer's link keeps the tooltip open (focus-within); Enter follows it.
  const linkId = `warning-${scope}-${code}-help`;
  await until(`Tab to ${linkId}`, async () => {
    await page.keyboard.press('Tab');
    return page.evaluate((id) => document.activeElement && document.activeElement.dataset.testid === id, linkId);
  }, 5000, 0);
  await item.waitFor({ state: 'visible', timeout: 1000 });
  await page.keyboard.press('Enter');
  await until(`focus on ${href}`, () => page.evaluate((h) => document.activeElement === document.querySelector(h), href), 3000);
  // Hover shows it too.
  await page.locator('body').click({ position: { x: 1, y: 1 } });
  await page.keyboard.press('Escape');
  await wrap.locator('button').hover();
  await item.waitFor({ state: 'visible', timeout: 3000 });
  await page.mouse.move(1, 1);
  return text;
}

export async function expectRemedy(page, name, code, component) {
  const scope = component ? `${tid(name)}-${tid(component)}` : tid(name);
  const text = await page.getByTestId(`warning-${scope}-${code}`).first().textContent();
  assert.match(text, /Fix:\s*\S+/, `${code} on ${name} shows a remedy: "${text}"`);
  return text;
}

// Waits (no reload) until the row of `name` shows heartbeat state `state`.
export async function waitServerState(page, name, state, timeoutMs) {
  await until(`${name} shown as ${state}`, async () => (await row(page, name).getAttribute('data-state')) === state, timeoutMs, 250);
  assert.match(await page.getByTestId(`heartbeat-${tid(name)}`).innerText(), new RegExp(state));
  await assertNotReloaded(page);
}

export async function configValue(page, field) {
  return page.getByTestId(`config-value-${field}`).innerText();
}

// Opens the configuration form, applies `changes` (form field -> value; booleans for checkboxes,
// strings for text inputs in the form's units), optionally types a token, saves; returns the
// message shown (empty on success, the form then closes).
export async function submitConfig(page, changes, { token } = {}) {
  const edit = page.getByTestId('config-edit');
  if (!(await page.getByTestId('config-form').isVisible())) await edit.click();
  for (const [k, v] of Object.entries(changes)) {
    const el = page.getByTestId(`config-${k}`);
    if (typeof v === 'boolean') await el.setChecked(v); else await el.fill(String(v));
  }
  if (token !== undefined) {
    const t = page.getByTestId('config-token');
    if (await t.isVisible()) await t.fill(token);
  }
  await page.getByTestId('config-save').click();
  return until('the config form to answer', async () => {
    if (!(await page.getByTestId('config-form').isVisible())) return { ok: true, message: '' };
    const m = (await page.getByTestId('config-message').innerText()).trim();
    return m ? { ok: false, message: m } : null;
  }, 10000);
}

// Clicks Remove beside a component (or server), checks the dialog names exactly that, confirms.
export async function remove(page, name, kind, { token } = {}) {
  const btn = kind ? page.getByTestId(`remove-${tid(name)}-${tid(kind)}`) : page.getByTestId(`remove-server-${tid(name)}`);
  await btn.click();
  const dlg = page.getByTestId('confirm-dialog');
  await dlg.waitFor({ state: 'visible', timeout: 3000 });
  const text = await page.getByTestId('confirm-text').innerText();
  assert.ok(text.includes(name), `dialog names the server: "${text}"`);
  if (kind) assert.ok(text.includes(`${kind} component`), `dialog names the component: "${text}"`);
  const t = page.getByTestId('confirm-token');
  if (token !== undefined && (await t.isVisible())) await t.fill(token);
  await page.getByTestId('confirm-remove').click();
  return until('the removal to answer', async () => {
    if (!(await dlg.isVisible())) return { ok: true, message: '' };
    const m = (await page.getByTestId('confirm-message').innerText()).trim();
    return m ? { ok: false, message: m } : null;
  }, 10000);
}

export async function waitComponentGone(page, name, kind, timeoutMs = 15000) {
  await until(`${kind} of ${name} gone`, async () => (await page.getByTestId(`component-${tid(name)}-${tid(kind)}`).count()) === 0, timeoutMs);
  await assertNotReloaded(page);
}

export async function waitServerGone(page, name, timeoutMs = 15000) {
  await until(`${name} gone`, async () => (await row(page, name).count()) === 0, timeoutMs);
  await assertNotReloaded(page);
}

export async function digestOf(page) {
  return page.getByTestId('digest').getAttribute('data-digest');
}
