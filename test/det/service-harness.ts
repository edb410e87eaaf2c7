/** The real service (composeService) with a project file, against the REDCap emulator on 127.0.0.1. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { stringify } from 'yaml';
import { FakeClock, sequentialIds } from '../../src/adapters/clock.js';
import { createLogger } from '../../src/adapters/logging/logger.js';
import { createRedcapClient } from '../../src/adapters/redcap/index.js';
import { createRedcapEmulator, type EmulatorProjectConfig } from '../../src/demo/redcap-emulator/index.js';
import { composeService } from '../../src/composition/service.js';
import { loadConfig } from '../../src/config/env.js';
import { loadProjects } from '../../src/config/projects.js';
import { studySettings } from '../writeback/harness.js';

export const ADMIN_TOKEN = 'admin-token-0123456789abcdef';

export function serviceEnv(projectsFile: string, databasePath = ':memory:'): Record<string, string> {
  return {
    DATABASE_PATH: databasePath,
    PUBLIC_URL: 'https://sms.example.org',
    ADMIN_TOKEN,
    TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
    TWILIO_AUTH_TOKEN: 'twilio-auth-token',
    REDCAP_SMS_PROJECTS: projectsFile,
    LOG_SALT: 'log-salt-0123456789abcdef',
    LOG_LEVEL: 'silent',
  };
}

/** A project file for one project `study`, with `settings` merged in. */
export function writeProjectFile(url: string, settings: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'redcap-sms-det-'));
  const file = join(dir, 'projects.yaml');
  writeFileSync(file, stringify({
    projects: {
      study: { ...studySettings(url), ...settings },
    },
  }));
  return file;
}

export async function startService(emulated: EmulatorProjectConfig, settings: Record<string, unknown> = {}, start = '2026-03-10T20:00:00.000Z') {
  const emulator = createRedcapEmulator({ projects: [emulated] });
  const running = await emulator.listen();
  const env = serviceEnv(writeProjectFile(running.url, settings));
  const config = loadConfig(env);
  const clock = new FakeClock(start);
  const service = composeService(config, loadProjects(config, env), {
    clock, newId: sequentialIds('conv-'), logger: createLogger({ level: 'silent' }),
    redcapClient: (p) => createRedcapClient({ url: p.redcap.url, token: p.redcap.token, retries: 0, timeoutMs: 2_000 }),
  });
  const http = request(service.app);
  return {
    emulator, clock, service, http,
    /** REDCap's Data Entry Trigger post for a record. */
    det: (fields: Record<string, string>) =>
      http.post('/webhooks/redcap/det').type('form').send({
        project_id: String(emulated.projectId), redcap_url: 'https://redcap.example.org/', project_url: 'https://redcap.example.org/x', ...fields,
      }),
    smsTo: (phone: string) =>
      (service.db.prepare(`SELECT kind, payload, created_at AS at FROM outbox WHERE channel = 'sms' AND phone = ? ORDER BY id`).all(phone) as { kind: string; payload: string; at: string }[])
        .map((row) => ({ kind: row.kind, body: (JSON.parse(row.payload) as { body: string }).body, at: row.at })),
    async close() {
      await service.close();
      await running.close();
    },
  };
}
