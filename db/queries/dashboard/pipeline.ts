import { type RawBuilder, sql } from 'kysely'
import type { OverdueByStage, OverdueItem, StageCount } from '#workflows/dashboard/types.ts'
import type { DbOrTrx } from '../../client.server.ts'
import { pathLikeSubtree } from '../orgs.ts'

// The live pipeline: read from the real tables (not the summaries), and only
// open cases and pending deadlines, so it stays small at any scale.

/** SQL list of the states; never empty for the callers (OPEN_CASE_STATES). */
const stateList = (states: readonly string[]) => sql.join(states.map((s) => sql`${s}`))

/** Open cases of the subtree by needs-list state. */
export async function openCasesByState(
  db: DbOrTrx,
  orgPath: string,
  openStates: readonly string[],
): Promise<StageCount[]> {
  if (openStates.length === 0) return []
  const { rows } = await sql<StageCount>`
    select nl.status as stage, count(*)::int as cases
    from needs_list nl join union_org o on o.id = nl.org_id
    where o.path like ${pathLikeSubtree(orgPath)}
      and nl.status in (${stateList(openStates)})
    group by nl.status`.execute(db)
  return rows.map((r) => ({ stage: r.stage, cases: Number(r.cases) }))
}

/**
 * Open cases per child org of the org at `orgPath` (depth `depth`), keyed by
 * child id. The child's id is the path segment after the org's own
 * ('/1/5/23/' split on '/': the org at depth d is part d + 2).
 */
export async function openCasesByChild(
  db: DbOrTrx,
  org: { path: string; depth: number },
  openStates: readonly string[],
): Promise<Map<number, number>> {
  if (openStates.length === 0) return new Map()
  const part = org.depth + 3
  const { rows } = await sql<{ childId: string; cases: number }>`
    select split_part(o.path, '/', ${sql.lit(part)}) as "childId", count(*)::int as cases
    from needs_list nl join union_org o on o.id = nl.org_id
    where o.path like ${pathLikeSubtree(org.path)}
      and o.path <> ${org.path}
      and nl.status in (${stateList(openStates)})
    group by 1`.execute(db)
  return new Map(
    rows.filter((r) => r.childId !== '').map((r) => [Number(r.childId), Number(r.cases)]),
  )
}

export type OverdueRow = OverdueItem

/** `column` mapped through state → stage (unmapped states stay as they are). */
function stageOf(column: RawBuilder<unknown>, stageOfState: [string, string][]) {
  if (stageOfState.length === 0) return column
  return sql`case ${column} ${sql.join(
    stageOfState.map(([state, stage]) => sql`when ${state} then ${stage}`),
    sql` `,
  )} else ${column} end`
}

/**
 * Everything overdue now in the subtree, as one union:
 * - cases past their stage deadline (needs_list.due_at), owned by the steward,
 *   or by the org's coordinators (owner null) while no steward is set;
 *   `caseStageOf` maps a needs-list state to its SLA stage;
 * - invitations still pending past their answer deadline, owned by the expert;
 * - visits past their report / confirmation deadline, owned by the case's steward.
 */
function overdueUnion(
  orgPath: string,
  now: Date,
  input: {
    openStates: readonly string[]
    caseStageOf: Readonly<Record<string, string>>
    invitationStage: string
    visitStageOf: Readonly<Record<string, string>>
  },
): RawBuilder<OverdueRow> {
  const caseStages = Object.entries(input.caseStageOf)
  const visitStages = Object.entries(input.visitStageOf)
  const caseStageExpr = stageOf(sql`nl.status`, caseStages)
  const visitStageExpr = stageOf(sql`v.status`, visitStages)
  const visitStates = visitStages.map(([state]) => state)
  return sql<OverdueRow>`
    select 'case' as kind, nl.id as "needsListId", nl.title, ${caseStageExpr} as stage,
           nl.due_at as "dueAt", su.name as "ownerName", o.name as "orgName"
    from needs_list nl
    join union_org o on o.id = nl.org_id
    left join app_user su on su.id = nl.steward_user_id
    where o.path like ${pathLikeSubtree(orgPath)}
      and nl.status in (${stateList(input.openStates)})
      and nl.due_at < ${now}
    union all
    select 'invitation', nl.id, nl.title, ${input.invitationStage}::text, i.due_at, e.name, o.name
    from invitation i
    join needs_list nl on nl.id = i.needs_list_id
    join union_org o on o.id = nl.org_id
    join expert e on e.id = i.expert_id
    where o.path like ${pathLikeSubtree(orgPath)}
      and i.status = 'pending'
      and i.due_at < ${now}
      and nl.status in (${stateList(input.openStates)})
    union all
    select 'visit', nl.id, nl.title, ${visitStageExpr}, v.due_at, su.name, o.name
    from visit v
    join needs_list nl on nl.id = v.needs_list_id
    join union_org o on o.id = nl.org_id
    left join app_user su on su.id = nl.steward_user_id
    where o.path like ${pathLikeSubtree(orgPath)}
      and v.due_at < ${now}
      ${visitStates.length > 0 ? sql`and v.status in (${stateList(visitStates)})` : sql``}
      and nl.status in (${stateList(input.openStates)})`
}

export type OverdueInput = Parameters<typeof overdueUnion>[2]

/**
 * What is overdue now: counts per stage and the longest-overdue items
 * (earliest deadline first), from one pass over the open work.
 */
export async function overdueNow(
  db: DbOrTrx,
  orgPath: string,
  now: Date,
  input: OverdueInput & { limit: number },
): Promise<{ byStage: OverdueByStage[]; items: OverdueRow[] }> {
  if (input.openStates.length === 0) return { byStage: [], items: [] }
  const { rows } = await sql<{
    part: 'stage' | 'item'
    stage: string
    count: number | null
    kind: OverdueRow['kind'] | null
    needsListId: number | null
    title: string | null
    dueAt: Date | null
    ownerName: string | null
    orgName: string | null
  }>`
    with u as materialized (${overdueUnion(orgPath, now, input)}),
    s as (select u.stage, count(*)::int as count from u group by u.stage),
    t as (select u.* from u order by u."dueAt", u.kind, u."needsListId" limit ${input.limit})
    select 'stage' as part, s.stage, s.count, null::text as kind, null::int as "needsListId",
           null::text as title, null::timestamptz as "dueAt", null::text as "ownerName",
           null::text as "orgName"
      from s
    union all
    select 'item', t.stage, null, t.kind, t."needsListId", t.title, t."dueAt", t."ownerName",
           t."orgName"
      from t`.execute(db)
  const byStage = rows
    .filter((r) => r.part === 'stage')
    .map((r) => ({ stage: r.stage, count: Number(r.count) }))
    .sort((a, b) => b.count - a.count || (a.stage < b.stage ? -1 : a.stage > b.stage ? 1 : 0))
  const items = rows
    .filter((r) => r.part === 'item')
    .map((r) => ({
      kind: r.kind as OverdueRow['kind'],
      needsListId: Number(r.needsListId),
      title: String(r.title),
      stage: r.stage,
      dueAt: new Date(r.dueAt as Date),
      ownerName: r.ownerName ?? null,
      orgName: String(r.orgName),
    }))
    .sort(
      (a, b) =>
        a.dueAt.getTime() - b.dueAt.getTime() ||
        (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0) ||
        a.needsListId - b.needsListId,
    )
  return { byStage, items }
}
