import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeEnterprise, makeOrg, makeUser } from '#db/factories.ts'
import { stewardLoad, upsertStewardProfile } from '#db/queries/stewards.ts'
import type { Principal } from '#workflows/access.ts'
import { OPEN_CASE_STATES } from '#workflows/case-states.ts'
import {
  createNeedsList,
  needsListView,
  submitNeedsList,
  triageNeedsList,
  withdrawNeedsList,
} from '#workflows/commands/needs-lists.ts'
import {
  assignSteward,
  enterpriseStewardView,
  recommendStewards,
  saveStewardProfile,
  stewardProfileView,
  stewardWorkspace,
} from '#workflows/commands/stewards.ts'
import { ConflictError, ForbiddenError, ValidationError } from '#workflows/errors.ts'
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

const T0 = new Date('2026-03-02T01:00:00Z')
const at = (hours: number) => new Date(T0.getTime() + hours * 3600 * 1000)

let tdb: TestDatabase
let world: World
/** Stewards: the world's district steward, one at the city, one in the other city, one inactive. */
let s: {
  district: number
  city: number
  far: number
  inactive: number
  farPrincipal: Principal
  districtPrincipal: Principal
}
/** A third enterprise in the district, with its contact. */
let third: { id: number; contact: Principal }

const profile = (
  userId: number,
  orgId: number,
  patch: Partial<Parameters<typeof upsertStewardProfile>[1]> = {},
) =>
  upsertStewardProfile(tdb.db, {
    userId,
    orgId,
    capacity: 5,
    districts: [],
    parks: [],
    industries: [],
    active: true,
    ...patch,
  })

beforeAll(async () => {
  tdb = await createTestDatabase('stewards')
  const { db } = tdb
  world = await buildWorld(db, 'st')
  await db
    .updateTable('enterprise')
    .set({ district: 'Bay', park: 'Egret Park', industry: 'C' })
    .where('id', 'in', [world.enterprise.id, world.otherEnterprise.id])
    .execute()
  const steward = (key: string, orgId: number) =>
    makeUser(db, {
      email: `st-${key}@zhuqi.test`,
      name: `st ${key}`,
      password: TEST_PASSWORD,
      role: 'steward',
      orgId,
    })
  const city = await steward('city-steward', world.orgs.city.id)
  const far = await steward('far-steward', world.orgs.otherCity.id)
  const inactive = await steward('inactive-steward', world.orgs.district.id)
  await profile(world.users.steward.id, world.orgs.district.id, {
    districts: ['Bay'],
    parks: ['Egret Park'],
    industries: ['C'],
  })
  await profile(city.id, world.orgs.city.id, { districts: ['Bay'], capacity: 10 })
  await profile(far.id, world.orgs.otherCity.id)
  await profile(inactive.id, world.orgs.district.id, { active: false })
  s = {
    district: world.users.steward.id,
    city: city.id,
    far: far.id,
    inactive: inactive.id,
    farPrincipal: await principalOf(db, far.id),
    districtPrincipal: world.principals.steward,
  }
  const ent = await makeEnterprise(db, { orgId: world.orgs.district.id, name: 'st third works' })
  const contact = await makeUser(db, {
    email: 'st-third-contact@zhuqi.test',
    name: 'st third contact',
    password: TEST_PASSWORD,
    role: 'enterprise_contact',
    orgId: world.orgs.district.id,
    enterpriseId: ent.id,
  })
  third = { id: ent.id, contact: await principalOf(db, contact.id) }
})

afterAll(async () => {
  await tdb?.drop()
})

/** A list of the world's enterprise (or another contact's) accepted into awaiting_steward. */
async function awaitingSteward(title: string, contact = world.principals.contact, when = T0) {
  const id = await createNeedsList(tdb.db, contact, { title, items: ITEMS }, { now: when })
  await submitNeedsList(tdb.db, contact, id, 1, { now: when })
  await triageNeedsList(tdb.db, world.principals.coordinator, id, { type: 'ACCEPT' }, 2, {
    now: when,
  })
  return id
}

function assignments(enterpriseId: number) {
  return tdb.db
    .selectFrom('steward_assignment')
    .selectAll()
    .where('enterprise_id', '=', enterpriseId)
    .orderBy('id')
    .execute()
}

async function stewardOf(enterpriseId: number) {
  const row = await tdb.db
    .selectFrom('enterprise')
    .select('steward_user_id')
    .where('id', '=', enterpriseId)
    .executeTakeFirstOrThrow()
  return row.steward_user_id
}

describe('steward profiles', () => {
  it('are managed by coordinators and admins of the steward’s subtree', async () => {
    const view = await stewardProfileView(tdb.db, world.principals.coordinator, s.district)
    expect(view.orgs.map((o) => o.orgId)).toEqual([world.orgs.district.id])
    expect(view.profile).toMatchObject({ capacity: 5, districts: ['Bay'] })
    const saved = await saveStewardProfile(tdb.db, world.principals.admin, s.district, {
      orgId: world.orgs.district.id,
      capacity: 6,
      districts: ['Bay', 'Hill'],
      parks: ['Egret Park'],
      industries: ['C', 'D'],
      active: true,
    })
    expect(saved).toMatchObject({ capacity: 6, districts: ['Bay', 'Hill'], industries: ['C', 'D'] })
  })

  it('refuse managers of another subtree, stewards themselves and unknown users', async () => {
    await expect(
      stewardProfileView(tdb.db, world.principals.otherCoordinator, s.district),
    ).rejects.toBeInstanceOf(ForbiddenError)
    const input = {
      orgId: world.orgs.district.id,
      capacity: 99,
      districts: [],
      parks: [],
      industries: [],
      active: true,
    }
    await expect(
      saveStewardProfile(tdb.db, world.principals.otherCoordinator, s.district, input),
    ).rejects.toBeInstanceOf(ForbiddenError)
    await expect(
      saveStewardProfile(tdb.db, world.principals.steward, s.district, input),
    ).rejects.toBeInstanceOf(ForbiddenError)
    // A coordinator is not a steward.
    await expect(
      stewardProfileView(tdb.db, world.principals.admin, world.users.coordinator.id),
    ).rejects.toMatchObject({ code: 'notFound' })
    // The profile's org must be one of the steward's own orgs.
    await expect(
      saveStewardProfile(tdb.db, world.principals.admin, s.district, {
        ...input,
        orgId: world.orgs.city.id,
      }),
    ).rejects.toMatchObject({ details: { messageKey: 'steward.errors.org' } })
    const row = await tdb.db
      .selectFrom('steward_profile')
      .select('capacity')
      .where('user_id', '=', s.district)
      .executeTakeFirstOrThrow()
    expect(row.capacity).toBe(6)
  })
})

describe('ranking candidates', () => {
  it("ranks active stewards of the coordinator's subtree and the enterprise's ancestors", async () => {
    const ranked = await recommendStewards(
      tdb.db,
      world.principals.coordinator,
      world.enterprise.id,
    )
    // The far steward is in another city, the inactive one is inactive.
    expect(ranked.map((r) => r.userId)).toEqual([s.district, s.city])
    expect(ranked[0]?.reasons.map((r) => r.key)).toEqual(
      expect.arrayContaining(['parkMatch', 'districtMatch', 'industryMatch', 'sameOrg', 'load']),
    )
    expect(ranked[1]?.reasons.map((r) => r.key)).toContain('ancestorOrg')
    // A province admin's scope also holds the far steward (another branch).
    const wide = await recommendStewards(tdb.db, world.principals.admin, world.enterprise.id)
    expect(wide.map((r) => r.userId)).toEqual([s.district, s.city, s.far])
    expect(wide[2]?.reasons.map((r) => r.key)).toContain('otherBranch')
  })

  it('is for the enterprise’s coordinators only', async () => {
    for (const who of [
      world.principals.otherCoordinator,
      world.principals.steward,
      world.principals.contact,
    ]) {
      await expect(recommendStewards(tdb.db, who, world.enterprise.id)).rejects.toBeInstanceOf(
        ForbiddenError,
      )
    }
  })
})

describe('assigning a steward', () => {
  let firstCase: number

  it('hands a case awaiting a steward to the chosen one: assignment, enterprise, mirror, audit, outbox', async () => {
    const { db } = tdb
    firstCase = await awaitingSteward('First case')
    const when = at(5)
    const result = await assignSteward(
      db,
      world.principals.coordinator,
      {
        enterpriseId: world.enterprise.id,
        stewardId: s.district,
        reason: 'Covers the park',
        caseId: firstCase,
        expectedVersion: 3,
        expectedStewardId: null,
      },
      { now: when },
    )
    expect(result).toEqual({
      previousStewardId: null,
      cases: [
        { caseId: firstCase, fromState: 'awaiting_steward', state: 'confirming', version: 4 },
      ],
    })
    expect(await assignments(world.enterprise.id)).toEqual([
      expect.objectContaining({
        steward_user_id: s.district,
        assigned_by: world.users.coordinator.id,
        reason: 'Covers the park',
        assigned_at: when,
        ended_at: null,
      }),
    ])
    expect(await stewardOf(world.enterprise.id)).toBe(s.district)
    expect(await listRow(db, firstCase)).toMatchObject({
      status: 'confirming',
      steward_user_id: s.district,
      stage_entered_at: when,
    })
    const instance = await instanceOf(db, firstCase)
    expect((instance.snapshot as { context: { stewardId: number } }).context.stewardId).toBe(
      s.district,
    )
    expect((await eventsOf(db, firstCase)).at(-1)).toMatchObject({
      event_type: 'ASSIGN_STEWARD',
      actor_user_id: world.users.coordinator.id,
      actor_role: 'coordinator',
      from_state: 'awaiting_steward',
      to_state: 'confirming',
      payload: { stewardId: s.district, reason: 'Covers the park' },
    })
    expect(
      (await outboxOf(db, firstCase)).filter((r) => r.queue === 'notify').at(-1),
    ).toMatchObject({
      payload: { kind: 'needsList.confirming', audience: 'users', userIds: [s.district] },
    })
    expect(await stewardLoad(db, s.district, OPEN_CASE_STATES)).toBe(1)
  })

  it('sends the next accepted list of the enterprise straight to its steward', async () => {
    const id = await createNeedsList(tdb.db, world.principals.contact, {
      title: 'Second case',
      items: ITEMS,
    })
    await submitNeedsList(tdb.db, world.principals.contact, id, 1)
    await triageNeedsList(tdb.db, world.principals.coordinator, id, { type: 'ACCEPT' }, 2)
    expect(await listRow(tdb.db, id)).toMatchObject({
      status: 'confirming',
      steward_user_id: s.district,
    })
    // Still one enterprise for the load, however many cases.
    expect(await stewardLoad(tdb.db, s.district, OPEN_CASE_STATES)).toBe(1)
  })

  it('requires a reason to replace the steward, and changes nothing without one', async () => {
    const before = {
      cases: await footprint(tdb.db, firstCase),
      assignments: await assignments(world.enterprise.id),
    }
    await expect(
      assignSteward(tdb.db, world.principals.coordinator, {
        enterpriseId: world.enterprise.id,
        stewardId: s.city,
        reason: '  ',
      }),
    ).rejects.toMatchObject({
      constructor: ValidationError,
      details: { field: 'reason', messageKey: 'steward.errors.reasonRequired' },
    })
    expect(await footprint(tdb.db, firstCase)).toEqual(before.cases)
    expect(await assignments(world.enterprise.id)).toEqual(before.assignments)
    expect(await stewardOf(world.enterprise.id)).toBe(s.district)
  })

  it('moves every open case on reassignment, leaves other lists alone, and records the history', async () => {
    const { db } = tdb
    const open = await db
      .selectFrom('needs_list')
      .select(['id', 'status'])
      .where('enterprise_id', '=', world.enterprise.id)
      .where('status', 'in', [...OPEN_CASE_STATES])
      .orderBy('id')
      .execute()
    expect(open.map((c) => c.status)).toEqual(['confirming', 'confirming'])
    // A submitted list (not yet a case) must stay as it is.
    const pending = await createNeedsList(db, world.principals.contact, {
      title: 'Not taken in yet',
      items: ITEMS,
    })
    await submitNeedsList(db, world.principals.contact, pending, 1)
    const pendingBefore = await footprint(db, pending)

    const when = at(30)
    const result = await assignSteward(
      db,
      world.principals.admin,
      {
        enterpriseId: world.enterprise.id,
        stewardId: s.city,
        reason: 'Steward on leave',
        expectedStewardId: s.district,
      },
      { now: when },
    )
    expect(result.previousStewardId).toBe(s.district)
    expect(result.cases.map((c) => c.caseId)).toEqual(open.map((c) => c.id))
    for (const c of open) {
      expect(await listRow(db, c.id)).toMatchObject({
        status: 'confirming',
        steward_user_id: s.city,
      })
      expect((await eventsOf(db, c.id)).at(-1)).toMatchObject({
        event_type: 'ASSIGN_STEWARD',
        actor_role: 'federation_admin',
        from_state: 'confirming',
        to_state: 'confirming',
        payload: { stewardId: s.city, reason: 'Steward on leave' },
      })
      expect((await outboxOf(db, c.id)).at(-1)).toMatchObject({
        payload: { kind: 'needsList.stewardAssigned', audience: 'users', userIds: [s.city] },
      })
    }
    expect(await footprint(db, pending)).toEqual(pendingBefore)
    const history = await assignments(world.enterprise.id)
    expect(history).toEqual([
      expect.objectContaining({
        steward_user_id: s.district,
        ended_at: when,
        ended_reason: 'Steward on leave',
      }),
      expect.objectContaining({
        steward_user_id: s.city,
        assigned_by: world.users.admin.id,
        reason: 'Steward on leave',
        ended_at: null,
      }),
    ])
    expect(await stewardLoad(db, s.district, OPEN_CASE_STATES)).toBe(0)
    expect(await stewardLoad(db, s.city, OPEN_CASE_STATES)).toBe(1)

    // The former steward is now ranked with continuity.
    const ranked = await recommendStewards(db, world.principals.coordinator, world.enterprise.id)
    const former = ranked.find((r) => r.userId === s.district)
    expect(former?.reasons.map((r) => r.key)).toContain('servedBefore')
    expect(ranked.map((r) => r.userId)).not.toContain(s.city)

    const view = await enterpriseStewardView(db, world.principals.coordinator, world.enterprise.id)
    expect(view.history.map((h) => [h.stewardName, h.reason, h.endedReason])).toEqual([
      ['st city-steward', 'Steward on leave', null],
      [world.users.steward.name, 'Covers the park', 'Steward on leave'],
    ])
    expect(view.canAssign).toBe(true)
  })

  it('refuses a stale view of the current steward', async () => {
    await expect(
      assignSteward(tdb.db, world.principals.coordinator, {
        enterpriseId: world.enterprise.id,
        stewardId: s.district,
        reason: 'Back from leave',
        expectedStewardId: s.district,
      }),
    ).rejects.toBeInstanceOf(ConflictError)
    expect(await stewardOf(world.enterprise.id)).toBe(s.city)
  })

  it('refuses the current steward again when no case waits for one', async () => {
    await expect(
      assignSteward(tdb.db, world.principals.coordinator, {
        enterpriseId: world.enterprise.id,
        stewardId: s.city,
        reason: 'Again',
      }),
    ).rejects.toMatchObject({ details: { messageKey: 'steward.errors.sameSteward' } })
  })

  it('refuses stewards outside the scope, inactive ones, full ones and non-stewards', async () => {
    const id = await awaitingSteward('Other enterprise case', world.principals.otherContact)
    const before = await footprint(tdb.db, id)
    const base = { enterpriseId: world.otherEnterprise.id, caseId: id }
    // The far steward is outside the city coordinator's subtree.
    await expect(
      assignSteward(tdb.db, world.principals.coordinator, { ...base, stewardId: s.far }),
    ).rejects.toBeInstanceOf(ForbiddenError)
    await expect(
      assignSteward(tdb.db, world.principals.coordinator, { ...base, stewardId: s.inactive }),
    ).rejects.toMatchObject({ details: { messageKey: 'steward.errors.inactive' } })
    await expect(
      assignSteward(tdb.db, world.principals.coordinator, {
        ...base,
        stewardId: world.users.coordinator.id,
      }),
    ).rejects.toMatchObject({ details: { messageKey: 'steward.errors.unknownSteward' } })
    // Fill the district steward up: capacity 1, already holding the third enterprise's case.
    await profile(s.district, world.orgs.district.id, { capacity: 1 })
    const thirdCase = await awaitingSteward('Third case', third.contact)
    await assignSteward(tdb.db, world.principals.coordinator, {
      enterpriseId: third.id,
      stewardId: s.district,
      caseId: thirdCase,
    })
    await expect(
      assignSteward(tdb.db, world.principals.coordinator, { ...base, stewardId: s.district }),
    ).rejects.toMatchObject({ details: { messageKey: 'steward.errors.full' } })
    const ranked = await recommendStewards(
      tdb.db,
      world.principals.coordinator,
      world.otherEnterprise.id,
    )
    expect(ranked.at(-1)).toMatchObject({ userId: s.district, full: true, assignable: false })
    // A case of another enterprise is not this enterprise's case.
    await expect(
      assignSteward(tdb.db, world.principals.coordinator, {
        enterpriseId: world.otherEnterprise.id,
        caseId: thirdCase,
        stewardId: s.city,
      }),
    ).rejects.toMatchObject({ details: { messageKey: 'steward.errors.notOpenCase' } })
    expect(await footprint(tdb.db, id)).toEqual(before)
    expect(await stewardOf(world.otherEnterprise.id)).toBeNull()
    expect(await assignments(world.otherEnterprise.id)).toEqual([])
  })

  it("refuses stewards, contacts and another subtree's coordinators, by the enterprise's id", async () => {
    for (const who of [
      world.principals.otherCoordinator,
      world.principals.steward,
      world.principals.contact,
    ]) {
      await expect(
        assignSteward(tdb.db, who, { enterpriseId: world.otherEnterprise.id, stewardId: s.city }),
      ).rejects.toBeInstanceOf(ForbiddenError)
      await expect(
        enterpriseStewardView(tdb.db, who, world.otherEnterprise.id),
      ).rejects.toBeInstanceOf(ForbiddenError)
    }
    expect(await stewardOf(world.otherEnterprise.id)).toBeNull()
  })

  it('lets a steward from another branch work on an assigned case, and only that one', async () => {
    const { db } = tdb
    // The province admin covers both cities: the far steward is in scope for them.
    const id = await awaitingSteward('Far steward case', world.principals.otherContact)
    await assignSteward(db, world.principals.admin, {
      enterpriseId: world.otherEnterprise.id,
      stewardId: s.far,
      reason: undefined,
      caseId: id,
    })
    const view = await needsListView(db, s.farPrincipal, id)
    expect(view.list.id).toBe(id)
    // Someone else's case in the district stays out of reach.
    await expect(needsListView(db, s.farPrincipal, firstCase)).rejects.toBeInstanceOf(
      ForbiddenError,
    )
    // The enterprise page: the current steward reads it, without the assignment form.
    const page = await enterpriseStewardView(db, s.farPrincipal, world.otherEnterprise.id)
    expect(page).toMatchObject({ canAssign: false, ranked: [] })
  })
})

describe("the steward's workspace", () => {
  it('shows my enterprises with open cases, my cases by stage and what waits on me', async () => {
    const { db } = tdb
    const me = world.principals.steward
    const ws = await stewardWorkspace(db, me, { stage: null, casePage: 1, enterprisePage: 1 })
    // The district steward holds the third enterprise (one confirming case).
    expect(ws.enterprises.map((e) => [e.name, e.openCases])).toEqual([['st third works', 1]])
    expect(ws.stages.find((x) => x.state === 'confirming')?.count).toBe(1)
    expect(ws.cases.map((c) => c.title)).toEqual(['Third case'])
    expect(ws.waiting.map((c) => c.title)).toEqual(['Third case'])

    const city = await principalOf(db, s.city)
    const cityWs = await stewardWorkspace(db, city, {
      stage: 'confirming',
      casePage: 1,
      enterprisePage: 1,
    })
    expect(cityWs.cases.map((c) => c.title).sort()).toEqual(['First case', 'Second case'])
    expect(cityWs.enterprises.map((e) => [e.name, e.openCases])).toEqual([
      [world.enterprise.name, 2],
    ])
    const none = await stewardWorkspace(db, city, {
      stage: 'ready_for_matching',
      casePage: 1,
      enterprisePage: 1,
    })
    expect(none.cases).toEqual([])
  })

  it('drops an enterprise from the load when its last open case closes', async () => {
    const { db } = tdb
    const thirdCase = await db
      .selectFrom('needs_list')
      .select('id')
      .where('enterprise_id', '=', third.id)
      .where('status', '=', 'confirming')
      .executeTakeFirstOrThrow()
    expect(await stewardLoad(db, s.district, OPEN_CASE_STATES)).toBe(1)
    const version = (await instanceOf(db, thirdCase.id)).version
    await withdrawNeedsList(db, third.contact, thirdCase.id, 'No longer needed', version)
    expect(await stewardLoad(db, s.district, OPEN_CASE_STATES)).toBe(0)
    const ws = await stewardWorkspace(db, world.principals.steward, {
      stage: null,
      casePage: 1,
      enterprisePage: 1,
    })
    // Still my enterprise, with nothing open.
    expect(ws.enterprises.map((e) => [e.name, e.openCases])).toEqual([['st third works', 0]])
    expect(ws.waiting).toEqual([])
  })

  it('is for stewards only', async () => {
    await expect(
      stewardWorkspace(tdb.db, world.principals.coordinator, {
        stage: null,
        casePage: 1,
        enterprisePage: 1,
      }),
    ).rejects.toBeInstanceOf(ForbiddenError)
  })
})

describe('orgs the seed-style setup relies on', () => {
  it('ranks an industry federation steward above the park for a park enterprise', async () => {
    const { db } = tdb
    const industry = await makeOrg(db, 'st industry', 'industry_federation', world.orgs.city.id)
    const park = await makeOrg(db, 'st park', 'park_union', industry.id)
    const ent = await makeEnterprise(db, { orgId: park.id, name: 'st park works', park: 'P1' })
    const u = await makeUser(db, {
      email: 'st-industry-steward@zhuqi.test',
      name: 'st industry steward',
      password: TEST_PASSWORD,
      role: 'steward',
      orgId: industry.id,
    })
    await profile(u.id, industry.id, { parks: ['P1'] })
    const pc = await makeUser(db, {
      email: 'st-park-coordinator@zhuqi.test',
      name: 'st park coordinator',
      password: TEST_PASSWORD,
      role: 'coordinator',
      orgId: park.id,
    })
    // The park's own desk may call on stewards of the orgs above it.
    const ranked = await recommendStewards(db, await principalOf(db, pc.id), ent.id)
    expect(ranked.map((r) => r.userId)).toEqual([u.id, s.city])
  })
})
