import { z } from 'zod'
import { normaliseYuan, YUAN_PATTERN } from '../outcomes/aggregate.ts'
import { TARGET_METRICS, type TargetMetric } from './metrics.ts'
import { MAX_YEAR, MIN_YEAR } from './period.ts'

// Pure (zod only): the targets form and saveTargets share it. Messages are translation keys.

export const TARGET_ERRORS = {
  count: 'dashboard.errors.targetCount',
  yuan: 'dashboard.errors.targetYuan',
  year: 'dashboard.errors.targetYear',
} as const

/** Metrics counted in whole units; benefit_yuan is money. */
export const MONEY_METRICS: readonly TargetMetric[] = ['benefit_yuan']

const COUNT_PATTERN = /^\d{1,12}$/

/** Blank (or absent) means "no target": the saved one is deleted. */
const blankToNull = (v: unknown) =>
  v === undefined ? undefined : v === null || (typeof v === 'string' && v.trim() === '') ? null : v

const countTarget = z.preprocess(
  blankToNull,
  z
    .string({ error: TARGET_ERRORS.count })
    .transform((v, ctx) => {
      const s = v.trim().replace(/,/g, '')
      if (!COUNT_PATTERN.test(s)) {
        ctx.addIssue({ code: 'custom', message: TARGET_ERRORS.count })
        return z.NEVER
      }
      return String(BigInt(s))
    })
    .nullable()
    .optional(),
)

const yuanTarget = z.preprocess(
  blankToNull,
  z
    .string({ error: TARGET_ERRORS.yuan })
    .transform((v, ctx) => {
      const s = v.trim().replace(/,/g, '')
      const normal = YUAN_PATTERN.test(s) ? normaliseYuan(s) : null
      if (normal === null) {
        ctx.addIssue({ code: 'custom', message: TARGET_ERRORS.yuan })
        return z.NEVER
      }
      return normal
    })
    .nullable()
    .optional(),
)

/**
 * The targets form: each metric optional; a count is a non-negative whole
 * number, benefit_yuan yuan with at most two decimals ('12.5' → '12.50').
 * Out: metric → canonical value, or null to delete; absent metrics untouched.
 */
export const targetsSchema = z.object(
  Object.fromEntries(
    TARGET_METRICS.map((m) => [m, MONEY_METRICS.includes(m) ? yuanTarget : countTarget]),
  ) as Record<TargetMetric, typeof countTarget>,
)
export type TargetsInput = Partial<Record<TargetMetric, string | null>>

export const targetYearSchema = z.coerce
  .number({ error: TARGET_ERRORS.year })
  .int({ error: TARGET_ERRORS.year })
  .min(MIN_YEAR, { error: TARGET_ERRORS.year })
  .max(MAX_YEAR, { error: TARGET_ERRORS.year })
