import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemo, type RunningDemo } from '../../src/demo/demo.js';
import { createLogger } from '../../src/adapters/logging/logger.js';

/** The embedded demo on an ephemeral loopback port with its data in a fresh temporary folder. */
export async function demoInTempDir(dataDir = mkdtempSync(join(tmpdir(), 'redcap-sms-demo-'))): Promise<RunningDemo & { dataDir: string; cleanUp(): Promise<void> }> {
  const demo = await startDemo({ dataDir, port: 0, logger: createLogger({ level: 'silent' }) });
  return {
    ...demo,
    dataDir,
    async cleanUp() {
      await demo.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls `probe` until it returns a value (not undefined) or `timeoutMs` passes. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
