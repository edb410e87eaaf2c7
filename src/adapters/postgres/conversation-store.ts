import type pg from 'pg';
import { SurveySchema, type Survey } from '../../dictionary/model.js';
import type {
  ConversationRow, InboundRow, NewOutboxRow, OutboxRow, OutboxStatus, TimerKind, TimerRow, TranscriptRow,
} from '../../ports/storage/rows.js';
import {
  RevisionConflict, retryOnRevisionConflict, type UnitOfWork,
} from '../../ports/storage/conversation-store.js';
import {
  CONVERSATION_COLUMNS, CONVERSATION_READ_COLUMNS, DEFAULT_CLAIM_LEASE_SECONDS, claimLease, OUTBOX_COLUMNS, TIMER_COLUMNS, fromConversationRecord, fromOutboxRecord,
  fromTimerRecord, json, type ConversationRecord, type OutboxRecord, type TimerRecord,
} from './records.js';
import { PostgresRedcapSyncStore } from './redcap-sync-store.js';
import { inTransaction, poolSession, type Session } from './session.js';
import { APPEND_TRANSCRIPT_SQL, transcriptSql } from './transcript-chain.js';
import type { ContextChanges } from '../../conversation/index.js';
import { SnapshotCache } from '../storage/snapshot-cache.js';
import { joinSnapshot, recordOf, rowsSize, rowWrites, splitSnapshot, type RowWrites } from '../storage/snapshot-rows.js';

const TRANSCRIPT_SQL = transcriptSql('conversation_id AS "conversationId", project, direction, kind, body, at');

/** A conversation as read: its snapshot as the stored text, which the cache compares. */
type StoredConversation = Omit<ConversationRecord, 'snapshot'> & { snapshot: string };

/** The answer rows (snapshot-rows.ts) of the conversations `$1`, each aggregated in its order. */
const ANSWER_ROWS_SQL = `SELECT c.id,
    (SELECT json_agg(json_build_array(a.field, a.value) ORDER BY a.seq) FROM conversation_answers a WHERE a.conversation_id = c.id) AS answers,
    (SELECT json_agg(d.field ORDER BY d.position) FROM conversation_answered d WHERE d.conversation_id = c.id) AS answered
  FROM unnest($1::text[]) AS c (id)`;

interface AnswerRows {
  id: string;
  answers: [string, string][] | null;
  answered: string[] | null;
}

/**
 * The save of a step: the conversation's row, the record values it changed, and the tail of `answered` from
 * the first position it rewrote, in one statement (its parts touch different rows). Rows past the list's new
 * length go; rows at the positions written are replaced.
 */
const SAVE_SQL = `WITH saved AS (
    UPDATE conversations SET status = $2, open = $3, active = $4, snapshot = $5::json, snapshot_format = $6,
      machine_version = $7, revision = $8 + 1, updated_at = $9
    WHERE id = $1 AND revision = $8 RETURNING id
  ), answers AS (
    INSERT INTO conversation_answers (conversation_id, field, value)
    SELECT saved.id, u.field, u.value FROM saved, unnest($10::text[], $11::text[]) WITH ORDINALITY AS u (field, value, n) ORDER BY u.n
    ON CONFLICT (conversation_id, field) DO UPDATE SET value = excluded.value
  ), shortened AS (
    DELETE FROM conversation_answered WHERE $12::integer IS NOT NULL AND conversation_id IN (SELECT id FROM saved)
      AND position >= $12::integer + cardinality($13::text[])
  ), answered AS (
    INSERT INTO conversation_answered (conversation_id, position, field)
    SELECT saved.id, $12::integer + u.n - 1, u.field FROM saved, unnest($13::text[]) WITH ORDINALITY AS u (field, n)
    ON CONFLICT (conversation_id, position) DO UPDATE SET field = excluded.field
  )
  SELECT count(*)::integer AS saved FROM saved`;

/**
 * The conversation store on PostgreSQL. On the pool each method is its own transaction; `transaction(work)`
 * runs a unit of work on one pooled client (BEGIN … COMMIT), and the handle it passes, bound to that client,
 * takes the participant's advisory lock on the first statement that names a participant (decision 0051), so
 * every unit of one participant runs after the other, whichever instance it is on.
 */
export class PostgresConversationStore implements UnitOfWork {
  readonly sync: PostgresRedcapSyncStore;

  constructor(
    private readonly pool: pg.Pool,
    private readonly session: Session = poolSession(pool),
    /** Survey versions never change: one parsed copy per id, shared by the units of this store. */
    private readonly surveys = new Map<string, Survey>(),
    /** How long a claimed timer stays this instance's (decision 0051). */
    private readonly leaseSeconds = DEFAULT_CLAIM_LEASE_SECONDS,
    /** Snapshots read or saved lately, shared by the units of this store, so a read joins no rows again (decision 0069). */
    private readonly snapshots = new SnapshotCache(),
  ) {
    this.sync = new PostgresRedcapSyncStore(session, leaseSeconds);
  }

  /** Conversations this unit kept in the cache: a rollback, of the unit or of a savepoint in it, forgets them. */
  private readonly keptInUnit: string[] = [];

  transaction<T>(work: (tx: UnitOfWork) => Promise<T>): Promise<T> {
    if (this.session.inUnit) return this.session.savepoint(() => this.forgettingOnFailure(work));
    return retryOnRevisionConflict(() => this.inUnit(work));
  }

  /**
   * Runs `work` on a store bound to a transaction of its own (a unit of work, or a write of several statements
   * called on the pool); what it kept is forgotten if the transaction does not commit.
   */
  private async inUnit<T>(work: (tx: PostgresConversationStore) => Promise<T>): Promise<T> {
    let unit: PostgresConversationStore | undefined;
    try {
      return await inTransaction(this.pool, (session) => {
        unit = new PostgresConversationStore(this.pool, session, this.surveys, this.leaseSeconds, this.snapshots);
        return unit.forgettingOnFailure(work);
      });
    } catch (error) {
      unit?.forgetKept();
      throw error;
    }
  }

  private async forgettingOnFailure<T>(work: (tx: PostgresConversationStore) => Promise<T>): Promise<T> {
    try {
      return await work(this);
    } catch (error) {
      this.forgetKept();
      throw error;
    }
  }

  private forgetKept(): void {
    for (const id of this.keptInUnit) this.snapshots.forget(id);
  }

  async insertInbound(row: InboundRow): Promise<boolean> {
    await this.session.lockParticipant(row.project, row.phone);
    const result = await this.session.query(
      `INSERT INTO inbound_messages (provider, provider_message_id, project, phone, received_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (provider, provider_message_id) DO NOTHING`,
      [row.provider, row.providerMessageId, row.project, row.phone, row.receivedAt],
    );
    return result.rowCount === 1;
  }

  async saveSurvey(survey: Survey, at: string): Promise<void> {
    await this.session.query('INSERT INTO survey_versions (id, definition, created_at) VALUES ($1, $2::jsonb, $3) ON CONFLICT (id) DO NOTHING', [
      survey.id, json(survey), at,
    ]);
    this.surveys.set(survey.id, survey);
  }

  async loadSurvey(id: string): Promise<Survey> {
    const cached = this.surveys.get(id);
    if (cached !== undefined) return cached;
    const { rows } = await this.session.query<{ definition: unknown }>('SELECT definition FROM survey_versions WHERE id = $1', [id]);
    if (rows[0] === undefined) throw new Error(`survey version ${id} is not stored`);
    const survey = SurveySchema.parse(rows[0].definition);
    this.surveys.set(id, survey);
    return survey;
  }

  /** The conversation's row, then its answers' rows (snapshot-rows.ts), in one transaction. */
  async insertConversation(row: ConversationRow): Promise<void> {
    if (!this.session.inUnit) return this.inUnit((store) => store.insertConversation(row));
    await this.session.lockParticipant(row.project, row.phone);
    const split = splitSnapshot(row.snapshot);
    await this.session.query(
      `INSERT INTO conversations (${CONVERSATION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::json, $11, $12, $13, $14, $15)`,
      [row.id, row.project, row.phone, row.recordId, row.instrument, row.surveyVersion, row.status, row.open, row.active,
        split.text, row.snapshotFormat, row.machineVersion, row.revision, row.createdAt, row.updatedAt],
    );
    await this.saveRows(row, rowWrites(split, undefined), null);
  }

  /**
   * Saves the row and what `changes` says the step changed of its answers, in one statement; without
   * `changes`, every answer row is replaced, in one transaction.
   */
  async updateConversation(row: ConversationRow, expectedRevision: number, before?: Pick<ConversationRow, 'open'>, changes?: ContextChanges): Promise<void> {
    const split = splitSnapshot(row.snapshot);
    const writes = rowWrites(split, changes);
    if (writes.whole && !this.session.inUnit) return this.inUnit((store) => store.updateConversation(row, expectedRevision, before, changes));
    if (writes.whole) await this.clearRows(row.id);
    await this.saveRows(row, writes, { text: split.text, expectedRevision });
  }

  private async clearRows(id: string): Promise<void> {
    await this.session.query('DELETE FROM conversation_answers WHERE conversation_id = $1', [id]);
    await this.session.query('DELETE FROM conversation_answered WHERE conversation_id = $1', [id]);
  }

  /** The answer rows, with the conversation's save (revision-checked) when `save` is given, else after its insert. */
  private async saveRows(row: ConversationRow, writes: RowWrites, save: { text: string; expectedRevision: number } | null): Promise<void> {
    const fields = writes.answers.map(([field]) => field);
    const values = writes.answers.map(([, value]) => value);
    const answered = [...writes.answered];
    if (save === null) {
      await this.session.query(
        `INSERT INTO conversation_answers (conversation_id, field, value)
         SELECT $1, u.field, u.value FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS u (field, value, n) ORDER BY u.n`,
        [row.id, fields, values],
      );
      await this.session.query(
        `INSERT INTO conversation_answered (conversation_id, position, field)
         SELECT $1, u.n - 1, u.field FROM unnest($2::text[]) WITH ORDINALITY AS u (field, n)`,
        [row.id, answered],
      );
      return;
    }
    const { rows } = await this.session.query<{ saved: number }>(SAVE_SQL, [
      row.id, row.status, row.open, row.active, save.text, row.snapshotFormat, row.machineVersion, save.expectedRevision, row.updatedAt,
      fields, values, writes.answeredFrom, answered,
    ]);
    if (rows[0]?.saved !== 1) throw new RevisionConflict(row.id, save.expectedRevision);
    this.keep(row.id, () => this.snapshots.saved(row.id, save.expectedRevision + 1, save.text, row.snapshot, writes));
  }

  /** Keeps a snapshot in the cache (`remember` says whether it did), noting it when the unit may yet roll back. */
  private keep(id: string, remember: () => boolean): void {
    if (remember() && this.session.inUnit) this.keptInUnit.push(id);
  }

  /** The rows' conversations, each snapshot the one kept for its revision and text, or its text joined with its answer rows. */
  private async withSnapshots(rows: readonly StoredConversation[]): Promise<ConversationRow[]> {
    const kept = rows.map((row) => this.snapshots.get(row.id, row.revision, row.snapshot));
    const missed = rows.filter((_, at) => kept[at] === undefined).map((row) => row.id);
    const answerRows = missed.length === 0
      ? new Map<string, AnswerRows>()
      : new Map((await this.session.query<AnswerRows>(ANSWER_ROWS_SQL, [missed])).rows.map((found) => [found.id, found]));
    return rows.map((row, at) => {
      const conversation = fromConversationRecord(row);
      conversation.snapshot = kept[at] ?? this.joined(row, answerRows.get(row.id));
      return conversation;
    });
  }

  private joined(row: StoredConversation, found: AnswerRows | undefined): unknown {
    const answers = found?.answers ?? [];
    const answered = found?.answered ?? [];
    const snapshot = joinSnapshot(row.id, JSON.parse(row.snapshot), { record: () => recordOf(answers), answered: () => answered });
    this.keep(row.id, () => {
      this.snapshots.remember(row.id, row.revision, row.snapshot, snapshot, row.snapshot.length + rowsSize(answers, answered));
      return true;
    });
    return snapshot;
  }

  /** Inside a unit, the participant is locked first, then the row read as the lock's previous holder left it. */
  async conversation(id: string): Promise<ConversationRow | undefined> {
    const read = async () =>
      (await this.session.query<StoredConversation>(`SELECT ${CONVERSATION_READ_COLUMNS} FROM conversations WHERE id = $1`, [id])).rows[0];
    const row = await read();
    if (row === undefined) return undefined;
    const tookLock = await this.session.lockParticipant(row.project, row.phone);
    return (await this.withSnapshots([(tookLock ? await read() : row) ?? row]))[0];
  }

  async openConversations(project: string, phone: string): Promise<ConversationRow[]> {
    await this.session.lockParticipant(project, phone);
    return this.conversationsWhere('project = $1 AND phone = $2 AND open', [project, phone]);
  }

  conversations(project: string): Promise<ConversationRow[]> {
    return this.conversationsWhere('project = $1', [project]);
  }

  /** Reads the phone's rows of conversations_by_phone (both `open` values) and keeps the newest. */
  async latestConversation(project: string, phone: string): Promise<ConversationRow | undefined> {
    const { rows } = await this.session.query<StoredConversation>(
      `SELECT ${CONVERSATION_READ_COLUMNS} FROM conversations WHERE project = $1 AND phone = $2 ORDER BY created_at DESC, seq DESC LIMIT 1`,
      [project, phone],
    );
    return (await this.withSnapshots(rows))[0];
  }

  async enqueue(row: NewOutboxRow): Promise<number> {
    const { rows } = await this.session.query<{ id: number }>(
      `INSERT INTO outbox (conversation_id, project, channel, kind, phone, payload, status, next_attempt_at, created_at, last_error)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10) RETURNING id`,
      [row.conversationId, row.project, row.channel, row.kind, row.phone, json(row.payload), row.status, row.nextAttemptAt,
        row.createdAt, row.lastError ?? null],
    );
    return rows[0]!.id;
  }

  dueOutbox(now: string, limit = 1000): Promise<OutboxRow[]> {
    return this.outboxWhere(`status = 'pending' AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $2`, [now, limit]);
  }

  outbox(conversationId: string): Promise<OutboxRow[]> {
    return this.outboxWhere('conversation_id = $1 ORDER BY id', [conversationId]);
  }

  async nextOutboxDue(): Promise<string | undefined> {
    const { rows } = await this.session.query<{ at: string | null }>(`SELECT MIN(next_attempt_at) AS at FROM outbox WHERE status = 'pending'`);
    return rows[0]?.at ?? undefined;
  }

  async markOutbox(id: number, status: OutboxStatus, error: string | null = null): Promise<void> {
    await this.session.query('UPDATE outbox SET status = $2, last_error = $3, attempts = attempts + 1, lease_until = NULL WHERE id = $1', [
      id, status, error,
    ]);
  }

  async suppressPendingTexts(project: string, phone: string): Promise<number> {
    await this.session.lockParticipant(project, phone);
    const result = await this.session.query(
      `UPDATE outbox SET status = 'suppressed' WHERE project = $1 AND phone = $2 AND channel = 'sms' AND status = 'pending'
         AND kind <> 'opted-out'`,
      [project, phone],
    );
    return result.rowCount ?? 0;
  }

  async setTimer(conversationId: string, kind: TimerKind, dueAt: string, revision: number): Promise<void> {
    await this.session.query('INSERT INTO timers (conversation_id, kind, due_at, revision) VALUES ($1, $2, $3, $4)', [
      conversationId, kind, dueAt, revision,
    ]);
  }

  async cancelTimers(conversationId: string): Promise<void> {
    await this.session.query(`UPDATE timers SET status = 'cancelled', lease_until = NULL WHERE conversation_id = $1 AND status = 'pending'`, [
      conversationId,
    ]);
  }

  /**
   * Due timers, claimed: each instance gets others than the rest (SKIP LOCKED), each leased to it for a
   * while; a timer whose instance died before firing it comes due again when its lease runs out.
   */
  async dueTimers(now: string, limit = 1000): Promise<TimerRow[]> {
    const { rows } = await this.session.query<TimerRecord>(
      `UPDATE timers SET lease_until = clock_timestamp() + ${claimLease(this.leaseSeconds)} WHERE id IN (
         SELECT id FROM timers WHERE status = 'pending' AND due_at <= $1
           AND (lease_until IS NULL OR lease_until <= clock_timestamp())
         ORDER BY due_at, id LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING ${TIMER_COLUMNS}`,
      [now, limit],
    );
    return rows.map(fromTimerRecord).sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.id - b.id);
  }

  /** Inside a unit, the pending timers are locked: a timer another instance is firing is waited for, then seen fired. */
  async pendingTimers(conversationId: string): Promise<TimerRow[]> {
    const lock = this.session.inUnit ? 'FOR UPDATE' : '';
    const { rows } = await this.session.query<TimerRecord>(
      `SELECT ${TIMER_COLUMNS} FROM timers WHERE conversation_id = $1 AND status = 'pending' ORDER BY due_at, id ${lock}`,
      [conversationId],
    );
    return rows.map(fromTimerRecord);
  }

  async nextTimerDue(): Promise<string | undefined> {
    const { rows } = await this.session.query<{ at: string | null }>(`SELECT MIN(due_at) AS at FROM timers WHERE status = 'pending'`);
    return rows[0]?.at ?? undefined;
  }

  async markTimerFired(id: number): Promise<void> {
    await this.session.query(`UPDATE timers SET status = 'fired', lease_until = NULL WHERE id = $1`, [id]);
  }

  /** The first opt-out stands; the REDCap write is queued by the table's trigger in the same transaction (decision 0052). */
  async optOut(project: string, phone: string, at: string, source: string): Promise<void> {
    await this.session.lockParticipant(project, phone);
    await this.session.query(
      'INSERT INTO opt_outs (project, phone, opted_out_at, source) VALUES ($1, $2, $3, $4) ON CONFLICT (project, phone) DO NOTHING',
      [project, phone, at, source],
    );
  }

  async optIn(project: string, phone: string): Promise<void> {
    await this.session.lockParticipant(project, phone);
    await this.session.query('DELETE FROM opt_outs WHERE project = $1 AND phone = $2', [project, phone]);
  }

  async isOptedOut(project: string, phone: string): Promise<boolean> {
    const { rows } = await this.session.query('SELECT 1 FROM opt_outs WHERE project = $1 AND phone = $2', [project, phone]);
    return rows.length > 0;
  }

  async lastPhoneTextAt(project: string, phone: string, kind: string): Promise<string | undefined> {
    const { rows } = await this.session.query<{ at: string | null }>(
      `SELECT MAX(created_at) AS at FROM outbox WHERE project = $1 AND phone = $2 AND channel = 'sms'
         AND conversation_id IS NULL AND kind = $3`,
      [project, phone, kind],
    );
    return rows[0]?.at ?? undefined;
  }

  async appendTranscript(row: TranscriptRow): Promise<void> {
    await this.session.query(APPEND_TRANSCRIPT_SQL, [row.conversationId, row.project, row.direction, row.kind, row.body, row.at]);
  }

  async transcript(conversationId: string): Promise<TranscriptRow[]> {
    const { rows } = await this.session.query<TranscriptRow>(TRANSCRIPT_SQL, [conversationId]);
    return rows;
  }

  private async conversationsWhere(where: string, params: unknown[]): Promise<ConversationRow[]> {
    const { rows } = await this.session.query<StoredConversation>(
      `SELECT ${CONVERSATION_READ_COLUMNS} FROM conversations WHERE ${where} ORDER BY created_at, seq`,
      params,
    );
    return this.withSnapshots(rows);
  }

  private async outboxWhere(whereAndOrder: string, params: unknown[]): Promise<OutboxRow[]> {
    const { rows } = await this.session.query<OutboxRecord>(`SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE ${whereAndOrder}`, params);
    return rows.map(fromOutboxRecord);
  }
}
