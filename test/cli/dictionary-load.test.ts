import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, test } from 'vitest';
import { createRedcapEmulator, type RunningEmulator } from '../../src/demo/redcap-emulator/index.js';
import { loadSurvey } from '../../src/use-cases/survey-versions.js';
import type { CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { ADMIN_TOKEN, serviceEnv, startService, writeProjectFile } from '../det/service-harness.js';
import { PHONE, STUDY_CSV, classicStudy } from '../writeback/harness.js';

const FIXTURES = new URL('../../fixtures/dictionaries/', import.meta.url).pathname;

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

/** A configured project `study` (project file) with a database file, and a REDCap emulator behind it. */
async function cliWorld(dictionary = STUDY_CSV) {
  const emulator: RunningEmulator = await createRedcapEmulator({ projects: [classicStudy({ dictionary })] }).listen();
  cleanup = () => emulator.close();
  const dir = mkdtempSync(join(tmpdir(), 'redcap-sms-cli-'));
  const databasePath = join(dir, 'sms.db');
  const env = serviceEnv(writeProjectFile(emulator.url), databasePath);
  const run = async (...argv: string[]) => {
    let out = '';
    let err = '';
    const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), env, cwd: dir };
    const code = await runCli(argv, io);
    return { code, out, err };
  };
  const stored = () => {
    const db = new Database(databasePath, { readonly: true });
    try {
      return db.prepare('SELECT project, survey_version AS version, source FROM project_surveys ORDER BY id').all();
    } catch {
      return []; // the database was never created
    } finally {
      db.close();
    }
  };
  return { dir, run, stored, url: emulator.url };
}

describe('redcap-sms dictionary load', () => {
  test('when a valid Designer CSV is loaded, then a new survey version is stored and reported (exit 0)', async () => {
    const world = await cliWorld();
    writeFileSync(join(world.dir, 'study.csv'), STUDY_CSV);

    const result = await world.run('dictionary', 'load', 'study.csv', '--project', 'study');

    expect(result.code).toBe(0);
    expect(result.out).toMatch(/Stored survey version \w{12} for project study \(contact, daily, weekly\)/);
    expect(world.stored()).toEqual([{ project: 'study', version: expect.any(String), source: 'load' }]);
  });

  test('when the same dictionary is loaded again, then nothing new is stored', async () => {
    const world = await cliWorld();
    writeFileSync(join(world.dir, 'study.csv'), STUDY_CSV);
    await world.run('dictionary', 'load', 'study.csv', '--project', 'study');

    const again = await world.run('dictionary', 'load', 'study.csv', '--project', 'study');

    expect(again.code).toBe(0);
    expect(again.out).toMatch(/already the active one/);
    expect(world.stored()).toHaveLength(1);
  });

  test.each([
    { file: 'bad/many-errors.csv' },
    { file: 'bad/unknown-field-type.csv' },
    { file: 'bad/not-metadata.json' },
  ])('when $file has errors, then it is refused whole: exit 1, the errors listed, nothing stored', async ({ file }) => {
    const world = await cliWorld();

    const result = await world.run('dictionary', 'load', join(FIXTURES, file), '--project', 'study');

    expect(result.code).toBe(1);
    expect(result.out).toMatch(/error\(s\)/);
    expect(result.err).toMatch(/nothing was stored for project study/);
    expect(world.stored()).toEqual([]);
  });

  test.each([
    { case: 'a project that is not configured', argv: ['dictionary', 'load', 'x.csv', '--project', 'nope'], message: /no such file|no project "nope"/ },
    { case: 'no --project', argv: ['dictionary', 'pull'], message: /--project/ },
  ])('when given $case, then it is a usage error (exit 2)', async ({ argv, message }) => {
    const world = await cliWorld();

    const result = await world.run(...argv);

    expect(result.code).toBe(2);
    expect(result.err).toMatch(message);
  });
});

describe('redcap-sms dictionary pull', () => {
  test('when the project\'s REDCap serves its metadata, then it is stored as a new version (exit 0)', async () => {
    const world = await cliWorld();

    const result = await world.run('dictionary', 'pull', '--project', 'study', '--json');

    expect(result.code).toBe(0);
    const summary = JSON.parse(result.out) as { stored: boolean; version: string; report: { instruments: { name: string }[] } };
    expect(summary).toMatchObject({ stored: true });
    expect(summary.report.instruments.map((i) => i.name)).toEqual(['contact', 'daily', 'weekly']);
    expect(world.stored()).toEqual([{ project: 'study', version: summary.version, source: 'pull' }]);
  });

  test('when REDCap refuses the token, then the command fails (exit 1) without showing the token', async () => {
    const world = await cliWorld();
    const wrongToken = 'DEADBEEF0123456789ABCDEF01234567';
    const env = serviceEnv(writeProjectFile(world.url, { redcap: { url: world.url, token: wrongToken } }), join(world.dir, 'other.db'));
    let err = '';
    const code = await runCli(['dictionary', 'pull', '--project', 'study'], { out: () => {}, err: (t) => void (err += t), env, cwd: world.dir });

    expect(code).toBe(1);
    expect(err).toMatch(/^error: .*permissions/);
    expect(err).not.toContain(wrongToken);
  });
});

describe('the service: survey versions over HTTP', () => {
  const bearer = `Bearer ${ADMIN_TOKEN}`;

  test('when the dictionary is refreshed, then GET /api/projects/:id shows the active version, its instruments and what SMS cannot ask', async () => {
    const world = await startService(classicStudy({ records: [{ record_id: '1', phone: PHONE }] }));
    cleanup = world.close;

    const before = await world.http.get('/api/projects/study').set('Authorization', bearer);
    const refresh = await world.http.post('/api/projects/study/dictionary/refresh').set('Authorization', bearer);
    const after = await world.http.get('/api/projects/study').set('Authorization', bearer);

    expect(before.body).toEqual({ project: 'study', activeVersion: null });
    expect(refresh.status).toBe(200);
    expect(refresh.body).toMatchObject({ changed: true, version: expect.any(String) });
    expect(after.body.activeVersion).toMatchObject({ id: refresh.body.version, source: 'pull', recordIdField: 'record_id' });
    const contact = (after.body.activeVersion.instruments as { name: string; notAskable: unknown[] }[]).find((i) => i.name === 'contact');
    expect(contact?.notAskable).toEqual([]);
  });

  test.each([
    { case: 'without the admin token', path: '/api/projects/study', auth: undefined, status: 401 },
    { case: 'for an unknown project', path: '/api/projects/nope', auth: bearer, status: 404 },
    { case: 'a refresh without the admin token', path: '/api/projects/study/dictionary/refresh', auth: undefined, status: 401, post: true },
  ])('when asked $case, then $status', async ({ path, auth, status, post }) => {
    const world = await startService(classicStudy());
    cleanup = world.close;

    const call = post === true ? world.http.post(path) : world.http.get(path);
    const response = await (auth === undefined ? call : call.set('Authorization', auth));

    expect(response.status).toBe(status);
  });

  test('when a new version is loaded, then new conversations use it and running ones keep theirs', async () => {
    const world = await startService(classicStudy({
      records: [{ record_id: '1', phone: PHONE, group: '1' }, { record_id: '2', phone: '+16503809999', group: '1' }],
    }), { invitationRules: [{ instrument: 'daily', when: "[group] = '1'" }] });
    cleanup = world.close;
    const first = await world.http.post('/api/projects/study/dictionary/refresh').set('Authorization', bearer);
    await world.det({ record: '1', instrument: 'contact' });
    await world.service.redcap.sendDueInvitations();

    const edited = STUDY_CSV.replace('How is your mood?', 'How do you feel today?');
    const { store } = world.service.conversations;
    const second = await loadSurvey({ store, sync: world.service.redcap.sync, clock: world.clock }, 'study', edited, 'csv', 'load');
    await world.det({ record: '2', instrument: 'contact' });
    await world.service.redcap.sendDueInvitations();

    const versions = world.service.db.prepare('SELECT record_id AS record, survey_version AS version FROM conversations ORDER BY record_id').all();
    expect(second.ok).toBe(true);
    expect(versions).toEqual([
      { record: '1', version: first.body.version },
      { record: '2', version: second.ok ? second.survey.id : 'refused' },
    ]);
    expect(world.smsTo('+16503809999')[0]!.body).toMatch(/How do you feel today\?/);
  });
});
