import type { Actor } from '../actor.ts'
import type { ScheduleParams } from '../effects.ts'
import type { DeadlinePhase } from '../sla.ts'

// What every machine with stage deadlines shares: the stage-entry counter that
// makes older timers stale, and the phases already fired in this entry.

export interface DeadlineTracking {
  /** Entries into stages with a deadline so far; a timer names the entry it belongs to. */
  stageEntry: number
  /** Phases already fired in the current entry: a redelivered timer must not act twice. */
  deadlinesFired: DeadlinePhase[]
}

export type DeadlineEvent = {
  type: 'DEADLINE'
  actor: Actor
  stage: string
  phase: DeadlinePhase
  entry: number
}

/**
 * A timer of the current stage entry, from the system, for a phase not fired
 * yet; a reminder that comes after the breach (delivered late) is pointless.
 */
export function isDeadlineDue(
  context: DeadlineTracking,
  event: { type: string; actor: Actor },
  stage: string,
  phase: DeadlinePhase,
): boolean {
  if (event.type !== 'DEADLINE') return false
  const e = event as DeadlineEvent
  return (
    e.actor.role === 'system' &&
    e.stage === stage &&
    e.phase === phase &&
    e.entry === context.stageEntry &&
    !context.deadlinesFired.includes(phase) &&
    !context.deadlinesFired.includes('breach')
  )
}

/** The context update on entering a stage with a deadline. */
export const nextStageEntry = (context: DeadlineTracking): DeadlineTracking => ({
  stageEntry: context.stageEntry + 1,
  deadlinesFired: [],
})

/** The fired phases after a DEADLINE event was acted on. */
export const withFired = (context: DeadlineTracking, event: { type: string }): DeadlinePhase[] =>
  event.type === 'DEADLINE'
    ? [...context.deadlinesFired, (event as DeadlineEvent).phase]
    : context.deadlinesFired

/** The schedule effect of one phase of a stage's deadline, for the current entry. */
export function deadlineTimer(stage: string, phase: DeadlinePhase) {
  return {
    type: 'schedule' as const,
    params: ({ context }: { context: DeadlineTracking }): ScheduleParams => ({
      event: 'DEADLINE',
      deadline: stage,
      phase,
      entry: context.stageEntry,
      data: { stage, phase, entry: context.stageEntry },
    }),
  }
}
