import { describe, expect, it } from 'vitest';
import { describeProblems, importProblems, readErrorBody } from '../../src/adapters/redcap/error-body.js';
import { classifyFailure, scrubSecret } from '../../src/ports/redcap/errors.js';
import { fixtureJson } from './support.js';

interface RecordedError {
  name: string;
  status: number;
  body: string;
}

describe('reading REDCap error bodies', () => {
  it.each(fixtureJson<RecordedError[]>('redcap/errors.json'))('when REDCap answers "$name", then its error text is read', ({ body }) => {
    const text = readErrorBody(body);
    expect(text).toBeDefined();
    expect(text).not.toMatch(/^ERROR:|<error>|^\{/);
  });

  it.each([
    ['JSON', '{"error":"You cannot export arms for classic projects"}', 'You cannot export arms for classic projects'],
    ['JSON with a field list', '{"error":"The following fields were not found in the project","fields":["a","b"]}', 'The following fields were not found in the project: a, b'],
    ['plain text', 'ERROR: The value of the parameter "content" is not valid', 'The value of the parameter "content" is not valid'],
    ['XML with entities', '<?xml version="1.0" encoding="UTF-8" ?><hash><error>Field &quot;x&quot; &amp; more</error></hash>', 'Field "x" & more'],
  ])('when the body is %s, then the text is %j', (_, body, text) => {
    expect(readErrorBody(body)).toBe(text);
  });

  it.each([
    ['a record export', '[{"record_id":"1"}]'],
    ['a survey link', 'https://redcap.example.edu/surveys/?s=ABCDE12345'],
    ['an import count', '{"count":1}'],
    ['an HTML error page', '<html><body>Internal Server Error</body></html>'],
  ])('when the body is %s, then it is not read as an error text', (_, body) => {
    expect(readErrorBody(body)).toBeUndefined();
  });
});

describe('import validation problems', () => {
  it('when the text is REDCap\'s record,field,value,message lines, then each becomes a problem without its value', () => {
    const text = '"1","dob","1999-02-30","The value is not a date"\n"2","phone","650 380 3405","He said ""no"""';
    const problems = importProblems(text);
    expect(problems).toEqual([
      { record: '1', field: 'dob', message: 'The value is not a date' },
      { record: '2', field: 'phone', message: 'He said "no"' },
    ]);
    expect(describeProblems(problems)).not.toMatch(/1999-02-30|380 3405/);
  });

  it.each([
    'You do not have permissions to use the API',
    '"only","three","cells"',
    'The following fields were not found in the project as real data fields: a',
  ])('when the text is %j, then there are no problems', (text) => {
    expect(importProblems(text)).toEqual([]);
  });

  it('when there are many problems, then the summary names the first five and counts the rest', () => {
    const problems = Array.from({ length: 7 }, (_, i) => ({ record: String(i), field: 'f', message: 'bad' }));
    expect(describeProblems(problems)).toMatch(/^7 value\(s\) rejected: .*; and 2 more$/);
  });
});

describe('classifying failures', () => {
  it.each([
    [403, 'You do not have permissions to use the API', 'auth'],
    [401, '', 'auth'],
    [400, 'You do not have API Import/Update privileges', 'auth'],
    [400, 'The record "-1" does not exist', 'not_found'],
    [404, '', 'not_found'],
    [400, 'You cannot export events for classic projects', 'validation'],
    [406, 'The data being imported is not formatted correctly', 'validation'],
    [429, '', 'rate_limited'],
    [500, '', 'server'],
    [503, 'down for maintenance', 'server'],
    [200, 'You do not have permissions to use the API', 'auth'],
  ])('when the status is %i and the text %j, then the kind is %s', (status, text, kind) => {
    expect(classifyFailure(status, text)).toBe(kind);
  });

  it.each([
    ['token=ABC&content=x', 'ABC', 'token=[redacted]&content=x'],
    ['nothing secret here', 'ABC', 'nothing secret here'],
    ['empty secret', '', 'empty secret'],
  ])('when scrubbing %j of %j, then it reads %j', (text, secret, expected) => {
    expect(scrubSecret(text, secret)).toBe(expected);
  });
});
