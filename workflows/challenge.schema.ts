import { z } from 'zod'

// Open challenges (揭榜挂帅). Pure (zod only): pages import it. Messages are translation keys.

/** Case stages in which an item may be published and volunteered for: before the pairing. */
export const CHALLENGE_CASE_STATES = ['ready_for_matching', 'matching', 'inviting'] as const

export function isChallengeCaseState(state: string): boolean {
  return (CHALLENGE_CASE_STATES as readonly string[]).includes(state)
}

export const MAX_CHALLENGE_NOTE = 500
export const MAX_VOLUNTEER_NOTE = 300
/** A closing date at most this many days ahead. */
export const MAX_CLOSING_DAYS = 366

const id = z.number({ error: 'errors.badRequest' }).int().positive()

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: 'errors.tooLong' })
    .optional()
    .transform((v) => (v ? v : null))

/** 'YYYY-MM-DD' that is a real calendar date. */
export function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false
  const d = new Date(`${s}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s
}

const closingDate = z
  .string({ error: 'challenges.errors.closesOn' })
  .trim()
  .optional()
  .refine((v) => !v || isIsoDate(v), { error: 'challenges.errors.closesOn' })
  .transform((v) => (v ? v : null))

/** Publishing a confirmed item as an open challenge (also re-opening a closed one). */
export const publishChallengeSchema = z.object({
  itemId: id,
  note: optionalText(MAX_CHALLENGE_NOTE),
  closesOn: closingDate,
})
export type PublishChallengeInput = z.output<typeof publishChallengeSchema>

/** An expert volunteering (揭榜), with a short note. */
export const volunteerSchema = z.object({
  note: optionalText(MAX_VOLUNTEER_NOTE),
})
