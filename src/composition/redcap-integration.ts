/**
 * Everything that talks to REDCap, wired once for the service: the write-back loop (answers and
 * opt-outs), the invitation loop, DET handling, and survey versions (pulled at start and on refresh).
 */
import axios from 'axios';
import type { Logger } from '../ports/logger.js';
import { createRedcapClient, createRequestBudget, type RequestBudget } from '../adapters/redcap/index.js';
import type { RedcapClient } from '../ports/redcap/index.js';
import type { RedcapSyncStore } from '../ports/storage/redcap-sync-store.js';
import type { ProjectConfig, ProjectRegistry } from '../config/projects.js';
import type { Survey } from '../dictionary/model.js';
import type { ConversationDeps } from '../use-cases/conversation-deps.js';
import { activeSurvey, describeProject, ensureSurvey, pullSurvey } from '../use-cases/survey-versions.js';
import type { ProjectSurveyView, SurveyLoad } from '../ports/engine.js';
import { createOptOutSync, webhookNotifier, type OptOutNotice } from '../loops/redcap-opt-out-sync.js';
import { createPollingLoop, type PollingLoop } from '../loops/polling-loop.js';
import { ProjectNotConfigured } from '../use-cases/project-not-configured.js';
import { failureReason } from '../use-cases/redcap-failure.js';
import { continueSurveyQueue, receiveDataEntryTrigger, retryQueuedTriggers, sendDueInvitations, type RedcapInvitationDeps } from '../use-cases/scheduled-invitations.js';
import type { DataEntryTrigger, DetOutcome } from '../ports/engine.js';
import { createRedcapWriter, type RedcapWriter } from '../loops/redcap-write-back.js';
import { createDiarySweep, type DiarySweepReport } from '../loops/diary-sweep.js';
import type { SharedCommit } from '../ports/storage/shared-commit.js';
import type { Metrics } from '../ports/metrics.js';

export interface RedcapIntegrationOptions {
  conversations: ConversationDeps;
  /** The REDCap side of the same storage as the conversations. */
  sync: RedcapSyncStore;
  projects: ProjectRegistry;
  logger: Logger;
  /** Tests pass clients with fast retries; the service builds one per project. */
  redcapClient?: (project: ProjectConfig) => RedcapClient;
  /** Posts the staff opt-out notification (axios by default). */
  postJson?: (url: string, body: OptOutNotice) => Promise<unknown>;
  idleMs?: number;
  /** Where the write-back commits its marks (write-back.ts); at once when absent. */
  commit?: SharedCommit;
  /** Counts the write-back's outcomes. */
  metrics?: Metrics;
  /** How long the write-back's claim on its rows lasts (write-back.ts). */
  writeClaimMs?: number;
}

export interface RedcapIntegration {
  sync: RedcapSyncStore;
  writer: RedcapWriter;
  invitationLoop: PollingLoop;
  /** The diary sweep's round: plans the occurrences of records no DET showed (each project at its turn). */
  sweepDiaries(): Promise<DiarySweepReport>;
  /** The invitation loop's round: retry kept DETs, then send every due invitation. */
  sendDueInvitations(): Promise<number>;
  handleDet(det: DataEntryTrigger): Promise<DetOutcome>;
  refreshDictionary(project: string): Promise<SurveyLoad>;
  describeProject(project: string): Promise<ProjectSurveyView | undefined>;
  /** The project's REDCap client (shared request budget) and active survey, for the admin API's invitations. */
  client(project: string): RedcapClient;
  survey(project: string): Promise<Survey>;
  /** Pulls every project's dictionary (start-up); a project REDCap cannot serve keeps its stored version. */
  pullAll(): Promise<void>;
  start(): void;
  stop(): Promise<void>;
}

/** How often the diary sweep looks whether a project's turn (`diarySweepEvery`) has come. */
const DIARY_SWEEP_POLL_MS = 60_000;

export function createRedcapIntegration(options: RedcapIntegrationOptions): RedcapIntegration {
  const { conversations, sync, projects, logger } = options;
  const surveys = { store: conversations.store, sync, clock: conversations.clock };
  const clientOf = clientFactory(options);
  const redcap = (id: string): RedcapClient => clientOf(projectOrThrow(projects, id));
  const survey = (id: string) => ensureSurvey(surveys, redcap(id), id);
  const invitationDeps: RedcapInvitationDeps = { conversations, sync, projects: projects.projects, redcap, survey, logger };
  const post = options.postJson ?? ((url: string, body: OptOutNotice) => axios.post(url, body, { timeout: 10_000 }));
  const writer = createRedcapWriter({
    store: conversations.store, sync, redcap, clock: conversations.clock, logger, projects: projects.projects.map((project) => project.id),
    ...(options.commit === undefined ? {} : { commit: options.commit }),
    ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
    syncOptOut: createOptOutSync({
      project: (id) => projects.byId(id), redcap, survey, logger,
      notify: webhookNotifier(post, (id) => projects.byId(id)?.optOutWebhookUrl),
    }),
    onCompleted: async (completed) => void (await continueSurveyQueue(invitationDeps, completed)),
    ...(options.idleMs === undefined ? {} : { idleMs: options.idleMs }),
    ...(options.writeClaimMs === undefined ? {} : { claimMs: options.writeClaimMs }),
  });
  const runInvitations = async () => {
    await retryQueuedTriggers(invitationDeps);
    return sendDueInvitations(invitationDeps);
  };
  const invitationLoop = createPollingLoop({
    name: 'redcap-invitations', clock: conversations.clock, logger, idleMs: options.idleMs ?? 1_000,
    tick: async () => void (await runInvitations()),
  });
  const sweepDiaries = createDiarySweep(invitationDeps);
  const diaryLoop = createPollingLoop({ name: 'diary-sweep', clock: conversations.clock, logger, idleMs: DIARY_SWEEP_POLL_MS, tick: async () => void (await sweepDiaries()) });
  const refreshDictionary = (id: string) => pullSurvey(surveys, redcap(id), id);
  return {
    sync, writer, invitationLoop,
    sendDueInvitations: runInvitations,
    sweepDiaries,
    handleDet: (det) => receiveDataEntryTrigger(invitationDeps, det),
    refreshDictionary,
    client: redcap,
    survey,
    describeProject: async (id) => (projects.byId(id) === undefined ? undefined : describeProject(surveys, id)),
    async pullAll() {
      for (const project of projects.projects) {
        try {
          const load = await refreshDictionary(project.id);
          if (!load.ok) logger.error({ project: project.id, errors: load.report.errors.length }, 'the REDCap dictionary has errors; keeping the stored version');
        } catch (error) {
          const stored = (await activeSurvey(surveys, project.id).catch(() => undefined)) !== undefined;
          logger.warn({ project: project.id, reason: failureReason(error), stored }, 'could not pull the dictionary');
        }
      }
    },
    start() {
      writer.start();
      invitationLoop.start();
      diaryLoop.start();
    },
    async stop() {
      await Promise.all([writer.stop(), invitationLoop.stop(), diaryLoop.stop()]);
    },
  };
}

/** One client per project; projects on the same REDCap server share its request budget (the ban is per IP). */
function clientFactory(options: RedcapIntegrationOptions): (project: ProjectConfig) => RedcapClient {
  const clients = new Map<string, RedcapClient>();
  const budgets = new Map<string, RequestBudget>();
  return (project) => {
    const known = clients.get(project.id);
    if (known !== undefined) return known;
    const host = new URL(project.redcap.url).host;
    const budget = budgets.get(host) ?? createRequestBudget();
    budgets.set(host, budget);
    const client = options.redcapClient?.(project) ?? createRedcapClient({ url: project.redcap.url, token: project.redcap.token, budget });
    clients.set(project.id, client);
    return client;
  };
}

function projectOrThrow(projects: ProjectRegistry, id: string): ProjectConfig {
  const project = projects.byId(id);
  if (project === undefined) throw new ProjectNotConfigured(id);
  return project;
}
