import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ReportListData } from '#app/components/report-list.tsx'
import { resources } from '#app/i18n/config.ts'
import * as index from '#app/routes/reports._index.tsx'
import * as cases from '#app/routes/reports.cases.tsx'
import * as casesXlsx from '#app/routes/reports.cases[.]xlsx.ts'
import * as enterprises from '#app/routes/reports.enterprises.tsx'
import * as enterprisesXlsx from '#app/routes/reports.enterprises[.]xlsx.ts'
import * as outcomes from '#app/routes/reports.outcomes.tsx'
import * as outcomesXlsx from '#app/routes/reports.outcomes[.]xlsx.ts'
import * as visits from '#app/routes/reports.visits.tsx'
import * as visitsXlsx from '#app/routes/reports.visits[.]xlsx.ts'
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
let as: Record<'coordinator' | 'otherCoordinator' | 'admin' | 'steward' | 'contact', Browser>
let caseId: number

const LISTS = [
  { kind: 'cases', page: cases, xlsx: casesXlsx },
  { kind: 'enterprises', page: enterprises, xlsx: enterprisesXlsx },
  { kind: 'visits', page: visits, xlsx: visitsXlsx },
  { kind: 'outcomes', page: outcomes, xlsx: outcomesXlsx },
] as const

beforeAll(async () => {
  tdb = await createTestDatabase('routes_report_lists')
  world = await buildWorld(tdb.db, 'rr')
  ctx = buildContext(tdb.db)
  ctx.setNow(new Date('2026-11-20T04:00:00Z'))
  const row = await tdb.db
    .insertInto('needs_list')
    .values({
      enterprise_id: world.enterprise.id,
      org_id: world.orgs.district.id,
      title: 'Route test case',
      status: 'awaiting_steward',
      created_by: world.users.contact.id,
      submitted_at: new Date('2026-04-01T02:00:00Z'),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  caseId = row.id
  const u = world.users
  as = {
    coordinator: await signIn(ctx, u.coordinator.id),
    otherCoordinator: await signIn(ctx, u.otherCoordinator.id),
    admin: await signIn(ctx, u.admin.id),
    steward: await signIn(ctx, u.steward.id),
    contact: await signIn(ctx, u.contact.id),
  }
})

afterAll(async () => {
  await tdb?.drop()
})

describe('report list pages', () => {
  it('render for union readers and refuse everyone else', async () => {
    expect(await call(index.loader, as.coordinator.get('/reports'), ctx)).toMatchObject({
      status: 200,
    })
    for (const { kind, page } of LISTS) {
      const ok = await call(page.loader, as.coordinator.get(`/reports/${kind}`), ctx)
      expect(ok.status).toBe(200)
      const data = ok.data as ReportListData
      expect(data.kind).toBe(kind)
      expect(data.invalid).toEqual([])
      for (const who of [as.steward, as.contact]) {
        expect(await call(page.loader, who.get(`/reports/${kind}`), ctx)).toMatchObject({
          status: 403,
        })
      }
    }
    expect(await call(index.loader, as.contact.get('/reports'), ctx)).toMatchObject({
      status: 403,
    })
  })

  it('formats the page on the server and links the case', async () => {
    const res = await call(cases.loader, as.coordinator.get('/reports/cases?period=2026'), ctx)
    const data = res.data as ReportListData
    expect(data.total).toBe(1)
    const [row] = data.rows
    expect(row?.cells[1]).toEqual({ text: 'Route test case', href: `/needs-lists/${caseId}` })
    // Beijing wall time of the filing.
    expect(row?.cells[9]?.text).toBe('2026-04-01 10:00')
    expect(row?.cells[7]?.text).toBe('待分配管家')
    expect(data.values).toMatchObject({ period: '2026' })
    for (const c of data.columns) {
      expect(resources['zh-CN'].translation.reports.columns.cases).toHaveProperty(c.id)
    }
  })

  it('says which filters were bad, drops them, and never fails', async () => {
    const res = await call(
      cases.loader,
      as.coordinator.get(
        '/reports/cases?period=2026-99&status=nope&org=abc&steward=-1&overdue=2&sort=x&dir=y&page=zz&category=%00',
      ),
      ctx,
    )
    expect(res.status).toBe(200)
    const data = res.data as ReportListData
    expect(data.invalid.sort()).toEqual(
      ['category', 'dir', 'org', 'overdue', 'page', 'period', 'sort', 'status', 'steward'].sort(),
    )
    expect(data.total).toBe(1)
    for (const { kind, page } of LISTS) {
      const odd = await call(
        page.loader,
        as.coordinator.get(`/reports/${kind}?period=%E2%80%AE&text=${'x'.repeat(500)}&page=1e9`),
        ctx,
      )
      expect(odd.status).toBe(200)
    }
  })

  it('is 403 for an org outside the scope, and narrows to an org inside it', async () => {
    expect(
      await call(
        cases.loader,
        as.coordinator.get(`/reports/cases?org=${world.orgs.otherCity.id}`),
        ctx,
      ),
    ).toMatchObject({ status: 403 })
    expect(
      await call(
        casesXlsx.loader,
        as.coordinator.get(`/reports/cases.xlsx?org=${world.orgs.otherCity.id}`),
        ctx,
      ),
    ).toMatchObject({ status: 403 })
    const other = await call(
      cases.loader,
      as.otherCoordinator.get(`/reports/cases?org=${world.orgs.otherCity.id}`),
      ctx,
    )
    expect((other.data as ReportListData).total).toBe(0)
    const admin = await call(
      cases.loader,
      as.admin.get(`/reports/cases?org=${world.orgs.district.id}`),
      ctx,
    )
    expect((admin.data as ReportListData).total).toBe(1)
    expect((admin.data as ReportListData).org).toBe(world.orgs.district.name)
  })
})

describe('report list exports', () => {
  it('stream .xlsx with a Chinese file name and an ASCII fallback', async () => {
    const res = (await casesXlsx.loader({
      request: as.coordinator.get('/reports/cases.xlsx?period=2026&status=bogus'),
      context: ctx,
      params: {},
    })) as Response
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    )
    expect(res.headers.get('Content-Disposition')).toBe(
      `attachment; filename="cases-2026.xlsx"; filename*=UTF-8''${encodeURIComponent('需求清单-2026.xlsx')}`,
    )
    expect(res.headers.get('Cache-Control')).toBe('private, no-store')
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(Buffer.from(await res.arrayBuffer()) as never)
    const sheet = workbook.getWorksheet('需求清单')
    expect(sheet?.getRow(1).getCell(1).value).toBe('编号')
    expect(sheet?.getRow(2).getCell(1).value).toBe(caseId)
    expect(sheet?.rowCount).toBe(2)
  })

  it('name the day when no period is filtered, and refuse non-readers', async () => {
    for (const { kind, xlsx } of LISTS) {
      const res = (await xlsx.loader({
        request: as.admin.get(`/reports/${kind}.xlsx`),
        context: ctx,
        params: {},
      })) as Response
      expect(res.status).toBe(200)
      expect(res.headers.get('Content-Disposition')).toContain(`filename="${kind}-2026-11-20.xlsx"`)
      await res.arrayBuffer()
      expect(await call(xlsx.loader, as.steward.get(`/reports/${kind}.xlsx`), ctx)).toMatchObject({
        status: 403,
      })
    }
  })
})
