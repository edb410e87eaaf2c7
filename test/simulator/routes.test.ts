import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoInTempDir } from '../demo/harness.js';

let demo: Awaited<ReturnType<typeof demoInTempDir>>;

beforeAll(async () => {
  demo = await demoInTempDir();
});

afterAll(async () => {
  await demo.cleanUp();
});

describe('the simulator routes', () => {
  it('when the participants are listed, then each demo record comes with its name and E.164 number', async () => {
    const response = await request(demo.baseUrl).get('/simulator/api/participants').expect(200);
    expect(response.body.participants).toContainEqual({ recordId: '1', name: 'Alex', phone: '+15555550101' });
  });

  it('when a record does not exist, then invite and view answer 400 naming it', async () => {
    const invite = await request(demo.baseUrl).post('/simulator/api/participants/99/invite').expect(400);
    expect(invite.body.error).toBe('there is no record 99');
    await request(demo.baseUrl).get('/simulator/api/participants/99').expect(400);
  });

  it('when a text is empty, then it is refused with 400 and nothing is sent', async () => {
    const response = await request(demo.baseUrl).post('/simulator/api/participants/1/texts').send({ body: '  ' }).expect(400);
    expect(response.body.error).toBe('type a text first');
    const view = await request(demo.baseUrl).get('/simulator/api/participants/1').expect(200);
    expect(view.body.messages).toEqual([]);
  });

  it('when the clock is told to move by something that is not a duration, then it answers 400 and stays put', async () => {
    const before = (await request(demo.baseUrl).get('/simulator/api/participants/1')).body.now as string;
    const response = await request(demo.baseUrl).post('/simulator/api/clock').send({ advance: 'tomorrow' }).expect(400);
    expect(response.body.error).toContain('not an ISO-8601 duration');
    const after = (await request(demo.baseUrl).get('/simulator/api/participants/1')).body.now as string;
    expect(Date.parse(after) - Date.parse(before)).toBeLessThan(60_000);
  });

  it('when the page assets are asked for, then the hand-written script and styles are served', async () => {
    await request(demo.baseUrl).get('/assets/simulator.js').expect(200).expect('content-type', /javascript/);
    await request(demo.baseUrl).get('/assets/simulator.css').expect(200).expect('content-type', /css/);
  });
});
