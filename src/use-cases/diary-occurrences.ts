/**
 * A diary occurrence at send time (decision 0058): the next occurrence is planned as soon as this one is
 * handled (sent, missed or skipped), so a diary carries on without REDCap sending anything; an occurrence
 * that expired while nothing ran is missed, not sent late; and its conversation expires after the diary's
 * `expireAfter` without a reply.
 */
import type { ProjectConfig } from '../config/projects.js';
import type { Survey } from '../dictionary/model.js';
import { diaryFollowUp } from '../policies/diary-plan.js';
import type { RecordRows } from '../policies/invitation-rules.js';
import type { InvitationRow, RedcapSyncStore } from '../ports/storage/redcap-sync-store.js';
import type { ConversationDeps } from './conversation-deps.js';

export interface DiaryGate {
  /** Why this occurrence is not sent; undefined to send it. */
  skip?: string;
  /** The conversation deps to start it with (the diary's expiry in place of the project's). */
  conversations: ConversationDeps;
}

export async function passDiaryGate(
  sync: RedcapSyncStore, conversations: ConversationDeps, project: ProjectConfig, survey: Survey, record: RecordRows, invitation: InvitationRow,
): Promise<DiaryGate> {
  const now = conversations.clock.now();
  const diary = diaryFollowUp(project, survey, record, invitation, now);
  if (diary === undefined) return { conversations };
  if (diary.next !== undefined) await sync.scheduleInvitation(diary.next);
  if (diary.current === undefined) return { skip: 'the diary has ended for this record (no start date, or `until` holds)', conversations };
  if (diary.current.expiresAt.getTime() <= now.getTime()) return { skip: 'missed: the diary occurrence closed before it could be sent', conversations };
  return { conversations: expiringAfter(conversations, diary.diary.expireAfter) };
}

function expiringAfter(deps: ConversationDeps, expiry: string): ConversationDeps {
  return {
    ...deps,
    project: (id) => {
      const setup = deps.project(id);
      return { ...setup, settings: { ...setup.settings, expiry } };
    },
  };
}
