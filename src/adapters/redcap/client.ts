/**
 * The REDCap API client: one method per API call redcap-sms needs. Each request spends one token of the
 * request budget, is retried on 5xx/network/timeout with backoff, and fails with a RedcapError whose
 * message never holds the token or a submitted value.
 */
import { z } from 'zod';
import { createRequestBudget, type RequestBudget } from './budget.js';
import { describeProblems, importProblems, readErrorBody } from './error-body.js';
import { RedcapError, classifyFailure, scrubSecret } from '../../ports/redcap/errors.js';
import { encodeForm, type FormParams } from './form.js';
import {
  ExportFieldNameSchema, FlatRecordSchema, FormEventMappingSchema, RedcapArmSchema, ImportCountSchema, InstrumentInfoSchema,
  MetadataRowSchema, ProjectInfoSchema, RedcapEventSchema, RepeatingFormEventSchema,
} from '../../ports/redcap/responses.js';
import { addsInstance, type RedcapClient } from '../../ports/redcap/client.js';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from './retry.js';
import { realSleep, type Clock, type Sleep } from './timing.js';
export { addsInstance, type ExportRecordsQuery, type RedcapClient, type SurveyLinkQuery } from '../../ports/redcap/client.js';
import { createAxiosTransport, type RawReply, type Transport } from './transport.js';

export interface RedcapClientOptions {
  /** The API endpoint, e.g. `https://redcap.example.edu/api/`. */
  url: string;
  token: string;
  timeoutMs?: number;
  /** Extra attempts after a 5xx, network error or timeout (default 3). */
  retries?: number;
  /** First backoff delay, doubled per retry (default 500 ms). */
  backoffMs?: number;
  /** Requests per sliding minute (default 600), or a budget shared with other clients of the same server. */
  budget?: { requestsPerMinute: number } | RequestBudget;
  clock?: Clock;
  sleep?: Sleep;
}

const DEFAULT_TIMEOUT_MS = 30_000;

export function createRedcapClient(options: RedcapClientOptions): RedcapClient {
  const call = createCaller(options);
  const list = <S extends z.ZodType>(schema: S) => (body: string) => parseJson(z.array(schema), body);
  const classicAsEmpty = async <T>(request: Promise<T[]>): Promise<T[]> =>
    request.catch((error: unknown) => {
      if (error instanceof RedcapError && /classic project/i.test(error.message)) return [];
      throw error;
    });

  return {
    exportMetadata: () => call('export metadata', { content: 'metadata' }, list(MetadataRowSchema)),
    exportProjectInfo: () => call('export project info', { content: 'project' }, (b) => parseJson(ProjectInfoSchema, b)),
    exportInstruments: () => call('export instruments', { content: 'instrument' }, list(InstrumentInfoSchema)),
    exportEvents: () => classicAsEmpty(call('export events', { content: 'event' }, list(RedcapEventSchema))),
    exportFormEventMapping: () =>
      classicAsEmpty(call('export form-event mapping', { content: 'formEventMapping' }, list(FormEventMappingSchema))),
    exportArms: () => classicAsEmpty(call('export arms', { content: 'arm' }, list(RedcapArmSchema))),
    exportFieldNames: () => call('export field names', { content: 'exportFieldNames' }, list(ExportFieldNameSchema)),
    exportRepeatingFormsEvents: () =>
      call('export repeating instruments and events', { content: 'repeatingFormsEvents' }, list(RepeatingFormEventSchema)),
    exportRecords: (query = {}) =>
      call('export records', {
        content: 'record', type: 'flat', rawOrLabel: 'raw',
        records: query.records, fields: query.fields, events: query.events, filterLogic: query.filterLogic,
      }, list(FlatRecordSchema)),
    exportSurveyLink: (query) =>
      call('export survey link', {
        content: 'surveyLink', record: query.record, instrument: query.instrument, event: query.event,
        repeat_instance: query.repeatInstance === undefined ? undefined : String(query.repeatInstance),
      }, (body) => body.trim()),
    exportVersion: () => call('export version', { content: 'version' }, (body) => body.trim()),
    importRecords: (rows, options = {}) =>
      call('import records', {
        content: 'record', type: 'flat', overwriteBehavior: options.overwrite === true ? 'overwrite' : 'normal', returnContent: 'count', data: JSON.stringify(rows),
      }, (body) => Number(parseJson(ImportCountSchema, body).count), { once: rows.some(addsInstance) }),
  };
}


/** `once`: send a single time, never retried, for requests that are not safe to repeat. */
type Caller = <T>(action: string, params: FormParams, read: (body: string) => T, options?: { once: boolean }) => Promise<T>;

/** Budget → send → interpret, retried as a whole; the token is added here and nowhere else. */
function createCaller(options: RedcapClientOptions): Caller {
  if (options.token.trim() === '') throw new RangeError('a REDCap API token is required');
  if (!/^https?:\/\//i.test(options.url)) throw new RangeError('the REDCap API URL must start with http:// or https://');
  const sleep = options.sleep ?? realSleep;
  const budget = resolveBudget(options, sleep);
  const send: Transport = createAxiosTransport(options.url, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const policy: RetryPolicy = {
    retries: options.retries ?? DEFAULT_RETRY.retries,
    backoffMs: options.backoffMs ?? DEFAULT_RETRY.backoffMs,
    maxBackoffMs: DEFAULT_RETRY.maxBackoffMs,
    sleep,
  };
  return (action, params, read, { once } = { once: false }) =>
    withRetry(once ? { ...policy, retries: 0 } : policy, async () => {
      await budget.acquire();
      const reply = await send(encodeForm({ ...params, token: options.token, format: 'json', returnFormat: 'json' }), action);
      try {
        return read(successBody(reply, action));
      } catch (error) {
        throw scrubbed(error, options.token);
      }
    });
}

function resolveBudget(options: RedcapClientOptions, sleep: Sleep): RequestBudget {
  const budget = options.budget;
  if (budget !== undefined && 'acquire' in budget) return budget;
  return createRequestBudget({
    sleep,
    ...(budget ? { requestsPerMinute: budget.requestsPerMinute } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
}

/** The body of a successful reply, or the RedcapError REDCap's status and error text describe. */
function successBody(reply: RawReply, action: string): string {
  const errorText = readErrorBody(reply.body);
  const ok = reply.status >= 200 && reply.status < 300;
  if (ok && errorText === undefined) return reply.body;
  const problems = errorText === undefined ? [] : importProblems(errorText);
  const detail = problems.length > 0 ? describeProblems(problems) : errorText ?? 'no error message';
  throw new RedcapError({
    kind: classifyFailure(reply.status, errorText ?? ''),
    status: reply.status,
    message: `REDCap ${action} failed (HTTP ${reply.status}): ${detail}`,
    problems,
  });
}

function parseJson<S extends z.ZodType>(schema: S, body: string): z.output<S> {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw unexpected('the reply is not JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw unexpected(`the reply does not have the expected shape (${parsed.error.issues[0]?.path.join('.') ?? ''})`);
  return parsed.data;
}

const unexpected = (why: string): RedcapError =>
  new RedcapError({ kind: 'server', message: `REDCap sent an unexpected reply: ${why}` });

/** The last line of defence: a server that echoes the token in its error text does not get it logged. */
function scrubbed(error: unknown, token: string): unknown {
  if (!(error instanceof RedcapError)) return error;
  const message = scrubSecret(error.message, token);
  if (message === error.message) return error;
  return new RedcapError({
    kind: error.kind, message, problems: error.problems, ...(error.status === undefined ? {} : { status: error.status }),
  });
}
