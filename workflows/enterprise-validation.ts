import { z } from 'zod'

/**
 * Enterprise data rules: the unified social credit code (GB 32100-2015),
 * Chinese mobile numbers, name normalisation for duplicate warnings, and the
 * code lists (GB/T 4754-2017 sections, sizes, tags). Pure functions only;
 * labels live in the translations (t('enterprise.industry.<code>') etc.).
 */

// ─── Unified social credit code (统一社会信用代码) ──────────────────────────

/** The 31 characters GB 32100-2015 allows, in the order of their values 0–30 (no I, O, Z, S, V). */
export const CREDIT_CODE_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY'

/** Weights of positions 1–17 (3^(i-1) mod 31). */
export const CREDIT_CODE_WEIGHTS = [
  1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
] as const

export type CreditCodeFailure = 'required' | 'length' | 'charset' | 'checkCharacter'

export type CreditCodeResult =
  | { ok: true; value: string }
  | { ok: false; reason: CreditCodeFailure; value: string }

/**
 * What users type is folded before it is checked: full-width characters
 * become ASCII (NFKC), lowercase becomes uppercase, and spaces anywhere are
 * dropped (codes are often pasted in groups). Nothing else is guessed: an O
 * stays an O and is refused, never read as a zero.
 */
export function normalizeCreditCode(raw: string): string {
  return raw.normalize('NFKC').replace(/\s+/g, '').toUpperCase()
}

/** The check character (position 18) for the first 17 characters, or null if one is invalid. */
export function creditCodeCheckCharacter(first17: string): string | null {
  let sum = 0
  for (let i = 0; i < 17; i++) {
    const value = CREDIT_CODE_CHARSET.indexOf(first17[i] ?? '')
    if (value < 0) return null
    sum += value * (CREDIT_CODE_WEIGHTS[i] ?? 0)
  }
  // 31 - (sum mod 31), where 31 itself stands for 0.
  return CREDIT_CODE_CHARSET[(31 - (sum % 31)) % 31] ?? null
}

/**
 * Validates a credit code after normalising it. Each failure has its own
 * reason so the form can say what is wrong: the length, a character outside
 * the GB 32100 set, or a check character that does not match.
 * (The GB 11714 organisation-code check inside positions 9–17 is not applied:
 * GB 32100 only requires the 18th character to verify.)
 */
export function validateCreditCode(raw: string): CreditCodeResult {
  const value = normalizeCreditCode(raw)
  if (value.length === 0) return { ok: false, reason: 'required', value }
  if ([...value].length !== 18) return { ok: false, reason: 'length', value }
  for (const ch of value) {
    if (!CREDIT_CODE_CHARSET.includes(ch)) return { ok: false, reason: 'charset', value }
  }
  if (creditCodeCheckCharacter(value.slice(0, 17)) !== value[17]) {
    return { ok: false, reason: 'checkCharacter', value }
  }
  return { ok: true, value }
}

export function isValidCreditCode(raw: string): boolean {
  return validateCreditCode(raw).ok
}

// ─── Mobile numbers ───────────────────────────────────────────────────────

export type MobileFailure = 'required' | 'format' | 'length' | 'prefix'

export type MobileResult =
  | { ok: true; value: string }
  | { ok: false; reason: MobileFailure; value: string }

/**
 * Folds a mobile number as typed: full-width digits and signs to ASCII,
 * spaces, dashes, dots and parentheses dropped, and a +86 / 0086 / 86 country
 * prefix removed (86 only when 13 digits remain, so it cannot eat a number).
 */
export function normalizeMobile(raw: string): string {
  let value = raw.normalize('NFKC').replace(/[\s\-.()]/g, '')
  if (value.startsWith('+86')) value = value.slice(3)
  else if (value.startsWith('0086')) value = value.slice(4)
  else if (value.startsWith('86') && value.length === 13) value = value.slice(2)
  return value
}

/** A mainland China mobile number: 11 digits, starting 13–19. */
export function validateMobile(raw: string): MobileResult {
  const value = normalizeMobile(raw)
  if (value.length === 0) return { ok: false, reason: 'required', value }
  if (!/^\d+$/.test(value)) return { ok: false, reason: 'format', value }
  if (value.length !== 11) return { ok: false, reason: 'length', value }
  if (!/^1[3-9]/.test(value)) return { ok: false, reason: 'prefix', value }
  return { ok: true, value }
}

export function isValidMobile(raw: string): boolean {
  return validateMobile(raw).ok
}

/** 13812345678 → 138****5678, for people who are not members of the enterprise. */
export function maskMobile(mobile: string): string {
  if (mobile.length < 7) return '*'.repeat(mobile.length)
  return `${mobile.slice(0, 3)}${'*'.repeat(mobile.length - 7)}${mobile.slice(-4)}`
}

// ─── Names ────────────────────────────────────────────────────────────────

/** Company-form suffixes, longest first; stripped repeatedly ("…集团有限公司" loses both). */
export const COMPANY_FORM_SUFFIXES = [
  '股份有限公司',
  '有限责任公司',
  '有限公司',
  '有限合伙',
  '股份公司',
  '分公司',
  '总公司',
  '集团',
  '公司',
  '厂',
  'companylimited',
  'corporation',
  'limited',
  'company',
  'coltd',
  'group',
  'corp',
  'ltd',
  'inc',
  'llc',
] as const

/** A leading region: 中国, or a province/region/city name of two or three characters. */
const REGION_PREFIX = /^(?:中国|\p{Script=Han}{2,3}(?:省|自治区|特别行政区|市))/u

/** Names shorter than this are never trimmed further, so "某某厂" keeps its core. */
const MIN_CORE = 2

const length = (s: string) => [...s].length

/**
 * The name folded for similarity checks (stored as enterprise.normalized_name):
 * NFKC (full-width → half-width), lowercase, parenthesised parts dropped
 * (usually a region or branch: "鹭江智造（厦门）…"), whitespace, punctuation
 * and symbols dropped, then up to two region prefixes ("福建省", "厦门市") and
 * any number of company-form suffixes stripped, as long as a core of two
 * characters remains.
 */
export function normalizeEnterpriseName(raw: string): string {
  let s = raw
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\([^()]*\)/g, '')
    .replace(/[\s\p{P}\p{S}]/gu, '')
  for (let i = 0; i < 2; i++) {
    const m = REGION_PREFIX.exec(s)
    if (!m || length(s) - length(m[0]) < MIN_CORE) break
    s = s.slice(m[0].length)
  }
  let changed = true
  while (changed) {
    changed = false
    for (const suffix of COMPANY_FORM_SUFFIXES) {
      if (s.endsWith(suffix) && length(s) - length(suffix) >= MIN_CORE) {
        s = s.slice(0, s.length - suffix.length)
        changed = true
        break
      }
    }
  }
  return s
}

/** Levenshtein distance over code points, giving up early once it exceeds `max`. */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  const x = [...a]
  const y = [...b]
  if (Math.abs(x.length - y.length) > max) return max + 1
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j)
  for (let i = 1; i <= x.length; i++) {
    const cur = [i]
    let rowMin = i
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1
      const v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost)
      cur.push(v)
      rowMin = Math.min(rowMin, v)
    }
    if (rowMin > max) return max + 1
    prev = cur
  }
  return prev[y.length] ?? 0
}

/** Containment and typo tolerance start at this many characters of the shorter name. */
export const SIMILAR_MIN_LENGTH = 4

/**
 * Whether two already-normalised names look like the same enterprise:
 * - equal; or
 * - one contains the other, when the shorter has at least 4 characters
 *   ("鹭江智造" vs "鹭江智造精密机械"); or
 * - an edit distance of 1 (shorter name ≥ 4 characters) or 2 (≥ 8), which
 *   catches a mistyped or swapped character.
 * It only produces a warning, so it leans towards asking.
 */
export function areNamesSimilar(a: string, b: string): boolean {
  if (a.length === 0 || b.length === 0) return false
  if (a === b) return true
  const shorter = Math.min(length(a), length(b))
  if (shorter < SIMILAR_MIN_LENGTH) return false
  if (a.includes(b) || b.includes(a)) return true
  const allowed = shorter >= 8 ? 2 : 1
  return editDistance(a, b, allowed) <= allowed
}

// ─── Code lists ───────────────────────────────────────────────────────────

/** GB/T 4754-2017 sections (门类); names in t('enterprise.industry.<letter>'). */
export const INDUSTRY_SECTIONS = [
  'A',
  'B',
  'C',
  'D',
  'E',
  'F',
  'G',
  'H',
  'I',
  'J',
  'K',
  'L',
  'M',
  'N',
  'O',
  'P',
  'Q',
  'R',
  'S',
  'T',
] as const
export type IndustrySection = (typeof INDUSTRY_SECTIONS)[number]

/** Enterprise size classes (大中小微, per the NBS classification). */
export const ENTERPRISE_SIZES = ['micro', 'small', 'medium', 'large'] as const
export type EnterpriseSize = (typeof ENTERPRISE_SIZES)[number]

/**
 * Recognitions an enterprise may hold; labels in t('enterprise.tag.<code>'):
 * 创新型中小企业, 省级专精特新中小企业, 国家级专精特新"小巨人", 制造业单项冠军, 链主企业.
 */
export const ENTERPRISE_TAGS = [
  'innovative_sme',
  'srdi_provincial',
  'little_giant',
  'single_champion',
  'chain_leader',
] as const
export type EnterpriseTag = (typeof ENTERPRISE_TAGS)[number]

/** Union orgs an enterprise may register under (not national or provincial bodies). */
export const REGISTRATION_ORG_KINDS = [
  'park_union',
  'district_union',
  'industry_federation',
  'city_federation',
] as const

// ─── Form schemas (messages are translation keys) ─────────────────────────

const text = (max: number) =>
  z.string().trim().max(max, { error: 'errors.tooLong' }).optional().default('')

export const creditCodeSchema = z
  .string({ error: 'enterprise.errors.creditCode.required' })
  .transform((raw, ctx) => {
    const result = validateCreditCode(raw)
    if (!result.ok) {
      ctx.addIssue({ code: 'custom', message: `enterprise.errors.creditCode.${result.reason}` })
      return z.NEVER
    }
    return result.value
  })

export const mobileSchema = z
  .string({ error: 'enterprise.errors.mobile.required' })
  .transform((raw, ctx) => {
    const result = validateMobile(raw)
    if (!result.ok) {
      ctx.addIssue({ code: 'custom', message: `enterprise.errors.mobile.${result.reason}` })
      return z.NEVER
    }
    return result.value
  })

export const enterpriseNameSchema = z
  .string({ error: 'enterprise.errors.nameRequired' })
  .trim()
  .min(2, { error: 'enterprise.errors.nameTooShort' })
  .max(100, { error: 'errors.tooLong' })
  .transform((s) => s.normalize('NFC').replace(/\s+/g, ' '))

export const personNameSchema = z
  .string({ error: 'errors.required' })
  .trim()
  .min(1, { error: 'errors.required' })
  .max(50, { error: 'errors.tooLong' })

const emailFormat = z.email()

export const emailSchema = z
  .string({ error: 'errors.required' })
  .trim()
  .toLowerCase()
  .max(200, { error: 'errors.tooLong' })
  .refine((v) => emailFormat.safeParse(v).success, { error: 'errors.email' })

export const passwordSchema = z
  .string({ error: 'errors.required' })
  .min(8, { error: 'enterprise.errors.passwordTooShort' })
  .max(200, { error: 'errors.tooLong' })

/** The enterprise's own fields, shared by self-registration and coordinator creation. */
export const enterpriseFieldsSchema = z.object({
  name: enterpriseNameSchema,
  creditCode: creditCodeSchema,
  industry: z.enum(INDUSTRY_SECTIONS, { error: 'enterprise.errors.industry' }),
  size: z.enum(ENTERPRISE_SIZES, { error: 'enterprise.errors.size' }),
  tags: z
    .array(z.enum(ENTERPRISE_TAGS, { error: 'enterprise.errors.tag' }))
    .max(ENTERPRISE_TAGS.length, { error: 'enterprise.errors.tag' })
    .default([])
    .transform((tags) => [...new Set(tags)]),
  address: text(200),
  district: text(50),
  park: text(100),
  orgId: z
    .number({ error: 'enterprise.errors.org' })
    .int({ error: 'enterprise.errors.org' })
    .positive({ error: 'enterprise.errors.org' }),
  /** Ticked after the similar-name warning: save anyway. */
  confirmSimilar: z.boolean({ error: 'errors.badRequest' }).optional().default(false),
})

export type EnterpriseFields = z.output<typeof enterpriseFieldsSchema>

/** Self-registration: the enterprise and its first contact, who becomes a user. */
export const registrationSchema = enterpriseFieldsSchema
  .extend({
    contactName: personNameSchema,
    email: emailSchema,
    mobile: mobileSchema,
    password: passwordSchema,
    passwordConfirm: z.string().optional(),
  })
  .refine((v) => v.password === v.passwordConfirm, {
    error: 'enterprise.errors.passwordMismatch',
    path: ['passwordConfirm'],
  })

export type RegistrationInput = z.output<typeof registrationSchema>

/** A coordinator creates the enterprise and may invite its first contact at once. */
export const coordinatorEnterpriseSchema = enterpriseFieldsSchema
  .extend({
    inviteName: z.string().trim().max(50, { error: 'errors.tooLong' }).optional().default(''),
    inviteEmail: z.string().trim().max(200, { error: 'errors.tooLong' }).optional().default(''),
    inviteMobile: z.string().trim().max(40, { error: 'errors.tooLong' }).optional().default(''),
  })
  .superRefine((v, ctx) => {
    // The invitation is all or nothing: once any of its fields is filled, all must be valid.
    if (!v.inviteName && !v.inviteEmail && !v.inviteMobile) return
    if (!v.inviteName)
      ctx.addIssue({ code: 'custom', path: ['inviteName'], message: 'errors.required' })
    if (!emailSchema.safeParse(v.inviteEmail).success)
      ctx.addIssue({ code: 'custom', path: ['inviteEmail'], message: 'errors.email' })
    const mobile = validateMobile(v.inviteMobile)
    if (!mobile.ok)
      ctx.addIssue({
        code: 'custom',
        path: ['inviteMobile'],
        message: `enterprise.errors.mobile.${mobile.reason}`,
      })
  })
  .transform(({ inviteName, inviteEmail, inviteMobile, ...fields }) => ({
    ...fields,
    invite: inviteName
      ? {
          name: inviteName,
          email: inviteEmail.toLowerCase(),
          mobile: normalizeMobile(inviteMobile),
        }
      : null,
  }))

export type CoordinatorEnterpriseInput = z.output<typeof coordinatorEnterpriseSchema>

/** A contact invites a colleague of the same enterprise. */
export const invitationSchema = z.object({
  name: personNameSchema,
  email: emailSchema,
  mobile: mobileSchema,
})

export type InvitationInput = z.output<typeof invitationSchema>

/** An invitee without an account sets their name, mobile and password. */
export const acceptInvitationSchema = z
  .object({
    name: personNameSchema,
    mobile: mobileSchema,
    password: passwordSchema,
    passwordConfirm: z.string().optional(),
  })
  .refine((v) => v.password === v.passwordConfirm, {
    error: 'enterprise.errors.passwordMismatch',
    path: ['passwordConfirm'],
  })

export type AcceptInvitationInput = z.output<typeof acceptInvitationSchema>
