import {
  type AnyMachineSnapshot,
  type AnyStateMachine,
  initialTransition,
  transition,
} from 'xstate'
import type { Db, DbOrTrx } from '#db/client.server.ts'
import { insertOutbox, type OutboxInput } from '#db/queries/outbox.ts'
import { cancelPendingTimers, insertTimers } from '#db/queries/timers.ts'
import {
  appendWorkflowEvent,
  insertWorkflowInstance,
  lockWorkflowInstance,
  type SubjectRef,
  saveWorkflowSnapshot,
} from '#db/queries/workflow.ts'
import type { Actor } from './actor.ts'
import {
  type DeadlinePolicy,
  type DeadlineTimes,
  normaliseTimes,
  slaDeadlines,
} from './deadlines.ts'
import {
  type NotifyJob,
  type NotifyParams,
  QUEUES,
  REMOVE_JOBS,
  type RemoveJobsPayload,
  type ScheduleParams,
  type TimeoutJob,
  type TimerKey,
} from './effects.ts'
import { ConflictError, NotFoundError, TransitionNotAllowedError } from './errors.ts'
import {
  type DeadlineRef,
  type PersistedSnapshot,
  type SubjectSummary,
  type WorkflowDefinition,
  workflows,
} from './registry.ts'

export type { Actor }

export interface DispatchOptions {
  /** The version the caller saw; a different current version is a conflict. */
  expectedVersion?: number
  now?: Date
  /** Turns stage deadlines into due times; the SLA policy (workflows/deadlines.ts) by default. */
  deadlines?: DeadlinePolicy
}

export interface DispatchResult {
  fromState: string
  state: string
  version: number
}

type WorkflowEventInput = { type: string; actor: Actor } & Record<string, unknown>

/**
 * The one path for every workflow change: lock, check, transition, save,
 * audit and outbox, all in one transaction.
 */
export async function dispatch(
  db: Db,
  ref: SubjectRef,
  event: WorkflowEventInput,
  options: DispatchOptions = {},
): Promise<DispatchResult> {
  return db.transaction().execute((trx) => dispatchInTransaction(trx, ref, event, options))
}

/** For callers that must change their own rows in the same transaction as the transition. */
export async function dispatchInTransaction(
  trx: DbOrTrx,
  ref: SubjectRef,
  event: WorkflowEventInput,
  options: DispatchOptions = {},
): Promise<DispatchResult> {
  const now = options.now ?? new Date()
  const def = definitionOf(ref.subjectType)
  const row = await lockWorkflowInstance(trx, ref)
  if (!row) throw new NotFoundError(ref.subjectType, ref.subjectId)
  if (options.expectedVersion !== undefined && options.expectedVersion !== row.version) {
    throw new ConflictError(options.expectedVersion, row.version)
  }
  const current = restore(def, row.snapshot as PersistedSnapshot, row.machine_version)
  if (!current.can(event)) throw new TransitionNotAllowedError(row.state, event.type)

  const [next, actions] = transition(def.machine, current, event)
  const state = stateKey(next.value)
  const saved = await saveWorkflowSnapshot(trx, {
    id: row.id,
    fromVersion: row.version,
    machineVersion: def.machineVersion,
    state,
    snapshot: def.machine.getPersistedSnapshot(next),
    now,
  })
  if (!saved) throw new ConflictError(row.version, row.version + 1)

  const { type, actor, ...payload } = event
  await appendWorkflowEvent(trx, {
    ...ref,
    workflowId: row.id,
    eventType: type,
    actorUserId: actor.userId,
    actorRole: actor.role,
    fromState: row.state,
    toState: state,
    version: row.version + 1,
    payload,
    at: now,
  })
  // Leaving a deadline stage (or entering it anew) cancels the timers of the old entry.
  const before = deadlineOf(def, stateKey(current.value), current.context)
  const after = deadlineOf(def, state, next.context)
  const deadlineChanged = !sameDeadline(before, after)
  const effects = await planEffects(trx, def, ref, actions, now, options.deadlines)
  const cancelled = deadlineChanged ? await cancelPendingTimers(trx, row.id, now) : []
  await def.onState(
    trx,
    ref.subjectId,
    {
      state,
      changed: state !== row.state,
      context: next.context,
      dueAt: deadlineChanged ? effects.dueAt : undefined,
    },
    now,
  )
  await writeEffects(trx, row.id, ref, effects, cancelled, now)
  await def.afterTransition?.(
    trx,
    ref.subjectId,
    { fromState: row.state, state, eventType: type, context: next.context },
    now,
  )
  return { fromState: row.state, state, version: row.version + 1 }
}

/** Creates the workflow of a new subject in its initial state (inside the caller's transaction). */
export async function startWorkflow(
  trx: DbOrTrx,
  ref: SubjectRef,
  actor: Actor,
  options: { now?: Date; deadlines?: DeadlinePolicy; input?: Record<string, unknown> } = {},
): Promise<DispatchResult> {
  const now = options.now ?? new Date()
  const def = definitionOf(ref.subjectType)
  const [initial, actions] = initialTransition(def.machine, options.input)
  const state = stateKey(initial.value)
  const row = await insertWorkflowInstance(trx, {
    ...ref,
    machineId: def.machineId,
    machineVersion: def.machineVersion,
    state,
    snapshot: def.machine.getPersistedSnapshot(initial),
  })
  await appendWorkflowEvent(trx, {
    ...ref,
    workflowId: row.id,
    eventType: 'CREATE',
    actorUserId: actor.userId,
    actorRole: actor.role,
    fromState: null,
    toState: state,
    version: 1,
    payload: {},
    at: now,
  })
  const effects = await planEffects(trx, def, ref, actions, now, options.deadlines)
  await def.onState(
    trx,
    ref.subjectId,
    {
      state,
      changed: true,
      context: initial.context,
      dueAt: deadlineOf(def, state, initial.context) ? effects.dueAt : undefined,
    },
    now,
  )
  await writeEffects(trx, row.id, ref, effects, [], now)
  return { fromState: state, state, version: 1 }
}

/** Whether `event` would be accepted now; for showing only the buttons that can work. */
export function allowedEvents(
  subjectType: string,
  persisted: unknown,
  machineVersion: number,
  candidates: WorkflowEventInput[],
): string[] {
  const def = definitionOf(subjectType)
  const snapshot = restore(def, persisted as PersistedSnapshot, machineVersion)
  return candidates.filter((e) => snapshot.can(e)).map((e) => e.type)
}

function definitionOf(subjectType: string): WorkflowDefinition {
  const def = workflows[subjectType]
  if (!def) throw new Error(`no workflow for subject type ${subjectType}`)
  return def
}

function restore(
  def: WorkflowDefinition,
  stored: PersistedSnapshot,
  storedVersion: number,
): AnyMachineSnapshot {
  let persisted = stored
  for (let v = storedVersion; v < def.machineVersion; v++) {
    const step = def.upgrade[v]
    if (!step) throw new Error(`${def.machineId}: no upgrade from version ${v}`)
    persisted = step(persisted)
  }
  if (storedVersion > def.machineVersion) {
    throw new Error(`${def.machineId}: snapshot version ${storedVersion} is newer than this code`)
  }
  return (def.machine as AnyStateMachine).resolveState({
    value: persisted.value as never,
    context: persisted.context,
  })
}

export function stateKey(value: unknown): string {
  if (typeof value === 'string') return value
  const [key, child] = Object.entries(value as Record<string, unknown>)[0] ?? []
  return child === undefined ? String(key) : `${key}.${stateKey(child)}`
}

function deadlineOf(
  def: WorkflowDefinition,
  state: string,
  context: Record<string, unknown>,
): DeadlineRef | null {
  return def.deadlineOf?.(state, context) ?? null
}

function sameDeadline(a: DeadlineRef | null, b: DeadlineRef | null): boolean {
  return a === null || b === null ? a === b : a.stage === b.stage && a.entry === b.entry
}

interface PlannedEffects {
  /** Outbox rows of the notifications and timers, in the machine's order. */
  rows: OutboxInput[]
  /** Stage timers among `rows` (by index), recorded in workflow_timer. */
  timers: { index: number; key: TimerKey; dueAt: Date }[]
  /** The breach time of the stage entry scheduled now, if any. */
  dueAt: Date | null
}

/** The outbox rows the transition's effects need, with their due times from the policy. */
async function planEffects(
  trx: DbOrTrx,
  def: WorkflowDefinition,
  ref: SubjectRef,
  actions: { type: string; params?: unknown }[],
  now: Date,
  policy: DeadlinePolicy = slaDeadlines,
): Promise<PlannedEffects> {
  const planned: PlannedEffects = { rows: [], timers: [], dueAt: null }
  const effects = actions.filter((a) => a.type === 'notify' || a.type === 'schedule')
  if (effects.length === 0) return planned
  const summary = await def.describe(trx, ref.subjectId)
  if (!summary) throw new NotFoundError(ref.subjectType, ref.subjectId)
  // One policy answer per deadline name (its reminder and breach come from the same rule).
  const times = new Map<string, DeadlineTimes>()
  const timesOf = async (deadline: string) => {
    let t = times.get(deadline)
    if (!t) {
      t = normaliseTimes(await policy(deadline, now, { db: trx, orgPath: summary.orgPath }), now)
      times.set(deadline, t)
    }
    return t
  }
  for (const a of effects) {
    if (a.type === 'notify') {
      planned.rows.push(notifyRow(a.params as NotifyParams, ref, summary, now))
      continue
    }
    const p = a.params as ScheduleParams
    const phase = p.phase ?? 'breach'
    const runAt = p.at
      ? new Date(Math.max(Date.parse(p.at), now.getTime()))
      : await timesOf(p.deadline).then((t) => (phase === 'remind' ? t.remindAt : t.dueAt))
    if (!runAt) continue
    const timer = p.entry === undefined ? undefined : { stage: p.deadline, entry: p.entry, phase }
    const job: TimeoutJob = {
      subjectType: ref.subjectType,
      subjectId: ref.subjectId,
      event: { type: p.event, ...p.data },
      ...(timer ? { timer } : {}),
    }
    if (timer) {
      planned.timers.push({ index: planned.rows.length, key: timer, dueAt: runAt })
      if (phase === 'breach') planned.dueAt = runAt
    }
    planned.rows.push({
      queue: QUEUES.timeout,
      jobName: 'timeout',
      payload: { ...job },
      runAt,
    })
  }
  return planned
}

/**
 * Writes the outbox rows: first the removal of cancelled timers' jobs (the
 * timeout job also drops a cancelled timer, so a missed removal is harmless),
 * then the effects, and records the new stage timers.
 */
async function writeEffects(
  trx: DbOrTrx,
  workflowId: number,
  ref: SubjectRef,
  effects: PlannedEffects,
  cancelledOutboxIds: number[],
  now: Date,
) {
  const removal: OutboxInput[] =
    cancelledOutboxIds.length > 0
      ? [
          {
            queue: QUEUES.timeout,
            jobName: REMOVE_JOBS,
            payload: {
              subjectType: ref.subjectType,
              subjectId: ref.subjectId,
              outboxIds: cancelledOutboxIds,
            } satisfies RemoveJobsPayload,
            runAt: now,
          },
        ]
      : []
  const ids = await insertOutbox(trx, [...removal, ...effects.rows])
  await insertTimers(
    trx,
    effects.timers.map((t) => ({
      workflowId,
      ...t.key,
      dueAt: t.dueAt,
      outboxId: ids[removal.length + t.index] as number,
    })),
  )
}

function notifyRow(
  p: NotifyParams,
  ref: SubjectRef,
  summary: SubjectSummary,
  now: Date,
): OutboxInput {
  const job: NotifyJob = {
    kind: p.kind,
    audience: p.audience,
    subjectType: ref.subjectType,
    subjectId: ref.subjectId,
    orgPath: summary.orgPath,
    enterpriseId: summary.enterpriseId,
    userIds: p.userIds,
    link: summary.link,
    params: { title: summary.title, ...p.data },
  }
  return { queue: QUEUES.notify, jobName: 'notify', payload: { ...job }, runAt: now }
}
