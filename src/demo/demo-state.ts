/**
 * What the embedded demo keeps in its data folder between runs, beside the database: its tokens, how
 * far the simulator's clock was moved, and the emulated REDCap project's records (the emulator itself
 * lives in memory).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { FlatRecord } from '../ports/redcap/index.js';

const DemoStateSchema = z.object({
  adminToken: z.string().min(16),
  redcapToken: z.string().regex(/^[0-9A-F]{32}$/),
  clockOffsetMs: z.number().nonnegative().default(0),
});
export type DemoState = z.infer<typeof DemoStateSchema>;

const RecordsSchema = z.array(z.record(z.string(), z.string()));

export const demoFiles = (dataDir: string) => ({
  database: join(dataDir, 'redcap-sms.db'),
  state: join(dataDir, 'demo.json'),
  records: join(dataDir, 'demo-redcap-records.json'),
});

/** The saved state, or a fresh one (new tokens, no clock offset) when there is none or it is unreadable. */
export function readDemoState(dataDir: string): DemoState {
  const saved = readJson(demoFiles(dataDir).state, DemoStateSchema);
  return saved ?? {
    adminToken: `demo-${randomBytes(12).toString('hex')}`,
    redcapToken: randomBytes(16).toString('hex').toUpperCase(),
    clockOffsetMs: 0,
  };
}

export function writeDemoState(dataDir: string, state: DemoState): void {
  writeAtomically(demoFiles(dataDir).state, state);
}

/** The REDCap records saved by an earlier run, if any. */
export function readSavedRecords(dataDir: string): FlatRecord[] | undefined {
  return readJson(demoFiles(dataDir).records, RecordsSchema);
}

export function writeSavedRecords(dataDir: string, records: readonly FlatRecord[]): void {
  writeAtomically(demoFiles(dataDir).records, records);
}

function readJson<T>(file: string, schema: z.ZodType<T>): T | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Write-then-rename, so a demo killed mid-write never leaves half a file behind. */
function writeAtomically(file: string, value: unknown): void {
  writeFileSync(`${file}.tmp`, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}
