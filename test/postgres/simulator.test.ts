import { existsSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { openPostgresStorage } from '../../src/adapters/postgres/open-postgres.js';
import { answerFirstQuestion, demoInTempDir, eventually, received, text, value, view, type Demo } from '../demo/harness.js';
import { freshSchemas } from './fresh-storage.js';

/**
 * The phone simulator on PostgreSQL: the demo (`npm start` with DATABASE_URL) keeps its handsets' texts in
 * the service's storage there, through the simulator's own HTTP routes.
 */
const schema = freshSchemas();
const running: Demo[] = [];
afterEach(async () => {
  for (const demo of running.splice(0)) await demo.cleanUp();
});

async function start(databaseUrl: string, dataDir?: string): Promise<Demo> {
  const demo = await demoInTempDir(dataDir, databaseUrl);
  running.push(demo);
  return demo;
}

describe('the phone simulator on PostgreSQL', () => {
  it('when the participants are listed, then each demo record comes with its number, and no SQLite file is made', async () => {
    const demo = await start(await schema());

    const response = await request(demo.baseUrl).get('/simulator/api/participants').expect(200);

    expect(response.body.participants).toContainEqual({ recordId: '1', name: 'Alex', phone: '+15555550101' });
    expect(existsSync(join(demo.dataDir, 'redcap-sms.db'))).toBe(false);
  });

  it('when a participant is invited and texts back, then the handset shows the question, the reply and the next question, and the answer reaches REDCap', async () => {
    const url = await schema();
    const demo = await start(url);
    await request(demo.baseUrl).post('/simulator/api/participants/3/invite').expect(201);
    const invited = await received(demo, '3', 1);

    await text(demo, '3', '0');
    const answered = await received(demo, '3', 2);

    expect(answered.messages.map((m) => m.direction)).toEqual(['out', 'in', 'out']);
    expect(answered.messages[1]).toMatchObject({ body: '0', sid: expect.stringMatching(/^SM[0-9a-f]{32}$/) });
    expect(answered.messages.slice(0, 1)).toEqual(invited.messages);
    await eventually(async () => (value(await view(demo, '3'), 'phq1') === '0' ? true : undefined));
    // The texts are PostgreSQL's rows, as another connection reads them.
    const storage = await openPostgresStorage(url);
    try {
      expect(await storage.simulatorPhones.messages(answered.participant.phone!)).toEqual(answered.messages);
    } finally {
      await storage.close();
    }
  });

  it('when the demo is run again on the same database, then the handset still shows the conversation and it carries on', async () => {
    const url = await schema();
    const first = await start(url);
    await answerFirstQuestion(first, '2', '3');
    await first.stop();
    running.splice(running.indexOf(first), 1);

    const second = await start(url, first.dataDir);

    expect((await view(second, '2')).messages.map((m) => m.body)).toContain('3');
    await text(second, '2', '3');
    expect((await received(second, '2', 3)).messages.at(-1)?.body).toContain('Which of these have also bothered you?');
  });
});
