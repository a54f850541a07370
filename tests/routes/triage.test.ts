import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as enterpriseSteward from '#app/routes/enterprises.$id.steward.tsx'
import * as intake from '#app/routes/intake.tsx'
import * as detail from '#app/routes/needs-lists.$id._index.tsx'
import * as triage from '#app/routes/needs-lists.$id.triage.tsx'
import * as stewards from '#app/routes/stewards._index.tsx'
import * as stewardEdit from '#app/routes/stewards.$userId.tsx'
import * as workspace from '#app/routes/workspace.tsx'
import { makeOrg, makeUser } from '#db/factories.ts'
import { upsertStewardProfile } from '#db/queries/stewards.ts'
import { submitNeedsList, triageNeedsList } from '#workflows/commands/needs-lists.ts'
import {
  anonymous,
  type Browser,
  buildContext,
  call,
  signIn,
  type TestContext,
} from '../helpers/route-context.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts'
import {
  buildWorld,
  draftList,
  footprint,
  instanceOf,
  listRow,
  TEST_PASSWORD,
  type World,
} from '../helpers/world.ts'

let tdb: TestDatabase
let world: World
let ctx: TestContext
let industry: { id: number }
let farSteward: number
let as: {
  coordinator: Browser
  otherCoordinator: Browser
  admin: Browser
  steward: Browser
  contact: Browser
  expert: Browser
  anonymous: Browser
}

beforeAll(async () => {
  tdb = await createTestDatabase('routes_triage')
  world = await buildWorld(tdb.db, 'rt')
  ctx = buildContext(tdb.db)
  const { db } = tdb
  industry = await makeOrg(db, 'rt industry', 'industry_federation', world.orgs.city.id)
  await upsertStewardProfile(db, {
    userId: world.users.steward.id,
    orgId: world.orgs.district.id,
    capacity: 5,
    districts: ['Bay'],
    parks: [],
    industries: ['C'],
    active: true,
  })
  const far = await makeUser(db, {
    email: 'rt-far-steward@zhuqi.test',
    name: 'rt far steward',
    password: TEST_PASSWORD,
    role: 'steward',
    orgId: world.orgs.otherCity.id,
  })
  await upsertStewardProfile(db, {
    userId: far.id,
    orgId: world.orgs.otherCity.id,
    capacity: 5,
    districts: [],
    parks: [],
    industries: [],
    active: true,
  })
  farSteward = far.id
  const expert = await makeUser(db, {
    email: 'rt-expert@zhuqi.test',
    name: 'rt expert',
    password: TEST_PASSWORD,
    role: 'expert',
    orgId: world.orgs.city.id,
  })
  as = {
    coordinator: await signIn(ctx, world.users.coordinator.id),
    otherCoordinator: await signIn(ctx, world.users.otherCoordinator.id),
    admin: await signIn(ctx, world.users.admin.id),
    steward: await signIn(ctx, world.users.steward.id),
    contact: await signIn(ctx, world.users.contact.id),
    expert: await signIn(ctx, expert.id),
    anonymous: await anonymous(ctx),
  }
})

afterAll(async () => {
  await tdb?.drop()
})

async function submitted(title: string) {
  const id = await draftList(tdb.db, world, title)
  await submitNeedsList(tdb.db, world.principals.contact, id, 1)
  return id
}

async function awaitingSteward(title: string) {
  const id = await submitted(title)
  await triageNeedsList(tdb.db, world.principals.coordinator, id, { type: 'ACCEPT' }, 2)
  return id
}

const params = (id: number | string) => ({ id: String(id) })

function triagePost(
  browser: Browser,
  id: number,
  fields: Record<string, string | number>,
  csrf?: string | null,
) {
  return call(
    triage.action,
    browser.post(`/needs-lists/${id}/triage`, fields, csrf === undefined ? {} : { csrf }),
    ctx,
    params(id),
  )
}

function stewardPost(
  browser: Browser,
  enterpriseId: number,
  fields: Record<string, string | number>,
) {
  return call(
    enterpriseSteward.action,
    browser.post(`/enterprises/${enterpriseId}/steward`, fields),
    ctx,
    params(enterpriseId),
  )
}

function replyError(data: unknown): Record<string, string[] | null> | undefined {
  return (data as { result?: { error?: Record<string, string[] | null> } }).result?.error
}

async function assignmentsOf(enterpriseId: number) {
  return tdb.db
    .selectFrom('steward_assignment')
    .selectAll()
    .where('enterprise_id', '=', enterpriseId)
    .execute()
}

describe('the intake queue page', () => {
  it('takes filters and sorting from the query string and names malformed ones', async () => {
    const id = await submitted('Queue filter')
    const ok = await call(
      intake.loader,
      as.coordinator.get('/intake?status=submitted&category=equipment_diagnosis&sort=newest&age=3'),
      ctx,
    )
    expect(ok.status).toBe(200)
    const data = ok.data as {
      filters: Record<string, unknown>
      invalid: string[]
      lists: { id: number }[]
    }
    expect(data.filters).toMatchObject({
      status: 'submitted',
      category: 'equipment_diagnosis',
      sort: 'newest',
      age: 3,
    })
    expect(data.invalid).toEqual([])
    // Just submitted: not more than 3 days in its stage.
    expect(data.lists.map((l) => l.id)).not.toContain(id)

    const bad = await call(
      intake.loader,
      as.coordinator.get('/intake?status=draft&category=nope&age=5&sort=random&district=%20'),
      ctx,
    )
    expect(bad.status).toBe(200)
    const badData = bad.data as typeof data
    expect(badData.invalid.sort()).toEqual(['age', 'category', 'sort', 'status'])
    expect(badData.filters).toMatchObject({ status: 'submitted', sort: 'oldest' })
    expect(badData.filters.category).toBeUndefined()
    expect(badData.lists.map((l) => l.id)).toContain(id)
  })

  it('is 403 for stewards, experts and enterprise contacts', async () => {
    for (const browser of [as.steward, as.expert, as.contact]) {
      const out = await call(intake.loader, browser.get('/intake?status=confirming'), ctx)
      expect(out).toMatchObject({ status: 403, thrown: true })
    }
  })
})

describe('reject and route', () => {
  it('shows the triage page to the coordinators of the list only', async () => {
    const id = await submitted('Triage page')
    const ok = await call(
      triage.loader,
      as.coordinator.get(`/needs-lists/${id}/triage`),
      ctx,
      params(id),
    )
    expect(ok.status).toBe(200)
    const data = ok.data as { canReject: boolean; routeTargets: { id: number }[] }
    expect(data.canReject).toBe(true)
    expect(data.routeTargets.map((t) => t.id)).toContain(industry.id)
    expect(data.routeTargets.map((t) => t.id)).not.toContain(world.orgs.district.id)
    for (const browser of [as.otherCoordinator, as.steward, as.contact, as.expert]) {
      const out = await call(
        triage.loader,
        browser.get(`/needs-lists/${id}/triage`),
        ctx,
        params(id),
      )
      expect(out).toMatchObject({ status: 403, thrown: true })
    }
    const missing = await call(
      triage.loader,
      as.coordinator.get('/needs-lists/999999/triage'),
      ctx,
      params(999999),
    )
    expect(missing).toMatchObject({ status: 404 })
    const anon = await call(
      triage.loader,
      as.anonymous.get(`/needs-lists/${id}/triage`),
      ctx,
      params(id),
    )
    expect(anon.status).toBe(302)
  })

  it('rejects with a reason and comes back with a notice', async () => {
    const id = await submitted('Reject via page')
    const out = await triagePost(as.coordinator, id, {
      intent: 'reject',
      version: 2,
      reason: 'Outside the programme',
      redirectTo: '/intake?sort=newest',
    })
    expect(out).toMatchObject({ status: 302, location: '/intake?sort=newest&triaged=rejected' })
    expect(await listRow(tdb.db, id)).toMatchObject({ status: 'rejected' })
    expect(ctx.pokes).toBeGreaterThan(0)
    const page = await call(intake.loader, as.coordinator.get(out.location ?? ''), ctx)
    expect((page.data as { notice: string }).notice).toBe('triage.notice.rejected')
  })

  it('answers bad input with 400 and a translated error, writing nothing', async () => {
    const id = await submitted('Bad input')
    const before = await footprint(tdb.db, id)
    const noReason = await triagePost(as.coordinator, id, {
      intent: 'reject',
      version: 2,
      reason: ' ',
    })
    expect(noReason.status).toBe(400)
    expect(replyError(noReason.data)?.reason).toEqual(['triage.errors.rejectReasonRequired'])
    const noOrg = await triagePost(as.coordinator, id, { intent: 'route', version: 2, toOrgId: '' })
    expect(noOrg.status).toBe(400)
    expect(replyError(noOrg.data)?.toOrgId).toEqual(['triage.errors.chooseOrg'])
    const junkOrg = await triagePost(as.coordinator, id, {
      intent: 'route',
      version: 2,
      toOrgId: 'abc',
    })
    expect(junkOrg.status).toBe(400)
    const sameOrg = await triagePost(as.coordinator, id, {
      intent: 'route',
      version: 2,
      toOrgId: world.orgs.district.id,
    })
    expect(sameOrg.status).toBe(400)
    expect(replyError(sameOrg.data)?.['']).toEqual(['triage.errors.sameOrg'])
    const unknownIntent = await triagePost(as.coordinator, id, { intent: 'accept', version: 2 })
    expect(unknownIntent.status).toBe(400)
    const stale = await triagePost(as.coordinator, id, {
      intent: 'reject',
      version: 1,
      reason: 'Stale',
    })
    expect(stale.status).toBe(409)
    expect(replyError(stale.data)?.['']).toEqual(['errors.conflict'])
    const noCsrf = await triagePost(
      as.coordinator,
      id,
      { intent: 'reject', version: 2, reason: 'No token' },
      null,
    )
    expect(noCsrf).toMatchObject({ status: 403, body: 'errors.csrf' })
    expect(await footprint(tdb.db, id)).toEqual(before)
  })

  it("is 403 for other roles and other subtrees' coordinators, by id, writing nothing", async () => {
    const id = await submitted('Not yours')
    const before = await footprint(tdb.db, id)
    for (const browser of [as.otherCoordinator, as.steward, as.contact, as.expert]) {
      const reject = await triagePost(browser, id, {
        intent: 'reject',
        version: 2,
        reason: 'Mine now',
      })
      expect(reject).toMatchObject({ status: 403, thrown: true })
      const route = await triagePost(browser, id, {
        intent: 'route',
        version: 2,
        toOrgId: world.orgs.otherCity.id,
      })
      expect(route).toMatchObject({ status: 403, thrown: true })
    }
    // The list's own coordinator may not route it out of their subtree either.
    const out = await triagePost(as.coordinator, id, {
      intent: 'route',
      version: 2,
      toOrgId: world.orgs.otherCity.id,
    })
    expect(out).toMatchObject({ status: 403, thrown: true })
    expect(await footprint(tdb.db, id)).toEqual(before)
    expect((await listRow(tdb.db, id)).org_id).toBe(world.orgs.district.id)
  })

  it('routes to an org in the subtree', async () => {
    const id = await submitted('Route via page')
    const out = await triagePost(as.coordinator, id, {
      intent: 'route',
      version: 2,
      toOrgId: industry.id,
      reason: 'Industry desk',
    })
    expect(out).toMatchObject({ status: 302, location: `/needs-lists/${id}?triaged=routed` })
    expect(await listRow(tdb.db, id)).toMatchObject({ org_id: industry.id, status: 'submitted' })
    expect(await instanceOf(tdb.db, id)).toMatchObject({ version: 3 })
  })
})

describe('steward assignment pages', () => {
  it('puts the ranked recommendations on the list page of a case awaiting a steward', async () => {
    const id = await awaitingSteward('Needs a steward')
    const out = await call(detail.loader, as.coordinator.get(`/needs-lists/${id}`), ctx, params(id))
    const panel = (out.data as { triage: { steward: { ranked: { userId: number }[] } } }).triage
    expect(panel.steward.ranked.map((r) => r.userId)).toEqual([world.users.steward.id])
    const contactView = await call(
      detail.loader,
      as.contact.get(`/needs-lists/${id}`),
      ctx,
      params(id),
    )
    expect((contactView.data as { triage: unknown }).triage).toBeNull()
  })

  it('assigns from the list page and comes back to it', async () => {
    const id = await awaitingSteward('Assign via page')
    const out = await stewardPost(as.coordinator, world.enterprise.id, {
      intent: 'assign',
      stewardId: world.users.steward.id,
      caseId: id,
      version: 3,
      expectedSteward: 'none',
      redirectTo: `/needs-lists/${id}`,
    })
    expect(out).toMatchObject({ status: 302, location: `/needs-lists/${id}?steward=assigned` })
    expect(await listRow(tdb.db, id)).toMatchObject({
      status: 'confirming',
      steward_user_id: world.users.steward.id,
    })
    expect(await assignmentsOf(world.enterprise.id)).toHaveLength(1)
  })

  it('refuses bad input with 400 and writes nothing', async () => {
    const before = await assignmentsOf(world.enterprise.id)
    const noSteward = await stewardPost(as.coordinator, world.enterprise.id, {
      intent: 'assign',
      expectedSteward: String(world.users.steward.id),
    })
    expect(noSteward.status).toBe(400)
    expect(replyError(noSteward.data)?.stewardId).toEqual(['steward.errors.chooseSteward'])
    const badExpected = await stewardPost(as.coordinator, world.enterprise.id, {
      intent: 'assign',
      stewardId: world.users.steward.id,
      expectedSteward: 'someone',
    })
    expect(badExpected.status).toBe(400)
    // Reassigning needs a reason.
    const cityCoordinatorSteward = await makeUser(tdb.db, {
      email: 'rt-city-steward@zhuqi.test',
      name: 'rt city steward',
      password: TEST_PASSWORD,
      role: 'steward',
      orgId: world.orgs.city.id,
    })
    await upsertStewardProfile(tdb.db, {
      userId: cityCoordinatorSteward.id,
      orgId: world.orgs.city.id,
      capacity: 5,
      districts: [],
      parks: [],
      industries: [],
      active: true,
    })
    const noReason = await stewardPost(as.coordinator, world.enterprise.id, {
      intent: 'assign',
      stewardId: cityCoordinatorSteward.id,
      expectedSteward: String(world.users.steward.id),
    })
    expect(noReason.status).toBe(400)
    expect(replyError(noReason.data)?.['']).toEqual(['steward.errors.reasonRequired'])
    // A stale page (it showed no steward) is a conflict.
    const stale = await stewardPost(as.coordinator, world.enterprise.id, {
      intent: 'assign',
      stewardId: cityCoordinatorSteward.id,
      reason: 'Stale page',
      expectedSteward: 'none',
    })
    expect(stale.status).toBe(409)
    expect(await assignmentsOf(world.enterprise.id)).toEqual(before)
  })

  it("is 403 for other roles, other subtrees' coordinators and stewards out of scope, writing nothing", async () => {
    const before = await assignmentsOf(world.otherEnterprise.id)
    for (const browser of [as.otherCoordinator, as.steward, as.contact, as.expert]) {
      const post = await stewardPost(browser, world.otherEnterprise.id, {
        intent: 'assign',
        stewardId: world.users.steward.id,
        expectedSteward: 'none',
      })
      expect(post).toMatchObject({ status: 403, thrown: true })
      const page = await call(
        enterpriseSteward.loader,
        browser.get(`/enterprises/${world.otherEnterprise.id}/steward`),
        ctx,
        params(world.otherEnterprise.id),
      )
      expect(page).toMatchObject({ status: 403, thrown: true })
    }
    const outOfScope = await stewardPost(as.coordinator, world.otherEnterprise.id, {
      intent: 'assign',
      stewardId: farSteward,
      expectedSteward: 'none',
    })
    expect(outOfScope).toMatchObject({ status: 403, thrown: true })
    const missing = await call(
      enterpriseSteward.loader,
      as.coordinator.get('/enterprises/999999/steward'),
      ctx,
      params(999999),
    )
    expect(missing.status).toBe(404)
    expect(await assignmentsOf(world.otherEnterprise.id)).toEqual(before)
  })

  it('shows the enterprise page with history to its coordinators and its steward', async () => {
    const page = await call(
      enterpriseSteward.loader,
      as.coordinator.get(`/enterprises/${world.enterprise.id}/steward`),
      ctx,
      params(world.enterprise.id),
    )
    expect(page.status).toBe(200)
    const data = page.data as { history: { stewardName: string }[]; canAssign: boolean }
    expect(data.history.map((h) => h.stewardName)).toEqual([world.users.steward.name])
    expect(data.canAssign).toBe(true)
    const own = await call(
      enterpriseSteward.loader,
      as.steward.get(`/enterprises/${world.enterprise.id}/steward`),
      ctx,
      params(world.enterprise.id),
    )
    expect(own.status).toBe(200)
    expect((own.data as { canAssign: boolean }).canAssign).toBe(false)
  })
})

describe('steward management pages', () => {
  it('lists the stewards of the subtree with load and capacity, for coordinators and admins only', async () => {
    const out = await call(stewards.loader, as.coordinator.get('/stewards'), ctx)
    expect(out.status).toBe(200)
    const rows = (out.data as { stewards: { userId: number; load: number; capacity: number }[] })
      .stewards
    expect(rows.find((r) => r.userId === world.users.steward.id)).toMatchObject({
      load: 1,
      capacity: 5,
    })
    expect(rows.map((r) => r.userId)).not.toContain(farSteward)
    for (const browser of [as.steward, as.contact, as.expert]) {
      const denied = await call(stewards.loader, browser.get('/stewards'), ctx)
      expect(denied).toMatchObject({ status: 403, thrown: true })
    }
  })

  it('edits capacity and coverage; refuses bad input and other subtrees', async () => {
    const userId = world.users.steward.id
    const path = `/stewards/${userId}`
    const p = { userId: String(userId) }
    const page = await call(stewardEdit.loader, as.coordinator.get(path), ctx, p)
    expect(page.status).toBe(200)
    const denied = await call(stewardEdit.loader, as.otherCoordinator.get(path), ctx, p)
    expect(denied).toMatchObject({ status: 403, thrown: true })
    const notSteward = await call(
      stewardEdit.loader,
      as.coordinator.get(`/stewards/${world.users.contact.id}`),
      ctx,
      { userId: String(world.users.contact.id) },
    )
    expect(notSteward.status).toBe(404)

    const profileRow = () =>
      tdb.db
        .selectFrom('steward_profile')
        .selectAll()
        .where('user_id', '=', userId)
        .executeTakeFirstOrThrow()
    const before = await profileRow()
    const bad = await call(
      stewardEdit.action,
      as.coordinator.post(path, [
        ['orgId', world.orgs.district.id],
        ['capacity', '0'],
        ['industries', 'Z'],
      ]),
      ctx,
      p,
    )
    expect(bad.status).toBe(400)
    expect(replyError(bad.data)?.capacity).toEqual(['steward.errors.capacity'])
    const foreign = await call(
      stewardEdit.action,
      as.otherCoordinator.post(path, [
        ['orgId', world.orgs.district.id],
        ['capacity', '9'],
      ]),
      ctx,
      p,
    )
    expect(foreign).toMatchObject({ status: 403, thrown: true })
    expect(await profileRow()).toEqual(before)

    const ok = await call(
      stewardEdit.action,
      as.coordinator.post(path, [
        ['orgId', world.orgs.district.id],
        ['capacity', '12'],
        ['districts', 'Bay，Hill、Bay'],
        ['parks', 'Egret Park\nHeron Park'],
        ['industries', 'D'],
        ['industries', 'C'],
        ['active', 'on'],
      ]),
      ctx,
      p,
    )
    expect(ok).toMatchObject({ status: 302, location: '/stewards?saved=1' })
    expect(await profileRow()).toMatchObject({
      capacity: 12,
      districts: ['Bay', 'Hill'],
      parks: ['Egret Park', 'Heron Park'],
      industries: ['C', 'D'],
      active: true,
    })
  })
})

describe('the workspace page', () => {
  it("shows the steward's work and is 403 for everyone else", async () => {
    const out = await call(
      workspace.loader,
      as.steward.get('/workspace?stage=confirming&page=abc'),
      ctx,
    )
    expect(out.status).toBe(200)
    const data = out.data as {
      stage: string | null
      casePage: number
      cases: { title: string; status: string }[]
      waiting: { title: string }[]
      enterprises: { name: string; openCases: number }[]
    }
    expect(data.stage).toBe('confirming')
    expect(data.casePage).toBe(1)
    // Assigning from one case handed the enterprise's other waiting case over too.
    expect(data.cases.map((c) => c.title)).toEqual(['Needs a steward', 'Assign via page'])
    expect(data.waiting.map((c) => c.title)).toEqual(['Needs a steward', 'Assign via page'])
    expect(data.enterprises).toEqual([
      expect.objectContaining({ name: world.enterprise.name, openCases: 2 }),
    ])
    for (const browser of [as.coordinator, as.contact, as.expert]) {
      const denied = await call(workspace.loader, browser.get('/workspace'), ctx)
      expect(denied).toMatchObject({ status: 403, thrown: true })
    }
  })
})
