import { sql } from 'kysely'
import type { Period } from '#workflows/dashboard/period.ts'
import type { OrgRef, OutcomeFigures } from '#workflows/dashboard/types.ts'
import { fromFen, type Lang, toFen } from '#workflows/reports/periodic-format.ts'
import type { DbOrTrx } from '../../client.server.ts'
import { keysetBatches } from './scope.ts'

// The cases closed in a reporting period, as the periodic report lists them:
// read from case_fact (the per-case facts the summaries are summed from) in
// keyset batches, so a national year streams with bounded memory.

/** The per-case figures the report lists (the case-level subset of OutcomeFigures). */
type CaseFigures = Pick<
  OutcomeFigures,
  | 'problemsSolved'
  | 'partlySolved'
  | 'expertParticipations'
  | 'workersTrained'
  | 'benefitEstimated'
  | 'benefitConfirmed'
  | 'benefitTotal'
>

export interface PeriodicCaseRow extends CaseFigures {
  id: number
  title: string
  enterpriseName: string
  orgName: string
  industry: string | null
  district: string | null
  park: string | null
  stewardName: string | null
  filedAt: Date | null
  closedAt: Date
  items: number
  /** Enterprise rating, two decimals, or null when not rated. */
  rating: string | null
}

export interface CaseRowDb {
  id: number
  title: string
  enterprise_name: string
  org_name: string
  industry: string | null
  district: string | null
  park: string | null
  steward_name: string | null
  filed_at: Date | null
  closed_at: Date
  /** closed_at as text: the keyset cursor keeps microseconds a Date would drop. */
  closed_key: string
  items: number
  problems_solved: number
  partly_solved: number
  expert_participations: number
  workers_trained: number
  benefit_estimated: string
  benefit_confirmed: string
  benefit_total: string
  rating: string | null
}

export interface Bounds {
  orgId: number
  start: Date
  end: Date
}

export const boundsOf = ({ org, period }: { org: OrgRef; period: Period }): Bounds => ({
  orgId: org.id,
  start: period.start,
  end: period.end,
})

const closedIn = (b: Bounds) =>
  sql`cf.ancestor_ids @> array[${b.orgId}]::int[]
      and cf.closed_at >= ${b.start} and cf.closed_at < ${b.end}`

const CASE_COLUMNS = sql`
  cf.needs_list_id as id, nl.title, e.name as enterprise_name, o.name as org_name,
  cf.industry, cf.district, cf.park, u.name as steward_name,
  cf.filed_at, cf.closed_at, cf.closed_at::text as closed_key,
  cf.items, cf.problems_solved, cf.partly_solved, cf.expert_participations, cf.workers_trained,
  cf.benefit_estimated::text as benefit_estimated,
  cf.benefit_confirmed::text as benefit_confirmed,
  (cf.benefit_estimated + cf.benefit_confirmed)::text as benefit_total,
  cf.rating::text as rating`

const CASE_JOINS = sql`
  from case_fact cf
  join needs_list nl on nl.id = cf.needs_list_id
  join enterprise e on e.id = cf.enterprise_id
  join union_org o on o.id = cf.org_id
  left join app_user u on u.id = cf.steward_user_id`

export function toCaseRow(r: CaseRowDb): PeriodicCaseRow {
  return {
    id: Number(r.id),
    title: r.title,
    enterpriseName: r.enterprise_name,
    orgName: r.org_name,
    industry: r.industry,
    district: r.district,
    park: r.park,
    stewardName: r.steward_name,
    filedAt: r.filed_at ? new Date(r.filed_at) : null,
    closedAt: new Date(r.closed_at),
    items: Number(r.items),
    problemsSolved: Number(r.problems_solved),
    partlySolved: Number(r.partly_solved),
    expertParticipations: Number(r.expert_participations),
    workersTrained: Number(r.workers_trained),
    benefitEstimated: fromFen(toFen(r.benefit_estimated)),
    benefitConfirmed: fromFen(toFen(r.benefit_confirmed)),
    benefitTotal: fromFen(toFen(r.benefit_total)),
    rating: r.rating === null ? null : fromFen(toFen(r.rating)),
  }
}

export async function topCases(db: DbOrTrx, b: Bounds, limit: number) {
  const [{ rows }, { rows: count }] = await Promise.all([
    sql<CaseRowDb>`select ${CASE_COLUMNS} ${CASE_JOINS} where ${closedIn(b)}
      order by cf.benefit_estimated + cf.benefit_confirmed desc, cf.closed_at, cf.needs_list_id
      limit ${limit}`.execute(db),
    sql<{ n: number }>`select count(*)::int as n from case_fact cf where ${closedIn(b)}`.execute(
      db,
    ),
  ])
  return { rows: rows.map(toCaseRow), total: Number(count[0]?.n ?? 0) }
}

/**
 * Every case closed in the period in order of closing, `size` at a time:
 * keyset on (closed_at, id), so each batch is one indexed range read.
 */
export function closedCaseBatches(
  db: DbOrTrx,
  b: Bounds,
  size: number,
): AsyncGenerator<CaseRowDb[]> {
  return keysetBatches(
    size,
    async (after: { key: string; id: number } | null) => {
      const cursor = after
        ? sql`and (cf.closed_at, cf.needs_list_id) > (${after.key}::timestamptz, ${after.id})`
        : sql``
      const { rows } = await sql<CaseRowDb>`select ${CASE_COLUMNS} ${CASE_JOINS}
      where ${closedIn(b)} ${cursor}
      order by cf.closed_at, cf.needs_list_id
      limit ${size}`.execute(db)
      return rows
    },
    (last) => ({ key: last.closed_key, id: Number(last.id) }),
  )
}

interface ItemRowDb {
  needs_list_id: number
  position: number
  title: string
  category: string
  result: string | null
  description: string | null
  workers_trained: number
  person_times: number | null
  patents: number | null
  innovations: number | null
  benefit_estimated: string
  benefit_confirmed: string
  benefit_basis: string | null
  follow_up_needed: boolean | null
  follow_up_note: string | null
}

/**
 * The items (with outcomes) of the cases closed in the period, a page of
 * cases at a time in closing order, each row with its case's title and
 * enterprise.
 */
export async function* closedCaseItemBatches(db: DbOrTrx, b: Bounds, size: number) {
  for await (const batch of closedCaseBatches(db, b, size)) {
    const cases = new Map(batch.map((c) => [Number(c.id), c]))
    const items = await itemsOfCases(db, [...cases.keys()])
    yield items.map((i) => {
      const c = cases.get(Number(i.needs_list_id))
      return { ...i, case_title: c?.title ?? null, enterprise_name: c?.enterprise_name ?? null }
    })
  }
}

/** The confirmed items of some cases with their outcomes, in one query. */
async function itemsOfCases(db: DbOrTrx, ids: number[]): Promise<ItemRowDb[]> {
  if (ids.length === 0) return []
  const { rows } = await sql<ItemRowDb>`
    select cif.needs_list_id, ci.position, ci.title, cif.category, cif.result, io.description,
           cif.workers_trained, io.person_times, io.patents, io.innovations,
           cif.benefit_estimated::text as benefit_estimated,
           cif.benefit_confirmed::text as benefit_confirmed,
           io.benefit_basis, io.follow_up_needed, io.follow_up_note
      from case_item_fact cif
      join confirmed_item ci on ci.id = cif.confirmed_item_id
      left join item_outcome io on io.confirmed_item_id = cif.confirmed_item_id
     where cif.needs_list_id in (${sql.join(ids)})
     order by cif.needs_list_id, ci.position, cif.confirmed_item_id`.execute(db)
  return rows
}

export async function categoryNames(db: DbOrTrx): Promise<Record<string, Record<Lang, string>>> {
  const rows = await db.selectFrom('need_category').select(['code', 'name_zh', 'name_en']).execute()
  return Object.fromEntries(rows.map((r) => [r.code, { zh: r.name_zh, en: r.name_en }]))
}
