import type { TargetMetric } from '#workflows/dashboard/metrics.ts'
import type { Period } from '#workflows/dashboard/period.ts'
import type { DashboardOverview, OutcomeFigures } from '#workflows/dashboard/types.ts'
import { groupDigits } from './columns.ts'

// Pure: the printable report page and the workbook share these words and units.

export type Lang = 'zh' | 'en'

const QUARTER_ZH = ['一', '二', '三', '四'] as const
const MONTH_EN = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const

/** The period in words: 2026年度 / 2026年第四季度 / 2026年11月; 2026 / Q4 2026 / November 2026. */
export function periodLabel(period: Period, lang: Lang): string {
  const index = period.index ?? 1
  if (lang === 'zh') {
    if (period.kind === 'year') return `${period.year}年度`
    if (period.kind === 'quarter') return `${period.year}年第${QUARTER_ZH[index - 1]}季度`
    return `${period.year}年${index}月`
  }
  if (period.kind === 'year') return String(period.year)
  if (period.kind === 'quarter') return `Q${index} ${period.year}`
  return `${MONTH_EN[index - 1]} ${period.year}`
}

/** The months a period spans, in words: 2026年1月—12月 / January–December 2026. */
export function periodSpan(period: Period, lang: Lang): string {
  const from = Number(period.fromMonth.slice(5))
  const to = Number(period.toMonth.slice(5))
  if (lang === 'zh') {
    return from === to ? `${period.year}年${from}月` : `${period.year}年${from}月—${to}月`
  }
  return from === to
    ? `${MONTH_EN[from - 1]} ${period.year}`
    : `${MONTH_EN[from - 1]}–${MONTH_EN[to - 1]} ${period.year}`
}

/** 年报 / 季报 / 月报. */
export function reportKindLabel(period: Period, lang: Lang): string {
  const zh = { year: '年报', quarter: '季报', month: '月报' } as const
  const en = {
    year: 'Annual report',
    quarter: 'Quarterly report',
    month: 'Monthly report',
  } as const
  return (lang === 'zh' ? zh : en)[period.kind]
}

/**
 * The report's title: 鹭江市总工会劳模工匠助企行工作2026年度报表 /
 * 2026年第四季度报表 / 2026年11月报表.
 */
export function reportTitle(orgName: string, period: Period, lang: Lang): string {
  if (lang === 'zh') return `${orgName}劳模工匠助企行工作${periodLabel(period, 'zh')}报表`
  const kind = { year: 'Annual', quarter: 'Quarterly', month: 'Monthly' }[period.kind]
  return `${orgName}: ${kind} Report on Model Workers and Craftsmen Serving Enterprises, ${periodLabel(period, 'en')}`
}

/** Characters a file name may not hold on common systems. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it removes
const UNSAFE_FILE_CHARS = /[\\/:*?"<>|\u0000-\u001f]/g

/** The download's names: 鹭江市总工会-2026年度报表.xlsx and an ASCII fallback. */
export function reportFileNames(
  org: { id: number; name: string },
  period: Period,
): { name: string; ascii: string } {
  const orgName = org.name.replace(UNSAFE_FILE_CHARS, '_').trim() || `org-${org.id}`
  return {
    name: `${orgName}-${periodLabel(period, 'zh')}报表.xlsx`,
    ascii: `periodic-report-org${org.id}-${period.key}.xlsx`,
  }
}

export type FigureKey = keyof OutcomeFigures
export type FigureKind = 'count' | 'money' | 'rating'

export interface SummaryMetric {
  key: FigureKey
  kind: FigureKind
  label: Record<Lang, string>
  unit: Record<Lang, string>
  /** The yearly target it is measured against, if any. */
  target?: TargetMetric
}

const UNIT = {
  case: { zh: '件', en: 'cases' },
  enterprise: { zh: '家', en: 'enterprises' },
  item: { zh: '个', en: 'items' },
  personTime: { zh: '人次', en: 'person-times' },
  yuan: { zh: '元', en: 'yuan' },
  agreement: { zh: '份', en: 'agreements' },
  point: { zh: '分', en: 'points' },
} as const

const metric = (
  key: FigureKey,
  kind: FigureKind,
  unit: Record<Lang, string>,
  zh: string,
  en: string,
  target?: TargetMetric,
): SummaryMetric => ({ key, kind, label: { zh, en }, unit, ...(target ? { target } : {}) })

/** The headline figures of the report, in the order of the statistics form. */
export const SUMMARY_METRICS: readonly SummaryMetric[] = [
  metric('casesFiled', 'count', UNIT.case, '受理需求清单', 'Needs lists filed'),
  metric('casesClosed', 'count', UNIT.case, '办结案件', 'Cases closed'),
  metric(
    'enterprisesServed',
    'count',
    UNIT.enterprise,
    '服务企业数',
    'Enterprises served',
    'enterprises_served',
  ),
  metric('itemsClosed', 'count', UNIT.item, '办结服务事项', 'Service items closed'),
  metric('problemsSolved', 'count', UNIT.item, '解决问题数', 'Problems solved', 'problems_solved'),
  metric('partlySolved', 'count', UNIT.item, '部分解决问题数', 'Problems partly solved'),
  metric(
    'expertParticipations',
    'count',
    UNIT.personTime,
    '参与劳模工匠人次',
    'Expert participations',
    'expert_participations',
  ),
  metric(
    'workersTrained',
    'count',
    UNIT.personTime,
    '培训职工人次',
    'Workers trained',
    'workers_trained',
  ),
  metric(
    'benefitEstimated',
    'money',
    UNIT.yuan,
    '经济效益（预估）',
    'Economic benefit (estimated)',
  ),
  metric(
    'benefitConfirmed',
    'money',
    UNIT.yuan,
    '经济效益（已确认）',
    'Economic benefit (confirmed)',
  ),
  metric(
    'benefitTotal',
    'money',
    UNIT.yuan,
    '经济效益合计',
    'Economic benefit, total',
    'benefit_yuan',
  ),
  metric(
    'agreementsSigned',
    'count',
    UNIT.agreement,
    '签订结对服务协议',
    'Agreements signed',
    'agreements_signed',
  ),
  metric('ratingCount', 'count', UNIT.case, '企业评价', 'Enterprise ratings'),
  metric(
    'averageRating',
    'rating',
    UNIT.point,
    '企业评价平均分（满分5分）',
    'Average rating (out of 5)',
  ),
]

/** The unit of a figure (家/个/人次/元/件…). */
export function unitOf(key: FigureKey, lang: Lang): string {
  return SUMMARY_METRICS.find((m) => m.key === key)?.unit[lang] ?? ''
}

// ─── Exact money ─────────────────────────────────────────────────────────
// Yuan travel as decimal strings; differences are taken in fen (BigInt) so
// they stay exact.

/** '1234.5' | '-3' | '0.07' → fen. Anything unreadable counts as 0. */
export function toFen(yuan: string | number | null | undefined): bigint {
  const text = String(yuan ?? '0').trim()
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(text)
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return 0n
  const whole = BigInt(m[2] || '0')
  const frac = BigInt(`${m[3] ?? ''}00`.slice(0, 2))
  const fen = whole * 100n + frac
  return m[1] === '-' ? -fen : fen
}

/** Fen → '1234.50'. */
export function fromFen(fen: bigint): string {
  const sign = fen < 0n ? '-' : ''
  const abs = fen < 0n ? -fen : fen
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`
}

/** a − b in yuan, exact. */
export function subtractYuan(a: string, b: string): string {
  return fromFen(toFen(a) - toFen(b))
}

/** Sum in yuan, exact. */
export function sumYuan(values: readonly string[]): string {
  return fromFen(values.reduce((s, v) => s + toFen(v), 0n))
}

/** '1234567.5' → '1,234,567.50' (for the page; the workbook keeps numbers). */
export function groupYuan(yuan: string): string {
  return groupDigits(fromFen(toFen(yuan)))
}

/** A figure's value as a number for a spreadsheet cell or a ratio (null stays null). */
export function figureNumber(value: number | string | null): number | null {
  if (value === null) return null
  return typeof value === 'number' ? value : Number(value)
}

/** Change from the previous period as a fraction, null when the previous was 0 or missing. */
export function changeRate(current: number | null, previous: number | null): number | null {
  if (current === null || previous === null || previous === 0) return null
  return (current - previous) / previous
}

// ─── Rows of the children table ──────────────────────────────────────────

/** Figures of a row that may have no distinct-enterprise count (breakdowns, months). */
export type FigureLike = Omit<OutcomeFigures, 'enterprisesServed'> & {
  enterprisesServed?: number | null
}

/** The parent's figures less its children's: the cases filed at the org itself. */
export function ownFigures(
  parent: OutcomeFigures,
  children: readonly OutcomeFigures[],
): FigureLike {
  const sum = (k: keyof OutcomeFigures) => children.reduce((s, c) => s + Number(c[k] as number), 0)
  const yuan = (k: 'benefitEstimated' | 'benefitConfirmed' | 'benefitTotal') =>
    fromFen(children.reduce((s, c) => s - toFen(c[k]), toFen(parent[k])))
  return {
    casesFiled: parent.casesFiled - sum('casesFiled'),
    casesClosed: parent.casesClosed - sum('casesClosed'),
    enterprisesServed: parent.enterprisesServed - sum('enterprisesServed'),
    itemsClosed: parent.itemsClosed - sum('itemsClosed'),
    problemsSolved: parent.problemsSolved - sum('problemsSolved'),
    partlySolved: parent.partlySolved - sum('partlySolved'),
    expertParticipations: parent.expertParticipations - sum('expertParticipations'),
    workersTrained: parent.workersTrained - sum('workersTrained'),
    benefitEstimated: yuan('benefitEstimated'),
    benefitConfirmed: yuan('benefitConfirmed'),
    benefitTotal: yuan('benefitTotal'),
    agreementsSigned: parent.agreementsSigned - sum('agreementsSigned'),
    ratingCount: parent.ratingCount - sum('ratingCount'),
    // Averages do not subtract; the org's own cases show no average.
    averageRating: null,
  }
}

export function isEmptyFigures(f: FigureLike): boolean {
  return (
    f.casesFiled === 0 &&
    f.casesClosed === 0 &&
    f.itemsClosed === 0 &&
    f.expertParticipations === 0 &&
    f.workersTrained === 0 &&
    f.agreementsSigned === 0 &&
    f.ratingCount === 0 &&
    toFen(f.benefitTotal) === 0n
  )
}

export interface OwnRow {
  figures: FigureLike
  openCases: number
}

/** Cases sitting at the org itself, so that its children and it add up to its total. */
export function ownRow(o: DashboardOverview): OwnRow | null {
  const figures = ownFigures(o.figures, o.children)
  const openCases = o.pipeline.open - o.children.reduce((s, c) => s + c.openCases, 0)
  return isEmptyFigures(figures) && openCases === 0 ? null : { figures, openCases }
}
