import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../../src/cli/program.js';
import { replayFile } from '../../src/replay/index.js';

const DICTIONARY = resolve('fixtures/dictionaries/demo-phq.csv');
const folders: string[] = [];

afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** Runs `redcap-sms chat` with `lines` typed on standard input; returns what it printed. */
async function chat(lines: string[], extra: string[] = []) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(
    ['chat', '--dictionary', DICTIONARY, '--instrument', 'phq', '--now', '2026-03-02T15:00:00Z', ...extra],
    { out: (text) => out.push(text), err: (text) => err.push(text), stdin: Readable.from(lines.map((line) => `${line}\n`)), env: {}, cwd: process.cwd() },
  );
  return { code, out: out.join(''), err: err.join('') };
}

function tempFile(name: string): string {
  const folder = mkdtempSync(join(tmpdir(), 'redcap-sms-chat-'));
  folders.push(folder);
  return join(folder, name);
}

describe('redcap-sms chat', () => {
  it('when a participant answers every question, then the texts, re-prompt and completion appear on stdout', async () => {
    const result = await chat(['2', '1', '1,2', 'lots', '7', '2026-04-01', 'no', '/record', '/quit']);
    expect(result.code).toBe(0);
    expect(result.out).toContain('< You are invited to answer a short survey by text message.');
    expect(result.out).toContain('Little interest or pleasure in doing things? (0) Not at all');
    expect(result.out).toContain('Which of these have also bothered you?');
    expect(result.out).toMatch(/About how many hours did you sleep last night\?/);
    expect(result.out).toContain('Thank you! Your answers have been saved.');
    expect(result.out).toContain('phq_more___2 = "1"');
    expect(result.out).toContain('Session ended; conversation completed.');
  });

  it('when the session is recorded, then the saved fixture replays green', async () => {
    const file = tempFile('session.yaml');
    const settings = JSON.stringify({ reminders: ['PT4H'], expiry: 'P1D' });
    const result = await chat(['1', '/wait PT4H', '0', '30', '8', '/stop', '/start', '/quit'], ['--record-fixture', file, '--settings', settings]);
    expect(result.code).toBe(0);
    expect(result.out).toContain('Reminder:');
    const fixture = parse(readFileSync(file, 'utf8')) as { steps: unknown[]; dictionary: string };
    expect(fixture.steps).toContainEqual({ wait: 'PT4H' });
    expect(fixture.steps).toContainEqual({ send: 'STOP' });
    expect(fixture.steps).toContainEqual({ 'expect-record': expect.objectContaining({ phq1: '1', phq2: '0', sleep_hours: '8' }) });
    expect((await replayFile(file)).failures).toEqual([]);
  });

  it('when a command is unknown or a wait is malformed, then it says so and the session carries on', async () => {
    const result = await chat(['/dance', '/wait 4 hours', '/record', '/quit']);
    expect(result.err).toContain('unknown command /dance');
    expect(result.err).toContain('not an ISO-8601 duration');
    expect(result.out).toContain('REDCap: nothing written yet');
  });

  it('when the instrument does not exist, then it exits 2 naming the instruments there are', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['chat', '--dictionary', DICTIONARY, '--instrument', 'nope'], {
      out: (text) => out.push(text), err: (text) => err.push(text), env: {}, cwd: process.cwd(),
    });
    expect(code).toBe(2);
    expect(err.join('')).toContain('no instrument "nope"');
    expect(err.join('')).toContain('contact, phq');
  });

  describe('in a longitudinal project', () => {
    const longitudinal = [
      '--dictionary', resolve('fixtures/dictionaries/derived-phpcap-longitudinal-cross-event.csv'), '--instrument', 'patient_morale_questionnaire',
      '--design', 'fixtures/redcap/designs/phpcap-longitudinal.yaml', '--event', 'dose_2_arm_1',
      '--rows', JSON.stringify([{ study_id: '1', redcap_event_name: 'enrollment_arm_1', sex: '0' }, { study_id: '1', redcap_event_name: 'dose_1_arm_1', avg_pills_pmq: '1' }]),
    ];

    it('when the survey is taken in an event with the record\'s other events, then branching and piping read them, and the session replays', async () => {
      const file = tempFile('longitudinal.yaml');
      const result = await chat(['2', '3', '1', '2', '/quit'], [...longitudinal, '--record-fixture', file]);
      expect(result.code).toBe(0);
      expect(result.out).toContain('(At Dose 1 you said: 5-10)');
      expect(result.out).toContain('Would you be willing to discuss your experiences with a psychiatrist?');
      expect(parse(readFileSync(file, 'utf8'))).toMatchObject({ event: 'dose_2_arm_1', design: expect.stringContaining('phpcap-longitudinal.yaml') });
      expect((await replayFile(file)).failures).toEqual([]);
    });

    it.each([
      ['--event without --design', ['--event', 'dose_2_arm_1'], '--event and --rows need --design'],
      ['an event the design lacks', [...longitudinal.slice(0, 6), '--event', 'week_9_arm_1'], '--event week_9_arm_1 is not in the design'],
      ['rows that are not an array', [...longitudinal.slice(0, 6), '--rows', '{"a":1}'], '--rows must be a JSON array'],
      ['a design naming forms the dictionary lacks', ['--design', 'fixtures/redcap/designs/redcapr-repeating-instruments.yaml'], 'repeating.0.form: bp is not an instrument'],
    ])('when given %s, then it is a usage error that says what to change', async (_, extra, message) => {
      const result = await chat([], extra);
      expect(result.code).toBe(2);
      expect(result.err).toContain(message);
    });
  });
});
