import { describe, expect, it } from 'vitest'
import { tFor } from '#app/i18n/i18n.server.ts'
import type { ScoreFactor } from '#workflows/matching/types.ts'
import { explainFactors, parseFactors, skillIdsOf } from '#workflows/resource-list/explain.ts'
import {
  beijingDateTime,
  beijingLocalValue,
  oneYearFrom,
  parseCandidate,
} from '#workflows/resource-list/schema.ts'

const FACTORS: ScoreFactor[] = [
  { factor: 'skill', points: 40, detail: { fit: 'exact', skillId: 7, candidateSkillId: 7 } },
  { factor: 'proficiency', points: 15, detail: { level: 5, skillId: 7 } },
  {
    factor: 'honour',
    points: 10,
    detail: { type: 'national_model_worker', level: 'national', year: 2020 },
  },
  { factor: 'proximity', points: 7, detail: { match: 'district', district: '思明区' } },
  { factor: 'availability', points: 10, detail: { freeDays: 22, windowDays: 31 } },
  { factor: 'load', points: 3.3, detail: { load: 1, capacity: 3 } },
  { factor: 'rating', points: 2.5, detail: { average: null, count: 0 } },
  { factor: 'continuity', points: 3, detail: { served: true, enterpriseId: 4 } },
  { factor: 'volunteer', points: 10, detail: { volunteered: true } },
]

const names: Record<number, { zh: string; en: string }> = {
  7: { zh: '配电箱健康诊断', en: 'Distribution box health diagnosis' },
  8: { zh: '漏电保护器检测', en: 'Residual-current device testing' },
}

function sentence(factors: ScoreFactor[], lng: 'zh-CN' | 'en') {
  const t = tFor(lng)
  const phrases = explainFactors(factors, {
    language: lng,
    skill: (id) => (lng === 'en' ? names[id]?.en : names[id]?.zh) ?? `#${id}`,
  })
  return phrases.map((p) => t(p.key, p.params)).join(t('matching.explain.separator'))
}

describe('the explanation of a proposal', () => {
  it('reads in Chinese and English from the stored factors', () => {
    expect(sentence(FACTORS, 'zh-CN')).toBe(
      '配电箱健康诊断 完全匹配，熟练度 5 级；全国劳动模范；同区；时间窗内有空（22/31 天）；已承接 1/3；暂无企业评分；曾服务过该企业；主动揭榜',
    )
    expect(sentence(FACTORS, 'en')).toBe(
      'Distribution box health diagnosis: exact match, proficiency level 5; National model worker; Same district; Available in the window (22/31 days); Engagements 1/3; Not rated yet; Served this enterprise before; Volunteered for this item',
    )
  })

  it('names a related skill, a levelled honour and a rating', () => {
    const factors: ScoreFactor[] = [
      { factor: 'skill', points: 24, detail: { fit: 'sibling', skillId: 7, candidateSkillId: 8 } },
      { factor: 'proficiency', points: 9, detail: { level: 3, skillId: 8 } },
      { factor: 'honour', points: 5, detail: { type: 'craftsman', level: 'city', year: null } },
      { factor: 'rating', points: 4, detail: { average: 4.25, count: 3 } },
      {
        factor: 'availability',
        points: 10,
        detail: { freeDays: null, windowDays: 0, weekdays: [1, 2] },
      },
    ]
    expect(sentence(factors, 'zh-CN')).toBe(
      '相近技能 漏电保护器检测（需求：配电箱健康诊断），熟练度 3 级；工匠（市级）；企业评分 4.3（3 次）；每周有固定服务时间',
    )
    expect(skillIdsOf(factors)).toEqual([7, 8])
  })

  it('drops malformed stored factors instead of showing them wrongly', () => {
    expect(
      parseFactors([
        { factor: 'skill', points: 1, detail: { fit: 'exact', skillId: 7 } },
        { factor: 'bogus', points: 1, detail: {} },
        { factor: 'load', points: 'x' },
        null,
        'text',
      ]),
    ).toEqual([{ factor: 'skill', points: 1, detail: { fit: 'exact', skillId: 7 } }])
    expect(parseFactors({ not: 'a list' })).toEqual([])
  })
})

describe('form values', () => {
  it('reads candidate keys', () => {
    expect(parseCandidate('expert:12')).toEqual({ kind: 'expert', id: 12 })
    expect(parseCandidate('team:3')).toEqual({ kind: 'team', id: 3 })
    for (const bad of ['expert:0', 'robot:1', 'expert:-1', 'expert:1.5', 'team:99999999999', '']) {
      expect(parseCandidate(bad)).toBeNull()
    }
  })

  it('reads meeting times in Beijing time and refuses impossible dates', () => {
    expect(beijingDateTime('2026-03-10T14:30')?.toISOString()).toBe('2026-03-10T06:30:00.000Z')
    expect(beijingDateTime('2026-03-01T02:00')?.toISOString()).toBe('2026-02-28T18:00:00.000Z')
    expect(beijingDateTime('2026-02-31T10:00')).toBeNull()
    expect(beijingDateTime('2026-03-10 14:30')).toBeNull()
    expect(beijingLocalValue(new Date('2026-03-10T06:30:00Z'))).toBe('2026-03-10T14:30')
  })

  it('a one-year term ends the day before the same date next year', () => {
    expect(oneYearFrom('2026-03-12')).toBe('2027-03-11')
    expect(oneYearFrom('2028-02-29')).toBe('2029-02-28')
  })
})
