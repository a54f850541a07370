import {
  type HonourLevel,
  type HonourType,
  IMPLIED_LEVEL,
  MAX_HONOUR_YEAR,
  MIN_HONOUR_YEAR,
  resolveHonourLevel,
  resolveHonourType,
} from './honours.ts'

/**
 * Parsers for the multi-valued cells of the import sheet (the profile form's
 * text areas use the same ones). Pure; each failure is a translation key
 * under talent.cell.* with its parameters, so the errors table can say what
 * is wrong with which part of a cell.
 */

export interface CellError {
  key: string
  params?: Record<string, string | number>
}

export type CellResult<T> = { ok: true; value: T } | { ok: false; error: CellError }

const ok = <T>(value: T): CellResult<T> => ({ ok: true, value })
const fail = (key: string, params?: Record<string, string | number>): CellResult<never> => ({
  ok: false,
  error: { key: `talent.cell.${key}`, params },
})

/** Entries of a multi-valued cell: split on ; ； 、 , ， or line breaks; blanks dropped. */
export function splitEntries(raw: string): string[] {
  return raw
    .normalize('NFKC')
    .split(/[;、,\n\r]+/)
    .map((s) => s.trim())
    .filter(Boolean)
}

// ─── Plain lists (districts, parks) ────────────────────────────────────────

export const MAX_LIST_ENTRIES = 30
export const MAX_LIST_ENTRY_LENGTH = 60

/** "海湾区、湖滨区" or "海湾区;湖滨区": distinct entries in the order given. */
export function parseListCell(raw: string): CellResult<string[]> {
  const seen = new Set<string>()
  for (const v of splitEntries(raw)) {
    if ([...v].length > MAX_LIST_ENTRY_LENGTH) return fail('entryTooLong', { value: v })
    seen.add(v)
  }
  if (seen.size > MAX_LIST_ENTRIES) return fail('tooManyEntries', { max: MAX_LIST_ENTRIES })
  return ok([...seen])
}

// ─── Weekdays ─────────────────────────────────────────────────────────────

const CHINESE_WEEKDAYS: Record<string, number> = {
  一: 1,
  二: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  日: 7,
  天: 7,
  七: 7,
}

function weekdayNumber(token: string): number | null {
  const t = token.replace(/^(周|星期|礼拜)/, '')
  if (/^[1-7]$/.test(t)) return Number(t)
  return CHINESE_WEEKDAYS[t] ?? null
}

/**
 * ISO weekdays (1 = Monday … 7 = Sunday): "1-5", "1,3,5", "1-3、6", also
 * "周一至周五". At least one day; the result is sorted and distinct.
 */
export function parseWeekdaysCell(raw: string): CellResult<number[]> {
  const days = new Set<number>()
  const text = raw.normalize('NFKC').replace(/\s+/g, '')
  if (!text) return fail('weekdaysEmpty')
  for (const part of text.split(/[;、,]+/).filter(Boolean)) {
    const range = part.split(/[-~至到]/)
    if (range.length === 1) {
      const d = weekdayNumber(part)
      if (d === null) return fail('weekday', { value: part })
      days.add(d)
    } else if (range.length === 2) {
      const from = weekdayNumber(range[0] ?? '')
      const to = weekdayNumber(range[1] ?? '')
      if (from === null || to === null || from > to) return fail('weekday', { value: part })
      for (let d = from; d <= to; d++) days.add(d)
    } else {
      return fail('weekday', { value: part })
    }
  }
  return ok([...days].sort((a, b) => a - b))
}

/** 1-5 → "1-5", [1,3,5] → "1,3,5", [1,2,3,6] → "1-3,6" (what the import reads back). */
export function formatWeekdays(days: readonly number[]): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b)
  const parts: string[] = []
  let i = 0
  while (i < sorted.length) {
    let j = i
    while (j + 1 < sorted.length && (sorted[j + 1] ?? 0) === (sorted[j] ?? 0) + 1) j++
    const first = sorted[i] ?? 0
    const last = sorted[j] ?? 0
    parts.push(j - i >= 2 ? `${first}-${last}` : j > i ? `${first},${last}` : String(first))
    i = j + 1
  }
  return parts.join(',')
}

// ─── Dates and blackouts ──────────────────────────────────────────────────

/** A calendar date as typed (2026-12-01, 2026/12/1, 2026.12.01, 2026年12月1日) → 'YYYY-MM-DD'. */
export function parseDate(raw: string): string | null {
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(raw.normalize('NFKC').trim())
  if (!m) return null
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const date = new Date(Date.UTC(y, mo - 1, d))
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) {
    return null
  }
  if (y < 2000 || y > 2100) return null
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`
}

export interface Blackout {
  startsOn: string
  endsOn: string
}

export const MAX_BLACKOUTS = 50

/**
 * "2026-12-01~2026-12-05; 2027-01-01": ranges (~ ～ 至 到) or single days,
 * inclusive; a range must not end before it starts.
 */
export function parseBlackoutsCell(raw: string): CellResult<Blackout[]> {
  const out: Blackout[] = []
  const seen = new Set<string>()
  const text = raw.normalize('NFKC')
  for (const part of text
    .split(/[;、,\n\r]+/)
    .map((s) => s.trim())
    .filter(Boolean)) {
    const range = part.split(/\s*(?:~|至|到)\s*/)
    if (range.length > 2) return fail('blackout', { value: part })
    const startsOn = parseDate(range[0] ?? '')
    const endsOn = range.length === 2 ? parseDate(range[1] ?? '') : startsOn
    if (!startsOn || !endsOn) return fail('blackout', { value: part })
    if (endsOn < startsOn) return fail('blackoutOrder', { value: part })
    const key = `${startsOn}~${endsOn}`
    if (!seen.has(key)) {
      seen.add(key)
      out.push({ startsOn, endsOn })
    }
  }
  if (out.length > MAX_BLACKOUTS) return fail('tooManyBlackouts', { max: MAX_BLACKOUTS })
  out.sort((a, b) => a.startsOn.localeCompare(b.startsOn) || a.endsOn.localeCompare(b.endsOn))
  return ok(out)
}

export function formatBlackouts(list: readonly Blackout[]): string {
  return list
    .map((b) => (b.startsOn === b.endsOn ? b.startsOn : `${b.startsOn}~${b.endsOn}`))
    .join('; ')
}

// ─── Skills ───────────────────────────────────────────────────────────────

export interface SkillRef {
  id: number
  level: 'domain' | 'field' | 'skill'
}

export interface ParsedSkill {
  code: string
  skillId: number
  proficiency: number
}

export const MAX_SKILLS = 30
export const DEFAULT_PROFICIENCY = 3

/**
 * "power.equipment.infrared-thermography:4; machining.cnc.programming:3":
 * skill codes of the taxonomy (leaf skills), each with a proficiency 1–5
 * (3 when left out). A code may appear once.
 */
export function parseSkillsCell(
  raw: string,
  lookup: (code: string) => SkillRef | undefined,
): CellResult<ParsedSkill[]> {
  const out: ParsedSkill[] = []
  const seen = new Set<string>()
  for (const entry of raw
    .normalize('NFKC')
    .split(/[;、,\n\r]+/)
    .map((s) => s.trim())
    .filter(Boolean)) {
    const parts = entry.split(':').map((s) => s.trim())
    if (parts.length > 2 || !parts[0]) return fail('skillFormat', { value: entry })
    const code = parts[0].toLowerCase()
    const ref = lookup(code)
    if (!ref) return fail('unknownSkill', { code })
    if (ref.level !== 'skill') return fail('notLeafSkill', { code })
    let proficiency = DEFAULT_PROFICIENCY
    if (parts.length === 2) {
      const level = parts[1] ?? ''
      if (!/^[1-5]$/.test(level)) return fail('proficiency', { code, value: level })
      proficiency = Number(level)
    }
    if (seen.has(code)) return fail('duplicateSkill', { code })
    seen.add(code)
    out.push({ code, skillId: ref.id, proficiency })
  }
  if (out.length > MAX_SKILLS) return fail('tooManySkills', { max: MAX_SKILLS })
  return ok(out)
}

export function formatSkills(list: readonly { code: string; proficiency: number }[]): string {
  return list.map((s) => `${s.code}:${s.proficiency}`).join('; ')
}

// ─── Honours ──────────────────────────────────────────────────────────────

export interface ParsedHonour {
  type: HonourType
  level: HonourLevel
  year: number | null
}

export const MAX_HONOURS = 20

/**
 * "全国劳动模范:国家级:2015; 市级工匠::2023; 首席技师:企业级": type, level,
 * year (optional). The level may be left out when the name implies it
 * (全国劳动模范 is national, 市级工匠 is a city craftsman); a lone number
 * after the type is the year. Repeats are dropped.
 */
export function parseHonoursCell(raw: string): CellResult<ParsedHonour[]> {
  const out: ParsedHonour[] = []
  const seen = new Set<string>()
  for (const entry of raw
    .normalize('NFKC')
    .split(/[;、,\n\r]+/)
    .map((s) => s.trim())
    .filter(Boolean)) {
    const parts = entry.split(':').map((s) => s.trim())
    if (parts.length > 3) return fail('honourFormat', { value: entry })
    const resolved = resolveHonourType(parts[0] ?? '')
    if (!resolved) return fail('honourType', { value: parts[0] ?? entry })
    let levelText = parts[1] ?? ''
    let yearText = parts[2] ?? ''
    if (parts.length === 2 && /^\d{4}$/.test(levelText)) {
      yearText = levelText
      levelText = ''
    }
    let level: HonourLevel | null | undefined
    if (levelText) {
      level = resolveHonourLevel(levelText)
      if (!level) return fail('honourLevel', { value: levelText })
    } else {
      level = resolved.level ?? IMPLIED_LEVEL[resolved.type]
      if (!level) return fail('honourLevelMissing', { value: parts[0] ?? entry })
    }
    let year: number | null = null
    if (yearText) {
      const y = Number(yearText)
      if (!/^\d{4}$/.test(yearText) || y < MIN_HONOUR_YEAR || y > MAX_HONOUR_YEAR) {
        return fail('honourYear', { value: yearText })
      }
      year = y
    }
    const key = `${resolved.type}:${level}:${year ?? ''}`
    if (seen.has(key)) continue
    seen.add(key)
    out.push({ type: resolved.type, level, year })
  }
  if (out.length > MAX_HONOURS) return fail('tooManyHonours', { max: MAX_HONOURS })
  return ok(out)
}

/**
 * A cell error as one form message: the key, then its parameters as JSON
 * after a '|' (form errors travel as strings; decodeMessage splits them).
 */
export function encodeCellError(error: CellError): string {
  return error.params ? `${error.key}|${JSON.stringify(error.params)}` : error.key
}

/** A form message back into a translation key and its parameters. */
export function decodeMessage(message: string): CellError {
  const bar = message.indexOf('|')
  if (bar < 0) return { key: message }
  try {
    const params = JSON.parse(message.slice(bar + 1)) as Record<string, string | number>
    return { key: message.slice(0, bar), params }
  } catch {
    return { key: message.slice(0, bar) }
  }
}
