import { isValidPhoneNumber, parsePhoneNumberFromString } from 'libphonenumber-js';
import { z } from 'zod';
import type { DictionaryReport, InstrumentReport } from '../checks/check-dictionary.js';
import type { Survey } from '../dictionary/model.js';

/**
 * The engine's driving port: what the HTTP adapters (admin API, REDCap's Data Entry Trigger, the projects
 * API) ask of the engine, in the engine's terms. The use cases implement these; the adapters only call them.
 */

export interface CompletedInstrument {
  project: string;
  recordId: string;
  instrument: string;
  event: string | null;
}

/** The body of POST /api/invitations (DESIGN §3). */
export const InvitationRequestSchema = z.strictObject({
  record: z.string().trim().min(1, { error: 'record is required' }),
  instrument: z.string().regex(/^[a-z][a-z0-9_]*$/, { error: 'instrument must be an instrument name' }),
  event: z.string().min(1).optional(),
  phone: z
    .string()
    .refine((phone) => isValidPhoneNumber(phone), { error: 'phone is not a valid phone number (use E.164, e.g. +15551234567)' })
    .transform((phone) => parsePhoneNumberFromString(phone)?.number ?? phone)
    .optional(),
  mode: z.enum(['sms', 'link']).default('sms'),
  sendAt: z.iso.datetime({ offset: true, error: 'sendAt must be an ISO date-time with a time zone' }).optional(),
  /** Which project; optional when the service runs one. */
  project: z.string().min(1).optional(),
  /** The language the participant reads (a configured MLM language id); otherwise the record's language field decides. */
  language: z.string().min(1).optional(),
});

export type InvitationRequest = z.infer<typeof InvitationRequestSchema>;

/** What creating an invitation can come to; each has its HTTP status. */
export type InvitationOutcome =
  | { readonly kind: 'created'; readonly invitation: Readonly<Record<string, unknown>> }
  | { readonly kind: 'unknown-instrument' | 'missing-record' | 'no-phone' | 'unknown-project' | 'bad-send-at' | 'unknown-language'; readonly message: string }
  | { readonly kind: 'refused'; readonly message: string }
  /** REDCap could not be asked; nothing was stored. */
  | { readonly kind: 'unavailable'; readonly message: string };

export interface Invitations {
  create(request: InvitationRequest): Promise<InvitationOutcome>;
}

/** The DET fields we use. REDCap does not sign DETs: nothing here is trusted beyond naming a record. */
export interface DataEntryTrigger {
  projectId: string;
  record: string;
  instrument: string;
  event: string | null;
}

export type DetOutcome =
  | { kind: 'unknown-project' }
  | { kind: 'accepted'; project: string; scheduled: number }
  /** REDCap could not be read; the DET is kept and retried (REDCap itself never resends one). */
  | { kind: 'queued' };

export type SurveyLoad =
  | { ok: true; survey: Survey; report: DictionaryReport; /** False when it equals the active version. */ changed: boolean }
  | { ok: false; report: DictionaryReport };

/** What `GET /api/projects/:id` shows: the active version, its instruments, what SMS cannot ask. */
export interface ProjectSurveyView {
  project: string;
  activeVersion: { id: string; source: 'pull' | 'load'; loadedAt: string; recordIdField: string; instruments: InstrumentReport[] } | null;
}
