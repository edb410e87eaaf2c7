/**
 * What a real server process of the reliability suite talks to: the REDCap emulator holding the study,
 * the recording fake Twilio API, a project file, a database path in a fresh folder, and the environment
 * `redcap-sms serve` reads. Shared by the crash and engine-thread specifications.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { createRedcapEmulator, type RedcapEmulator, type RunningEmulator } from '../../../src/demo/redcap-emulator/index.js';
import {
  ACCOUNT_SID, ADMIN_TOKEN, AUTH_TOKEN, LOG_SALT, PUBLIC_URL, REDCAP_PROJECT_ID, emulatedProject, projectFileYaml,
  type Participant,
} from './study.js';
import { recordingTwilio, type RecordingTwilio } from './twilio-recorder.js';

export interface StudyEdges {
  readonly folder: string;
  readonly dbPath: string;
  readonly emulator: RedcapEmulator;
  readonly redcap: RunningEmulator;
  readonly twilio: RecordingTwilio;
  /** The service's environment: database, public URL, tokens, the fake Twilio API, the project file. */
  readonly env: Record<string, string>;
  close(): Promise<void>;
}

export async function studyEdges(
  participants: readonly Participant[], name: string, options: { readonly ratePerSecond?: number } = {},
): Promise<StudyEdges> {
  const folder = mkdtempSync(join(tmpdir(), `redcap-sms-${name}-`));
  const emulator = createRedcapEmulator({ projects: [emulatedProject(participants)] });
  const redcap = await emulator.listen();
  const twilio = await recordingTwilio();
  const projectFile = join(folder, 'projects.yaml');
  writeFileSync(projectFile, projectFileYaml(redcap.url, options.ratePerSecond));
  const dbPath = join(folder, 'redcap-sms.db');
  return {
    folder, dbPath, emulator, redcap, twilio,
    env: {
      DATABASE_PATH: dbPath, PUBLIC_URL, ADMIN_TOKEN, LOG_SALT, LOG_LEVEL: 'debug',
      TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN, TWILIO_API_BASE_URL: twilio.baseUrl,
      REDCAP_SMS_PROJECTS: projectFile,
    },
    async close() {
      await twilio.close();
      await redcap.close();
      if (process.env.RELIABILITY_KEEP === undefined) rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** Posts REDCap's Data Entry Trigger for a record until the server (perhaps restarting) acknowledges it. */
export async function postDet(baseUrl: () => string, recordId: string, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${baseUrl()}/webhooks/redcap/det`, {
        method: 'POST', signal: AbortSignal.timeout(5_000),
        body: new URLSearchParams({ project_id: String(REDCAP_PROJECT_ID), record: recordId, instrument: 'contact' }),
      });
      await response.text();
      if (response.ok) return;
    } catch {
      // down: try again
    }
    await sleep(50);
  }
  throw new Error('the Data Entry Trigger was never acknowledged');
}

/** What the server still has to do: pending texts and REDCap writes, and invitations not yet sent. */
export const PENDING_WORK_SQL = `SELECT (SELECT COUNT(*) FROM outbox WHERE status = 'pending')
  + (SELECT COUNT(*) FROM scheduled_invitations WHERE status = 'pending') AS n`;

/** Waits until `pending` (a count of PENDING_WORK_SQL on the server's database) is zero. */
export async function untilNothingPending(pending: () => Promise<number | string> | number, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    if (Number(await pending()) === 0) return;
    await sleep(100);
  }
  throw new Error('work was still pending at the deadline');
}

/** Waits until the server on a SQLite file has nothing left to send to Twilio or REDCap. */
export async function quiescent(dbPath: string, deadline: number): Promise<void> {
  const reader = new Database(dbPath, { readonly: true });
  try {
    await untilNothingPending(() => (reader.prepare(PENDING_WORK_SQL).get() as { n: number }).n, deadline);
  } finally {
    reader.close();
  }
}
