import type { PassThrough, Readable } from 'node:stream'
import type ExcelJS from 'exceljs'
import { deadlinesMessages } from '#app/i18n/features/deadlines.ts'
import { enterpriseMessages } from '#app/i18n/features/enterprise.ts'
import { outcomesMessages } from '#app/i18n/features/outcomes.ts'
import { zhCN } from '#app/i18n/locales/zh-CN.ts'
import type { Db, DbOrTrx } from '#db/client.server.ts'
import {
  type Bounds,
  boundsOf,
  categoryNames,
  closedCaseBatches,
  closedCaseItemBatches,
  toCaseRow,
} from '#db/queries/reports/closed-cases.ts'
import { BREAKDOWN_DIMS, type BreakdownDim } from '#workflows/dashboard/metrics.ts'
import { type Period, previousPeriod } from '#workflows/dashboard/period.ts'
import type {
  BreakdownRow,
  DashboardOverview,
  OrgRef,
  OutcomeFigures,
} from '#workflows/dashboard/types.ts'
import { beijingDateTime } from './columns.ts'
import {
  changeRate,
  type FigureLike,
  figureNumber,
  fromFen,
  type Lang,
  ownRow,
  periodLabel,
  periodSpan,
  reportTitle,
  SUMMARY_METRICS,
  subtractYuan,
  toFen,
} from './periodic-format.ts'
import { readAhead } from './read-ahead.ts'
import { beijingCell, roomIn, streamingWorkbook } from './xlsx.server.ts'

/**
 * The periodic report as a workbook in the layout of a statistics form (the
 * report is sent upward in Chinese): 汇总, 下级工会, 分类统计, 月度趋势, 环节时效
 * from the dashboard overview; 案件明细 and 成效明细 with every case closed in
 * the period, streamed in batches.
 */

/** The workbook stream, with what the download's name is made of. */
export type PeriodicWorkbook = Readable & { report: { org: OrgRef; period: Period } }

const COUNT_FORMAT = '#,##0'
const MONEY_FORMAT = '#,##0.00'
const RATE_FORMAT = '0.0%'
const RATING_FORMAT = '0.00'
const DATE_FORMAT = 'yyyy-mm-dd'
/** A date cell in Beijing wall time, or an empty cell. */
const dateCell = (at: Date | null): Date | null => (at ? beijingCell(at) : null)

const FONT = { name: '宋体', size: 11 }
const TITLE_FONT = { name: '黑体', size: 16, bold: true }
const HEADER_FONT = { name: '黑体', size: 11, bold: true }
const THIN = { style: 'thin' as const }
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN }
const HEADER_FILL = {
  type: 'pattern' as const,
  pattern: 'solid' as const,
  fgColor: { argb: 'FFF2F2F2' },
}

interface Column {
  header: string
  width: number
  numFmt?: string
  /** Wrap long text (titles, descriptions). */
  wrap?: boolean
}

type Sheet = ExcelJS.Worksheet
type Cell = ExcelJS.CellValue

function pageSetup(landscape: boolean, titleRows: string) {
  return {
    paperSize: 9, // A4
    orientation: landscape ? ('landscape' as const) : ('portrait' as const),
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    horizontalCentered: true,
    printTitlesRow: titleRows,
    margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
  }
}

/** The style of a column's cells: one object per column, shared by every cell (see dataRow). */
function columnStyle(c: Column): Partial<ExcelJS.Style> {
  return {
    font: FONT,
    ...(c.numFmt ? { numFmt: c.numFmt } : {}),
    alignment: c.wrap ? { wrapText: true, vertical: 'top' } : { vertical: 'top' },
  }
}

/** A sheet with a merged title row, an org/period row and a header row (frozen, repeated on print). */
function addTableSheet(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  name: string,
  columns: Column[],
  heading: { title: string; info: string },
  landscape: boolean,
): Sheet {
  const sheet = workbook.addWorksheet(name, {
    views: [{ state: 'frozen', ySplit: 3, xSplit: 0 }],
    pageSetup: pageSetup(landscape, '1:3'),
    headerFooter: { oddFooter: '第 &P 页，共 &N 页' },
  } as Partial<ExcelJS.AddWorksheetOptions>)
  sheet.columns = columns.map((c) => ({
    width: c.width,
    style: columnStyle(c),
  })) as ExcelJS.Column[]
  titleRows(sheet, columns.length, heading)
  headerRow(
    sheet,
    columns.map((c) => c.header),
    30,
  )
  return sheet
}

/**
 * A detail row committed with each cell on its column's shared style object:
 * the writer recognises a style object it has seen, where a fresh copy per
 * cell would be serialised and looked up again (most of the time of a large
 * sheet).
 */
function dataRow(sheet: Sheet, styles: readonly Partial<ExcelJS.Style>[], cells: Cell[]) {
  const row = sheet.addRow(cells)
  for (let i = 0; i < styles.length; i++) {
    row.getCell(i + 1).style = styles[i] as Partial<ExcelJS.Style>
  }
  row.commit()
}

/** The sheet's first row: its title, merged across `width` columns. */
function titleRow(sheet: Sheet, title: string, width: number, height: number) {
  const row = sheet.addRow([title])
  row.height = height
  row.getCell(1).font = TITLE_FONT
  row.getCell(1).alignment = { horizontal: 'center', vertical: 'middle' }
  sheet.mergeCells(1, 1, 1, width)
  row.commit()
}

/** A table's header row: bold, shaded, bordered, centred and wrapped. */
function headerRow(sheet: Sheet, headers: string[], height?: number) {
  const row = sheet.addRow(headers)
  if (height !== undefined) row.height = height
  row.eachCell((cell) => {
    cell.font = HEADER_FONT
    cell.fill = HEADER_FILL
    cell.border = BORDER
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true }
  })
  row.commit()
}

/** Borders every cell of the row (empty ones too), so the table prints as a grid. */
function bordered(row: ExcelJS.Row) {
  row.eachCell({ includeEmpty: true }, (cell) => {
    cell.border = BORDER
  })
}

/** A note under a table, merged across `width` columns. */
function noteRow(sheet: Sheet, note: string, width: number, wrap: boolean) {
  const row = sheet.addRow([note])
  if (wrap) {
    row.height = 30
    row.getCell(1).alignment = { wrapText: true, vertical: 'top' }
  }
  sheet.mergeCells(row.number, 1, row.number, width)
  row.commit()
}

function titleRows(sheet: Sheet, width: number, heading: { title: string; info: string }) {
  titleRow(sheet, heading.title, width, 32)
  const info = sheet.addRow([heading.info])
  info.getCell(1).font = FONT
  sheet.mergeCells(2, 1, 2, width)
  info.commit()
}

function addBodyRow(sheet: Sheet, cells: Cell[], opts: { bold?: boolean } = {}) {
  const row = sheet.addRow(cells)
  bordered(row)
  if (opts.bold) {
    row.eachCell({ includeEmpty: true }, (cell) => {
      cell.font = { ...FONT, bold: true }
    })
  }
  row.commit()
}

function money(yuan: string | null): number | null {
  return yuan === null ? null : Number(fromFen(toFen(yuan)))
}

/** Waits while the reader is behind, so rows never pile up unread. */
async function drained(out: PassThrough): Promise<void> {
  if (!(await roomIn(out))) throw new Error('the workbook reader went away')
}

const STATE_LABEL = zhCN.status as Record<string, string>
const SLA_LABEL = deadlinesMessages.zh.stage as Record<string, string>
const INDUSTRY_LABEL = enterpriseMessages.zh.industry as Record<string, string>
const TAG_LABEL = enterpriseMessages.zh.tag as Record<string, string>
const RESULT_LABEL = outcomesMessages.zh.result as Record<string, string>

const DIM_LABEL: Record<BreakdownDim, string> = {
  category: '服务类别',
  industry: '所属行业',
  district: '区县',
  park: '园区',
  tag: '企业资质',
}

const UNSET = '（未填写）'

function keyLabel(
  dim: BreakdownDim,
  key: string,
  categories: Record<string, Record<Lang, string>>,
) {
  if (key === '') return UNSET
  if (dim === 'category') return categories[key]?.zh ?? key
  if (dim === 'industry') return INDUSTRY_LABEL[key] ? `${key} ${INDUSTRY_LABEL[key]}` : key
  if (dim === 'tag') return TAG_LABEL[key] ?? key
  return key
}

function stageLabel(stage: string): string {
  return STATE_LABEL[stage] ?? SLA_LABEL[stage] ?? stage
}

function slaLabel(stage: string): string {
  return SLA_LABEL[stage] ?? STATE_LABEL[stage] ?? stage
}

function summaryValue(f: OutcomeFigures, key: keyof OutcomeFigures): number | null {
  return figureNumber(f[key])
}

interface Context {
  workbook: ExcelJS.stream.xlsx.WorkbookWriter
  overview: DashboardOverview
  title: string
  info: string
  now: Date
  categories: Record<string, Record<Lang, string>>
}

// 汇总: the headline figures as a formal statistics form.
function writeSummary(ctx: Context) {
  const { overview: o, workbook } = ctx
  const previous = previousPeriod(o.period)
  const columns: Column[] = [
    { header: '序号', width: 6 },
    { header: '指标名称', width: 28 },
    { header: '计量单位', width: 9 },
    { header: `本期\n（${periodLabel(o.period, 'zh')}）`, width: 16 },
    { header: `上期\n（${periodLabel(previous, 'zh')}）`, width: 16 },
    { header: '比上期增减', width: 16 },
    { header: '增减幅度', width: 10, numFmt: RATE_FORMAT },
    { header: `${o.period.year}年度目标`, width: 16 },
    { header: `${o.period.year}年度累计`, width: 16 },
    { header: '目标完成进度', width: 12, numFmt: RATE_FORMAT },
  ]
  const sheet = workbook.addWorksheet('汇总', {
    views: [{ state: 'frozen', ySplit: 3, xSplit: 0 }],
    pageSetup: pageSetup(true, '1:3'),
  } as Partial<ExcelJS.AddWorksheetOptions>)
  sheet.columns = columns.map((c) => ({
    width: c.width,
    style: { font: FONT, ...(c.numFmt ? { numFmt: c.numFmt } : {}) },
  })) as ExcelJS.Column[]
  titleRow(sheet, ctx.title, columns.length, 36)
  const info = sheet.addRow([
    `填报单位：${o.org.name}`,
    null,
    null,
    null,
    null,
    `统计期间：${periodSpan(o.period, 'zh')}（${periodLabel(o.period, 'zh')}）`,
  ])
  info.getCell(6).alignment = { horizontal: 'right' }
  sheet.mergeCells(2, 1, 2, 5)
  sheet.mergeCells(2, 6, 2, columns.length)
  info.commit()
  headerRow(
    sheet,
    columns.map((c) => c.header),
    36,
  )
  const targets = new Map(o.targets.map((t) => [t.metric, t]))
  SUMMARY_METRICS.forEach((m, i) => {
    const current = summaryValue(o.figures, m.key)
    const before = summaryValue(o.previous, m.key)
    const delta =
      m.kind === 'money'
        ? Number(subtractYuan(String(o.figures[m.key]), String(o.previous[m.key])))
        : current !== null && before !== null
          ? Math.round((current - before) * 100) / 100
          : null
    const target = m.target ? targets.get(m.target) : undefined
    const row = sheet.addRow([
      i + 1,
      m.label.zh,
      m.unit.zh,
      current,
      before,
      delta,
      changeRate(current, before),
      target?.target == null ? null : Number(target.target),
      target ? Number(target.actual) : null,
      target?.progress ?? null,
    ])
    const fmt =
      m.kind === 'money' ? MONEY_FORMAT : m.kind === 'rating' ? RATING_FORMAT : COUNT_FORMAT
    for (const c of [4, 5, 6, 8, 9]) row.getCell(c).numFmt = fmt
    row.getCell(1).alignment = { horizontal: 'center' }
    row.getCell(3).alignment = { horizontal: 'center' }
    bordered(row)
    row.commit()
  })
  sheet.addRow([]).commit()
  const notes = [
    '说明：1. 办结案件及其成效（服务企业、服务事项、解决问题、参与劳模工匠人次、培训职工人次、经济效益、企业评价）按办结时间统计；受理需求清单按企业提交时间统计；签订结对服务协议按各方确认完毕的时间统计。时间均为北京时间。',
    '2. 解决问题数只计“已解决”的服务事项，“部分解决”另列；参与劳模工匠人次按每位专家每次走访计 1 人次，未走访而提供服务的结对专家计 1 人次。',
    `3. 经济效益以元为单位，“预估”为服务结束时的测算，“已确认”为企业财务核算；年度目标与年度累计为${o.period.year}年全年口径。`,
    `4. 数据更新至 ${beijingDateTime(o.asOf)}，报表生成于 ${beijingDateTime(ctx.now)}。`,
  ]
  for (const note of notes) noteRow(sheet, note, columns.length, true)
  sheet.addRow([]).commit()
  const footer = sheet.addRow([
    '单位负责人：',
    null,
    '填表人：',
    null,
    '联系电话：',
    null,
    null,
    '填报日期：',
    beijingCell(ctx.now),
  ])
  footer.getCell(9).numFmt = DATE_FORMAT
  footer.getCell(9).alignment = { horizontal: 'left' }
  footer.commit()
  sheet.commit()
}

const FIGURE_COLUMNS: (Column & { of: (f: FigureLike) => Cell })[] = [
  { header: '受理需求清单（件）', width: 12, numFmt: COUNT_FORMAT, of: (f) => f.casesFiled },
  { header: '办结案件（件）', width: 12, numFmt: COUNT_FORMAT, of: (f) => f.casesClosed },
  {
    header: '服务企业（家）',
    width: 12,
    numFmt: COUNT_FORMAT,
    of: (f) => f.enterprisesServed ?? null,
  },
  { header: '办结服务事项（个）', width: 12, numFmt: COUNT_FORMAT, of: (f) => f.itemsClosed },
  { header: '解决问题（个）', width: 12, numFmt: COUNT_FORMAT, of: (f) => f.problemsSolved },
  { header: '部分解决（个）', width: 12, numFmt: COUNT_FORMAT, of: (f) => f.partlySolved },
  {
    header: '参与劳模工匠（人次）',
    width: 12,
    numFmt: COUNT_FORMAT,
    of: (f) => f.expertParticipations,
  },
  { header: '培训职工（人次）', width: 12, numFmt: COUNT_FORMAT, of: (f) => f.workersTrained },
  {
    header: '经济效益预估（元）',
    width: 16,
    numFmt: MONEY_FORMAT,
    of: (f) => money(f.benefitEstimated),
  },
  {
    header: '经济效益已确认（元）',
    width: 16,
    numFmt: MONEY_FORMAT,
    of: (f) => money(f.benefitConfirmed),
  },
  {
    header: '经济效益合计（元）',
    width: 16,
    numFmt: MONEY_FORMAT,
    of: (f) => money(f.benefitTotal),
  },
  { header: '签订协议（份）', width: 11, numFmt: COUNT_FORMAT, of: (f) => f.agreementsSigned },
  { header: '企业评价（件）', width: 11, numFmt: COUNT_FORMAT, of: (f) => f.ratingCount },
  {
    header: '评价平均分（分）',
    width: 11,
    numFmt: RATING_FORMAT,
    of: (f) => (f.averageRating === null ? null : Number(f.averageRating)),
  },
]

/** Breakdowns and months count no distinct enterprises. */
const BREAKDOWN_FIGURE_COLUMNS = FIGURE_COLUMNS.filter((c) => c.header !== '服务企业（家）')

// 下级工会: one row per child org, the org's own cases, and the total (= the org).
function writeChildren(ctx: Context) {
  const o = ctx.overview
  const columns: Column[] = [
    { header: '序号', width: 6 },
    { header: '工会', width: 30, wrap: true },
    ...FIGURE_COLUMNS,
    { header: '在办案件（件）', width: 11, numFmt: COUNT_FORMAT },
  ]
  const sheet = addTableSheet(ctx.workbook, '下级工会', columns, ctx, true)
  o.children.forEach((c, i) => {
    addBodyRow(sheet, [i + 1, c.org.name, ...FIGURE_COLUMNS.map((col) => col.of(c)), c.openCases])
  })
  const own = ownRow(o)
  if (own) {
    addBodyRow(sheet, [
      null,
      `${o.org.name}（本级）`,
      ...FIGURE_COLUMNS.map((col) => col.of(own.figures)),
      own.openCases,
    ])
  }
  addBodyRow(
    sheet,
    [null, '合计', ...FIGURE_COLUMNS.map((col) => col.of(o.figures)), o.pipeline.open],
    { bold: true },
  )
  sheet.commit()
}

// 分类统计: the breakdowns, one flat table (filterable by 维度).
function writeBreakdowns(ctx: Context) {
  const o = ctx.overview
  const columns: Column[] = [
    { header: '统计维度', width: 10 },
    { header: '分类', width: 30, wrap: true },
    ...BREAKDOWN_FIGURE_COLUMNS,
  ]
  const sheet = addTableSheet(ctx.workbook, '分类统计', columns, ctx, true)
  for (const dim of BREAKDOWN_DIMS) {
    const rows: BreakdownRow[] = o.breakdowns[dim] ?? []
    for (const r of rows) {
      addBodyRow(sheet, [
        DIM_LABEL[dim],
        keyLabel(dim, r.key, ctx.categories),
        ...BREAKDOWN_FIGURE_COLUMNS.map((col) => col.of(r)),
      ])
    }
  }
  sheet.addRow([]).commit()
  for (const note of [
    '注：按服务类别统计时，一个案件涉及几个类别即分别计入各类别，事项及其成效计入所属类别；参与劳模工匠人次、签订协议和企业评价不按类别统计。',
    '按企业资质统计时，企业有几项资质即分别计入；各维度之和因此可能大于合计。',
  ])
    noteRow(sheet, note, columns.length, false)
  sheet.commit()
}

// 月度趋势: one row per month of the period and the period's total.
function writeMonths(ctx: Context) {
  const o = ctx.overview
  const columns: Column[] = [{ header: '月份', width: 10 }, ...BREAKDOWN_FIGURE_COLUMNS]
  const sheet = addTableSheet(ctx.workbook, '月度趋势', columns, ctx, true)
  for (const m of o.months) {
    addBodyRow(sheet, [m.month, ...BREAKDOWN_FIGURE_COLUMNS.map((col) => col.of(m))])
  }
  addBodyRow(sheet, ['合计', ...BREAKDOWN_FIGURE_COLUMNS.map((col) => col.of(o.figures))], {
    bold: true,
  })
  sheet.commit()
}

// 环节时效: time in each stage, deadlines met, and what is overdue now.
function writeStages(ctx: Context) {
  const o = ctx.overview
  const columns: Column[] = [
    { header: '办理环节', width: 26 },
    { header: '完成次数（次）', width: 14, numFmt: COUNT_FORMAT },
    { header: '中位时长（小时）', width: 14, numFmt: COUNT_FORMAT },
    { header: '90%分位时长（小时）', width: 16, numFmt: COUNT_FORMAT },
    { header: '备注', width: 30 },
  ]
  const sheet = addTableSheet(ctx.workbook, '环节时效', columns, ctx, false)
  for (const s of o.stageTimes) {
    addBodyRow(sheet, [stageLabel(s.stage), s.spans, s.medianHours, s.p90Hours, null])
  }
  const section = (title: string, headers: string[]) => {
    sheet.addRow([]).commit()
    const t = sheet.addRow([title])
    t.getCell(1).font = HEADER_FONT
    t.commit()
    headerRow(sheet, headers)
  }
  section('办理时限执行情况（按到期时间统计）', [
    '时限环节',
    '到期（件）',
    '按时办理（件）',
    '超时（件）',
    '按时率',
  ])
  for (const s of o.sla) {
    const row = sheet.addRow([slaLabel(s.stage), s.resolved, s.met, s.resolved - s.met, s.rate])
    row.getCell(5).numFmt = RATE_FORMAT
    bordered(row)
    row.commit()
  }
  section(`当前超时未办（截至 ${beijingDateTime(o.asOf)}）`, ['时限环节', '超时（件）'])
  for (const s of o.overdueByStage) addBodyRow(sheet, [slaLabel(s.stage), s.count])
  if (o.overdueByStage.length === 0) addBodyRow(sheet, ['无', 0])
  sheet.commit()
}

const CASE_DETAIL_COLUMNS: Column[] = [
  { header: '案件编号', width: 9 },
  { header: '需求清单', width: 30, wrap: true },
  { header: '企业', width: 24, wrap: true },
  { header: '所属工会', width: 22, wrap: true },
  { header: '所属行业', width: 18, wrap: true },
  { header: '区县', width: 10 },
  { header: '园区', width: 14 },
  { header: '专属管家', width: 10 },
  { header: '提交日期', width: 11, numFmt: DATE_FORMAT },
  { header: '办结日期', width: 11, numFmt: DATE_FORMAT },
  { header: '服务事项（个）', width: 9, numFmt: COUNT_FORMAT },
  { header: '解决问题（个）', width: 9, numFmt: COUNT_FORMAT },
  { header: '部分解决（个）', width: 9, numFmt: COUNT_FORMAT },
  { header: '参与劳模工匠（人次）', width: 11, numFmt: COUNT_FORMAT },
  { header: '培训职工（人次）', width: 10, numFmt: COUNT_FORMAT },
  { header: '经济效益预估（元）', width: 15, numFmt: MONEY_FORMAT },
  { header: '经济效益已确认（元）', width: 15, numFmt: MONEY_FORMAT },
  { header: '经济效益合计（元）', width: 15, numFmt: MONEY_FORMAT },
  { header: '企业评价（分）', width: 9, numFmt: RATING_FORMAT },
]

// 案件明细: every case closed in the period, batch by batch, and their total.
async function writeCases(ctx: Context, db: DbOrTrx, b: Bounds, out: PassThrough, size: number) {
  const sheet = addTableSheet(ctx.workbook, '案件明细', CASE_DETAIL_COLUMNS, ctx, true)
  const styles = CASE_DETAIL_COLUMNS.map(columnStyle)
  const sums = { n: 0, items: 0, solved: 0, partly: 0, experts: 0, trained: 0 }
  let estimated = 0n
  let confirmed = 0n
  for await (const batch of readAhead(closedCaseBatches(db, b, size))) {
    for (const r of batch) {
      const c = toCaseRow(r)
      dataRow(sheet, styles, [
        c.id,
        c.title,
        c.enterpriseName,
        c.orgName,
        c.industry ? `${c.industry} ${INDUSTRY_LABEL[c.industry] ?? ''}`.trim() : null,
        c.district,
        c.park,
        c.stewardName,
        dateCell(c.filedAt),
        dateCell(c.closedAt),
        c.items,
        c.problemsSolved,
        c.partlySolved,
        c.expertParticipations,
        c.workersTrained,
        money(c.benefitEstimated),
        money(c.benefitConfirmed),
        money(c.benefitTotal),
        c.rating === null ? null : Number(c.rating),
      ])
      sums.n++
      sums.items += c.items
      sums.solved += c.problemsSolved
      sums.partly += c.partlySolved
      sums.experts += c.expertParticipations
      sums.trained += c.workersTrained
      estimated += toFen(c.benefitEstimated)
      confirmed += toFen(c.benefitConfirmed)
    }
    await drained(out)
  }
  const total = sheet.addRow([
    null,
    `合计（${sums.n} 件）`,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    sums.items,
    sums.solved,
    sums.partly,
    sums.experts,
    sums.trained,
    Number(fromFen(estimated)),
    Number(fromFen(confirmed)),
    Number(fromFen(estimated + confirmed)),
    null,
  ])
  total.font = { ...FONT, bold: true }
  total.commit()
  sheet.commit()
}

const ITEM_DETAIL_COLUMNS: Column[] = [
  { header: '案件编号', width: 9 },
  { header: '需求清单', width: 26, wrap: true },
  { header: '企业', width: 22, wrap: true },
  { header: '事项序号', width: 8 },
  { header: '服务事项', width: 26, wrap: true },
  { header: '服务类别', width: 14 },
  { header: '服务结果', width: 12 },
  { header: '成效说明', width: 40, wrap: true },
  { header: '培训职工（人次）', width: 10, numFmt: COUNT_FORMAT },
  { header: '服务人次（人次）', width: 10, numFmt: COUNT_FORMAT },
  { header: '专利（件）', width: 8, numFmt: COUNT_FORMAT },
  { header: '创新成果（项）', width: 9, numFmt: COUNT_FORMAT },
  { header: '经济效益预估（元）', width: 15, numFmt: MONEY_FORMAT },
  { header: '经济效益已确认（元）', width: 15, numFmt: MONEY_FORMAT },
  { header: '效益测算依据', width: 26, wrap: true },
  { header: '需后续跟进', width: 9 },
  { header: '跟进说明', width: 24, wrap: true },
]

// 成效明细: the items of those cases with their outcomes, one query per batch of cases.
async function writeItems(ctx: Context, db: DbOrTrx, b: Bounds, out: PassThrough, size: number) {
  const sheet = addTableSheet(ctx.workbook, '成效明细', ITEM_DETAIL_COLUMNS, ctx, true)
  const styles = ITEM_DETAIL_COLUMNS.map(columnStyle)
  for await (const items of readAhead(closedCaseItemBatches(db, b, size))) {
    for (const i of items) {
      dataRow(sheet, styles, [
        Number(i.needs_list_id),
        i.case_title,
        i.enterprise_name,
        Number(i.position) + 1,
        i.title,
        ctx.categories[i.category]?.zh ?? i.category,
        i.result ? (RESULT_LABEL[i.result] ?? i.result) : '未记录',
        i.description,
        Number(i.workers_trained),
        i.person_times === null ? null : Number(i.person_times),
        i.patents === null ? null : Number(i.patents),
        i.innovations === null ? null : Number(i.innovations),
        money(i.benefit_estimated),
        money(i.benefit_confirmed),
        i.benefit_basis,
        i.follow_up_needed === null ? null : i.follow_up_needed ? '是' : '否',
        i.follow_up_note,
      ])
    }
    await drained(out)
  }
  sheet.commit()
}

export async function writePeriodicWorkbook(
  db: Db,
  out: PassThrough,
  overview: DashboardOverview,
  now: Date,
  size: number,
) {
  const categories = await categoryNames(db)
  // As the lists' exports: a year's detail sheets are CPU-bound.
  const workbook = streamingWorkbook(out)
  workbook.creator = overview.org.name
  workbook.created = now
  const title = reportTitle(overview.org.name, overview.period, 'zh')
  const ctx: Context = {
    workbook,
    overview,
    title,
    info: `填报单位：${overview.org.name}　　统计期间：${periodSpan(overview.period, 'zh')}（${periodLabel(overview.period, 'zh')}）　　填报日期：${beijingDateTime(now).slice(0, 10)}`,
    now,
    categories,
  }
  const bounds = boundsOf(overview)
  writeSummary(ctx)
  writeChildren(ctx)
  writeBreakdowns(ctx)
  writeMonths(ctx)
  writeStages(ctx)
  await writeCases(ctx, db, bounds, out, size)
  await writeItems(ctx, db, bounds, out, size)
  await workbook.commit()
}
