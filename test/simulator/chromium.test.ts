import { accessSync, chmodSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findChromium } from '../../scripts/chromium.mjs';

/** Which browser the browser test and `npm run screenshot` drive (scripts/chromium.mjs, decision 0030). */

const bin = mkdtempSync(join(tmpdir(), 'redcap-sms-chromium-'));
const fakeChromium = join(bin, 'chromium');
writeFileSync(fakeChromium, '#!/bin/sh\n');
chmodSync(fakeChromium, 0o755);
afterAll(() => rmSync(bin, { recursive: true, force: true }));

describe('finding a Chromium', () => {
  it('when CHROMIUM_PATH is set, then that file is used whatever else the machine has', async () => {
    await expect(findChromium({ env: { CHROMIUM_PATH: fakeChromium, PATH: '' } })).resolves.toEqual({ path: fakeChromium, source: 'CHROMIUM_PATH' });
  });

  it('when CHROMIUM_PATH names a file that does not exist, then the lookup fails naming the variable', async () => {
    await expect(findChromium({ env: { CHROMIUM_PATH: join(bin, 'missing') } })).rejects.toThrow(/^CHROMIUM_PATH=.*missing is not an executable file$/);
  });

  it('when a Linux x64 machine has no Chromium of its own, then the one bundled by @sparticuz/chromium is unpacked and used', async () => {
    const found = await findChromium({ env: { PATH: '' }, platform: 'linux', arch: 'x64' });
    expect(found.source).toBe('@sparticuz/chromium');
    expect(found.path).toMatch(/node_modules\/\.cache\/redcap-sms-chromium\/[\d.]+\/chromium$/);
    expect(() => accessSync(found.path, constants.X_OK)).not.toThrow();
  });

  it('when the bundled Chromium cannot run there (not Linux x64), then a chromium on the PATH is used', async () => {
    await expect(findChromium({ env: { PATH: bin }, platform: 'linux', arch: 'arm64' })).resolves.toEqual({ path: fakeChromium, source: 'system' });
  });

  it('when nothing is found, then the error says to set CHROMIUM_PATH', async () => {
    await expect(findChromium({ env: { PATH: '' }, platform: 'freebsd', arch: 'x64' })).rejects.toThrow(/set CHROMIUM_PATH/);
  });
});
