import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { answerFirstQuestion, demoInTempDir, eventually, received, text, value, view, type Demo } from './harness.js';

const running: Demo[] = [];

afterEach(async () => {
  for (const demo of running.splice(0)) await demo.cleanUp();
});

async function start(dataDir?: string): Promise<Demo> {
  const demo = await demoInTempDir(dataDir);
  running.push(demo);
  return demo;
}

describe('the embedded demo (npm start)', () => {
  it('when it starts in an empty folder, then it creates the database there and serves the simulator', async () => {
    const demo = await start();
    expect(demo.simulatorUrl).toMatch(/^http:\/\/localhost:\d+\/simulator$/);
    const page = await request(demo.baseUrl).get('/simulator').expect(200);
    expect(page.text).toContain('1 · Alex · +15555550101');
    expect(readFileSync(join(demo.dataDir, 'redcap-sms.db')).length).toBeGreaterThan(0);
    await request(demo.baseUrl).get('/healthz').expect(200);
  });

  it('when a participant answers through the simulator, then the texts go through the outbox and the answers reach the emulated REDCap', async () => {
    const demo = await start();
    await request(demo.baseUrl).post('/simulator/api/participants/3/invite').expect(201);
    await received(demo, '3', 1);
    await text(demo, '3', '0');
    await received(demo, '3', 2);
    await text(demo, '3', '0');
    const asked = await received(demo, '3', 3);
    expect(asked.messages.at(-1)?.body).toContain('About how many hours did you sleep');
    const written = await eventually(async () => {
      const v = await view(demo, '3');
      return value(v, 'phq2') === '0' ? v : undefined;
    });
    expect(value(written, 'phq1')).toBe('0');
    // Branching hid the checkbox (score 0 < 2): REDCap exports its options unticked.
    expect(value(written, 'phq_more___1')).toBe('0');
  });

  it('when the Spanish participant is invited, then the simulator shows the survey in Spanish and a Spanish label is saved as its code', async () => {
    const demo = await start();
    const page = await request(demo.baseUrl).get('/simulator').expect(200);
    expect(page.text).toContain('5 · Elena (español) · +15555550105');
    await request(demo.baseUrl).post('/simulator/api/participants/5/invite').expect(201);
    const invited = await received(demo, '5', 1);
    expect(invited.messages.at(-1)?.body).toContain('Cuestionario PHQ');
    expect(invited.messages.at(-1)?.body).toContain('¿Poco interés o placer en hacer cosas? (0) Para nada');
    await text(demo, '5', 'varios días');
    expect((await received(demo, '5', 2)).messages.at(-1)?.body).toContain('¿Se ha sentido decaído(a)');
    const written = await eventually(async () => {
      const v = await view(demo, '5');
      return value(v, 'phq1') === '1' ? v : undefined;
    });
    expect(written.status).toBe('asking');
  });

  it('when the clock is advanced, then the reminder and the expiry fire', async () => {
    const demo = await start();
    await request(demo.baseUrl).post('/simulator/api/participants/1/invite').expect(201);
    await received(demo, '1', 1);
    await request(demo.baseUrl).post('/simulator/api/clock').send({ advance: 'PT4H' }).expect(200);
    expect((await received(demo, '1', 2)).messages.at(-1)?.body).toMatch(/^Reminder:/);
    await request(demo.baseUrl).post('/simulator/api/clock').send({ advance: 'P2D' }).expect(200);
    const expired = await eventually(async () => {
      const v = await view(demo, '1');
      return v.messages.at(-1)?.body.includes('closed') === true ? v : undefined;
    });
    expect(expired.status).toBe('expired');
  });

  it('when it is run a second time on the same folder, then the tokens, the conversation and the record carry on', async () => {
    const first = await start();
    await answerFirstQuestion(first, '2', '3');
    await first.stop();
    running.splice(running.indexOf(first), 1);

    const second = await start(first.dataDir);
    expect(second.adminToken).toBe(first.adminToken);
    const again = await view(second, '2');
    expect(again.messages.map((m) => m.body)).toContain('3');
    expect(value(again, 'phq1')).toBe('3');
    await text(second, '2', '3');
    expect((await received(second, '2', 3)).messages.at(-1)?.body).toContain('Which of these have also bothered you?');
  });
});
