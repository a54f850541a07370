import { sql } from 'kysely'
import type { DbOrTrx } from '../../client.server.ts'

/** The org's targets for the year: metric → value (numeric, two decimals, as a string). */
export async function targetsOf(
  db: DbOrTrx,
  orgId: number,
  year: number,
): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('org_target')
    .select(['metric', sql<string>`value::text`.as('value')])
    .where('org_id', '=', orgId)
    .where('year', '=', year)
    .execute()
  return new Map(rows.map((r) => [r.metric, String(r.value)]))
}

/** The sum of the child orgs' targets per metric (metrics no child set are absent). */
export async function childTargetSums(
  db: DbOrTrx,
  parentId: number,
  year: number,
): Promise<Map<string, string>> {
  const { rows } = await sql<{ metric: string; value: string }>`
    select t.metric, sum(t.value)::numeric(18,2)::text as value
    from org_target t join union_org o on o.id = t.org_id
    where o.parent_id = ${parentId} and t.year = ${year}
    group by t.metric`.execute(db)
  return new Map(rows.map((r) => [r.metric, String(r.value)]))
}

export function upsertTarget(
  db: DbOrTrx,
  input: { orgId: number; year: number; metric: string; value: string; userId: number; at: Date },
) {
  return db
    .insertInto('org_target')
    .values({
      org_id: input.orgId,
      year: input.year,
      metric: input.metric,
      value: input.value,
      updated_by: input.userId,
      updated_at: input.at,
    })
    .onConflict((oc) =>
      oc.columns(['org_id', 'year', 'metric']).doUpdateSet({
        value: input.value,
        updated_by: input.userId,
        updated_at: input.at,
      }),
    )
    .execute()
}

export function deleteTarget(db: DbOrTrx, input: { orgId: number; year: number; metric: string }) {
  return db
    .deleteFrom('org_target')
    .where('org_id', '=', input.orgId)
    .where('year', '=', input.year)
    .where('metric', '=', input.metric)
    .execute()
}

/** Each child org with its targets for the year (children without any too). */
export async function childTargets(db: DbOrTrx, parentId: number, year: number) {
  const [children, rows] = await Promise.all([
    db
      .selectFrom('union_org')
      .select(['id', 'name', 'path', 'depth'])
      .where('parent_id', '=', parentId)
      .orderBy('name')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('org_target as t')
      .innerJoin('union_org as o', 'o.id', 't.org_id')
      .select(['t.org_id as orgId', 't.metric', sql<string>`t.value::text`.as('value')])
      .where('o.parent_id', '=', parentId)
      .where('t.year', '=', year)
      .execute(),
  ])
  return children.map((org) => ({
    org,
    targets: new Map(
      rows.filter((r) => r.orgId === org.id).map((r) => [r.metric, String(r.value)]),
    ),
  }))
}
