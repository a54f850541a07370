import { z } from 'zod'

/** Category codes; labels live in the translations. */
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

export const URGENCIES = ['low', 'normal', 'high', 'urgent'] as const

// Messages are translation keys; the UI translates them.
export const needItemSchema = z.object({
  category: z.enum(NEED_CATEGORIES, { error: 'errors.category' }),
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
})

export const needsListSchema = z.object({
  title: z
    .string({ error: 'errors.required' })
    .trim()
    .min(2, { error: 'errors.titleTooShort' })
    .max(120, { error: 'errors.tooLong' }),
  items: z.array(needItemSchema).max(30, { error: 'errors.tooManyItems' }).default([]),
})

export type NeedsListInput = z.infer<typeof needsListSchema>

export const returnReasonSchema = z
  .string({ error: 'errors.reasonRequired' })
  .trim()
  .min(2, { error: 'errors.reasonRequired' })
  .max(1000, { error: 'errors.tooLong' })
