/**
 * The diary sweep's rounds (decision 0058): each project with `diaries` is swept every `diarySweepEvery`
 * (the first round sweeps at once). A project REDCap cannot serve is logged and swept again at its next
 * turn; it holds back no other project.
 */
import type { ProjectConfig } from '../config/projects.js';
import { durationMs } from '../conversation/duration.js';
import { failureReason } from '../use-cases/redcap-failure.js';
import { sweepDiaries } from '../use-cases/diary-sweep.js';
import type { RedcapInvitationDeps } from '../use-cases/scheduled-invitations.js';

export interface DiarySweepReport {
  /** Projects read this round. */
  swept: number;
  /** Occurrences planned this round (new rows). */
  planned: number;
  /** Projects REDCap could not serve this round. */
  failed: number;
}

/** As the project file's default. */
const DEFAULT_SWEEP_EVERY = 'PT15M';

/** One round: sweeps every project whose turn has come. */
export function createDiarySweep(deps: RedcapInvitationDeps): () => Promise<DiarySweepReport> {
  const nextTurn = new Map<string, number>();
  return async () => {
    const report: DiarySweepReport = { swept: 0, planned: 0, failed: 0 };
    for (const project of deps.projects.filter(hasDiaries)) {
      const now = deps.conversations.clock.now().getTime();
      if (now < (nextTurn.get(project.id) ?? 0)) continue;
      nextTurn.set(project.id, now + durationMs(project.diarySweepEvery ?? DEFAULT_SWEEP_EVERY));
      report.swept += 1;
      try {
        const planned = await sweepDiaries(deps, project);
        report.planned += planned;
        if (planned > 0) deps.logger.info({ project: project.id, planned }, 'diary occurrences planned by the sweep');
      } catch (error) {
        report.failed += 1;
        deps.logger.warn({ project: project.id, reason: failureReason(error) }, 'diary sweep could not read REDCap; the next turn tries again');
      }
    }
    return report;
  };
}

const hasDiaries = (project: ProjectConfig): boolean => (project.diaries ?? []).length > 0;
