import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startDemo, type RunningDemo } from '../../src/demo/demo.js';
import { createLogger } from '../../src/adapters/logging/logger.js';

/** The embedded demo on an ephemeral loopback port with its data in a fresh temporary folder. */
export async function demoInTempDir(
  dataDir = mkdtempSync(join(tmpdir(), 'redcap-sms-demo-')), databaseUrl?: string,
): Promise<RunningDemo & { dataDir: string; cleanUp(): Promise<void> }> {
  const demo = await startDemo({ dataDir, port: 0, databaseUrl, logger: createLogger({ level: 'silent' }) });
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

export type Demo = Awaited<ReturnType<typeof demoInTempDir>>;

/** What the simulator page shows of a participant. */
export interface View {
  participant: { recordId: string; phone: string | null };
  messages: { id: number; direction: string; body: string; sid: string; at: string }[];
  record: { column: string; value: string }[];
  status: string | null;
}

export const view = async (demo: Demo, record: string) => (await request(demo.baseUrl).get(`/simulator/api/participants/${record}`)).body as View;
export const value = (v: View, column: string) => v.record.find((cell) => cell.column === column)?.value;
/** The participant's handset texts the service. */
export const text = (demo: Demo, record: string, body: string) => request(demo.baseUrl).post(`/simulator/api/participants/${record}/texts`).send({ body }).expect(202);

/** Waits until the participant's phone shows `count` texts from the service. */
export const received = (demo: Demo, record: string, count: number) =>
  eventually(async () => {
    const v = await view(demo, record);
    return v.messages.filter((m) => m.direction === 'out').length >= count ? v : undefined;
  });

/** Invites the participant, answers the first question (phq1) with `answer`, and waits until REDCap holds it. */
export async function answerFirstQuestion(demo: Demo, record: string, answer: string): Promise<void> {
  await request(demo.baseUrl).post(`/simulator/api/participants/${record}/invite`).expect(201);
  await received(demo, record, 1);
  await text(demo, record, answer);
  await eventually(async () => (value(await view(demo, record), 'phq1') === answer ? true : undefined));
}
