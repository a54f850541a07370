import { z } from 'zod'

/**
 * The forms of the on-site page and the report. Messages are translation
 * keys (onsite.errors.*, errors.*); the commands parse with these again, so
 * a caller that skips the route still cannot store bad input.
 */

const id = z.number({ error: 'errors.badRequest' }).int().positive().max(2_147_483_647)

/** Chosen by the page (a UUID, or a random token the server rendered into the form). */
export const clientKey = z
  .string({ error: 'errors.badRequest' })
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'errors.badRequest')

const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, 'errors.tooLong')
    .optional()
    .transform((s) => (s ? s : null))

const required = (min: number, max: number, tooShort: string) =>
  z
    .string({ error: 'errors.required' })
    .trim()
    .min(1, 'errors.required')
    .min(min, tooShort)
    .max(max, 'errors.tooLong')

/** One checklist line as typed: the value's text ('pass'/'fail' for a check) and a note. */
export const recordLineSchema = z.object({
  planItemId: id,
  value: z.string().max(4000, 'errors.tooLong').optional(),
  note: text(2000),
})
export type RecordLineInput = z.input<typeof recordLineSchema>

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const
export type Severity = (typeof SEVERITIES)[number]

export const findingSchema = z.object({
  clientKey,
  severity: z.enum(SEVERITIES, { error: 'onsite.errors.severity' }),
  title: required(2, 200, 'onsite.errors.titleTooShort'),
  description: text(4000),
  recommendation: text(4000),
  planItemId: id.optional(),
})
export type FindingInput = z.input<typeof findingSchema>

export const followUpSchema = z.object({
  clientKey,
  description: required(2, 1000, 'onsite.errors.descriptionTooShort'),
  owner: required(1, 100, 'errors.required'),
  dueOn: z.iso.date({ error: 'errors.date' }).optional(),
})
export type FollowUpInput = z.input<typeof followUpSchema>

/** The text fields sent with photos. */
export const photoFieldsSchema = z.object({
  findingId: id.optional(),
  caption: text(200),
})

export const submitReportSchema = z.object({
  summary: required(4, 10_000, 'onsite.errors.summaryTooShort'),
  recommendations: text(10_000),
})
export type SubmitReportInput = z.input<typeof submitReportSchema>

export const confirmReportSchema = z.object({
  /** The confirming person's name, as they type it. */
  name: required(2, 50, 'onsite.errors.nameTooShort'),
  remarks: text(2000),
})
export type ConfirmReportInput = z.input<typeof confirmReportSchema>

/** A schema failure as the first issue's field and message key. */
export function firstIssue(error: { issues: { path: PropertyKey[]; message: string }[] }) {
  const issue = error.issues[0]
  return {
    field: (issue?.path ?? []).map(String).join('.') || 'form',
    messageKey: issue?.message ?? 'errors.badRequest',
  }
}
