import { z } from 'zod'

// Pure: pages, queries and reports share it.

export const PERIOD_KINDS = ['year', 'quarter', 'month'] as const
export type PeriodKind = (typeof PERIOD_KINDS)[number]

/** A reporting period on the Beijing calendar: a whole year, quarter or month. */
export interface Period {
  kind: PeriodKind
  year: number
  /** Quarter 1–4 or month 1–12; absent for a year. */
  index?: number
  /** First and last month it covers, 'YYYY-MM' (inclusive). */
  fromMonth: string
  toMonth: string
  /** Its bounds as instants: [start, end), Beijing midnight. */
  start: Date
  end: Date
  /** Canonical query value: '2026', '2026-Q4' or '2026-11'. */
  key: string
}

const month = (year: number, m: number) => `${year}-${String(m).padStart(2, '0')}`

/** Midnight in Beijing (UTC+8, no daylight saving) of the first day of the month. */
function beijingMonthStart(year: number, m: number): Date {
  return new Date(Date.UTC(year, m - 1, 1, -8))
}

export function makePeriod(kind: PeriodKind, year: number, index?: number): Period {
  const [first, last] =
    kind === 'year'
      ? [1, 12]
      : kind === 'quarter'
        ? [((index ?? 1) - 1) * 3 + 1, ((index ?? 1) - 1) * 3 + 3]
        : [index ?? 1, index ?? 1]
  const key =
    kind === 'year'
      ? String(year)
      : kind === 'quarter'
        ? `${year}-Q${index}`
        : month(year, index ?? 1)
  return {
    kind,
    year,
    ...(kind === 'year' ? {} : { index }),
    fromMonth: month(year, first),
    toMonth: month(year, last),
    start: beijingMonthStart(year, first),
    end: last === 12 ? beijingMonthStart(year + 1, 1) : beijingMonthStart(year, last + 1),
    key,
  }
}

/** The Beijing calendar month ('YYYY-MM') of an instant. */
export function beijingMonth(at: Date): string {
  const shifted = new Date(at.getTime() + 8 * 3600_000)
  return month(shifted.getUTCFullYear(), shifted.getUTCMonth() + 1)
}

/** The months of a period, in order. */
export function monthsOf(period: Period): string[] {
  const out: string[] = []
  let [y, m] = period.fromMonth.split('-').map(Number) as [number, number]
  for (;;) {
    const key = month(y, m)
    out.push(key)
    if (key === period.toMonth) return out
    m += 1
    if (m > 12) {
      m = 1
      y += 1
    }
  }
}

const PERIOD_PATTERN = /^(\d{4})(?:-(?:Q([1-4])|(0[1-9]|1[0-2])))?$/
export const MIN_YEAR = 2000
export const MAX_YEAR = 2100

/** '2026' | '2026-Q4' | '2026-11', or null when it is none of them. */
export function parsePeriod(value: string | null | undefined): Period | null {
  const m = PERIOD_PATTERN.exec((value ?? '').trim())
  if (!m) return null
  const year = Number(m[1])
  if (year < MIN_YEAR || year > MAX_YEAR) return null
  if (m[2]) return makePeriod('quarter', year, Number(m[2]))
  if (m[3]) return makePeriod('month', year, Number(m[3]))
  return makePeriod('year', year)
}

/** The current Beijing year: the default period. */
export function currentYear(now: Date): Period {
  return makePeriod('year', Number(beijingMonth(now).slice(0, 4)))
}

/** The period before this one, of the same kind (for comparisons). */
export function previousPeriod(p: Period): Period {
  if (p.kind === 'year') return makePeriod('year', p.year - 1)
  const count = p.kind === 'quarter' ? 4 : 12
  const index = p.index ?? 1
  return index > 1 ? makePeriod(p.kind, p.year, index - 1) : makePeriod(p.kind, p.year - 1, count)
}

export const periodParam = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() !== '' ? v : undefined),
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return undefined
      const p = parsePeriod(v)
      if (!p) {
        ctx.addIssue({ code: 'custom', message: 'dashboard.errors.period' })
        return z.NEVER
      }
      return p
    }),
)
