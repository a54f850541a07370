import ExcelJS from 'exceljs'
import { sql } from 'kysely'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD, DEMO_USERS } from '#db/seed.server.ts'
import { DASHBOARD_DEMO_YEAR } from '#db/seed-dashboard.server.ts'
import { groupYuan } from '#workflows/reports/periodic-format.ts'
import { buildApp, launchBrowser, startTestApp, type TestApp } from './harness.ts'

let app: TestApp
let browser: Browser

const CITY = '鹭江市总工会'
const INDUSTRY = '鹭江市机电冶金产业工会联合会'
const PARK = '鹭江高新技术产业园区工会'
const DISTRICT = '鹭江市海湾区总工会'
const PERIOD = String(DASHBOARD_DEMO_YEAR)

beforeAll(async () => {
  await buildApp()
  app = await startTestApp()
  browser = await launchBrowser()
}, 300_000)

afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

async function pageAs(email: string): Promise<Page> {
  const context = await browser.newContext({ locale: 'zh-CN', acceptDownloads: true })
  const page = await context.newPage()
  page.setDefaultTimeout(15_000)
  await page.goto(`${app.url}/sign-in`)
  await page.getByLabel('电子邮箱').fill(email)
  await page.getByLabel('密码').fill(DEMO_PASSWORD)
  await page.getByRole('button', { name: '登录' }).click()
  await page.getByRole('button', { name: '退出' }).waitFor()
  return page
}

async function orgIds(): Promise<Record<string, { id: number; path: string }>> {
  const rows = await app.db.db.selectFrom('union_org').select(['id', 'name', 'path']).execute()
  return Object.fromEntries(rows.map((r) => [r.name, { id: r.id, path: r.path }]))
}

interface Expected {
  casesClosed: number
  enterprisesServed: number
  problemsSolved: number
  partlySolved: number
  expertParticipations: number
  workersTrained: number
  benefitTotal: string
  agreementsSigned: number
}

/**
 * The year's headline figures of an org's subtree, straight from the real
 * tables (needs lists, outcomes, visits, pairings, audit events), by the
 * definitions of workflows/dashboard/metrics.ts — not from the summaries.
 */
async function expectedFigures(orgPath: string): Promise<Expected> {
  const year = Number(PERIOD)
  const { rows } = await sql<Expected>`
    with scope as (
      select nl.id, nl.enterprise_id, nl.closed_at
        from needs_list nl join union_org o on o.id = nl.org_id
       where o.path like ${`${orgPath}%`}
    ), closed as (
      select * from scope
       where closed_at >= (${`${year}-01-01 00:00`}::timestamp at time zone 'Asia/Shanghai')
         and closed_at < (${`${year + 1}-01-01 00:00`}::timestamp at time zone 'Asia/Shanghai')
    ), held as (
      select distinct v.needs_list_id, m.visit_id, m.expert_id
        from visit v join visit_member m on m.visit_id = v.id
       where v.needs_list_id in (select id from closed)
         and v.status in ('on_site', 'reported', 'report_confirmed')
         and m.role = 'expert' and m.expert_id is not null
    ), paired as (
      select distinct p.needs_list_id, p.expert_id from pairing p
       where p.needs_list_id in (select id from closed) and p.expert_id is not null
    )
    select
      (select count(*) from closed)::int as "casesClosed",
      (select count(distinct enterprise_id) from closed)::int as "enterprisesServed",
      (select count(*) from item_outcome o join confirmed_item ci on ci.id = o.confirmed_item_id
        where ci.needs_list_id in (select id from closed) and o.result = 'solved')::int as "problemsSolved",
      (select count(*) from item_outcome o join confirmed_item ci on ci.id = o.confirmed_item_id
        where ci.needs_list_id in (select id from closed) and o.result = 'partly_solved')::int as "partlySolved",
      ((select count(*) from held)
        + (select count(*) from paired p where not exists (
             select 1 from held h where h.needs_list_id = p.needs_list_id and h.expert_id = p.expert_id)))::int
        as "expertParticipations",
      (select coalesce(sum(o.workers_trained), 0) from item_outcome o
         join confirmed_item ci on ci.id = o.confirmed_item_id
        where ci.needs_list_id in (select id from closed))::int as "workersTrained",
      (select coalesce(sum(o.benefit_yuan), 0) from item_outcome o
         join confirmed_item ci on ci.id = o.confirmed_item_id
        where ci.needs_list_id in (select id from closed))::text as "benefitTotal",
      (select count(*) from scope s where (
         select min(e.at) from workflow_event e
          where e.subject_type = 'needs_list' and e.subject_id = s.id and e.to_state = 'paired')
         >= (${`${year}-01-01 00:00`}::timestamp at time zone 'Asia/Shanghai')
       and (
         select min(e.at) from workflow_event e
          where e.subject_type = 'needs_list' and e.subject_id = s.id and e.to_state = 'paired')
         < (${`${year + 1}-01-01 00:00`}::timestamp at time zone 'Asia/Shanghai'))::int as "agreementsSigned"
  `.execute(app.db.db)
  return rows[0] as Expected
}

const count = (n: number) => n.toLocaleString('zh-CN')

/** The value shown for a headline figure of the dashboard (its card's big number). */
async function headline(page: Page, key: string): Promise<string> {
  const text = await page.getByTestId(`figure-${key}`).locator('.dash-card-value').textContent()
  return (text ?? '').trim()
}

/** The "本期" cell of a row of the periodic report's summary table (序号, 指标, 单位, 本期…). */
async function summaryCell(page: Page, label: string): Promise<string> {
  const row = page.locator('table.figures tr').filter({
    has: page.getByRole('rowheader', { name: label, exact: true }),
  })
  return ((await row.first().locator('td').nth(2).textContent()) ?? '').trim()
}

describe('federation dashboards and reports in the browser', () => {
  it('the city admin sees the year, drills down to the park, prints and downloads the periodic report', async () => {
    const orgs = await orgIds()
    const city = orgs[CITY] as { id: number; path: string }
    const industry = orgs[INDUSTRY] as { id: number; path: string }
    const park = orgs[PARK] as { id: number; path: string }
    const expected = await expectedFigures(city.path)
    expect(expected.casesClosed).toBeGreaterThan(10)

    const admin = await pageAs(DEMO_USERS.admin)
    await admin.goto(`${app.url}/dashboard?period=${PERIOD}`)
    await admin
      .getByRole('heading', { name: new RegExp(CITY) })
      .first()
      .waitFor()
    for (const [key, value] of [
      ['enterprisesServed', count(expected.enterprisesServed)],
      ['problemsSolved', count(expected.problemsSolved)],
      ['expertParticipations', count(expected.expertParticipations)],
      ['workersTrained', count(expected.workersTrained)],
      ['agreementsSigned', count(expected.agreementsSigned)],
    ] as const) {
      expect(await headline(admin, key), key).toBe(value)
    }
    expect(await headline(admin, 'benefit')).toBe(groupYuan(expected.benefitTotal))

    // Drill down through the child-org links: the industry federation, then the park.
    await admin.getByTestId('children').getByRole('link', { name: INDUSTRY, exact: true }).click()
    await admin.waitForURL((u) => u.searchParams.get('org') === String(industry.id))
    await admin.getByRole('heading', { level: 1, name: new RegExp(INDUSTRY) }).waitFor()
    expect(new URL(admin.url()).searchParams.get('period')).toBe(PERIOD)
    const industryExpected = await expectedFigures(industry.path)
    expect(await headline(admin, 'problemsSolved')).toBe(count(industryExpected.problemsSolved))
    await admin.getByTestId('children').getByRole('link', { name: PARK, exact: true }).click()
    await admin.waitForURL((u) => u.searchParams.get('org') === String(park.id))
    await admin.getByRole('heading', { level: 1, name: new RegExp(PARK) }).waitFor()
    // The trail leads back up to the city.
    await admin.getByRole('navigation').getByRole('link', { name: CITY, exact: true }).waitFor()
    const parkExpected = await expectedFigures(park.path)
    expect(parkExpected.casesClosed).toBeGreaterThan(0)
    expect(await headline(admin, 'problemsSolved')).toBe(count(parkExpected.problemsSolved))
    expect(await headline(admin, 'workersTrained')).toBe(count(parkExpected.workersTrained))

    // The periodic report of the city for the year: the same figures, printed and in Excel.
    await admin.goto(`${app.url}/reports/periodic?org=${city.id}&period=${PERIOD}`)
    await admin.getByRole('heading', { level: 1 }).first().waitFor()
    expect(await summaryCell(admin, '办结案件')).toBe(count(expected.casesClosed))
    expect(await summaryCell(admin, '解决问题数')).toBe(count(expected.problemsSolved))
    expect(await summaryCell(admin, '参与劳模工匠人次')).toBe(count(expected.expertParticipations))
    expect(await summaryCell(admin, '经济效益合计')).toBe(groupYuan(expected.benefitTotal))

    const pdf = await admin.pdf({ format: 'A4', printBackground: true })
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-')
    expect(pdf.length).toBeGreaterThan(20_000)
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []
    expect(pages.length).toBeGreaterThanOrEqual(1)

    const [download] = await Promise.all([
      admin.waitForEvent('download'),
      admin.getByRole('link', { name: '下载 Excel' }).first().click(),
    ])
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/)
    const path = await download.path()
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.readFile(path)
    const summary = workbook.getWorksheet('汇总')
    expect(summary, 'summary sheet').toBeDefined()
    const cells: string[] = []
    summary?.eachRow((row) => {
      row.eachCell((cell) => {
        cells.push(String(cell.value ?? ''))
      })
    })
    expect(cells.join('|')).toContain(CITY)
    // The problems-solved row carries the same number as the page.
    let solved: unknown
    summary?.eachRow((row) => {
      const values = (row.values as unknown[]).map((v) => String(v ?? ''))
      if (values.includes('解决问题数') && solved === undefined) {
        const at = values.indexOf('解决问题数')
        solved = values.slice(at + 1).find((v) => /^\d+$/.test(v))
      }
    })
    expect(Number(solved)).toBe(expected.problemsSolved)
  })

  it('the park admin sees only the park subtree', async () => {
    const orgs = await orgIds()
    const city = orgs[CITY] as { id: number; path: string }
    const park = orgs[PARK] as { id: number; path: string }
    const parkAdmin = await pageAs(DEMO_USERS.parkAdmin)

    const own = await parkAdmin.goto(`${app.url}/dashboard?period=${PERIOD}`)
    expect(own?.status()).toBe(200)
    await parkAdmin
      .getByRole('heading', { name: new RegExp(PARK) })
      .first()
      .waitFor()
    const parkExpected = await expectedFigures(park.path)
    expect(await headline(parkAdmin, 'problemsSolved')).toBe(count(parkExpected.problemsSolved))
    // No org outside the park in the picker, no link up to the city.
    const options = await parkAdmin.locator('select[name="org"] option').allTextContents()
    for (const o of options) expect(o.trim()).toBe(PARK)
    for (const other of [CITY, INDUSTRY, DISTRICT]) {
      expect(await parkAdmin.getByRole('link', { name: other, exact: true }).count()).toBe(0)
    }

    for (const path of ['/dashboard', '/reports/periodic']) {
      const denied = await parkAdmin.goto(`${app.url}${path}?org=${city.id}&period=${PERIOD}`)
      expect(denied?.status(), path).toBe(403)
    }
    const denied = await parkAdmin.request.get(
      `${app.url}/reports/periodic.xlsx?org=${city.id}&period=${PERIOD}`,
    )
    expect(denied.status()).toBe(403)
  })
})
