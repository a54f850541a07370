import { z } from 'zod'
import { BENEFIT_STATUSES, normaliseYuan, OUTCOME_RESULTS } from './aggregate.ts'

// Pure (zod only): the command and the page share it. Messages are translation keys.

/** Counts (workers trained, person-times, patents, innovations): whole, not negative. */
export const MAX_COUNT = 1_000_000

const count = z
  .number({ error: 'outcomes.errors.count' })
  .int({ error: 'outcomes.errors.count' })
  .min(0, { error: 'outcomes.errors.count' })
  .max(MAX_COUNT, { error: 'outcomes.errors.count' })
  .optional()
  .transform((v) => v ?? 0)

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: 'errors.tooLong' })
    .nullish()
    .transform((v) => (v ? v : null))

export const outcomeSchema = z
  .object({
    itemId: z
      .number({ error: 'errors.badRequest' })
      .int({ error: 'errors.badRequest' })
      .positive({ error: 'errors.badRequest' })
      .max(2_147_483_647, { error: 'errors.badRequest' }),
    result: z.enum(OUTCOME_RESULTS, { error: 'outcomes.errors.result' }),
    description: z
      .string({ error: 'outcomes.errors.description' })
      .trim()
      .min(2, { error: 'outcomes.errors.description' })
      .max(2000, { error: 'errors.tooLong' }),
    /** Yuan, e.g. '120000' or '3500.50': kept as text so nothing is rounded. */
    benefitYuan: z
      .union([z.string(), z.number()], { error: 'outcomes.errors.benefit' })
      .nullish()
      .transform((v, ctx) => {
        if (v === undefined || v === null || String(v).trim() === '') return null
        const yuan = normaliseYuan(String(v).replace(/[,，\s]/g, ''))
        if (yuan === null) {
          ctx.addIssue({ code: 'custom', message: 'outcomes.errors.benefit' })
          return z.NEVER
        }
        return yuan
      }),
    benefitStatus: z.enum(BENEFIT_STATUSES, { error: 'outcomes.errors.benefitStatus' }).nullish(),
    benefitBasis: optionalText(1000),
    workersTrained: count,
    personTimes: count,
    patents: count,
    innovations: count,
    followUpNeeded: z
      .boolean({ error: 'errors.badRequest' })
      .optional()
      .transform((v) => v ?? false),
    followUpNote: optionalText(1000),
  })
  .superRefine((v, ctx) => {
    if (v.benefitYuan !== null) {
      if (!v.benefitStatus) {
        ctx.addIssue({
          code: 'custom',
          path: ['benefitStatus'],
          message: 'outcomes.errors.benefitStatus',
        })
      }
      if (!v.benefitBasis) {
        ctx.addIssue({
          code: 'custom',
          path: ['benefitBasis'],
          message: 'outcomes.errors.benefitBasis',
        })
      }
    }
    // Every trained worker attended at least once.
    if (v.personTimes < v.workersTrained) {
      ctx.addIssue({
        code: 'custom',
        path: ['personTimes'],
        message: 'outcomes.errors.personTimes',
      })
    }
    if (v.followUpNeeded && !v.followUpNote) {
      ctx.addIssue({
        code: 'custom',
        path: ['followUpNote'],
        message: 'outcomes.errors.followUpNote',
      })
    }
  })
  .transform((v) => ({
    ...v,
    // Without an amount there is no status or basis; without follow-up, no note.
    benefitStatus: v.benefitYuan === null ? null : (v.benefitStatus ?? null),
    benefitBasis: v.benefitYuan === null ? null : v.benefitBasis,
    followUpNote: v.followUpNeeded ? v.followUpNote : null,
  }))

export type OutcomeInput = z.output<typeof outcomeSchema>
