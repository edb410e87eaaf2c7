import { handleInbound, invite } from '../use-cases/index.js';
import { conversationSettings, durationMs, isIsoDuration, placeConversation, type ConversationSettingsInput } from '../conversation/index.js';
import type { ProjectDesign } from '../dictionary/project-design.js';
import type { Survey } from '../dictionary/model.js';
import type { RecordData } from '../logic/index.js';
import { englishCatalog } from '../messages/index.js';
import type { Fixture, Step } from '../replay/index.js';
import { REPLAY_PROJECT, ReplayWorld } from '../replay/index.js';

/**
 * A survey taken by hand: the replay world (in-memory database, fake clock, the real use cases)
 * driven one line at a time, remembering every step in the replay fixture format so the session
 * can be saved and replayed forever.
 */

export interface ChatOptions {
  survey: Survey;
  instrument: string;
  recordId: string;
  phone: string;
  /** The REDCap record before the survey. */
  record: Record<string, string>;
  /** ISO-8601 start of the fake clock. */
  start: string;
  settings: ConversationSettingsInput;
  /** A longitudinal or repeating project: its design, the invitation's event and the record's other rows. */
  place?: ChatPlace;
}

export interface ChatPlace {
  design: ProjectDesign;
  event?: string;
  rows: RecordData[];
}

export class ChatSession {
  readonly world: ReplayWorld;
  private readonly steps: Step[] = [];

  constructor(private readonly options: ChatOptions) {
    this.world = new ReplayWorld(options.start, conversationSettings(options.settings), englishCatalog, options.record);
  }

  /** Sends the invitation; returns the texts the participant received. */
  async begin(): Promise<string[]> {
    const { options, world } = this;
    const at = options.place;
    const placed = at === undefined ? undefined : placeConversation(at.design, at.rows, options.instrument, at.event ?? null);
    await invite(world.deps, {
      project: REPLAY_PROJECT, survey: options.survey, instrument: options.instrument,
      recordId: options.recordId, phone: options.phone, record: { ...placed?.record, ...world.redcap },
      ...(placed === undefined ? {} : { place: placed.place }),
    });
    this.steps.push('invite');
    return this.deliver();
  }

  /** The participant texts `body`; returns the replies. */
  async send(body: string): Promise<string[]> {
    await handleInbound(this.world.deps, {
      provider: 'replay', providerMessageId: this.world.nextMessageId(), project: REPLAY_PROJECT, from: this.options.phone, body,
    });
    this.steps.push({ send: body });
    return this.deliver();
  }

  /** Lets `duration` (ISO-8601) pass; returns the reminders and expiry texts it brought. */
  async wait(duration: string): Promise<string[]> {
    if (!isIsoDuration(duration)) throw new RangeError(`not an ISO-8601 duration: "${duration}" (try PT4H or P1D)`);
    await this.world.advance(durationMs(duration));
    this.steps.push({ wait: duration });
    return this.deliver();
  }

  /** Every value written to REDCap so far (fields that differ from the record before the survey). */
  writes(): RecordData {
    const before = this.options.record;
    return Object.fromEntries(Object.entries(this.world.redcap).filter(([field, value]) => before[field] !== value));
  }

  async status(): Promise<string> {
    return (await this.world.store.conversations(REPLAY_PROJECT)).at(-1)?.status ?? 'none';
  }

  now(): Date {
    return this.world.clock.now();
  }

  /** The session as a replay fixture, ending with the record and status it reached. */
  async fixture(dictionaryPath: string, description: string, designPath?: string): Promise<Fixture> {
    const writes = Object.fromEntries(Object.entries(this.writes()).map(([field, value]) => [field, String(value)]));
    const { options } = this;
    return {
      description, dictionary: dictionaryPath, instrument: options.instrument, recordId: options.recordId,
      phone: options.phone, record: options.record, settings: { ...options.settings }, catalog: {}, languages: [], start: options.start,
      ...(designPath === undefined ? {} : { design: designPath }),
      ...(options.place?.event === undefined ? {} : { event: options.place.event }),
      ...(options.place === undefined || options.place.rows.length === 0 ? {} : { rows: options.place.rows }),
      steps: [...this.steps, ...(Object.keys(writes).length > 0 ? [{ 'expect-record': writes }] : []), { 'expect-status': await this.status() }],
    };
  }

  async close(): Promise<void> {
    await this.world.close();
  }

  /** Moves what the engine queued to the phone and records each text as an expectation. */
  private async deliver(): Promise<string[]> {
    await this.world.dispatch();
    const texts = this.world.inbox.splice(0);
    this.steps.push(...texts.map((text) => ({ expect: text })));
    if (texts.length === 0) this.steps.push('expect-none');
    return texts;
  }
}
