/**
 * Diaries that start without a Data Entry Trigger (decision 0058): REDCap sends none for an API import, so
 * the sweep reads the records whose start date is filled in and plans each one's next open occurrence
 * through the same plan a DET uses. Planning is idempotent (one invitation row per occurrence), so a record
 * already planned costs only its share of the two reads.
 */
import type { ProjectConfig } from '../config/projects.js';
import type { FlatRecord } from '../ports/redcap/index.js';
import { diaryExport, diaryInvitations } from '../policies/diary-plan.js';
import type { RecordRows } from '../policies/invitation-rules.js';
import { schedule, type RedcapInvitationDeps } from './scheduled-invitations.js';

/** Plans the project's diary occurrences its records call for; resolves to how many were new. */
export async function sweepDiaries(deps: RedcapInvitationDeps, project: ProjectConfig): Promise<number> {
  if ((project.diaries ?? []).length === 0) return 0;
  const survey = await deps.survey(project.id);
  const query = diaryExport(project, survey);
  if (query === undefined) return 0;
  const client = deps.redcap(project.id);
  // The filter picks the records; the second read brings each one's rows on every event, which `until`
  // and the participant's zone may be on (a longitudinal filter keeps only the rows it holds on).
  const candidates = await client.exportRecords({ fields: query.candidateFields, filterLogic: query.filterLogic });
  const ids = [...new Set(candidates.map((row) => row[survey.recordIdField] ?? '').filter((id) => id !== ''))];
  if (ids.length === 0) return 0;
  const rows = await client.exportRecords({ records: ids, fields: query.fields });
  const now = deps.conversations.clock.now();
  return schedule(deps, byRecord(rows, survey.recordIdField).flatMap((record) => diaryInvitations(project, survey, record, now)));
}

function byRecord(rows: readonly FlatRecord[], idField: string): RecordRows[] {
  const records = new Map<string, FlatRecord[]>();
  for (const row of rows) {
    const id = row[idField] ?? '';
    if (id === '') continue;
    const list = records.get(id) ?? [];
    list.push(row);
    records.set(id, list);
  }
  return [...records].map(([recordId, recordRows]) => ({ recordId, rows: recordRows }));
}
