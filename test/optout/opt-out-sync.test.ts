import { afterEach, describe, expect, test } from 'vitest';
import { engineDeliveryEvents } from '../../src/use-cases/delivery-results.js';
import { PHONE, classicStudy, longitudinalStudy, startWorld, type World } from '../writeback/harness.js';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** The same participant stored three ways, and someone else. */
const SAME_NUMBER_THREE_WAYS = [
  { record_id: '1', phone: '(650) 380-3405' },
  { record_id: '2', phone: '6503803405' },
  { record_id: '3', phone: PHONE },
  { record_id: '4', phone: '(650) 380-9999' },
];

const optOutColumns = (w: World, record: string) => {
  const row = w.records(record)[0]!;
  return { opt_out_at: row.opt_out_at ?? '', opted_out___1: row.opted_out___1 ?? '' };
};

describe('STOP and START reach every matching record', () => {
  test('when the participant texts STOP, then all three records with the number, however stored, get the time and the checkbox', async () => {
    world = await startWorld(classicStudy({ records: SAME_NUMBER_THREE_WAYS }));

    await world.reply('STOP');
    await world.writeBack();

    // 14:00 UTC on 10 March 2026 is 10:00 in New York (daylight time began on 8 March).
    for (const record of ['1', '2', '3']) expect(optOutColumns(world, record)).toEqual({ opt_out_at: '2026-03-10 10:00:00', opted_out___1: '1' });
    expect(optOutColumns(world, '4')).toEqual({ opt_out_at: '', opted_out___1: '' });
  });

  test('when the participant texts START after STOP, then all three records are cleared', async () => {
    world = await startWorld(classicStudy({ records: SAME_NUMBER_THREE_WAYS }));
    await world.reply('STOP');
    await world.writeBack();

    world.clock.advance(60_000);
    await world.reply('START');
    await world.writeBack();

    for (const record of ['1', '2', '3']) expect(optOutColumns(world, record)).toEqual({ opt_out_at: '', opted_out___1: '0' });
  });

  test.each([
    { case: 'STOP then START', replies: ['STOP', 'START'], expected: { opt_out_at: '', opted_out___1: '0' } },
    { case: 'STOP, START, STOP', replies: ['STOP', 'START', 'STOP'], expected: { opt_out_at: '2026-03-10 10:00:00', opted_out___1: '1' } },
  ])('when $case arrive before REDCap is written, then the last one decides, in one import', async ({ replies, expected }) => {
    world = await startWorld(classicStudy({ records: SAME_NUMBER_THREE_WAYS }));
    for (const reply of replies) await world.reply(reply);
    const mark = world.emulator.state.requests.length;

    await world.writeBack();

    expect(optOutColumns(world, '2')).toEqual(expected);
    expect(world.requestsSince(mark).filter((r) => r.content === 'record').length).toBe(2); // one export, one import
  });

  test('when Twilio reports the number opted out (21610), then REDCap is told just as for STOP', async () => {
    world = await startWorld(classicStudy({ records: SAME_NUMBER_THREE_WAYS }));

    await engineDeliveryEvents(world.conversations).providerOptOut({ conversationId: null, project: 'study', phone: PHONE, at: world.clock.now().toISOString() });
    await world.writeBack();

    expect(optOutColumns(world, '2').opted_out___1).toBe('1');
  });

  test('when the project is longitudinal, then the opt-out is written on the event that holds the opt-out fields', async () => {
    world = await startWorld(longitudinalStudy({
      records: [{ record_id: '1', redcap_event_name: 'baseline_arm_1', phone: '650.380.3405' }],
    }));

    await world.reply('STOP');
    await world.writeBack();

    expect(world.records('1')).toEqual([expect.objectContaining({ redcap_event_name: 'baseline_arm_1', opted_out___1: '1' })]);
  });

  test('when REDCap is down at STOP, then the opt-out is retried until it lands', async () => {
    world = await startWorld(classicStudy({ records: SAME_NUMBER_THREE_WAYS }));
    world.emulator.failNext(5);

    await world.reply('STOP');
    for (let round = 0; round < 10; round += 1) {
      await world.redcap.writer.runOnce();
      world.clock.advance(11 * 60_000);
    }

    expect(optOutColumns(world, '1').opted_out___1).toBe('1');
  });
});

describe('staff notification', () => {
  test('when a STOP is written, then staff are notified with the record ids and never the number', async () => {
    world = await startWorld(classicStudy({ records: SAME_NUMBER_THREE_WAYS }), { optOutWebhookUrl: 'https://hooks.example.org/opt-outs' });

    await world.reply('STOP');
    await world.writeBack();

    expect(world.notices).toEqual([{ project: 'study', status: 'opted-out', records: ['1', '2', '3'], at: '2026-03-10T14:00:00.000Z' }]);
    expect(JSON.stringify(world.notices)).not.toMatch(/380/);
  });

  test('when no webhook is configured, then nobody is notified and REDCap is still written', async () => {
    world = await startWorld(classicStudy({ records: SAME_NUMBER_THREE_WAYS }));

    await world.reply('STOP');
    await world.writeBack();

    expect(world.notices).toEqual([]);
    expect(optOutColumns(world, '3').opted_out___1).toBe('1');
  });
});
