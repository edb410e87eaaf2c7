import { readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { pacedWithHandoff, quiet } from '../../bench/inbound.js';
import { BENCH, signedRequests } from '../../bench/inbound-load.js';
import { pacedLoad } from '../../bench/paced-load.js';
import { startBenchService, type BenchService } from '../../bench/service-server.js';
import { createRedcapEmulator } from '../../src/demo/redcap-emulator/index.js';
import { createFakeTwilioApi } from '../fakes/fake-twilio-api.js';
import { findPostgresServer } from '../postgres-server/server-binaries.js';
import { startThrowawayCluster } from '../postgres-server/throwaway-cluster.js';
import { freshDatabase } from './fresh-database.js';

/**
 * The PostgreSQL cases of `npm run bench` (bench/inbound-postgres.ts): the service as the benchmark runs it
 * on PostgreSQL, here in the test's process, with the benchmark's own signed load, and the durable server
 * the benchmark starts.
 */
const database = freshDatabase();
const stops: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function fakes() {
  const redcap = await createRedcapEmulator({ projects: [{ token: BENCH.redcapToken, projectId: 1, dictionary: readFileSync(BENCH.dictionary, 'utf8') }] }).listen();
  const twilioApi = createFakeTwilioApi({ accountSid: BENCH.accountSid, authToken: BENCH.authToken });
  const twilio = await twilioApi.listen();
  stops.push(() => redcap.close(), () => twilio.close());
  return { redcapUrl: redcap.url, twilioBaseUrl: twilio.baseUrl, twilioApi };
}

async function benchService(participants: number, urls: { redcapUrl: string; twilioBaseUrl: string }): Promise<BenchService> {
  const service = await startBenchService({ ...urls, survey: 'short', participants, stored: 0, databaseUrl: database.url(), logLevel: 'silent' });
  stops.push(() => service.stop());
  return service;
}

describe('the benchmark’s service on PostgreSQL', () => {
  it('when two instances share one database and the paced load is split between them, then every text is stored once and answered, and the write-back and the texts drain', async () => {
    const participants = 20;
    const answers = 3; // of the survey's nine: each is followed by a question
    const urls = await fakes();
    const first = await benchService(participants, urls);
    const second = await benchService(0, urls);
    await quiet(first.stats); // the invitations' first questions sent
    const invitationTexts = urls.twilioApi.messages().length;
    const texts = signedRequests(participants, participants * answers, 'pg');
    let next = 0;
    let told = 0;
    const sends = async () => {
      const fresh = urls.twilioApi.messages().slice(told);
      told += fresh.length;
      return fresh.map((send) => ({ phone: send.form.To!, receivedAt: send.receivedAt }));
    };

    const { paced: result, handoff: handed } = await pacedWithHandoff({ stats: first.stats, sends }, () => texts.at(next++), (load) =>
      pacedLoad([first.port, second.port], BENCH.path, load, 1, participants * answers));

    expect(result.failures).toBe(0);
    const stats = await second.stats();
    expect(stats).toMatchObject({ inbound: participants * answers, pendingWrites: 0, pendingTexts: 0, openConversations: participants });
    // Each invitation's first question, then the next question after each answer.
    expect(stats.texts).toBe(participants * (1 + answers));
    expect(invitationTexts).toBe(participants);
    // Sent at the benchmark's sender rate, every answer's next question reached the fake Twilio API and pairs with it
    // (on a busy machine a reply may reach it after the participant's next text went out: the pairing is by order).
    expect(handed.unpaired).toBe(0);
    expect(handed.latencies).toHaveLength(participants * answers);
    expect(Math.min(...handed.latencies)).toBeGreaterThan(0);
  });

  it('when asked for its memory, then the service reports its resident set and its heap, and only when asked', async () => {
    const service = await benchService(1, await fakes());
    expect((await service.stats()).memory).toBeUndefined();
    const { memory } = await service.stats(true);
    expect(memory?.rss).toBeGreaterThan(memory?.httpHeapUsed ?? Number.POSITIVE_INFINITY);
    expect(memory?.httpHeapUsed).toBeGreaterThan(0);
  });

  it('when more stored conversations are asked for than participants, then it refuses on PostgreSQL, where copies are not made', async () => {
    await expect(startBenchService({ ...(await fakes()), survey: 'short', participants: 1, stored: 5, databaseUrl: database.url(), logLevel: 'silent' }))
      .rejects.toThrow('stored conversations beyond the participants are copied on SQLite only');
  });
});

describe('the benchmark’s PostgreSQL server', () => {
  let stop: (() => Promise<void>) | undefined;
  afterAll(() => stop?.());

  it('when the benchmark starts its throwaway cluster, then its commits are durable: fsync, synchronous commit and full-page writes on', { timeout: 60_000 }, async () => {
    // The programs the suite would start, even when it runs on a server of TEST_DATABASE_URL.
    const source = findPostgresServer({ ...process.env, TEST_DATABASE_URL: '' });
    if (source.kind !== 'binaries') throw new Error(`no PostgreSQL programs to start the benchmark's cluster with: ${source.kind === 'none' ? source.why : source.url}`);
    const cluster = await startThrowawayCluster(source.binDir, { durable: true });
    stop = () => cluster.stop();
    const settings = async (url: string) => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const rows = (await client.query<{ name: string; setting: string }>(
          `SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes') ORDER BY name`,
        )).rows;
        return Object.fromEntries(rows.map((row) => [row.name, row.setting]));
      } finally {
        await client.end();
      }
    };
    expect(await settings(cluster.url)).toEqual({ fsync: 'on', full_page_writes: 'on', synchronous_commit: 'on' });
    expect(cluster.pid).toBeGreaterThan(0);
  });
});
