import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BREAKDOWN_ROWS } from '#app/components/dashboard/format.ts'
import { tFor } from '#app/i18n/i18n.server.ts'
import * as overview from '#app/routes/dashboard._index.tsx'
import * as experts from '#app/routes/dashboard.experts.tsx'
import * as stewards from '#app/routes/dashboard.stewards.tsx'
import * as targets from '#app/routes/dashboard.targets.tsx'
import * as layout from '#app/routes/dashboard.tsx'
import { makeUser } from '#db/factories.ts'
import {
  createNeedsList,
  submitNeedsList,
  triageNeedsList,
} from '#workflows/commands/needs-lists.ts'
import { currentYear } from '#workflows/dashboard/period.ts'
import {
  type Browser,
  buildContext,
  call,
  signIn,
  type TestContext,
} from '../helpers/route-context.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts'
import { buildWorld, ITEMS, TEST_PASSWORD, type World } from '../helpers/world.ts'

let tdb: TestDatabase
let world: World
let ctx: TestContext
let as: Record<
  'admin' | 'cityAdmin' | 'coordinator' | 'districtCoordinator' | 'steward' | 'contact',
  Browser
>
let year: number

beforeAll(async () => {
  tdb = await createTestDatabase('routes_dashboard')
  world = await buildWorld(tdb.db, 'rdb')
  ctx = buildContext(tdb.db)
  const user = (key: string, role: 'federation_admin' | 'coordinator', orgId: number) =>
    makeUser(tdb.db, {
      email: `rdb-${key}@zhuqi.test`,
      name: `rdb ${key}`,
      password: TEST_PASSWORD,
      role,
      orgId,
    })
  const cityAdmin = await user('city-admin', 'federation_admin', world.orgs.city.id)
  const districtCoordinator = await user(
    'district-coordinator',
    'coordinator',
    world.orgs.district.id,
  )
  const u = world.users
  as = {
    admin: await signIn(ctx, u.admin.id),
    cityAdmin: await signIn(ctx, cityAdmin.id),
    coordinator: await signIn(ctx, u.coordinator.id),
    districtCoordinator: await signIn(ctx, districtCoordinator.id),
    steward: await signIn(ctx, u.steward.id),
    contact: await signIn(ctx, u.contact.id),
  }
  // Two open cases waiting for a steward: the pipeline has something to draw.
  for (const title of ['Dashboard case one', 'Dashboard case two']) {
    const id = await createNeedsList(tdb.db, world.principals.contact, { title, items: ITEMS })
    await submitNeedsList(tdb.db, world.principals.contact, id, 1)
    await triageNeedsList(tdb.db, world.principals.coordinator, id, { type: 'ACCEPT' }, 2)
  }
  year = currentYear(new Date()).year
}, 60_000)

afterAll(async () => {
  await tdb?.drop()
})

type Chart = { svg: string; width: number; height: number } | null
type OverviewData = {
  frame: { org: { id: number; name: string }; trail: { id: number }[]; asOf: Date }
  org: { id: number; name: string }
  period: { key: string }
  pipeline: { open: number; byStage: { stage: string; cases: number }[] }
  charts: { funnel: Chart; trend: Chart; breakdown: Record<string, Chart> }
  children: { org: { id: number } }[]
}
type LayoutData = {
  orgId: number | null
  period: { key: string }
  notices: { kind: string; value: string }[]
  orgs: { id: number }[]
}
type TargetsData = {
  canEdit: boolean
  year: number
  rows: { metric: string; target: string | null; childrenTarget: string | null }[]
  notice: string | null
}

const get = (fn: Parameters<typeof call>[0], browser: Browser, path: string) =>
  call(fn, browser.get(path), ctx)

describe('dashboard pages: who sees what', () => {
  it('are for coordinators and federation admins only', async () => {
    for (const browser of [as.steward, as.contact]) {
      expect((await get(layout.loader, browser, '/dashboard')).status).toBe(403)
      expect((await get(overview.loader, browser, '/dashboard')).status).toBe(403)
    }
  })

  it('a district coordinator cannot see the city (403), only their own subtree', async () => {
    const city = world.orgs.city.id
    for (const [fn, path] of [
      [overview.loader, '/dashboard'],
      [stewards.loader, '/dashboard/stewards'],
      [experts.loader, '/dashboard/experts'],
      [targets.loader, '/dashboard/targets'],
    ] as const) {
      const out = await get(fn, as.districtCoordinator, `${path}?org=${city}&period=${year}`)
      expect(out.status, path).toBe(403)
    }
    const own = await get(overview.loader, as.districtCoordinator, '/dashboard')
    expect(own.status).toBe(200)
    const data = own.data as OverviewData
    expect(data.org.id).toBe(world.orgs.district.id)
    // The trail starts at the top of what the viewer may see.
    expect(data.frame.trail.map((o) => o.id)).toEqual([world.orgs.district.id])
    const frame = (await get(layout.loader, as.districtCoordinator, '/dashboard'))
      .data as LayoutData
    expect(frame.orgs.map((o) => o.id)).toEqual([world.orgs.district.id])
  })

  it('the city coordinator drills down from the city to the district', async () => {
    const out = await get(overview.loader, as.coordinator, `/dashboard?period=${year}`)
    expect(out.status).toBe(200)
    const data = out.data as OverviewData
    expect(data.org.id).toBe(world.orgs.city.id)
    expect(data.children.map((c) => c.org.id)).toEqual([world.orgs.district.id])
    const down = await get(
      overview.loader,
      as.coordinator,
      `/dashboard?org=${world.orgs.district.id}&period=${year}`,
    )
    expect(down.status).toBe(200)
    expect((down.data as OverviewData).frame.trail.map((o) => o.id)).toEqual([
      world.orgs.city.id,
      world.orgs.district.id,
    ])
  })
})

describe('dashboard query parameters', () => {
  it('malformed period and org fall back to the defaults with a notice, never a 500', async () => {
    for (const query of [
      '?period=2026-13&org=abc',
      '?period=<script>&org=-1',
      '?period=1999&org=99999999999999',
      '?period=2026-Q5&org=1.5',
    ]) {
      const frame = await get(layout.loader, as.coordinator, `/dashboard${query}`)
      expect(frame.status, query).toBe(200)
      const f = frame.data as LayoutData
      expect(f.notices.map((n) => n.kind).sort(), query).toEqual(['badOrg', 'badPeriod'])
      expect(f.period.key).toBe(String(year))
      expect(f.orgId).toBe(world.orgs.city.id)

      const page = await get(overview.loader, as.coordinator, `/dashboard${query}`)
      expect(page.status, query).toBe(200)
      const data = page.data as OverviewData
      expect(data.period.key).toBe(String(year))
      expect(data.org.id).toBe(world.orgs.city.id)

      for (const [fn, path] of [
        [stewards.loader, '/dashboard/stewards'],
        [experts.loader, '/dashboard/experts'],
        [targets.loader, '/dashboard/targets'],
      ] as const) {
        expect((await get(fn, as.coordinator, `${path}${query}`)).status, path).toBe(200)
      }
    }
    // The notices have their texts in both languages.
    for (const lng of ['zh-CN', 'en'] as const) {
      for (const key of ['dashboard.notice.badPeriod', 'dashboard.notice.badOrg']) {
        expect(tFor(lng)(key)).not.toBe(key)
      }
    }
  })

  it('good parameters show no notice; bad page and sort values are ignored', async () => {
    const frame = await get(
      layout.loader,
      as.coordinator,
      `/dashboard?org=${world.orgs.city.id}&period=${year}-Q2`,
    )
    expect((frame.data as LayoutData).notices).toEqual([])
    expect((frame.data as LayoutData).period.key).toBe(`${year}-Q2`)
    const list = await get(stewards.loader, as.coordinator, '/dashboard/stewards?page=x&sort=;drop')
    expect(list.status).toBe(200)
    expect((list.data as { page: number; sort: string }).page).toBe(1)
    expect((list.data as { sort: string }).sort).toBe('rank')
  })

  it('the period picker (separate selects) redirects to the canonical period', async () => {
    const org = world.orgs.city.id
    const cases: [string, string][] = [
      [`year=2026&quarter=4&month=`, '2026-Q4'],
      [`year=2026&quarter=&month=11`, '2026-11'],
      [`year=2026&quarter=2&month=5`, '2026-05'],
      [`year=2026&quarter=&month=`, '2026'],
    ]
    for (const [query, period] of cases) {
      const out = await get(overview.loader, as.coordinator, `/dashboard?org=${org}&${query}`)
      expect(out.status, query).toBe(302)
      const next = new URL(out.location ?? '', 'http://x')
      expect(next.pathname).toBe('/dashboard')
      expect(next.searchParams.get('period')).toBe(period)
      expect(next.searchParams.get('org')).toBe(String(org))
    }
    // A year the picker cannot hold falls back like any bad period.
    const bad = await get(layout.loader, as.coordinator, `/dashboard/stewards?org=${org}&year=abc`)
    expect(bad.status).toBe(302)
    const after = await get(layout.loader, as.coordinator, bad.location ?? '')
    expect((after.data as LayoutData).notices.map((n) => n.kind)).toEqual(['badPeriod'])
  })
})

describe('the overview', () => {
  it('returns the charts as server-rendered SVG with translated labels', async () => {
    const out = await get(overview.loader, as.coordinator, `/dashboard?period=${year}`)
    expect(out.status).toBe(200)
    const data = out.data as OverviewData
    expect(data.pipeline.open).toBe(2)
    const funnel = data.charts.funnel
    expect(funnel?.svg.startsWith('<svg')).toBe(true)
    // The stage name in Chinese (the default language), written in the SVG.
    expect(funnel?.svg).toContain('待分配管家')
    expect(data.charts.trend?.svg.startsWith('<svg')).toBe(true)
    // Patterns on the series keep them apart in greyscale print.
    expect(data.charts.trend?.svg).toContain('<pattern')
    // No animation remains in a server-rendered chart.
    expect(funnel?.svg).not.toContain('<animate')
    expect(data.frame.asOf).toBeInstanceOf(Date)
  })

  it('in English, the chart labels are English', async () => {
    const request = as.coordinator.get(`/dashboard?period=${year}`)
    request.headers.set('Cookie', `${request.headers.get('Cookie')}; lng=${btoa('"en"')}`)
    const out = await call(overview.loader, request, ctx)
    expect(out.status).toBe(200)
    const data = out.data as OverviewData
    expect(data.charts.funnel?.svg).toContain('Awaiting a steward')
  })

  it('lists the largest keys of a breakdown and says how many more there are', async () => {
    // A case counts once per tag of its enterprise: 17 tags make 17 keys.
    const tags = Array.from({ length: BREAKDOWN_ROWS + 2 }, (_, i) => `rdb-tag-${i}`)
    const before = await tdb.db
      .selectFrom('enterprise')
      .select('tags')
      .where('id', '=', world.enterprise.id)
      .executeTakeFirstOrThrow()
    await tdb.db
      .updateTable('enterprise')
      .set({ tags })
      .where('id', '=', world.enterprise.id)
      .execute()
    try {
      const out = await get(overview.loader, as.coordinator, `/dashboard?period=${year}`)
      const data = out.data as OverviewData & {
        breakdowns: Record<string, { key: string }[]>
        breakdownMore: Record<string, number>
      }
      expect(data.breakdowns.tag).toHaveLength(BREAKDOWN_ROWS)
      expect(data.breakdownMore.tag).toBe(2)
      expect(data.breakdownMore.district).toBe(0)
    } finally {
      await tdb.db
        .updateTable('enterprise')
        .set({ tags: before.tags })
        .where('id', '=', world.enterprise.id)
        .execute()
    }
  })
})

describe('yearly targets', () => {
  const path = (orgId: number) => `/dashboard/targets?org=${orgId}&period=${year}`
  const targetRows = () =>
    tdb.db.selectFrom('org_target').selectAll().orderBy('org_id').orderBy('metric').execute()
  const fields = (orgId: number, values: Record<string, string>) => ({
    orgId,
    year,
    enterprises_served: '',
    problems_solved: '',
    expert_participations: '',
    workers_trained: '',
    benefit_yuan: '',
    agreements_signed: '',
    ...values,
  })

  it('coordinators see them read-only and may not post (403, nothing written)', async () => {
    const page = await get(targets.loader, as.coordinator, path(world.orgs.city.id))
    expect(page.status).toBe(200)
    expect((page.data as TargetsData).canEdit).toBe(false)
    const out = await call(
      targets.action,
      as.coordinator.post(
        path(world.orgs.city.id),
        fields(world.orgs.city.id, { problems_solved: '5' }),
      ),
      ctx,
    )
    expect(out.status).toBe(403)
    // A forged post without the CSRF token.
    const forged = await call(
      targets.action,
      as.cityAdmin.post(
        path(world.orgs.city.id),
        fields(world.orgs.city.id, { problems_solved: '5' }),
        { csrf: null },
      ),
      ctx,
    )
    expect(forged.status).toBe(403)
    expect(await targetRows()).toEqual([])
  })

  it('a city admin may not set the province targets (403)', async () => {
    const out = await call(
      targets.action,
      as.cityAdmin.post(
        path(world.orgs.province.id),
        fields(world.orgs.province.id, { problems_solved: '5' }),
      ),
      ctx,
    )
    expect(out.status).toBe(403)
    expect(await targetRows()).toEqual([])
  })

  it('bad values get a translated error and change nothing', async () => {
    const out = await call(
      targets.action,
      as.cityAdmin.post(
        path(world.orgs.city.id),
        fields(world.orgs.city.id, {
          problems_solved: '12',
          workers_trained: '-3',
          benefit_yuan: '12.345',
        }),
      ),
      ctx,
    )
    expect(out.status).toBe(400)
    const result = (out.data as { result: { error?: Record<string, string[] | null> } }).result
    expect(result.error?.workers_trained?.[0]).toBe('dashboard.errors.targetCount')
    expect(result.error?.benefit_yuan?.[0]).toBe('dashboard.errors.targetYuan')
    for (const lng of ['zh-CN', 'en'] as const) {
      for (const key of ['dashboard.errors.targetCount', 'dashboard.errors.targetYuan']) {
        expect(tFor(lng)(key)).not.toBe(key)
      }
    }
    expect(await targetRows()).toEqual([])
  })

  it('an admin saves targets; the page and the overview show them; blank removes one', async () => {
    const city = world.orgs.city.id
    const page0 = await get(targets.loader, as.cityAdmin, path(city))
    expect((page0.data as TargetsData).canEdit).toBe(true)
    const saved = await call(
      targets.action,
      as.cityAdmin.post(
        path(city),
        fields(city, { problems_solved: '12', benefit_yuan: '1,234.5', agreements_signed: '0' }),
      ),
      ctx,
    )
    expect(saved.status).toBe(302)
    expect(saved.location).toContain('done=saved')
    const page = await get(targets.loader, as.cityAdmin, saved.location ?? '')
    const data = page.data as TargetsData
    expect(data.notice).toBe('dashboard.targets.saved')
    const target = (m: string) => data.rows.find((r) => r.metric === m)?.target
    expect(target('problems_solved')).toBe('12')
    expect(target('benefit_yuan')).toBe('1234.50')
    expect(target('agreements_signed')).toBe('0')
    expect(target('workers_trained')).toBeNull()

    // The province admin sees the city's targets summed as the children's.
    const province = await get(targets.loader, as.admin, path(world.orgs.province.id))
    const rows = (province.data as TargetsData).rows
    expect(rows.find((r) => r.metric === 'problems_solved')?.childrenTarget).toBe('12')

    const view = await get(overview.loader, as.cityAdmin, `/dashboard?org=${city}&period=${year}`)
    const progress = (view.data as { targets: { metric: string; target: string | null }[] }).targets
    expect(progress.find((r) => r.metric === 'problems_solved')?.target).toBe('12')

    const cleared = await call(
      targets.action,
      as.cityAdmin.post(
        path(city),
        fields(city, { benefit_yuan: '1234.50', agreements_signed: '0' }),
      ),
      ctx,
    )
    expect(cleared.status).toBe(302)
    const after = (await get(targets.loader, as.cityAdmin, path(city))).data as TargetsData
    expect(after.rows.find((r) => r.metric === 'problems_solved')?.target).toBeNull()
    expect(after.rows.find((r) => r.metric === 'benefit_yuan')?.target).toBe('1234.50')
  })
})
