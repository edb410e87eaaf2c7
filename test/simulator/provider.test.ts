import { describe, expect, it, vi } from 'vitest';
import { FakeClock } from '../../src/adapters/clock.js';
import { OffsetClock, createSimulatorChannel, createSimulatorSender } from '../../src/adapters/simulator/index.js';
import { openDatabase } from '../../src/adapters/storage/index.js';
import { SqliteSimulatorPhones } from '../../src/adapters/storage/simulator-phones.js';

const ALEX = '+15555550101';

function handset() {
  const clock = new FakeClock('2026-03-02T15:00:00.000Z');
  const db = openDatabase(':memory:', { now: clock.now() });
  return { clock, phones: new SqliteSimulatorPhones(db) };
}

describe('the simulator provider', () => {
  it('when the dispatcher sends a text, then it lands on the handset and is reported delivered', async () => {
    const { clock, phones } = handset();
    const outcome = await createSimulatorSender({ phones, clock }).send({ to: ALEX, body: 'How are you?', from: '+15555550100' });
    expect(outcome).toMatchObject({ kind: 'sent', status: 'delivered', sid: expect.stringMatching(/^SM[0-9a-f]{32}$/) });
    expect(await phones.messages(ALEX)).toEqual([expect.objectContaining({ direction: 'out', body: 'How are you?', at: '2026-03-02T15:00:00.000Z' })]);
  });

  it('when a number is unreachable, then the send is refused as Twilio refuses an invalid number and nothing lands', async () => {
    const { clock, phones } = handset();
    const sender = createSimulatorSender({ phones, clock, unreachable: new Set([ALEX]) });
    expect(await sender.send({ to: ALEX, body: 'Hi' })).toEqual({ kind: 'rejected', reason: 'HTTP 400 (21211)', code: 21211 });
    expect(await phones.messages(ALEX)).toEqual([]);
  });

  it('when a participant texts, then the text goes to the inbound use case as provider "simulator" and the dispatcher is woken', async () => {
    const { clock, phones } = handset();
    const receiveText = vi.fn(async () => ({ duplicate: false, conversationId: 'c1' }));
    const afterCommit = vi.fn();
    await createSimulatorChannel({ phones, clock, receiveText, afterCommit }).receive('default', ALEX, 'STOP');
    const [message] = await phones.messages(ALEX);
    expect(receiveText).toHaveBeenCalledWith({
      provider: 'simulator', providerMessageId: message?.sid, project: 'default', from: ALEX, body: 'STOP', optOutType: undefined,
    });
    expect(afterCommit).toHaveBeenCalledOnce();
  });

  it('when the account is checked, then it is fine without any network, and there are no webhooks to mount', async () => {
    const { clock, phones } = handset();
    const provider = createSimulatorSender({ phones, clock });
    expect(await provider.checkAccount()).toEqual({ ok: true, detail: 'simulated handsets', checkedAt: '2026-03-02T15:00:00.000Z' });
    expect(provider.name).toBe('simulator');
    expect(provider.webhooks({} as never)).toBeUndefined();
  });
});

describe('the demo clock', () => {
  it('when advanced, then it runs ahead of its base by the sum of the moves, and never backwards', () => {
    const base = new FakeClock('2026-03-02T15:00:00.000Z');
    const clock = new OffsetClock(base, 1_000);
    clock.advance(4 * 3_600_000);
    base.advance(60_000);
    expect(clock.now().toISOString()).toBe('2026-03-02T19:01:01.000Z');
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });
});
