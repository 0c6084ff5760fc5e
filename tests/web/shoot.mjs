// Development aid: screenshots of the page against the mock cluster into tests/web/artifacts/.
//   node tests/web/shoot.mjs [three|fifty]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMockCluster } from './mock_server.mjs';
import { launchBrowser } from './browser.mjs';

const ART = path.join(path.dirname(fileURLToPath(import.meta.url)), 'artifacts');
fs.mkdirSync(ART, { recursive: true });
const kind = process.argv[2] || 'three';
const mc = await startMockCluster({ fixture: kind, agents: 1 });
const b = await launchBrowser();
try {
  const page = await b.newPage();
  await page.goto(mc.agents[0].url + '/');
  await page.locator('[data-testid^="server-row-"]').first().waitFor();
  await page.waitForFunction(() => window.rollcallPage && window.rollcallPage.live, null, { timeout: 10000 });
  await page.screenshot({ path: path.join(ART, `mock-${kind}.png`), fullPage: kind === 'three' });
  const icon = page.locator('[data-testid^="warnings-"] button').nth(1);
  await icon.focus();
  await page.screenshot({ path: path.join(ART, `mock-${kind}-tooltip.png`) });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: path.join(ART, `mock-${kind}-narrow.png`) });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.screenshot({ path: path.join(ART, `mock-${kind}-dark.png`) });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.getByTestId('config-edit').click();
  await page.getByTestId('config-heartbeat_interval').fill('0.5');
  await page.getByTestId('config-token').fill('wrong');
  await page.getByTestId('config-save').click();
  await page.getByTestId('config-message').filter({ hasText: /./ }).waitFor();
  await page.screenshot({ path: path.join(ART, `mock-${kind}-config.png`) });
  await page.locator('[data-testid^="remove-"]').nth(3).click();
  await page.screenshot({ path: path.join(ART, `mock-${kind}-dialog.png`) });
  console.log('errors:', page.consoleErrors, 'offsite:', b.offsite, 'renderMs:', await page.evaluate(() => window.rollcallPage.renderMs));
} finally {
  await b.close();
  await mc.close();
}
