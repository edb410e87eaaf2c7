import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FaultMode } from '../../src/demo/redcap-emulator/index.js';
import { rejectionOf, repeatingProject, simpleProject, startEmulator, type Harness } from './support.js';

describe('REDCap client retries and timeouts', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startEmulator([simpleProject({ records: [{ record_id: '1' }] })]);
  });
  afterEach(() => {
    harness.emulator.stall(0);
    harness.emulator.state.requests.length = 0;
  });
  afterAll(() => harness.close());

  /** A client whose backoff sleeps are recorded instead of waited. */
  const recordingClient = (retries: number, timeoutMs = 2_000) => {
    const sleeps: number[] = [];
    const client = harness.client({ retries, backoffMs: 100, timeoutMs, sleep: async (ms) => void sleeps.push(ms) });
    return { client, sleeps };
  };

  it.each<[FaultMode, number]>([['500', 2], ['refuse', 2], ['timeout', 1]])(
    'when REDCap fails with %s %i time(s) and then recovers, then the call succeeds after backing off',
    async (mode, failures) => {
      harness.emulator.failNext(failures, mode);
      const { client, sleeps } = recordingClient(3, 300);
      await expect(client.exportInstruments()).resolves.toHaveLength(3);
      expect(sleeps).toEqual([100, 200].slice(0, failures));
      expect(harness.emulator.state.requests).toHaveLength(failures + 1);
    },
  );

  it('when REDCap keeps answering 500, then the client gives up after its retries with a server error', async () => {
    harness.emulator.failNext(4, '500');
    const { client, sleeps } = recordingClient(3);
    const error = await rejectionOf(client.exportMetadata());
    expect(error).toMatchObject({ kind: 'server', status: 500 });
    expect(sleeps).toEqual([100, 200, 400]);
    expect(harness.emulator.state.requests).toHaveLength(4);
  });

  type Options = Parameters<Harness['client']>[0];
  it.each<[string, string, (client: (options: Options) => ReturnType<Harness['client']>) => Promise<unknown>]>([
    ['a wrong token (403)', 'auth', (client) => client({ token: '00000000000000000000000000000000' }).exportMetadata()],
    ['an invalid import (400)', 'validation', (client) => client({}).importRecords([{ record_id: '1', sex: '9' }])],
  ])('when the request itself is refused with %s, then it fails as %s without a retry', async (_, kind, call) => {
    const sleeps: number[] = [];
    const client = (options: Options) => harness.client({ retries: 3, sleep: async (ms) => void sleeps.push(ms), ...options });
    await expect(call(client)).rejects.toMatchObject({ kind });
    expect(sleeps).toEqual([]);
    expect(harness.emulator.state.requests).toHaveLength(1);
  });

  it('when an import adds a "new" repeat instance and the reply is lost, then it is not sent again', async () => {
    const repeating = await startEmulator([repeatingProject()]);
    try {
      repeating.emulator.failNext(1, 'refuse');
      const client = repeating.client({ retries: 3 });
      const row = { record_id: '1', redcap_repeat_instrument: 'bp', redcap_repeat_instance: 'new', bp_systolic: '120' };
      await expect(client.importRecords([row])).rejects.toMatchObject({ kind: 'network' });
      expect(repeating.emulator.state.requests).toHaveLength(1);
    } finally {
      await repeating.close();
    }
  });

  it('when REDCap stalls longer than the timeout, then the error is a timeout that says how long it waited', async () => {
    harness.emulator.stall(500);
    const { client } = recordingClient(0, 100);
    const error = await rejectionOf(client.exportProjectInfo());
    expect(error).toMatchObject({ kind: 'timeout' });
    expect((error as Error).message).toBe('REDCap export project info timed out after 100 ms');
  });
});
