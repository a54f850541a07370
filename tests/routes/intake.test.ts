import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as intake from '#app/routes/intake.tsx'
import * as detail from '#app/routes/needs-lists.$id._index.tsx'
import { makeEnterprise, makeUser } from '#db/factories.ts'
import { addMembership } from '#db/queries/users.ts'
import type { Principal } from '#workflows/access.ts'
import {
  createNeedsList,
  submitNeedsList,
  triageNeedsList,
} from '#workflows/commands/needs-lists.ts'
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
  ITEMS,
  instanceOf,
  principalOf,
  TEST_PASSWORD,
  type World,
} from '../helpers/world.ts'

type Row = {
  id: number
  title: string
  enterpriseName: string
  itemCount: number
  waitingDays: number
  version: number
}
type Page = {
  lists: Row[]
  page: number
  hasNext: boolean
  scopes: string[]
  notice: string | null
}

const DAY_MS = 24 * 3600 * 1000
const T0 = new Date('2026-03-02T01:00:00Z')
const at = (hours: number) => new Date(T0.getTime() + hours * 3600 * 1000)

let tdb: TestDatabase
let world: World
let ctx: TestContext
/** Submitted lists in the district, oldest first, and in the other city. */
let districtIds: number[]
let otherCityIds: number[]
let otherCityContact: Principal
let as: {
  coordinator: Browser
  otherCoordinator: Browser
  admin: Browser
  twoDesks: Browser
  steward: Browser
  expert: Browser
  contact: Browser
}

async function submittedAt(principal: Principal, title: string, when: Date) {
  const id = await createNeedsList(tdb.db, principal, { title, items: ITEMS }, { now: when })
  await submitNeedsList(tdb.db, principal, id, 1, { now: when })
  return id
}

beforeAll(async () => {
  tdb = await createTestDatabase('routes_intake')
  world = await buildWorld(tdb.db, 'ri')
  ctx = buildContext(tdb.db)
  const { db } = tdb
  const otherEnterprise = await makeEnterprise(db, {
    orgId: world.orgs.otherCity.id,
    name: 'ri far works',
  })
  const farContact = await makeUser(db, {
    email: 'ri-far-contact@zhuqi.test',
    name: 'ri far contact',
    password: TEST_PASSWORD,
    role: 'enterprise_contact',
    orgId: world.orgs.otherCity.id,
    enterpriseId: otherEnterprise.id,
  })
  otherCityContact = await principalOf(db, farContact.id)
  // A coordinator of two sibling subtrees: the district and the other city.
  const twoDesks = await makeUser(db, {
    email: 'ri-two-desks@zhuqi.test',
    name: 'ri two desks',
    password: TEST_PASSWORD,
    role: 'coordinator',
    orgId: world.orgs.otherCity.id,
  })
  await addMembership(db, {
    userId: twoDesks.id,
    orgId: world.orgs.district.id,
    role: 'coordinator',
  })
  const expert = await makeUser(db, {
    email: 'ri-expert@zhuqi.test',
    name: 'ri expert',
    password: TEST_PASSWORD,
    role: 'expert',
    orgId: world.orgs.city.id,
  })

  // 21 submitted district lists, one hour apart, created newest first so ids do not give the order away.
  districtIds = []
  for (let i = 20; i >= 0; i--) {
    districtIds[i] = await submittedAt(world.principals.contact, `District list ${i}`, at(i))
  }
  // Two in the other city, interleaved in time with the district's.
  otherCityIds = [
    await submittedAt(otherCityContact, 'Far list A', at(0.5)),
    await submittedAt(otherCityContact, 'Far list B', at(19.5)),
  ]
  // Not waiting for intake: a draft, and an accepted list.
  await draftList(tdb.db, world, 'Still a draft')
  const accepted = await submittedAt(world.principals.contact, 'Accepted already', at(-5))
  await triageNeedsList(db, world.principals.coordinator, accepted, { type: 'ACCEPT' }, 2)

  as = {
    coordinator: await signIn(ctx, world.users.coordinator.id),
    otherCoordinator: await signIn(ctx, world.users.otherCoordinator.id),
    admin: await signIn(ctx, world.users.admin.id),
    twoDesks: await signIn(ctx, twoDesks.id),
    steward: await signIn(ctx, world.users.steward.id),
    expert: await signIn(ctx, expert.id),
    contact: await signIn(ctx, world.users.contact.id),
  }
})

afterAll(async () => {
  await tdb?.drop()
})

async function queue(browser: Browser, search = ''): Promise<Page> {
  const out = await call(intake.loader, browser.get(`/intake${search}`), ctx)
  expect(out.status).toBe(200)
  return out.data as Page
}

describe('the intake queue', () => {
  it('sends anonymous visitors to sign in', async () => {
    const out = await call(intake.loader, (await anonymous(ctx)).get('/intake?page=2'), ctx)
    expect(out.status).toBe(302)
    expect(out.location).toBe(`/sign-in?${new URLSearchParams({ redirectTo: '/intake?page=2' })}`)
  })

  it('is 403 for experts, stewards and enterprise contacts', async () => {
    for (const browser of [as.expert, as.steward, as.contact]) {
      const out = await call(intake.loader, browser.get('/intake'), ctx)
      expect(out.status).toBe(403)
      expect(out.thrown).toBe(true)
    }
  })

  it("shows the coordinator's subtree, submitted only, oldest first, 20 a page", async () => {
    ctx.setNow(new Date(T0.getTime() + 3 * DAY_MS + 2 * 3600 * 1000))
    try {
      const first = await queue(as.coordinator)
      expect(first.page).toBe(1)
      expect(first.hasNext).toBe(true)
      expect(first.lists.map((l) => l.id)).toEqual(districtIds.slice(0, intake.PAGE_SIZE))
      expect(first.lists[0]).toMatchObject({
        title: 'District list 0',
        enterpriseName: world.enterprise.name,
        itemCount: ITEMS.length,
        waitingDays: 3,
        version: 2,
      })
      expect(first.scopes).toEqual([world.orgs.city.name])

      const second = await queue(as.coordinator, '?page=2')
      expect(second).toMatchObject({ page: 2, hasNext: false })
      expect(second.lists.map((l) => l.id)).toEqual(districtIds.slice(intake.PAGE_SIZE))

      // A nonsense page number is page 1.
      expect((await queue(as.coordinator, '?page=abc')).page).toBe(1)
      expect((await queue(as.coordinator, '?page=0')).page).toBe(1)
    } finally {
      ctx.setNow(null)
    }
  })

  it('shows a coordinator of another subtree nothing of the district', async () => {
    const page = await queue(as.otherCoordinator)
    expect(page.lists.map((l) => l.id)).toEqual(otherCityIds)
  })

  it('shows a federation admin the whole province', async () => {
    const first = await queue(as.admin)
    const second = await queue(as.admin, '?page=2')
    const all = [...first.lists, ...second.lists].map((l) => l.id)
    expect(all).toHaveLength(districtIds.length + otherCityIds.length)
    expect(new Set(all)).toEqual(new Set([...districtIds, ...otherCityIds]))
  })

  it('merges several subtrees in submission order across pages', async () => {
    const expected = [
      districtIds[0],
      otherCityIds[0],
      ...districtIds.slice(1, 20),
      otherCityIds[1],
      districtIds[20],
    ]
    const first = await queue(as.twoDesks)
    const second = await queue(as.twoDesks, '?page=2')
    expect(first.hasNext).toBe(true)
    expect(second.hasNext).toBe(false)
    expect([...first.lists, ...second.lists].map((l) => l.id)).toEqual(expected)
    expect(first.scopes.sort()).toEqual(
      [world.orgs.district.name, world.orgs.otherCity.name].sort(),
    )
  })

  it('triages in place through the list action and comes back with a notice', async () => {
    const page = await queue(as.coordinator)
    const row = page.lists[0] as Row
    const out = await call(
      detail.action,
      as.coordinator.post(`/needs-lists/${row.id}`, {
        intent: 'accept',
        version: row.version,
        redirectTo: '/intake',
      }),
      ctx,
      { id: String(row.id) },
    )
    expect(out.status).toBe(302)
    expect(out.location).toBe('/intake?done=accepted')
    expect(await instanceOf(tdb.db, row.id)).toMatchObject({ state: 'awaiting_steward' })

    const after = await call(intake.loader, as.coordinator.get('/intake?done=accepted'), ctx)
    const data = after.data as Page
    expect(data.notice).toBe('needsList.accepted')
    expect(data.lists.map((l) => l.id)).not.toContain(row.id)

    // Returning without a reason is refused and changes nothing.
    const next = data.lists[0] as Row
    const before = await footprint(tdb.db, next.id)
    const refused = await call(
      detail.action,
      as.coordinator.post(`/needs-lists/${next.id}`, {
        intent: 'return',
        version: next.version,
        reason: '',
        redirectTo: '/intake',
      }),
      ctx,
      { id: String(next.id) },
    )
    expect(refused.status).toBe(400)
    expect(await footprint(tdb.db, next.id)).toEqual(before)
  })
})
