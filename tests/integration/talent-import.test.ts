import type { Readable } from 'node:stream'
import ExcelJS from 'exceljs'
import { sql } from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { makeExpert, makeOrg } from '#db/factories.ts'
import type { Principal } from '#workflows/access.ts'
import { exportExperts, importExperts, importTemplate } from '#workflows/commands/experts.ts'
import { parseExpertFilters } from '#workflows/talent/filters.ts'
import { IMPORT_COLUMNS, MAX_IMPORT_BYTES } from '#workflows/talent/import.ts'
import { DATA_SHEET, GUIDE_SHEET } from '#workflows/talent/spreadsheet.server.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts'
import { buildWorld, type World } from '../helpers/world.ts'

let tdb: TestDatabase
let world: World
let coordinator: Principal
let org: number

const HEADER: string[] = IMPORT_COLUMNS.map((c) => c.header)

async function xlsxOf(rows: (string | number)[][], header: string[] = HEADER): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook()
  const sheet = workbook.addWorksheet(DATA_SHEET)
  sheet.addRow(header)
  for (const r of rows) sheet.addRow(r)
  return new Uint8Array(await workbook.xlsx.writeBuffer())
}

/** A row in template column order from the values given by header. */
function row(values: Record<string, string | number>): (string | number)[] {
  return HEADER.map((h) => values[h] ?? '')
}

const ROWS = [
  row({
    姓名: '导入一',
    手机号码: '13900000001',
    性别: '男',
    工作单位: '鹭江一厂',
    技术等级: '高级技师',
    专长技能: 'power.equipment.infrared-thermography:5; power.equipment.cable-fault-location:3',
    荣誉: '全国劳动模范:国家级:2015',
    可服务区县: '海湾区、湖滨区',
    可服务星期: '1-5',
    不可服务日期: '2026-12-01~2026-12-05',
    同时服务上限: 3,
  }),
  row({
    姓名: '导入二',
    手机号码: '139 0000 0002',
    性别: '女',
    专长技能: 'machining.sheet-metal.press-brake:4',
    荣誉: '市级工匠::2021',
    可服务星期: '1,3,5',
    状态: '暂停',
  }),
  row({ 姓名: '导入三', 手机号码: 13900000003, 电子邮箱: 'sanhao@example.com' }),
]

async function poolCount(): Promise<number> {
  const r = await tdb.db
    .selectFrom('expert')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(r.n)
}

/** Everything an import writes, comparable across runs. */
async function snapshot(mobiles: string[]) {
  const experts = await tdb.db
    .selectFrom('expert')
    .select([
      'id',
      'mobile',
      'name',
      'gender',
      'grade',
      'districts',
      'weekdays',
      'capacity',
      'status',
      'org_id',
      'email',
    ])
    .where('mobile', 'in', mobiles)
    .orderBy('mobile')
    .execute()
  const ids = experts.map((e) => e.id)
  const [skills, honours, blackouts] = await Promise.all([
    tdb.db
      .selectFrom('expert_skill as es')
      .innerJoin('skill as s', 's.id', 'es.skill_id')
      .select(['es.expert_id', 's.code', 'es.proficiency'])
      .where('es.expert_id', 'in', ids)
      .orderBy('es.expert_id')
      .orderBy('s.code')
      .execute(),
    tdb.db
      .selectFrom('expert_honour')
      .select(['expert_id', 'type', 'level', 'year'])
      .where('expert_id', 'in', ids)
      .orderBy('expert_id')
      .orderBy('type')
      .execute(),
    tdb.db
      .selectFrom('expert_blackout')
      .select(['expert_id', 'starts_on', 'ends_on'])
      .where('expert_id', 'in', ids)
      .orderBy('expert_id')
      .orderBy('starts_on')
      .execute(),
  ])
  return { experts, skills, honours, blackouts }
}

beforeAll(async () => {
  tdb = await createTestDatabase('talent_import')
  world = await buildWorld(tdb.db, 'tim')
  coordinator = world.principals.coordinator
  org = world.orgs.district.id
})

afterAll(async () => {
  await tdb?.drop()
})

beforeEach(async () => {
  await sql`truncate expert restart identity cascade`.execute(tdb.db)
})

describe('a file with errors', () => {
  it('writes nothing and reports each problem by sheet row and column header', async () => {
    const bytes = await xlsxOf([
      ROWS[0] ?? [],
      row({ 姓名: '坏手机', 手机号码: '1390000' }),
      row({ 姓名: '', 手机号码: '13900000005', 专长技能: 'no.such.skill:3' }),
      ROWS[2] ?? [],
      row({ 姓名: '重复', 手机号码: '13900000001', 同时服务上限: 50 }),
    ])
    const outcome = await importExperts(tdb.db, coordinator, { orgId: org, bytes })
    expect(outcome.status).toBe('invalid')
    if (outcome.status !== 'invalid') return
    expect(outcome.issues).toEqual([
      {
        row: 3,
        column: '手机号码',
        key: 'enterprise.errors.mobile.length',
        params: { value: '1390000' },
      },
      { row: 4, column: '姓名', key: 'talent.cell.required' },
      {
        row: 4,
        column: '专长技能',
        key: 'talent.cell.unknownSkill',
        params: { code: 'no.such.skill' },
      },
      {
        row: 6,
        column: '同时服务上限',
        key: 'talent.cell.capacity',
        params: { value: '50', min: 1, max: 20 },
      },
    ])
    expect(outcome.issueCount).toBe(4)
    expect(await poolCount()).toBe(0)
  })

  it('refuses files that are not sheets, too large, or without the required columns', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0])
    const notXlsx = new Uint8Array(await new ExcelJS.Workbook().xlsx.writeBuffer()).slice(0, 40)
    const cases: [Uint8Array, string][] = [
      [png, 'talent.import.errors.notSheet'],
      [notXlsx, 'talent.import.errors.notSheet'],
      [new Uint8Array(MAX_IMPORT_BYTES + 1).fill(0x41), 'talent.import.errors.tooLarge'],
      [new Uint8Array(0), 'talent.import.errors.empty'],
      [await xlsxOf([['甲']], ['姓名', '单位']), 'talent.import.errors.missingColumn'],
      [await xlsxOf([]), 'talent.import.errors.noRows'],
    ]
    for (const [bytes, key] of cases) {
      const outcome = await importExperts(tdb.db, coordinator, { orgId: org, bytes })
      expect(outcome, key).toMatchObject({ status: 'invalid', issues: [{ key }] })
    }
    expect(await poolCount()).toBe(0)
  })

  it('does not let a row update an expert managed outside the importer’s subtrees', async () => {
    await makeExpert(tdb.db, {
      orgId: world.orgs.otherCity.id,
      name: '他市专家',
      mobile: '13900000002',
    })
    const outcome = await importExperts(tdb.db, coordinator, {
      orgId: org,
      bytes: await xlsxOf(ROWS),
    })
    expect(outcome).toMatchObject({
      status: 'invalid',
      issues: [
        {
          row: 3,
          column: '手机号码',
          key: 'talent.import.errors.mobileOutOfScope',
          params: { value: '13900000002' },
        },
      ],
    })
    expect(await poolCount()).toBe(1)
  })

  it('refuses an org outside the importer’s subtrees before reading the file', async () => {
    await expect(
      importExperts(tdb.db, coordinator, {
        orgId: world.orgs.otherCity.id,
        bytes: await xlsxOf(ROWS),
      }),
    ).rejects.toMatchObject({ code: 'forbidden' })
    await expect(
      importExperts(tdb.db, world.principals.steward, { orgId: org, bytes: await xlsxOf(ROWS) }),
    ).rejects.toMatchObject({ code: 'forbidden' })
    expect(await poolCount()).toBe(0)
  })
})

describe('a valid file', () => {
  it('imports every row with its skills, honours and blackouts', async () => {
    const outcome = await importExperts(tdb.db, coordinator, {
      orgId: org,
      bytes: await xlsxOf(ROWS),
    })
    expect(outcome).toEqual({ status: 'imported', kind: 'xlsx', rows: 3, created: 3, updated: 0 })
    const snap = await snapshot(['13900000001', '13900000002', '13900000003'])
    expect(snap.experts).toMatchObject([
      {
        mobile: '13900000001',
        name: '导入一',
        gender: 'male',
        grade: 'senior_technician',
        districts: ['海湾区', '湖滨区'],
        weekdays: [1, 2, 3, 4, 5],
        capacity: 3,
        status: 'active',
        org_id: org,
      },
      {
        mobile: '13900000002',
        gender: 'female',
        weekdays: [1, 3, 5],
        status: 'paused',
        capacity: 2,
      },
      { mobile: '13900000003', email: 'sanhao@example.com', grade: null },
    ])
    const [one, two] = snap.experts
    expect(snap.skills).toEqual([
      { expert_id: one?.id, code: 'power.equipment.cable-fault-location', proficiency: 3 },
      { expert_id: one?.id, code: 'power.equipment.infrared-thermography', proficiency: 5 },
      { expert_id: two?.id, code: 'machining.sheet-metal.press-brake', proficiency: 4 },
    ])
    expect(snap.honours).toEqual([
      { expert_id: one?.id, type: 'national_model_worker', level: 'national', year: 2015 },
      { expert_id: two?.id, type: 'craftsman', level: 'city', year: 2021 },
    ])
    expect(snap.blackouts).toEqual([
      { expert_id: one?.id, starts_on: '2026-12-01', ends_on: '2026-12-05' },
    ])
  })

  it('writes in one transaction: a failure while writing leaves the pool as it was', async () => {
    const existing = await makeExpert(tdb.db, {
      orgId: org,
      name: '原有专家',
      mobile: '13900000003',
      capacity: 5,
    })
    // Blackouts are written last; make the database refuse them for this test only.
    await sql`create or replace function talent_test_refuse() returns trigger language plpgsql as $$ begin raise exception 'refused by test'; end $$`.execute(
      tdb.db,
    )
    await sql`create trigger talent_test_refuse before insert on expert_blackout for each row execute function talent_test_refuse()`.execute(
      tdb.db,
    )
    try {
      await expect(
        importExperts(tdb.db, coordinator, { orgId: org, bytes: await xlsxOf(ROWS) }),
      ).rejects.toThrow(/refused by test/)
    } finally {
      await sql`drop trigger talent_test_refuse on expert_blackout`.execute(tdb.db)
    }
    expect(await poolCount()).toBe(1)
    const after = await tdb.db
      .selectFrom('expert')
      .selectAll()
      .where('id', '=', existing.id)
      .executeTakeFirstOrThrow()
    expect(after).toMatchObject({ name: '原有专家', capacity: 5 })
  })

  it('updates experts on re-import (matched by mobile) instead of duplicating them', async () => {
    const bytes = await xlsxOf(ROWS)
    await importExperts(tdb.db, coordinator, { orgId: org, bytes })
    const first = await snapshot(['13900000001', '13900000002', '13900000003'])
    const again = await importExperts(tdb.db, coordinator, { orgId: org, bytes })
    expect(again).toMatchObject({ status: 'imported', created: 0, updated: 3 })
    expect(await poolCount()).toBe(3)
    expect(await snapshot(['13900000001', '13900000002', '13900000003'])).toEqual(first)

    // A changed file replaces skills, honours and blackouts of the updated experts.
    const changed = await xlsxOf([
      row({
        姓名: '导入一（改）',
        手机号码: '+86 139-0000-0001',
        专长技能: 'welding.arc.gmaw:2',
        可服务星期: '6-7',
      }),
    ])
    const third = await importExperts(tdb.db, coordinator, {
      orgId: world.orgs.city.id,
      bytes: changed,
    })
    expect(third).toMatchObject({ status: 'imported', created: 0, updated: 1 })
    const snap = await snapshot(['13900000001'])
    expect(snap.experts).toMatchObject([
      // An updated expert keeps its managing org; the chosen org is for new ones.
      { id: first.experts[0]?.id, name: '导入一（改）', weekdays: [6, 7], org_id: org },
    ])
    expect(snap.skills).toEqual([
      { expert_id: first.experts[0]?.id, code: 'welding.arc.gmaw', proficiency: 2 },
    ])
    expect(snap.honours).toEqual([])
    expect(snap.blackouts).toEqual([])
  })

  it('imports CSV in UTF-8 (with BOM) and in GB18030, as Excel saves it', async () => {
    const csv = [
      HEADER.join(','),
      ...ROWS.map((r) => r.map((v) => `"${String(v).replaceAll('"', '""')}"`).join(',')),
    ].join('\r\n')
    const utf8 = new TextEncoder().encode(`\ufeff${csv}`)
    const outcome = await importExperts(tdb.db, coordinator, { orgId: org, bytes: utf8 })
    expect(outcome).toEqual({ status: 'imported', kind: 'csv', rows: 3, created: 3, updated: 0 })
    const snap = await snapshot(['13900000001'])
    expect(snap.experts[0]).toMatchObject({ name: '导入一', grade: 'senior_technician' })
    expect(snap.skills).toHaveLength(2)

    // GB18030 bytes of a two-row sheet (encoded by hand: 姓名,手机号码 / 李四,13900000009).
    const gbk = new Uint8Array([
      0xd0,
      0xd5,
      0xc3,
      0xfb,
      0x2c,
      0xca,
      0xd6,
      0xbb,
      0xfa,
      0xba,
      0xc5,
      0xc2,
      0xeb,
      0x0d,
      0x0a,
      0xc0,
      0xee,
      0xcb,
      0xc4,
      0x2c,
      ...new TextEncoder().encode('13900000009'),
    ])
    const gb = await importExperts(tdb.db, coordinator, { orgId: org, bytes: gbk })
    expect(gb).toMatchObject({ status: 'imported', kind: 'csv', created: 1 })
    const li = await tdb.db
      .selectFrom('expert')
      .select('name')
      .where('mobile', '=', '13900000009')
      .executeTakeFirstOrThrow()
    expect(li.name).toBe('李四')
  })

  it('reads unquoted multi-valued cells (semicolons inside), and tab-separated text', async () => {
    const header = ['姓名', '手机号码', '专长技能', '荣誉']
    const values = [
      '甲',
      '13900000021',
      'power.equipment.infrared-thermography:4; welding.arc.gmaw:2',
      '全国劳动模范:国家级:2015; 市级工匠::2021',
    ]
    const csv = `${header.join(',')}\n${values.join(',')}\n`
    const outcome = await importExperts(tdb.db, coordinator, {
      orgId: org,
      bytes: new TextEncoder().encode(csv),
    })
    expect(outcome).toMatchObject({ status: 'imported', created: 1 })
    const snap = await snapshot(['13900000021'])
    expect(snap.skills.map((s) => s.code)).toEqual([
      'power.equipment.infrared-thermography',
      'welding.arc.gmaw',
    ])
    expect(snap.honours).toHaveLength(2)
    const tsv = `${header.join('\t')}\n乙\t13900000022\twelding.arc.gmaw:3; welding.arc.gtaw:4\t\n`
    expect(
      await importExperts(tdb.db, coordinator, {
        orgId: org,
        bytes: new TextEncoder().encode(tsv),
      }),
    ).toMatchObject({ status: 'imported', created: 1 })
    expect((await snapshot(['13900000022'])).skills).toHaveLength(2)
  })

  it('reports CSV errors by line number and header, writing nothing', async () => {
    const csv = `${HEADER.slice(0, 3).join(',')}\n甲,13900000011,男\n乙,13900000012,未知\n`
    const outcome = await importExperts(tdb.db, coordinator, {
      orgId: org,
      bytes: new TextEncoder().encode(csv),
    })
    expect(outcome).toMatchObject({
      status: 'invalid',
      issues: [{ row: 3, column: '性别', key: 'talent.cell.gender', params: { value: '未知' } }],
    })
    expect(await poolCount()).toBe(0)
  })
})

async function bytesOf(stream: Readable): Promise<Uint8Array> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array))
  return new Uint8Array(Buffer.concat(chunks))
}

describe('export', () => {
  it('round-trips: the exported file imports again as updates that change nothing', async () => {
    await importExperts(tdb.db, coordinator, { orgId: org, bytes: await xlsxOf(ROWS) })
    await makeExpert(tdb.db, {
      orgId: world.orgs.otherCity.id,
      name: '范围外',
      mobile: '13900000099',
    })
    const before = await snapshot(['13900000001', '13900000002', '13900000003'])
    const { filters } = parseExpertFilters(new URLSearchParams())
    const bytes = await bytesOf(await exportExperts(tdb.db, coordinator, filters))

    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(Buffer.from(bytes) as never)
    const sheet = workbook.getWorksheet(DATA_SHEET)
    expect(sheet?.getRow(1).values).toEqual([undefined, ...HEADER])
    // Three experts of the coordinator's subtree, none from the other city.
    expect(sheet?.actualRowCount).toBe(4)

    const outcome = await importExperts(tdb.db, coordinator, { orgId: org, bytes })
    expect(outcome).toMatchObject({ status: 'imported', created: 0, updated: 3 })
    expect(await snapshot(['13900000001', '13900000002', '13900000003'])).toEqual(before)
  })

  it('exports the whole filtered set across batches, not one page', async () => {
    await tdb.db
      .insertInto('expert')
      .values(
        Array.from({ length: 1203 }, (_, i) => ({
          org_id: org,
          name: `批量${i}`,
          mobile: `137${String(i).padStart(8, '0')}`,
          status: i % 3 === 0 ? ('paused' as const) : ('active' as const),
        })),
      )
      .execute()
    const { filters } = parseExpertFilters(new URLSearchParams({ status: 'paused' }))
    const bytes = await bytesOf(await exportExperts(tdb.db, coordinator, filters))
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(Buffer.from(bytes) as never)
    expect(workbook.getWorksheet(DATA_SHEET)?.actualRowCount).toBe(1 + 401)
  })

  it('is refused to users without a union role', async () => {
    const { filters } = parseExpertFilters(new URLSearchParams())
    await expect(exportExperts(tdb.db, world.principals.contact, filters)).rejects.toMatchObject({
      code: 'forbidden',
    })
  })
})

describe('the template', () => {
  it('has the import headers, an example row to delete, and the guide with codes', async () => {
    const buffer = await importTemplate(tdb.db)
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(buffer as never)
    expect(workbook.getWorksheet(DATA_SHEET)?.getRow(1).values).toEqual([undefined, ...HEADER])
    const guide = workbook.getWorksheet(GUIDE_SHEET)
    const text = JSON.stringify(guide?.getSheetValues())
    for (const needle of [
      '全国劳动模范',
      'national_model_worker',
      '高级技师',
      'power.equipment.infrared-thermography',
      '2026-12-01~2026-12-05',
      '1-5',
    ]) {
      expect(text).toContain(needle)
    }
    // Left in, the example row is refused; replaced by a real row, the template imports.
    const outcome = await importExperts(tdb.db, coordinator, {
      orgId: org,
      bytes: new Uint8Array(buffer),
    })
    expect(outcome).toMatchObject({
      status: 'invalid',
      issues: [{ row: 2, column: '姓名', key: 'talent.import.errors.exampleRow' }],
    })
    const data = workbook.getWorksheet(DATA_SHEET)
    if (!data) throw new Error('no data sheet')
    data.getRow(2).getCell(1).value = '真实专家'
    const edited = new Uint8Array(await workbook.xlsx.writeBuffer())
    expect(await importExperts(tdb.db, coordinator, { orgId: org, bytes: edited })).toMatchObject({
      status: 'imported',
      created: 1,
    })
  })
})

describe('scope', () => {
  it('lets a federation admin higher up import into any org of the subtree', async () => {
    const park = await makeOrg(tdb.db, 'tim park', 'park_union', world.orgs.district.id)
    const outcome = await importExperts(tdb.db, world.principals.admin, {
      orgId: park.id,
      bytes: await xlsxOf([ROWS[2] ?? []]),
    })
    expect(outcome).toMatchObject({ status: 'imported', created: 1 })
  })
})
