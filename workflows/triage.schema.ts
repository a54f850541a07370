import { z } from 'zod'
import type { NEED_CATEGORIES } from './needs-list.schema.ts'

// Pure (zod only): pages import it too. Messages are translation keys.

export const INTAKE_SORTS = ['oldest', 'newest', 'enterprise', 'stage', 'due'] as const
export type IntakeSort = (typeof INTAKE_SORTS)[number]

export const AGE_FILTERS = [3, 7, 14] as const
export type AgeFilter = (typeof AGE_FILTERS)[number]

export interface IntakeFilters {
  /** One of INTAKE_STATUSES (workflows/case-states.ts). */
  status: string
  category?: (typeof NEED_CATEGORIES)[number]
  district?: string
  park?: string
  tag?: string
  /** In the current stage for more than this many days. */
  age?: AgeFilter
  /** Only lists whose current stage's deadline has passed. */
  overdue?: boolean
  sort: IntakeSort
  page: number
}

export const DEFAULT_INTAKE_FILTERS: IntakeFilters = {
  status: 'submitted',
  sort: 'oldest',
  page: 1,
}

/** The query string of `filters` (defaults left out), for links and the pager. */
export function intakeSearch(filters: IntakeFilters, patch: Partial<IntakeFilters> = {}): string {
  const f = { ...filters, ...patch }
  const params = new URLSearchParams()
  if (f.status !== DEFAULT_INTAKE_FILTERS.status) params.set('status', f.status)
  if (f.category) params.set('category', f.category)
  if (f.district) params.set('district', f.district)
  if (f.park) params.set('park', f.park)
  if (f.tag) params.set('tag', f.tag)
  if (f.age) params.set('age', String(f.age))
  if (f.overdue) params.set('overdue', '1')
  if (f.sort !== DEFAULT_INTAKE_FILTERS.sort) params.set('sort', f.sort)
  if (f.page > 1) params.set('page', String(f.page))
  const s = params.toString()
  return s ? `?${s}` : ''
}

export const rejectReasonSchema = z
  .string({ error: 'triage.errors.rejectReasonRequired' })
  .trim()
  .min(2, { error: 'triage.errors.rejectReasonRequired' })
  .max(1000, { error: 'errors.tooLong' })

export const routeReasonSchema = z
  .string()
  .trim()
  .max(1000, { error: 'errors.tooLong' })
  .optional()
  .transform((v) => (v ? v : undefined))

export const routeTargetSchema = z
  .number({ error: 'triage.errors.chooseOrg' })
  .int({ error: 'triage.errors.chooseOrg' })
  .positive({ error: 'triage.errors.chooseOrg' })
