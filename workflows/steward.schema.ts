import { z } from 'zod'
import { INDUSTRY_SECTIONS } from './enterprise-validation.ts'

// Messages are translation keys; the UI translates them.

export const MAX_COVERAGE_ENTRIES = 30

/** Free text split on commas (either width), 、, semicolons or new lines; blanks and repeats dropped. */
export function splitList(raw: string | undefined): string[] {
  if (!raw) return []
  const seen = new Set<string>()
  for (const part of raw.split(/[,，、;；\n\r]+/)) {
    const v = part.trim()
    if (v) seen.add(v)
  }
  return [...seen]
}

const coverageList = (max: number) =>
  z
    .string()
    .optional()
    .transform((raw) => splitList(raw))
    .refine((list) => list.length <= MAX_COVERAGE_ENTRIES, {
      error: 'steward.errors.tooManyEntries',
    })
    .refine((list) => list.every((v) => v.length <= max), { error: 'errors.tooLong' })

export const stewardProfileSchema = z.object({
  orgId: z.number({ error: 'steward.errors.org' }).int().positive({ error: 'steward.errors.org' }),
  capacity: z
    .number({ error: 'steward.errors.capacity' })
    .int({ error: 'steward.errors.capacity' })
    .min(1, { error: 'steward.errors.capacity' })
    .max(500, { error: 'steward.errors.capacity' }),
  districts: coverageList(60),
  parks: coverageList(80),
  industries: z
    .array(z.enum(INDUSTRY_SECTIONS, { error: 'steward.errors.industry' }))
    .max(INDUSTRY_SECTIONS.length)
    .default([])
    .transform((list) => [...new Set(list)].sort()),
  active: z.boolean().default(false),
})
export type StewardProfileInput = z.output<typeof stewardProfileSchema>

export const assignReasonSchema = z
  .string()
  .trim()
  .max(1000, { error: 'errors.tooLong' })
  .optional()
  .transform((v) => (v ? v : undefined))

export const stewardIdSchema = z
  .number({ error: 'steward.errors.chooseSteward' })
  .int({ error: 'steward.errors.chooseSteward' })
  .positive({ error: 'steward.errors.chooseSteward' })
