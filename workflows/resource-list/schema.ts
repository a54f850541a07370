import { z } from 'zod'

// Pure (zod only): commands and pages share these. Messages are translation keys.

export const CANDIDATE_KEY = /^(expert|team):([1-9][0-9]{0,9})$/

export interface CandidateRef {
  kind: 'expert' | 'team'
  id: number
}

export function parseCandidate(value: string): CandidateRef | null {
  const m = CANDIDATE_KEY.exec(value)
  if (!m) return null
  const id = Number(m[2])
  return Number.isSafeInteger(id) ? { kind: m[1] as 'expert' | 'team', id } : null
}

export const candidateSchema = z
  .string({ error: 'matching.errors.candidate' })
  .trim()
  .regex(CANDIDATE_KEY, { error: 'matching.errors.candidate' })

export const idSchema = z.coerce
  .number({ error: 'errors.badRequest' })
  .int({ error: 'errors.badRequest' })
  .positive({ error: 'errors.badRequest' })
  .max(2_147_483_647, { error: 'errors.badRequest' })

/** An optional reason (an exclusion, a replacement, a withdrawal). */
export const optionalReasonSchema = z
  .string()
  .trim()
  .max(500, { error: 'errors.tooLong' })
  .optional()
  .transform((v) => (v ? v : undefined))

/** A reason someone must give (declining, cancelling a meeting). */
export const reasonSchema = z
  .string({ error: 'matching.errors.reasonRequired' })
  .trim()
  .min(2, { error: 'matching.errors.reasonRequired' })
  .max(500, { error: 'errors.tooLong' })

export const searchSchema = z
  .string()
  .trim()
  .max(50, { error: 'errors.tooLong' })
  .optional()
  .transform((v) => v ?? '')

/** 'YYYY-MM-DDTHH:mm' as a datetime-local input posts it, read in Beijing time. */
const LOCAL_DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/

export function beijingDateTime(value: string): Date | null {
  const m = LOCAL_DATETIME.exec(value)
  if (!m) return null
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number]
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) return null
  const at = new Date(Date.UTC(y, mo - 1, d, h - 8, mi))
  // Reject dates that roll over (e.g. 02-31).
  const check = new Date(at.getTime() + 8 * 3600_000)
  if (check.getUTCDate() !== d || check.getUTCMonth() !== mo - 1) return null
  return at
}

/** The datetime-local value of a moment, in Beijing time. */
export function beijingLocalValue(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 16)
}

export const MAX_ATTENDEES = 30

const attendeeSchema = z.object({
  name: z.string().trim().max(50, { error: 'errors.tooLong' }).optional().default(''),
  role: z.string().trim().max(50, { error: 'errors.tooLong' }).optional().default(''),
})

export const meetingSchema = z.object({
  heldAt: z
    .string({ error: 'matching.errors.heldAt' })
    .refine((v) => beijingDateTime(v) !== null, { error: 'matching.errors.heldAt' }),
  place: z
    .string({ error: 'matching.errors.place' })
    .trim()
    .min(2, { error: 'matching.errors.place' })
    .max(200, { error: 'errors.tooLong' }),
  attendees: z
    .array(attendeeSchema)
    .max(MAX_ATTENDEES, { error: 'errors.tooManyItems' })
    .optional()
    .default([])
    .transform((rows) => rows.filter((a) => a.name.length > 0))
    .refine((rows) => rows.length > 0, { error: 'matching.errors.attendees' }),
  notes: z
    .string()
    .trim()
    .max(2000, { error: 'errors.tooLong' })
    .optional()
    .transform((v) => (v ? v : undefined)),
})

export type MeetingInput = z.output<typeof meetingSchema>

export const MAX_DECISION = 1000

export const pairingDecisionSchema = z.object({
  itemId: idSchema,
  invitationIds: z.array(idSchema).max(50).optional().default([]),
  decision: z
    .string()
    .trim()
    .max(MAX_DECISION, { error: 'errors.tooLong' })
    .optional()
    .transform((v) => (v ? v : undefined)),
})

export const pairingSchema = z.object({
  decisions: z
    .array(pairingDecisionSchema)
    .max(30, { error: 'errors.tooManyItems' })
    .optional()
    .default([]),
})

export type PairingDecision = z.output<typeof pairingDecisionSchema>

const isoDate = z.iso.date({ error: 'errors.date' })

export const agreementTermSchema = z
  .object({ termStart: isoDate, termEnd: isoDate })
  .refine((v) => v.termStart < v.termEnd, {
    path: ['termEnd'],
    error: 'matching.errors.termOrder',
  })

/** A term of one year from `start` ('YYYY-MM-DD'): the day before the same date next year. */
export function oneYearFrom(start: string): string {
  const [y, m, d] = start.split('-').map(Number) as [number, number, number]
  const end = new Date(Date.UTC(y + 1, m - 1, d) - 86_400_000)
  return end.toISOString().slice(0, 10)
}

/** Today's date in Beijing, 'YYYY-MM-DD'. */
export function beijingToday(now: Date): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10)
}
