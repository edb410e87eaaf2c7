import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../scripts/chromium.mjs';
import { demoInTempDir } from '../demo/harness.js';

/**
 * The demo in headless Chromium (scripts/chromium.mjs: CHROMIUM_PATH, else the Chromium bundled by the
 * @sparticuz/chromium devDependency, else one on the PATH): a participant takes the PHQ survey through
 * the phone simulator, and the REDCap record beside the chat fills in.
 */

let demo: Awaited<ReturnType<typeof demoInTempDir>>;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  demo = await demoInTempDir();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await demo?.cleanUp();
});

afterEach(async (context) => {
  // A failing run leaves a picture of the page behind.
  if (context.task.result?.state === 'fail' && page !== undefined) {
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: `test-results/simulator-${Date.now()}.png`, fullPage: true });
  }
});

/** Types a reply in the phone and waits until the service's next text arrives. */
async function reply(text: string, expected: string | RegExp): Promise<void> {
  const before = await page.locator('.bubble.theirs').count();
  await page.fill('#reply', text);
  await page.click('#send');
  await page.locator('.bubble.mine', { hasText: text }).last().waitFor();
  await page.locator('.bubble.theirs').nth(before).waitFor();
  await expect.poll(() => page.locator('.bubble.theirs').last().innerText()).toMatch(expected);
}

const cell = (column: string) => page.locator(`#record tr[data-column="${column}"] td`);

describe('the phone simulator in a browser', () => {
  it('when a participant completes the demo survey with one invalid answer, then the re-prompt shows and the record fills in', async () => {
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(demo.simulatorUrl);
    await page.selectOption('#participant', '2');
    await page.click('#invite');
    await page.locator('.bubble.theirs', { hasText: 'Little interest or pleasure in doing things?' }).waitFor();

    await reply('1', /Feeling down, depressed, or hopeless\?/);
    await reply('2', /Which of these have also bothered you\?/);
    await reply('1,2', /About how many hours did you sleep last night\?/);
    await reply('30', /30 is outside the allowed range \(0–24\)\. Please send a new value\.\nAbout how many hours/);
    await reply('7', /When is your next clinic visit\?/);
    await reply('2026-04-01', /Anything else you want your care team to know\?/);
    await reply('Slept better this week', /Thank you! Your answers have been saved\./);

    await expect.poll(() => page.locator('#status').innerText()).toBe('completed');
    await expect.poll(() => cell('phq_complete').innerText(), { timeout: 10_000 }).toBe('2');
    expect(await cell('phq1').innerText()).toBe('1');
    expect(await cell('phq2').innerText()).toBe('2');
    expect(await cell('phq_more___1').innerText()).toBe('1');
    expect(await cell('phq_more___3').innerText()).toBe('0');
    expect(await cell('sleep_hours').innerText()).toBe('7');
    expect(await cell('next_visit').innerText()).toBe('2026-04-01');
    expect(await cell('comments').innerText()).toBe('Slept better this week');
  });

  it('when the participant texts STOP, then the opt-out reaches the record and START lifts it', async () => {
    await page.click('#stop');
    await expect.poll(() => page.locator('#status').innerText()).toContain('opted out');
    await expect.poll(() => cell('opted_out_at').innerText(), { timeout: 10_000 }).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    await page.click('#start');
    await expect.poll(() => page.locator('#status').innerText()).toBe('completed');
    await expect.poll(() => cell('opted_out_at').innerText(), { timeout: 10_000 }).toBe('');
  });
});
