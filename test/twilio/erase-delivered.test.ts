import { afterEach, describe, expect, test } from 'vitest';
import { FAILURES } from '../fakes/fake-twilio-api.js';
import { ACCOUNT_SID } from './harness.js';
import { OUR_NUMBER, PARTICIPANT, serviceWorld } from '../http/service-world.js';

type World = Awaited<ReturnType<typeof serviceWorld>>;
let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const MINUTE = 60_000;

/** Invites, sends the invitation through the fake Twilio API, and reports it delivered; returns its SID. */
async function deliveredInvitation(w: World): Promise<string> {
  await w.invite();
  await w.service.dispatcher.runOnce();
  const { sid } = w.service.db.prepare(`SELECT provider_message_id AS sid FROM outbox WHERE channel = 'sms' ORDER BY id LIMIT 1`).get() as { sid: string };
  await w.postSigned('/webhooks/twilio/status', { MessageSid: sid, MessageStatus: 'delivered', AccountSid: ACCOUNT_SID, From: OUR_NUMBER, To: PARTICIPANT });
  return sid;
}

/** A new invitation to the same survey supersedes (ends) the first conversation. */
async function endConversation(w: World): Promise<void> {
  await w.invite();
}

const deletes = (w: World) => w.twilioApi.requests.filter((r) => r.method === 'DELETE').map((r) => r.path);

describe('deleting delivered texts from Twilio (TWILIO_DELETE_DELIVERED)', () => {
  test('when a delivered text\'s conversation has ended, then the real twilio client DELETEs its Message, once', async () => {
    world = await serviceWorld({ TWILIO_DELETE_DELIVERED: 'true' });
    const sid = await deliveredInvitation(world);
    await endConversation(world);
    world.clock.advance(3 * MINUTE);

    const first = await world.service.eraser.runOnce();
    const second = await world.service.eraser.runOnce();

    expect([first, second]).toEqual([1, 0]);
    expect(deletes(world)).toEqual([`/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/${sid}.json`]);
  });

  test.each([
    { case: 'the conversation is still open (an opt-out keeps it open for START)', env: { TWILIO_DELETE_DELIVERED: 'true' }, ends: false, after: 3 * MINUTE },
    { case: 'the text was delivered under two minutes ago (Twilio refuses fresh deletes with 20009)', env: { TWILIO_DELETE_DELIVERED: 'true' }, ends: true, after: MINUTE },
    { case: 'the setting is off (the default)', env: {}, ends: true, after: 3 * MINUTE },
  ])('when $case, then nothing is deleted', async ({ env, ends, after }) => {
    world = await serviceWorld(env);
    await deliveredInvitation(world);
    if (ends) await endConversation(world);
    else await world.postSigned('/webhooks/twilio/sms', world.inboundParams('STOP'));
    world.clock.advance(after);

    expect(await world.service.eraser.runOnce()).toBe(0);
    expect(deletes(world)).toEqual([]);
  });

  test('when Twilio answers 20009, then the delete is retried on a later round', async () => {
    world = await serviceWorld({ TWILIO_DELETE_DELIVERED: 'true' });
    await deliveredInvitation(world);
    await endConversation(world);
    world.clock.advance(3 * MINUTE);
    world.twilioApi.failNext(FAILURES.tooEarlyToDelete);

    const refused = await world.service.eraser.runOnce();
    const retried = await world.service.eraser.runOnce();

    expect([refused, retried]).toEqual([0, 1]);
    expect(deletes(world)).toHaveLength(2);
  });
});
