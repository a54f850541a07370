import type { Readable } from 'node:stream'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '#db/client.server.ts'
import { makeEnterprise } from '#db/factories.ts'
import { exportFileName, exportList, listRows } from '#workflows/commands/report-lists.ts'
import { parsePeriod } from '#workflows/dashboard/period.ts'
import { ForbiddenError } from '#workflows/errors.ts'
import { type CaseListFilters, parseListParams } from '#workflows/reports/list-filters.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts'
import { buildWorld, type World } from '../helpers/world.ts'

let tdb: TestDatabase
let db: Db
let world: World
const NOW = new Date('2026-11-20T04:00:00Z')
const at = (iso: string) => new Date(iso)

/** Bulk cases of the "bulk" enterprise, all filed at the same instant (keyset ties). */
const BULK = 2_100
const BULK_FILED = at('2025-06-01T02:00:00.123456Z')

let ids: Record<'open' | 'closed' | 'overdue' | 'other' | 'draft' | 'percent', number>
let otherCityEnterpriseId: number

async function insertCase(
  values: {
    enterpriseId: number
    orgId: number
    title: string
    status: string
    submittedAt: Date | null
    closedAt?: Date | null
    dueAt?: Date | null
    stewardUserId?: number | null
  },
  items: { category: string; title: string }[] = [],
): Promise<number> {
  const { id } = await db
    .insertInto('needs_list')
    .values({
      enterprise_id: values.enterpriseId,
      org_id: values.orgId,
      title: values.title,
      status: values.status,
      created_by: world.users.contact.id,
      submitted_at: values.submittedAt,
      closed_at: values.closedAt ?? null,
      due_at: values.dueAt ?? null,
      steward_user_id: values.stewardUserId ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  let position = 0
  for (const item of items) {
    await db
      .insertInto('confirmed_item')
      .values({
        needs_list_id: id,
        revision: 1,
        position: position++,
        category: item.category,
        title: item.title,
        description: item.title,
        urgency: 'normal',
        headcount: 1,
        mode: 'onsite',
      })
      .execute()
  }
  return id
}

async function itemIdsOf(listId: number) {
  const rows = await db
    .selectFrom('confirmed_item')
    .select('id')
    .where('needs_list_id', '=', listId)
    .orderBy('position')
    .execute()
  return rows.map((r) => r.id)
}

async function workbookOf(stream: Readable) {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(chunk as Buffer)
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(Buffer.concat(chunks) as never)
  const sheet = wb.worksheets[0]
  if (!sheet) throw new Error('no sheet')
  return sheet
}

beforeAll(async () => {
  tdb = await createTestDatabase('report_lists')
  db = tdb.db
  world = await buildWorld(db, 'rl')
  await db
    .updateTable('enterprise')
    .set({ industry: 'C', district: '海湾区', park: '软件园', tags: ['高新技术企业'] })
    .where('id', '=', world.enterprise.id)
    .execute()
  const otherCity = await makeEnterprise(db, {
    orgId: world.orgs.otherCity.id,
    name: 'rl faraway works',
    industry: 'D',
  })
  otherCityEnterpriseId = otherCity.id
  const steward = world.users.steward.id
  const e = world.enterprise.id
  const d = world.orgs.district.id
  ids = {
    open: await insertCase(
      {
        enterpriseId: e,
        orgId: d,
        title: 'Alpha line upgrade',
        status: 'in_service',
        submittedAt: at('2026-03-02T01:00:00Z'),
        dueAt: at('2026-12-30T00:00:00Z'),
        stewardUserId: steward,
      },
      [
        { category: 'equipment_diagnosis', title: 'Diagnose the press' },
        { category: 'skills_training', title: 'Train welders' },
      ],
    ),
    closed: await insertCase(
      {
        enterpriseId: e,
        orgId: d,
        title: 'Beta energy audit',
        status: 'closed',
        submittedAt: at('2025-12-20T03:00:00Z'),
        closedAt: at('2026-02-10T06:30:00Z'),
        stewardUserId: steward,
      },
      [
        { category: 'new_energy', title: 'Audit the boilers' },
        { category: 'safety', title: 'Check the guards' },
        { category: 'digital', title: 'Digitise the logs' },
      ],
    ),
    overdue: await insertCase({
      enterpriseId: world.otherEnterprise.id,
      orgId: d,
      title: 'Gamma overdue matching',
      status: 'matching',
      submittedAt: at('2026-05-05T05:00:00Z'),
      dueAt: at('2026-06-01T00:00:00Z'),
    }),
    other: await insertCase({
      enterpriseId: otherCity.id,
      orgId: world.orgs.otherCity.id,
      title: 'Delta far away',
      status: 'awaiting_steward',
      submittedAt: at('2026-04-01T00:00:00Z'),
    }),
    draft: await insertCase({
      enterpriseId: e,
      orgId: d,
      title: 'Epsilon draft',
      status: 'draft',
      submittedAt: null,
    }),
    percent: await insertCase({
      enterpriseId: world.otherEnterprise.id,
      orgId: d,
      title: '100% 达标 plan',
      status: 'submitted',
      submittedAt: at('2026-07-07T07:00:00Z'),
    }),
  }
  // Outcomes of the closed case: two solved with benefits, one partly solved.
  const [i1, i2, i3] = (await itemIdsOf(ids.closed)) as [number, number, number]
  await db
    .insertInto('item_outcome')
    .values([
      {
        needs_list_id: ids.closed,
        confirmed_item_id: i1,
        result: 'solved',
        description: 'done',
        benefit_yuan: '1234567.89',
        benefit_status: 'confirmed',
        workers_trained: 12,
        patents: 1,
        recorded_at: at('2026-01-15T02:00:00Z'),
      },
      {
        needs_list_id: ids.closed,
        confirmed_item_id: i2,
        result: 'solved',
        description: 'done',
        benefit_yuan: '0.11',
        benefit_status: 'estimated',
        recorded_at: at('2026-01-16T02:00:00Z'),
      },
      {
        needs_list_id: ids.closed,
        confirmed_item_id: i3,
        result: 'partly_solved',
        description: 'half',
        recorded_at: at('2025-12-31T17:00:00Z'),
      },
    ])
    .execute()
  await db
    .insertInto('service_rating')
    .values({
      needs_list_id: ids.closed,
      enterprise_id: world.enterprise.id,
      scores: JSON.stringify({ overall: 4.5 }),
      average: '4.50',
    })
    .execute()
  // Visits: one held with a confirmed report, one cancelled, one in the other city.
  const visit = async (
    listId: number,
    sequence: number,
    status: string,
    startsAt: Date,
    experts: string[],
  ) => {
    const { id } = await db
      .insertInto('visit')
      .values({
        needs_list_id: listId,
        sequence,
        kind: sequence === 1 ? 'inspection' : 'follow_up',
        starts_at: startsAt,
        duration_minutes: 90,
        place: 'Workshop 3',
        status,
        checked_in_at: status === 'report_confirmed' ? startsAt : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    for (const name of experts) {
      await db.insertInto('visit_member').values({ visit_id: id, role: 'expert', name }).execute()
    }
    await db
      .insertInto('visit_member')
      .values({ visit_id: id, role: 'steward', name: 'Steward Wu' })
      .execute()
    if (status === 'report_confirmed') {
      await db
        .insertInto('visit_report')
        .values({ visit_id: id, summary: 'ok', confirmed_at: at('2026-01-20T08:00:00Z') })
        .execute()
    }
    return id
  }
  await visit(ids.closed, 1, 'report_confirmed', at('2026-01-10T01:30:00Z'), ['Lin Hai', 'Zhou Bo'])
  await visit(ids.open, 2, 'cancelled', at('2026-09-01T01:30:00Z'), ['Zhou Bo'])
  await visit(ids.other, 1, 'scheduled', at('2026-09-02T01:30:00Z'), ['Far Expert'])

  // Bulk cases of one enterprise in 2025 with the same filing instant.
  const bulk = await makeEnterprise(db, { orgId: world.orgs.district.id, name: 'rl bulk works' })
  const values = Array.from({ length: BULK }, (_, i) => ({
    enterprise_id: bulk.id,
    org_id: world.orgs.district.id,
    title: `Bulk ${String(i).padStart(4, '0')}`,
    status: 'submitted',
    created_by: world.users.contact.id,
    submitted_at: BULK_FILED,
  }))
  await db.insertInto('needs_list').values(values).execute()
  // Microseconds a JS Date cannot hold: keyset must still neither skip nor repeat.
  await db
    .updateTable('needs_list')
    .set({ submitted_at: BULK_FILED })
    .where('enterprise_id', '=', bulk.id)
    .execute()
  const { sql } = await import('kysely')
  await sql`update needs_list set submitted_at = submitted_at + (id % 3) * interval '1 microsecond'
            where enterprise_id = ${bulk.id}`.execute(db)
}, 120_000)

afterAll(async () => {
  await tdb?.drop()
})

const p = () => world.principals
const y2026 = () => parsePeriod('2026') ?? undefined

describe('cases list', () => {
  it('is the scope subtree, filed cases only, drafts left out', async () => {
    const admin = await listRows(db, p().admin, 'cases', { period: y2026() }, { now: NOW })
    expect(admin.rows.map((r) => r.id).sort()).toEqual(
      [ids.open, ids.overdue, ids.other, ids.percent].sort(),
    )
    const coordinator = await listRows(
      db,
      p().coordinator,
      'cases',
      { period: '2026' },
      { now: NOW },
    )
    expect(coordinator.rows.map((r) => r.id)).not.toContain(ids.other)
    expect(coordinator.total).toBe(3)
    await expect(
      listRows(db, p().coordinator, 'cases', { org: world.orgs.otherCity.id }, { now: NOW }),
    ).rejects.toBeInstanceOf(ForbiddenError)
    await expect(listRows(db, p().contact, 'cases', {}, { now: NOW })).rejects.toBeInstanceOf(
      ForbiddenError,
    )
    const narrowed = await listRows(
      db,
      p().admin,
      'cases',
      { org: world.orgs.otherCity.id },
      { now: NOW },
    )
    expect(narrowed.rows.map((r) => r.id)).toEqual([ids.other])
    expect(narrowed.org?.id).toBe(world.orgs.otherCity.id)
  })

  it('filters by period filed or closed, status, category, place, steward, overdue and text', async () => {
    const run = async (filters: CaseListFilters | Record<string, unknown>) =>
      (
        await listRows(db, p().coordinator, 'cases', filters as CaseListFilters, {
          now: NOW,
          pageSize: 5000,
        })
      ).rows
        .map((r) => r.id)
        .filter((id) => Object.values(ids).includes(id))
        .sort()
    expect(await run({ period: '2026', periodBy: 'closed' })).toEqual([ids.closed])
    expect(await run({ period: '2025-12', periodBy: 'filed' })).toEqual([ids.closed])
    expect(await run({ status: 'closed' })).toEqual([ids.closed])
    expect(await run({ status: 'open' })).toEqual([ids.open, ids.overdue].sort())
    expect(await run({ status: 'submitted' })).toEqual([ids.percent])
    expect(await run({ category: 'safety' })).toEqual([ids.closed])
    expect(
      await run({ industry: 'C', district: '海湾区', park: '软件园', tag: '高新技术企业' }),
    ).toEqual([ids.open, ids.closed].sort())
    expect(await run({ steward: world.users.steward.id })).toEqual([ids.open, ids.closed].sort())
    expect(await run({ overdue: true })).toEqual([ids.overdue])
    expect(await run({ text: 'alpha' })).toEqual([ids.open])
    expect(await run({ text: 'rl energy' })).toEqual([ids.overdue, ids.percent].sort())
    // Wildcards are taken literally.
    expect(await run({ text: '100%' })).toEqual([ids.percent])
    expect(await run({ text: '%' })).toEqual([ids.percent])
  })

  it('shows per-case aggregates: items, solved, exact benefits, rating, overdue', async () => {
    const { rows } = await listRows(db, p().admin, 'cases', { text: 'Beta' }, { now: NOW })
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({
      id: ids.closed,
      items: 3,
      solved: 2,
      benefitEstimated: '0.11',
      benefitConfirmed: '1234567.89',
      rating: '4.50',
      overdue: false,
      stewardName: 'rl steward',
      orgName: 'rl district',
      industry: 'C',
    })
    const open = await listRows(db, p().admin, 'cases', { text: 'Gamma' }, { now: NOW })
    expect(open.rows[0]).toMatchObject({
      overdue: true,
      items: 0,
      benefitConfirmed: '0.00',
      rating: null,
    })
  })

  it('sorts on the server in both directions, nulls last', async () => {
    const filters = { period: '2026', periodBy: 'filed' as const }
    const asc = await listRows(db, p().admin, 'cases', filters, {
      now: NOW,
      sort: { key: 'title', dir: 'asc' },
    })
    const titles = asc.rows.map((r) => r.title)
    expect(titles).toEqual([...titles].sort((a, b) => (a < b ? -1 : 1)))
    const desc = await listRows(db, p().admin, 'cases', filters, {
      now: NOW,
      sort: { key: 'title', dir: 'desc' },
    })
    expect(desc.rows.map((r) => r.title)).toEqual([...titles].reverse())
    for (const dir of ['asc', 'desc'] as const) {
      const due = await listRows(db, p().admin, 'cases', filters, {
        now: NOW,
        sort: { key: 'due', dir },
      })
      const dues = due.rows.map((r) => r.dueAt)
      expect(dues.at(-1)).toBeNull()
      expect(dues[0]).not.toBeNull()
    }
    const filed = await listRows(
      db,
      p().admin,
      'cases',
      {},
      { now: NOW, sort: { key: 'filed', dir: 'desc' } },
    )
    expect(filed.rows[0]?.id).toBe(ids.percent)
  })

  it('paginates on the server', async () => {
    const first = await listRows(
      db,
      p().coordinator,
      'cases',
      {},
      { now: NOW, page: 1, pageSize: 1000 },
    )
    expect(first.total).toBe(BULK + 4)
    expect(first.pageCount).toBe(3)
    expect(first.rows).toHaveLength(1000)
    const last = await listRows(
      db,
      p().coordinator,
      'cases',
      {},
      { now: NOW, page: 3, pageSize: 1000 },
    )
    expect(last.rows).toHaveLength(BULK + 4 - 2000)
    const firstIds = new Set(first.rows.map((r) => r.id))
    expect(last.rows.some((r) => firstIds.has(r.id))).toBe(false)
    const beyond = await listRows(db, p().coordinator, 'cases', {}, { now: NOW, page: 99 })
    expect(beyond.rows).toHaveLength(0)
  })

  it('exports the whole filtered set in keyset batches, with Chinese headers and formats', async () => {
    const { filters } = parseListParams('cases', new URLSearchParams('period=2025&periodBy=filed'))
    const sheet = await workbookOf(await exportList(db, p().admin, 'cases', filters, { now: NOW }))
    const header = (sheet.getRow(1).values as unknown[]).slice(1)
    expect(header).toEqual([
      '编号',
      '需求清单',
      '企业',
      '所属工会',
      '行业',
      '区县',
      '园区',
      '状态',
      '专属管家',
      '提交时间',
      '办结时间',
      '当前阶段截止',
      '是否逾期',
      '事项数',
      '解决问题数',
      '经济效益预估（元）',
      '经济效益确认（元）',
      '评价',
    ])
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 })
    expect(sheet.autoFilter).toBe('A1:R1')
    expect(sheet.getColumn(2).width).toBe(32)
    // Every case filed in 2025: the bulk (more than one batch, equal instants) and Beta.
    expect(sheet.rowCount - 1).toBe(BULK + 1)
    const exportedIds = new Set<number>()
    for (let r = 2; r <= sheet.rowCount; r++)
      exportedIds.add(sheet.getRow(r).getCell(1).value as number)
    expect(exportedIds.size).toBe(BULK + 1)
    let beta: ExcelJS.Row | undefined
    sheet.eachRow((row) => {
      if (row.getCell(1).value === ids.closed) beta = row
    })
    if (!beta) throw new Error('Beta missing')
    expect(beta.getCell(8).value).toBe('已办结')
    expect(beta.getCell(5).value).toBe('制造业')
    // Dates: real Date cells showing Beijing wall time.
    const filed = beta.getCell(10)
    expect(filed.value).toBeInstanceOf(Date)
    expect((filed.value as Date).toISOString()).toBe('2025-12-20T11:00:00.000Z')
    expect(filed.numFmt).toBe('yyyy-mm-dd hh:mm')
    expect((beta.getCell(11).value as Date).toISOString()).toBe('2026-02-10T14:30:00.000Z')
    expect(beta.getCell(12).value).toBeNull()
    expect(beta.getCell(13).value).toBe('否')
    expect(beta.getCell(14).value).toBe(3)
    expect(beta.getCell(14).numFmt).toBe('#,##0')
    expect(beta.getCell(17).value).toBe(1234567.89)
    expect(beta.getCell(17).numFmt).toBe('#,##0.00')
    expect(beta.getCell(16).value).toBe(0.11)
    expect(beta.getCell(18).value).toBe(4.5)
  })

  it('takes a year number or a period key as the period', async () => {
    const sheet = await workbookOf(
      await exportList(
        db,
        p().coordinator,
        'cases',
        { period: 2026, periodBy: 'filed' },
        { now: NOW },
      ),
    )
    expect(sheet.rowCount - 1).toBe(3)
    expect(exportFileName('cases', { period: '2026' }, NOW)).toEqual({
      name: '需求清单-2026.xlsx',
      ascii: 'cases-2026.xlsx',
    })
    await expect(
      exportList(db, p().coordinator, 'cases', { org: world.orgs.otherCity.id }, { now: NOW }),
    ).rejects.toBeInstanceOf(ForbiddenError)
  })
})

describe('enterprises, visits and outcomes', () => {
  it('lists enterprises with their case counts', async () => {
    const found = await listRows(db, p().coordinator, 'enterprises', {}, { now: NOW })
    const names = found.rows.map((r) => r.name)
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : 1)))
    expect(found.rows.some((r) => r.id === otherCityEnterpriseId)).toBe(false)
    const precision = found.rows.find((r) => r.id === world.enterprise.id)
    expect(precision).toMatchObject({
      casesFiled: 2,
      casesClosed: 1,
      tags: ['高新技术企业'],
      industry: 'C',
    })
    expect(precision?.lastFiledAt?.toISOString()).toBe('2026-03-02T01:00:00.000Z')
    const open = await listRows(db, p().coordinator, 'enterprises', { hasOpen: true }, { now: NOW })
    expect(open.rows.map((r) => r.id).sort()).toEqual(
      [world.enterprise.id, world.otherEnterprise.id].sort(),
    )
    const byText = await listRows(db, p().admin, 'enterprises', { text: 'faraway' }, { now: NOW })
    expect(byText.rows.map((r) => r.id)).toEqual([otherCityEnterpriseId])
    const bySize = await listRows(
      db,
      p().coordinator,
      'enterprises',
      {},
      {
        now: NOW,
        sort: { key: 'filed', dir: 'desc' },
      },
    )
    expect(bySize.rows[0]?.name).toBe('rl bulk works')
    const sheet = await workbookOf(
      await exportList(db, p().coordinator, 'enterprises', {}, { now: NOW }),
    )
    expect(sheet.getRow(1).getCell(1).value).toBe('企业名称')
    expect(sheet.rowCount - 1).toBe(found.total)
  })

  it('lists visits with experts, filtered by period, status, kind and expert', async () => {
    const all = await listRows(db, p().admin, 'visits', { period: '2026' }, { now: NOW })
    expect(all.total).toBe(3)
    const mine = await listRows(db, p().coordinator, 'visits', {}, { now: NOW })
    expect(mine.total).toBe(2)
    const held = mine.rows.find((r) => r.status === 'report_confirmed')
    expect(held).toMatchObject({ experts: 'Lin Hai、Zhou Bo', durationMinutes: 90 })
    expect(held?.reportConfirmedAt?.toISOString()).toBe('2026-01-20T08:00:00.000Z')
    const zhou = await listRows(db, p().coordinator, 'visits', { expert: 'zhou' }, { now: NOW })
    expect(zhou.total).toBe(2)
    const lin = await listRows(
      db,
      p().coordinator,
      'visits',
      { expert: 'Lin', kind: 'inspection' },
      { now: NOW },
    )
    expect(lin.total).toBe(1)
    const cancelled = await listRows(
      db,
      p().coordinator,
      'visits',
      { status: 'cancelled' },
      { now: NOW },
    )
    expect(cancelled.rows.map((r) => r.caseId)).toEqual([ids.open])
    const sheet = await workbookOf(
      await exportList(db, p().coordinator, 'visits', { expert: 'zhou' }, { now: NOW }),
    )
    expect(sheet.rowCount - 1).toBe(2)
    expect((sheet.getRow(1).values as unknown[]).slice(1, 4)).toEqual(['需求清单', '企业', '类型'])
  })

  it('lists item outcomes, filtered by period (recorded or closed), result, category and benefit', async () => {
    const all = await listRows(db, p().coordinator, 'outcomes', {}, { now: NOW })
    expect(all.total).toBe(3)
    // Recorded at 2025-12-31 17:00 UTC: already 2026-01-01 in Beijing.
    const recorded2025 = await listRows(
      db,
      p().coordinator,
      'outcomes',
      { period: '2025' },
      { now: NOW },
    )
    expect(recorded2025.total).toBe(0)
    const jan = await listRows(db, p().coordinator, 'outcomes', { period: '2026-01' }, { now: NOW })
    expect(jan.total).toBe(3)
    const closed = await listRows(
      db,
      p().coordinator,
      'outcomes',
      { period: '2026-Q1', periodBy: 'closed' },
      { now: NOW },
    )
    expect(closed.total).toBe(3)
    const solved = await listRows(
      db,
      p().coordinator,
      'outcomes',
      { result: 'solved' },
      { now: NOW },
    )
    expect(solved.total).toBe(2)
    const none = await listRows(
      db,
      p().coordinator,
      'outcomes',
      { benefitStatus: 'none' },
      { now: NOW },
    )
    expect(none.rows.map((r) => r.result)).toEqual(['partly_solved'])
    const confirmed = await listRows(
      db,
      p().coordinator,
      'outcomes',
      { benefitStatus: 'confirmed', category: 'new_energy' },
      { now: NOW },
    )
    expect(confirmed.rows.map((r) => r.benefitYuan)).toEqual(['1234567.89'])
    const byBenefit = await listRows(
      db,
      p().coordinator,
      'outcomes',
      {},
      {
        now: NOW,
        sort: { key: 'benefit', dir: 'desc' },
      },
    )
    expect(byBenefit.rows.map((r) => r.benefitYuan)).toEqual(['1234567.89', '0.11', null])
    const sheet = await workbookOf(
      await exportList(db, p().coordinator, 'outcomes', {}, { now: NOW }),
    )
    expect(sheet.rowCount - 1).toBe(3)
    const header = (sheet.getRow(1).values as unknown[]).slice(1)
    expect(header[5]).toBe('经济效益（元）')
    const money = []
    for (let r = 2; r <= 4; r++) money.push(sheet.getRow(r).getCell(6).value)
    expect(money.sort()).toEqual([0.11, 1234567.89, null].sort())
    expect(await listRows(db, p().otherCoordinator, 'outcomes', {}, { now: NOW })).toMatchObject({
      total: 0,
    })
  })
})

describe('parsing the query string', () => {
  it('resets only the bad filters and names them', () => {
    const parsed = parseListParams(
      'cases',
      new URLSearchParams(
        'period=2026-13&status=bogus&district=海湾区&steward=abc&overdue=yes&sort=nope&dir=up&page=-2&text=%20x%20',
      ),
    )
    expect(parsed.filters).toEqual({ district: '海湾区', text: 'x' })
    expect(parsed.invalid.sort()).toEqual(
      ['dir', 'overdue', 'page', 'period', 'sort', 'status', 'steward'].sort(),
    )
    expect(parsed.sort).toEqual({ key: 'filed', dir: 'desc' })
    expect(parsed.page).toBe(1)
    const ok = parseListParams(
      'outcomes',
      new URLSearchParams(
        'period=2026-Q4&periodBy=closed&benefitStatus=none&sort=benefit&dir=asc&page=3',
      ),
    )
    expect(ok.filters.period?.key).toBe('2026-Q4')
    expect(ok.filters).toMatchObject({ periodBy: 'closed', benefitStatus: 'none' })
    expect(ok.sort).toEqual({ key: 'benefit', dir: 'asc' })
    expect(ok.page).toBe(3)
    expect(ok.invalid).toEqual([])
  })
})
