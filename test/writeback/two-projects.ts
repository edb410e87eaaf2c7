/**
 * Two studies on one REDCap server, each with its own token and sender, served by one service: the
 * harness for the specs on what one project's backlog or outage may not do to another's.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { FakeClock, sequentialIds } from '../../src/adapters/clock.js';
import { createLogger } from '../../src/adapters/logging/logger.js';
import { createRedcapClient } from '../../src/adapters/redcap/index.js';
import type { FlatRecord } from '../../src/ports/redcap/index.js';
import { createRedcapEmulator, type RedcapEmulator } from '../../src/demo/redcap-emulator/index.js';
import { composeService, type Service } from '../../src/composition/service.js';
import { loadConfig } from '../../src/config/env.js';
import { loadProjects } from '../../src/config/projects.js';
import { serviceEnv } from '../det/service-harness.js';
import { PHONE, STUDY_CSV, classicStudy, studySettings } from './harness.js';

export const OTHER_TOKEN = 'D0D0CAFE0123456789ABCDEF01234567';
export const OTHER_PHONE = '+16503803406';

export interface TwoProjects {
  emulator: RedcapEmulator;
  clock: FakeClock;
  service: Service;
  close(): Promise<void>;
}

/**
 * `study` (token TOKEN) and `other` (OTHER_TOKEN), each with record 1 unless told which records they hold,
 * and each with the project-file settings it is given on top of the study's.
 */
export async function startTwoProjects(
  records: { study?: FlatRecord[]; other?: FlatRecord[] } = {}, settings: { study?: Record<string, unknown>; other?: Record<string, unknown> } = {},
): Promise<TwoProjects> {
  const emulator = createRedcapEmulator({
    projects: [
      classicStudy({ records: records.study ?? [{ record_id: '1', phone: PHONE }] }),
      { token: OTHER_TOKEN, projectId: 41, dictionary: STUDY_CSV, records: records.other ?? [{ record_id: '1', phone: OTHER_PHONE }] },
    ],
  });
  const running = await emulator.listen();
  const file = join(mkdtempSync(join(tmpdir(), 'redcap-sms-two-')), 'projects.yaml');
  writeFileSync(file, stringify({
    projects: {
      study: { ...studySettings(running.url), ...settings.study },
      other: { ...studySettings(running.url), redcap: { url: running.url, token: OTHER_TOKEN }, sender: { from: '+16505550101' }, ...settings.other },
    },
  }));
  const env = serviceEnv(file);
  const config = loadConfig(env);
  const clock = new FakeClock('2026-03-10T14:00:00.000Z');
  const service = composeService(config, loadProjects(config, env), {
    clock, newId: sequentialIds('conv-'), logger: createLogger({ level: 'silent' }),
    redcapClient: (p) => createRedcapClient({ url: p.redcap.url, token: p.redcap.token, retries: 0, timeoutMs: 2_000 }),
  });
  return {
    emulator, clock, service,
    close: async () => {
      await service.close();
      await running.close();
    },
  };
}
