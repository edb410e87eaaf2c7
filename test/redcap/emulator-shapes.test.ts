import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDictionary } from '../../src/dictionary/index.js';
import type { Field } from '../../src/dictionary/model.js';
import { metadataRows } from '../../src/demo/redcap-emulator/metadata.js';
import {
  TOKEN, fixtureJson, fixtureText, longitudinalProject, simpleProject, startEmulator, type Harness,
} from './support.js';

type Json = Record<string, unknown>;

/** Each key with the JSON type of its value: what "the same shape" means for a recorded body. */
const shapeOf = (object: Json): Record<string, string> =>
  Object.fromEntries(Object.entries(object).map(([key, value]) => [key, value === null ? 'null' : typeof value]));

async function post(url: string, params: Record<string, string>): Promise<{ status: number; body: string }> {
  const reply = await fetch(url, { method: 'POST', body: new URLSearchParams(params) });
  return { status: reply.status, body: await reply.text() };
}

async function postJson(harness: Harness, content: string, extra: Record<string, string> = {}): Promise<unknown> {
  const reply = await post(harness.url, { token: TOKEN, content, format: 'json', ...extra });
  expect(reply.status).toBe(200);
  return JSON.parse(reply.body);
}

describe('emulator answers have the shapes of recorded REDCap answers', () => {
  let classic: Harness;
  let longitudinal: Harness;
  beforeAll(async () => {
    classic = await startEmulator([simpleProject({ records: [{ record_id: '1', demographics_complete: '2' }] })]);
    longitudinal = await startEmulator([longitudinalProject({
      events: [{ unique_event_name: 'event_1_arm_1', event_name: 'event_1' }, { unique_event_name: 'event_2_arm_1', event_name: 'event_2' }],
      formEventMapping: [{ unique_event_name: 'event_1_arm_1', form: 'demographics' }, { unique_event_name: 'event_2_arm_1', form: 'visit_lab_data' }],
    })]);
  });
  afterAll(async () => {
    await classic.close();
    await longitudinal.close();
  });

  it('when metadata is exported, then every row has exactly the recorded keys, all strings', async () => {
    const [recorded] = fixtureJson<Json[]>('redcap/metadata.json');
    const rows = (await postJson(classic, 'metadata')) as Json[];
    for (const row of rows) expect(shapeOf(row)).toEqual(shapeOf(recorded ?? {}));
  });

  it('when project info is exported, then it has exactly the recorded keys with the recorded JSON types', async () => {
    const info = (await postJson(classic, 'project')) as Json;
    expect(shapeOf(info)).toEqual(shapeOf(fixtureJson<Json>('redcap/project.json')));
  });

  it.each<[string, string, () => Harness]>([
    ['instrument', 'redcap/instrument.json', () => classic],
    ['event', 'redcap/event.json', () => longitudinal],
    ['formEventMapping', 'redcap/form-event-mapping.json', () => longitudinal],
    ['exportFieldNames', 'redcap/export-field-names.json', () => classic],
  ])('when content=%s is exported, then every item has the recorded keys with the recorded types', async (content, fixture, harness) => {
    const [recorded] = fixtureJson<Json[]>(fixture);
    const items = (await postJson(harness(), content)) as Json[];
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) expect(shapeOf(item)).toMatchObject(shapeOf(recorded ?? {}));
  });

  it('when records are exported from a classic project, then every value is a string as recorded', async () => {
    const [recorded] = fixtureJson<Json[]>('redcap/record.json');
    const [row] = (await postJson(classic, 'record', { type: 'flat' })) as Json[];
    expect(new Set(Object.values(shapeOf(row ?? {})))).toEqual(new Set(Object.values(shapeOf(recorded ?? {}))));
  });

  it('when records are imported with returnContent=count, then the answer has the recorded shape', async () => {
    const answer = (await postJson(classic, 'record', {
      type: 'flat', overwriteBehavior: 'normal', returnContent: 'count', data: '[{"record_id":"2"}]',
    })) as Json;
    expect(shapeOf(answer)).toEqual(shapeOf(fixtureJson<Json>('redcap/import-count.json')));
  });
});

describe('emulator errors match recorded REDCap error bodies', () => {
  let classic: Harness;
  let longitudinal: Harness;
  beforeAll(async () => {
    classic = await startEmulator([simpleProject()]);
    longitudinal = await startEmulator([longitudinalProject({
      events: [{ unique_event_name: 'event_1_arm_1', event_name: 'event_1' }],
      formEventMapping: [{ unique_event_name: 'event_1_arm_1', form: 'demographics' }],
    })]);
  });
  afterAll(async () => {
    await classic.close();
    await longitudinal.close();
  });

  const recorded = (name: string) => {
    const found = fixtureJson<{ name: string; status: number; body: string }[]>('redcap/errors.json').find((e) => e.name === name);
    if (!found) throw new Error(`no recorded error named ${name}`);
    return found;
  };
  const sameXml = (text: string) => text.replace(/\s+/g, '');

  it.each<[string, Record<string, string>]>([
    ['invalid token, JSON', { returnFormat: 'json' }],
    ['invalid token, plain text', { returnFormat: 'csv' }],
  ])('when the token is wrong (%s), then the status and body are REDCap\'s', async (name, format) => {
    const reply = await post(classic.url, { token: 'nope', content: 'metadata', format: 'json', ...format });
    expect(reply).toEqual({ status: recorded(name).status, body: recorded(name).body });
  });

  it('when the token is wrong and errors are asked for in XML, then the XML is REDCap\'s', async () => {
    const reply = await post(classic.url, { token: 'nope', content: 'metadata', format: 'json', returnFormat: 'xml' });
    expect(reply.status).toBe(403);
    expect(sameXml(reply.body)).toBe(sameXml(recorded('invalid token, XML').body));
  });

  it.each<[string, () => Harness, Record<string, string>]>([
    ['events of a classic project', () => classic, { content: 'event' }],
    ['unknown content', () => classic, { content: 'shoes' }],
    ['survey link for a missing record', () => classic, { content: 'surveyLink', record: '-1', instrument: 'demographics' }],
    ['import into a form not designated for the event', () => longitudinal, {
      content: 'record', type: 'flat', data: JSON.stringify([{ study_id: '1', redcap_event_name: 'event_1_arm_1', vld1: 'A' }]),
    }],
  ])('when asking for %s, then the status and body are REDCap\'s', async (name, harness, params) => {
    const reply = await post(harness().url, { token: TOKEN, format: 'json', returnFormat: 'csv', ...params });
    const expected = recorded(name);
    expect(reply).toEqual({ status: expected.status, body: expected.body.replace(/treatment/g, 'vld1') });
  });
});

describe('metadata export round trip', () => {
  const withoutSource = (fields: readonly Field[]) => fields.map(({ source: _source, ...rest }) => rest);

  it.each([
    'redcapr-simple.csv', 'redcapr-longitudinal.csv', 'redcapr-repeating-instruments.csv', 'redcapr-validation-types-1.csv',
    'redcapr-checkboxes-1.csv', 'redcapr-clinical-trial-1.csv', 'ccc19-data-dictionary.csv', 'phpcap-longitudinal-metadata.csv',
  ])('when %s is served as API metadata and loaded again, then the survey is the same', (file) => {
    const original = parseDictionary(fixtureText(`dictionaries/${file}`)).survey;
    expect(original).not.toBeNull();
    if (!original) return;
    const again = parseDictionary(JSON.stringify(metadataRows(original)), 'json').survey;
    expect(withoutSource(again?.fields ?? [])).toEqual(withoutSource(original.fields));
    expect(again?.instruments).toEqual(original.instruments);
  });
});
