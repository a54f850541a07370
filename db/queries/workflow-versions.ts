import type { DbOrTrx } from '../client.server.ts'

/**
 * The current workflow version of each subject, for forms that act on many
 * subjects at once (e.g. the intake queue) and must post the version they showed.
 */
export async function workflowVersionsOf(
  db: DbOrTrx,
  subjectType: string,
  subjectIds: number[],
): Promise<Map<number, number>> {
  if (subjectIds.length === 0) return new Map()
  const rows = await db
    .selectFrom('workflow_instance')
    .select(['subject_id', 'version'])
    .where('subject_type', '=', subjectType)
    .where('subject_id', 'in', subjectIds)
    .execute()
  return new Map(rows.map((r) => [r.subject_id, r.version]))
}
