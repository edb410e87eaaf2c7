import type {
  ConversationTarget, NewInvitation, InvitationRow, PendingRedcapRow, ProjectSurveyRow, QueuedTrigger, RedcapSyncStore,
} from '../../ports/storage/redcap-sync-store.js';
import { DEFAULT_CLAIM_LEASE_SECONDS, INVITATION_COLUMNS, claimLease, fromInvitationRecord, type InvitationRecord } from './records.js';
import type { Session } from './session.js';

interface PendingRecord {
  id: number; project: string; kind: string; conversation_id: string | null; phone: string | null; payload: unknown;
  attempts: number; next_attempt_at: string; survey_version: string | null; event: string | null;
  repeat_instrument: string | null; repeat_instance: number | null;
}

const PENDING_COLUMNS = `o.id, o.project, o.kind, o.conversation_id, o.phone, o.payload, o.attempts, o.next_attempt_at,
  c.survey_version, t.event, t.repeat_instrument, t.repeat_instance`;
const PENDING_JOINS = `LEFT JOIN conversations c ON c.id = o.conversation_id
  LEFT JOIN conversation_targets t ON t.conversation_id = o.conversation_id`;
/** The write-back plan's `orderKey`, in SQL: a write's record, an opt-out change's phone. */
const ORDER_KEY = `CASE WHEN o.kind = 'write' THEN 'record:' || coalesce(o.payload->>'record', '') ELSE 'phone:' || coalesce(o.phone, '') END`;
/** The first half of the claim lock's key; the project's hash is the second. */
const CLAIM_LOCK = 'redcap-write-claims';

/**
 * The REDCap side of storage on PostgreSQL, on the pool or inside a unit of work (`tx.sync`). Due invitations
 * and kept triggers are claimed like timers (SKIP LOCKED and a lease, decision 0051); pending REDCap rows are
 * claimed a project at a time, in each record's order (decision 0063).
 */
function fromPendingRecord(row: PendingRecord): PendingRedcapRow {
  return {
    id: row.id, project: row.project, kind: row.kind, conversationId: row.conversation_id, phone: row.phone,
    payload: row.payload, attempts: row.attempts, nextAttemptAt: row.next_attempt_at, surveyVersion: row.survey_version,
    target: { event: row.event, repeatInstrument: row.repeat_instrument, repeatInstance: row.repeat_instance },
  };
}

export class PostgresRedcapSyncStore implements RedcapSyncStore {
  constructor(
    private readonly session: Session,
    private readonly leaseSeconds = DEFAULT_CLAIM_LEASE_SECONDS,
  ) {}

  async pendingRedcapRows(project: string, limit: number): Promise<PendingRedcapRow[]> {
    const { rows } = await this.session.query<PendingRecord>(
      `SELECT ${PENDING_COLUMNS} FROM outbox o ${PENDING_JOINS}
       WHERE o.channel = 'redcap' AND o.status = 'pending' AND o.project = $1 ORDER BY o.id LIMIT $2`,
      [project, limit],
    );
    return rows.map(fromPendingRecord);
  }

  /**
   * Under the project's claim lock (transaction-scoped: claims of one project are made one at a time, on any
   * instance), one statement: of the `limit` oldest pending rows, those held (claimed by another writer, or
   * waiting for a retry) hold back every later row of their record (phone, for opt-out changes); the rest
   * are leased on the database's clock and returned with what the writer needs to address them.
   */
  claimRedcapRows(project: string, now: string, limit: number, leaseMs: number): Promise<PendingRedcapRow[]> {
    return this.session.atomically(async (session) => {
      await session.query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', [CLAIM_LOCK, project]);
      const { rows } = await session.query<PendingRecord>(
        `WITH head AS (
           SELECT o.id, ${ORDER_KEY} AS k,
             (o.next_attempt_at > $2 OR (o.lease_until IS NOT NULL AND o.lease_until > clock_timestamp())) AS held
           FROM outbox o WHERE o.channel = 'redcap' AND o.status = 'pending' AND o.project = $1 ORDER BY o.id LIMIT $3),
         first_held AS (SELECT k, min(id) AS upto FROM head WHERE held GROUP BY k),
         claimed AS (
           UPDATE outbox SET lease_until = clock_timestamp() + make_interval(secs => $4::double precision / 1000)
           FROM head h LEFT JOIN first_held f ON f.k = h.k
           WHERE outbox.id = h.id AND NOT h.held AND (f.upto IS NULL OR h.id < f.upto) AND outbox.status = 'pending'
           RETURNING outbox.*)
         SELECT ${PENDING_COLUMNS} FROM claimed o ${PENDING_JOINS} ORDER BY o.id`,
        [project, now, limit, leaseMs],
      );
      return rows.map(fromPendingRecord);
    });
  }

  async releaseRedcapRows(ids: readonly number[]): Promise<void> {
    await this.session.query(`UPDATE outbox SET lease_until = NULL WHERE id = ANY($1::bigint[]) AND status = 'pending'`, [ids]);
  }

  async pendingOutside(projects: readonly string[]): Promise<{ id: number; project: string }[]> {
    const { rows } = await this.session.query<{ id: number; project: string }>(
      `SELECT id, project FROM outbox WHERE channel = 'redcap' AND status = 'pending' AND project <> ALL($1::text[]) ORDER BY id`,
      [projects],
    );
    return rows;
  }

  async markSent(ids: readonly number[]): Promise<void> {
    await this.session.query(
      `UPDATE outbox SET status = 'sent', attempts = attempts + 1, last_error = NULL, lease_until = NULL WHERE id = ANY($1::bigint[])`, [ids],
    );
  }

  async scheduleRetry(ids: readonly number[], nextAttemptAt: string, error: string): Promise<void> {
    await this.session.query('UPDATE outbox SET next_attempt_at = $2, last_error = $3, attempts = attempts + 1, lease_until = NULL WHERE id = ANY($1::bigint[])', [
      ids, nextAttemptAt, error,
    ]);
  }

  async markFailed(ids: readonly number[], error: string): Promise<void> {
    await this.session.query(`UPDATE outbox SET status = 'failed', last_error = $2, attempts = attempts + 1, lease_until = NULL WHERE id = ANY($1::bigint[])`, [
      ids, error,
    ]);
  }

  async setTarget(conversationId: string, target: ConversationTarget): Promise<void> {
    await this.session.query('INSERT INTO conversation_targets (conversation_id, event, repeat_instrument, repeat_instance) VALUES ($1, $2, $3, $4)', [
      conversationId, target.event, target.repeatInstrument, target.repeatInstance,
    ]);
  }

  async addProjectSurvey(project: string, surveyVersion: string, source: 'pull' | 'load', at: string): Promise<void> {
    await this.session.query('INSERT INTO project_surveys (project, survey_version, source, loaded_at) VALUES ($1, $2, $3, $4)', [
      project, surveyVersion, source, at,
    ]);
  }

  async activeSurvey(project: string): Promise<ProjectSurveyRow | undefined> {
    const { rows } = await this.session.query<ProjectSurveyRow>(
      `SELECT survey_version AS "surveyVersion", source, loaded_at AS "loadedAt" FROM project_surveys
       WHERE project = $1 ORDER BY id DESC LIMIT 1`,
      [project],
    );
    return rows[0];
  }

  async scheduleInvitation(i: NewInvitation): Promise<boolean> {
    const result = await this.session.query(
      `INSERT INTO scheduled_invitations (project, record_id, instrument, event, repeat_instance, mode, send_at, created_at, language)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
      [i.project, i.recordId, i.instrument, i.event, i.repeatInstance, i.mode, i.sendAt, i.createdAt, i.language ?? null],
    );
    return result.rowCount === 1;
  }

  /** Claimed: another instance gets other invitations, and one whose instance died comes due again after its lease. */
  async dueInvitations(project: string, now: string, limit: number): Promise<InvitationRow[]> {
    const { rows } = await this.session.query<InvitationRecord>(
      `UPDATE scheduled_invitations SET lease_until = clock_timestamp() + ${claimLease(this.leaseSeconds)} WHERE id IN (
         SELECT id FROM scheduled_invitations WHERE status = 'pending' AND project = $1 AND send_at <= $2
           AND (lease_until IS NULL OR lease_until <= clock_timestamp())
         ORDER BY send_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
       RETURNING ${INVITATION_COLUMNS}`,
      [project, now, limit],
    );
    return rows.map(fromInvitationRecord).sort((a, b) => a.sendAt.localeCompare(b.sendAt) || a.id - b.id);
  }

  async dueInvitationsOutside(projects: readonly string[], now: string): Promise<InvitationRow[]> {
    return this.invitationsWhere(`status = 'pending' AND send_at <= $2 AND project <> ALL($1::text[]) ORDER BY id`, [projects, now]);
  }

  invitations(project: string): Promise<InvitationRow[]> {
    return this.invitationsWhere('project = $1 ORDER BY id', [project]);
  }

  async finishInvitation(id: number, status: 'sent' | 'skipped' | 'failed', conversationId: string | null, error: string | null): Promise<boolean> {
    const result = await this.session.query(
      `UPDATE scheduled_invitations SET status = $2, conversation_id = $3, last_error = $4, attempts = attempts + 1, lease_until = NULL
       WHERE id = $1 AND status = 'pending'`,
      [id, status, conversationId, error],
    );
    return result.rowCount === 1;
  }

  async retryInvitation(id: number, sendAt: string, error: string): Promise<void> {
    await this.session.query(
      'UPDATE scheduled_invitations SET send_at = $2, last_error = $3, attempts = attempts + 1, lease_until = NULL WHERE id = $1',
      [id, sendAt, error],
    );
  }

  async postponeInvitations(ids: readonly number[], sendAt: string, error: string): Promise<void> {
    await this.session.query(
      'UPDATE scheduled_invitations SET send_at = $2, last_error = $3, lease_until = NULL WHERE id = ANY($1::bigint[])',
      [ids, sendAt, error],
    );
  }

  async queueTrigger(trigger: Omit<QueuedTrigger, 'id' | 'attempts'>, at: string): Promise<void> {
    await this.session.query(
      `INSERT INTO redcap_triggers (redcap_project_id, record, instrument, event, next_attempt_at, received_at)
       VALUES ($1, $2, $3, $4, $5, $5)`,
      [trigger.redcapProjectId, trigger.record, trigger.instrument, trigger.event, at],
    );
  }

  /** Claimed like due invitations. */
  async dueTriggers(now: string, limit = 100): Promise<QueuedTrigger[]> {
    const { rows } = await this.session.query<QueuedTrigger>(
      `UPDATE redcap_triggers SET lease_until = clock_timestamp() + ${claimLease(this.leaseSeconds)} WHERE id IN (
         SELECT id FROM redcap_triggers WHERE status = 'pending' AND next_attempt_at <= $1
           AND (lease_until IS NULL OR lease_until <= clock_timestamp())
         ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING id, redcap_project_id AS "redcapProjectId", record, instrument, event, attempts`,
      [now, limit],
    );
    return rows.sort((a, b) => a.id - b.id);
  }

  async finishTrigger(id: number, status: 'done' | 'failed', error: string | null): Promise<void> {
    await this.session.query('UPDATE redcap_triggers SET status = $2, last_error = $3, attempts = attempts + 1, lease_until = NULL WHERE id = $1', [
      id, status, error,
    ]);
  }

  async retryTrigger(id: number, nextAttemptAt: string, error: string): Promise<void> {
    await this.session.query(
      'UPDATE redcap_triggers SET next_attempt_at = $2, last_error = $3, attempts = attempts + 1, lease_until = NULL WHERE id = $1',
      [id, nextAttemptAt, error],
    );
  }

  private async invitationsWhere(whereAndOrder: string, params: unknown[]): Promise<InvitationRow[]> {
    const { rows } = await this.session.query<InvitationRecord>(`SELECT ${INVITATION_COLUMNS} FROM scheduled_invitations WHERE ${whereAndOrder}`, params);
    return rows.map(fromInvitationRecord);
  }
}
