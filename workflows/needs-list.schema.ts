import { z } from 'zod'

/**
 * The category codes the programme started with. The categories themselves
 * live in the need_category table (admins rename, reorder, add and deactivate
 * them); the commands check an item's code against its active rows.
 */
export const NEED_CATEGORIES = [
  'tech_breakthrough',
  'equipment_diagnosis',
  'process_improvement',
  'skills_training',
  'management',
  'safety',
  'new_energy',
  'digital',
  'occupational_health',
  'other',
] as const

/** What a category code looks like; whether it exists is the commands' business. */
export const CATEGORY_CODE = /^[a-z][a-z0-9_]{1,39}$/

export const URGENCIES = ['low', 'normal', 'high', 'urgent'] as const

export const WORK_MODES = ['onsite', 'remote', 'either'] as const

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: 'errors.tooLong' })
    .optional()
    .transform((v) => (v ? v : undefined))

const isoDate = z.iso.date({ error: 'errors.date' })

// Messages are translation keys; the UI translates them.
/** One need item as the enterprise files it and as the steward confirms it. */
export const needItemSchema = z
  .object({
    category: z
      .string({ error: 'errors.category' })
      .trim()
      .regex(CATEGORY_CODE, { error: 'errors.category' }),
    title: optionalText(80),
    description: z
      .string({ error: 'errors.required' })
      .trim()
      .min(4, { error: 'errors.descriptionTooShort' })
      .max(2000, { error: 'errors.tooLong' }),
    urgency: z.enum(URGENCIES, { error: 'errors.urgency' }),
    headcount: z.coerce
      .number({ error: 'errors.headcount' })
      .int({ error: 'errors.headcount' })
      .min(1, { error: 'errors.headcount' })
      .max(50, { error: 'errors.headcount' }),
    /** Required skills: ids of `skill` rows (any level of the taxonomy). */
    skillIds: z.array(z.coerce.number().int().positive()).max(20).default([]),
    windowStart: isoDate.optional(),
    windowEnd: isoDate.optional(),
    mode: z.enum(WORK_MODES, { error: 'errors.mode' }).default('onsite'),
    place: optionalText(200),
    expectedOutcome: optionalText(1000),
  })
  .refine((i) => !i.windowStart || !i.windowEnd || i.windowStart <= i.windowEnd, {
    error: 'errors.windowOrder',
    path: ['windowEnd'],
  })

type NeedItemOutput = z.output<typeof needItemSchema>
type CoreItemField = 'category' | 'description' | 'urgency' | 'headcount'

/** A validated item; the details beyond the core fields may be left out. */
export type NeedItemData = Pick<NeedItemOutput, CoreItemField> &
  Partial<Omit<NeedItemOutput, CoreItemField>>

export const needsListSchema = z.object({
  title: z
    .string({ error: 'errors.required' })
    .trim()
    .min(2, { error: 'errors.titleTooShort' })
    .max(120, { error: 'errors.tooLong' }),
  items: z.array(needItemSchema).max(30, { error: 'errors.tooManyItems' }).default([]),
})

export type NeedsListInput = { title: string; items: NeedItemData[] }

export const returnReasonSchema = z
  .string({ error: 'errors.reasonRequired' })
  .trim()
  .min(2, { error: 'errors.reasonRequired' })
  .max(1000, { error: 'errors.tooLong' })
