import { z } from 'zod'
import { HONOUR_LEVELS, type HonourLevel } from '#db/schema.ts'
import { parseDate } from './cells.ts'
import { HONOUR_TYPES, type HonourType } from './honours.ts'
import { EXPERT_STATUSES, type ExpertStatus } from './schema.ts'

/** The talent pool's search as GET parameters (the filter form works without JavaScript). */

export const EXPERT_SORTS = ['name', 'recent', 'free'] as const
export type ExpertSortKey = (typeof EXPERT_SORTS)[number]

/** The longest availability window searched (days). */
export const MAX_WINDOW_DAYS = 366

export interface ExpertFilters {
  q?: string
  /** A taxonomy node (domain, field or skill): experts with a skill at or under it. */
  skill?: number
  /** Lowest proficiency (1–5) of that skill. */
  minLevel?: number
  honourType?: HonourType
  honourLevel?: HonourLevel
  district?: string
  /** Free on at least one day of this window ('YYYY-MM-DD', inclusive). */
  from?: string
  to?: string
  /** Load below capacity. */
  free?: boolean
  status?: ExpertStatus
  sort: ExpertSortKey
  page: number
}

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v)
const text = (max: number) => z.preprocess(blank, z.string().trim().max(max).optional())
const date = z.preprocess(
  blank,
  z
    .string()
    .transform((v, ctx) => {
      const d = parseDate(v)
      if (!d) {
        ctx.addIssue({ code: 'custom', message: 'date' })
        return z.NEVER
      }
      return d
    })
    .optional(),
)

const FIELDS = {
  q: text(100),
  skill: z.preprocess(blank, z.coerce.number().int().positive().max(2_147_483_647).optional()),
  minLevel: z.preprocess(blank, z.coerce.number().int().min(1).max(5).optional()),
  honourType: z.preprocess(blank, z.enum(HONOUR_TYPES).optional()),
  honourLevel: z.preprocess(blank, z.enum(HONOUR_LEVELS).optional()),
  district: text(60),
  from: date,
  to: date,
  free: z.preprocess(
    blank,
    z
      .literal('1')
      .transform(() => true)
      .optional(),
  ),
  status: z.preprocess(blank, z.enum(EXPERT_STATUSES).optional()),
  sort: z.preprocess(blank, z.enum(EXPERT_SORTS).optional()),
} as const

const DAY_MS = 24 * 3600 * 1000
const daysBetween = (a: string, b: string) =>
  Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS)

/**
 * The filters from the query string. A malformed value is dropped and named
 * in `invalid`; a window given by one end only is that one day; a window
 * that ends before it starts or spans more than a year is dropped.
 */
export function parseExpertFilters(params: URLSearchParams): {
  filters: ExpertFilters
  invalid: string[]
} {
  const invalid: string[] = []
  const out: Record<string, unknown> = {}
  for (const [name, schema] of Object.entries(FIELDS)) {
    const raw = params.get(name)
    if (raw === null) continue
    const parsed = (schema as z.ZodType).safeParse(raw)
    if (parsed.success) {
      if (parsed.data !== undefined) out[name] = parsed.data
    } else invalid.push(name)
  }
  const filters = out as Partial<ExpertFilters>
  if (filters.from && !filters.to) filters.to = filters.from
  if (filters.to && !filters.from) filters.from = filters.to
  if (filters.from && filters.to) {
    const span = daysBetween(filters.from, filters.to)
    if (span < 0 || span >= MAX_WINDOW_DAYS) {
      invalid.push('to')
      delete filters.from
      delete filters.to
    }
  }
  const page = Number(params.get('page') ?? '1')
  return {
    filters: {
      ...filters,
      sort: filters.sort ?? 'name',
      page: Number.isSafeInteger(page) && page >= 1 && page <= 100_000 ? page : 1,
    },
    invalid,
  }
}

/** The filters as a query string ('' or '?…'), page and default sort left out unless asked. */
export function expertSearchString(
  filters: Partial<ExpertFilters>,
  options: { page?: number } = {},
): string {
  const params = new URLSearchParams()
  const set = (k: string, v: string | number | boolean | undefined) => {
    if (v !== undefined && v !== '' && v !== false) params.set(k, v === true ? '1' : String(v))
  }
  set('q', filters.q)
  set('skill', filters.skill)
  set('minLevel', filters.minLevel)
  set('honourType', filters.honourType)
  set('honourLevel', filters.honourLevel)
  set('district', filters.district)
  set('from', filters.from)
  set('to', filters.to)
  set('free', filters.free)
  set('status', filters.status)
  if (filters.sort && filters.sort !== 'name') set('sort', filters.sort)
  if (options.page && options.page > 1) set('page', options.page)
  const s = params.toString()
  return s ? `?${s}` : ''
}
