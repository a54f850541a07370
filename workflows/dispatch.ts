import {
  type AnyMachineSnapshot,
  type AnyStateMachine,
  initialTransition,
  transition,
} from 'xstate'
import type { Db, DbOrTrx } from '#db/client.server.ts'
import { insertOutbox, type OutboxInput } from '#db/queries/outbox.ts'
import {
  appendWorkflowEvent,
  insertWorkflowInstance,
  lockWorkflowInstance,
  type SubjectRef,
  saveWorkflowSnapshot,
} from '#db/queries/workflow.ts'
import type { Actor } from './actor.ts'
import { calendarDeadlines, type DeadlinePolicy } from './deadlines.ts'
import {
  type NotifyJob,
  type NotifyParams,
  QUEUES,
  type ScheduleParams,
  type TimeoutJob,
} from './effects.ts'
import { ConflictError, NotFoundError, TransitionNotAllowedError } from './errors.ts'
import {
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
  await def.onState(
    trx,
    ref.subjectId,
    { state, changed: state !== row.state, context: next.context },
    now,
  )
  await writeEffects(trx, def, ref, actions, now, options.deadlines ?? calendarDeadlines)
  return { fromState: row.state, state, version: row.version + 1 }
}

/** Creates the workflow of a new subject in its initial state (inside the caller's transaction). */
export async function startWorkflow(
  trx: DbOrTrx,
  ref: SubjectRef,
  actor: Actor,
  options: { now?: Date; deadlines?: DeadlinePolicy } = {},
): Promise<DispatchResult> {
  const now = options.now ?? new Date()
  const def = definitionOf(ref.subjectType)
  const [initial, actions] = initialTransition(def.machine)
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
  await def.onState(trx, ref.subjectId, { state, changed: true, context: initial.context }, now)
  await writeEffects(trx, def, ref, actions, now, options.deadlines ?? calendarDeadlines)
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

async function writeEffects(
  trx: DbOrTrx,
  def: WorkflowDefinition,
  ref: SubjectRef,
  actions: { type: string; params?: unknown }[],
  now: Date,
  deadlines: DeadlinePolicy,
) {
  const effects = actions.filter((a) => a.type === 'notify' || a.type === 'schedule')
  if (effects.length === 0) return
  const summary = await def.describe(trx, ref.subjectId)
  if (!summary) throw new NotFoundError(ref.subjectType, ref.subjectId)
  await insertOutbox(
    trx,
    effects.map((a) => toOutbox(a.type, a.params, ref, summary, now, deadlines)),
  )
}

function toOutbox(
  type: string,
  params: unknown,
  ref: SubjectRef,
  summary: SubjectSummary,
  now: Date,
  deadlines: DeadlinePolicy,
): OutboxInput {
  if (type === 'notify') {
    const p = params as NotifyParams
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
  const p = params as ScheduleParams
  const job: TimeoutJob = {
    subjectType: ref.subjectType,
    subjectId: ref.subjectId,
    event: { type: p.event, ...p.data },
  }
  return {
    queue: QUEUES.timeout,
    jobName: 'timeout',
    payload: { ...job },
    runAt: deadlines(p.deadline, now),
  }
}
