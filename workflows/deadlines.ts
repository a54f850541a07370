import type { DbOrTrx } from '#db/client.server.ts'
import { calendarOverridesFrom, slaRulesAlongPath } from '#db/queries/sla.ts'
import { shanghaiDate, WorkingDayCalendar } from '#jobs/calendar/working-days.ts'
import {
  DEFAULT_SLA,
  isSlaStage,
  SLA_STAGES,
  type SlaRule,
  type SlaSource,
  type SlaStage,
} from './sla.ts'

/** When a stage's owner is reminded (null: no reminder) and when the deadline is breached. */
export interface DeadlineTimes {
  dueAt: Date
  remindAt: Date | null
}

/** What a policy may look at: the transaction of the change and the case's org. */
export interface DeadlineContext {
  db: DbOrTrx
  orgPath: string
}

/**
 * Turns a named deadline (an SLA stage) that starts at `from` into its due
 * times. Dispatch calls it inside the transaction of the state change. A
 * plain Date means "the deadline, no reminder" (handy for tests).
 */
export type DeadlinePolicy = (
  deadline: string,
  from: Date,
  context: DeadlineContext,
) => DeadlineTimes | Date | Promise<DeadlineTimes | Date>

/**
 * Due = the end of working hours on the N-th working day after `from`;
 * the reminder = the end of working hours `remindBefore` working days
 * earlier. A reminder that would not fall strictly between `from` and the
 * deadline is left out (it would tell the owner nothing new).
 */
export function stageDeadline(
  calendar: WorkingDayCalendar,
  from: Date,
  rule: SlaRule,
): DeadlineTimes {
  const dueAt = calendar.dueAfterWorkingDays(from, rule.workingDays)
  const before = rule.remindBeforeWorkingDays
  const remindAt =
    before > 0 && before < rule.workingDays
      ? calendar.dueAfterWorkingDays(from, rule.workingDays - before)
      : null
  return normaliseTimes({ dueAt, remindAt }, from)
}

/** A policy's answer as due times; a reminder outside (from, dueAt) is dropped. */
export function normaliseTimes(times: DeadlineTimes | Date, from: Date): DeadlineTimes {
  const t = times instanceof Date ? { dueAt: times, remindAt: null } : times
  const remindAt =
    t.remindAt && t.remindAt.getTime() > from.getTime() && t.remindAt < t.dueAt ? t.remindAt : null
  return { dueAt: t.dueAt, remindAt }
}

export interface EffectiveSlaRule {
  stage: SlaStage
  rule: SlaRule
  source: SlaSource
}

type RuleRow = Awaited<ReturnType<typeof slaRulesAlongPath>>[number]

/**
 * The rule of every stage for the org at the end of `orgPath`: the nearest
 * org on the path that sets one (the org itself, then its parent…), else the
 * default. `rows` come nearest first (slaRulesAlongPath).
 */
export function resolveSlaRules(rows: RuleRow[], ownOrgId: number | null): EffectiveSlaRule[] {
  return SLA_STAGES.map((stage) => {
    const row = rows.find((r) => r.stage === stage)
    if (!row) return { stage, rule: DEFAULT_SLA[stage], source: { kind: 'default' } }
    return {
      stage,
      rule: {
        workingDays: row.working_days,
        remindBeforeWorkingDays: row.remind_before_working_days,
      },
      source:
        row.org_id === ownOrgId
          ? { kind: 'own' }
          : { kind: 'inherited', orgId: row.org_id, orgName: row.orgName },
    }
  })
}

/** The rule that applies to a stage for a case of the org at `orgPath`. */
export async function slaRuleFor(db: DbOrTrx, orgPath: string, stage: SlaStage): Promise<SlaRule> {
  const [nearest] = await slaRulesAlongPath(db, orgPath, [stage])
  return nearest
    ? {
        workingDays: nearest.working_days,
        remindBeforeWorkingDays: nearest.remind_before_working_days,
      }
    : DEFAULT_SLA[stage]
}

/** The official calendar with the local overrides from `from`'s day on. */
export async function workingDayCalendar(db: DbOrTrx, from: Date): Promise<WorkingDayCalendar> {
  return new WorkingDayCalendar(await calendarOverridesFrom(db, shanghaiDate(from)))
}

/**
 * The default policy: the org's rule for the stage (inherited along its
 * path, else the default) on China's working-day calendar with the local
 * overrides.
 */
export const slaDeadlines: DeadlinePolicy = async (deadline, from, { db, orgPath }) => {
  if (!isSlaStage(deadline)) throw new Error(`unknown deadline ${deadline}`)
  const rule = await slaRuleFor(db, orgPath, deadline)
  const calendar = await workingDayCalendar(db, from)
  return stageDeadline(calendar, from, rule)
}
