import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { handleInbound, invite } from '../use-cases/index.js';
import { conversationSettings, durationMs, interviewer, placeConversation, restore } from '../conversation/index.js';
import { parseProjectDesign } from '../config/project-design-file.js';
import type { ProjectDesign } from '../dictionary/project-design.js';
import { loadLanguages } from '../config/load-languages.js';
import { parseDictionary } from '../dictionary/index.js';
import { NO_LANGUAGES, type Languages } from '../languages/index.js';
import type { Survey } from '../dictionary/model.js';
import { parseFixture, stepParts, type Expectation, type Fixture, type Step } from './fixture.js';
import { REPLAY_PROJECT, ReplayWorld, inMemorySqlite, type ReplayStorageFactory } from './world.js';

export interface ReplayResult {
  file: string;
  failures: string[];
  /** The conversation as a human reads it: `>` participant, `<` service, `~` time passing. */
  transcript: string[];
  /** With `update`: the steps rewritten to what actually happened (only when that differs). */
  updatedSteps?: Step[];
}

export interface ReplayOptions {
  update?: boolean;
  /** The project's design, for a fixture in a longitudinal or repeating project. */
  design?: ProjectDesign;
  /** Where the world stores its conversations: in-memory SQLite unless given (the PostgreSQL replay test). */
  storage?: ReplayStorageFactory;
}

/** Replays one fixture file against the real use cases, in memory, with a fake clock. */
export async function replayFile(file: string, options: ReplayOptions = {}): Promise<ReplayResult> {
  const load = parseFixture(readFileSync(file, 'utf8'));
  if (!load.ok) return { file, failures: [load.error], transcript: [] };
  const dictionary = parseDictionary(readFileSync(resolve(dirname(file), load.fixture.dictionary)));
  if (dictionary.survey === null) {
    const errors = dictionary.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
    return { file, failures: [`dictionary has errors: ${errors.join('; ')}`], transcript: [] };
  }
  const languages = loadLanguages(load.fixture.languages, load.fixture.languageField, dirname(file), dictionary.survey);
  if (!languages.ok) {
    return { file, failures: languages.problems.map((problem) => `languages.${problem.path.join('.')}: ${problem.message}`), transcript: [] };
  }
  const design = load.fixture.design === undefined
    ? undefined
    : parseProjectDesign(readFileSync(resolve(dirname(file), load.fixture.design), 'utf8'), dictionary.survey);
  if (design !== undefined && !design.ok) return { file, failures: [`design has errors: ${design.errors.join('; ')}`], transcript: [] };
  if (design === undefined && (load.fixture.event !== undefined || load.fixture.rows !== undefined)) {
    return { file, failures: ['event and rows need design: the project\'s events and repeating instruments'], transcript: [] };
  }
  return { file, ...(await replayFixture(load.fixture, dictionary.survey, { ...options, ...(design === undefined ? {} : { design: design.design }) }, languages.languages)) };
}

interface Run {
  fixture: Fixture;
  design: ProjectDesign | undefined;
  survey: Survey;
  world: ReplayWorld;
  failures: string[];
  transcript: string[];
  /** What the steps would be if every expectation had been written from the actual output. */
  actual: Block[];
}

/** An action with the texts it produced and the assertions after them; `--update` writes steps in this order. */
interface Block {
  action: Step | null;
  expects: Step[];
  asserts: Step[];
}

function current(run: Run): Block {
  const last = run.actual.at(-1);
  if (last !== undefined) return last;
  const first: Block = { action: null, expects: [], asserts: [] };
  run.actual.push(first);
  return first;
}

function beginBlock(run: Run, action: Step, where: string): void {
  flushUnconsumed(run, where);
  run.actual.push({ action, expects: [], asserts: [] });
}

function actualSteps(run: Run): Step[] {
  return run.actual.flatMap((block) => [...(block.action === null ? [] : [block.action]), ...block.expects, ...block.asserts]);
}

export async function replayFixture(fixture: Fixture, survey: Survey, options: ReplayOptions = {}, languages: Languages = NO_LANGUAGES): Promise<Omit<ReplayResult, 'file'>> {
  const settings = conversationSettings(fixture.settings);
  const storage = options.storage === undefined ? inMemorySqlite(new Date(fixture.start)) : await options.storage(new Date(fixture.start));
  const world = new ReplayWorld(fixture.start, settings, fixture.catalog, fixture.record, languages, storage);
  const run: Run = { fixture, design: options.design, survey, world, failures: [], transcript: [], actual: [] };
  try {
    for (const [index, step] of fixture.steps.entries()) await runStep(run, step, index + 1);
    flushUnconsumed(run, 'end of fixture');
  } catch (error) {
    run.failures.push(`stopped: ${(error as Error).message}`);
  } finally {
    await world.close();
  }
  const steps = actualSteps(run);
  const changed = JSON.stringify(steps) !== JSON.stringify(fixture.steps);
  return {
    failures: run.failures,
    transcript: run.transcript,
    ...(options.update === true && changed ? { updatedSteps: steps } : {}),
  };
}

async function runStep(run: Run, step: Step, number: number): Promise<void> {
  const [kind, argument] = stepParts(step);
  const where = `step ${number} (${kind})`;
  switch (kind) {
    case 'invite':
      beginBlock(run, step, where);
      return await doInvite(run, (argument ?? {}) as Exclude<Extract<Step, { invite: unknown }>['invite'], undefined>);
    case 'send':
      beginBlock(run, step, where);
      return await doSend(run, argument as string);
    case 'wait':
      beginBlock(run, step, where);
      run.transcript.push(`~ ${String(argument)}`);
      await run.world.advance(durationMs(argument as string));
      return await checkRoundTrip(run, where);
    case 'expect':
      return expectText(run, argument as Expectation, where, step);
    case 'expect-none':
      return flushUnconsumed(run, where, step);
    case 'expect-record':
      current(run).asserts.push(step);
      return expectRecord(run, argument as Record<string, string>, where);
    case 'expect-status':
      return await expectStatus(run, argument as string | Record<string, string>, where);
  }
}

async function doInvite(run: Run, options: { instrument?: string | undefined; recordId?: string | undefined; phone?: string | undefined; record?: Record<string, string> | undefined; language?: string | undefined }): Promise<void> {
  const { fixture, world } = run;
  const instrument = options.instrument ?? fixture.instrument;
  const placed = run.design === undefined ? undefined : placeConversation(run.design, fixture.rows ?? [], instrument, fixture.event ?? null);
  await invite(world.deps, {
    project: REPLAY_PROJECT,
    survey: run.survey,
    instrument,
    recordId: options.recordId ?? fixture.recordId,
    phone: options.phone ?? fixture.phone,
    record: { ...placed?.record, ...world.redcap, ...options.record },
    ...(placed === undefined ? {} : { place: placed.place }),
    ...(options.language === undefined ? {} : { language: options.language }),
  });
  await world.dispatch();
  await checkRoundTrip(run, 'invite');
}

async function doSend(run: Run, body: string): Promise<void> {
  const { fixture, world } = run;
  run.transcript.push(`> ${body}`);
  await handleInbound(world.deps, {
    provider: 'replay', providerMessageId: world.nextMessageId(), project: REPLAY_PROJECT, from: fixture.phone, body,
  });
  await world.dispatch();
  await checkRoundTrip(run, `send "${body}"`);
}

function matches(expectation: Expectation, text: string): boolean {
  if (typeof expectation === 'string') return expectation === text;
  if ('contains' in expectation) return text.includes(expectation.contains);
  return new RegExp(expectation.matches, 'u').test(text);
}

function expectText(run: Run, expectation: Expectation, where: string, step: Step): void {
  const text = run.world.inbox.shift();
  if (text === undefined) {
    run.failures.push(`${where}: expected a text ${JSON.stringify(expectation)}, but nothing was sent`);
    return;
  }
  run.transcript.push(`< ${text}`);
  const ok = matches(expectation, text);
  if (!ok) run.failures.push(`${where}: expected ${JSON.stringify(expectation)}\n    but got ${JSON.stringify(text)}`);
  current(run).expects.push(ok ? step : { expect: text });
}

/** Output nobody expected is a failure: a fixture must account for every text the participant got. */
function flushUnconsumed(run: Run, where: string, expectNone?: Step): void {
  const texts = run.world.inbox.splice(0);
  for (const text of texts) {
    run.transcript.push(`< ${text}`);
    run.failures.push(`${where}: unexpected text ${JSON.stringify(text)}`);
    current(run).expects.push({ expect: text });
  }
  if (expectNone !== undefined && texts.length === 0) current(run).expects.push(expectNone);
}

function expectRecord(run: Run, expected: Record<string, string>, where: string): void {
  for (const [field, value] of Object.entries(expected)) {
    const actual = run.world.redcap[field] ?? '';
    if (actual !== value) run.failures.push(`${where}: REDCap ${field} = ${JSON.stringify(actual)}, expected ${JSON.stringify(value)}`);
  }
}

async function expectStatus(run: Run, expected: string | Record<string, string>, where: string): Promise<void> {
  const conversations = await run.world.store.conversations(REPLAY_PROJECT);
  const actual = typeof expected === 'string'
    ? conversations.at(-1)?.status ?? 'none'
    : Object.fromEntries(Object.keys(expected).map((instrument) => [instrument, latestStatus(conversations, instrument)]));
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    run.failures.push(`${where}: status ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
  }
  current(run).asserts.push({ 'expect-status': expected });
}

function latestStatus(conversations: { instrument: string; status: string }[], instrument: string): string {
  return conversations.filter((c) => c.instrument === instrument).at(-1)?.status ?? 'none';
}

/** Every stored snapshot must restore to itself: serialisation bugs cannot hide between steps. */
async function checkRoundTrip(run: Run, where: string): Promise<void> {
  for (const row of await run.world.store.conversations(REPLAY_PROJECT)) {
    const again = JSON.stringify(interviewer.getPersistedSnapshot(restore(row.snapshot)));
    if (again !== JSON.stringify(row.snapshot)) run.failures.push(`${where}: snapshot of ${row.id} did not survive a round trip`);
  }
}
