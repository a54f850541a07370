import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeEnterprise, makeOrg, makeUser } from '#db/factories.ts'
import type { Principal } from '#workflows/access.ts'
import {
  createNeedsList,
  needsListView,
  submitNeedsList,
  triageNeedsList,
} from '#workflows/commands/needs-lists.ts'
import {
  intakeQueuePage,
  rejectNeedsList,
  routeNeedsList,
  routeTargets,
} from '#workflows/commands/triage.ts'
import {
  ConflictError,
  ForbiddenError,
  TransitionNotAllowedError,
  ValidationError,
} from '#workflows/errors.ts'
import { DEFAULT_INTAKE_FILTERS, type IntakeFilters } from '#workflows/triage.schema.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts'
import {
  buildWorld,
  eventsOf,
  footprint,
  ITEMS,
  instanceOf,
  listRow,
  outboxOf,
  principalOf,
  TEST_PASSWORD,
  type World,
} from '../helpers/world.ts'

const DAY_MS = 24 * 3600 * 1000
const T0 = new Date('2026-03-02T01:00:00Z')
const daysLater = (days: number) => new Date(T0.getTime() + days * DAY_MS)

let tdb: TestDatabase
let world: World
/** An industry-union federation under the city: a routing target of the city's desk. */
let industry: { id: number; path: string; name: string }
/** A coordinator of the district only: loses sight of lists routed away. */
let districtCoordinator: Principal

beforeAll(async () => {
  tdb = await createTestDatabase('triage')
  world = await buildWorld(tdb.db, 'tr')
  industry = await makeOrg(
    tdb.db,
    'tr industry federation',
    'industry_federation',
    world.orgs.city.id,
  )
  const dc = await makeUser(tdb.db, {
    email: 'tr-district-coordinator@zhuqi.test',
    name: 'tr district coordinator',
    password: TEST_PASSWORD,
    role: 'coordinator',
    orgId: world.orgs.district.id,
  })
  districtCoordinator = await principalOf(tdb.db, dc.id)
})

afterAll(async () => {
  await tdb?.drop()
})

async function submitted(title: string, when = T0, principal = world.principals.contact) {
  const id = await createNeedsList(tdb.db, principal, { title, items: ITEMS }, { now: when })
  await submitNeedsList(tdb.db, principal, id, 1, { now: when })
  return id
}

describe('reject', () => {
  it('rejects a submitted list with the reason, audited, mirrored and told to the enterprise', async () => {
    const { db } = tdb
    const id = await submitted('To reject')
    const at = daysLater(1)
    const result = await rejectNeedsList(
      db,
      world.principals.coordinator,
      id,
      '  Not a programme need  ',
      2,
      { now: at },
    )
    expect(result).toEqual({ fromState: 'submitted', state: 'rejected', version: 3 })
    expect(await instanceOf(db, id)).toMatchObject({ state: 'rejected', version: 3 })
    expect(await listRow(db, id)).toMatchObject({ status: 'rejected', stage_entered_at: at })
    const events = await eventsOf(db, id)
    expect(events.at(-1)).toMatchObject({
      event_type: 'REJECT',
      actor_user_id: world.users.coordinator.id,
      actor_role: 'coordinator',
      from_state: 'submitted',
      to_state: 'rejected',
      version: 3,
      payload: { reason: 'Not a programme need' },
    })
    const notify = (await outboxOf(db, id)).at(-1)
    expect(notify).toMatchObject({
      queue: 'notify',
      payload: {
        kind: 'needsList.rejected',
        audience: 'enterprise',
        enterpriseId: world.enterprise.id,
        params: { title: 'To reject', reason: 'Not a programme need' },
      },
    })
  })

  it('refuses a blank reason and changes nothing', async () => {
    const id = await submitted('Reject without reason')
    const before = await footprint(tdb.db, id)
    await expect(
      rejectNeedsList(tdb.db, world.principals.coordinator, id, '   ', 2),
    ).rejects.toMatchObject({
      constructor: ValidationError,
      details: { field: 'reason', messageKey: 'triage.errors.rejectReasonRequired' },
    })
    expect(await footprint(tdb.db, id)).toEqual(before)
  })

  it("refuses coordinators of another subtree, stewards and the enterprise, by the list's id", async () => {
    const id = await submitted('Not theirs')
    const before = await footprint(tdb.db, id)
    for (const who of [
      world.principals.otherCoordinator,
      world.principals.steward,
      world.principals.contact,
    ]) {
      await expect(rejectNeedsList(tdb.db, who, id, 'No reason at all', 2)).rejects.toBeInstanceOf(
        ForbiddenError,
      )
    }
    expect(await footprint(tdb.db, id)).toEqual(before)
  })

  it('is not possible once the list was accepted, and a stale version is a conflict', async () => {
    const id = await submitted('Accepted first')
    await expect(
      rejectNeedsList(tdb.db, world.principals.coordinator, id, 'Too late?', 1),
    ).rejects.toBeInstanceOf(ConflictError)
    await triageNeedsList(tdb.db, world.principals.coordinator, id, { type: 'ACCEPT' }, 2)
    await expect(
      rejectNeedsList(tdb.db, world.principals.coordinator, id, 'Too late now', 3),
    ).rejects.toBeInstanceOf(TransitionNotAllowedError)
    expect((await instanceOf(tdb.db, id)).state).toBe('awaiting_steward')
  })
})

describe('route', () => {
  it("moves a list to another org's desk in one transaction: org, state round, audit, outbox to the new desk", async () => {
    const { db } = tdb
    const id = await submitted('To route')
    const at = daysLater(2)
    const result = await routeNeedsList(
      db,
      world.principals.coordinator,
      id,
      { toOrgId: industry.id, reason: 'Machinery: the industry federation takes it' },
      2,
      { now: at },
    )
    expect(result).toEqual({ fromState: 'submitted', state: 'submitted', version: 3 })
    const row = await listRow(db, id)
    expect(row).toMatchObject({ org_id: industry.id, status: 'submitted' })
    const instance = await instanceOf(db, id)
    expect((instance.snapshot as { context: { round: number } }).context.round).toBe(2)
    expect((await eventsOf(db, id)).at(-1)).toMatchObject({
      event_type: 'ROUTE',
      actor_user_id: world.users.coordinator.id,
      from_state: 'submitted',
      to_state: 'submitted',
      payload: {
        toOrgId: industry.id,
        fromOrgId: world.orgs.district.id,
        reason: 'Machinery: the industry federation takes it',
      },
    })
    const outbox = await outboxOf(db, id)
    const [removal, notify, remind, breach] = outbox.slice(-4)
    // A new triage at the new desk: the old desk's timers are cancelled, fresh ones start.
    expect(removal).toMatchObject({
      job_name: 'remove-jobs',
      payload: { outboxIds: outbox.slice(1, 3).map((r) => r.id) },
    })
    // describe() read the org after the update: the industry federation's desk is told.
    expect(notify).toMatchObject({
      queue: 'notify',
      payload: { kind: 'needsList.routed', audience: 'coordinators', orgPath: industry.path },
    })
    expect([remind, breach]).toMatchObject([
      { queue: 'timeout', payload: { event: { type: 'DEADLINE', phase: 'remind', entry: 2 } } },
      { queue: 'timeout', payload: { event: { type: 'DEADLINE', phase: 'breach', entry: 2 } } },
    ])
    expect(remind?.run_at.getTime()).toBeGreaterThan(at.getTime())
    expect(row.due_at).toEqual(breach?.run_at)

    // The district's own desk no longer sees it; the city's still does.
    await expect(needsListView(db, districtCoordinator, id)).rejects.toBeInstanceOf(ForbiddenError)
    await expect(needsListView(db, world.principals.coordinator, id)).resolves.toBeTruthy()
  })

  it('refuses a target outside the coordinator’s subtrees and changes nothing', async () => {
    const id = await submitted('Route out of scope')
    const before = await footprint(tdb.db, id)
    await expect(
      routeNeedsList(
        tdb.db,
        world.principals.coordinator,
        id,
        { toOrgId: world.orgs.otherCity.id },
        2,
      ),
    ).rejects.toBeInstanceOf(ForbiddenError)
    // Not even upwards: the province is above the city desk.
    await expect(
      routeNeedsList(
        tdb.db,
        world.principals.coordinator,
        id,
        { toOrgId: world.orgs.province.id },
        2,
      ),
    ).rejects.toBeInstanceOf(ForbiddenError)
    expect(await footprint(tdb.db, id)).toEqual(before)
    expect((await listRow(tdb.db, id)).org_id).toBe(world.orgs.district.id)
  })

  it('refuses a list outside the coordinator’s subtree by id', async () => {
    const id = await submitted('Someone else’s list')
    const before = await footprint(tdb.db, id)
    await expect(
      routeNeedsList(
        tdb.db,
        world.principals.otherCoordinator,
        id,
        { toOrgId: world.orgs.otherCity.id },
        2,
      ),
    ).rejects.toBeInstanceOf(ForbiddenError)
    expect(await footprint(tdb.db, id)).toEqual(before)
  })

  it('refuses the same org and an unknown org with a clear message', async () => {
    const id = await submitted('Route nowhere')
    const before = await footprint(tdb.db, id)
    await expect(
      routeNeedsList(
        tdb.db,
        world.principals.coordinator,
        id,
        { toOrgId: world.orgs.district.id },
        2,
      ),
    ).rejects.toMatchObject({ details: { messageKey: 'triage.errors.sameOrg' } })
    await expect(
      routeNeedsList(tdb.db, world.principals.coordinator, id, { toOrgId: 987654 }, 2),
    ).rejects.toMatchObject({ details: { messageKey: 'triage.errors.unknownOrg' } })
    expect(await footprint(tdb.db, id)).toEqual(before)
  })

  it('rolls the org back when the transition is refused (wrong state or stale version)', async () => {
    const { db } = tdb
    const id = await submitted('Route after accept')
    await expect(
      routeNeedsList(db, world.principals.coordinator, id, { toOrgId: industry.id }, 1),
    ).rejects.toBeInstanceOf(ConflictError)
    expect((await listRow(db, id)).org_id).toBe(world.orgs.district.id)
    await triageNeedsList(db, world.principals.coordinator, id, { type: 'ACCEPT' }, 2)
    const before = await footprint(db, id)
    await expect(
      routeNeedsList(db, world.principals.coordinator, id, { toOrgId: industry.id }, 3),
    ).rejects.toBeInstanceOf(TransitionNotAllowedError)
    expect(await footprint(db, id)).toEqual(before)
    expect((await listRow(db, id)).org_id).toBe(world.orgs.district.id)
  })

  it("offers the coordinator's subtree without the list's current org", async () => {
    const id = await submitted('Targets')
    const list = await listRow(tdb.db, id)
    const targets = await routeTargets(tdb.db, world.principals.coordinator, {
      org_id: list.org_id,
      orgPath: world.orgs.district.path,
    })
    const ids = targets.map((t) => t.id)
    expect(ids).toContain(world.orgs.city.id)
    expect(ids).toContain(industry.id)
    expect(ids).not.toContain(world.orgs.district.id)
    expect(ids).not.toContain(world.orgs.otherCity.id)
    expect(ids).not.toContain(world.orgs.province.id)
    expect(targets.find((t) => t.id === world.orgs.city.id)?.depth).toBe(0)
  })
})

describe('the intake queue', () => {
  const filters = (patch: Partial<IntakeFilters>): IntakeFilters => ({
    ...DEFAULT_INTAKE_FILTERS,
    ...patch,
  })
  let q: {
    db: TestDatabase['db']
    park: { id: number; path: string }
    lists: { a1: number; b1: number; a2: number; b2: number; g1: number }
    admin: Principal
  }
  let world2: World
  let drop2: TestDatabase
  const now = daysLater(30)
  const page = async (principal: Principal, patch: Partial<IntakeFilters>, pageSize = 50) =>
    (await intakeQueuePage(q.db, principal, filters(patch), { pageSize, now })).rows.map(
      (r) => r.title,
    )

  beforeAll(async () => {
    const db = await createTestDatabase('triage_queue')
    const w = await buildWorld(db.db, 'tq')
    const park = await makeOrg(db.db, 'tq park', 'park_union', w.orgs.district.id)
    const e = async (
      name: string,
      orgId: number,
      extra: { district?: string; park?: string; tags?: string[] },
    ) => {
      const ent = await makeEnterprise(db.db, { orgId, name, ...extra })
      const contact = await makeUser(db.db, {
        email: `tq-${name}@zhuqi.test`,
        name,
        password: TEST_PASSWORD,
        role: 'enterprise_contact',
        orgId,
        enterpriseId: ent.id,
      })
      return principalOf(db.db, contact.id)
    }
    const alpha = await e('Alpha works', park.id, {
      district: 'Bay',
      park: 'Egret Park',
      tags: ['little_giant'],
    })
    const beta = await e('Beta tools', w.orgs.district.id, { district: 'Bay', tags: [] })
    const gamma = await e('Gamma energy', w.orgs.otherCity.id, { district: 'Hill', tags: [] })
    const file = async (
      who: Principal,
      title: string,
      day: number,
      categories: string[],
    ): Promise<number> => {
      const at = daysLater(day)
      const id = await createNeedsList(
        db.db,
        who,
        {
          title,
          items: categories.map((category) => ({
            category: category as 'other',
            description: 'Something specific enough',
            urgency: 'normal',
            headcount: 1,
          })),
        },
        { now: at },
      )
      await submitNeedsList(db.db, who, id, 1, { now: at })
      return id
    }
    const lists = {
      a1: await file(alpha, 'A1', 1, ['equipment_diagnosis', 'safety']),
      b1: await file(beta, 'B1', 2, ['skills_training']),
      a2: await file(alpha, 'A2', 20, ['skills_training']),
      b2: await file(beta, 'B2', 25, ['equipment_diagnosis']),
      g1: await file(gamma, 'G1', 3, ['equipment_diagnosis']),
    }
    // B1 goes on to awaiting a steward on day 10.
    await triageNeedsList(db.db, w.principals.coordinator, lists.b1, { type: 'ACCEPT' }, 2, {
      now: daysLater(10),
    })
    q = { db: db.db, park, lists, admin: w.principals.admin }
    world2 = w
    drop2 = db
  })

  afterAll(async () => {
    await drop2?.drop()
  })

  it('defaults to submitted lists of the subtree, oldest first', async () => {
    expect(await page(world2.principals.coordinator, {})).toEqual(['A1', 'A2', 'B2'])
    expect(await page(q.admin, {})).toEqual(['A1', 'G1', 'A2', 'B2'])
    expect(await page(world2.principals.otherCoordinator, {})).toEqual(['G1'])
  })

  it('filters by status, category, district, park, tag and time in stage', async () => {
    const c = world2.principals.coordinator
    expect(await page(c, { status: 'awaiting_steward' })).toEqual(['B1'])
    expect(await page(c, { category: 'equipment_diagnosis' })).toEqual(['A1', 'B2'])
    expect(await page(c, { category: 'safety' })).toEqual(['A1'])
    expect(await page(q.admin, { district: 'Bay' })).toEqual(['A1', 'A2', 'B2'])
    expect(await page(q.admin, { district: 'Hill' })).toEqual(['G1'])
    expect(await page(c, { park: 'Egret Park' })).toEqual(['A1', 'A2'])
    expect(await page(c, { tag: 'little_giant' })).toEqual(['A1', 'A2'])
    expect(await page(c, { tag: 'little_giant', category: 'skills_training' })).toEqual(['A2'])
    // On day 30: A1 waited 29 days, A2 10, B2 5.
    expect(await page(c, { age: 7 })).toEqual(['A1', 'A2'])
    expect(await page(c, { age: 14 })).toEqual(['A1'])
    expect(await page(c, { status: 'awaiting_steward', age: 14 })).toEqual(['B1'])
    expect(await page(c, { status: 'rejected' })).toEqual([])
  })

  it('sorts by newest, enterprise name and time in stage', async () => {
    const c = world2.principals.coordinator
    expect(await page(c, { sort: 'newest' })).toEqual(['B2', 'A2', 'A1'])
    expect(await page(q.admin, { sort: 'enterprise' })).toEqual(['A1', 'A2', 'B2', 'G1'])
    expect(await page(q.admin, { sort: 'stage' })).toEqual(['A1', 'G1', 'A2', 'B2'])
  })

  it('pages on the server', async () => {
    const first = await intakeQueuePage(q.db, q.admin, filters({}), { pageSize: 3, now })
    expect(first.rows.map((r) => r.title)).toEqual(['A1', 'G1', 'A2'])
    expect(first.hasNext).toBe(true)
    const second = await intakeQueuePage(q.db, q.admin, filters({ page: 2 }), { pageSize: 3, now })
    expect(second.rows.map((r) => r.title)).toEqual(['B2'])
    expect(second.hasNext).toBe(false)
    expect(second.rows[0]).toMatchObject({
      enterpriseName: 'Beta tools',
      district: 'Bay',
      status: 'submitted',
      itemCount: 1,
    })
  })

  it('is forbidden to roles without an intake desk', async () => {
    await expect(
      intakeQueuePage(q.db, world2.principals.steward, filters({}), { pageSize: 5, now }),
    ).rejects.toBeInstanceOf(ForbiddenError)
  })

  it('follows a routed list to its new desk', async () => {
    const c = world2.principals.coordinator
    // A coordinator whose desk is the park only.
    const pc = await makeUser(q.db, {
      email: 'tq-park-desk@zhuqi.test',
      name: 'tq park desk',
      password: TEST_PASSWORD,
      role: 'coordinator',
      orgId: q.park.id,
    })
    const parkDesk = await principalOf(q.db, pc.id)
    expect(await page(parkDesk, {})).toEqual(['A1', 'A2'])
    await routeNeedsList(q.db, c, q.lists.b2, { toOrgId: q.park.id }, 2)
    expect(await page(parkDesk, {})).toEqual(['A1', 'A2', 'B2'])
  })
})
