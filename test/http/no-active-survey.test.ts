import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { serviceWorld } from './service-world.js';

const SMS = '/webhooks/twilio/sms';
const NO_SURVEY = 'There is no survey waiting for you at the moment.';

let world: Awaited<ReturnType<typeof serviceWorld>>;
beforeEach(async () => {
  world = await serviceWorld();
});
afterEach(async () => {
  await world.close();
});

const notes = () => world.smsRows().filter((row) => row.body === NO_SURVEY);

describe('a text from a phone with no survey waiting', () => {
  test('when the phone texts three times in an hour, then it hears "no survey waiting" once', async () => {
    for (const body of ['hello', 'anyone?', 'hello??']) {
      await world.postSigned(SMS, world.inboundParams(body));
      world.clock.advance(20 * 60_000);
    }

    expect(notes()).toHaveLength(1);
    expect(world.count('inbound_messages')).toBe(3);
  });

  test('when it texts again a day later, then it hears the note again', async () => {
    await world.postSigned(SMS, world.inboundParams('hello'));
    world.clock.advance(23 * 3_600_000);
    await world.postSigned(SMS, world.inboundParams('hello'));
    world.clock.advance(3_600_000);
    await world.postSigned(SMS, world.inboundParams('hello'));

    expect(notes()).toHaveLength(2);
  });

  test('when another phone texts, then its note is not held back by the first phone\'s', async () => {
    await world.postSigned(SMS, world.inboundParams('hello'));
    await world.postSigned(SMS, world.inboundParams('hello', { From: '+15555550199' }));

    expect(notes()).toHaveLength(2);
  });

  test('when the phone asks for HELP within the day, then HELP is still answered', async () => {
    await world.postSigned(SMS, world.inboundParams('hello'));
    await world.postSigned(SMS, world.inboundParams('HELP'));

    expect(world.smsRows().map((row) => row.kind)).toEqual(['closed', 'help']);
  });
});
