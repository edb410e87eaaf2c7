import { readFileSync } from 'node:fs';
import { parseDictionary } from '../../src/dictionary/index.js';
import type { Survey } from '../../src/dictionary/model.js';

/** The project's own demo dictionary (fixtures/dictionaries/sms-demo.csv), parsed once per test file. */
export function demoSurvey(): Survey {
  const load = parseDictionary(readFileSync(new URL('../../fixtures/dictionaries/sms-demo.csv', import.meta.url)));
  if (load.survey === null) throw new Error(`sms-demo.csv has errors: ${JSON.stringify(load.diagnostics)}`);
  return load.survey;
}

export const PHONE = '+15555550123';
export const START = { phone: PHONE, instrument: 'daily', recordId: '1', record: { record_id: '1' } };
