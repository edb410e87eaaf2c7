/**
 * The write-back in a service with two projects: each project's pending writes are read on their own, so
 * one project's backlog never hides another's answers (decision 0012, addendum).
 */
import { afterEach, describe, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock, sequentialIds } from '../../src/adapters/clock.js';
import { createLogger } from '../../src/adapters/logging/logger.js';
import { createRedcapClient, createRedcapEmulator, type RedcapEmulator, type RunningEmulator } from '../../src/adapters/redcap/index.js';
import { handleInbound } from '../../src/app/index.js';
import { ROWS_PER_PROJECT } from '../../src/app/write-back.js';
import { composeService, type Service } from '../../src/app/service.js';
import { loadConfig } from '../../src/config/env.js';
import { loadProjects } from '../../src/config/projects.js';
import { serviceEnv } from '../det/service-harness.js';
import { PHONE, STUDY_CSV, TOKEN, classicStudy, studySettings } from './harness.js';

const OTHER_TOKEN = 'D0D0CAFE0123456789ABCDEF01234567';
const OTHER_PHONE = '+16503803406';

let running: RunningEmulator | undefined;
let service: Service | undefined;

afterEach(async () => {
  await service?.close();
  await running?.close();
  service = undefined;
  running = undefined;
});

/** Two studies on one REDCap server, each with its own token and sender, served by one service. */
async function startTwoProjects(): Promise<{ emulator: RedcapEmulator; clock: FakeClock; service: Service }> {
  const emulator = createRedcapEmulator({
    projects: [
      classicStudy({ records: [{ record_id: '1', phone: PHONE }] }),
      { token: OTHER_TOKEN, projectId: 41, dictionary: STUDY_CSV, records: [{ record_id: '1', phone: OTHER_PHONE }] },
    ],
  });
  running = await emulator.listen();
  const file = join(mkdtempSync(join(tmpdir(), 'redcap-sms-two-')), 'projects.yaml');
  writeFileSync(file, stringify({
    projects: {
      study: studySettings(running.url),
      other: { ...studySettings(running.url), redcap: { url: running.url, token: OTHER_TOKEN }, sender: { from: '+16505550101' } },
    },
  }));
  const env = serviceEnv(file);
  const config = loadConfig(env);
  const clock = new FakeClock('2026-03-10T14:00:00.000Z');
  service = composeService(config, loadProjects(config, env), {
    clock, newId: sequentialIds('conv-'), logger: createLogger({ level: 'silent' }),
    redcapClient: (p) => createRedcapClient({ url: p.redcap.url, token: p.redcap.token, retries: 0, timeoutMs: 2_000 }),
  });
  return { emulator, clock, service };
}

async function inviteAndAnswer(s: Service, clock: FakeClock, project: string, phone: string, body: string): Promise<void> {
  const now = clock.now().toISOString();
  s.redcap.sync.scheduleInvitation({ project, recordId: '1', instrument: 'daily', event: '', repeatInstance: 0, mode: 'sms', sendAt: now, createdAt: now });
  await s.redcap.sendDueInvitations();
  handleInbound(s.conversations, { provider: 'test', providerMessageId: `SM-${project}`, project, from: phone, body });
}

describe('two projects on one service', () => {
  test('when one project has more writes waiting out an outage than a round reads, then the other project’s answer still lands', async () => {
    const { emulator, clock, service: s } = await startTwoProjects();
    await inviteAndAnswer(s, clock, 'study', PHONE, '1');
    emulator.failNext(1);
    expect((await s.redcap.writer.runOnce()).retried).toBe(1);
    // A long outage in a large study: far more of its writes wait for a retry than one round reads.
    s.db.prepare(`
      INSERT INTO outbox (conversation_id, project, channel, kind, phone, payload, status, next_attempt_at, created_at)
      SELECT o.conversation_id, o.project, o.channel, o.kind, o.phone, o.payload, o.status, o.next_attempt_at, o.created_at
      FROM outbox o, (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) SELECT i FROM n)
      WHERE o.channel = 'redcap' AND o.status = 'pending'`).run(ROWS_PER_PROJECT);
    await inviteAndAnswer(s, clock, 'other', OTHER_PHONE, '3');

    const report = await s.redcap.writer.runOnce();

    expect(report).toMatchObject({ sent: 1, retried: 0 });
    const landed = emulator.state.projects.get(OTHER_TOKEN)!.records.list().find((stored) => stored.key.record === '1');
    expect(Object.fromEntries(landed!.values)).toMatchObject({ mood: '3' });
    expect(emulator.state.projects.get(TOKEN)!.records.list().find((stored) => stored.key.record === '1')!.values.get('mood')).toBeUndefined();
  });
});
