import { afterEach, describe, expect, test } from 'vitest';
import { FAILURES } from '../fakes/fake-twilio-api.js';
import { InProcessSenderPace } from '../../src/adapters/delivery/in-process-sender-pace.js';
import { createOutboxDispatcher, SLOT_USE_BY_MS } from '../../src/loops/outbox-dispatcher.js';
import { FEWEST_SENDS_AT_ONCE } from '../../src/policies/sends-at-once.js';
import { projectRegistry } from '../../src/config/projects.js';
import type { SmsSender } from '../../src/ports/sms-provider.js';
import type { RetryPolicy } from '../../src/policies/backoff.js';
import { engineDeliveryEvents } from '../../src/use-cases/delivery-results.js';
import type { ProjectConfig } from '../../src/config/projects.js';
import { ALICE, BOB, CAROL, MESSAGING_SERVICE_SID, OTHER_SENDER, PUBLIC_URL, SENDER, outboxWorld, project } from './harness.js';

const STATUS_CALLBACK = `${PUBLIC_URL}/webhooks/twilio/status`;
const RETRY: RetryPolicy = { baseMs: 1_000, maxDelayMs: 8_000, maxAttempts: 3 };

type World = Awaited<ReturnType<typeof outboxWorld>>;
let world: World;

async function setUp(projects?: ProjectConfig[], options?: { timeoutMs?: number }) {
  world = await outboxWorld(projects, options);
  return createOutboxDispatcher({
    delivery: world.delivery, pace: new InProcessSenderPace(), sender: world.sender, projects: world.registry, clock: world.clock,
    events: engineDeliveryEvents(world.deps), logger: world.logs.logger, participantKey: world.participantKey,
    statusCallbackUrl: STATUS_CALLBACK, retry: RETRY,
  });
}

afterEach(async () => {
  await world.close();
});

describe('sending through the real twilio client', () => {
  test('when a text is due, then Twilio receives To, From, Body and StatusCallback and the SID is recorded', async () => {
    const dispatcher = await setUp();
    const id = await world.queueText(ALICE, 'Q1: How are you? (1) Good, (2) Bad');

    const report = await dispatcher.runOnce();

    expect(report.sent).toBe(1);
    expect(world.twilioApi.messages().map((m) => m.form)).toEqual([
      { To: ALICE, From: SENDER, Body: 'Q1: How are you? (1) Good, (2) Bad', StatusCallback: STATUS_CALLBACK },
    ]);
    expect(world.outboxStatus(id)).toBe('sent');
    expect(world.delivery.deliveryOf(id)).toMatchObject({ status: 'queued', sid: expect.stringMatching(/^SM[0-9a-f]{32}$/) });
  });

  test('when the project sends through a Messaging Service, then MessagingServiceSid is sent instead of From', async () => {
    const dispatcher = await setUp([project('study', { from: undefined, messagingServiceSid: MESSAGING_SERVICE_SID })]);
    await world.queueText(ALICE, 'hello');

    await dispatcher.runOnce();

    const [form] = world.twilioApi.messages().map((m) => m.form);
    expect(form).toEqual({ To: ALICE, MessagingServiceSid: MESSAGING_SERVICE_SID, Body: 'hello', StatusCallback: STATUS_CALLBACK });
  });

  test('when a text is scheduled for later (quiet hours), then it waits until its time', async () => {
    const dispatcher = await setUp();
    await world.queueText(ALICE, 'good morning', 'study', new Date(world.clock.now().getTime() + 60_000));

    await dispatcher.runOnce();
    expect(world.twilioApi.messages()).toHaveLength(0);

    world.clock.advance(60_000);
    await dispatcher.runOnce();
    expect(world.twilioApi.messages()).toHaveLength(1);
  });
});

describe('rate per sender', () => {
  test.each([
    { rate: 1, afterMs: [0, 1_000, 2_000], sentSoFar: [1, 2, 3] },
    { rate: 2, afterMs: [0, 500, 1_000], sentSoFar: [2, 3, 3] },
  ])('when three texts are due at $rate per second, then they leave no faster than that ($sentSoFar)', async ({ rate, afterMs, sentSoFar }) => {
    const dispatcher = await setUp([project('study', { ratePerSecond: rate })]);
    for (const to of [ALICE, BOB, CAROL]) await world.queueText(to, 'invitation');
    const start = world.clock.now().getTime();

    const counts: number[] = [];
    for (const offset of afterMs) {
      world.clock.set(new Date(start + offset));
      await dispatcher.runOnce();
      counts.push(world.twilioApi.messages().length);
    }

    expect(counts).toEqual(sentSoFar);
  });

  test('when one sender has used its rate, then another sender still sends', async () => {
    const dispatcher = await setUp([project('a'), project('b', { from: '+15550002000' })]);
    await world.queueText(ALICE, 'from a', 'a');
    await world.queueText(BOB, 'from a', 'a');
    await world.queueText(CAROL, 'from b', 'b');

    const report = await dispatcher.runOnce();

    expect(report.sent).toBe(2);
    expect(report.rateLimitedForMs).toBe(1_000);
    expect(world.twilioApi.messages().map((m) => m.form.To)).toEqual([ALICE, CAROL]);
  });
});

describe('slots that run out (decision 0059)', () => {
  test('when the provider takes longer than the slots last, then the texts already in hand go, the rest wait for later rounds, and none is lost', async () => {
    await setUp();
    const slowProvider: SmsSender = {
      async send(request) {
        const outcome = await world.sender.send(request);
        world.clock.advance(SLOT_USE_BY_MS + 50); // the answer came after the round's slots had run out
        return outcome;
      },
    };
    const dispatcher = createOutboxDispatcher({
      delivery: world.delivery, pace: new InProcessSenderPace(), sender: slowProvider, projects: projectRegistry([project('study', { ratePerSecond: 20 })]),
      clock: world.clock, events: engineDeliveryEvents(world.deps), logger: world.logs.logger, participantKey: world.participantKey,
      statusCallbackUrl: STATUS_CALLBACK,
    });
    const phones = Array.from({ length: FEWEST_SENDS_AT_ONCE + 4 }, (_, i) => `+1555333${String(i).padStart(4, '0')}`);
    for (const to of phones) await world.queueText(to, 'invitation');

    // The first FEWEST_SENDS_AT_ONCE were handed over side by side while the slots were good; the others were not started.
    expect(await dispatcher.runOnce()).toMatchObject({ sent: FEWEST_SENDS_AT_ONCE });
    for (let round = 0; round < 10; round += 1) await dispatcher.runOnce();

    expect(world.twilioApi.messages().map((m) => m.form.To).sort()).toEqual([...phones].sort());
  });
});

describe('several projects', () => {
  test('when one project’s backlog is longer than a round, then another project’s text still goes in that round', async () => {
    const dispatcher = await setUp([project('a'), project('b', { from: OTHER_SENDER })]);
    for (let i = 0; i < 150; i += 1) await world.queueText(`+1555222${String(i).padStart(4, '0')}`, 'invitation', 'a');
    await world.queueText(CAROL, 'from b', 'b');

    const report = await dispatcher.runOnce();

    expect(report).toMatchObject({ sent: 2, rateLimitedForMs: 1_000 });
    expect(world.twilioApi.messages().map((m) => m.form.To)).toEqual(['+15552220000', CAROL]);
  });

  test('when two projects share a Messaging Service, then they take turns at its rate', async () => {
    const shared = { from: undefined, messagingServiceSid: MESSAGING_SERVICE_SID };
    const dispatcher = await setUp([project('a', shared), project('b', shared)]);
    for (const to of [ALICE, BOB]) await world.queueText(to, 'from a', 'a');
    await world.queueText(CAROL, 'from b', 'b');
    const start = world.clock.now().getTime();

    for (const offset of [0, 1_000, 2_000]) {
      world.clock.set(new Date(start + offset));
      await dispatcher.runOnce();
    }

    expect(world.twilioApi.messages().map((m) => m.form.To)).toEqual([ALICE, CAROL, BOB]);
  });

  test('when a text belongs to a project the configuration no longer has, then it is failed, never sent', async () => {
    const dispatcher = await setUp([project('study')]);
    const orphan = await world.queueText(ALICE, 'from a removed project', 'removed');
    await world.queueText(BOB, 'from study');

    const report = await dispatcher.runOnce();

    expect(report).toMatchObject({ sent: 1, failed: 1 });
    expect(world.outboxStatus(orphan)).toBe('failed');
    expect(world.twilioApi.messages().map((m) => m.form.To)).toEqual([BOB]);
  });
});

describe('retries', () => {
  test('when Twilio answers 429 then accepts, then the text is sent after the backoff', async () => {
    const dispatcher = await setUp();
    const id = await world.queueText(ALICE, 'Q1');
    world.twilioApi.failNext(FAILURES.rateLimited);

    const first = await dispatcher.runOnce();
    world.clock.advance(RETRY.baseMs - 1);
    const tooEarly = await dispatcher.runOnce();
    world.clock.advance(1);
    const second = await dispatcher.runOnce();

    expect([first.retried, tooEarly.sent, second.sent]).toEqual([1, 0, 1]);
    expect(world.twilioApi.messages()).toHaveLength(2);
    expect(world.outboxStatus(id)).toBe('sent');
  });

  test('when a participant’s first text is waiting for a retry, then their second text waits behind it', async () => {
    const dispatcher = await setUp([project('study', { ratePerSecond: 100 })]);
    await world.queueText(ALICE, 'first');
    await world.queueText(ALICE, 'second');
    await world.queueText(BOB, 'other participant');
    world.twilioApi.failNext(FAILURES.serverError);

    await dispatcher.runOnce();
    await dispatcher.runOnce();
    world.clock.advance(RETRY.baseMs);
    await dispatcher.runOnce();
    await dispatcher.runOnce();

    const accepted = world.twilioApi.messages().slice(1).map((m) => `${m.form.To} ${m.form.Body}`);
    expect(accepted).toEqual([`${BOB} other participant`, `${ALICE} first`, `${ALICE} second`]);
  });

  test('when Twilio keeps failing with 500, then the text fails after the attempt cap and the failure is recorded', async () => {
    const dispatcher = await setUp();
    const id = await world.queueText(ALICE, 'Q1');
    world.twilioApi.failNext(FAILURES.serverError, FAILURES.serverError, FAILURES.serverError);

    for (let attempt = 0; attempt < RETRY.maxAttempts; attempt += 1) {
      await dispatcher.runOnce();
      world.clock.advance(RETRY.maxDelayMs);
    }
    await dispatcher.runOnce();

    expect(world.twilioApi.messages()).toHaveLength(RETRY.maxAttempts);
    expect(world.outboxStatus(id)).toBe('failed');
    const events = world.db.prepare(`SELECT kind, body FROM transcript WHERE direction = 'event'`).all();
    expect(events).toEqual([{ kind: 'delivery-failed', body: 'gave up after 3 attempts: HTTP 500 (20500)' }]);
  });

  test('when Twilio does not answer within the timeout, then the send is retried later', async () => {
    const dispatcher = await setUp(undefined, { timeoutMs: 100 });
    const id = await world.queueText(ALICE, 'Q1');
    world.twilioApi.delayResponses(1_000);

    const report = await dispatcher.runOnce();

    expect(report.retried).toBe(1);
    expect(world.outboxStatus(id)).toBe('pending');
  });

  test('when Twilio rejects the number (21211), then the text fails at once without retrying', async () => {
    const dispatcher = await setUp();
    const id = await world.queueText(ALICE, 'Q1');
    world.twilioApi.failNext(FAILURES.invalidTo);

    const report = await dispatcher.runOnce();
    world.clock.advance(RETRY.maxDelayMs);
    await dispatcher.runOnce();

    expect(report.failed).toBe(1);
    expect(world.twilioApi.messages()).toHaveLength(1);
    expect(world.delivery.deliveryOf(id)?.error).toBe(21211);
  });
});

describe('opted-out numbers', () => {
  test('when the number opted out before the send, then nothing reaches Twilio and the text is suppressed', async () => {
    const dispatcher = await setUp();
    const id = await world.queueText(ALICE, 'Q2');
    await world.store.optOut('study', ALICE, world.clock.now().toISOString(), 'keyword');

    const report = await dispatcher.runOnce();

    expect(report.suppressed).toBe(1);
    expect(world.twilioApi.requests).toHaveLength(0);
    expect(world.outboxStatus(id)).toBe('suppressed');
  });

  test('when Twilio answers 21610, then the number is marked opted out and its other texts are never sent', async () => {
    const dispatcher = await setUp([project('study', { ratePerSecond: 100 })]);
    const first = await world.queueText(ALICE, 'Q1');
    const second = await world.queueText(ALICE, 'Q2');
    world.twilioApi.optOut(ALICE);

    await dispatcher.runOnce();
    await dispatcher.runOnce();

    expect(world.twilioApi.messages()).toHaveLength(1);
    expect(await world.store.isOptedOut('study', ALICE)).toBe(true);
    expect([world.outboxStatus(first), world.outboxStatus(second)]).toEqual(['failed', 'suppressed']);
  });
});

describe('the dispatcher loop', () => {
  test('when started and nudged, then it sends, beats, and stops after the current send', async () => {
    const dispatcher = await setUp();
    await world.queueText(ALICE, 'Q1');

    dispatcher.start();
    dispatcher.nudge();
    await expect.poll(() => world.twilioApi.messages().length).toBe(1);
    await dispatcher.stop();

    expect(dispatcher.lastBeat()).toEqual(world.clock.now());
  });

  test('when texts are sent, then the logs name the participant key, never the number or the text', async () => {
    const dispatcher = await setUp();
    await world.queueText(ALICE, 'my secret answer');
    await world.queueText(BOB, 'second secret');
    world.twilioApi.failNext(FAILURES.serverError);

    await dispatcher.runOnce();
    world.clock.advance(RETRY.maxDelayMs);
    await dispatcher.runOnce();

    const logs = world.logs.text();
    expect(logs).toContain(world.participantKey(ALICE));
    for (const secret of [ALICE, BOB, 'secret', 'REDCAPTOKEN']) expect(logs).not.toContain(secret);
  });
});

describe('a backlog longer than a round', () => {
  test('when the loop runs with nothing nudging it, then it goes round again while texts moved instead of resting between full rounds', async () => {
    await setUp();
    const dispatcher = createOutboxDispatcher({
      delivery: world.delivery, pace: new InProcessSenderPace(), sender: world.sender, projects: projectRegistry([project('study', { ratePerSecond: 1000 })]),
      clock: world.clock, events: engineDeliveryEvents(world.deps), logger: world.logs.logger, participantKey: world.participantKey,
      statusCallbackUrl: STATUS_CALLBACK, idleMs: 60_000, // a rest between rounds would outlast the test
    });
    const phones = Array.from({ length: 150 }, (_, i) => `+1555444${String(i).padStart(4, '0')}`);
    for (const to of phones) await world.queueText(to, 'invitation');

    dispatcher.start();
    try {
      const deadline = Date.now() + 10_000;
      while (world.twilioApi.messages().length < phones.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      await dispatcher.stop();
    }
    expect(world.twilioApi.messages().length).toBe(phones.length);
  });
});
