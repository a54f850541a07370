/**
 * The human-readable explanation of a proposal's score, from the factors the
 * engine stored with it (resource_proposal.factors, ScoreFactor[]). Pure: the
 * page translates each phrase, e.g. (zh-CN)
 * "配电箱健康诊断 完全匹配，熟练度 5 级；全国劳动模范；同区；时间窗内有空（20/31 天）；已承接 1/3".
 */
import {
  HONOUR_LEVEL_LABELS,
  HONOUR_TYPE_LABELS,
  IMPLIED_LEVEL,
} from '#workflows/talent/honours.ts'
import type { FactorName, ScoreFactor } from '../matching/types.ts'

export interface Phrase {
  /** Translation key under matching.explain. */
  key: string
  params: Record<string, string | number>
}

const FACTOR_NAMES: readonly FactorName[] = [
  'skill',
  'proficiency',
  'honour',
  'proximity',
  'availability',
  'load',
  'rating',
  'continuity',
  'volunteer',
]

/** Stored factors, checked: anything malformed is dropped rather than shown wrongly. */
export function parseFactors(raw: unknown): ScoreFactor[] {
  if (!Array.isArray(raw)) return []
  return raw.flatMap((f) => {
    if (typeof f !== 'object' || f === null) return []
    const { factor, points, detail } = f as Record<string, unknown>
    if (!(FACTOR_NAMES as readonly unknown[]).includes(factor)) return []
    if (typeof points !== 'number' || !Number.isFinite(points)) return []
    return [
      {
        factor: factor as FactorName,
        points,
        detail:
          typeof detail === 'object' && detail !== null ? (detail as Record<string, unknown>) : {},
      },
    ]
  })
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)
const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null)

/** Skill ids an explanation names (to load their names). */
export function skillIdsOf(factors: readonly ScoreFactor[]): number[] {
  const ids = new Set<number>()
  for (const f of factors) {
    for (const k of ['skillId', 'candidateSkillId']) {
      const id = num(f.detail[k])
      if (id !== null) ids.add(id)
    }
  }
  return [...ids]
}

export interface Lookups {
  /** A skill's name in the UI language. */
  skill: (id: number) => string
  language: string | undefined
}

/** An honour's name in the UI language; the level is added when the title does not imply it. */
export function honourName(type: string, level: string, language: string | undefined): string {
  const en = language?.startsWith('en') ?? false
  const labels = HONOUR_TYPE_LABELS[type as keyof typeof HONOUR_TYPE_LABELS]
  const name = labels ? (en ? labels.en : labels.zh) : type
  const implied = IMPLIED_LEVEL[type as keyof typeof IMPLIED_LEVEL]
  const levelLabels = HONOUR_LEVEL_LABELS[level as keyof typeof HONOUR_LEVEL_LABELS]
  if (implied || !levelLabels) return name
  return en ? `${name} (${levelLabels.en})` : `${name}（${levelLabels.zh}）`
}

/** The phrases of an explanation, in the factors' order; skill and proficiency make one. */
export function explainFactors(factors: readonly ScoreFactor[], lookups: Lookups): Phrase[] {
  const phrases: Phrase[] = []
  const by = new Map(factors.map((f) => [f.factor, f]))
  const skill = by.get('skill')
  const proficiency = by.get('proficiency')
  const level = num(proficiency?.detail.level)
  if (skill) {
    const fit = str(skill.detail.fit) ?? 'exact'
    const itemSkill = num(skill.detail.skillId)
    const own = num(skill.detail.candidateSkillId) ?? itemSkill
    const params: Record<string, string | number> = {
      skill: itemSkill === null ? '' : lookups.skill(itemSkill),
      own: own === null ? '' : lookups.skill(own),
    }
    const key = ['exact', 'sibling', 'field'].includes(fit) ? fit : 'exact'
    if (level !== null) params.level = level
    phrases.push({
      key: `matching.explain.skill.${key}${level !== null ? 'Level' : ''}`,
      params,
    })
  } else if (level !== null) {
    phrases.push({ key: 'matching.explain.proficiency', params: { level } })
  }
  for (const f of factors) {
    const d = f.detail
    switch (f.factor) {
      case 'honour': {
        const type = str(d.type)
        if (type) {
          phrases.push({
            key: 'matching.explain.honour',
            params: { honour: honourName(type, str(d.level) ?? '', lookups.language) },
          })
        }
        break
      }
      case 'proximity': {
        const match = str(d.match)
        if (match === 'park' || match === 'district' || match === 'city') {
          phrases.push({ key: `matching.explain.proximity.${match}`, params: {} })
        }
        break
      }
      case 'availability': {
        const windowDays = num(d.windowDays) ?? 0
        const free = num(d.freeDays)
        if (windowDays > 0 && free !== null) {
          phrases.push({
            key: 'matching.explain.availability.window',
            params: { free, days: windowDays },
          })
        } else {
          phrases.push({ key: 'matching.explain.availability.weekly', params: {} })
        }
        break
      }
      case 'load': {
        const load = num(d.load)
        const capacity = num(d.capacity)
        if (load !== null && capacity !== null) {
          phrases.push({ key: 'matching.explain.load', params: { load, capacity } })
        }
        break
      }
      case 'rating': {
        const average = num(d.average)
        phrases.push(
          average === null
            ? { key: 'matching.explain.rating.none', params: {} }
            : {
                key: 'matching.explain.rating.average',
                params: { average: average.toFixed(1), count: num(d.count) ?? 0 },
              },
        )
        break
      }
      case 'continuity':
        phrases.push({ key: 'matching.explain.continuity', params: {} })
        break
      case 'volunteer':
        phrases.push({ key: 'matching.explain.volunteer', params: {} })
        break
      default:
        break
    }
  }
  return phrases
}
