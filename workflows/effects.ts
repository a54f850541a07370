/**
 * Effects a machine asks for. Machines only name them (as action params);
 * dispatch turns them into outbox rows in the same transaction as the state change.
 */
export type Audience =
  /** Every contact of the case's enterprise. */
  | 'enterprise'
  /** The intake coordinators of the case's org. */
  | 'coordinators'
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
  /** Names a deadline in the deadline policy; the policy turns it into a due time. */
  deadline: string
  /** Extra fields of the delivered event, e.g. the round it belongs to. */
  data?: Record<string, unknown>
}

export const QUEUES = { notify: 'notify', timeout: 'timeout' } as const

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

export interface TimeoutJob {
  subjectType: string
  subjectId: number
  event: { type: string } & Record<string, unknown>
}

/** Action implementations are no-ops: the pure transition only reports them. */
export const effectActions = {
  notify: (_: unknown, _params: NotifyParams) => {},
  schedule: (_: unknown, _params: ScheduleParams) => {},
}
