import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { stringify } from 'yaml';
import { z } from 'zod';
import { parseCatalog } from '../messages/index.js';
import { LanguagesSchema, SurveySettingsFileSchema } from './languages-schema.js';
import { remembered } from './remembered.js';
import { isIanaTimeZone } from '../conversation/time-zone.js';
import { durationMs, isIsoDuration } from '../conversation/duration.js';

/**
 * The shape of the project file (REDCAP_SMS_PROJECTS). Strict objects, so a misspelt key is an
 * error at its line rather than a setting silently ignored.
 */

export const OVERLAP_POLICIES = ['OVERWRITE', 'FIRST', 'CHOICE'] as const;
export type OverlapPolicy = (typeof OVERLAP_POLICIES)[number];

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, { error: 'must be an E.164 number like +15551234567' }).meta({ title: 'E.164 phone number' });
const fieldName = z.string().regex(/^[a-z][a-z0-9_]*$/, { error: 'must be a REDCap field name (a-z, 0-9, _)' }).meta({ title: 'REDCap field name' });
const instrumentName = z.string().regex(/^[a-z][a-z0-9_]*$/, { error: 'must be an instrument name (a-z, 0-9, _)' }).meta({ title: 'instrument name' });
const duration = z.iso.duration({ error: 'must be an ISO 8601 duration like PT4H or P1D' }).meta({ title: 'ISO 8601 duration' });
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'must be a 24-hour time HH:MM' }).meta({ title: '24-hour time HH:MM' });
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).meta({ title: 'http(s) URL' });
const nonEmpty = z.string().min(1, { error: 'must not be empty' });
const logic = nonEmpty.meta({ title: 'REDCap logic' });

/*
 * Each key's `.meta()` documents it for docs/configuration.md (`npm run docs:config`): `description`,
 * `example` (a value as written in the YAML file; a test checks that each one is accepted), and
 * `defaultText` for a default the code works out.
 */

const SenderSchema = z
  .strictObject({
    from: e164.optional().meta({ description: 'The sender number; inbound texts to it belong to this project.', example: '+15555550100' }),
    messagingServiceSid: z.string().regex(/^MG[0-9a-fA-F]{32}$/, { error: 'must be an MG… SID' }).optional()
      .meta({ title: 'MG… SID', description: 'Send through this Twilio Messaging Service (it picks the sender number); `from`, when also set, then only routes inbound texts.', example: 'MG0123456789abcdef0123456789abcdef' }),
    numbers: z.array(e164).default([]).meta({ description: "More numbers whose inbound texts belong to this project (the Messaging Service's other numbers). A number may belong to one project only.", example: ['+15555550101', '+15555550102'] }),
    ratePerSecond: z.number().positive().max(1000).optional().meta({ description: "Texts per second from this sender. Projects that share a Messaging Service share its rate.", example: 3, defaultText: '`TWILIO_SEND_RATE`' }),
    mosio: z
      .strictObject({
        apiKey: z.string().min(8, { error: 'must be at least 8 characters' }).meta({ description: "The project's Mosio API key (SMS_PROVIDER=mosio); usually a `${ENV}` reference.", example: '${MOOD_MOSIO_KEY}' }),
        projectId: z.union([z.string().regex(/^[A-Za-z0-9_-]+$/), z.number().int().positive().transform(String)])
          .meta({ description: 'The project id Mosio knows the project by (its REDCap project id).', example: 1234, defaultText: "the project's id in this file" })
          .optional(),
      })
      .optional()
      .meta({ description: "The project's Mosio account, for SMS_PROVIDER=mosio." }),
  })
  .refine((sender) => sender.from !== undefined || sender.messagingServiceSid !== undefined || sender.mosio !== undefined, {
    error: 'needs `from`, `messagingServiceSid` or `mosio`',
  })
  .meta({ description: 'Who sends the texts: at least one of `from`, `messagingServiceSid` or `mosio`.' });

const MessagesSchema = z.record(z.string(), z.string()).superRefine((messages, ctx) => {
  const load = parseCatalog(stringify(messages));
  if (load.ok) return;
  for (const problem of load.errors) {
    const key = problem.slice(0, problem.indexOf(':'));
    ctx.addIssue({ code: 'custom', path: key in messages ? [key] : [], message: problem.slice(key.length + 2) });
  }
});

const InvitationRuleSchema = z.strictObject({
  instrument: instrumentName.meta({ description: 'The instrument to invite the record to.', example: 'daily' }),
  event: nonEmpty.optional().meta({ description: 'The unique event name, in a longitudinal project.', example: 'week_1_arm_1' }),
  when: logic.optional().meta({ description: 'REDCap logic that must be true for the record, checked on each Data Entry Trigger.', example: "[consent] = '1'" }),
  delay: duration.optional().meta({ description: 'How long after the trigger to send.', example: 'PT1H' }),
  at: clockTime.optional().meta({ description: 'Send at this time of day (project time zone), the first such moment after the delay.', example: '09:00' }),
  mode: z.enum(['sms', 'link']).default('sms').meta({ description: "`sms`: the survey as an SMS conversation; `link`: one text with the record's survey link.", example: 'link' }),
});

const SurveyQueueEntrySchema = z.strictObject({
  instrument: instrumentName.meta({ description: 'The instrument that comes next.', example: 'weekly' }),
  event: nonEmpty.optional().meta({ description: 'The unique event name, in a longitudinal project.', example: 'week_1_arm_1' }),
  when: logic.optional().meta({ description: 'REDCap logic that must be true for the record.', example: "[daily_complete] = '2'" }),
  autoStart: z.boolean().default(false).meta({ description: 'Start at once when the previous instrument completes; otherwise offer it ("reply to begin").', example: true }),
});

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

const DiarySchema = z.strictObject({
  instrument: instrumentName.meta({ description: 'The instrument each occurrence invites to; it should repeat (a repeating instrument or event), so each occurrence is a new instance.', example: 'daily_diary' }),
  event: nonEmpty.optional().meta({ description: 'The unique event the occurrences go to, in a longitudinal project.', example: 'diary_arm_1' }),
  startField: fieldName.meta({ description: 'The record\'s date field (`YYYY-MM-DD`) the schedule counts from; a record without it gets no diary yet.', example: 'date_enrolled' }),
  startOffsetDays: z.number().int().min(0).max(365).default(0).meta({ description: 'Days from the start date to the first day that may hold an occurrence.', example: 1 }),
  every: z.union([z.number().int().min(1).max(365), z.array(z.enum(WEEKDAYS)).min(1)]).default(1)
    .meta({ description: 'Every N days, or on these days of the week (`sun` … `sat`).', example: ['mon', 'wed', 'fri'] }),
  at: z.union([
    clockTime,
    z.strictObject({ from: clockTime, to: clockTime }).refine((w) => w.from < w.to, { error: '`from` must be before `to` on the same day' }),
  ], { error: (issue) => (issue.input === undefined ? 'is required' : 'must be a time HH:MM or a window { from: HH:MM, to: HH:MM }') }).meta({ description: "The time of day in the participant's zone (`20:00`), or a window (`{ from: '09:00', to: '21:00' }`) in which a random minute is drawn each day (experience sampling), the same minute after a restart.", example: '20:00' }),
  count: z.number().int().min(1).max(1000).optional().meta({ description: 'How many occurrences.', example: 14, defaultText: 'until `until` holds, at most 1000' }),
  until: logic.optional().meta({ description: 'REDCap logic: once true for the record, no further occurrence is planned.', example: "[withdrawn] = '1'" }),
  expireAfter: duration.default('PT12H').meta({ description: 'How long an occurrence stays open: one not sent by then is missed, and its conversation expires after this long without a reply.', example: 'PT4H' }),
});

export type DiarySettings = z.infer<typeof DiarySchema>;

export const ProjectSchema = z.strictObject({
  redcap: z.strictObject({
    url: httpUrl.meta({ description: "The REDCap API endpoint (your REDCap's address followed by `/api/`).", example: 'https://redcap.example.org/api/' }),
    token: nonEmpty.meta({ description: "The project's API token, usually a `${ENV}` reference ([rights it needs](going-live.md#the-redcap-api-token)).", example: '${MOOD_REDCAP_TOKEN}' }),
  }).meta({ description: 'Where the REDCap project is.' }),
  sender: SenderSchema,
  phoneField: fieldName.meta({ description: "The REDCap field holding the participant's phone number.", example: 'phone' }),
  optOutFields: z.union([fieldName.transform((field) => [field]), z.array(fieldName)])
    .meta({ description: 'Fields set on STOP, on every record with that number: a text or datetime field gets the opt-out time, a checkbox its option 1; cleared on START. One field or a list.', example: ['sms_opt_out', 'sms_opted_out'], defaultText: 'none' })
    .default([]),
  timeZone: z.string().refine(isIanaTimeZone, { error: 'must be an IANA time zone like America/New_York' })
    .meta({ title: 'IANA time zone', description: "The project's time zone: quiet hours, invitation times, `today` and `now`, the opt-out time.", example: 'America/Chicago' }),
  timeZoneField: fieldName.optional().meta({ description: "A record field holding the participant's own IANA time zone; a blank or unknown value falls back to `timeZone`.", example: 'tz' }),
  quietHours: z.strictObject({
    start: clockTime.meta({ description: 'When the quiet window begins.', example: '21:00' }),
    end: clockTime.meta({ description: 'When it ends.', example: '08:00' }),
  }).optional()
    .meta({ description: "Texts the participant did not just ask for (invitations, reminders, the expiry notice) wait until `end` when they fall between `start` and `end` in the participant's time zone; the window may cross midnight. Answers to the participant's own texts go at once." }),
  reminders: z.array(duration).default([]).meta({ description: 'Delays after the last exchange (the invitation or the participant\'s last text) at which the current question is sent again, prefixed "Reminder:".', example: ['PT4H', 'P1D'] }),
  expiry: duration.optional().meta({ description: 'Delay after the last exchange after which the conversation expires: the participant is told, the answers so far stay in REDCap, and a later text carries on where they left off.', example: 'P2D', defaultText: 'never' }),
  overlapPolicy: z.enum(OVERLAP_POLICIES, { error: `must be one of ${OVERLAP_POLICIES.join(', ')}` }).default('CHOICE')
    .meta({ description: "What a second invitation does while a survey is open on that phone, as REDCap's setting: `OVERWRITE` the newest wins, `FIRST` in the order received, `CHOICE` the participant picks from a list.", example: 'FIRST' }),
  messages: MessagesSchema.default({}).meta({ description: 'Replaces texts of the message catalog, by key (the keys are listed below); a text may use only the `{name}` placeholders of its English one.', example: { 'conversation.completion': 'Thank you! You are done for today.' } }),
  invitationRules: z.array(InvitationRuleSchema).default([]).meta({ description: 'Invitations scheduled when a Data Entry Trigger shows a record meets `when`.' }),
  surveyQueue: z.array(SurveyQueueEntrySchema).default([]).meta({ description: 'What follows a completed instrument: the first entry, in order, that is not complete yet and whose `when` holds.' }),
  diaries: z.array(DiarySchema).default([]).meta({ description: 'Recurring invitations (daily diaries, experience sampling): planned for a record from its start date, one occurrence after another; a record is picked up by a Data Entry Trigger or by the diary sweep (`diarySweepEvery`), so one created by an API import starts too.' }),
  diarySweepEvery: duration.refine((text) => !isIsoDuration(text) || durationMs(text) >= 60_000, { error: 'must be at least PT1M' }).default('PT15M')
    .meta({ description: 'How often the service reads the records with a diary start date from REDCap and plans the occurrences they call for (REDCap sends no Data Entry Trigger for an API import). Only projects with `diaries` are read.', example: 'PT1H' }),
  deleteDeliveredMessages: z.boolean().optional().meta({ description: 'Delete delivered texts from Twilio once their conversation has ended.', example: true, defaultText: '`TWILIO_DELETE_DELIVERED`' }),
  optOutWebhookUrl: httpUrl.optional().meta({ description: 'Staff are told of every opt-out change by a JSON POST here (project, status, record ids and time; never the number).', example: 'https://hooks.example.org/opt-outs' }),
  monthlySegmentBudget: z.number().int().positive().optional().meta({ description: 'Outbound SMS segments allowed per calendar month (Mosio plans cap them): a warning at 80%, sends refused past it.', example: 3000, defaultText: 'no cap' }),
  languages: LanguagesSchema.default([]),
  languageField: fieldName.optional().meta({ description: "A record field holding the participant's language id (REDCap MLM's language field, e.g. one with `@LANGUAGE-CURRENT-SURVEY`); a blank or unknown value falls back to the first language.", example: 'language' }),
  surveys: z.record(instrumentName, SurveySettingsFileSchema).default({})
    .meta({
      description: "Survey settings per instrument, as REDCap's Survey Settings page keeps them: `title` (sent above the first question, piped by `[survey-title]`), `instructions` (sent before the first question), `endText` (the completion text) and `stopActions` (field → the choice codes that end the survey at once, complete). An MLM export's `surveyTranslations` translate the texts.",
      example: { phq: { title: 'PHQ check-in', instructions: 'A few short questions.', endText: 'Thank you!', stopActions: { phq1: ['3'] } } },
    }),
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
