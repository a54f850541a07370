import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Readable } from 'node:stream'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLocalStorage } from '#app/storage/storage.server.ts'
import { refreshDashboard } from '#db/queries/dashboard/refresh.ts'
import { loadOverview } from '#workflows/commands/dashboard.ts'
import { loadPeriodicReport, periodicReportWorkbook } from '#workflows/commands/periodic-report.ts'
import { rateService } from '#workflows/commands/rating.ts'
import { beijingMonth, makePeriod, type Period } from '#workflows/dashboard/period.ts'
import type { DashboardOverview } from '#workflows/dashboard/types.ts'
import { DomainError } from '#workflows/errors.ts'
import { SUMMARY_METRICS } from '#workflows/reports/periodic-format.ts'
import {
  confirmedAgreement,
  FIXTURE_SCORES,
  reportedVisit,
  toFeedback,
} from '../helpers/closing-world.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts'
import { buildPairedCase, type PairedCase } from '../helpers/visit-world.ts'

let tdb: TestDatabase
let uploads: string
/** Closed in the province's city; `atProvince` closed in world A but moved to the province itself. */
let world: PairedCase
let other: PairedCase
let closedIds: number[]
let year: Period
let now: Date

async function closeCase(w: PairedCase) {
  const storage = createLocalStorage(uploads)
  await confirmedAgreement(tdb.db, w)
  await reportedVisit(tdb.db, w, storage, { photos: 1 })
  await toFeedback(tdb.db, w)
  await rateService(tdb.db, w.principals.contact, w.listId, {
    scores: FIXTURE_SCORES,
    comment: '服务很好',
  })
}

beforeAll(async () => {
  tdb = await createTestDatabase('periodic')
  uploads = mkdtempSync(path.join(tmpdir(), 'zhuqi-periodic-'))
  world = await buildPairedCase(tdb.db, { label: 'pr-a' })
  other = await buildPairedCase(tdb.db, { label: 'pr-b' })
  await closeCase(world)
  await closeCase(other)
  // The second case and its enterprise now belong to world A's province itself,
  // so the province has a case of its own beside its children's.
  const province = world.orgs.province.id
  await tdb.db
    .updateTable('enterprise')
    .set({ org_id: province })
    .where('id', '=', other.enterprise.id)
    .execute()
  await tdb.db
    .updateTable('needs_list')
    .set({ org_id: province })
    .where('id', '=', other.listId)
    .execute()
  await refreshDashboard(tdb.db)
  closedIds = [world.listId, other.listId].sort((a, b) => a - b)
  now = new Date()
  year = makePeriod('year', Number(beijingMonth(now).slice(0, 4)))
}, 120_000)

afterAll(async () => {
  await tdb?.drop()
  if (uploads) rmSync(uploads, { recursive: true, force: true })
})

async function refusal(p: Promise<unknown>) {
  try {
    await p
  } catch (err) {
    if (err instanceof DomainError) return err.code
    throw err
  }
  throw new Error('expected a refusal')
}

async function readWorkbook(stream: Readable): Promise<ExcelJS.Workbook> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(chunk as Buffer)
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.load(Buffer.concat(chunks) as never)
  return workbook
}

function sheetOf(workbook: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  const sheet = workbook.getWorksheet(name)
  if (!sheet) throw new Error(`no sheet ${name}`)
  return sheet
}

/** Rows below the header (row 3) as arrays of cell values, 1-based like the sheet. */
function bodyRows(sheet: ExcelJS.Worksheet): ExcelJS.CellValue[][] {
  const rows: ExcelJS.CellValue[][] = []
  sheet.eachRow((row, n) => {
    if (n > 3) rows.push((row.values as ExcelJS.CellValue[]).slice(1))
  })
  return rows
}

function headers(sheet: ExcelJS.Worksheet): string[] {
  return (sheet.getRow(3).values as ExcelJS.CellValue[]).slice(1).map((v) => String(v ?? ''))
}

const num = (v: ExcelJS.CellValue) => (v === null || v === undefined ? 0 : Number(v))

describe('the periodic report of a federation', () => {
  let overview: DashboardOverview

  beforeAll(async () => {
    overview = await loadOverview(tdb.db, world.principals.admin, {
      orgId: world.orgs.province.id,
      period: year,
      now,
    })
  })

  it('carries the overview, the title and the cases closed in the period', async () => {
    const report = await loadPeriodicReport(tdb.db, world.principals.admin, {
      orgId: world.orgs.province.id,
      period: year,
      now,
    })
    expect(report.title.zh).toBe(
      `${world.orgs.province.name}劳模工匠助企行工作${year.year}年度报表`,
    )
    expect(report.overview.figures).toEqual(overview.figures)
    expect(report.overview.figures.casesClosed).toBe(2)
    expect(report.casesTotal).toBe(2)
    expect(report.cases.map((c) => c.id).sort((a, b) => a - b)).toEqual(closedIds)
    const benefits = report.cases.map((c) => Number(c.benefitTotal))
    expect(benefits).toEqual([...benefits].sort((a, b) => b - a))
    expect(report.cases[0]).toMatchObject({ items: 2, problemsSolved: 1, partlySolved: 1 })
    expect(report.orgs.map((o) => o.id)).toContain(world.orgs.city.id)
  })

  it('words quarters and months as the forms do', async () => {
    const q = await loadPeriodicReport(tdb.db, world.principals.admin, {
      orgId: world.orgs.city.id,
      period: makePeriod('quarter', 2026, 4),
      now,
    })
    expect(q.title.zh).toBe(`${world.orgs.city.name}劳模工匠助企行工作2026年第四季度报表`)
    const m = await loadPeriodicReport(tdb.db, world.principals.admin, {
      orgId: world.orgs.city.id,
      period: makePeriod('month', 2026, 11),
      now,
    })
    expect(m.title.zh).toBe(`${world.orgs.city.name}劳模工匠助企行工作2026年11月报表`)
  })

  it('refuses an org outside the viewer’s subtrees', async () => {
    const input = { orgId: world.orgs.province.id, period: year, now }
    expect(
      await refusal(loadPeriodicReport(tdb.db, world.principals.otherCoordinator, input)),
    ).toBe('forbidden')
    expect(
      await refusal(periodicReportWorkbook(tdb.db, world.principals.otherCoordinator, input)),
    ).toBe('forbidden')
  })

  describe('the workbook', () => {
    let workbook: ExcelJS.Workbook

    beforeAll(async () => {
      // One case per batch, so the keyset walks from batch to batch.
      const stream = await periodicReportWorkbook(
        tdb.db,
        world.principals.admin,
        { orgId: world.orgs.province.id, period: year, now },
        { batchSize: 1 },
      )
      expect(stream.report.org.id).toBe(world.orgs.province.id)
      workbook = await readWorkbook(stream)
    })

    it('has every sheet, in order', () => {
      expect(workbook.worksheets.map((s) => s.name)).toEqual([
        '汇总',
        '下级工会',
        '分类统计',
        '月度趋势',
        '环节时效',
        '案件明细',
        '成效明细',
      ])
    })

    it('lays the summary out as a statistics form with the overview’s figures', () => {
      const sheet = sheetOf(workbook, '汇总')
      expect(sheet.getCell('A1').value).toBe(
        `${world.orgs.province.name}劳模工匠助企行工作${year.year}年度报表`,
      )
      expect(sheet.getCell('A1').isMerged).toBe(true)
      expect(String(sheet.getCell('A2').value)).toContain(world.orgs.province.name)
      expect(headers(sheet).slice(0, 3)).toEqual(['序号', '指标名称', '计量单位'])
      SUMMARY_METRICS.forEach((m, i) => {
        const row = sheet.getRow(4 + i)
        expect(row.getCell(2).value).toBe(m.label.zh)
        expect(row.getCell(3).value).toBe(m.unit.zh)
        const expected = overview.figures[m.key]
        expect(row.getCell(4).value).toBe(expected === null ? null : Number(expected))
        expect(row.getCell(5).value).toBe(
          overview.previous[m.key] === null ? null : Number(overview.previous[m.key]),
        )
        expect(row.getCell(4).numFmt).toBe(
          m.kind === 'money' ? '#,##0.00' : m.kind === 'rating' ? '0.00' : '#,##0',
        )
      })
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 })
      expect(sheet.pageSetup).toMatchObject({ paperSize: 9, fitToWidth: 1 })
      // The fill-in date is a real date cell.
      let filled: ExcelJS.Cell | null = null
      sheet.eachRow((row) => {
        row.eachCell((cell) => {
          if (cell.value instanceof Date) filled = cell
        })
      })
      expect(filled).not.toBeNull()
      expect((filled as unknown as ExcelJS.Cell).numFmt).toBe('yyyy-mm-dd')
    })

    it('totals the children, and the province’s own case, to the province', () => {
      const sheet = sheetOf(workbook, '下级工会')
      expect(headers(sheet)).toContain('办结案件（件）')
      const rows = bodyRows(sheet)
      const total = rows.at(-1) as ExcelJS.CellValue[]
      expect(total[1]).toBe('合计')
      const parts = rows.slice(0, -1)
      expect(parts.map((r) => r[1])).toEqual([
        ...overview.children.map((c) => c.org.name),
        `${world.orgs.province.name}（本级）`,
      ])
      // Every additive column: the rows sum to the total, which is the overview's.
      const h = headers(sheet)
      const col = (name: string) => h.indexOf(name)
      for (const name of [
        '受理需求清单（件）',
        '办结案件（件）',
        '办结服务事项（个）',
        '解决问题（个）',
        '参与劳模工匠（人次）',
        '培训职工（人次）',
        '经济效益合计（元）',
        '签订协议（份）',
      ]) {
        const c = col(name)
        expect(c, name).toBeGreaterThan(0)
        const sum = parts.reduce((s, r) => s + num(r[c]), 0)
        expect(sum, name).toBeCloseTo(num(total[c]), 2)
      }
      expect(total[col('办结案件（件）')]).toBe(overview.figures.casesClosed)
      expect(total[col('经济效益合计（元）')]).toBe(Number(overview.figures.benefitTotal))
      const city = parts.find((r) => r[1] === world.orgs.city.name) as ExcelJS.CellValue[]
      expect(city[col('办结案件（件）')]).toBe(1)
    })

    it('lists every case closed in the period, with number and date formats', () => {
      const sheet = sheetOf(workbook, '案件明细')
      expect(headers(sheet)).toEqual([
        '案件编号',
        '需求清单',
        '企业',
        '所属工会',
        '所属行业',
        '区县',
        '园区',
        '专属管家',
        '提交日期',
        '办结日期',
        '服务事项（个）',
        '解决问题（个）',
        '部分解决（个）',
        '参与劳模工匠（人次）',
        '培训职工（人次）',
        '经济效益预估（元）',
        '经济效益已确认（元）',
        '经济效益合计（元）',
        '企业评价（分）',
      ])
      const rows = bodyRows(sheet)
      const cases = rows.filter((r) => typeof r[0] === 'number')
      expect(cases.map((r) => r[0]).sort((a, b) => Number(a) - Number(b))).toEqual(closedIds)
      const total = rows.at(-1) as ExcelJS.CellValue[]
      expect(String(total[1])).toBe('合计（2 件）')
      expect(total[17]).toBe(Number(overview.figures.benefitTotal))
      expect(total[11]).toBe(overview.figures.problemsSolved)
      const first = sheet.getRow(4)
      expect(first.getCell(10).value).toBeInstanceOf(Date)
      expect(first.getCell(10).numFmt).toBe('yyyy-mm-dd')
      expect(first.getCell(16).numFmt).toBe('#,##0.00')
      expect(first.getCell(11).numFmt).toBe('#,##0')
      // The cell shows the Beijing calendar day of the closing.
      const closedDay = (first.getCell(10).value as Date).toISOString().slice(0, 7)
      expect(closedDay).toBe(beijingMonth(now))
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 })
      expect(sheet.pageSetup).toMatchObject({ orientation: 'landscape', printTitlesRow: '1:3' })
    })

    it('lists the items of those cases with their outcomes', () => {
      const sheet = sheetOf(workbook, '成效明细')
      expect(headers(sheet).slice(0, 8)).toEqual([
        '案件编号',
        '需求清单',
        '企业',
        '事项序号',
        '服务事项',
        '服务类别',
        '服务结果',
        '成效说明',
      ])
      const rows = bodyRows(sheet)
      expect(rows).toHaveLength(4)
      expect(new Set(rows.map((r) => r[0]))).toEqual(new Set(closedIds))
      expect(rows.map((r) => r[6]).sort()).toEqual(
        ['部分解决', '部分解决', '已解决', '已解决'].sort(),
      )
    })

    it('has the breakdowns, the months and the stage times', () => {
      const months = bodyRows(sheetOf(workbook, '月度趋势'))
      expect(months).toHaveLength(13)
      expect(months.at(-1)?.[0]).toBe('合计')
      const closed = months.slice(0, -1).reduce((s, r) => s + num(r[2]), 0)
      expect(closed).toBe(overview.figures.casesClosed)
      const dims = bodyRows(sheetOf(workbook, '分类统计'))
      expect(dims.some((r) => r[0] === '服务类别')).toBe(true)
      expect(headers(sheetOf(workbook, '环节时效'))[0]).toBe('办理环节')
    })
  })

  it('streams an empty period as empty sheets', async () => {
    const stream = await periodicReportWorkbook(tdb.db, world.principals.admin, {
      orgId: world.orgs.province.id,
      period: makePeriod('year', year.year - 5),
      now,
    })
    const workbook = await readWorkbook(stream)
    const rows = bodyRows(sheetOf(workbook, '案件明细'))
    expect(rows).toHaveLength(1)
    expect(String(rows[0]?.[1])).toBe('合计（0 件）')
    expect(bodyRows(sheetOf(workbook, '成效明细'))).toHaveLength(0)
  })
})
