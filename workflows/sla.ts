import { z } from 'zod'

// Pure (zod only): machines and pages import it. Messages are translation keys.

/**
 * Stages that carry a deadline (SLA), in the order a case meets them. The
 * first four exist in the needs-list workflow today; the others belong to
 * later stages (invitations, visits, reports, feedback) and can already be
 * configured, so an org sets them once.
 */
export const SLA_STAGES = [
  'triage',
  'steward_assignment',
  'needs_confirmation',
  'enterprise_approval',
  'invitation_answer',
  'visit_scheduling',
  'report',
  'report_confirmation',
  'feedback',
] as const
export type SlaStage = (typeof SLA_STAGES)[number]

export function isSlaStage(value: unknown): value is SlaStage {
  return typeof value === 'string' && (SLA_STAGES as readonly string[]).includes(value)
}

/** Which moment of a deadline a timer stands for: the reminder before it, or the breach. */
export const DEADLINE_PHASES = ['remind', 'breach'] as const
export type DeadlinePhase = (typeof DEADLINE_PHASES)[number]

export interface SlaRule {
  /** The deadline: the end of working hours on the N-th working day after the stage began. */
  workingDays: number
  /** The owner is reminded this many working days before the deadline (0: no reminder). */
  remindBeforeWorkingDays: number
}

/** The programme's defaults; an org's own rule (or its nearest ancestor's) replaces them. */
export const DEFAULT_SLA: Record<SlaStage, SlaRule> = {
  triage: { workingDays: 3, remindBeforeWorkingDays: 1 },
  steward_assignment: { workingDays: 2, remindBeforeWorkingDays: 1 },
  needs_confirmation: { workingDays: 2, remindBeforeWorkingDays: 1 },
  enterprise_approval: { workingDays: 5, remindBeforeWorkingDays: 1 },
  invitation_answer: { workingDays: 3, remindBeforeWorkingDays: 1 },
  // After pairing.
  visit_scheduling: { workingDays: 5, remindBeforeWorkingDays: 1 },
  // After the visit.
  report: { workingDays: 3, remindBeforeWorkingDays: 1 },
  report_confirmation: { workingDays: 5, remindBeforeWorkingDays: 1 },
  feedback: { workingDays: 7, remindBeforeWorkingDays: 2 },
}

export const MAX_WORKING_DAYS = 60

/** The deadline of a stage as shown to people: where its rule comes from. */
export type SlaSource =
  | { kind: 'default' }
  | { kind: 'own' }
  | { kind: 'inherited'; orgId: number; orgName: string }

const wholeNumber = (key: string) => z.coerce.number({ error: key }).int({ error: key })

/** One stage's rule for one org, as the admin form posts it. */
export const slaRuleSchema = z
  .object({
    orgId: z.coerce.number({ error: 'errors.badRequest' }).int().positive(),
    stage: z.enum(SLA_STAGES, { error: 'deadlines.errors.stage' }),
    workingDays: wholeNumber('deadlines.errors.workingDays')
      .min(1, { error: 'deadlines.errors.workingDays' })
      .max(MAX_WORKING_DAYS, { error: 'deadlines.errors.workingDays' }),
    remindBefore: wholeNumber('deadlines.errors.remindBefore')
      .min(0, { error: 'deadlines.errors.remindBefore' })
      .max(MAX_WORKING_DAYS, { error: 'deadlines.errors.remindBefore' }),
  })
  .refine((v) => v.remindBefore < v.workingDays, {
    path: ['remindBefore'],
    error: 'deadlines.errors.remindNotBeforeDeadline',
  })

export const CALENDAR_DAY_KINDS = ['workday', 'holiday'] as const
export type CalendarDayKind = (typeof CALENDAR_DAY_KINDS)[number]

const isoDate = z
  .string({ error: 'deadlines.errors.date' })
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'deadlines.errors.date', abort: true })
  .refine(
    (s) => {
      const d = new Date(`${s}T00:00:00Z`)
      return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s
    },
    { error: 'deadlines.errors.date', abort: true },
  )
  .refine((s) => s >= '2000-01-01' && s <= '2099-12-31', { error: 'deadlines.errors.dateRange' })

/** A local change to the official working-day calendar, as the admin form posts it. */
export const calendarOverrideSchema = z.object({
  date: isoDate,
  kind: z.enum(CALENDAR_DAY_KINDS, { error: 'deadlines.errors.kind' }),
  note: z
    .string()
    .trim()
    .max(200, { error: 'errors.tooLong' })
    .optional()
    .transform((v) => (v ? v : null)),
})

export const calendarDateSchema = z.object({ date: isoDate })
