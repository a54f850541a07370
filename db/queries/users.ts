import type { DbOrTrx } from '../client.server.ts'
import type { Role } from '../schema.ts'

export function findUserByEmail(db: DbOrTrx, email: string) {
  return db
    .selectFrom('app_user')
    .selectAll()
    .where('email', '=', email.trim().toLowerCase())
    .executeTakeFirst()
}

export async function createUser(
  db: DbOrTrx,
  input: { email: string; name: string; passwordHash: string; locale?: string },
) {
  return db
    .insertInto('app_user')
    .values({
      email: input.email.trim().toLowerCase(),
      name: input.name,
      password_hash: input.passwordHash,
      locale: input.locale ?? 'zh-CN',
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export function addMembership(
  db: DbOrTrx,
  input: { userId: number; orgId: number; role: Role; enterpriseId?: number | null },
) {
  return db
    .insertInto('membership')
    .values({
      user_id: input.userId,
      org_id: input.orgId,
      role: input.role,
      enterprise_id: input.enterpriseId ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export interface MembershipWithOrg {
  role: Role
  orgId: number
  orgPath: string
  orgName: string
  enterpriseId: number | null
}

export async function membershipsOf(db: DbOrTrx, userId: number): Promise<MembershipWithOrg[]> {
  const rows = await db
    .selectFrom('membership as m')
    .innerJoin('union_org as o', 'o.id', 'm.org_id')
    .select(['m.role', 'm.org_id', 'o.path', 'o.name', 'm.enterprise_id'])
    .where('m.user_id', '=', userId)
    .orderBy('m.id')
    .execute()
  return rows.map((r) => ({
    role: r.role,
    orgId: r.org_id,
    orgPath: r.path,
    orgName: r.name,
    enterpriseId: r.enterprise_id,
  }))
}

export function setUserLocale(db: DbOrTrx, userId: number, locale: string) {
  return db.updateTable('app_user').set({ locale }).where('id', '=', userId).execute()
}
