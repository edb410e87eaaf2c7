import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedcapClient } from '../../src/adapters/redcap/index.js';
import { RedcapError, type RedcapClient } from '../../src/ports/redcap/index.js';
import { TOKEN, noSleep, rejectionOf, simpleProject, startEmulator, type Harness } from './support.js';

/** Everything an error could leak through: its message, stack, enumerable properties and inspection. */
const everythingIn = (error: unknown): string =>
  [String(error), (error as Error).stack ?? '', JSON.stringify(error), inspect(error, { depth: 10, showHidden: true })].join('\n');

describe('REDCap client errors', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startEmulator([simpleProject({ records: [{ record_id: '1' }] })]);
  });
  afterAll(() => harness.close());

  const wrongToken = 'FEEDFACE0123456789ABCDEF01234567';

  it.each(['json', 'csv', 'xml'] as const)(
    'when the token is wrong and REDCap answers in %s, then the error is auth 403 with REDCap\'s text and no token',
    async (shape) => {
      harness.emulator.state.errorFormat = shape;
      try {
        const error = await rejectionOf(harness.client({ token: wrongToken }).exportMetadata());
        expect(error).toBeInstanceOf(RedcapError);
        expect(error).toMatchObject({ kind: 'auth', status: 403 });
        expect((error as RedcapError).message).toContain('You do not have permissions to use the API');
        expect(everythingIn(error)).not.toContain(wrongToken);
      } finally {
        delete harness.emulator.state.errorFormat;
      }
    },
  );

  it.each<[string, (client: RedcapClient) => Promise<unknown>, RedcapError['kind'], string]>([
    ['a survey link for a missing record', (c) => c.exportSurveyLink({ record: '-1', instrument: 'health' }), 'not_found', 'The record "-1" does not exist'],
    ['records with an unknown field', (c) => c.exportRecords({ fields: ['shoe_size'] }), 'validation', "The following values in the parameter fields are not valid: 'shoe_size'"],
    ['an import with an unknown column', (c) => c.importRecords([{ record_id: '2', shoe_size: '9' }]), 'validation', 'not found in the project as real data fields: shoe_size'],
  ])('when asking for %s, then the error kind is %s with REDCap\'s message', async (_, call, kind, text) => {
    const error = await rejectionOf(call(harness.client()));
    expect(error).toMatchObject({ kind, status: 400 });
    expect((error as Error).message).toContain(text);
    expect(everythingIn(error)).not.toContain(TOKEN);
  });

  it('when the server cannot be reached, then the error is network and holds neither the token nor the request body', async () => {
    const closed = await startEmulator([simpleProject()]);
    await closed.close();
    const error = await rejectionOf(closed.client({ retries: 0 }).importRecords([{ record_id: '1', telephone: '(650) 380-3405' }]));
    expect(error).toMatchObject({ kind: 'network' });
    expect(everythingIn(error)).not.toContain(TOKEN);
    expect(everythingIn(error)).not.toContain('380-3405');
  });
});

describe('REDCap client against a server that echoes the request', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    // A misbehaving server that puts the whole request body, token included, in its error text.
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => res.writeHead(400, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: `bad request: ${decodeURIComponent(body)}` })));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('when the error text contains the token, then the token is redacted from the error', async () => {
    const error = await rejectionOf(createRedcapClient({ url, token: TOKEN, sleep: noSleep }).exportMetadata());
    expect(error).toMatchObject({ kind: 'validation', status: 400 });
    expect((error as Error).message).toContain('[redacted]');
    expect(everythingIn(error)).not.toContain(TOKEN);
  });
});
