import { sql } from 'kysely'
import type { DbOrTrx } from '../client.server.ts'
import type { EnterpriseTable } from '../schema.ts'
import { escapeLike } from './orgs.ts'

export interface EnterpriseValues {
  orgId: number
  name: string
  normalizedName: string
  creditCode: string | null
  industry: string | null
  size: EnterpriseTable['size']
  tags: string[]
  address: string | null
  district: string | null
  park: string | null
  createdBy: number | null
}

export function insertEnterprise(db: DbOrTrx, v: EnterpriseValues) {
  return db
    .insertInto('enterprise')
    .values({
      org_id: v.orgId,
      name: v.name,
      normalized_name: v.normalizedName,
      credit_code: v.creditCode,
      industry: v.industry,
      size: v.size,
      tags: v.tags,
      address: v.address,
      district: v.district,
      park: v.park,
      created_by: v.createdBy,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** The enterprise with its org (for scope checks) and its dedicated steward's name. */
export function findEnterprise(db: DbOrTrx, id: number) {
  return db
    .selectFrom('enterprise as e')
    .innerJoin('union_org as o', 'o.id', 'e.org_id')
    .leftJoin('app_user as s', 's.id', 'e.steward_user_id')
    .selectAll('e')
    .select(['o.path as orgPath', 'o.name as orgName', 's.name as stewardName'])
    .where('e.id', '=', id)
    .executeTakeFirst()
}

export function findEnterpriseByCreditCode(db: DbOrTrx, creditCode: string) {
  return db
    .selectFrom('enterprise as e')
    .innerJoin('union_org as o', 'o.id', 'e.org_id')
    .select((eb) => [
      'e.id',
      'e.name',
      'o.name as orgName',
      'o.path as orgPath',
      eb
        .selectFrom('membership as m')
        .select((x) => x.fn.countAll<number>().as('n'))
        .whereRef('m.enterprise_id', '=', 'e.id')
        .where('m.role', '=', 'enterprise_contact')
        .as('contactCount'),
    ])
    .where('e.credit_code', '=', creditCode)
    .executeTakeFirst()
}

/**
 * A cheap pre-filter for the similar-name check (the caller applies the exact
 * rule): the same normalised name, one containing the other, or names of
 * about the same length sharing their first or last two characters — which
 * every name one edit away of four or more characters does.
 */
export function similarNameCandidates(db: DbOrTrx, normalizedName: string, limit = 200) {
  const n = normalizedName
  return (
    db
      .selectFrom('enterprise as e')
      .innerJoin('union_org as o', 'o.id', 'e.org_id')
      .select(['e.id', 'e.name', 'e.normalized_name', 'o.name as orgName', 'o.path as orgPath'])
      .where('e.normalized_name', 'is not', null)
      .where('e.normalized_name', '<>', '')
      .where((eb) =>
        eb.or([
          eb('e.normalized_name', '=', n),
          eb(sql<number>`strpos(e.normalized_name, ${n})`, '>', 0),
          eb(sql<number>`strpos(${n}, e.normalized_name)`, '>', 0),
          eb.and([
            eb(sql<number>`abs(length(e.normalized_name) - length(${n}))`, '<=', 2),
            eb.or([
              eb(sql<string>`left(e.normalized_name, 2)`, '=', sql<string>`left(${n}, 2)`),
              eb(sql<string>`right(e.normalized_name, 2)`, '=', sql<string>`right(${n}, 2)`),
            ]),
          ]),
        ]),
      )
      // Exact and containing matches first, so near-misses never crowd them out.
      .orderBy(sql`e.normalized_name = ${n}`, 'desc')
      .orderBy(
        sql`strpos(e.normalized_name, ${n}) > 0 or strpos(${n}, e.normalized_name) > 0`,
        'desc',
      )
      .orderBy('e.id')
      .limit(limit)
      .execute()
  )
}

/** People who are contacts of the enterprise. */
export function contactsOf(db: DbOrTrx, enterpriseId: number) {
  return db
    .selectFrom('membership as m')
    .innerJoin('app_user as u', 'u.id', 'm.user_id')
    .select(['u.id', 'u.name', 'u.email', 'u.mobile', 'm.created_at as since'])
    .where('m.enterprise_id', '=', enterpriseId)
    .where('m.role', '=', 'enterprise_contact')
    .orderBy('m.id')
    .execute()
}

export async function isContactOf(
  db: DbOrTrx,
  userId: number,
  enterpriseId: number,
): Promise<boolean> {
  const row = await db
    .selectFrom('membership')
    .select('id')
    .where('user_id', '=', userId)
    .where('enterprise_id', '=', enterpriseId)
    .where('role', '=', 'enterprise_contact')
    .executeTakeFirst()
  return row !== undefined
}

export interface EnterpriseSearch {
  orgPaths: string[]
  /** Matched against the name as typed and as normalised, or as a credit-code prefix. */
  name?: string
  normalizedName?: string
  creditCodePrefix?: string
  limit: number
  offset: number
}

/** Enterprises in the given org subtrees, by name. */
export function searchEnterprises(db: DbOrTrx, input: EnterpriseSearch) {
  let q = db
    .selectFrom('enterprise as e')
    .innerJoin('union_org as o', 'o.id', 'e.org_id')
    .leftJoin('app_user as s', 's.id', 'e.steward_user_id')
    .select((eb) => [
      'e.id',
      'e.name',
      'e.credit_code',
      'e.industry',
      'e.size',
      'e.district',
      'e.park',
      'o.name as orgName',
      's.name as stewardName',
      eb
        .selectFrom('needs_list as l')
        .select((x) => x.fn.countAll<number>().as('n'))
        .whereRef('l.enterprise_id', '=', 'e.id')
        .as('listCount'),
    ])
    .where((eb) => eb.or(input.orgPaths.map((p) => eb('o.path', 'like', `${escapeLike(p)}%`))))
  const { name, normalizedName, creditCodePrefix } = input
  if (name || normalizedName || creditCodePrefix) {
    q = q.where((eb) =>
      eb.or([
        ...(name ? [eb('e.name', 'ilike', `%${escapeLike(name)}%`)] : []),
        ...(normalizedName
          ? [eb('e.normalized_name', 'like', `%${escapeLike(normalizedName)}%`)]
          : []),
        ...(creditCodePrefix
          ? [eb('e.credit_code', 'like', `${escapeLike(creditCodePrefix)}%`)]
          : []),
      ]),
    )
  }
  return q.orderBy('e.name').orderBy('e.id').limit(input.limit).offset(input.offset).execute()
}

/** Orgs of the given kinds, for the registration form's union select. */
export function orgsOfKinds(db: DbOrTrx, kinds: readonly string[]) {
  return db
    .selectFrom('union_org')
    .select(['id', 'name', 'kind', 'path'])
    .where('kind', 'in', [...kinds])
    .orderBy('path')
    .execute()
}

/** Orgs in any of the given subtrees. */
export function orgsInSubtrees(db: DbOrTrx, orgPaths: string[]) {
  if (orgPaths.length === 0) return Promise.resolve([])
  return db
    .selectFrom('union_org')
    .select(['id', 'name', 'kind', 'path'])
    .where((eb) => eb.or(orgPaths.map((p) => eb('path', 'like', `${escapeLike(p)}%`))))
    .orderBy('path')
    .execute()
}

export function insertInvitation(
  db: DbOrTrx,
  v: {
    enterpriseId: number
    email: string
    name: string
    mobile: string | null
    tokenHash: string
    invitedBy: number
    expiresAt: Date
  },
) {
  return db
    .insertInto('enterprise_invitation')
    .values({
      enterprise_id: v.enterpriseId,
      email: v.email,
      name: v.name,
      mobile: v.mobile,
      token_hash: v.tokenHash,
      invited_by: v.invitedBy,
      expires_at: v.expiresAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** The invitation behind a token hash, with what the acceptance page shows; `lock` for update. */
export function findInvitationByHash(db: DbOrTrx, tokenHash: string, lock = false) {
  const q = db
    .selectFrom('enterprise_invitation as i')
    .innerJoin('enterprise as e', 'e.id', 'i.enterprise_id')
    .innerJoin('app_user as by', 'by.id', 'i.invited_by')
    .selectAll('i')
    .select(['e.name as enterpriseName', 'e.org_id as enterpriseOrgId', 'by.name as inviterName'])
    .where('i.token_hash', '=', tokenHash)
  return (lock ? q.forUpdate('i') : q).executeTakeFirst()
}

export function markInvitationAccepted(
  db: DbOrTrx,
  id: number,
  input: { userId: number; at: Date },
) {
  return db
    .updateTable('enterprise_invitation')
    .set({ accepted_at: input.at, accepted_user_id: input.userId })
    .where('id', '=', id)
    .execute()
}

/** Invitations not yet accepted, newest first (expired ones included, flagged by the caller). */
export function openInvitationsOf(db: DbOrTrx, enterpriseId: number) {
  return db
    .selectFrom('enterprise_invitation')
    .select(['id', 'name', 'email', 'created_at', 'expires_at'])
    .where('enterprise_id', '=', enterpriseId)
    .where('accepted_at', 'is', null)
    .orderBy('id', 'desc')
    .limit(50)
    .execute()
}

export function setUserMobile(db: DbOrTrx, userId: number, mobile: string) {
  return db.updateTable('app_user').set({ mobile }).where('id', '=', userId).execute()
}
