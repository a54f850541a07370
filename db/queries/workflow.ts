import type { DbOrTrx } from '../client.server.ts'

export interface SubjectRef {
  subjectType: string
  subjectId: number
}

export function lockWorkflowInstance(db: DbOrTrx, ref: SubjectRef) {
  return db
    .selectFrom('workflow_instance')
    .selectAll()
    .where('subject_type', '=', ref.subjectType)
    .where('subject_id', '=', ref.subjectId)
    .forUpdate()
    .executeTakeFirst()
}

export function findWorkflowInstance(db: DbOrTrx, ref: SubjectRef) {
  return db
    .selectFrom('workflow_instance')
    .selectAll()
    .where('subject_type', '=', ref.subjectType)
    .where('subject_id', '=', ref.subjectId)
    .executeTakeFirst()
}

export function insertWorkflowInstance(
  db: DbOrTrx,
  input: SubjectRef & {
    machineId: string
    machineVersion: number
    state: string
    snapshot: unknown
  },
) {
  return db
    .insertInto('workflow_instance')
    .values({
      subject_type: input.subjectType,
      subject_id: input.subjectId,
      machine_id: input.machineId,
      machine_version: input.machineVersion,
      state: input.state,
      snapshot: JSON.stringify(input.snapshot),
      version: 1,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** Compare-and-set on version: returns false when someone else got there first. */
export async function saveWorkflowSnapshot(
  db: DbOrTrx,
  input: {
    id: number
    fromVersion: number
    machineVersion: number
    state: string
    snapshot: unknown
    now: Date
  },
): Promise<boolean> {
  const result = await db
    .updateTable('workflow_instance')
    .set({
      state: input.state,
      snapshot: JSON.stringify(input.snapshot),
      machine_version: input.machineVersion,
      version: input.fromVersion + 1,
      updated_at: input.now,
    })
    .where('id', '=', input.id)
    .where('version', '=', input.fromVersion)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

export function appendWorkflowEvent(
  db: DbOrTrx,
  input: SubjectRef & {
    workflowId: number
    eventType: string
    actorUserId: number | null
    actorRole: string
    fromState: string | null
    toState: string
    version: number
    payload: Record<string, unknown>
    at: Date
  },
) {
  return db
    .insertInto('workflow_event')
    .values({
      workflow_id: input.workflowId,
      subject_type: input.subjectType,
      subject_id: input.subjectId,
      event_type: input.eventType,
      actor_user_id: input.actorUserId,
      actor_role: input.actorRole,
      from_state: input.fromState,
      to_state: input.toState,
      version: input.version,
      payload: JSON.stringify(input.payload),
      at: input.at,
    })
    .execute()
}

export function workflowTimeline(db: DbOrTrx, ref: SubjectRef) {
  return db
    .selectFrom('workflow_event as e')
    .leftJoin('app_user as u', 'u.id', 'e.actor_user_id')
    .select([
      'e.id',
      'e.event_type',
      'e.actor_role',
      'e.from_state',
      'e.to_state',
      'e.payload',
      'e.at',
      'e.version',
      'u.name as actorName',
    ])
    .where('e.subject_type', '=', ref.subjectType)
    .where('e.subject_id', '=', ref.subjectId)
    .orderBy('e.id')
    .execute()
}
