import { type RawBuilder, sql } from 'kysely'
import type { DbOrTrx } from '#db/client.server.ts'
import { escapeLike } from '../orgs.ts'

/**
 * Shared pieces of the federation lists: the subtrees a list reads (org
 * paths, OR-ed), keyset cursors, and the orgs and stewards a filter form offers.
 */

export interface ListScope {
  /** Subtree roots ('/1/5/'); a row is in scope when its org path starts with one. */
  paths: string[]
}

export type SortDirection = 'asc' | 'desc'

/** The org path `column` lies in one of the subtrees. */
export function inSubtrees(column: string, paths: string[]): RawBuilder<boolean> {
  if (paths.length === 0) return sql<boolean>`false`
  return sql<boolean>`(${sql.join(
    paths.map((p) => sql`${sql.ref(column)} like ${`${escapeLike(p)}%`}`),
    sql` or `,
  )})`
}

/** '%text%' for ILIKE, the wildcard characters of `text` taken literally. */
export function containsPattern(text: string): string {
  return `%${escapeLike(text)}%`
}

/** An ORDER BY term; nulls always last, whichever the direction. */
export function orderTerm(column: string, dir: SortDirection) {
  return sql`${sql.ref(column)} ${sql.raw(dir === 'asc' ? 'asc' : 'desc')} nulls last`
}

/** Orgs of the subtrees, for the org filter (root first, then by path). */
export function orgOptions(db: DbOrTrx, scope: ListScope) {
  return db
    .selectFrom('union_org as o')
    .select(['o.id', 'o.name', 'o.depth', 'o.path'])
    .where(inSubtrees('o.path', scope.paths))
    .orderBy('o.path')
    .limit(500)
    .execute()
}

/** Stewards whose membership lies in the subtrees, for the steward filter. */
export function stewardOptions(db: DbOrTrx, scope: ListScope) {
  return db
    .selectFrom('membership as m')
    .innerJoin('app_user as u', 'u.id', 'm.user_id')
    .innerJoin('union_org as o', 'o.id', 'm.org_id')
    .select(['u.id', 'u.name'])
    .distinct()
    .where('m.role', '=', 'steward')
    .where(inSubtrees('o.path', scope.paths))
    .orderBy('u.name')
    .orderBy('u.id')
    .limit(500)
    .execute()
}

/** An org by id with its path (to check it lies in the viewer's scope). */
export function orgById(db: DbOrTrx, id: number) {
  return db
    .selectFrom('union_org')
    .select(['id', 'name', 'path'])
    .where('id', '=', id)
    .executeTakeFirst()
}
