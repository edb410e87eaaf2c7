import { countSegments } from '../../answers/index.js';
import type { ProjectRegistry } from '../../config/projects.js';
import type { Clock } from '../../ports/clock.js';
import type { Logger } from '../../ports/logger.js';
import type { SmsSender } from '../../ports/sms-provider.js';
import { budgetState, crossesWarning, monthOf, type BudgetUsage, type SegmentUsage } from './segment-budget.js';

export interface BudgetDeps {
  readonly usage: SegmentUsage;
  readonly projects: ProjectRegistry;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * Wraps a provider's sender with each project's monthly segment budget: a text that would go past it
 * is refused with a reason the outbox row keeps (never silently dropped); accepted sends are counted,
 * and crossing 80% is logged once. Projects without a budget pass straight through.
 */
export function withSegmentBudget(sender: SmsSender, deps: BudgetDeps): SmsSender {
  return {
    async send(request) {
      const project = request.project === undefined ? undefined : deps.projects.byId(request.project);
      const budget = project?.monthlySegmentBudget;
      if (project === undefined || budget === undefined) return sender.send(request);
      const month = monthOf(deps.clock.now(), project.timeZone);
      const used = await deps.usage.used(project.id, month);
      const cost = countSegments(request.body).segments;
      if (used + cost > budget) {
        return { kind: 'rejected', reason: `monthly segment budget reached: ${used} of ${budget} segments used in ${month}, this text needs ${cost}`, code: undefined };
      }
      const outcome = await sender.send(request);
      if (outcome.kind === 'sent') {
        await deps.usage.record(project.id, month, cost);
        if (crossesWarning(used, cost, budget)) {
          deps.logger.warn({ project: project.id, month, used: used + cost, budget }, 'monthly segment budget 80% used');
        }
      }
      return outcome;
    },
  };
}

/** Every budgeted project's use this month, for /readyz. */
export async function budgetReport(deps: Omit<BudgetDeps, 'logger'>): Promise<BudgetUsage[]> {
  return Promise.all(deps.projects.projects.flatMap((project) => {
    const budget = project.monthlySegmentBudget;
    if (budget === undefined) return [];
    const month = monthOf(deps.clock.now(), project.timeZone);
    return [(async () => {
      const used = await deps.usage.used(project.id, month);
      return { project: project.id, month, used, budget, state: budgetState(used, budget) };
    })()];
  }));
}
