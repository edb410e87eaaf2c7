/**
 * The REDCap API emulator: REDCap's single `POST /api/` endpoint for one or more in-memory projects,
 * chosen by token. It backs the tests, `replay` and the demo, and runs standalone as
 * `redcap-sms redcap-emulator`.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import express, { type Express, type Request, type Response } from 'express';
import { decodeForm, type DecodedForm } from '../../adapters/redcap/form.js';
import { CONTENT_HANDLERS } from './contents.js';
import { FaultPlan, type FaultMode } from './faults.js';
import { planImport } from './import-plan.js';
import { buildProject, type EmulatedProject, type EmulatorProjectConfig } from './project.js';
import { NO_PERMISSION, errorFormat, failure, renderError, type ErrorFormat, type Reply } from './replies.js';

export interface EmulatorOptions {
  projects: readonly EmulatorProjectConfig[];
}

/** What the emulator saw: the method and outcome of each request, never its token or data. */
export interface RequestLogEntry {
  content: string;
  status: number;
  fault?: FaultMode;
}

export interface EmulatorState {
  /** Projects by API token. */
  projects: ReadonlyMap<string, EmulatedProject>;
  requests: RequestLogEntry[];
  /** Answer every error in this shape whatever `returnFormat` asked, like servers that ignore it. */
  errorFormat?: ErrorFormat;
}

export interface RunningEmulator {
  /** The API endpoint, e.g. `http://127.0.0.1:4030/api/`. */
  url: string;
  close(): Promise<void>;
}

export interface RedcapEmulator {
  app: Express;
  state: EmulatorState;
  failNext(count: number, mode?: FaultMode): void;
  stall(ms: number): void;
  listen(port?: number, host?: string): Promise<RunningEmulator>;
}

const JSON_CONTENTS_AS_TEXT = new Set(['surveyLink', 'version']);
/** Contents the emulator also answers (and, for records, reads) as `format=csv`. */
const CSV_CONTENTS = new Set(['metadata', 'record']);

export function createRedcapEmulator(options: EmulatorOptions): RedcapEmulator {
  const projects = new Map(options.projects.map((config) => [config.token, seeded(buildProject(config), config)]));
  const state: EmulatorState = { projects, requests: [] };
  const faults = new FaultPlan();
  const app = express();
  app.disable('x-powered-by');
  app.post('/api/', express.text({ type: () => true, limit: '32mb' }), async (req, res) => {
    const fault = faults.take();
    if (fault) return sufferFault(fault, req, res, state);
    if (faults.delayMs > 0) await delay(faults.delayMs);
    const form = decodeForm(typeof req.body === 'string' ? req.body : '');
    const reply = answer(state, form, `${req.protocol}://${req.get('host') ?? 'localhost'}`);
    state.requests.push({ content: form.values.get('content') ?? '', status: reply.status });
    send(res, reply, state.errorFormat ?? errorFormat(form.values.get('returnFormat') ?? form.values.get('format')));
  });
  return {
    app,
    state,
    failNext: (count, mode) => faults.failNext(count, mode),
    stall: (ms) => faults.stall(ms),
    listen: (port = 0, host = '127.0.0.1') => listen(app, port, host),
  };
}

/** Loads a project's starting records through the import checks, so a bad seed fails loudly at start. */
function seeded(project: EmulatedProject, config: EmulatorProjectConfig): EmulatedProject {
  if (!config.records || config.records.length === 0) return project;
  const plan = planImport(project, config.records, (key, planned) => project.records.nextInstance(key, planned));
  if (plan.kind === 'rejected') throw new Error(`the seed records of project ${config.projectId} are refused: ${plan.message}`);
  if (plan.kind === 'problems') {
    const first = plan.problems[0];
    throw new Error(`the seed records of project ${config.projectId} have ${plan.problems.length} problem(s); first: record "${first?.record}" field "${first?.field}": ${first?.message}`);
  }
  for (const write of plan.writes) project.records.write(write.key, write.values, false);
  return project;
}

function answer(state: EmulatorState, form: DecodedForm, origin: string): Reply {
  const project = state.projects.get(form.values.get('token') ?? '');
  if (!project) return failure(403, NO_PERMISSION);
  const content = form.values.get('content') ?? '';
  const handler = Object.hasOwn(CONTENT_HANDLERS, content) ? CONTENT_HANDLERS[content] : undefined;
  if (!handler) return failure(400, 'The value of the parameter "content" is not valid');
  const format = form.values.get('format');
  if (!JSON_CONTENTS_AS_TEXT.has(content) && format !== 'json' && !(format === 'csv' && CSV_CONTENTS.has(content))) {
    return failure(400, `The emulator answers format=json only${CSV_CONTENTS.has(content) ? ' or format=csv' : ''}`);
  }
  return handler({ project, form, origin });
}

function send(res: Response, reply: Reply, format: ErrorFormat): void {
  res.status(reply.status);
  if (reply.kind === 'json') {
    res.type('application/json').send(JSON.stringify(reply.body));
    return;
  }
  if (reply.kind === 'csv') {
    res.type('text/csv; charset=utf-8').send(reply.body);
    return;
  }
  if (reply.kind === 'text') {
    res.type('text/html').send(reply.body);
    return;
  }
  const rendered = renderError(format, reply.message);
  res.type(rendered.contentType).send(rendered.body);
}

function sufferFault(fault: FaultMode, req: Request, res: Response, state: EmulatorState): void {
  state.requests.push({ content: '', status: fault === '500' ? 500 : 0, fault });
  if (fault === '500') {
    res.status(500).type('text/html').send('<html><body><h1>Internal Server Error</h1></body></html>');
  } else if (fault === 'refuse') {
    req.socket.destroy();
  }
  // 'timeout': never answer; the connection is cut when the emulator closes.
}

function listen(app: Express, port: number, host: string): Promise<RunningEmulator> {
  return new Promise((resolve, reject) => {
    const server: Server = app.listen(port, host);
    server.once('error', reject);
    server.once('listening', () => {
      const { port: bound } = server.address() as AddressInfo;
      resolve({ url: `http://${host}:${bound}/api/`, close: () => closeServer(server) });
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
