import { z } from 'zod'
import type { FactorName } from './matching/types.ts'

// Pure (zod only): pages import it. Messages are translation keys.

// Every factor of MatchWeights, once, in the order pages show them (the type checker keeps it complete).
const FACTOR_ORDER = {
  skill: 1,
  proficiency: 2,
  honour: 3,
  proximity: 4,
  availability: 5,
  load: 6,
  rating: 7,
  continuity: 8,
  volunteer: 9,
} as const satisfies Record<FactorName, number>

/** The scoring factors in the order pages show them. */
export const WEIGHT_FACTORS = Object.keys(FACTOR_ORDER) as readonly FactorName[]

export function isWeightFactor(value: unknown): value is FactorName {
  return typeof value === 'string' && (WEIGHT_FACTORS as readonly string[]).includes(value)
}

/** Weights are relative; this bounds what a form accepts. */
export const MAX_WEIGHT = 100

const weight = z
  .number({ error: 'matchingWeights.errors.weight' })
  .min(0, { error: 'matchingWeights.errors.weight' })
  .max(MAX_WEIGHT, { error: 'matchingWeights.errors.weight' })
  // At most two decimals, so what is saved is what was typed.
  .refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, {
    error: 'matchingWeights.errors.weight',
  })

const orgId = z.number({ error: 'errors.badRequest' }).int().positive()

/** The nine weights of one org, as the admin form posts them. */
export const matchingWeightsSchema = z
  .object({
    orgId,
    skill: weight,
    proficiency: weight,
    honour: weight,
    proximity: weight,
    availability: weight,
    load: weight,
    rating: weight,
    continuity: weight,
    volunteer: weight,
  })
  // Without the skill fit nothing ties an expert to the need: it must count.
  .refine((v) => v.skill > 0, { path: ['skill'], error: 'matchingWeights.errors.skillPositive' })

export const resetWeightsSchema = z.object({ orgId })
