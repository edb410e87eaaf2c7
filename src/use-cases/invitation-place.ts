/**
 * Where an invitation's conversation sits in its REDCap project: the event, the repeat instance its answers
 * go to, and the record across events and instances for branching and piping (decision 0056). REDCap's
 * events, arms, form–event mapping and repeating instruments are read only when the project info says the
 * project is longitudinal or repeats something: a classic project costs one project-info read, kept a while.
 */
import { placeConversation, type ConversationPlace } from '../conversation/index.js';
import { CLASSIC_DESIGN, designFromApi, type ProjectDesign } from '../dictionary/project-design.js';
import type { RecordData } from '../logic/index.js';
import { baseRow, type RecordRows } from '../policies/invitation-rules.js';
import type { RedcapClient } from '../ports/redcap/index.js';
import type { ConversationTarget } from '../ports/storage/redcap-sync-store.js';

/** How long a project's design is trusted before REDCap is asked again (a design rarely changes mid-study). */
export const DESIGN_TTL_MS = 5 * 60_000;

export interface PlacedInvitation {
  /** Where the write-back imports the answers. */
  target: ConversationTarget;
  /** The row the conversation fills in. */
  record: RecordData;
  /** The conversation's place; absent in a classic project. */
  place?: ConversationPlace;
}

export async function placeInvitation(
  client: RedcapClient, record: RecordRows, instrument: string, event: string | null, now: Date,
): Promise<PlacedInvitation> {
  const design = await projectDesign(client, now);
  if (design === CLASSIC_DESIGN) return { target: { event, repeatInstrument: null, repeatInstance: null }, record: baseRow(record, event) };
  const placed = placeConversation(design, record.rows, instrument, event);
  const repeat = placed.place.repeat;
  return {
    target: { event, repeatInstrument: repeat?.instrument ?? null, repeatInstance: repeat?.instance ?? null },
    record: placed.record,
    place: placed.place,
  };
}

const known = new WeakMap<RedcapClient, { design: ProjectDesign; readAt: number }>();

/** The project's design, from REDCap's answers; `CLASSIC_DESIGN` itself for a classic project. */
export async function projectDesign(client: RedcapClient, now: Date): Promise<ProjectDesign> {
  const cached = known.get(client);
  if (cached !== undefined && now.getTime() - cached.readAt < DESIGN_TTL_MS) return cached.design;
  const design = await readDesign(client);
  known.set(client, { design, readAt: now.getTime() });
  return design;
}

async function readDesign(client: RedcapClient): Promise<ProjectDesign> {
  const info = await client.exportProjectInfo();
  const longitudinal = info.is_longitudinal === 1;
  const repeats = info.has_repeating_instruments_or_events === 1;
  if (!longitudinal && !repeats) return CLASSIC_DESIGN;
  const [events, arms, mapping] = longitudinal
    ? await Promise.all([client.exportEvents(), client.exportArms(), client.exportFormEventMapping()])
    : [[], [], []];
  const repeating = repeats ? await client.exportRepeatingFormsEvents() : [];
  return designFromApi({ events, arms, mapping, repeating });
}
