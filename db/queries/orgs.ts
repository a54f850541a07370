import { sql } from 'kysely'
import type { DbOrTrx } from '../client.server.ts'
import type { UnionOrg } from '../schema.ts'

export async function createOrg(
  db: DbOrTrx,
  input: { parentId: number | null; name: string; kind: string },
): Promise<UnionOrg> {
  const parent = input.parentId
    ? await db
        .selectFrom('union_org')
        .selectAll()
        .where('id', '=', input.parentId)
        .executeTakeFirstOrThrow()
    : null
  // The path needs the new id, so insert with a placeholder unique path, then set it.
  const inserted = await db
    .insertInto('union_org')
    .values({
      parent_id: input.parentId,
      name: input.name,
      kind: input.kind,
      path: `tmp-${crypto.randomUUID()}`,
      depth: parent ? parent.depth + 1 : 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return db
    .updateTable('union_org')
    .set({ path: `${parent?.path ?? '/'}${inserted.id}/` })
    .where('id', '=', inserted.id)
    .returningAll()
    .executeTakeFirstOrThrow()
}

export function getOrg(db: DbOrTrx, id: number) {
  return db.selectFrom('union_org').selectAll().where('id', '=', id).executeTakeFirst()
}

/** The org and all its descendants, by prefix range scan on the materialised path. */
export function subtreeOf(db: DbOrTrx, orgPath: string) {
  return db
    .selectFrom('union_org')
    .selectAll()
    .where('path', 'like', `${escapeLike(orgPath)}%`)
    .orderBy('path')
    .execute()
}

/** The org's direct children, by name. */
export function childOrgs(db: DbOrTrx, parentId: number) {
  return db
    .selectFrom('union_org')
    .select(['id', 'name', 'path', 'depth'])
    .where('parent_id', '=', parentId)
    .orderBy('name')
    .orderBy('id')
    .execute()
}

/** The org and its ancestors, root first (the materialised path names them). */
export function ancestryOf(db: DbOrTrx, orgPath: string) {
  const ids = orgPath.split('/').filter(Boolean).map(Number)
  return db
    .selectFrom('union_org')
    .select(['id', 'name', 'path', 'depth'])
    .where('id', 'in', ids)
    .orderBy('depth')
    .execute()
}

/** Whether `descendantPath` lies in the subtree rooted at `ancestorPath`. */
export function isInSubtree(ancestorPath: string, descendantPath: string): boolean {
  return descendantPath.startsWith(ancestorPath)
}

export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`)
}

export const pathLikeSubtree = (orgPath: string) => sql<string>`${escapeLike(orgPath)} || '%'`
