import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { stringify } from 'yaml';
import { z } from 'zod';
import { parseCatalog } from '../messages/index.js';
import { remembered } from './remembered.js';
import { isIanaTimeZone } from '../conversation/time-zone.js';

/**
 * The shape of the project file (REDCAP_SMS_PROJECTS). Strict objects, so a misspelt key is an
 * error at its line rather than a setting silently ignored.
 */

export const OVERLAP_POLICIES = ['OVERWRITE', 'FIRST', 'CHOICE'] as const;
export type OverlapPolicy = (typeof OVERLAP_POLICIES)[number];

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, { error: 'must be an E.164 number like +15551234567' });
const fieldName = z.string().regex(/^[a-z][a-z0-9_]*$/, { error: 'must be a REDCap field name (a-z, 0-9, _)' });
const instrumentName = z.string().regex(/^[a-z][a-z0-9_]*$/, { error: 'must be an instrument name (a-z, 0-9, _)' });
const duration = z.iso.duration({ error: 'must be an ISO 8601 duration like PT4H or P1D' });
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'must be a 24-hour time HH:MM' });
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const nonEmpty = z.string().min(1, { error: 'must not be empty' });

const SenderSchema = z
  .strictObject({
    from: e164.optional(),
    messagingServiceSid: z.string().regex(/^MG[0-9a-fA-F]{32}$/, { error: 'must be an MG… SID' }).optional(),
    /** Extra numbers that route to this project (numbers of its Messaging Service). */
    numbers: z.array(e164).default([]),
    ratePerSecond: z.number().positive().max(1000).optional(),
    /** SMS_PROVIDER=mosio: the project's Mosio API key and the project id Mosio knows (REDCap's pid). */
    mosio: z
      .strictObject({
        apiKey: z.string().min(8, { error: 'must be at least 8 characters' }),
        projectId: z.union([z.string().regex(/^[A-Za-z0-9_-]+$/), z.number().int().positive().transform(String)]).optional(),
      })
      .optional(),
  })
  .refine((sender) => sender.from !== undefined || sender.messagingServiceSid !== undefined || sender.mosio !== undefined, {
    error: 'needs `from`, `messagingServiceSid` or `mosio`',
  });

const MessagesSchema = z.record(z.string(), z.string()).superRefine((messages, ctx) => {
  const load = parseCatalog(stringify(messages));
  if (load.ok) return;
  for (const problem of load.errors) {
    const key = problem.slice(0, problem.indexOf(':'));
    ctx.addIssue({ code: 'custom', path: key in messages ? [key] : [], message: problem.slice(key.length + 2) });
  }
});

const InvitationRuleSchema = z.strictObject({
  instrument: instrumentName,
  event: nonEmpty.optional(),
  /** REDCap logic that must be true for the record (checked on each Data Entry Trigger). */
  when: nonEmpty.optional(),
  delay: duration.optional(),
  /** Send at this time of day (project time zone), the first such moment after the delay. */
  at: clockTime.optional(),
  /** `sms`: the survey as an SMS conversation; `link`: one text with the record's survey link. */
  mode: z.enum(['sms', 'link']).default('sms'),
});

const SurveyQueueEntrySchema = z.strictObject({
  instrument: instrumentName,
  event: nonEmpty.optional(),
  when: nonEmpty.optional(),
  /** Start at once when the previous instrument completes; otherwise offer it ("reply to begin"). */
  autoStart: z.boolean().default(false),
});

export const ProjectSchema = z.strictObject({
  redcap: z.strictObject({ url: httpUrl, token: nonEmpty }),
  sender: SenderSchema,
  phoneField: fieldName,
  optOutFields: z.union([fieldName.transform((field) => [field]), z.array(fieldName)]).default([]),
  timeZone: z.string().refine(isIanaTimeZone, { error: 'must be an IANA time zone like America/New_York' }),
  timeZoneField: fieldName.optional(),
  quietHours: z.strictObject({ start: clockTime, end: clockTime }).optional(),
  reminders: z.array(duration).default([]),
  expiry: duration.optional(),
  overlapPolicy: z.enum(OVERLAP_POLICIES, { error: `must be one of ${OVERLAP_POLICIES.join(', ')}` }).default('CHOICE'),
  messages: MessagesSchema.default({}),
  invitationRules: z.array(InvitationRuleSchema).default([]),
  surveyQueue: z.array(SurveyQueueEntrySchema).default([]),
  /** Overrides TWILIO_DELETE_DELIVERED for this project. */
  deleteDeliveredMessages: z.boolean().optional(),
  /** Staff are told of every opt-out change by a JSON POST here (record ids, never the number). */
  optOutWebhookUrl: httpUrl.optional(),
  /** Outbound segments allowed per calendar month (Mosio plans cap them); warned at 80%, refused past it. */
  monthlySegmentBudget: z.number().int().positive().optional(),
});

export const ProjectFileSchema = z
  .strictObject({
    projects: z
      .record(z.string().regex(/^[A-Za-z0-9_-]+$/, { error: 'project ids use letters, digits, - and _' }), ProjectSchema)
      .refine((projects) => Object.keys(projects).length > 0, { error: 'must define at least one project' }),
  })
  .superRefine((file, ctx) => {
    // Inbound texts are routed by the number they were sent to, so a number may belong to one project only.
    const owner = new Map<string, string>();
    for (const [id, project] of Object.entries(file.projects)) {
      for (const number of routingNumbers(project.sender)) {
        const first = owner.get(number);
        if (first !== undefined) {
          ctx.addIssue({ code: 'custom', path: ['projects', id, 'sender'], message: `number already used by project ${first}` });
        }
        owner.set(number, id);
      }
    }
  });

export type ProjectFileInput = z.infer<typeof ProjectFileSchema>;
export type SenderSettings = z.infer<typeof SenderSchema>;

/** The numbers whose inbound texts belong to a sender's project, normalised to E.164. */
export function routingNumbers(sender: { from?: string | undefined; numbers: readonly string[] }): string[] {
  const all = sender.from === undefined ? sender.numbers : [sender.from, ...sender.numbers];
  return [...new Set(all.map(normaliseNumber))];
}

/**
 * E.164 form of a number, so "+1 (555) 123-0001" and "+15551230001" route the same way. Parsing took a
 * tenth of an inbound text's CPU, for numbers that text the service again and again.
 */
export const normaliseNumber = remembered((number) => parsePhoneNumberFromString(number)?.number ?? number, 50_000);
