import type { Writable } from 'node:stream'
import { parse as parseCsv } from 'csv-parse/sync'
import ExcelJS from 'exceljs'
import { TECHNICAL_GRADE_LABELS, TECHNICAL_GRADES } from './grades.ts'
import {
  HONOUR_LEVEL_LABELS,
  HONOUR_LEVELS,
  HONOUR_TYPE_LABELS,
  HONOUR_TYPES,
  IMPLIED_LEVEL,
} from './honours.ts'
import {
  type ExportableExpert,
  exportCells,
  IMPORT_COLUMNS,
  MAX_IMPORT_BYTES,
  MAX_IMPORT_ROWS,
  type SheetTable,
  TEMPLATE_EXAMPLE,
} from './import.ts'

/**
 * Reading an uploaded sheet (.xlsx through exceljs, .csv through csv-parse)
 * into cell texts, and writing the template and the export. The file's kind
 * is told by its content: a ZIP holding xl/workbook.xml, or text.
 */

/** The file cannot be read as a sheet; `key` is the translation of why. */
export class ImportFileError extends Error {
  constructor(
    readonly key: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(key)
  }
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/** Content-Disposition for a download: an ASCII fallback and the UTF-8 name (RFC 6266 / 5987). */
export function xlsxDisposition(asciiName: string, name: string): string {
  return `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(name)}`
}

export const DATA_SHEET = '专家信息'
export const GUIDE_SHEET = '填写说明'
/** Uncompressed size an .xlsx may claim (a few MB of cells are far below it). */
const MAX_UNZIPPED_BYTES = 80 * 1024 * 1024

const ZIP_LOCAL = [0x50, 0x4b, 0x03, 0x04]

interface ZipEntry {
  name: string
  uncompressed: number
}

/** Entries of a ZIP's central directory, or null when it is not a ZIP we read. */
function zipEntries(bytes: Uint8Array): ZipEntry[] | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (bytes.length < 22) return null
  let eocd = -1
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i
      break
    }
  }
  if (eocd < 0) return null
  const count = view.getUint16(eocd + 10, true)
  const size = view.getUint32(eocd + 12, true)
  let offset = view.getUint32(eocd + 16, true)
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) return null
  if (offset + size > eocd) return null
  const decoder = new TextDecoder('utf-8', { fatal: false })
  const out: ZipEntry[] = []
  for (let n = 0; n < count; n++) {
    if (offset + 46 > eocd || view.getUint32(offset, true) !== 0x02014b50) return null
    const uncompressed = view.getUint32(offset + 24, true)
    const nameLength = view.getUint16(offset + 28, true)
    const extraLength = view.getUint16(offset + 30, true)
    const commentLength = view.getUint16(offset + 32, true)
    const end = offset + 46 + nameLength
    if (end > eocd) return null
    out.push({ name: decoder.decode(bytes.subarray(offset + 46, end)), uncompressed })
    offset = end + extraLength + commentLength
  }
  return out
}

export type SheetKind = 'xlsx' | 'csv'

/** What the bytes are: an .xlsx workbook, CSV text (UTF-8 or GB18030), or neither. */
export function sniffSheetKind(bytes: Uint8Array): SheetKind | null {
  if (ZIP_LOCAL.every((b, i) => bytes[i] === b)) {
    const entries = zipEntries(bytes)
    return entries?.some((e) => e.name === 'xl/workbook.xml') ? 'xlsx' : null
  }
  return decodeText(bytes) === null ? null : 'csv'
}

/** Text without NUL bytes, as UTF-8 (BOM dropped) or else GB18030 (Excel's Chinese CSV). */
function decodeText(bytes: Uint8Array): string | null {
  if (bytes.includes(0)) return null
  for (const encoding of ['utf-8', 'gb18030']) {
    try {
      const text = new TextDecoder(encoding, { fatal: true, ignoreBOM: false }).decode(bytes)
      // Control characters other than tab and line breaks: not a text file.
      // biome-ignore lint/suspicious/noControlCharactersInRegex: detecting them is the point
      if (/[\u0001-\u0008\u000b\u000c\u000e-\u001f]/.test(text)) return null
      return text
    } catch {}
  }
  return null
}

/** The text a spreadsheet user sees in a cell, whatever exceljs made of it. */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'number') {
    // Mobiles typed as numbers, capacities: integers without exponent or decimals.
    return Number.isInteger(value) ? value.toFixed(0) : String(value)
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE'
  if (value instanceof Date) {
    // Excel dates carry no zone; exceljs hands them over as UTC midnight.
    return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10)
  }
  if (typeof value === 'object') {
    if ('richText' in value && Array.isArray(value.richText)) {
      return value.richText.map((r) => r.text).join('')
    }
    if ('text' in value && typeof value.text === 'string') return value.text
    if ('result' in value) return cellText((value.result ?? null) as ExcelJS.CellValue)
    if ('error' in value) return ''
  }
  return String(value)
}

async function readXlsx(bytes: Uint8Array): Promise<SheetTable> {
  const entries = zipEntries(bytes)
  if (!entries) throw new ImportFileError('talent.import.errors.unreadable')
  const total = entries.reduce((n, e) => n + e.uncompressed, 0)
  if (total > MAX_UNZIPPED_BYTES) throw new ImportFileError('talent.import.errors.tooLarge')
  const workbook = new ExcelJS.Workbook()
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as never)
  } catch {
    throw new ImportFileError('talent.import.errors.unreadable')
  }
  // The data sheet by name (the template's), else the first sheet.
  const sheet = workbook.getWorksheet(DATA_SHEET) ?? workbook.worksheets[0]
  if (!sheet) throw new ImportFileError('talent.import.errors.empty')
  if (sheet.actualRowCount > MAX_IMPORT_ROWS + 1) {
    throw new ImportFileError('talent.import.errors.tooManyRows', {
      max: MAX_IMPORT_ROWS,
      count: sheet.actualRowCount - 1,
    })
  }
  const rows: SheetTable['rows'] = []
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = []
    // Columns are 1-based; the row's values array keeps index 0 empty.
    for (let c = 1; c <= Math.min(row.cellCount, 64); c++)
      cells.push(cellText(row.getCell(c).value))
    rows.push({ row: rowNumber, cells })
  })
  return { rows }
}

function tabSeparated(text: string): boolean {
  const firstLine = text.slice(0, text.search(/\r?\n|$/))
  return firstLine.includes('\t') && !firstLine.includes(',')
}

function readCsv(bytes: Uint8Array): SheetTable {
  const text = decodeText(bytes)
  if (text === null) throw new ImportFileError('talent.import.errors.notSheet')
  let records: string[][]
  try {
    records = parseCsv(text, {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: false,
      // Commas; a tab-separated sheet (its header has tabs and no commas) is read as well.
      // Never semicolons: multi-valued cells use them unquoted.
      delimiter: tabSeparated(text) ? '\t' : ',',
      max_record_size: 64 * 1024,
      to: MAX_IMPORT_ROWS + 2,
    }) as string[][]
  } catch {
    throw new ImportFileError('talent.import.errors.unreadable')
  }
  if (records.length > MAX_IMPORT_ROWS + 1) {
    throw new ImportFileError('talent.import.errors.tooManyRows', {
      max: MAX_IMPORT_ROWS,
      count: `${MAX_IMPORT_ROWS}+`,
    })
  }
  return { rows: records.map((cells, i) => ({ row: i + 1, cells: cells.slice(0, 64) })) }
}

/** The uploaded file as a table, or ImportFileError saying why it cannot be. */
export async function readSheet(
  bytes: Uint8Array,
): Promise<{ kind: SheetKind; table: SheetTable }> {
  if (bytes.byteLength === 0) throw new ImportFileError('talent.import.errors.empty')
  if (bytes.byteLength > MAX_IMPORT_BYTES)
    throw new ImportFileError('talent.import.errors.tooLarge')
  const kind = sniffSheetKind(bytes)
  if (kind === 'xlsx') return { kind, table: await readXlsx(bytes) }
  if (kind === 'csv') return { kind, table: readCsv(bytes) }
  throw new ImportFileError('talent.import.errors.notSheet')
}

// ─── Writing ──────────────────────────────────────────────────────────────

function addHeader(sheet: ExcelJS.Worksheet) {
  sheet.columns = IMPORT_COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width }))
}

/** Cells are text (a mobile must not turn into 1.38E+10). */
const TEXT_FORMAT = '@'

export interface TemplateSkill {
  code: string
  nameZh: string
  fieldZh: string
  domainZh: string
}

/** The import template: the data sheet with its headers and an example row, and the guide. */
export async function templateWorkbook(skills: TemplateSkill[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  workbook.creator = 'Zhuqi'
  const data = workbook.addWorksheet(DATA_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] })
  addHeader(data)
  data.getRow(1).font = { bold: true }
  for (let c = 1; c <= IMPORT_COLUMNS.length; c++) data.getColumn(c).numFmt = TEXT_FORMAT
  data.addRow(exportCells(TEMPLATE_EXAMPLE))

  const guide = workbook.addWorksheet(GUIDE_SHEET)
  guide.columns = [
    { header: '项目', key: 'a', width: 30 },
    { header: '说明', key: 'b', width: 70 },
    { header: '', key: 'c', width: 30 },
  ]
  guide.getRow(1).font = { bold: true }
  const line = (a: string, b = '', c = '') => guide.addRow([a, b, c])
  const heading = (text: string) => {
    guide.addRow([])
    guide.addRow([text]).font = { bold: true }
  }
  line('总体说明', `在“${DATA_SHEET}”工作表中每行填写一位专家，第一行为表头，请勿修改表头。`)
  line(
    '',
    `示例行仅供参考，导入前请删除（不删除会报错）。最多 ${MAX_IMPORT_ROWS} 行，文件不超过 5 MB。`,
  )
  line('', '也可另存为 CSV（UTF-8 或 GBK 编码）后导入，表头相同。')
  line('', '导入时逐行检查，有任何错误则全部不导入，并列出出错的行和列。')
  line(
    '',
    '手机号码是专家的唯一标识：再次导入同一手机号码会更新该专家（技能、荣誉、不可服务日期以文件为准）。',
  )
  line('', '新增专家的管理工会为导入时选择的工会；已有专家保留原管理工会。')
  heading('各列填写方法')
  line('姓名（必填）', '不超过 50 字')
  line('手机号码（必填）', '11 位中国大陆手机号码，可带 +86、空格或短横线')
  line('性别', '男 或 女，可不填')
  line('电子邮箱', '可不填')
  line('工作单位 / 职务/职称', '工作单位不超过 100 字，职务/职称不超过 50 字')
  line('技术等级', '填写下方“技术等级”表中的名称，可不填')
  line(
    '专长技能',
    '技能代码:熟练程度，多个用分号分隔，如 power.equipment.infrared-thermography:4; machining.cnc.programming:3',
  )
  line(
    '',
    '熟练程度 1（入门）至 5（大师），不填为 3；技能代码见下方“技能代码”表（只能用具体技能，不能用领域或方向）',
  )
  line(
    '荣誉',
    '荣誉类型:级别:年份，多个用分号分隔，如 全国劳动模范:国家级:2015; 市级工匠:市级:2021',
  )
  line(
    '',
    '年份可不填；全国劳动模范、大国工匠等名称已含级别时级别可不填（如 大国工匠::2019 或 大国工匠:2019）',
  )
  line('可服务区县 / 可服务园区', '多个用顿号或分号分隔，如 海湾区、湖滨区')
  line('可服务星期', '1 表示周一 … 7 表示周日；如 1-5、1,3,5、1-3,6；不填为 1-5（周一至周五）')
  line('不可服务日期', '日期或日期范围，多个用分号分隔，如 2026-12-01~2026-12-05; 2027-01-01')
  line('同时服务上限', `同时承接的服务数，${1} 至 ${20} 的整数，不填为 2`)
  line('状态', '在库 或 暂停，不填为 在库')
  line('个人简介', '不超过 2000 字')
  heading('荣誉类型')
  line('名称', '代码（也可填写）', '级别不填时默认')
  for (const code of HONOUR_TYPES) {
    const implied = IMPLIED_LEVEL[code]
    line(
      HONOUR_TYPE_LABELS[code].zh,
      code,
      implied ? HONOUR_LEVEL_LABELS[implied].zh : '（须填写级别）',
    )
  }
  line('省级工匠 / 市级工匠', 'craftsman', '省级 / 市级')
  heading('荣誉级别')
  for (const code of HONOUR_LEVELS) line(HONOUR_LEVEL_LABELS[code].zh, code)
  heading('技术等级')
  for (const code of TECHNICAL_GRADES) line(TECHNICAL_GRADE_LABELS[code].zh, code)
  heading('技能代码')
  line('技能代码', '技能名称', '所属领域 / 方向')
  for (const s of skills) line(s.code, s.nameZh, `${s.domainZh} / ${s.fieldZh}`)
  const out = await workbook.xlsx.writeBuffer()
  return Buffer.from(out as ArrayBuffer)
}

/**
 * Streams the experts as an .xlsx with the template's columns (so it can be
 * imported again). Rows are written and flushed batch by batch.
 */
export async function writeExpertsXlsx(
  stream: Writable,
  batches: AsyncIterable<ExportableExpert[]>,
): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream,
    useStyles: true,
    useSharedStrings: false,
  })
  const sheet = workbook.addWorksheet(DATA_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] })
  addHeader(sheet)
  for await (const batch of batches) {
    for (const expert of batch) sheet.addRow(exportCells(expert)).commit()
  }
  sheet.commit()
  await workbook.commit()
}
