import { z } from 'zod'
import { idSchema } from '../resource-list/schema.ts'
import { linesSchema } from './templates.schema.ts'

// Pure (zod only): commands and pages share these. Messages are translation keys.

const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: 'errors.tooLong' })
    .nullish()
    .transform((v) => (v ? v : null))

const idList = (max: number) =>
  z
    .union([idSchema, z.array(idSchema)], { error: 'errors.badRequest' })
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? [...new Set(v)] : [v]))
    .refine((v) => v.length <= max, { error: 'errors.tooManyItems' })

/**
 * The plan form: objectives, notes, the items served, the lines (edited,
 * reordered, removed, new custom ones) and templates whose lines to append.
 * `basedOn` is the plan version the page showed.
 */
export const planSchema = z.object({
  basedOn: z.coerce.number({ error: 'errors.badRequest' }).int().positive(),
  objectives: text(2000),
  notes: text(2000),
  itemIds: idList(50).refine((v) => v.length > 0, { error: 'visits.errors.items' }),
  lines: linesSchema,
  addTemplateIds: idList(10),
})

export type PlanInput = z.output<typeof planSchema>
