import ExcelJS from 'exceljs'
import i18next from 'i18next'
import { createElement } from 'react'
import { renderToString } from 'react-dom/server'
import { I18nextProvider, initReactI18next } from 'react-i18next'
import { createMemoryRouter, RouterProvider } from 'react-router-dom'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { i18nOptions } from '#app/i18n/config.ts'
import * as page from '#app/routes/reports.periodic.tsx'
import * as xlsx from '#app/routes/reports.periodic[.]xlsx.ts'
import { makeEnterprise } from '#db/factories.ts'
import { refreshDashboard } from '#db/queries/dashboard/refresh.ts'
import { beijingMonth } from '#workflows/dashboard/period.ts'
import {
  type Browser,
  buildContext,
  call,
  signIn,
  type TestContext,
} from '../helpers/route-context.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts'
import { buildWorld, type World } from '../helpers/world.ts'

let tdb: TestDatabase
let world: World
let ctx: TestContext
let as: Record<'admin' | 'coordinator' | 'otherCoordinator' | 'contact' | 'steward', Browser>
const NOW = new Date('2026-11-15T04:00:00Z')

beforeAll(async () => {
  tdb = await createTestDatabase('periodic_routes')
  world = await buildWorld(tdb.db, 'prr')
  // A case closed in November (Beijing) at the district, straight in the real tables.
  const [list] = await tdb.db
    .insertInto('needs_list')
    .values({
      enterprise_id: world.enterprise.id,
      org_id: world.orgs.district.id,
      title: '注塑车间节能改造',
      status: 'archived',
      created_by: world.users.contact.id,
      submitted_at: new Date('2026-10-08T02:00:00Z'),
      closed_at: new Date('2026-11-10T06:00:00Z'),
      archived_at: new Date('2026-11-10T06:00:00Z'),
    })
    .returning('id')
    .execute()
  if (!list) throw new Error('no case')
  await makeEnterprise(tdb.db, { orgId: world.orgs.otherCity.id, name: 'prr 别处企业' })
  await refreshDashboard(tdb.db, NOW)
  ctx = buildContext(tdb.db)
  ctx.setNow(NOW)
  const u = world.users
  as = {
    admin: await signIn(ctx, u.admin.id),
    coordinator: await signIn(ctx, u.coordinator.id),
    otherCoordinator: await signIn(ctx, u.otherCoordinator.id),
    contact: await signIn(ctx, u.contact.id),
    steward: await signIn(ctx, u.steward.id),
  }
})

afterAll(async () => {
  await tdb?.drop()
})

type PageData = Awaited<ReturnType<typeof page.loader>>

async function render(data: PageData, lng: 'zh-CN' | 'en' = 'zh-CN'): Promise<string> {
  const i18n = i18next.createInstance()
  await i18n.use(initReactI18next).init(i18nOptions(lng))
  const router = createMemoryRouter(
    [{ id: 'periodic', path: '/reports/periodic', Component: page.default, loader: () => data }],
    {
      initialEntries: ['/reports/periodic'],
      hydrationData: { loaderData: { periodic: data } },
    },
  )
  // Router links use layout effects, which a server render reports and skips.
  const error = console.error
  console.error = (...args: unknown[]) => {
    if (!String(args[0]).includes('useLayoutEffect')) error(...args)
  }
  try {
    return renderToString(
      createElement(I18nextProvider, { i18n }, createElement(RouterProvider, { router })),
    )
  } finally {
    console.error = error
  }
}

describe('/reports/periodic', () => {
  it('shows the report of the viewer’s union for this year by default, with its title', async () => {
    const res = await call(page.loader, as.admin.get('/reports/periodic'), ctx)
    expect(res.status).toBe(200)
    const data = res.data as PageData
    expect(data.report.org.id).toBe(world.orgs.province.id)
    expect(data.report.period.key).toBe(beijingMonth(NOW).slice(0, 4))
    expect(data.report.title.zh).toBe(`${world.orgs.province.name}劳模工匠助企行工作2026年度报表`)
    expect(data.notices).toEqual([])
    expect(data.report.casesTotal).toBe(1)
    expect(data.report.overview.figures.casesClosed).toBe(1)
    const html = await render(data)
    expect(html).toContain('注塑车间节能改造')
    expect(html).toContain(`${world.orgs.province.name}劳模工匠助企行工作2026年度报表`)
    expect(html).toContain('打印')
    expect(html).toContain(`/reports/periodic.xlsx?org=${world.orgs.province.id}&amp;period=2026`)
    const en = await render(data, 'en')
    expect(en).toContain('Annual Report on Model Workers and Craftsmen Serving Enterprises, 2026')
  })

  it('reports a quarter or a month of a union below', async () => {
    const res = await call(
      page.loader,
      as.coordinator.get(`/reports/periodic?org=${world.orgs.district.id}&period=2026-11`),
      ctx,
    )
    const data = res.data as PageData
    expect(data.report.title.zh).toBe(`${world.orgs.district.name}劳模工匠助企行工作2026年11月报表`)
    const q = await call(
      page.loader,
      as.coordinator.get(`/reports/periodic?org=${world.orgs.city.id}&period=2026-Q4`),
      ctx,
    )
    expect((q.data as PageData).report.title.zh).toBe(
      `${world.orgs.city.name}劳模工匠助企行工作2026年第四季度报表`,
    )
  })

  it('falls back on a bad period or org and says so, never failing', async () => {
    for (const query of ['period=2026-13', 'period=abc', 'period=1999', 'period=2026-Q5']) {
      const res = await call(page.loader, as.admin.get(`/reports/periodic?${query}`), ctx)
      expect(res.status, query).toBe(200)
      const data = res.data as PageData
      expect(data.report.period.key).toBe('2026')
      expect(data.notices.map((n) => n.key)).toEqual(['periodic.notice.badPeriod'])
      const html = await render(data)
      expect(html).toContain('无法识别')
    }
    const res = await call(page.loader, as.admin.get('/reports/periodic?org=x1&period=2026'), ctx)
    expect(res.status).toBe(200)
    expect((res.data as PageData).notices.map((n) => n.key)).toEqual(['periodic.notice.badOrg'])
  })

  it('refuses an org outside the viewer’s scope (403) and non-union roles', async () => {
    expect(
      await call(
        page.loader,
        as.otherCoordinator.get(`/reports/periodic?org=${world.orgs.city.id}`),
        ctx,
      ),
    ).toMatchObject({ status: 403 })
    expect(await call(page.loader, as.contact.get('/reports/periodic'), ctx)).toMatchObject({
      status: 403,
    })
    expect(await call(page.loader, as.steward.get('/reports/periodic'), ctx)).toMatchObject({
      status: 403,
    })
  })
})

describe('/reports/periodic.xlsx', () => {
  it('streams the workbook with its download headers', async () => {
    const res = (await xlsx.loader({
      request: as.admin.get(`/reports/periodic.xlsx?org=${world.orgs.province.id}&period=2026`),
      context: ctx,
      params: {},
    })) as Response
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    )
    const disposition = res.headers.get('Content-Disposition') ?? ''
    expect(disposition).toContain(
      `filename="periodic-report-org${world.orgs.province.id}-2026.xlsx"`,
    )
    expect(disposition).toContain(
      `filename*=UTF-8''${encodeURIComponent(`${world.orgs.province.name}-2026年度报表.xlsx`)}`,
    )
    expect(res.headers.get('Cache-Control')).toBe('private, no-store')
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(Buffer.from(await res.arrayBuffer()) as never)
    expect(workbook.getWorksheet('汇总')?.getCell('A1').value).toBe(
      `${world.orgs.province.name}劳模工匠助企行工作2026年度报表`,
    )
  })

  it('falls back on a bad period rather than failing, and refuses out-of-scope orgs', async () => {
    const res = (await xlsx.loader({
      request: as.admin.get('/reports/periodic.xlsx?period=2026-99&org=abc'),
      context: ctx,
      params: {},
    })) as Response
    expect(res.status).toBe(200)
    await res.arrayBuffer()
    expect(
      await call(
        xlsx.loader,
        as.otherCoordinator.get(`/reports/periodic.xlsx?org=${world.orgs.city.id}&period=2026`),
        ctx,
      ),
    ).toMatchObject({ status: 403 })
    expect(await call(xlsx.loader, as.contact.get('/reports/periodic.xlsx'), ctx)).toMatchObject({
      status: 403,
    })
  })
})
