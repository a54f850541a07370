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

/** An expert of the talent pool with skills and honours (tests and seed). */
export async function makeExpert(
  db: DbOrTrx,
  input: {
    orgId: number
    name: string
    mobile: string
    userId?: number | null
    gender?: 'male' | 'female' | null
    employer?: string
    jobTitle?: string
    grade?: string
    districts?: string[]
    parks?: string[]
    weekdays?: number[]
    capacity?: number
    status?: 'active' | 'paused'
    bio?: string
    skills?: { skillId: number; proficiency: number }[]
    honours?: {
      type: string
      level: 'national' | 'provincial' | 'city' | 'district' | 'enterprise'
      year?: number | null
    }[]
    blackouts?: { startsOn: string; endsOn: string; note?: string }[]
  },
) {
  const expert = await db
    .insertInto('expert')
    .values({
      org_id: input.orgId,
      user_id: input.userId ?? null,
      name: input.name,
      gender: input.gender ?? null,
      mobile: input.mobile,
      email: null,
      employer: input.employer ?? null,
      job_title: input.jobTitle ?? null,
      grade: input.grade ?? null,
      districts: input.districts ?? [],
      parks: input.parks ?? [],
      weekdays: input.weekdays ?? [1, 2, 3, 4, 5],
      capacity: input.capacity ?? 2,
      status: input.status ?? 'active',
      bio: input.bio ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  if (input.skills?.length) {
    await db
      .insertInto('expert_skill')
      .values(
        input.skills.map((s) => ({
          expert_id: expert.id,
          skill_id: s.skillId,
          proficiency: s.proficiency,
        })),
      )
      .execute()
  }
  if (input.honours?.length) {
    await db
      .insertInto('expert_honour')
      .values(
        input.honours.map((h) => ({
          expert_id: expert.id,
          type: h.type,
          level: h.level,
          year: h.year ?? null,
        })),
      )
      .execute()
  }
  if (input.blackouts?.length) {
    await db
      .insertInto('expert_blackout')
      .values(
        input.blackouts.map((b) => ({
          expert_id: expert.id,
          starts_on: b.startsOn,
          ends_on: b.endsOn,
          note: b.note ?? null,
        })),
      )
      .execute()
  }
  return expert
}

/** A service team (服务队) led by one expert, with members. */
export async function makeServiceTeam(
  db: DbOrTrx,
  input: { orgId: number; name: string; leaderId: number; memberIds: number[]; capacity?: number },
) {
  const team = await db
    .insertInto('service_team')
    .values({
      org_id: input.orgId,
      name: input.name,
      leader_expert_id: input.leaderId,
      capacity: input.capacity ?? 1,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  const members = [...new Set([input.leaderId, ...input.memberIds])]
  await db
    .insertInto('service_team_member')
    .values(members.map((id) => ({ team_id: team.id, expert_id: id })))
    .execute()
  return team
}
