import { describe, expect, it } from 'vitest'
import { resources } from '#app/i18n/config.ts'
import type { SkillRef } from '#workflows/talent/cells.ts'
import {
  exportCells,
  IMPORT_COLUMNS,
  type ImportColumnKey,
  MAX_IMPORT_ROWS,
  mapHeader,
  TEMPLATE_EXAMPLE,
  validateImportRow,
  validateSheet,
} from '#workflows/talent/import.ts'

const SKILLS: Record<string, SkillRef> = {
  'power.equipment.distribution-box-diagnosis': { id: 11, level: 'skill' },
  'power.equipment.infrared-thermography': { id: 12, level: 'skill' },
  'power.equipment': { id: 2, level: 'field' },
}
const lookup = (code: string) => SKILLS[code]
const HEADERS = Object.fromEntries(IMPORT_COLUMNS.map((c) => [c.key, c.header])) as Record<
  ImportColumnKey,
  string
>
const GOOD: Partial<Record<ImportColumnKey, string>> = {
  name: '测试专家',
  mobile: '138 0013 8000',
  gender: '女',
  email: 'Zhuanjia@Example.com',
  employer: '鹭江示例厂',
  jobTitle: '主任',
  grade: '高级技师',
  skills: 'power.equipment.infrared-thermography:4',
  honours: '全国劳动模范:国家级:2015',
  districts: '海湾区、湖滨区',
  parks: '鹭江高新技术产业园',
  weekdays: '1-5',
  blackouts: '2026-12-01~2026-12-05',
  capacity: '3',
  status: '暂停',
  bio: '简介',
}

function lookupMessage(key: string): string | undefined {
  let node: unknown = resources['zh-CN'].translation
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined
    node = (node as Record<string, unknown>)[part]
  }
  return typeof node === 'string' ? node : undefined
}

describe('one import row', () => {
  it('turns a good row into a record', () => {
    const { record, issues } = validateImportRow(GOOD, 7, HEADERS, lookup)
    expect(issues).toEqual([])
    expect(record).toEqual({
      name: '测试专家',
      mobile: '13800138000',
      gender: 'female',
      email: 'zhuanjia@example.com',
      employer: '鹭江示例厂',
      jobTitle: '主任',
      grade: 'senior_technician',
      skills: [{ skillId: 12, proficiency: 4 }],
      honours: [{ type: 'national_model_worker', level: 'national', year: 2015 }],
      districts: ['海湾区', '湖滨区'],
      parks: ['鹭江高新技术产业园'],
      weekdays: [1, 2, 3, 4, 5],
      blackouts: [{ startsOn: '2026-12-01', endsOn: '2026-12-05' }],
      capacity: 3,
      status: 'paused',
      bio: '简介',
    })
  })

  it('fills the defaults of the optional columns', () => {
    const { record, issues } = validateImportRow(
      { name: '最少', mobile: '13900001111' },
      2,
      HEADERS,
      lookup,
    )
    expect(issues).toEqual([])
    expect(record).toMatchObject({
      gender: null,
      email: null,
      grade: null,
      skills: [],
      honours: [],
      weekdays: [1, 2, 3, 4, 5],
      blackouts: [],
      capacity: 2,
      status: 'active',
      bio: null,
    })
  })

  // Each column's own error, with the header named and a message that exists in both languages.
  it.each<[ImportColumnKey, string, string]>([
    ['name', '', 'talent.cell.required'],
    ['name', '名'.repeat(51), 'talent.cell.tooLong'],
    ['mobile', '', 'enterprise.errors.mobile.required'],
    ['mobile', '1380013800', 'enterprise.errors.mobile.length'],
    ['mobile', '12800138000', 'enterprise.errors.mobile.prefix'],
    ['mobile', '138-abc-8000', 'enterprise.errors.mobile.format'],
    ['gender', '未知', 'talent.cell.gender'],
    ['email', 'not-an-email', 'talent.cell.email'],
    ['employer', '厂'.repeat(101), 'talent.cell.tooLong'],
    ['jobTitle', '职'.repeat(51), 'talent.cell.tooLong'],
    ['grade', '宗师', 'talent.cell.grade'],
    ['skills', 'no.such.skill:3', 'talent.cell.unknownSkill'],
    ['skills', 'power.equipment:3', 'talent.cell.notLeafSkill'],
    ['honours', '优秀员工:市级', 'talent.cell.honourType'],
    ['districts', '区'.repeat(61), 'talent.cell.entryTooLong'],
    ['parks', '园'.repeat(61), 'talent.cell.entryTooLong'],
    ['weekdays', '8', 'talent.cell.weekday'],
    ['blackouts', '2026-12-05~2026-12-01', 'talent.cell.blackoutOrder'],
    ['capacity', '0', 'talent.cell.capacity'],
    ['capacity', '2.5', 'talent.cell.capacity'],
    ['capacity', '21', 'talent.cell.capacity'],
    ['status', '退休', 'talent.cell.status'],
    ['bio', '字'.repeat(2001), 'talent.cell.tooLong'],
  ])('%s = %j → %s', (column, value, key) => {
    const { record, issues } = validateImportRow({ ...GOOD, [column]: value }, 9, HEADERS, lookup)
    expect(record).toBeNull()
    expect(issues).toHaveLength(1)
    expect(issues[0]).toMatchObject({ row: 9, column: HEADERS[column], key })
    expect(lookupMessage(key), key).toBeTypeOf('string')
  })

  it('lists every bad column of a row, not only the first', () => {
    const { issues } = validateImportRow(
      { ...GOOD, mobile: '123', grade: '宗师', capacity: '99', weekdays: '9' },
      4,
      HEADERS,
      lookup,
    )
    expect(issues.map((i) => i.column)).toEqual([
      '手机号码',
      '技术等级',
      '可服务星期',
      '同时服务上限',
    ])
    expect(issues.every((i) => i.row === 4)).toBe(true)
  })
})

describe('the sheet', () => {
  it('refuses the template’s example row left in the sheet', () => {
    const lookupAll = (code: string): SkillRef | undefined =>
      code.startsWith('power.equipment.') ? { id: code.length, level: 'skill' } : undefined
    const { records, issues } = validateSheet(
      {
        rows: [
          { row: 1, cells: IMPORT_COLUMNS.map((c) => c.header) },
          { row: 2, cells: exportCells(TEMPLATE_EXAMPLE) },
        ],
      },
      lookupAll,
    )
    expect(records).toEqual([])
    expect(issues).toEqual([{ row: 2, column: '姓名', key: 'talent.import.errors.exampleRow' }])
    expect(lookupMessage('talent.import.errors.exampleRow')).toBeTypeOf('string')
  })

  const header = IMPORT_COLUMNS.map((c) => c.header)
  const row = (n: number, values: Partial<Record<ImportColumnKey, string>>) => ({
    row: n,
    cells: IMPORT_COLUMNS.map((c) => values[c.key] ?? ''),
  })

  it('finds columns by header (in any order, extra columns ignored, header written loosely)', () => {
    const { index, issues } = mapHeader(['备注', ' 手机号码 ', '姓名*', 'grade'], 1)
    expect(issues).toEqual([])
    expect(index.get('mobile')?.at).toBe(1)
    expect(index.get('name')?.at).toBe(2)
    expect(index.get('grade')?.at).toBe(3)
  })

  it('names missing required columns and repeated ones', () => {
    expect(mapHeader(['性别', '姓名', '姓名'], 1).issues).toEqual([
      { row: 1, column: '姓名', key: 'talent.import.errors.duplicateColumn' },
      { row: null, column: '手机号码', key: 'talent.import.errors.missingColumn' },
    ])
  })

  it('reports rows by their sheet number, skipping blank rows, and a mobile given twice', () => {
    const { records, issues } = validateSheet(
      {
        rows: [
          { row: 1, cells: [] },
          { row: 2, cells: header },
          row(3, { name: '甲', mobile: '13800000001' }),
          row(4, {}),
          row(5, { name: '乙', mobile: '13800000002', capacity: 'x' }),
          row(6, { name: '丙', mobile: '+86 138 0000 0001' }),
        ],
      },
      lookup,
    )
    expect(records.map((r) => r.row)).toEqual([3])
    expect(issues).toEqual([
      {
        row: 5,
        column: '同时服务上限',
        key: 'talent.cell.capacity',
        params: { value: 'x', min: 1, max: 20 },
      },
      {
        row: 6,
        column: '手机号码',
        key: 'talent.import.errors.duplicateMobile',
        params: { value: '13800000001', first: 3 },
      },
    ])
  })

  it('refuses an empty sheet, a header without rows and too many rows', () => {
    expect(validateSheet({ rows: [] }, lookup).issues[0]?.key).toBe('talent.import.errors.empty')
    expect(validateSheet({ rows: [{ row: 1, cells: header }] }, lookup).issues[0]?.key).toBe(
      'talent.import.errors.noRows',
    )
    const many = Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, i) =>
      row(i + 2, { name: 'x', mobile: '13800000001' }),
    )
    expect(
      validateSheet({ rows: [{ row: 1, cells: header }, ...many] }, lookup).issues[0],
    ).toMatchObject({ key: 'talent.import.errors.tooManyRows', params: { max: MAX_IMPORT_ROWS } })
  })

  it('reads back what it writes (an expert like the template example, as exported)', () => {
    const lookupAll = (code: string): SkillRef | undefined =>
      code.startsWith('power.equipment.') ? { id: code.length, level: 'skill' } : undefined
    const expert = { ...TEMPLATE_EXAMPLE, name: '张三' }
    const { records, issues } = validateSheet(
      {
        rows: [
          { row: 1, cells: header },
          { row: 2, cells: exportCells(expert) },
        ],
      },
      lookupAll,
    )
    expect(issues).toEqual([])
    expect(records[0]?.record).toMatchObject({
      name: '张三',
      mobile: TEMPLATE_EXAMPLE.mobile,
      gender: 'male',
      grade: 'senior_technician',
      honours: TEMPLATE_EXAMPLE.honours,
      districts: TEMPLATE_EXAMPLE.districts,
      weekdays: TEMPLATE_EXAMPLE.weekdays,
      blackouts: TEMPLATE_EXAMPLE.blackouts,
      capacity: 2,
      status: 'active',
    })
  })
})
