/**
 * What the phone simulator page can do, in use-case terms: list the demo participants (from REDCap),
 * invite one, text as one (through the simulator channel, i.e. the webhook's inbound path), let time
 * pass, and show a participant's handset beside their REDCap record.
 */
import type { RedcapClient, FlatRecord } from '../ports/redcap/index.js';
import type { OffsetClock, PhoneMessage, SimulatorChannel, SimulatorPhones } from '../adapters/simulator/index.js';
import type { Survey } from '../dictionary/model.js';
import { durationMs, isIsoDuration } from '../conversation/index.js';
import type { ConversationDeps } from '../use-cases/conversation-deps.js';
import { fireDueTimers } from '../use-cases/fire-due-timers.js';
import { invite } from '../use-cases/start-conversation.js';
import { callingCodeOf, toE164 } from '../policies/phone-match.js';

export interface DemoSimulatorDeps {
  project: string;
  instrument: string;
  /** The sender number; national numbers in REDCap are read in its country. */
  homeNumber: string;
  phoneField: string;
  nameField: string;
  /** Shown with the instrument's fields, so STOP can be seen landing in REDCap. */
  optOutField: string;
  conversations: ConversationDeps;
  redcap: RedcapClient;
  survey: () => Promise<Survey>;
  channel: SimulatorChannel;
  handset: Pick<SimulatorPhones, 'messages'>;
  clock: OffsetClock;
  /** Wakes the dispatcher after the clock moved or an invitation was queued. */
  nudge: () => void;
}

export interface Participant {
  recordId: string;
  name: string;
  /** E.164, or null when the record has no usable number. */
  phone: string | null;
}

/** One row of the record panel: a REDCap column with its field label. */
export interface RecordCell {
  column: string;
  label: string;
  value: string;
}

export interface ParticipantView {
  participant: Participant;
  messages: PhoneMessage[];
  record: RecordCell[];
  /** The latest conversation's status for the demo instrument, or null before an invitation. */
  status: string | null;
  optedOut: boolean;
  now: string;
}

export class DemoProblem extends Error {}

export interface DemoSimulator {
  participants(): Promise<Participant[]>;
  view(recordId: string, afterMessageId?: number): Promise<ParticipantView>;
  invite(recordId: string): Promise<{ conversationId: string; status: string }>;
  reply(recordId: string, body: string): Promise<void>;
  /** Moves the clock on by an ISO-8601 duration and fires what fell due. */
  advance(duration: string): Promise<{ now: string; fired: number }>;
  now(): string;
}

export function createDemoSimulator(deps: DemoSimulatorDeps): DemoSimulator {
  const callingCode = callingCodeOf(deps.homeNumber);
  const toParticipant = (row: FlatRecord, idField: string): Participant => ({
    recordId: row[idField] ?? '',
    name: row[deps.nameField] ?? '',
    phone: toE164(row[deps.phoneField] ?? '', callingCode) ?? null,
  });

  async function record(recordId: string): Promise<{ row: FlatRecord; survey: Survey; participant: Participant }> {
    const survey = await deps.survey();
    const [row] = await deps.redcap.exportRecords({ records: [recordId] });
    if (row === undefined) throw new DemoProblem(`there is no record ${recordId}`);
    return { row, survey, participant: toParticipant(row, survey.recordIdField) };
  }

  async function phoneOf(recordId: string): Promise<{ phone: string; row: FlatRecord; survey: Survey }> {
    const found = await record(recordId);
    if (found.participant.phone === null) throw new DemoProblem(`record ${recordId} has no usable phone number`);
    return { phone: found.participant.phone, row: found.row, survey: found.survey };
  }

  async function latestStatus(recordId: string): Promise<string | null> {
    const rows = (await deps.conversations.store.conversations(deps.project))
      .filter((row) => row.recordId === recordId && row.instrument === deps.instrument);
    return rows.at(-1)?.status ?? null;
  }

  return {
    async participants() {
      const survey = await deps.survey();
      const rows = await deps.redcap.exportRecords({ fields: [survey.recordIdField, deps.nameField, deps.phoneField] });
      return rows.map((row) => toParticipant(row, survey.recordIdField));
    },
    async view(recordId, afterMessageId = 0) {
      const { row, survey, participant } = await record(recordId);
      const phone = participant.phone;
      return {
        participant,
        messages: phone === null ? [] : await deps.handset.messages(phone, afterMessageId),
        record: recordCells(survey, row, deps.instrument, [deps.optOutField]),
        status: await latestStatus(recordId),
        optedOut: phone !== null && await deps.conversations.store.isOptedOut(deps.project, phone),
        now: deps.clock.now().toISOString(),
      };
    },
    async invite(recordId) {
      const { phone, row, survey } = await phoneOf(recordId);
      const result = await invite(deps.conversations, {
        project: deps.project, survey, instrument: deps.instrument, recordId, phone, record: { ...row },
      });
      deps.nudge();
      return result;
    },
    async reply(recordId, body) {
      const { phone } = await phoneOf(recordId);
      await deps.channel.receive(deps.project, phone, body);
    },
    async advance(duration) {
      if (!isIsoDuration(duration)) throw new DemoProblem(`"${duration}" is not an ISO-8601 duration like PT4H or P1D`);
      deps.clock.advance(durationMs(duration));
      const fired = await fireDueTimers(deps.conversations);
      deps.nudge();
      return { now: deps.clock.now().toISOString(), fired };
    },
    now: () => deps.clock.now().toISOString(),
  };
}

/** The instrument's columns (checkbox options as `field___code`) and `extra` fields, labelled. */
export function recordCells(survey: Survey, row: FlatRecord, instrument: string, extra: readonly string[]): RecordCell[] {
  const fields = new Map(survey.fields.map((field) => [field.name, field]));
  const shown = new Set([...(survey.instruments.find((i) => i.name === instrument)?.fields ?? []), ...extra]);
  return Object.entries(row).flatMap(([column, value]) => {
    const [name = column, code] = column.split('___');
    const field = fields.get(name);
    if (field === undefined || !shown.has(name) || field.type === 'descriptive') return [];
    const option = code === undefined ? '' : ` — ${field.choices.find((c) => c.code === code)?.label ?? code}`;
    return [{ column, label: `${field.label}${option}`, value }];
  });
}
