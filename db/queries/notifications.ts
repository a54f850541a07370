import type { DbOrTrx } from '../client.server.ts'

export interface NotificationInput {
  userId: number
  kind: string
  params: Record<string, unknown>
  link: string | null
  dedupeKey: string
}

/** Idempotent: a row with the same dedupe key is left as it is. Returns how many were new. */
export async function insertNotifications(db: DbOrTrx, rows: NotificationInput[]): Promise<number> {
  if (rows.length === 0) return 0
  const inserted = await db
    .insertInto('notification')
    .values(
      rows.map((r) => ({
        user_id: r.userId,
        kind: r.kind,
        params: JSON.stringify(r.params),
        link: r.link,
        dedupe_key: r.dedupeKey,
      })),
    )
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .execute()
  return inserted.length
}

export function notificationsOf(db: DbOrTrx, userId: number, limit = 50) {
  return db
    .selectFrom('notification')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
}

export async function unreadCount(db: DbOrTrx, userId: number): Promise<number> {
  const row = await db
    .selectFrom('notification')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export function markNotificationsRead(
  db: DbOrTrx,
  userId: number,
  ids: number[] | 'all',
  now: Date,
) {
  let q = db
    .updateTable('notification')
    .set({ read_at: now })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
  if (ids !== 'all') {
    if (ids.length === 0) return Promise.resolve()
    q = q.where('id', 'in', ids)
  }
  return q.execute()
}

export async function contactsOfEnterprise(db: DbOrTrx, enterpriseId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('membership')
    .select('user_id')
    .distinct()
    .where('role', '=', 'enterprise_contact')
    .where('enterprise_id', '=', enterpriseId)
    .execute()
  return rows.map((r) => r.user_id)
}

/**
 * The intake desk for an org: its own coordinators, or, when it has none,
 * those of the nearest ancestor that has some.
 */
export function intakeCoordinatorsFor(db: DbOrTrx, orgPath: string): Promise<number[]> {
  return nearestWithRole(db, orgPath, 'coordinator')
}

/**
 * Who escalations go to: the federation admins of the org, or, when it has
 * none, those of the nearest ancestor that has some.
 */
export function federationAdminsFor(db: DbOrTrx, orgPath: string): Promise<number[]> {
  return nearestWithRole(db, orgPath, 'federation_admin')
}

async function nearestWithRole(
  db: DbOrTrx,
  orgPath: string,
  role: 'coordinator' | 'federation_admin',
): Promise<number[]> {
  const ancestorPaths = orgPath
    .split('/')
    .filter(Boolean)
    .map((_, i, parts) => `/${parts.slice(0, i + 1).join('/')}/`)
  if (ancestorPaths.length === 0) return []
  const rows = await db
    .selectFrom('membership as m')
    .innerJoin('union_org as o', 'o.id', 'm.org_id')
    .select(['m.user_id', 'o.depth'])
    .where('m.role', '=', role)
    .where('o.path', 'in', ancestorPaths)
    .orderBy('o.depth', 'desc')
    .execute()
  const nearest = rows[0]?.depth
  return [...new Set(rows.filter((r) => r.depth === nearest).map((r) => r.user_id))]
}
