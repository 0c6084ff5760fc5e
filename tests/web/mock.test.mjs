// The page against mock agents (tests/web/mock_server.mjs): the same scenarios as the real-cluster
// test, plus what only a mock can stage cheaply (a 50-server table, a dropped event stream, the narrow
// layout). Run: node --test tests/web/mock.test.mjs   (ctest: web.mock)
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startMockCluster } from './mock_server.mjs';
import { launchBrowser } from './browser.mjs';
import * as S from './scenarios.mjs';

describe('Cluster Overview page on a mock 3-agent cluster', () => {
  let mc; let b; let p0; let p1;
  before(async () => {
    mc = await startMockCluster({ fixture: 'three', agents: 3, token: 'mock-admin-token' });
    b = await launchBrowser();
    p0 = await S.openPage(b, mc.agents[0].url, { expectRows: 3 });
  });
  after(async () => {
    if (b) await b.close();
    if (mc) await mc.close();
  });

  it('lists the 3 servers with their web and service components', async () => {
    await S.expectServers(p0, ['node-1', 'node-2', 'node-3']);
    await S.screenshot(p0, 'mock-cluster');
  });

  it('shows the older version as a warning with its text, beside the server and the component', async () => {
    const t = await S.expectWarning(p0, 'node-2', 'VERSION_OUT_OF_SYNC', { severity: 'warning' });
    assert.match(t, /version/i);
    await S.expectWarning(p0, 'node-2', 'VERSION_OUT_OF_SYNC', { component: 'web' });
    await S.expectRemedy(p0, 'node-2', 'VERSION_OUT_OF_SYNC');
  });

  it('shows the missing product key as an error with the remedy', async () => {
    await S.expectWarning(p0, 'node-3', 'KEY_NOT_SET', { severity: 'error' });
    await S.expectRemedy(p0, 'node-3', 'KEY_NOT_SET');
    assert.match(await p0.getByTestId('key-sync-node-3').innerText(), /not set/i);
  });

  it('keeps keyboard focus and the open tooltip across live updates', async () => {
    const btn = p0.getByTestId('warnings-node-2-web').locator('button');
    await btn.focus();
    const item = p0.getByTestId('warning-node-2-web-VERSION_OUT_OF_SYNC');
    await item.waitFor({ state: 'visible' });
    const n = await p0.evaluate(() => window.rollcallPage.renderMs.length);
    await S.until('two more live updates', () => p0.evaluate((k) => window.rollcallPage.renderMs.length >= k + 2, n), 10000);
    assert.equal(await p0.evaluate(() => document.activeElement.closest('[data-testid]').dataset.testid), 'warnings-node-2-web');
    assert.equal(await item.isVisible(), true);
    await p0.keyboard.press('Escape');
    assert.equal(await item.isVisible(), false, 'Escape hides the tooltip');
  });

  it('refuses a config change without the token and changes nothing', async () => {
    const before = await S.configValue(p0, 'automatic_failover');
    const r = await S.submitConfig(p0, { automatic_failover: before !== 'Enabled' });
    assert.equal(r.ok, false);
    assert.match(r.message, /token/i, 'the refusal names the missing token');
    assert.equal(mc.cluster.config.automatic_failover, before === 'Enabled');
    assert.equal(await S.configValue(p0, 'automatic_failover'), before);
    await p0.getByTestId('config-cancel').click();
  });

  it('shows the API validation message for an out-of-range value', async () => {
    const r = await S.submitConfig(p0, { heartbeat_interval: '0.5' }, { token: 'mock-admin-token' });
    assert.equal(r.ok, false);
    assert.match(r.message, /heartbeat_interval_ms/);
    await p0.getByTestId('config-cancel').click();
  });

  it('refuses a wrong token and forgets it', async () => {
    await p0.evaluate(() => sessionStorage.clear());
    await p0.reload();
    await p0.getByTestId('live-indicator').filter({ hasText: /^live$/ }).waitFor();
    const r = await S.submitConfig(p0, { load_balancing: false }, { token: 'wrong' });
    assert.equal(r.ok, false);
    assert.match(r.message, /not accepted/);
    assert.equal(await p0.evaluate(() => sessionStorage.length), 0);
    assert.equal(mc.cluster.config.load_balancing, true);
    await p0.getByTestId('config-cancel').click();
    await p0.evaluate(() => { window.__notReloaded = true; });
  });

  it('applies a config change with the token, visible on another agent\'s page', async () => {
    p1 = await S.openPage(b, mc.agents[1].url, { expectRows: 3 });
    const r = await S.submitConfig(p0, { load_balancing: false, web_stale_window: '12' }, { token: 'mock-admin-token' });
    assert.deepEqual(r, { ok: true, message: '' });
    await S.until('agent 2 shows the change', async () =>
      (await S.configValue(p1, 'load_balancing')) === 'Disabled' && (await S.configValue(p1, 'web_stale_window_ms')) === '12 h');
    // The token is held for the session only: a second change needs no typing.
    assert.equal(await p0.evaluate(() => sessionStorage.getItem('rollcall.adminToken')), 'mock-admin-token');
    assert.equal(await p0.evaluate(() => localStorage.length), 0);
    const r2 = await S.submitConfig(p0, { load_balancing: true });
    assert.equal(r2.ok, true);
    await S.until('agent 2 shows it again', async () => (await S.configValue(p1, 'load_balancing')) === 'Enabled');
    await S.until('digests agree', async () => (await S.digestOf(p0)) === (await S.digestOf(p1)));
  });

  it('marks a killed agent dead without a reload', async () => {
    await (await fetch(`${mc.agents[2].url}/__mock/kill/node-3`, { method: 'POST' })).json();
    await S.waitServerState(p0, 'node-3', 'dead', 15000);
    await S.waitServerState(p1, 'node-3', 'dead', 15000);
    await S.expectWarning(p0, 'node-3', 'SERVER_UNREACHABLE', { severity: 'error' });
  });

  it('removes a component after a confirmation naming it; gone on every page', async () => {
    const r = await S.remove(p0, 'node-3', 'service');
    assert.deepEqual(r, { ok: true, message: '' });
    await S.waitComponentGone(p0, 'node-3', 'service');
    await S.waitComponentGone(p1, 'node-3', 'service');
    await S.screenshot(p0, 'mock-after-remove');
  });

  it('removes a dead server; cancel keeps it', async () => {
    await p0.getByTestId('remove-server-node-3').click();
    assert.match(await p0.getByTestId('confirm-text').innerText(), /Remove server node-3 \(dead/);
    await p0.getByTestId('confirm-cancel').click();
    assert.equal(await S.row(p0, 'node-3').count(), 1);
    const r = await S.remove(p0, 'node-3', null);
    assert.equal(r.ok, true);
    await S.waitServerGone(p0, 'node-3');
    await S.waitServerGone(p1, 'node-3');
  });

  it('shows "reconnecting" while the event stream is down, then "live" again', async () => {
    await fetch(`${mc.agents[0].url}/__mock/sse-off?ms=4000`, { method: 'POST' });
    await p0.getByTestId('live-indicator').filter({ hasText: /reconnecting/ }).waitFor({ timeout: 10000 });
    assert.equal(await p0.getByTestId('connection-help').isVisible(), true);
    assert.match(await p0.getByTestId('connection-help').innerText(), /Cannot connect/);
    await p0.evaluate(() => window.scrollTo(0, 0));
    await S.screenshot(p0, 'mock-reconnecting', { fullPage: false });
    await S.until('stream back', async () => Date.now() > mc.cluster.sseOffUntil, 10000);
    await p0.getByTestId('reconnect').click();
    await p0.getByTestId('live-indicator').filter({ hasText: /^live$/ }).waitFor({ timeout: 10000 });
    assert.equal(await p0.getByTestId('connection-help').isVisible(), false);
  });

  it('loaded nothing from outside the agent and logged no errors', async () => {
    assert.deepEqual(b.offsite, []);
    assert.deepEqual(p0.consoleErrors.filter((e) => !/503|Failed to load resource/.test(e)), []);
  });
});

describe('Cluster Overview page with 50 servers', () => {
  let mc; let b;
  before(async () => {
    mc = await startMockCluster({ fixture: 'fifty', agents: 1 });
    b = await launchBrowser();
  });
  after(async () => {
    if (b) await b.close();
    if (mc) await mc.close();
  });

  it('renders the 50-server table in well under a second', async () => {
    const page = await b.newPage();
    await page.goto(`${mc.agents[0].url}/`);  // warm-up: a person's second visit
    await page.waitForFunction(() => document.querySelectorAll('#servers-body tr[data-server]').length === 50, null, { timeout: 5000 });
    await page.reload();
    await page.waitForFunction(() => document.querySelectorAll('#servers-body tr[data-server]').length === 50, null, { timeout: 5000 });
    const { render, shown } = await page.evaluate(() => ({
      render: window.rollcallPage.renderMs[0],
      shown: performance.getEntriesByName('rollcall:first-table')[0].startTime,
    }));
    console.log(`# 50 servers: render ${render.toFixed(1)} ms, table shown ${shown.toFixed(0)} ms after navigation start`);
    assert.ok(render < 250, `render took ${render} ms`);
    assert.ok(shown < 1500, `table shown ${shown} ms after navigation start`);  // includes loading; generous for a shared 2-core machine
    // A live update that changes nothing structural touches no row.
    await page.evaluate(() => { for (const tr of document.querySelectorAll('#servers-body tr')) tr.dataset.mark = '1'; });
    await page.getByTestId('live-indicator').filter({ hasText: /^live$/ }).waitFor();
    const n = await page.evaluate(() => window.rollcallPage.renderMs.length);
    await S.until('another update', () => page.evaluate((k) => window.rollcallPage.renderMs.length > k, n), 5000);
    assert.equal(await page.locator('#servers-body tr[data-mark="1"]').count(), 50, 'rows were rebuilt without a change');
    await S.screenshot(page, 'mock-fifty', { fullPage: false });
  });

  it('is usable on a narrow screen', async () => {
    const page = await b.newPage();
    await page.setViewportSize({ width: 380, height: 800 });
    await page.goto(`${mc.agents[0].url}/`);
    await S.row(page, 'server-01').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `page scrolls sideways by ${overflow}px`);
    await S.screenshot(page, 'mock-narrow', { fullPage: false });
  });
});
