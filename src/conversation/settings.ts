import { z } from 'zod';
import { isIsoDuration } from './duration.js';

const Duration = z.string().refine(isIsoDuration, { message: 'expected an ISO-8601 duration such as PT4H or P1D' });
const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'expected a 24-hour time HH:MM' });

/** Keyword lists are compared after normalising (upper case, letters and digits only). */
const KeywordsSchema = z.object({
  stop: z.array(z.string()).default(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT']),
  start: z.array(z.string()).default(['START', 'UNSTOP']),
  /** Opt back in only while opted out; otherwise these words are ordinary answers. */
  startWhileOptedOut: z.array(z.string()).default(['YES']),
  help: z.array(z.string()).default(['HELP', 'INFO']),
  skip: z.array(z.string()).default(['SKIP']),
  back: z.array(z.string()).default(['BACK']),
  repeat: z.array(z.string()).default(['REPEAT']),
  /** Keeps a value outside the soft range when the engine asked to confirm it. */
  confirm: z.array(z.string()).default(['YES', 'Y']),
});

/** An instrument's survey settings, as REDCap keeps them on its Survey Settings page. */
export const SurveySettingsSchema = z.object({
  title: z.string().optional(),
  /** Sent before the first question. */
  instructions: z.string().optional(),
  /** REDCap's survey completion text; replaces the catalog's completion message for this instrument. */
  endText: z.string().optional(),
  /** Stop actions: the survey ends when one of these codes is chosen for the field (field → codes). */
  stopActions: z.record(z.string(), z.array(z.string())).default({}),
});
export type SurveySettings = z.infer<typeof SurveySettingsSchema>;

/** How one project runs its SMS conversations. Every field has a default, so `{}` is a valid setting. */
export const ConversationSettingsSchema = z.object({
  keywords: KeywordsSchema.default(KeywordsSchema.parse({})),
  /** `first-question`: the invitation carries the first question; `reply-to-begin`: REDCap's "reply to begin". */
  invitation: z.enum(['first-question', 'reply-to-begin']).default('first-question'),
  invitationText: z.string().optional(),
  completionText: z.string().optional(),
  helpText: z.string().optional(),
  /** Delays after the last exchange at which the current question is sent again. */
  reminders: z.array(Duration).default([]),
  /** Delay after the last exchange after which the conversation expires; null = never. */
  expiry: Duration.nullable().default(null),
  /** What a text after expiry does: carry on where the participant left off, or say the survey closed. */
  afterExpiry: z.enum(['resume', 'closed']).default('resume'),
  /** No unsolicited text between `start` and `end` (participant's local time); may cross midnight. */
  quietHours: z.object({ start: ClockTime, end: ClockTime }).nullable().default(null),
  timeZone: z.string().default('UTC'),
  /** A record field holding the participant's IANA time zone; falls back to `timeZone`. */
  timeZoneField: z.string().nullable().default(null),
  overlap: z.enum(['OVERWRITE', 'FIRST', 'CHOICE']).default('CHOICE'),
  /** After `maxInvalid` invalid replies within `windowMinutes` the conversation pauses for staff. */
  loopGuard: z.object({
    maxInvalid: z.number().int().positive().default(10),
    windowMinutes: z.number().int().positive().default(60),
  }).default({ maxInvalid: 10, windowMinutes: 60 }),
  /** Most fields one step may pass over (hidden, calculated…) before it stops and flags the survey. */
  skipCap: z.number().int().positive().default(1000),
  /** A record field that receives the opt-out time (`Y-M-D H:M:S`, participant's zone), cleared on opt-in. */
  optOutField: z.string().nullable().default(null),
  /** Twilio confirms STOP itself by default; turn on only when the number has no provider opt-out. */
  optOutConfirmation: z.boolean().default(false),
  /** Display names for instruments in the CHOICE menu; the instrument name otherwise. */
  titles: z.record(z.string(), z.string()).default({}),
  /** Survey settings by instrument. */
  surveys: z.record(z.string(), SurveySettingsSchema).default({}),
});

export type ConversationSettings = z.infer<typeof ConversationSettingsSchema>;
export type ConversationSettingsInput = z.input<typeof ConversationSettingsSchema>;

export function conversationSettings(input: ConversationSettingsInput = {}): ConversationSettings {
  return ConversationSettingsSchema.parse(input);
}
