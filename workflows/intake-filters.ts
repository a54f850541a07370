import { z } from 'zod'
import { INTAKE_STATUSES } from './case-states.ts'
import { NEED_CATEGORIES } from './needs-list.schema.ts'
import {
  AGE_FILTERS,
  DEFAULT_INTAKE_FILTERS,
  INTAKE_SORTS,
  type IntakeFilters,
} from './triage.schema.ts'

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v)
const text = (max: number) => z.preprocess(blankToUndefined, z.string().trim().max(max).optional())

/** One schema per filter, so a bad value resets only that filter. */
const FILTER_FIELDS = {
  status: z.preprocess(blankToUndefined, z.enum(INTAKE_STATUSES).optional()),
  category: z.preprocess(blankToUndefined, z.enum(NEED_CATEGORIES).optional()),
  district: text(60),
  park: text(80),
  tag: text(40),
  age: z.preprocess(
    blankToUndefined,
    z.coerce
      .number()
      .refine((n) => (AGE_FILTERS as readonly number[]).includes(n))
      .optional(),
  ),
  overdue: z.preprocess(
    blankToUndefined,
    z
      .literal('1')
      .transform(() => true)
      .optional(),
  ),
  sort: z.preprocess(blankToUndefined, z.enum(INTAKE_SORTS).optional()),
} as const

/**
 * The queue's filters from the query string. Unknown or malformed values fall
 * back to the default and are named in `invalid`, so the page can say so.
 */
export function parseIntakeFilters(params: URLSearchParams): {
  filters: IntakeFilters
  invalid: string[]
} {
  const invalid: string[] = []
  const out: Record<string, unknown> = {}
  for (const [name, schema] of Object.entries(FILTER_FIELDS)) {
    const raw = params.get(name)
    if (raw === null) continue
    const parsed = (schema as z.ZodType).safeParse(raw)
    if (parsed.success) {
      if (parsed.data !== undefined) out[name] = parsed.data
    } else {
      invalid.push(name)
    }
  }
  const page = Number(params.get('page') ?? '1')
  return {
    filters: {
      ...DEFAULT_INTAKE_FILTERS,
      ...(out as Partial<IntakeFilters>),
      page: Number.isSafeInteger(page) && page >= 1 && page <= 100_000 ? page : 1,
    },
    invalid,
  }
}
