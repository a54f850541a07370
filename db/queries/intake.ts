import { type ExpressionBuilder, sql } from 'kysely'
import type { IntakeSort } from '#workflows/triage.schema.ts'
import type { DbOrTrx } from '../client.server.ts'
import type { Database } from '../schema.ts'
import { escapeLike } from './orgs.ts'

export interface IntakeQuery {
  /** Org subtrees (materialised paths) the queue covers. */
  orgPaths: string[]
  status: string
  /** Lists with at least one item of this category. */
  category?: string
  district?: string
  park?: string
  /** Enterprise tag (enterprise.tags). */
  tag?: string
  /** Only lists in their current stage since before this instant. */
  stageBefore?: Date
  /** Only lists whose current stage's deadline lies before this instant (overdue). */
  dueBefore?: Date
  sort: IntakeSort
  limit: number
  offset: number
}

type Eb = ExpressionBuilder<Database & { l: Database['needs_list'] }, 'l'>

/** `l.org_id in (orgs of these subtrees)`: one prefix range scan per subtree. */
function inSubtrees(eb: Eb, orgPaths: string[]) {
  return eb(
    'l.org_id',
    'in',
    eb
      .selectFrom('union_org as so')
      .select('so.id')
      .where((w) => w.or(orgPaths.map((p) => w('so.path', 'like', `${escapeLike(p)}%`)))),
  )
}

/** Orgs in the given subtrees as a share of all orgs (a cheap size estimate of the queue). */
async function smallScope(db: DbOrTrx, orgPaths: string[]): Promise<boolean> {
  const row = await db
    .selectFrom('union_org')
    .select((eb) => [
      eb.fn.countAll<number>().as('total'),
      sql<number>`count(*) filter (where ${sql.join(
        orgPaths.map((p) => sql`path like ${`${escapeLike(p)}%`}`),
        sql` or `,
      )})`.as('inScope'),
    ])
    .executeTakeFirstOrThrow()
  return Number(row.inScope) < SMALL_SCOPE_SHARE * Number(row.total)
}

/**
 * Below this share of all orgs, a queue's candidate rows are few enough to
 * collect and sort (a province: about 1/31); above it, walking a status index
 * in page order finds a page sooner (the national root). The planner cannot
 * tell these apart from the statistics, as subtrees and enterprise names
 * correlate.
 */
const SMALL_SCOPE_SHARE = 0.1

type Candidates = ReturnType<typeof candidatesQuery>
function candidatesQuery(db: DbOrTrx) {
  return db
    .selectFrom('needs_list as l')
    .select(['l.id', 'l.enterprise_id', 'l.submitted_at', 'l.stage_entered_at', 'l.due_at'])
}

/** Large scopes: the page straight off the status indexes (or the enterprise-name index). */
function orderedByIndex(ids: Candidates, q: IntakeQuery) {
  const page = ids.select('l.id as pageId').limit(q.limit).offset(q.offset)
  switch (q.sort) {
    case 'newest':
      return page.orderBy('l.submitted_at', 'desc').orderBy('l.id', 'desc').execute()
    case 'stage':
      return page.orderBy('l.stage_entered_at', 'asc').orderBy('l.id', 'asc').execute()
    case 'due':
      // Ascending puts lists without a deadline last, as the (status, due_at, id) index does.
      return page.orderBy('l.due_at', 'asc').orderBy('l.id', 'asc').execute()
    case 'enterprise':
      return page
        .innerJoin('enterprise as se', 'se.id', 'l.enterprise_id')
        .orderBy('se.name', 'asc')
        .orderBy('l.id', 'asc')
        .execute()
    default:
      return page.orderBy('l.submitted_at', 'asc').orderBy('l.id', 'asc').execute()
  }
}

/** Small scopes: collect the (few) candidates first, then sort them. */
function orderedMaterialized(db: DbOrTrx, ids: Candidates, q: IntakeQuery) {
  const page = db
    .with(
      (cte) => cte('c').materialized(),
      () => ids,
    )
    .selectFrom('c')
    .select('c.id as pageId')
    .limit(q.limit)
    .offset(q.offset)
  switch (q.sort) {
    case 'newest':
      return page.orderBy('c.submitted_at', 'desc').orderBy('c.id', 'desc').execute()
    case 'stage':
      return page.orderBy('c.stage_entered_at', 'asc').orderBy('c.id', 'asc').execute()
    case 'due':
      return page.orderBy('c.due_at', 'asc').orderBy('c.id', 'asc').execute()
    case 'enterprise':
      // A per-row key lookup: the candidates are few, the enterprises many.
      return page
        .orderBy(
          (eb) =>
            eb
              .selectFrom('enterprise as se')
              .select('se.name')
              .whereRef('se.id', '=', 'c.enterprise_id'),
          'asc',
        )
        .orderBy('c.id', 'asc')
        .execute()
    default:
      return page.orderBy('c.submitted_at', 'asc').orderBy('c.id', 'asc').execute()
  }
}

/**
 * One page of the intake queue. The page's ids come from needs_list alone
 * (its status/time indexes, semi-joins for the filters), so rows skipped by
 * the offset cost no joins; the details are then read for those ids only.
 */
export async function intakePage(db: DbOrTrx, q: IntakeQuery) {
  if (q.orgPaths.length === 0) return []
  const enterpriseFilter = q.district || q.park || q.tag
  let ids = candidatesQuery(db)
    .where('l.status', '=', q.status)
    .where('l.submitted_at', 'is not', null)
    .where((eb) => inSubtrees(eb, q.orgPaths))
  if (q.category) {
    const category = q.category
    ids = ids.where((eb) =>
      eb.exists(
        eb
          .selectFrom('need_item as i')
          .select(sql`1`.as('one'))
          .whereRef('i.needs_list_id', '=', 'l.id')
          .where('i.category', '=', category),
      ),
    )
  }
  if (enterpriseFilter) {
    ids = ids.where((eb) => {
      let e = eb.selectFrom('enterprise as fe').select('fe.id')
      if (q.district) e = e.where('fe.district', '=', q.district)
      if (q.park) e = e.where('fe.park', '=', q.park)
      if (q.tag) e = e.where(sql<boolean>`fe.tags @> array[${q.tag}]::text[]`)
      return eb('l.enterprise_id', 'in', e)
    })
  }
  if (q.stageBefore) ids = ids.where('l.stage_entered_at', '<', q.stageBefore)
  if (q.dueBefore) ids = ids.where('l.due_at', '<', q.dueBefore)

  const page = (await smallScope(db, q.orgPaths))
    ? await orderedMaterialized(db, ids, q)
    : await orderedByIndex(ids, q)
  if (page.length === 0) return []
  const pageIds = page.map((r) => r.pageId)

  const rows = await db
    .selectFrom('needs_list as l')
    .innerJoin('union_org as o', 'o.id', 'l.org_id')
    .innerJoin('enterprise as e', 'e.id', 'l.enterprise_id')
    .innerJoin('workflow_instance as w', (j) =>
      j.onRef('w.subject_id', '=', 'l.id').on('w.subject_type', '=', 'needs_list'),
    )
    .leftJoin('app_user as su', 'su.id', 'l.steward_user_id')
    .select((eb) => [
      'l.id',
      'l.title',
      'l.status',
      'l.submitted_at',
      'l.stage_entered_at',
      'l.due_at',
      'l.enterprise_id',
      'l.org_id',
      'w.version',
      'e.name as enterpriseName',
      'e.district',
      'e.park',
      'e.tags',
      'o.name as orgName',
      'su.name as stewardName',
      eb
        .selectFrom('need_item')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('need_item.needs_list_id', '=', 'l.id')
        .as('itemCount'),
    ])
    .where('l.id', 'in', pageIds)
    .execute()
  const position = new Map(pageIds.map((id, i) => [id, i]))
  return rows.sort((a, b) => (position.get(a.id) ?? 0) - (position.get(b.id) ?? 0))
}

export type IntakeRow = Awaited<ReturnType<typeof intakePage>>[number]

/** Orgs in the given subtrees, ordered as a tree (by path), at most `limit`. */
export function orgsInSubtrees(db: DbOrTrx, orgPaths: string[], limit: number) {
  if (orgPaths.length === 0) return Promise.resolve([])
  return db
    .selectFrom('union_org')
    .select(['id', 'name', 'kind', 'path', 'depth', 'parent_id'])
    .where((w) => w.or(orgPaths.map((p) => w('path', 'like', `${escapeLike(p)}%`))))
    .orderBy('path')
    .limit(limit)
    .execute()
}

/**
 * The neighbourhood of an org inside the given subtrees: its ancestors and
 * every child of them and of the org itself (parents, siblings, uncles,
 * children), ordered as a tree.
 */
export function orgNeighbourhood(db: DbOrTrx, orgPath: string, scopePaths: string[]) {
  const line = orgPath
    .split('/')
    .filter(Boolean)
    .map((id) => Number(id))
  if (scopePaths.length === 0 || line.length === 0) return Promise.resolve([])
  return db
    .selectFrom('union_org')
    .select(['id', 'name', 'kind', 'path', 'depth', 'parent_id'])
    .where((w) => w.or([w('id', 'in', line), w('parent_id', 'in', line)]))
    .where((w) => w.or(scopePaths.map((p) => w('path', 'like', `${escapeLike(p)}%`))))
    .orderBy('path')
    .execute()
}

/** Whether the org with this id exists, and its path. */
export function orgById(db: DbOrTrx, id: number) {
  return db
    .selectFrom('union_org')
    .select(['id', 'name', 'path', 'depth'])
    .where('id', '=', id)
    .executeTakeFirst()
}

/** Moves a needs list to another org's intake desk (the workflow transition follows). */
export function setNeedsListOrg(db: DbOrTrx, id: number, orgId: number) {
  return db.updateTable('needs_list').set({ org_id: orgId }).where('id', '=', id).execute()
}
