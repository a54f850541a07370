import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as matching from '#app/routes/admin.matching.tsx'
import { makeExpert, makeUser } from '#db/factories.ts'
import { DEFAULT_WEIGHTS } from '#workflows/matching/index.ts'
import { WEIGHT_FACTORS } from '#workflows/matching-weights.schema.ts'
import {
  anonymous,
  type Browser,
  buildContext,
  call,
  signIn,
  type TestContext,
} from '../helpers/route-context.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts'
import { buildWorld, TEST_PASSWORD, type World } from '../helpers/world.ts'

let tdb: TestDatabase
let world: World
let ctx: TestContext
let as: Record<
  'contact' | 'coordinator' | 'steward' | 'expert' | 'admin' | 'cityAdmin' | 'otherCityAdmin',
  Browser
>

beforeAll(async () => {
  tdb = await createTestDatabase('routes_matching_weights')
  world = await buildWorld(tdb.db, 'rmw')
  ctx = buildContext(tdb.db)
  const user = (key: string, role: 'federation_admin' | 'expert', orgId: number) =>
    makeUser(tdb.db, {
      email: `rmw-${key}@zhuqi.test`,
      name: `rmw ${key}`,
      password: TEST_PASSWORD,
      role,
      orgId,
    })
  const cityAdmin = await user('city-admin', 'federation_admin', world.orgs.city.id)
  const otherCityAdmin = await user('other-city-admin', 'federation_admin', world.orgs.otherCity.id)
  const expert = await user('expert', 'expert', world.orgs.city.id)
  await makeExpert(tdb.db, {
    orgId: world.orgs.city.id,
    userId: expert.id,
    name: 'rmw expert',
    mobile: '13900000001',
  })
  const u = world.users
  as = {
    contact: await signIn(ctx, u.contact.id),
    coordinator: await signIn(ctx, u.coordinator.id),
    steward: await signIn(ctx, u.steward.id),
    expert: await signIn(ctx, expert.id),
    admin: await signIn(ctx, u.admin.id),
    cityAdmin: await signIn(ctx, cityAdmin.id),
    otherCityAdmin: await signIn(ctx, otherCityAdmin.id),
  }
})

afterAll(async () => {
  await tdb?.drop()
})

type FactorRow = {
  factor: string
  value: number
  source: { kind: string; orgName?: string }
  ifReset: number
}
type WeightsPage = {
  org: { id: number; name: string }
  orgs: { id: number }[]
  factors: FactorRow[]
  own: boolean
  row: { orgName: string; updatedByName: string | null } | null
  notice: string | null
}

function replyOf(data: unknown) {
  return (data as { result: { error?: Record<string, string[] | null> } }).result
}

const rows = () => tdb.db.selectFrom('matching_weights').selectAll().orderBy('org_id').execute()

const valid = {
  skill: 50,
  proficiency: 10,
  honour: 5,
  proximity: 20,
  availability: 10,
  load: 8,
  rating: 2.5,
  continuity: 0,
  volunteer: 25,
}

const post = (browser: Browser, fields: Record<string, string | number>, csrf?: string | null) =>
  call(matching.action, browser.post('/admin/matching', fields, { csrf }), ctx)

async function page(browser: Browser, query = '') {
  const out = await call(matching.loader, browser.get(`/admin/matching${query}`), ctx)
  expect(out.status).toBe(200)
  return out.data as WeightsPage
}

describe('the matching weights admin page', () => {
  it('is for federation admins only (403 for everyone else, nothing written)', async () => {
    const save = { intent: 'save', orgId: world.orgs.city.id, ...valid }
    for (const browser of [as.contact, as.coordinator, as.steward, as.expert]) {
      expect((await call(matching.loader, browser.get('/admin/matching'), ctx)).status).toBe(403)
      expect((await post(browser, save)).status).toBe(403)
    }
    const anon = await anonymous(ctx)
    expect((await call(matching.loader, anon.get('/admin/matching'), ctx)).status).toBe(302)
    expect((await post(as.admin, save, null)).status).toBe(403)
    expect(await rows()).toEqual([])
  })

  it('shows the nine weights with their defaults, sets them for an org, its subtree inherits, reset inherits again', async () => {
    const fresh = await page(as.admin)
    expect(fresh.org.id).toBe(world.orgs.province.id)
    expect(fresh.factors.map((f) => f.factor)).toEqual([...WEIGHT_FACTORS])
    expect(fresh.factors.map((f) => f.value)).toEqual(WEIGHT_FACTORS.map((f) => DEFAULT_WEIGHTS[f]))
    expect(fresh.factors.every((f) => f.source.kind === 'default')).toBe(true)
    expect(fresh.own).toBe(false)

    const saved = await post(as.admin, { intent: 'save', orgId: world.orgs.city.id, ...valid })
    expect(saved.status).toBe(302)
    expect(saved.location).toBe(`/admin/matching?org=${world.orgs.city.id}&done=saved`)
    expect(await rows()).toMatchObject([
      { org_id: world.orgs.city.id, weights: valid, updated_by: world.users.admin.id },
    ])
    const city = await page(as.cityAdmin, `?org=${world.orgs.city.id}&done=saved`)
    expect(city.notice).toBe('matchingWeights.saved')
    expect(city.own).toBe(true)
    expect(city.row).toMatchObject({ orgName: world.orgs.city.name, updatedByName: 'rmw admin' })
    expect(city.factors.find((f) => f.factor === 'rating')).toEqual({
      factor: 'rating',
      value: 2.5,
      source: { kind: 'own' },
      ifReset: DEFAULT_WEIGHTS.rating,
    })
    const district = await page(as.cityAdmin, `?org=${world.orgs.district.id}`)
    expect(district.own).toBe(false)
    expect(district.factors.find((f) => f.factor === 'skill')).toMatchObject({
      value: 50,
      source: { kind: 'inherited', orgName: world.orgs.city.name },
      ifReset: 50,
    })

    const reset = await post(as.cityAdmin, { intent: 'reset', orgId: world.orgs.city.id })
    expect(reset.location).toBe(`/admin/matching?org=${world.orgs.city.id}&done=wasReset`)
    expect(await rows()).toEqual([])
    expect((await page(as.admin, `?org=${world.orgs.district.id}`)).factors[0]?.source.kind).toBe(
      'default',
    )
  })

  it('validates every weight (400, translated, nothing written)', async () => {
    const base = { intent: 'save', orgId: world.orgs.city.id, ...valid }
    const cases: [Record<string, string | number>, string, string][] = [
      [{ ...base, skill: 0 }, 'skill', 'matchingWeights.errors.skillPositive'],
      [{ ...base, load: -1 }, 'load', 'matchingWeights.errors.weight'],
      [{ ...base, honour: 100.5 }, 'honour', 'matchingWeights.errors.weight'],
      [{ ...base, rating: 'lots' }, 'rating', 'matchingWeights.errors.weight'],
      [{ ...base, rating: 'Infinity' }, 'rating', 'matchingWeights.errors.weight'],
      [{ ...base, proximity: 1.234 }, 'proximity', 'matchingWeights.errors.weight'],
      [{ ...base, volunteer: '' }, 'volunteer', 'matchingWeights.errors.weight'],
    ]
    for (const [fields, field, key] of cases) {
      const out = await post(as.admin, fields)
      expect(out.status, JSON.stringify(fields)).toBe(400)
      expect(replyOf(out.data).error?.[field], JSON.stringify(fields)).toEqual([key])
    }
    const { continuity: _left, ...missing } = base
    const noContinuity = await post(as.admin, missing)
    expect(noContinuity.status).toBe(400)
    expect(replyOf(noContinuity.data).error?.continuity).toEqual(['matchingWeights.errors.weight'])
    expect((await post(as.admin, { ...base, intent: 'tune' })).status).toBe(400)
    expect((await post(as.admin, { ...base, orgId: 'city' })).status).toBe(400)

    const unknown = await post(as.admin, { ...base, orgId: 999_999 })
    expect(unknown.status).toBe(400)
    expect(replyOf(unknown.data).error?.['']).toEqual(['matchingWeights.errors.unknownOrg'])
    const nothing = await post(as.admin, { intent: 'reset', orgId: world.orgs.city.id })
    expect(nothing.status).toBe(400)
    expect(replyOf(nothing.data).error?.['']).toEqual(['matchingWeights.errors.noOwnWeights'])
    expect(await rows()).toEqual([])
  })

  it('an admin manages only the orgs of their own subtree', async () => {
    for (const orgId of [world.orgs.province.id, world.orgs.otherCity.id]) {
      expect((await post(as.cityAdmin, { intent: 'save', orgId, ...valid })).status).toBe(403)
      expect((await post(as.cityAdmin, { intent: 'reset', orgId })).status).toBe(403)
      expect(
        (await call(matching.loader, as.cityAdmin.get(`/admin/matching?org=${orgId}`), ctx)).status,
      ).toBe(403)
    }
    expect(
      (
        await call(
          matching.loader,
          as.otherCityAdmin.get(`/admin/matching?org=${world.orgs.district.id}`),
          ctx,
        )
      ).status,
    ).toBe(403)
    expect(
      (await call(matching.loader, as.admin.get('/admin/matching?org=999999'), ctx)).status,
    ).toBe(404)
    expect((await page(as.cityAdmin, '?org=abc')).org.id).toBe(world.orgs.city.id)
    // Beyond PostgreSQL's integer: not an id, so no database error either.
    expect((await page(as.cityAdmin, '?org=99999999999')).org.id).toBe(world.orgs.city.id)
    expect(await rows()).toEqual([])
  })
})
