import { hashPassword } from '#app/auth/password.server.ts'
import { normalizeEnterpriseName } from '#workflows/enterprise-validation.ts'
import type { DbOrTrx } from './client.server.ts'
import { createOrg } from './queries/orgs.ts'
import { addMembership, createUser } from './queries/users.ts'
import type { Role } from './schema.ts'

/** Builders shared by the seed and the tests; each returns what it made. */

export function makeOrg(db: DbOrTrx, name: string, kind: string, parentId: number | null = null) {
  return createOrg(db, { parentId, name, kind })
}

export async function makeEnterprise(
  db: DbOrTrx,
  input: {
    orgId: number
    name: string
    creditCode?: string | null
    district?: string
    park?: string
    industry?: string
    size?: 'micro' | 'small' | 'medium' | 'large'
    tags?: string[]
    address?: string
    stewardUserId?: number | null
  },
) {
  return db
    .insertInto('enterprise')
    .values({
      org_id: input.orgId,
      name: input.name,
      normalized_name: normalizeEnterpriseName(input.name),
      credit_code: input.creditCode ?? null,
      district: input.district ?? null,
      park: input.park ?? null,
      industry: input.industry ?? null,
      size: input.size ?? null,
      tags: input.tags ?? [],
      address: input.address ?? null,
      steward_user_id: input.stewardUserId ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

let hashCache: Map<string, Promise<string>> | undefined

/** Argon2 is slow on purpose; the same demo password is hashed once per process. */
function cachedHash(password: string): Promise<string> {
  hashCache ??= new Map()
  let h = hashCache.get(password)
  if (!h) {
    h = hashPassword(password)
    hashCache.set(password, h)
  }
  return h
}

export async function makeUser(
  db: DbOrTrx,
  input: {
    email: string
    name: string
    password: string
    role: Role
    orgId: number
    enterpriseId?: number
    locale?: string
  },
) {
  const user = await createUser(db, {
    email: input.email,
    name: input.name,
    passwordHash: await cachedHash(input.password),
    locale: input.locale,
  })
  await addMembership(db, {
    userId: user.id,
    orgId: input.orgId,
    role: input.role,
    enterpriseId: input.enterpriseId ?? null,
  })
  return user
}
