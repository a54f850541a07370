import { NEEDS_LIST_STATES } from './machines/needs-list.machine.ts'

/**
 * States in which a needs list is not (or no longer) an open case: the
 * enterprise's own drafts, lists waiting for or back from intake, and closed
 * ones. Terminal states added by later stages (archived, closed…) belong here.
 */
const NOT_OPEN = new Set([
  'draft',
  'submitted',
  'returned',
  'rejected',
  'withdrawn',
  'archived',
  'closed',
  'cancelled',
])

/**
 * An open case: a needs list the union has taken in and not closed, i.e. one
 * that has, or waits for, a dedicated steward (awaiting_steward, confirming,
 * awaiting_approval, ready_for_matching, and every later working stage).
 *
 * An enterprise is "active" for a steward while it has at least one open case;
 * a steward's load is the number of active enterprises they are the dedicated
 * steward of, and capacity bounds that number.
 */
export const OPEN_CASE_STATES: readonly string[] = NEEDS_LIST_STATES.filter((s) => !NOT_OPEN.has(s))

/**
 * Terminal states: the case is over and holds no one's capacity. Later stages
 * add theirs (closed, archived) here.
 */
export const CLOSED_CASE_STATES: readonly string[] = ['rejected', 'withdrawn', 'closed', 'archived']

/** Statuses the intake queue filters on (drafts are the enterprise's own business). */
export const INTAKE_STATUSES = NEEDS_LIST_STATES.filter((s) => s !== 'draft')
export type IntakeStatus = (typeof INTAKE_STATUSES)[number]

/**
 * Open-case stages in which the next move is the steward's.
 */
export const WAITING_ON_STEWARD_STATES: readonly string[] = [
  'confirming',
  'ready_for_matching',
  'matching',
  'pairing',
  // Paired: the first visit is the steward's to schedule; outcomes are the steward's to record.
  'paired',
  'outcomes',
]
