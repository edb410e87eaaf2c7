// `npm run screenshot`: takes docs/simulator.png for the README — the demo mid-survey, with an invalid
// answer and its re-prompt on the phone and the REDCap record filling in beside it. The browser is the one
// the browser test drives (scripts/chromium.mjs; CHROMIUM_PATH to override).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemo } from '../dist/demo/demo.js';
import { createLogger } from '../dist/adapters/logging/logger.js';
import { launchChromium } from './chromium.mjs';

const dataDir = mkdtempSync(join(tmpdir(), 'redcap-sms-screenshot-'));
const demo = await startDemo({ dataDir, port: 0, logger: createLogger({ level: 'silent' }) });
// launch() gives the browser a fresh temporary profile (user data dir) of its own.
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1360, height: 820 }, deviceScaleFactor: 1 });
  await page.goto(demo.simulatorUrl);
  await page.click('#invite');
  await page.locator('.bubble.theirs').first().waitFor();
  for (const [text, next] of [['1', 'Feeling down'], ['2', 'Which of these'], ['1,2', 'About how many hours'], ['30', 'outside the allowed range'], ['7', 'next clinic visit']]) {
    await page.fill('#reply', text);
    await page.click('#send');
    await page.locator('.bubble.theirs', { hasText: next }).waitFor();
  }
  await page.locator('#record tr[data-column="sleep_hours"].filled').waitFor();
  await page.screenshot({ path: 'docs/simulator.png' });
  console.log('saved docs/simulator.png');
} finally {
  await browser.close();
  await demo.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
