import type { TFunction } from 'i18next'

// Pure helpers the dashboard pages share (browser and server).

/** `?org=…&period=…` (plus extra parameters) for links between dashboard pages and reports. */
export function dashboardSearch(
  orgId: number,
  periodKey: string,
  extra: Record<string, string> = {},
): string {
  return `?${new URLSearchParams({ org: String(orgId), period: periodKey, ...extra })}`
}

export interface PeriodLike {
  kind: 'year' | 'quarter' | 'month'
  year: number
  index?: number
}

/** '2026年第4季度' / 'Q4 2026'. */
export function periodLabel(t: TFunction, p: PeriodLike): string {
  return t(`dashboard.period.${p.kind}`, {
    year: p.year,
    index: p.index,
    mm: String(p.index ?? '').padStart(2, '0'),
  })
}

const GROUPED = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })

/** A count with thousands separators. */
export function formatCount(n: number): string {
  return GROUPED.format(n)
}

/** Yuan as an exact decimal string ('1234.5') to '1,234.50', without going through floats. */
export function formatYuan(value: string | null | undefined): string {
  if (value === null || value === undefined || value.trim() === '') return '0.00'
  const m = /^(-?)(\d+)(?:\.(\d*))?$/.exec(value.trim())
  if (!m) return value
  const [, sign, whole = '0', frac = ''] = m
  const grouped = whole.replace(/^0+(?=\d)/, '').replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return `${sign}${grouped}.${frac.padEnd(2, '0').slice(0, 2)}`
}

/** Yuan string to whole fen (exact), for differences between periods. */
export function yuanToFen(value: string | null | undefined): bigint {
  const m = /^(-?)(\d+)(?:\.(\d{0,2}))?/.exec((value ?? '').trim())
  if (!m) return 0n
  const fen = BigInt(m[2] ?? '0') * 100n + BigInt((m[3] ?? '').padEnd(2, '0') || '0')
  return m[1] === '-' ? -fen : fen
}

/** Fen back to a yuan string with two decimals. */
export function fenToYuan(fen: bigint): string {
  const sign = fen < 0n ? '-' : ''
  const abs = fen < 0n ? -fen : fen
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`
}

/** A 0–1 share as a percentage with at most one decimal ('87.5'). */
export function formatPercent(rate: number): string {
  return String(Math.round(rate * 1000) / 10)
}

/** A 0–1 share as a percentage in the UI language, or "none" (null). */
export function percentOrNone(t: TFunction, rate: number | null): string {
  return rate === null
    ? t('dashboard.none')
    : t('dashboard.percent', { value: formatPercent(rate) })
}

/** An average rating with how many ratings it averages ('4.50（3）'), or "none" (null). */
export function ratingOrNone(t: TFunction, average: string | null, count: number): string {
  return average === null ? t('dashboard.none') : `${average}（${count}）`
}

/** Whole hours as days with one decimal. */
export function hoursToDays(hours: number): string {
  return String(Math.round((hours / 24) * 10) / 10)
}

/** Whole days between an instant and now (at least 0). */
export function daysSince(at: Date | string, now: Date | string): number {
  const ms = new Date(now).getTime() - new Date(at).getTime()
  return Math.max(0, Math.floor(ms / 86_400_000))
}

/** Keys shown per breakdown on the overview (largest first). */
export const BREAKDOWN_ROWS = 15
