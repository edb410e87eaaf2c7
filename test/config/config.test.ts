import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config/env.js';
import { loadProjects, parseProjectFile } from '../../src/config/projects.js';
import { runCli } from '../../src/cli/program.js';
import { baseEnv } from '../http/service-world.js';
import { problemsOf } from './problems.js';


const without = (name: string) => Object.fromEntries(Object.entries(baseEnv()).filter(([key]) => key !== name));

describe('environment variables', () => {
  test('when every variable is valid, then the config is frozen with defaults filled in', () => {
    const config = loadConfig(baseEnv({ PUBLIC_URL: 'https://sms.example.org/' }));

    expect(config).toMatchObject({ port: 3000, publicUrl: 'https://sms.example.org', sqlite: { synchronous: 'FULL' }, postgres: { claimLeaseSeconds: 120 } });
    expect(config.twilio).toMatchObject({ validateSignature: true, sendRatePerSecond: 1 });
    expect(Object.isFrozen(config.twilio)).toBe(true);
  });

  test.each([
    { name: 'PUBLIC_URL', env: without('PUBLIC_URL'), problem: 'PUBLIC_URL is required' },
    { name: 'TWILIO_AUTH_TOKEN', env: without('TWILIO_AUTH_TOKEN'), problem: 'TWILIO_AUTH_TOKEN is required' },
    { name: 'TWILIO_AUTH_TOKEN blank', env: baseEnv({ TWILIO_AUTH_TOKEN: '  ' }), problem: 'TWILIO_AUTH_TOKEN is required' },
    { name: 'REDCAP_API_TOKEN', env: without('REDCAP_API_TOKEN'), problem: 'REDCAP_API_TOKEN is required (or set REDCAP_SMS_PROJECTS)' },
    { name: 'PORT', env: baseEnv({ PORT: 'eighty' }), problem: 'PORT must be a port number' },
    { name: 'PUBLIC_URL', env: baseEnv({ PUBLIC_URL: 'ftp://x.org' }), problem: 'PUBLIC_URL must be an http(s) URL' },
    { name: 'TIMEZONE', env: baseEnv({ TIMEZONE: 'Mars/Olympus' }), problem: 'TIMEZONE must be an IANA time zone like America/New_York' },
    { name: 'TWILIO_ACCOUNT_SID', env: baseEnv({ TWILIO_ACCOUNT_SID: 'XX123' }), problem: 'TWILIO_ACCOUNT_SID must be a AC… SID (34 characters)' },
    { name: 'TWILIO_FROM_NUMBER', env: baseEnv({ TWILIO_FROM_NUMBER: '555-1234' }), problem: 'TWILIO_FROM_NUMBER must be an E.164 number like +15551234567' },
    { name: 'no sender', env: without('TWILIO_FROM_NUMBER'), problem: 'TWILIO_FROM_NUMBER is required unless TWILIO_MESSAGING_SERVICE_SID is set (or set REDCAP_SMS_PROJECTS)' },
    { name: 'LOG_LEVEL', env: baseEnv({ LOG_LEVEL: 'loud' }), problem: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent' },
    { name: 'SQLITE_SYNCHRONOUS', env: baseEnv({ SQLITE_SYNCHRONOUS: 'MAYBE' }), problem: 'SQLITE_SYNCHRONOUS must be one of FULL, EXTRA, NORMAL, OFF' },
    { name: 'TWILIO_VALIDATE_SIGNATURE', env: baseEnv({ TWILIO_VALIDATE_SIGNATURE: 'perhaps' }), problem: 'TWILIO_VALIDATE_SIGNATURE must be true or false' },
    { name: 'ADMIN_TOKEN', env: baseEnv({ ADMIN_TOKEN: 'short' }), problem: 'ADMIN_TOKEN must be at least 16 characters' },
    { name: 'METRICS_TOKEN', env: baseEnv({ METRICS_TOKEN: 'short' }), problem: 'METRICS_TOKEN must be at least 16 characters' },
    { name: 'DATABASE_URL', env: baseEnv({ DATABASE_URL: 'mysql://app:s3cret@db/sms' }), problem: 'DATABASE_URL must be a postgres:// or postgresql:// URL' },
    { name: 'POSTGRES_CLAIM_LEASE_SECONDS', env: baseEnv({ POSTGRES_CLAIM_LEASE_SECONDS: '1.5' }), problem: 'POSTGRES_CLAIM_LEASE_SECONDS must be a whole number of seconds' },
    { name: 'POSTGRES_CLAIM_LEASE_SECONDS', env: baseEnv({ POSTGRES_CLAIM_LEASE_SECONDS: '0' }), problem: 'POSTGRES_CLAIM_LEASE_SECONDS must be at least 1 second' },
  ])('when $name is wrong, then the one-line problem is "$problem"', ({ env, problem }) => {
    expect(problemsOf(() => loadConfig(env))).toEqual([problem]);
  });

  test.each([
    [undefined, undefined],
    ['postgres://app:s3cret@db.example.org:5432/sms?sslmode=require', 'postgres://app:s3cret@db.example.org:5432/sms?sslmode=require'],
    ['postgresql://app@db/sms', 'postgresql://app@db/sms'],
  ])('when DATABASE_URL is %s, then the storage is PostgreSQL at %s (SQLite when unset)', (url, databaseUrl) => {
    expect(loadConfig(baseEnv(url === undefined ? {} : { DATABASE_URL: url })).databaseUrl).toBe(databaseUrl);
  });

  test('when secrets are wrong, then the message never repeats their values', () => {
    const error = (() => {
      try {
        return loadConfig(baseEnv({ ADMIN_TOKEN: 'hunter2', TWILIO_ACCOUNT_SID: 'ACsecretvalue' }));
      } catch (caught) {
        return caught as Error;
      }
    })() as Error;

    expect(error.message).toContain('ADMIN_TOKEN');
    expect(error.message).not.toContain('hunter2');
    expect(error.message).not.toContain('ACsecretvalue');
  });
});

const GOOD_FILE = `projects:
  phq:
    redcap:
      url: https://redcap.example.org/api/
      token: \${PHQ_TOKEN}
    sender:
      from: "+15550001000"
      ratePerSecond: 3
    phoneField: mobile
    optOutFields: sms_opt_out
    timeZone: America/Chicago
    quietHours: { start: "21:00", end: "08:00" }
    reminders: [PT4H, P1D]
    expiry: P3D
    overlapPolicy: FIRST
    messages:
      conversation.help: "Text STOP to stop."
    invitationRules:
      - instrument: phq9
        when: "[consent] = '1'"
        delay: PT1H
    surveyQueue:
      - instrument: gad7
  gad:
    redcap: { url: https://redcap.example.org/api/, token: literal-token }
    sender: { messagingServiceSid: MG${'c3'.repeat(16)}, numbers: ["+15550002000"] }
    phoneField: phone
    timeZone: UTC
`;

describe('the project file', () => {
  test('when the file is valid, then every project is read with defaults, secrets resolved, routed by number', () => {
    const projects = parseProjectFile(GOOD_FILE, 'projects.yaml', { PHQ_TOKEN: 'from-env' }, 1);

    expect(projects.map((p) => [p.id, p.redcap.token, p.sender.ratePerSecond, p.overlapPolicy])).toEqual([
      ['phq', 'from-env', 3, 'FIRST'],
      ['gad', 'literal-token', 1, 'CHOICE'],
    ]);
    expect(projects[0]?.optOutFields).toEqual(['sms_opt_out']);
    expect(projects[1]?.sender.numbers).toEqual(['+15550002000']);
  });

  test.each([
    { case: 'an unset ${ENV} reference', edit: (t: string) => t, env: {}, problem: 'projects.yaml:5:7: projects.phq.redcap.token refers to ${PHQ_TOKEN}, which is not set' },
    { case: 'a bad time zone', edit: (t: string) => t.replace('America/Chicago', 'Chicago'), problem: 'projects.yaml:11:5: projects.phq.timeZone must be an IANA time zone like America/New_York' },
    { case: 'a bad reminder', edit: (t: string) => t.replace('PT4H', '4 hours'), problem: 'projects.yaml:13:17: projects.phq.reminders.0 must be an ISO 8601 duration like PT4H or P1D' },
    { case: 'an unknown overlap policy', edit: (t: string) => t.replace('FIRST', 'LAST'), problem: 'projects.yaml:15:5: projects.phq.overlapPolicy must be one of OVERWRITE, FIRST, CHOICE' },
    { case: 'a misspelt setting', edit: (t: string) => t.replace('phoneField: mobile', 'phonefield: mobile'), problems: ['projects.yaml:2:3: projects.phq.phoneField is required', 'projects.yaml:9:5: projects.phq.phonefield is not a known setting'] },
    { case: 'a missing phone field', edit: (t: string) => t.replace('    phoneField: phone\n', ''), problem: 'projects.yaml:24:3: projects.gad.phoneField is required' },
    { case: 'an unknown message key', edit: (t: string) => t.replace('conversation.help', 'conversation.nope'), problem: 'projects.yaml:17:7: projects.phq.messages.conversation.nope unknown key (not in the English catalog)' },
    { case: 'a quiet hour that is not a time', edit: (t: string) => t.replace('"21:00"', '"9pm"'), problem: 'projects.yaml:12:19: projects.phq.quietHours.start must be a 24-hour time HH:MM' },
    { case: 'a number owned by two projects', edit: (t: string) => t.replace('"+15550002000"', '"+15550001000"'), problem: 'projects.yaml:26:5: projects.gad.sender number already used by project phq' },
  ])('when the file has $case, then each problem names its line', ({ edit, env, problem, problems }) => {
    const found = problemsOf(() => parseProjectFile(edit(GOOD_FILE), 'projects.yaml', env ?? { PHQ_TOKEN: 'x' }, 1));

    expect(found).toEqual(problems ?? [problem]);
  });

  test('when the file is not YAML, then the problem names the line', () => {
    const problems = problemsOf(() => parseProjectFile('projects:\n  a: [1, 2\n', 'p.yaml', {}, 1));

    expect(problems[0]).toMatch(/^p\.yaml:\d+:\d+: not valid YAML/);
  });

  test('when REDCAP_SMS_PROJECTS names a file, then the variables of the single project are not required', () => {
    const dir = mkdtempSync(join(tmpdir(), 'redcap-sms-'));
    const file = join(dir, 'projects.yaml');
    writeFileSync(file, GOOD_FILE);
    const env = { ...baseEnv(), REDCAP_API_URL: '', REDCAP_API_TOKEN: '', PHONE_FIELD: '', TIMEZONE: '', TWILIO_FROM_NUMBER: '', REDCAP_SMS_PROJECTS: file, PHQ_TOKEN: 't' };

    const registry = loadProjects(loadConfig(env), env);

    expect(registry.forInboundNumber('+15550001000')?.id).toBe('phq');
    expect(registry.forInboundNumber('+15559999999')).toBeUndefined();
  });

  test('when there is no project file, then the variables define one project routed by TWILIO_FROM_NUMBER', () => {
    const env = baseEnv();

    const registry = loadProjects(loadConfig(env), env);

    expect(registry.projects.map((p) => [p.id, p.phoneField, p.timeZone])).toEqual([['default', 'mobile', 'America/New_York']]);
    expect(registry.forInboundNumber('+15550001000')?.id).toBe('default');
  });
});

describe('redcap-sms serve', () => {
  test.each([
    { case: 'a variable is missing', env: without('TWILIO_AUTH_TOKEN'), code: 1, err: /TWILIO_AUTH_TOKEN is required/ },
    { case: 'the project file cannot be read', env: baseEnv({ REDCAP_SMS_PROJECTS: '/nonexistent/projects.yaml' }), code: 1, err: /REDCAP_SMS_PROJECTS: the project file cannot be read/ },
  ])('when $case, then it exits $code with a clear message', async ({ env, code, err }) => {
    const output = { out: '', err: '' };
    const io = { out: (t: string) => void (output.out += t), err: (t: string) => void (output.err += t), env, cwd: process.cwd() };

    const exit = await runCli(['serve'], io);

    expect(exit).toBe(code);
    expect(output.err).toMatch(err);
  });
});
