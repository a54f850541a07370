import { z } from 'zod'
import { beijingDateTime, idSchema, reasonSchema } from '../resource-list/schema.ts'

// Pure (zod only): commands and pages share these. Messages are translation keys.

export const VISIT_KINDS = ['inspection', 'follow_up', 'training'] as const
export type VisitKindName = (typeof VISIT_KINDS)[number]

export const MAX_OTHER_MEMBERS = 10

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: 'errors.tooLong' })
    .nullish()
    .transform((v) => (v ? v : undefined))

/** 'YYYY-MM-DDTHH:mm' read in Beijing time. */
export const visitTimeSchema = z
  .string({ error: 'visits.errors.startsAt' })
  .trim()
  .refine((v) => beijingDateTime(v) !== null, { error: 'visits.errors.startsAt' })

const idList = (max: number) =>
  z
    .union([idSchema, z.array(idSchema)], { error: 'errors.badRequest' })
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? [...new Set(v)] : [v]))
    .refine((v) => v.length <= max, { error: 'errors.tooManyItems' })

/** A team member named by hand: a cadre or another person, with a sign-in if they have one. */
const namedMemberSchema = z.object({
  name: z.string().trim().max(50, { error: 'errors.tooLong' }).optional().default(''),
  userId: z
    .union([z.literal(''), idSchema], { error: 'errors.badRequest' })
    .optional()
    .transform((v) => (v === '' || v === undefined ? undefined : v)),
})

const checkbox = z
  .union([z.literal('on'), z.literal('true'), z.boolean()], { error: 'errors.badRequest' })
  .optional()
  .transform((v) => v === true || v === 'on' || v === 'true')

export const scheduleVisitSchema = z.object({
  kind: z.enum(VISIT_KINDS, { error: 'visits.errors.kind' }),
  startsAt: visitTimeSchema,
  durationMinutes: z.coerce
    .number({ error: 'visits.errors.duration' })
    .int({ error: 'visits.errors.duration' })
    .min(15, { error: 'visits.errors.duration' })
    .max(1440, { error: 'visits.errors.duration' }),
  /** Blank: the place of the first served item (else the enterprise's address). */
  place: optionalText(200),
  expertIds: idList(30),
  cadre: namedMemberSchema.optional(),
  others: z
    .array(namedMemberSchema)
    .max(MAX_OTHER_MEMBERS, { error: 'errors.tooManyItems' })
    .optional()
    .default([])
    .transform((rows) => rows.filter((r) => r.name.length > 0 || r.userId !== undefined)),
  templateIds: idList(10).refine((v) => v.length > 0, { error: 'visits.errors.templates' }),
  itemIds: idList(50).refine((v) => v.length > 0, { error: 'visits.errors.items' }),
  objectives: optionalText(2000),
  notes: optionalText(2000),
  /** The steward saw the conflict warnings and schedules anyway. */
  acknowledgeConflicts: checkbox,
})

export type ScheduleVisitInput = z.output<typeof scheduleVisitSchema>

export const rescheduleSchema = z.object({
  startsAt: visitTimeSchema,
  reason: reasonSchema,
  acknowledgeConflicts: checkbox,
})

export const counterProposeSchema = z.object({
  startsAt: visitTimeSchema,
  note: optionalText(500),
})

export const cancelVisitSchema = z.object({ reason: reasonSchema })

export const updateTeamSchema = z.object({
  expertIds: idList(30),
  cadre: namedMemberSchema.optional(),
  others: z
    .array(namedMemberSchema)
    .max(MAX_OTHER_MEMBERS, { error: 'errors.tooManyItems' })
    .optional()
    .default([])
    .transform((rows) => rows.filter((r) => r.name.length > 0 || r.userId !== undefined)),
  acknowledgeConflicts: checkbox,
})

export type UpdateTeamInput = z.output<typeof updateTeamSchema>
