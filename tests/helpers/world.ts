import { sql } from 'kysely'
import type { Db, DbOrTrx } from '#db/client.server.ts'
import { makeEnterprise, makeOrg, makeUser } from '#db/factories.ts'
import { membershipsOf } from '#db/queries/users.ts'
import type { Role } from '#db/schema.ts'
import type { Principal } from '#workflows/access.ts'
import { type CommandOptions, createNeedsList } from '#workflows/commands/needs-lists.ts'

/** One password for every test user: makeUser hashes it once per process. */
export const TEST_PASSWORD = 'zhuqi-test-password'

export async function principalOf(db: DbOrTrx, userId: number): Promise<Principal> {
  const memberships = await membershipsOf(db, userId)
  return {
    userId,
    memberships: memberships.map(({ role, orgId, orgPath, enterpriseId }) => ({
      role,
      orgId,
      orgPath,
      enterpriseId,
    })),
  }
}

/**
 * province (federation admin, coordinator)
 * ├─ city (two coordinators: the intake desk of everything below)
 * │  └─ district (a steward, no coordinators)
 * │     ├─ enterprise (two contacts)
 * │     └─ other enterprise (one contact)
 * └─ other city (a coordinator who must not see the district)
 */
export async function buildWorld(db: Db, label: string) {
  const province = await makeOrg(db, `${label} province`, 'provincial_federation')
  const city = await makeOrg(db, `${label} city`, 'city_federation', province.id)
  const district = await makeOrg(db, `${label} district`, 'district_union', city.id)
  const otherCity = await makeOrg(db, `${label} other city`, 'city_federation', province.id)
  const enterprise = await makeEnterprise(db, { orgId: district.id, name: `${label} precision` })
  const otherEnterprise = await makeEnterprise(db, { orgId: district.id, name: `${label} energy` })

  const user = (key: string, role: Role, orgId: number, enterpriseId?: number) =>
    makeUser(db, {
      email: `${label}-${key}@zhuqi.test`,
      name: `${label} ${key}`,
      password: TEST_PASSWORD,
      role,
      orgId,
      enterpriseId,
    })
  const users = {
    contact: await user('contact', 'enterprise_contact', district.id, enterprise.id),
    contact2: await user('contact2', 'enterprise_contact', district.id, enterprise.id),
    otherContact: await user(
      'other-contact',
      'enterprise_contact',
      district.id,
      otherEnterprise.id,
    ),
    coordinator: await user('coordinator', 'coordinator', city.id),
    coordinator2: await user('coordinator2', 'coordinator', city.id),
    provinceCoordinator: await user('province-coordinator', 'coordinator', province.id),
    admin: await user('admin', 'federation_admin', province.id),
    steward: await user('steward', 'steward', district.id),
    otherCoordinator: await user('other-coordinator', 'coordinator', otherCity.id),
  }
  const principals = Object.fromEntries(
    await Promise.all(
      Object.entries(users).map(async ([key, u]) => [key, await principalOf(db, u.id)] as const),
    ),
  ) as Record<keyof typeof users, Principal>
  return {
    orgs: { province, city, district, otherCity },
    enterprise,
    otherEnterprise,
    users,
    principals,
  }
}

export type World = Awaited<ReturnType<typeof buildWorld>>

export const ITEMS = [
  {
    category: 'equipment_diagnosis' as const,
    description: 'Health diagnosis of the power distribution equipment',
    urgency: 'high' as const,
    headcount: 2,
  },
  {
    category: 'skills_training' as const,
    description: 'Skills training for 20 welders',
    urgency: 'normal' as const,
    headcount: 1,
  },
]

/** A draft list with two items, filed by the world's first contact. */
export function draftList(
  db: Db,
  world: World,
  title = 'Needs list',
  options: CommandOptions = {},
): Promise<number> {
  return createNeedsList(db, world.principals.contact, { title, items: ITEMS }, options)
}

const SUBJECT = 'needs_list'

export function instanceOf(db: DbOrTrx, listId: number) {
  return db
    .selectFrom('workflow_instance')
    .selectAll()
    .where('subject_type', '=', SUBJECT)
    .where('subject_id', '=', listId)
    .executeTakeFirstOrThrow()
}

export function listRow(db: DbOrTrx, listId: number) {
  return db.selectFrom('needs_list').selectAll().where('id', '=', listId).executeTakeFirstOrThrow()
}

export function eventsOf(db: DbOrTrx, listId: number) {
  return db
    .selectFrom('workflow_event')
    .selectAll()
    .where('subject_type', '=', SUBJECT)
    .where('subject_id', '=', listId)
    .orderBy('id')
    .execute()
}

/** Outbox rows whose job is about this list (every job names its subject). */
export function outboxOf(db: DbOrTrx, listId: number) {
  return db
    .selectFrom('outbox')
    .selectAll()
    .where(sql<string>`payload->>'subjectType'`, '=', SUBJECT)
    .where(sql<string>`payload->>'subjectId'`, '=', String(listId))
    .orderBy('id')
    .execute()
}

/** The list's deadline timers (workflow_timer rows), oldest first. */
export function timersOf(db: DbOrTrx, listId: number) {
  return db
    .selectFrom('workflow_timer as t')
    .innerJoin('workflow_instance as w', 'w.id', 't.workflow_id')
    .selectAll('t')
    .where('w.subject_type', '=', SUBJECT)
    .where('w.subject_id', '=', listId)
    .orderBy('t.id')
    .execute()
}

export function notificationsAbout(db: DbOrTrx, listId: number) {
  return db
    .selectFrom('notification')
    .selectAll()
    .where('link', '=', `/needs-lists/${listId}`)
    .orderBy('user_id')
    .orderBy('id')
    .execute()
}

/** Everything a refused command must leave untouched. */
export async function footprint(db: DbOrTrx, listId: number) {
  const [instance, list, events, outbox] = await Promise.all([
    instanceOf(db, listId),
    listRow(db, listId),
    eventsOf(db, listId),
    outboxOf(db, listId),
  ])
  return {
    state: instance.state,
    version: instance.version,
    snapshot: instance.snapshot,
    status: list.status,
    updatedAt: list.updated_at.toISOString(),
    events: events.map((e) => e.id),
    outbox: outbox.map((o) => o.id),
  }
}

/** Polls until `check` returns something truthy, or fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => Promise<T | undefined | null | false>,
  { timeoutMs = 10_000, intervalMs = 25, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, intervalMs))
  }
}
