import { z } from 'zod'

// Pure (zod only): the command and the page share it. Messages are translation keys.

/**
 * The questions the enterprise answers, 1 (poor) to 5 (excellent) each:
 * 响应及时, 专业水平, 解决效果, 服务态度.
 */
export const RATING_QUESTIONS = [
  'responsiveness',
  'expertise',
  'effectiveness',
  'attitude',
] as const
export type RatingQuestion = (typeof RATING_QUESTIONS)[number]

const score = z
  .number({ error: 'outcomes.rating.errors.score' })
  .int({ error: 'outcomes.rating.errors.score' })
  .min(1, { error: 'outcomes.rating.errors.score' })
  .max(5, { error: 'outcomes.rating.errors.score' })

export const ratingSchema = z.object({
  scores: z.object(
    Object.fromEntries(RATING_QUESTIONS.map((q) => [q, score])) as Record<
      RatingQuestion,
      typeof score
    >,
    { error: 'outcomes.rating.errors.score' },
  ),
  comment: z
    .string()
    .trim()
    .max(1000, { error: 'errors.tooLong' })
    .nullish()
    .transform((v) => (v ? v : null)),
  /** Outcomes whose estimated benefit the enterprise confirms with its rating. */
  confirmBenefits: z
    .array(
      z
        .number({ error: 'errors.badRequest' })
        .int({ error: 'errors.badRequest' })
        .positive({ error: 'errors.badRequest' })
        .max(2_147_483_647, { error: 'errors.badRequest' }),
      { error: 'errors.badRequest' },
    )
    .max(100, { error: 'errors.badRequest' })
    .optional()
    .transform((v) => [...new Set(v ?? [])]),
})

export type RatingInput = z.output<typeof ratingSchema>

/** The mean of the scores, rounded half up to two decimals (numeric(3,2)). */
export function ratingAverage(scores: Readonly<Record<string, number>>): number {
  const values = Object.values(scores)
  if (values.length === 0) return Number.NaN
  const sum = values.reduce((a, b) => a + b, 0)
  // Integer arithmetic: hundredths of the mean, half up.
  return Math.floor((sum * 100 * 2 + values.length) / (2 * values.length)) / 100
}
