import { z } from 'zod'
import { HONOUR_LEVELS, type HonourLevel } from '#db/schema.ts'
import { mobileSchema } from '../enterprise-validation.ts'
import {
  type Blackout,
  encodeCellError,
  MAX_HONOURS,
  MAX_SKILLS,
  parseBlackoutsCell,
  parseListCell,
} from './cells.ts'
import { TECHNICAL_GRADES, type TechnicalGrade } from './grades.ts'
import { HONOUR_TYPES, type HonourType, MAX_HONOUR_YEAR, MIN_HONOUR_YEAR } from './honours.ts'

// Form schemas of the talent pool; messages are translation keys.

export const EXPERT_STATUSES = ['active', 'paused'] as const
export type ExpertStatus = (typeof EXPERT_STATUSES)[number]
export const GENDERS = ['male', 'female'] as const
export type Gender = (typeof GENDERS)[number]

export const MIN_CAPACITY = 1
export const MAX_CAPACITY = 20
export const DEFAULT_CAPACITY = 2
export const DEFAULT_WEEKDAYS = [1, 2, 3, 4, 5] as const

/** An expert's profile as the forms and the import hand it to the commands. */
export interface ExpertRecord {
  name: string
  gender: Gender | null
  mobile: string
  email: string | null
  employer: string | null
  jobTitle: string | null
  grade: TechnicalGrade | null
  skills: { skillId: number; proficiency: number }[]
  honours: { type: HonourType; level: HonourLevel; year: number | null }[]
  districts: string[]
  parks: string[]
  weekdays: number[]
  blackouts: Blackout[]
  capacity: number
  status: ExpertStatus
  bio: string | null
}

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: 'errors.tooLong' })
    .optional()
    .transform((v) => (v ? v : null))

export const expertNameSchema = z
  .string({ error: 'talent.errors.name' })
  .trim()
  .min(1, { error: 'talent.errors.name' })
  .max(50, { error: 'errors.tooLong' })

const emailFormat = z.email()
export const optionalEmailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(200, { error: 'errors.tooLong' })
  .optional()
  .refine((v) => !v || emailFormat.safeParse(v).success, { error: 'errors.email' })
  .transform((v) => (v ? v : null))

const capacitySchema = z
  .number({ error: 'talent.errors.capacity' })
  .int({ error: 'talent.errors.capacity' })
  .min(MIN_CAPACITY, { error: 'talent.errors.capacity' })
  .max(MAX_CAPACITY, { error: 'talent.errors.capacity' })

/** A text area or input read by one of the cell parsers (the import's syntax). */
const listField = z
  .string()
  .optional()
  .transform((raw, ctx) => {
    const r = parseListCell(raw ?? '')
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', message: encodeCellError(r.error) })
      return z.NEVER
    }
    return r.value
  })

const blackoutsField = z
  .string()
  .max(4000, { error: 'errors.tooLong' })
  .optional()
  .transform((raw, ctx) => {
    const r = parseBlackoutsCell(raw ?? '')
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', message: encodeCellError(r.error) })
      return z.NEVER
    }
    return r.value
  })

const weekdaysField = z
  .array(z.enum(['1', '2', '3', '4', '5', '6', '7'], { error: 'talent.errors.weekdays' }), {
    error: 'talent.errors.weekdays',
  })
  .min(1, { error: 'talent.errors.weekdays' })
  .max(7, { error: 'talent.errors.weekdays' })
  .transform((days) => [...new Set(days.map(Number))].sort((a, b) => a - b))

/**
 * Skills as posted by the profile form: one select per skill named
 * `skills.s<id>` holding a proficiency 1–5, or nothing when not held.
 */
const skillsField = z
  .record(z.string(), z.string().optional())
  .optional()
  .transform((record, ctx) => {
    const out: { skillId: number; proficiency: number }[] = []
    for (const [key, value] of Object.entries(record ?? {})) {
      if (value === undefined || value === '' || value === '0') continue
      const m = /^s([1-9]\d{0,9})$/.exec(key)
      if (!m || !/^[1-5]$/.test(value)) {
        ctx.addIssue({ code: 'custom', message: 'talent.errors.skills' })
        return z.NEVER
      }
      out.push({ skillId: Number(m[1]), proficiency: Number(value) })
    }
    if (out.length > MAX_SKILLS) {
      ctx.addIssue({ code: 'custom', message: 'talent.errors.tooManySkills' })
      return z.NEVER
    }
    return out.sort((a, b) => a.skillId - b.skillId)
  })

/** Honour rows of the form; a row left blank (no type) is ignored. */
const honoursField = z
  .array(
    z.object({
      type: z.string().optional(),
      level: z.string().optional(),
      year: z.string().optional(),
    }),
  )
  .max(MAX_HONOURS + 5, { error: 'talent.errors.tooManyHonours' })
  .optional()
  .default([])
  .superRefine((rows, ctx) => {
    rows.forEach((row, i) => {
      if (!row.type && !row.year && !row.level) return
      if (!(HONOUR_TYPES as readonly string[]).includes(row.type ?? '')) {
        ctx.addIssue({ code: 'custom', path: [i, 'type'], message: 'talent.errors.honourType' })
      }
      if (!(HONOUR_LEVELS as readonly string[]).includes(row.level ?? '')) {
        ctx.addIssue({ code: 'custom', path: [i, 'level'], message: 'talent.errors.honourLevel' })
      }
      if (row.year) {
        const y = Number(row.year)
        if (!/^\d{4}$/.test(row.year) || y < MIN_HONOUR_YEAR || y > MAX_HONOUR_YEAR) {
          ctx.addIssue({ code: 'custom', path: [i, 'year'], message: 'talent.errors.honourYear' })
        }
      }
    })
  })
  .transform((rows) => {
    const seen = new Set<string>()
    const out: ExpertRecord['honours'] = []
    for (const row of rows) {
      if (!row.type) continue
      const h = {
        type: row.type as HonourType,
        level: row.level as HonourLevel,
        year: row.year ? Number(row.year) : null,
      }
      const key = `${h.type}:${h.level}:${h.year ?? ''}`
      if (!seen.has(key)) {
        seen.add(key)
        out.push(h)
      }
    }
    return out
  })
  .refine((list) => list.length <= MAX_HONOURS, { error: 'talent.errors.tooManyHonours' })

const choice = <T extends readonly [string, ...string[]]>(values: T, error: string) =>
  z
    .enum(values, { error })
    .optional()
    .transform((v) => v ?? null)

const orgIdSchema = z
  .number({ error: 'talent.errors.org' })
  .int({ error: 'talent.errors.org' })
  .positive({ error: 'talent.errors.org' })

/** Fields an expert may change on their own profile (decided: not the union's credentials). */
const ownFields = {
  email: optionalEmailSchema,
  employer: optionalText(100),
  jobTitle: optionalText(50),
  gender: choice(GENDERS, 'talent.errors.gender'),
  skills: skillsField,
  districts: listField,
  parks: listField,
  weekdays: weekdaysField,
  blackouts: blackoutsField,
  capacity: capacitySchema,
  status: z.enum(EXPERT_STATUSES, { error: 'talent.errors.status' }),
  bio: optionalText(2000),
}

/** What a coordinator edits: everything, plus the managing org and the linked account. */
export const expertProfileSchema = z.object({
  ...ownFields,
  name: expertNameSchema,
  mobile: mobileSchema,
  grade: choice(TECHNICAL_GRADES, 'talent.errors.grade'),
  honours: honoursField,
  orgId: orgIdSchema,
  /** E-mail of the user account to link (role expert), blank for none. */
  accountEmail: optionalEmailSchema,
})
export type ExpertProfileInput = z.output<typeof expertProfileSchema>

/**
 * What an expert edits at /experts/me: their contact details, specialties,
 * coverage, availability, capacity and whether they take engagements
 * (pausing themselves). Name, mobile (the import key), grade and honours
 * (credentials the union verifies), managing org and linked account stay
 * with the union.
 */
export const ownProfileSchema = z.object(ownFields)
export type OwnProfileInput = z.output<typeof ownProfileSchema>

export function toSkillsField(skills: readonly { skillId: number; proficiency: number }[]) {
  return Object.fromEntries(skills.map((s) => [`s${s.skillId}`, String(s.proficiency)]))
}

// ─── Service teams ────────────────────────────────────────────────────────

export const teamSchema = z.object({
  name: z
    .string({ error: 'talent.errors.teamName' })
    .trim()
    .min(2, { error: 'talent.errors.teamName' })
    .max(60, { error: 'errors.tooLong' }),
  orgId: orgIdSchema,
  leaderId: z
    .number({ error: 'talent.errors.leader' })
    .int({ error: 'talent.errors.leader' })
    .positive({ error: 'talent.errors.leader' }),
  capacity: capacitySchema,
  status: z.enum(EXPERT_STATUSES, { error: 'talent.errors.status' }),
  bio: optionalText(2000),
})
export type TeamInput = z.output<typeof teamSchema>

export const expertIdSchema = z
  .number({ error: 'talent.errors.expert' })
  .int({ error: 'talent.errors.expert' })
  .positive({ error: 'talent.errors.expert' })
