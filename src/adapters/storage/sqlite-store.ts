import type { Database, Statement } from 'better-sqlite3';
import { SurveySchema, type Survey } from '../../dictionary/model.js';
import type {
  ConversationRow, InboundRow, NewOutboxRow, OutboxRow, OutboxStatus, TimerKind, TimerRow, TranscriptRow,
} from '../../ports/storage/rows.js';
import {
  RevisionConflict, retryOnRevisionConflict, type ConversationStore, type UnitOfWork,
} from '../../ports/storage/conversation-store.js';
import { gateOf, type DatabaseGate } from './database-gate.js';
import { SqliteRedcapSync } from './redcap-sync-store.js';
import {
  APPEND_TRANSCRIPT_SQL, HEAD_WITH_SAVE_SQL, PendingHeads, SELECT_HEAD_SQL, WRITE_HEAD_SQL, transcriptOfConversationSql,
} from './transcript-chain.js';
import { WriteTransaction } from './write-transaction.js';
import { SnapshotCache } from './snapshot-cache.js';
import { joinSnapshot, recordOf, rowsSize, rowWrites, splitSnapshot, type RowWrites, type SplitSnapshot } from './snapshot-rows.js';
import type { ContextChanges } from '../../conversation/index.js';

interface ConversationRecord {
  id: string; project: string; phone: string; record_id: string; instrument: string; survey_version: string;
  status: string; open: number; active: number; snapshot: string; snapshot_format: number;
  machine_version: number; revision: number; created_at: string; updated_at: string;
}

interface OutboxRecord {
  id: number; conversation_id: string | null; project: string; channel: string; kind: string;
  phone: string | null; payload: string; status: string; attempts: number; next_attempt_at: string;
  last_error: string | null; created_at: string;
}

interface TimerRecord {
  id: number; conversation_id: string; kind: string; due_at: string; revision: number; status: string;
}

/**
 * The conversation store on SQLite (decision 0025). The store's own methods pass the connection's gate:
 * each runs at once when no unit of work is open, as its own autocommit statement, and otherwise after
 * the unit. A unit of work runs on `unit`, the one handle of the connection's open transaction.
 */
export class SqliteStore implements ConversationStore {
  /** The handle a unit of work runs on; one per connection, as units run one at a time. */
  readonly unit: SqliteUnit;
  readonly gate: DatabaseGate;

  constructor(readonly db: Database) {
    this.unit = new SqliteUnit(db);
    this.gate = gateOf(db);
  }

  /** One unit of work in a transaction of its own, after any open one; run again on a RevisionConflict. */
  transaction<T>(work: (tx: UnitOfWork) => Promise<T>): Promise<T> {
    return this.gate.exclusive(() => retryOnRevisionConflict(() => this.unit.outermost(work)));
  }

  insertInbound(row: InboundRow): Promise<boolean> {
    return this.gate.run(() => this.unit.insertInbound(row));
  }

  saveSurvey(survey: Survey, at: string): Promise<void> {
    return this.gate.run(() => this.unit.saveSurvey(survey, at));
  }

  loadSurvey(id: string): Promise<Survey> {
    return this.gate.run(() => this.unit.loadSurvey(id));
  }

  insertConversation(row: ConversationRow): Promise<void> {
    return this.gate.run(() => this.unit.insertConversation(row));
  }

  updateConversation(row: ConversationRow, expectedRevision: number, before?: Pick<ConversationRow, 'open'>, changes?: ContextChanges): Promise<void> {
    return this.gate.run(() => this.unit.updateConversation(row, expectedRevision, before, changes));
  }

  conversation(id: string): Promise<ConversationRow | undefined> {
    return this.gate.run(() => this.unit.conversation(id));
  }

  openConversations(project: string, phone: string): Promise<ConversationRow[]> {
    return this.gate.run(() => this.unit.openConversations(project, phone));
  }

  conversations(project: string): Promise<ConversationRow[]> {
    return this.gate.run(() => this.unit.conversations(project));
  }

  latestConversation(project: string, phone: string): Promise<ConversationRow | undefined> {
    return this.gate.run(() => this.unit.latestConversation(project, phone));
  }

  enqueue(row: NewOutboxRow): Promise<number> {
    return this.gate.run(() => this.unit.enqueue(row));
  }

  dueOutbox(now: string, limit?: number): Promise<OutboxRow[]> {
    return this.gate.run(() => this.unit.dueOutbox(now, limit));
  }

  outbox(conversationId: string): Promise<OutboxRow[]> {
    return this.gate.run(() => this.unit.outbox(conversationId));
  }

  nextOutboxDue(): Promise<string | undefined> {
    return this.gate.run(() => this.unit.nextOutboxDue());
  }

  markOutbox(id: number, status: OutboxStatus, error?: string | null): Promise<void> {
    return this.gate.run(() => this.unit.markOutbox(id, status, error));
  }

  suppressPendingTexts(project: string, phone: string): Promise<number> {
    return this.gate.run(() => this.unit.suppressPendingTexts(project, phone));
  }

  setTimer(conversationId: string, kind: TimerKind, dueAt: string, revision: number): Promise<void> {
    return this.gate.run(() => this.unit.setTimer(conversationId, kind, dueAt, revision));
  }

  cancelTimers(conversationId: string): Promise<void> {
    return this.gate.run(() => this.unit.cancelTimers(conversationId));
  }

  dueTimers(now: string, limit?: number): Promise<TimerRow[]> {
    return this.gate.run(() => this.unit.dueTimers(now, limit));
  }

  pendingTimers(conversationId: string): Promise<TimerRow[]> {
    return this.gate.run(() => this.unit.pendingTimers(conversationId));
  }

  nextTimerDue(): Promise<string | undefined> {
    return this.gate.run(() => this.unit.nextTimerDue());
  }

  markTimerFired(id: number): Promise<void> {
    return this.gate.run(() => this.unit.markTimerFired(id));
  }

  optOut(project: string, phone: string, at: string, source: string): Promise<void> {
    return this.gate.run(() => this.unit.optOut(project, phone, at, source));
  }

  optIn(project: string, phone: string): Promise<void> {
    return this.gate.run(() => this.unit.optIn(project, phone));
  }

  isOptedOut(project: string, phone: string): Promise<boolean> {
    return this.gate.run(() => this.unit.isOptedOut(project, phone));
  }

  lastPhoneTextAt(project: string, phone: string, kind: string): Promise<string | undefined> {
    return this.gate.run(() => this.unit.lastPhoneTextAt(project, phone, kind));
  }

  /** A conversation's entry moves its transcript head, so it is a unit of its own. */
  appendTranscript(row: TranscriptRow): Promise<void> {
    if (row.conversationId === null) return this.gate.run(() => this.unit.appendTranscript(row));
    return this.transaction((tx) => tx.appendTranscript(row));
  }

  transcript(conversationId: string): Promise<TranscriptRow[]> {
    return this.gate.run(() => this.unit.transcript(conversationId));
  }
}

/**
 * A unit of work's handle on SQLite: every statement the conversation engine runs, prepared once, each
 * method settling at once (better-sqlite3 is synchronous), so a unit's awaits cost microtasks only.
 */
export class SqliteUnit implements UnitOfWork {
  readonly sync: SqliteRedcapSync;
  readonly write: WriteTransaction;
  private readonly surveys = new Map<string, Survey>();
  /** Snapshots read or saved lately, so a conversation texting again is not read again (snapshot-cache.ts). */
  private readonly snapshots = new SnapshotCache();
  /** Conversations saved in the open transaction: a rollback takes their kept snapshots with it. */
  private readonly savedInTransaction: string[] = [];
  private readonly sql: Record<string, Statement>;
  /** Transcript heads of the open transaction not yet written to their conversations. */
  private readonly heads = new PendingHeads();
  /** Made once: the outermost unit calls it before every COMMIT. */
  private readonly beforeCommit = (): void => this.writePendingHeads();

  constructor(db: Database) {
    this.sql = prepareAll(db);
    this.sync = new SqliteRedcapSync(db);
    this.write = new WriteTransaction(db);
  }

  /** Opens the transaction, runs `work` on this handle and commits, writing the transcript heads still pending. */
  async outermost<T>(work: (tx: UnitOfWork) => Promise<T>): Promise<T> {
    try {
      return await this.write.outermost(() => work(this), this.beforeCommit);
    } catch (error) {
      this.forgetSavedInTransaction();
      throw error;
    } finally {
      this.heads.clear();
      this.savedInTransaction.length = 0;
    }
  }

  /**
   * A nested unit (a savepoint): rolled back alone, its transcript heads with it, if `work` rejects.
   * Without a savepoint (group commit's first run) nothing is rolled back alone, so the heads are not copied.
   */
  transaction<T>(work: (tx: UnitOfWork) => Promise<T>): Promise<T> {
    const heads = this.write.savepoints ? this.heads.saved() : undefined;
    return this.write.nested(() => work(this), () => {
      if (heads !== undefined) this.heads.restore(heads);
      this.forgetSavedInTransaction();
    });
  }

  /** False when this provider message id was seen before (a retried webhook). */
  async insertInbound(row: InboundRow): Promise<boolean> {
    const result = this.sql.insertInbound!.run(row.provider, row.providerMessageId, row.project, row.phone, row.receivedAt);
    return result.changes === 1;
  }

  async saveSurvey(survey: Survey, at: string): Promise<void> {
    this.sql.insertSurvey!.run(survey.id, JSON.stringify(survey), at);
    this.surveys.set(survey.id, survey);
  }

  /** Survey versions are immutable, so a parsed copy is kept for the life of the store. */
  async loadSurvey(id: string): Promise<Survey> {
    const cached = this.surveys.get(id);
    if (cached !== undefined) return cached;
    const row = this.sql.selectSurvey!.get(id) as { definition: string } | undefined;
    if (row === undefined) throw new Error(`survey version ${id} is not stored`);
    const survey = SurveySchema.parse(JSON.parse(row.definition));
    this.surveys.set(id, survey);
    return survey;
  }

  /** The conversation's row, then its answers' rows (snapshot-rows.ts). */
  async insertConversation(row: ConversationRow): Promise<void> {
    const split = splitSnapshot(row.snapshot);
    this.sql.insertConversation!.run(toConversationRecord(row, split.text));
    this.writeRows(row.id, rowWrites(split, undefined));
  }

  /**
   * Saves `row` as revision `expectedRevision + 1`, or rejects with RevisionConflict. Given the row as it
   * was, a save that leaves `open` alone does not name it: SQLite rewrites the by-phone index entry of every
   * row whose UPDATE names an indexed column, changed or not.
   */
  async updateConversation(row: ConversationRow, expectedRevision: number, before?: Pick<ConversationRow, 'open'>, changes?: ContextChanges): Promise<void> {
    const statement = before?.open === row.open ? this.sql.updateConversationKeepingOpen! : this.sql.updateConversation!;
    const pending = this.heads.get(row.id);
    const split = splitSnapshot(row.snapshot);
    const record = toConversationRecord(row, split.text, expectedRevision, pending?.head ?? null, pending?.replied === true ? 1 : 0);
    const result = statement.run(record);
    if (result.changes !== 1) throw new RevisionConflict(row.id, expectedRevision);
    const writes = rowWrites(split, changes);
    this.writeRows(row.id, writes);
    this.rememberSaved(row, expectedRevision + 1, split, writes);
    this.heads.written(row.id);
  }

  async conversation(id: string): Promise<ConversationRow | undefined> {
    const row = this.sql.selectConversation!.get(id) as ConversationRecord | undefined;
    return row === undefined ? undefined : this.fromConversationRecord(row);
  }

  /** Open conversations for one phone in one project, oldest invitation first. */
  async openConversations(project: string, phone: string): Promise<ConversationRow[]> {
    return (this.sql.selectOpenByPhone!.all(project, phone) as ConversationRecord[]).map((row) => this.fromConversationRecord(row));
  }

  /** Reads the phone's rows of conversations_by_phone (both `open` values) and keeps the newest. */
  async latestConversation(project: string, phone: string): Promise<ConversationRow | undefined> {
    const row = this.sql.selectLatestByPhone!.get(project, phone) as ConversationRecord | undefined;
    return row === undefined ? undefined : this.fromConversationRecord(row);
  }

  /** Every conversation of a project, oldest first (admin views, replay). */
  async conversations(project: string): Promise<ConversationRow[]> {
    return (this.sql.selectConversationsOf!.all(project) as ConversationRecord[]).map((row) => this.fromConversationRecord(row));
  }

  async enqueue(row: NewOutboxRow): Promise<number> {
    const result = this.sql.insertOutbox!.run(
      row.conversationId, row.project, row.channel, row.kind, row.phone,
      JSON.stringify(row.payload), row.status, row.nextAttemptAt, row.createdAt, row.lastError ?? null,
    );
    return Number(result.lastInsertRowid);
  }

  /** Pending outbox rows whose time has come, in the order they were meant to go out. */
  async dueOutbox(now: string, limit = 1000): Promise<OutboxRow[]> {
    return (this.sql.selectDueOutbox!.all(now, limit) as OutboxRecord[]).map(fromOutboxRecord);
  }

  async outbox(conversationId: string): Promise<OutboxRow[]> {
    return (this.sql.selectOutboxOf!.all(conversationId) as OutboxRecord[]).map(fromOutboxRecord);
  }

  /** When the earliest pending row (deferred by quiet hours or backoff) becomes due. */
  async nextOutboxDue(): Promise<string | undefined> {
    const row = this.sql.selectNextOutbox!.get() as { next_attempt_at: string } | undefined;
    return row?.next_attempt_at;
  }

  async markOutbox(id: number, status: OutboxStatus, error: string | null = null): Promise<void> {
    this.sql.markOutbox!.run(status, error, id);
  }

  /** Texts not yet sent to a phone that has just opted out must never leave. */
  async suppressPendingTexts(project: string, phone: string): Promise<number> {
    return this.sql.suppressTexts!.run(project, phone).changes;
  }

  async setTimer(conversationId: string, kind: TimerKind, dueAt: string, revision: number): Promise<void> {
    this.sql.insertTimer!.run(conversationId, kind, dueAt, revision);
  }

  async cancelTimers(conversationId: string): Promise<void> {
    this.sql.cancelTimers!.run(conversationId);
  }

  async dueTimers(now: string, limit = 1000): Promise<TimerRow[]> {
    return (this.sql.selectDueTimers!.all(now, limit) as TimerRecord[]).map(fromTimerRecord);
  }

  async pendingTimers(conversationId: string): Promise<TimerRow[]> {
    return (this.sql.selectPendingTimersOf!.all(conversationId) as TimerRecord[]).map(fromTimerRecord);
  }

  async nextTimerDue(): Promise<string | undefined> {
    const row = this.sql.selectNextTimer!.get() as { due_at: string } | undefined;
    return row?.due_at;
  }

  async markTimerFired(id: number): Promise<void> {
    this.sql.markTimerFired!.run(id);
  }

  /** Migration 0003's trigger queues the REDCap opt-out with the row (the storage contract). */
  async optOut(project: string, phone: string, at: string, source: string): Promise<void> {
    this.sql.insertOptOut!.run(project, phone, at, source);
  }

  /** Migration 0003's trigger queues the REDCap opt-in with the deletion (the storage contract). */
  async optIn(project: string, phone: string): Promise<void> {
    this.sql.deleteOptOut!.run(project, phone);
  }

  async isOptedOut(project: string, phone: string): Promise<boolean> {
    return this.sql.selectOptOut!.get(project, phone) !== undefined;
  }

  /** When a phone-level text (no conversation) of this kind was last queued for the phone, if ever. */
  async lastPhoneTextAt(project: string, phone: string, kind: string): Promise<string | undefined> {
    return (this.sql.selectLastText!.get(project, phone, kind) as { at: string | null }).at ?? undefined;
  }

  /**
   * Appends after the conversation's current head. The new head waits for the conversation's save, or
   * the end of the outermost transaction, to be written (transcript-chain.ts).
   */
  async appendTranscript(row: TranscriptRow): Promise<void> {
    const conversationId = row.conversationId;
    if (conversationId === null) return void this.sql.insertTranscript!.run(toTranscriptRecord(row, null));
    if (this.write.depth === 0) throw new Error("a conversation's transcript is appended to inside a unit of work");
    const pending = this.heads.get(conversationId);
    const previousId = pending?.head ?? this.storedHead(conversationId);
    const appended = this.sql.insertTranscript!.run(toTranscriptRecord(row, previousId));
    const replied = pending?.replied === true || row.direction === 'in';
    this.heads.set(conversationId, { head: Number(appended.lastInsertRowid), replied });
  }

  async transcript(conversationId: string): Promise<TranscriptRow[]> {
    if (this.write.depth > 0) this.writePendingHeads();
    return this.sql.selectTranscript!.all(conversationId) as TranscriptRow[];
  }

  private fromConversationRecord(row: ConversationRecord): ConversationRow {
    return fromConversationRecord(row, this.snapshots.get(row.id, row.revision, row.snapshot) ?? this.readSnapshot(row));
  }

  /** The stored text's parse with the conversation's answer rows joined back, kept for the next read. */
  private readSnapshot(row: ConversationRecord): unknown {
    let answers: [string, string][] = [];
    let answered: string[] = [];
    const snapshot = joinSnapshot(row.id, JSON.parse(row.snapshot), {
      record: () => recordOf((answers = this.sql.selectAnswers!.all(row.id) as [string, string][])),
      answered: () => (answered = this.sql.selectAnswered!.all(row.id) as string[]),
    });
    this.snapshots.remember(row.id, row.revision, row.snapshot, snapshot, row.snapshot.length + rowsSize(answers, answered));
    return snapshot;
  }

  /** Upserts the values the save changed and rewrites the tail of `answered` it changed (all of both for a whole write). */
  private writeRows(id: string, writes: RowWrites): void {
    if (writes.whole) this.sql.deleteAnswers!.run(id);
    for (const [field, value] of writes.answers) this.sql.upsertAnswer!.run(id, field, value);
    const from = writes.answeredFrom;
    if (from === null) return;
    this.sql.deleteAnsweredFrom!.run(id, from);
    for (let at = 0; at < writes.answered.length; at += 1) this.sql.insertAnswered!.run(id, from + at, writes.answered[at]);
  }

  /** Keeps the saved snapshot for the next read (SnapshotCache.saved), to be forgotten if the transaction rolls back. */
  private rememberSaved(row: ConversationRow, revision: number, split: SplitSnapshot, writes: RowWrites): void {
    if (this.snapshots.saved(row.id, revision, split.text, row.snapshot, writes)) this.savedInTransaction.push(row.id);
  }

  private forgetSavedInTransaction(): void {
    for (const id of this.savedInTransaction) this.snapshots.forget(id);
  }

  private storedHead(conversationId: string): number | null {
    return (this.sql.selectTranscriptHead!.get(conversationId) as { head: number | null } | undefined)?.head ?? null;
  }

  private writePendingHeads(): void {
    this.heads.drain((conversationId, { head, replied }) => {
      this.sql.writeTranscriptHead!.run(head, replied ? 1 : 0, conversationId);
    });
  }
}

function prepareAll(db: Database): Record<string, Statement> {
  const statements = {
    insertInbound: `INSERT INTO inbound_messages (provider, provider_message_id, project, phone, received_at)
      VALUES (?, ?, ?, ?, ?) ON CONFLICT (provider, provider_message_id) DO NOTHING`,
    insertSurvey: 'INSERT INTO survey_versions (id, definition, created_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING',
    selectSurvey: 'SELECT definition FROM survey_versions WHERE id = ?',
    insertConversation: `INSERT INTO conversations (id, project, phone, record_id, instrument, survey_version, status,
      open, active, snapshot, snapshot_format, machine_version, revision, created_at, updated_at)
      VALUES (@id, @project, @phone, @record_id, @instrument, @survey_version, @status, @open, @active, @snapshot,
      @snapshot_format, @machine_version, @revision, @created_at, @updated_at)`,
    updateConversation: `UPDATE conversations SET status = @status, open = @open, active = @active,
      snapshot = @snapshot, snapshot_format = @snapshot_format, machine_version = @machine_version,
      revision = @expected + 1, updated_at = @updated_at, ${HEAD_WITH_SAVE_SQL} WHERE id = @id AND revision = @expected`,
    updateConversationKeepingOpen: `UPDATE conversations SET status = @status, active = @active,
      snapshot = @snapshot, snapshot_format = @snapshot_format, machine_version = @machine_version,
      revision = @expected + 1, updated_at = @updated_at, ${HEAD_WITH_SAVE_SQL} WHERE id = @id AND revision = @expected`,
    selectConversation: 'SELECT * FROM conversations WHERE id = ?',
    selectOpenByPhone: `SELECT * FROM conversations WHERE project = ? AND phone = ? AND open = 1
      ORDER BY created_at, rowid`,
    selectLatestByPhone: `SELECT * FROM conversations WHERE project = ? AND phone = ?
      ORDER BY created_at DESC, rowid DESC LIMIT 1`,
    insertOutbox: `INSERT INTO outbox (conversation_id, project, channel, kind, phone, payload, status, next_attempt_at,
      created_at, last_error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    selectDueOutbox: `SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at <= ?
      ORDER BY next_attempt_at, id LIMIT ?`,
    selectNextOutbox: `SELECT next_attempt_at FROM outbox WHERE status = 'pending' ORDER BY next_attempt_at LIMIT 1`,
    selectConversationsOf: 'SELECT * FROM conversations WHERE project = ? ORDER BY created_at, rowid',
    selectOutboxOf: 'SELECT * FROM outbox WHERE conversation_id = ? ORDER BY id',
    markOutbox: 'UPDATE outbox SET status = ?, last_error = ?, attempts = attempts + 1 WHERE id = ?',
    suppressTexts: `UPDATE outbox SET status = 'suppressed' WHERE project = ? AND phone = ? AND channel = 'sms'
      AND status = 'pending' AND kind <> 'opted-out'`,
    insertTimer: 'INSERT INTO timers (conversation_id, kind, due_at, revision) VALUES (?, ?, ?, ?)',
    cancelTimers: `UPDATE timers SET status = 'cancelled' WHERE conversation_id = ? AND status = 'pending'`,
    selectDueTimers: `SELECT * FROM timers WHERE status = 'pending' AND due_at <= ? ORDER BY due_at, id LIMIT ?`,
    selectPendingTimersOf: `SELECT * FROM timers WHERE conversation_id = ? AND status = 'pending' ORDER BY due_at, id`,
    selectNextTimer: `SELECT due_at FROM timers WHERE status = 'pending' ORDER BY due_at LIMIT 1`,
    markTimerFired: `UPDATE timers SET status = 'fired' WHERE id = ?`,
    insertOptOut: `INSERT INTO opt_outs (project, phone, opted_out_at, source) VALUES (?, ?, ?, ?)
      ON CONFLICT (project, phone) DO NOTHING`,
    deleteOptOut: 'DELETE FROM opt_outs WHERE project = ? AND phone = ?',
    selectOptOut: 'SELECT 1 FROM opt_outs WHERE project = ? AND phone = ?',
    selectLastText: `SELECT MAX(created_at) AS at FROM outbox WHERE project = ? AND phone = ? AND channel = 'sms'
      AND conversation_id IS NULL AND kind = ?`,
    insertTranscript: APPEND_TRANSCRIPT_SQL,
    selectTranscriptHead: SELECT_HEAD_SQL,
    writeTranscriptHead: WRITE_HEAD_SQL,
    upsertAnswer: `INSERT INTO conversation_answers (conversation_id, field, value) VALUES (?, ?, ?)
      ON CONFLICT (conversation_id, field) DO UPDATE SET value = excluded.value`,
    deleteAnswers: 'DELETE FROM conversation_answers WHERE conversation_id = ?',
    insertAnswered: 'INSERT INTO conversation_answered (conversation_id, position, field) VALUES (?, ?, ?)',
    deleteAnsweredFrom: 'DELETE FROM conversation_answered WHERE conversation_id = ? AND position >= ?',
    selectTranscript: transcriptOfConversationSql('conversation_id AS conversationId, project, direction, kind, body, at'),
  };
  const prepared: Record<string, Statement> = Object.fromEntries(Object.entries(statements).map(([name, sql]) => [name, db.prepare(sql)]));
  prepared.selectAnswers = db.prepare('SELECT field, value FROM conversation_answers WHERE conversation_id = ? ORDER BY rowid').raw(true);
  prepared.selectAnswered = db.prepare('SELECT field FROM conversation_answered WHERE conversation_id = ? ORDER BY position').pluck(true);
  return prepared;
}

/**
 * The row's parameters, with what a save also names: the revision it must find and the transcript head it
 * moves to (an INSERT names none of them, and better-sqlite3 ignores parameters a statement does not name).
 * Parameters are written out as literals, never spread (`{ ...record, expected }`): on this Node a spread
 * copy of a wide object cost ten times the allocation of a literal, and V8 promoted about a third of it,
 * which brought the engine thread's major collections (decision 0023 addendum).
 */
function toConversationRecord(row: ConversationRow, snapshot: string, expected = row.revision, head: number | null = null, replied: 0 | 1 = 0): ConversationRecord & { expected: number; head: number | null; replied: 0 | 1 } {
  return {
    id: row.id, project: row.project, phone: row.phone, record_id: row.recordId, instrument: row.instrument,
    survey_version: row.surveyVersion, status: row.status, open: row.open ? 1 : 0, active: row.active ? 1 : 0,
    snapshot, snapshot_format: row.snapshotFormat, machine_version: row.machineVersion,
    revision: row.revision, created_at: row.createdAt, updated_at: row.updatedAt, expected, head, replied,
  };
}

function toTranscriptRecord(row: TranscriptRow, previousId: number | null): TranscriptRow & { previousId: number | null } {
  return { conversationId: row.conversationId, project: row.project, direction: row.direction, kind: row.kind, body: row.body, at: row.at, previousId };
}

function fromConversationRecord(row: ConversationRecord, snapshot: unknown): ConversationRow {
  return {
    id: row.id, project: row.project, phone: row.phone, recordId: row.record_id, instrument: row.instrument,
    surveyVersion: row.survey_version, status: row.status, open: row.open === 1, active: row.active === 1,
    snapshot, snapshotFormat: row.snapshot_format,
    machineVersion: row.machine_version, revision: row.revision, createdAt: row.created_at, updatedAt: row.updated_at,
  };
}

function fromOutboxRecord(row: OutboxRecord): OutboxRow {
  return {
    id: row.id, conversationId: row.conversation_id, project: row.project, channel: row.channel as OutboxRow['channel'],
    kind: row.kind, phone: row.phone, payload: JSON.parse(row.payload) as unknown, status: row.status as OutboxStatus,
    attempts: row.attempts, nextAttemptAt: row.next_attempt_at, lastError: row.last_error, createdAt: row.created_at,
  };
}

function fromTimerRecord(row: TimerRecord): TimerRow {
  return {
    id: row.id, conversationId: row.conversation_id, kind: row.kind as TimerKind, dueAt: row.due_at,
    revision: row.revision, status: row.status as TimerRow['status'],
  };
}
