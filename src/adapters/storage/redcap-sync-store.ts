import type { Database, Statement } from 'better-sqlite3';
import type {
  ConversationTarget, PendingRedcapRow, ProjectSurveyRow, InvitationMode, NewInvitation, InvitationRow, QueuedTrigger, RedcapSyncStore,
} from '../../ports/storage/redcap-sync-store.js';
import { gateOf, type DatabaseGate } from './database-gate.js';
import { orderKey } from '../../policies/write-back-plan.js';

export type * from '../../ports/storage/redcap-sync-store.js';

/** The REDCap side of the SQLite database (migration 0003 and later). */
interface PendingRecord {
  id: number; project: string; kind: string; conversation_id: string | null; phone: string | null; payload: string;
  attempts: number; next_attempt_at: string; survey_version: string | null; event: string | null;
  repeat_instrument: string | null; repeat_instance: number | null;
}

interface InvitationRecord {
  id: number; project: string; record_id: string; instrument: string; event: string; repeat_instance: number;
  mode: string; send_at: string; status: string; conversation_id: string | null; last_error: string | null;
  attempts: number; created_at: string; language: string | null;
}

/**
 * Claims of REDCap rows, per connection: one process owns a SQLite file, so a claim lives in its memory and ends
 * with it (a restarted service finds every pending row unclaimed). Row id → claimed until (ms, the caller's clock).
 */
const claimsByDatabase = new WeakMap<Database, Map<number, number>>();

function claimsOf(db: Database): Map<number, number> {
  let claims = claimsByDatabase.get(db);
  if (claims === undefined) {
    claims = new Map();
    claimsByDatabase.set(db, claims);
  }
  return claims;
}

/** The REDCap sync queue inside a unit of work (`tx.sync`): each method settles at once. */
export class SqliteRedcapSync implements RedcapSyncStore {
  private readonly sql: Record<string, Statement>;
  private readonly claims: Map<number, number>;

  constructor(db: Database) {
    this.sql = prepareAll(db);
    this.claims = claimsOf(db);
  }

  async pendingRedcapRows(project: string, limit: number): Promise<PendingRedcapRow[]> {
    return (this.sql.pending!.all(project, limit) as PendingRecord[]).map(fromPendingRecord);
  }

  async claimRedcapRows(project: string, now: string, limit: number, leaseMs: number): Promise<PendingRedcapRow[]> {
    const nowMs = Date.parse(now);
    const held = new Set<string>();
    const claimed: PendingRedcapRow[] = [];
    for (const row of await this.pendingRedcapRows(project, limit)) {
      const key = orderKey(row);
      if (held.has(key) || row.nextAttemptAt > now || (this.claims.get(row.id) ?? -Infinity) > nowMs) {
        held.add(key);
        continue;
      }
      this.claims.set(row.id, nowMs + leaseMs);
      claimed.push(row);
    }
    return claimed;
  }

  async releaseRedcapRows(ids: readonly number[]): Promise<void> {
    this.endClaims(ids);
  }

  private endClaims(ids: readonly number[]): void {
    for (const id of ids) this.claims.delete(id);
  }

  /** Pending REDCap rows of projects this deployment does not configure (any more): nowhere to send them. */
  async pendingOutside(projects: readonly string[]): Promise<{ id: number; project: string }[]> {
    return this.sql.pendingOutside!.all(JSON.stringify(projects)) as { id: number; project: string }[];
  }

  // An import carries up to a hundred records' rows; one statement marks them all.
  async markSent(ids: readonly number[]): Promise<void> {
    this.sql.sent!.run(JSON.stringify(ids));
    this.endClaims(ids);
  }

  async scheduleRetry(ids: readonly number[], nextAttemptAt: string, error: string): Promise<void> {
    this.sql.retry!.run(nextAttemptAt, error, JSON.stringify(ids));
    this.endClaims(ids);
  }

  async markFailed(ids: readonly number[], error: string): Promise<void> {
    this.sql.fail!.run(error, JSON.stringify(ids));
    this.endClaims(ids);
  }

  async setTarget(conversationId: string, target: ConversationTarget): Promise<void> {
    this.sql.insertTarget!.run(conversationId, target.event, target.repeatInstrument, target.repeatInstance);
  }

  async addProjectSurvey(project: string, surveyVersion: string, source: 'pull' | 'load', at: string): Promise<void> {
    this.sql.insertProjectSurvey!.run(project, surveyVersion, source, at);
  }

  /** The newest survey version loaded for a project: new conversations use it. */
  async activeSurvey(project: string): Promise<ProjectSurveyRow | undefined> {
    return this.sql.activeSurvey!.get(project) as ProjectSurveyRow | undefined;
  }

  /** False when this record already has an invitation to the instrument (a DET fires on every save). */
  async scheduleInvitation(invitation: NewInvitation): Promise<boolean> {
    const i = invitation;
    return this.sql.insertInvitation!.run(i.project, i.recordId, i.instrument, i.event, i.repeatInstance, i.mode, i.sendAt, i.createdAt, i.language ?? null).changes === 1;
  }

  /** One project's invitations whose time has come, oldest first. */
  async dueInvitations(project: string, now: string, limit: number): Promise<InvitationRow[]> {
    return (this.sql.dueInvitations!.all(project, now, limit) as InvitationRecord[]).map(fromInvitationRecord);
  }

  /** Due invitations of projects other than `projects`. */
  async dueInvitationsOutside(projects: readonly string[], now: string): Promise<InvitationRow[]> {
    return (this.sql.dueInvitationsOutside!.all(now, JSON.stringify(projects)) as InvitationRecord[]).map(fromInvitationRecord);
  }

  async invitations(project: string): Promise<InvitationRow[]> {
    return (this.sql.invitationsOf!.all(project) as InvitationRecord[]).map(fromInvitationRecord);
  }

  async finishInvitation(id: number, status: 'sent' | 'skipped' | 'failed', conversationId: string | null, error: string | null): Promise<boolean> {
    return this.sql.finishInvitation!.run(status, conversationId, error, id).changes === 1;
  }

  async retryInvitation(id: number, sendAt: string, error: string): Promise<void> {
    this.sql.retryInvitation!.run(sendAt, error, id);
  }

  /** Moves invitations that were not tried to a later time; their attempts stay as they were. */
  async postponeInvitations(ids: readonly number[], sendAt: string, error: string): Promise<void> {
    this.sql.postponeInvitations!.run(sendAt, error, JSON.stringify(ids));
  }

  async queueTrigger(trigger: Omit<QueuedTrigger, 'id' | 'attempts'>, at: string): Promise<void> {
    this.sql.insertTrigger!.run(trigger.redcapProjectId, trigger.record, trigger.instrument, trigger.event, at, at);
  }

  async dueTriggers(now: string, limit = 100): Promise<QueuedTrigger[]> {
    return this.sql.dueTriggers!.all(now, limit) as QueuedTrigger[];
  }

  async finishTrigger(id: number, status: 'done' | 'failed', error: string | null): Promise<void> {
    this.sql.finishTrigger!.run(status, error, id);
  }

  async retryTrigger(id: number, nextAttemptAt: string, error: string): Promise<void> {
    this.sql.retryTrigger!.run(nextAttemptAt, error, id);
  }
}

/** The REDCap sync queue on SQLite outside a unit of work: each method passes the connection's gate. */
export class SqliteRedcapSyncStore implements RedcapSyncStore {
  private readonly sync: SqliteRedcapSync;
  private readonly gate: DatabaseGate;

  constructor(db: Database) {
    this.sync = new SqliteRedcapSync(db);
    this.gate = gateOf(db);
  }

  pendingRedcapRows(project: string, limit: number): Promise<PendingRedcapRow[]> {
    return this.gate.run(() => this.sync.pendingRedcapRows(project, limit));
  }

  claimRedcapRows(project: string, now: string, limit: number, leaseMs: number): Promise<PendingRedcapRow[]> {
    return this.gate.run(() => this.sync.claimRedcapRows(project, now, limit, leaseMs));
  }

  releaseRedcapRows(ids: readonly number[]): Promise<void> {
    return this.gate.run(() => this.sync.releaseRedcapRows(ids));
  }

  pendingOutside(projects: readonly string[]): Promise<{ id: number; project: string }[]> {
    return this.gate.run(() => this.sync.pendingOutside(projects));
  }

  markSent(ids: readonly number[]): Promise<void> {
    return this.gate.run(() => this.sync.markSent(ids));
  }

  scheduleRetry(ids: readonly number[], nextAttemptAt: string, error: string): Promise<void> {
    return this.gate.run(() => this.sync.scheduleRetry(ids, nextAttemptAt, error));
  }

  markFailed(ids: readonly number[], error: string): Promise<void> {
    return this.gate.run(() => this.sync.markFailed(ids, error));
  }

  setTarget(conversationId: string, target: ConversationTarget): Promise<void> {
    return this.gate.run(() => this.sync.setTarget(conversationId, target));
  }

  addProjectSurvey(project: string, surveyVersion: string, source: 'pull' | 'load', at: string): Promise<void> {
    return this.gate.run(() => this.sync.addProjectSurvey(project, surveyVersion, source, at));
  }

  activeSurvey(project: string): Promise<ProjectSurveyRow | undefined> {
    return this.gate.run(() => this.sync.activeSurvey(project));
  }

  scheduleInvitation(invitation: NewInvitation): Promise<boolean> {
    return this.gate.run(() => this.sync.scheduleInvitation(invitation));
  }

  dueInvitations(project: string, now: string, limit: number): Promise<InvitationRow[]> {
    return this.gate.run(() => this.sync.dueInvitations(project, now, limit));
  }

  dueInvitationsOutside(projects: readonly string[], now: string): Promise<InvitationRow[]> {
    return this.gate.run(() => this.sync.dueInvitationsOutside(projects, now));
  }

  invitations(project: string): Promise<InvitationRow[]> {
    return this.gate.run(() => this.sync.invitations(project));
  }

  finishInvitation(id: number, status: 'sent' | 'skipped' | 'failed', conversationId: string | null, error: string | null): Promise<boolean> {
    return this.gate.run(() => this.sync.finishInvitation(id, status, conversationId, error));
  }

  retryInvitation(id: number, sendAt: string, error: string): Promise<void> {
    return this.gate.run(() => this.sync.retryInvitation(id, sendAt, error));
  }

  postponeInvitations(ids: readonly number[], sendAt: string, error: string): Promise<void> {
    return this.gate.run(() => this.sync.postponeInvitations(ids, sendAt, error));
  }

  queueTrigger(trigger: Omit<QueuedTrigger, 'id' | 'attempts'>, at: string): Promise<void> {
    return this.gate.run(() => this.sync.queueTrigger(trigger, at));
  }

  dueTriggers(now: string, limit?: number): Promise<QueuedTrigger[]> {
    return this.gate.run(() => this.sync.dueTriggers(now, limit));
  }

  finishTrigger(id: number, status: 'done' | 'failed', error: string | null): Promise<void> {
    return this.gate.run(() => this.sync.finishTrigger(id, status, error));
  }

  retryTrigger(id: number, nextAttemptAt: string, error: string): Promise<void> {
    return this.gate.run(() => this.sync.retryTrigger(id, nextAttemptAt, error));
  }
}

function fromPendingRecord(row: PendingRecord): PendingRedcapRow {
  return {
    id: row.id, project: row.project, kind: row.kind, conversationId: row.conversation_id, phone: row.phone,
    payload: JSON.parse(row.payload) as unknown, attempts: row.attempts, nextAttemptAt: row.next_attempt_at,
    surveyVersion: row.survey_version,
    target: { event: row.event, repeatInstrument: row.repeat_instrument, repeatInstance: row.repeat_instance },
  };
}

function fromInvitationRecord(row: InvitationRecord): InvitationRow {
  return {
    id: row.id, project: row.project, recordId: row.record_id, instrument: row.instrument, event: row.event,
    repeatInstance: row.repeat_instance, mode: row.mode as InvitationMode, sendAt: row.send_at,
    status: row.status as InvitationRow['status'], conversationId: row.conversation_id, lastError: row.last_error,
    attempts: row.attempts, createdAt: row.created_at, language: row.language,
  };
}

function prepareAll(db: Database): Record<string, Statement> {
  const statements = {
    pending: `SELECT o.id, o.project, o.kind, o.conversation_id, o.phone, o.payload, o.attempts, o.next_attempt_at,
        c.survey_version, t.event, t.repeat_instrument, t.repeat_instance
      FROM outbox o LEFT JOIN conversations c ON c.id = o.conversation_id
        LEFT JOIN conversation_targets t ON t.conversation_id = o.conversation_id
      WHERE o.channel = 'redcap' AND o.status = 'pending' AND o.project = ? ORDER BY o.id LIMIT ?`,
    pendingOutside: `SELECT id, project FROM outbox
      WHERE channel = 'redcap' AND status = 'pending' AND project NOT IN (SELECT value FROM json_each(?)) ORDER BY id`,
    sent: `UPDATE outbox SET status = 'sent', attempts = attempts + 1, last_error = NULL WHERE id IN (SELECT value FROM json_each(?))`,
    retry: `UPDATE outbox SET next_attempt_at = ?, last_error = ?, attempts = attempts + 1 WHERE id IN (SELECT value FROM json_each(?))`,
    fail: `UPDATE outbox SET status = 'failed', last_error = ?, attempts = attempts + 1 WHERE id IN (SELECT value FROM json_each(?))`,
    insertTarget: `INSERT INTO conversation_targets (conversation_id, event, repeat_instrument, repeat_instance)
      VALUES (?, ?, ?, ?)`,
    insertProjectSurvey: 'INSERT INTO project_surveys (project, survey_version, source, loaded_at) VALUES (?, ?, ?, ?)',
    activeSurvey: `SELECT survey_version AS surveyVersion, source, loaded_at AS loadedAt FROM project_surveys
      WHERE project = ? ORDER BY id DESC LIMIT 1`,
    insertInvitation: `INSERT INTO scheduled_invitations (project, record_id, instrument, event, repeat_instance, mode,
      send_at, created_at, language) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    dueInvitations: `SELECT * FROM scheduled_invitations WHERE status = 'pending' AND project = ? AND send_at <= ?
      ORDER BY send_at, id LIMIT ?`,
    dueInvitationsOutside: `SELECT * FROM scheduled_invitations
      WHERE status = 'pending' AND send_at <= ? AND project NOT IN (SELECT value FROM json_each(?)) ORDER BY id`,
    invitationsOf: 'SELECT * FROM scheduled_invitations WHERE project = ? ORDER BY id',
    finishInvitation: `UPDATE scheduled_invitations SET status = ?, conversation_id = ?, last_error = ?,
      attempts = attempts + 1 WHERE id = ? AND status = 'pending'`,
    retryInvitation: `UPDATE scheduled_invitations SET send_at = ?, last_error = ?, attempts = attempts + 1 WHERE id = ?`,
    postponeInvitations: `UPDATE scheduled_invitations SET send_at = ?, last_error = ?
      WHERE id IN (SELECT value FROM json_each(?))`,
    insertTrigger: `INSERT INTO redcap_triggers (redcap_project_id, record, instrument, event, next_attempt_at, received_at)
      VALUES (?, ?, ?, ?, ?, ?)`,
    dueTriggers: `SELECT id, redcap_project_id AS redcapProjectId, record, instrument, event, attempts FROM redcap_triggers
      WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT ?`,
    finishTrigger: `UPDATE redcap_triggers SET status = ?, last_error = ?, attempts = attempts + 1 WHERE id = ?`,
    retryTrigger: `UPDATE redcap_triggers SET next_attempt_at = ?, last_error = ?, attempts = attempts + 1 WHERE id = ?`,
  };
  return Object.fromEntries(Object.entries(statements).map(([name, sql]) => [name, db.prepare(sql)]));
}
