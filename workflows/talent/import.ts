import { z } from 'zod'
import { validateMobile } from '../enterprise-validation.ts'
import {
  type CellError,
  formatBlackouts,
  formatSkills,
  formatWeekdays,
  parseBlackoutsCell,
  parseHonoursCell,
  parseListCell,
  parseSkillsCell,
  parseWeekdaysCell,
  type SkillRef,
} from './cells.ts'
import { resolveGrade, TECHNICAL_GRADE_LABELS, type TechnicalGrade } from './grades.ts'
import { HONOUR_LEVEL_LABELS, HONOUR_TYPE_LABELS } from './honours.ts'
import {
  DEFAULT_CAPACITY,
  DEFAULT_WEEKDAYS,
  type ExpertRecord,
  type ExpertStatus,
  type Gender,
  MAX_CAPACITY,
  MIN_CAPACITY,
} from './schema.ts'

/**
 * The import sheet: its columns (the template, the export and the parser
 * share them, so an export can be imported again), the file limits, and the
 * validation of one row. Pure: reading the file is import-file.server.ts,
 * writing is the command's.
 */

export const MAX_IMPORT_BYTES = 5 * 1024 * 1024
export const MAX_IMPORT_ROWS = 5000
/** The errors table stops here (the count of all errors is still given). */
export const MAX_REPORTED_ISSUES = 500

export const IMPORT_COLUMNS = [
  { key: 'name', header: '姓名', required: true, width: 10 },
  { key: 'mobile', header: '手机号码', required: true, width: 14 },
  { key: 'gender', header: '性别', required: false, width: 6 },
  { key: 'email', header: '电子邮箱', required: false, width: 22 },
  { key: 'employer', header: '工作单位', required: false, width: 24 },
  { key: 'jobTitle', header: '职务/职称', required: false, width: 14 },
  { key: 'grade', header: '技术等级', required: false, width: 12 },
  { key: 'skills', header: '专长技能', required: false, width: 48 },
  { key: 'honours', header: '荣誉', required: false, width: 36 },
  { key: 'districts', header: '可服务区县', required: false, width: 18 },
  { key: 'parks', header: '可服务园区', required: false, width: 22 },
  { key: 'weekdays', header: '可服务星期', required: false, width: 12 },
  { key: 'blackouts', header: '不可服务日期', required: false, width: 28 },
  { key: 'capacity', header: '同时服务上限', required: false, width: 12 },
  { key: 'status', header: '状态', required: false, width: 8 },
  { key: 'bio', header: '个人简介', required: false, width: 40 },
] as const

export type ImportColumnKey = (typeof IMPORT_COLUMNS)[number]['key']

/** One problem of the file: a sheet row (1-based, as the spreadsheet shows it) and column header. */
export interface ImportIssue {
  /** Null for the file as a whole (too large, unreadable, a missing column…). */
  row: number | null
  /** The column's header as written in the file (the template's Chinese header). */
  column: string | null
  key: string
  params?: Record<string, string | number>
}

/** A sheet as rows of cell texts, row numbers as in the spreadsheet. */
export interface SheetTable {
  rows: { row: number; cells: string[] }[]
}

const foldHeader = (s: string) =>
  s
    .normalize('NFKC')
    .replace(/[\s*]/g, '')
    .replace(/\((必填|选填|可选)\)$/, '')
    .toLowerCase()

/** Where each known column sits; unknown columns are ignored. */
export function mapHeader(headerCells: string[], headerRow: number) {
  const index = new Map<ImportColumnKey, { at: number; header: string }>()
  const issues: ImportIssue[] = []
  headerCells.forEach((cell, at) => {
    const h = foldHeader(cell)
    if (!h) return
    const column = IMPORT_COLUMNS.find(
      (c) => foldHeader(c.header) === h || c.key.toLowerCase() === h,
    )
    if (!column) return
    if (index.has(column.key)) {
      issues.push({
        row: headerRow,
        column: cell.trim(),
        key: 'talent.import.errors.duplicateColumn',
      })
      return
    }
    index.set(column.key, { at, header: cell.trim() })
  })
  for (const c of IMPORT_COLUMNS) {
    if (c.required && !index.has(c.key)) {
      issues.push({ row: null, column: c.header, key: 'talent.import.errors.missingColumn' })
    }
  }
  return { index, issues }
}

const GENDER_WORDS: Record<string, Gender> = {
  男: 'male',
  male: 'male',
  m: 'male',
  女: 'female',
  female: 'female',
  f: 'female',
}

const STATUS_WORDS: Record<string, ExpertStatus> = {
  在库: 'active',
  正常: 'active',
  可服务: 'active',
  启用: 'active',
  active: 'active',
  暂停: 'paused',
  暂停服务: 'paused',
  paused: 'paused',
}

const emailFormat = z.email()

/** Lookup of the skills taxonomy by code (lower case). */
export type SkillLookup = (code: string) => SkillRef | undefined

/**
 * Validates one data row. Every column is checked (not only the first
 * problem), so the errors table lists all that is wrong with the row.
 */
export function validateImportRow(
  cells: Partial<Record<ImportColumnKey, string>>,
  row: number,
  headers: Partial<Record<ImportColumnKey, string>>,
  skills: SkillLookup,
): { record: ExpertRecord | null; issues: ImportIssue[] } {
  const issues: ImportIssue[] = []
  const column = (key: ImportColumnKey) =>
    headers[key] ?? IMPORT_COLUMNS.find((c) => c.key === key)?.header ?? key
  const problem = (key: ImportColumnKey, error: CellError) =>
    issues.push({ row, column: column(key), key: error.key, params: error.params })
  const text = (key: ImportColumnKey) => (cells[key] ?? '').normalize('NFC').trim()
  const maxLength = (key: ImportColumnKey, max: number): string | null => {
    const v = text(key)
    if ([...v].length > max) {
      problem(key, { key: 'talent.cell.tooLong', params: { max } })
      return null
    }
    return v || null
  }

  const name = text('name')
  if (!name) problem('name', { key: 'talent.cell.required' })
  else if ([...name].length > 50)
    problem('name', { key: 'talent.cell.tooLong', params: { max: 50 } })

  const mobileResult = validateMobile(text('mobile'))
  if (!mobileResult.ok) {
    problem('mobile', {
      key: `enterprise.errors.mobile.${mobileResult.reason}`,
      params: { value: text('mobile') },
    })
  }

  let gender: Gender | null = null
  const genderText = text('gender').toLowerCase()
  if (genderText) {
    gender = GENDER_WORDS[genderText] ?? null
    if (!gender) problem('gender', { key: 'talent.cell.gender', params: { value: text('gender') } })
  }

  let email: string | null = null
  const emailText = text('email').toLowerCase()
  if (emailText) {
    if (emailText.length > 200 || !emailFormat.safeParse(emailText).success) {
      problem('email', { key: 'talent.cell.email', params: { value: text('email') } })
    } else email = emailText
  }

  const employer = maxLength('employer', 100)
  const jobTitle = maxLength('jobTitle', 50)
  const bio = maxLength('bio', 2000)

  let grade: TechnicalGrade | null = null
  if (text('grade')) {
    grade = resolveGrade(text('grade'))
    if (!grade) problem('grade', { key: 'talent.cell.grade', params: { value: text('grade') } })
  }

  const parsedSkills = parseSkillsCell(text('skills'), skills)
  if (!parsedSkills.ok) problem('skills', parsedSkills.error)
  const honours = parseHonoursCell(text('honours'))
  if (!honours.ok) problem('honours', honours.error)
  const districts = parseListCell(text('districts'))
  if (!districts.ok) problem('districts', districts.error)
  const parks = parseListCell(text('parks'))
  if (!parks.ok) problem('parks', parks.error)
  const weekdays = text('weekdays')
    ? parseWeekdaysCell(text('weekdays'))
    : { ok: true as const, value: [...DEFAULT_WEEKDAYS] as number[] }
  if (!weekdays.ok) problem('weekdays', weekdays.error)
  const blackouts = parseBlackoutsCell(text('blackouts'))
  if (!blackouts.ok) problem('blackouts', blackouts.error)

  let capacity = DEFAULT_CAPACITY
  const capacityText = text('capacity')
  if (capacityText) {
    const n = Number(capacityText)
    if (!Number.isInteger(n) || n < MIN_CAPACITY || n > MAX_CAPACITY) {
      problem('capacity', {
        key: 'talent.cell.capacity',
        params: { value: capacityText, min: MIN_CAPACITY, max: MAX_CAPACITY },
      })
    } else capacity = n
  }

  let status: ExpertStatus = 'active'
  const statusText = text('status')
  if (statusText) {
    const s = STATUS_WORDS[statusText.toLowerCase()]
    if (!s) problem('status', { key: 'talent.cell.status', params: { value: statusText } })
    else status = s
  }

  if (
    issues.length > 0 ||
    !mobileResult.ok ||
    !parsedSkills.ok ||
    !honours.ok ||
    !districts.ok ||
    !parks.ok ||
    !weekdays.ok ||
    !blackouts.ok
  ) {
    return { record: null, issues }
  }
  return {
    record: {
      name,
      gender,
      mobile: mobileResult.value,
      email,
      employer,
      jobTitle,
      grade,
      skills: parsedSkills.value.map((s) => ({ skillId: s.skillId, proficiency: s.proficiency })),
      honours: honours.value,
      districts: districts.value,
      parks: parks.value,
      weekdays: weekdays.value,
      blackouts: blackouts.value,
      capacity,
      status,
      bio,
    },
    issues,
  }
}

export interface ValidatedSheet {
  records: { row: number; record: ExpertRecord }[]
  issues: ImportIssue[]
  /** The headers as written in the file, by column. */
  headers: Partial<Record<ImportColumnKey, string>>
}

/**
 * The whole sheet: the first non-empty row is the header; blank rows are
 * skipped; a mobile number may appear once in the file.
 */
export function validateSheet(table: SheetTable, skills: SkillLookup): ValidatedSheet {
  const nonEmpty = table.rows.filter((r) => r.cells.some((c) => c.trim() !== ''))
  const [header, ...data] = nonEmpty
  const fileIssue = (key: string, params?: ImportIssue['params']): ValidatedSheet => ({
    records: [],
    issues: [{ row: null, column: null, key, params }],
    headers: {},
  })
  if (!header) return fileIssue('talent.import.errors.empty')
  const { index, issues } = mapHeader(header.cells, header.row)
  if (issues.length > 0) return { records: [], issues, headers: {} }
  if (data.length === 0) return fileIssue('talent.import.errors.noRows')
  if (data.length > MAX_IMPORT_ROWS) {
    return {
      headers: {},
      records: [],
      issues: [
        {
          row: null,
          column: null,
          key: 'talent.import.errors.tooManyRows',
          params: { max: MAX_IMPORT_ROWS, count: data.length },
        },
      ],
    }
  }
  const headers: Partial<Record<ImportColumnKey, string>> = {}
  for (const [key, { header: h }] of index) headers[key] = h
  const records: ValidatedSheet['records'] = []
  const all: ImportIssue[] = []
  const firstRowOfMobile = new Map<string, number>()
  for (const { row, cells } of data) {
    const values: Partial<Record<ImportColumnKey, string>> = {}
    for (const [key, { at }] of index) values[key] = cells[at] ?? ''
    const { record, issues: rowIssues } = validateImportRow(values, row, headers, skills)
    all.push(...rowIssues)
    if (!record) continue
    if (record.name === TEMPLATE_EXAMPLE.name) {
      all.push({ row, column: headers.name ?? '姓名', key: 'talent.import.errors.exampleRow' })
      continue
    }
    const first = firstRowOfMobile.get(record.mobile)
    if (first !== undefined) {
      all.push({
        row,
        column: headers.mobile ?? '手机号码',
        key: 'talent.import.errors.duplicateMobile',
        params: { value: record.mobile, first },
      })
      continue
    }
    firstRowOfMobile.set(record.mobile, row)
    records.push({ row, record })
  }
  return { records, issues: all, headers }
}

// ─── Writing rows (template example, export) ─────────────────────────────

export interface ExportableExpert {
  name: string
  mobile: string
  gender: Gender | null
  email: string | null
  employer: string | null
  jobTitle: string | null
  grade: string | null
  skills: { code: string; proficiency: number }[]
  honours: { type: string; level: string; year: number | null }[]
  districts: string[]
  parks: string[]
  weekdays: number[]
  blackouts: { startsOn: string; endsOn: string }[]
  capacity: number
  status: ExpertStatus
  bio: string | null
}

/** The template's example row; a sheet that still holds it is refused (it must be deleted). */
export const TEMPLATE_EXAMPLE: ExportableExpert = {
  name: '张三（示例，请删除）',
  mobile: '13800000000',
  gender: 'male',
  email: 'zhangsan@example.com',
  employer: '鹭江示例电气有限公司',
  jobTitle: '设备部主任',
  grade: 'senior_technician',
  skills: [
    { code: 'power.equipment.distribution-box-diagnosis', proficiency: 5 },
    { code: 'power.equipment.infrared-thermography', proficiency: 4 },
  ],
  honours: [
    { type: 'national_model_worker', level: 'national', year: 2015 },
    { type: 'craftsman', level: 'city', year: 2021 },
  ],
  districts: ['海湾区', '湖滨区'],
  parks: ['鹭江高新技术产业园'],
  weekdays: [1, 2, 3, 4, 5],
  blackouts: [{ startsOn: '2026-12-01', endsOn: '2026-12-05' }],
  capacity: 2,
  status: 'active',
  bio: '从事配电设备运维 20 年。',
}

const labelZh = <K extends string>(labels: Record<K, { zh: string }>, code: string) =>
  (labels as Record<string, { zh: string }>)[code]?.zh ?? code

/** The cells of one expert in column order, in the syntax the import reads. */
export function exportCells(e: ExportableExpert): string[] {
  const values: Record<ImportColumnKey, string> = {
    name: e.name,
    mobile: e.mobile,
    gender: e.gender === 'male' ? '男' : e.gender === 'female' ? '女' : '',
    email: e.email ?? '',
    employer: e.employer ?? '',
    jobTitle: e.jobTitle ?? '',
    grade: e.grade ? labelZh(TECHNICAL_GRADE_LABELS, e.grade) : '',
    skills: formatSkills(e.skills),
    honours: e.honours
      .map((h) =>
        [
          labelZh(HONOUR_TYPE_LABELS, h.type),
          labelZh(HONOUR_LEVEL_LABELS, h.level),
          h.year === null ? '' : String(h.year),
        ]
          .join(':')
          .replace(/:$/, ''),
      )
      .join('; '),
    districts: e.districts.join('、'),
    parks: e.parks.join('、'),
    weekdays: formatWeekdays(e.weekdays),
    blackouts: formatBlackouts(e.blackouts),
    capacity: String(e.capacity),
    status: e.status === 'paused' ? '暂停' : '在库',
    bio: e.bio ?? '',
  }
  return IMPORT_COLUMNS.map((c) => values[c.key])
}
