/**
 * Participants in the in-process world, round by round: each round every participant does at most one
 * thing (answer the question it was last asked, opt out, opt back in), then the dispatcher and the
 * write-back each take a round and the fake clock moves on. Deterministic: nothing runs in the background.
 */
import type { OptOutInterval } from './invariants.js';
import { INVALID_SLEEP, QUESTIONS, questionIn, type Participant } from './study.js';
import type { World } from './world.js';

interface Progress {
  question: number;
  invalidSent: boolean;
  stopped: number | undefined;
  restarted: boolean;
  finished: boolean;
}

export interface DriveResult {
  acknowledged: string[];
  /** Every distinct webhook, to deliver again later. */
  posted: { sid: string; phone: string; body: string }[];
  optOuts: OptOutInterval[];
  rounds: number;
  finished: number;
}

export interface DriveOptions {
  readonly maxRounds?: number;
  readonly stepMs?: number;
  /** Called before each round (the outage script). */
  readonly beforeRound?: (round: number) => Promise<void> | void;
  /** Keeps going round (the clock moving, the workers working) at least this long. */
  readonly minRounds?: number;
  /** Sends each webhook this many times (a retrying provider). */
  readonly deliveries?: number;
}

export async function drive(world: World, participants: readonly Participant[], options: DriveOptions = {}): Promise<DriveResult> {
  const progress = new Map(participants.map((p) => [p.phone, { question: 0, invalidSent: false, stopped: undefined, restarted: false, finished: false } as Progress]));
  const result: DriveResult = { acknowledged: [], posted: [], optOuts: [], rounds: 0, finished: 0 };
  let sid = 0;
  const say = async (phone: string, body: string): Promise<number> => {
    const id = `SMdrive${String(++sid).padStart(27, '0')}`;
    for (let i = 0; i < (options.deliveries ?? 1); i += 1) {
      const response = await world.text(phone, body, id);
      if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
    }
    result.acknowledged.push(id);
    result.posted.push({ sid: id, phone, body });
    return Date.now();
  };
  const asked = (phone: string, test: (body: string) => boolean) =>
    world.twilio.accepted().some((send) => send.to === phone && test(send.body));
  for (let round = 0; round < (options.maxRounds ?? 600); round += 1) {
    result.rounds = round + 1;
    await options.beforeRound?.(round);
    for (const participant of participants) {
      const state = progress.get(participant.phone)!;
      if (state.finished) continue;
      if (state.stopped !== undefined && !state.restarted) {
        result.optOuts.push({ phone: participant.phone, from: state.stopped, to: Date.now() });
        await say(participant.phone, 'START');
        state.restarted = true;
      } else if (state.question === QUESTIONS.length) {
        state.finished = asked(participant.phone, (body) => /thank you/i.test(body));
      } else if (asked(participant.phone, (body) => questionIn(body) === state.question)) {
        if (participant.invalidAt === state.question && !state.invalidSent) {
          await say(participant.phone, INVALID_SLEEP);
          state.invalidSent = true;
          continue;
        }
        await say(participant.phone, participant.replies[state.question]!);
        if (participant.stopAfter === state.question) state.stopped = await say(participant.phone, 'STOP');
        state.question += 1;
      }
    }
    await world.service.dispatcher.runOnce();
    await world.service.redcap.writer.runOnce();
    world.clock.advance(options.stepMs ?? 1_000);
    result.finished = [...progress.values()].filter((s) => s.finished).length;
    if (result.finished === participants.length && round + 1 >= (options.minRounds ?? 0)) break;
  }
  return result;
}
