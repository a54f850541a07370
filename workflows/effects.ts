import type { DeadlinePhase } from './sla.ts'

/**
 * Effects a machine asks for. Machines only name them (as action params);
 * dispatch turns them into outbox rows in the same transaction as the state change.
 */
export type Audience =
  /** Every contact of the case's enterprise. */
  | 'enterprise'
  /** The intake coordinators of the case's org. */
  | 'coordinators'
  /** The federation admins of the case's org, or of its nearest ancestor that has some. */
  | 'admins'
  /** Exactly the users named in `userIds` (e.g. the case's steward). */
  | 'users'

export interface NotifyParams {
  kind: string
  audience: Audience
  userIds?: number[]
  data?: Record<string, unknown>
}

export interface ScheduleParams {
  /** Event type delivered back through dispatch when the timer fires. */
  event: string
  /** Names a deadline in the deadline policy (an SLA stage); the policy turns it into due times. */
  deadline: string
  /**
   * Which moment of the deadline: the reminder before it or the breach itself
   * (the default). The policy may have no reminder; then nothing is scheduled.
   */
  phase?: DeadlinePhase
  /**
   * The stage entry the timer belongs to. With it, the timer is recorded in
   * workflow_timer, leaving the stage cancels it, and the job carries its key.
   */
  entry?: number
  /** Extra fields of the delivered event, e.g. the stage entry it belongs to. */
  data?: Record<string, unknown>
  /**
   * An explicit run time (ISO) instead of the deadline policy's, e.g. the
   * reminder the day before a visit. Past times run at once.
   */
  at?: string
}

export const QUEUES = { notify: 'notify', timeout: 'timeout' } as const

/**
 * Job name of an outbox row that removes jobs instead of adding one: the relay
 * removes the jobs of the outbox rows in `RemoveJobsPayload.outboxIds` from the
 * row's queue (a cancelled timer's delayed job).
 */
export const REMOVE_JOBS = 'remove-jobs'

export interface RemoveJobsPayload {
  subjectType: string
  subjectId: number
  outboxIds: number[]
}

export interface NotifyJob {
  kind: string
  audience: Audience
  subjectType: string
  subjectId: number
  orgPath: string
  enterpriseId: number | null
  userIds?: number[]
  link: string
  params: Record<string, unknown>
}

export interface TimerKey {
  stage: string
  entry: number
  phase: DeadlinePhase
}

export interface TimeoutJob {
  subjectType: string
  subjectId: number
  event: { type: string } & Record<string, unknown>
  /** A stage deadline's timer row; a job whose row was cancelled is dropped. */
  timer?: TimerKey
}

/** Action implementations are no-ops: the pure transition only reports them. */
export const effectActions = {
  notify: (_: unknown, _params: NotifyParams) => {},
  schedule: (_: unknown, _params: ScheduleParams) => {},
}
