import { describe, expect, it } from 'vitest'
import {
  DEFAULT_WEIGHTS,
  type MatchCandidate,
  type MatchItem,
  matchBatch,
  type PairExplanation,
  scorePair,
} from '#workflows/matching/index.ts'
import { dayNumber, isoWeekday, weekdayDays } from '#workflows/matching/score.ts'
import { candidate, item, taxonomy } from './matching-fixtures.ts'

const score = (it: Partial<MatchItem>, c: Partial<MatchCandidate>) =>
  scorePair(item(it), candidate(c), taxonomy)
const factor = (s: PairExplanation | null, name: string) =>
  s?.factors.find((f) => f.factor === name)
const points = (s: PairExplanation | null, name: string) => factor(s, name)?.points ?? 0

describe('skill fit on the taxonomy', () => {
  it('rates exact > sibling > same domain, and no shared domain is no candidate', () => {
    const exact = score({ skillIds: [111] }, { skills: [{ skillId: 111, proficiency: 3 }] })
    const sibling = score({ skillIds: [111] }, { skills: [{ skillId: 112, proficiency: 3 }] })
    const field = score({ skillIds: [111] }, { skills: [{ skillId: 121, proficiency: 3 }] })
    const none = score({ skillIds: [111] }, { skills: [{ skillId: 211, proficiency: 3 }] })
    expect(exact?.skillFit).toBe('exact')
    expect(points(exact, 'skill')).toBe(40)
    expect(sibling?.skillFit).toBe('sibling')
    expect(points(sibling, 'skill')).toBe(24)
    expect(field?.skillFit).toBe('field')
    expect(points(field, 'skill')).toBeCloseTo(12)
    expect(none).toBeNull()
    expect(factor(exact, 'skill')?.detail).toEqual({
      fit: 'exact',
      skillId: 111,
      candidateSkillId: 111,
    })
  })

  it('counts a skill under a requested field or domain as exact', () => {
    const underField = score({ skillIds: [11] }, { skills: [{ skillId: 113, proficiency: 2 }] })
    const underDomain = score({ skillIds: [2] }, { skills: [{ skillId: 222, proficiency: 2 }] })
    expect(underField?.skillFit).toBe('exact')
    expect(underDomain?.skillFit).toBe('exact')
    // another field of the requested field's domain: same domain only
    expect(
      score({ skillIds: [11] }, { skills: [{ skillId: 121, proficiency: 2 }] })?.skillFit,
    ).toBe('field')
  })

  it('treats an expert listing the whole field as a sibling of a skill in it', () => {
    const s = score({ skillIds: [112] }, { skills: [{ skillId: 11, proficiency: 4 }] })
    expect(s?.skillFit).toBe('sibling')
    expect(factor(s, 'proficiency')?.detail).toEqual({ level: 4, skillId: 11 })
  })

  it('takes the best fit over every item skill × candidate skill, then the best proficiency', () => {
    const s = score(
      { skillIds: [111, 221] },
      {
        skills: [
          { skillId: 112, proficiency: 5 }, // sibling of 111
          { skillId: 221, proficiency: 2 }, // exact for 221
          { skillId: 11, proficiency: 3 },
        ],
      },
    )
    expect(s?.skillFit).toBe('exact')
    expect(factor(s, 'skill')?.detail).toMatchObject({ skillId: 221, candidateSkillId: 221 })
    expect(points(s, 'proficiency')).toBe(6) // level 2 → 2/5 × 15
    const tie = score(
      { skillIds: [111] },
      {
        skills: [
          { skillId: 112, proficiency: 2 },
          { skillId: 113, proficiency: 5 },
        ],
      },
    )
    expect(factor(tie, 'proficiency')?.detail).toEqual({ level: 5, skillId: 113 })
  })
})

describe('the other factors', () => {
  it('scores proficiency as level / 5', () => {
    for (const level of [1, 3, 5]) {
      const s = score({}, { skills: [{ skillId: 111, proficiency: level }] })
      expect(points(s, 'proficiency')).toBeCloseTo((15 * level) / 5, 3)
    }
  })

  it('takes the best honour, a national title counting as national whatever level was typed', () => {
    const craftsman = score(
      {},
      {
        honours: [
          { type: 'craftsman', level: 'city', year: 2020 },
          { type: 'great_craftsman', level: 'city', year: 2019 },
        ],
      },
    )
    expect(factor(craftsman, 'honour')).toEqual({
      factor: 'honour',
      points: 10,
      detail: { type: 'great_craftsman', level: 'national', year: 2019 },
    })
    expect(
      points(
        score({}, { honours: [{ type: '全国劳动模范', level: 'city', year: null }] }),
        'honour',
      ),
    ).toBe(10)
    expect(
      points(
        score(
          {},
          { honours: [{ type: 'provincial_model_worker', level: 'provincial', year: 2018 }] },
        ),
        'honour',
      ),
    ).toBeCloseTo(7)
    expect(
      points(
        score({}, { honours: [{ type: 'craftsman', level: 'district', year: 2018 }] }),
        'honour',
      ),
    ).toBeCloseTo(3)
    expect(factor(score({}, { honours: [] }), 'honour')).toBeUndefined()
  })

  it('gives park > district > city-wide > elsewhere', () => {
    const where = { district: '东湖区', park: '云谷园' }
    expect(factor(score(where, { districts: ['西岭区'], parks: ['云谷园'] }), 'proximity')).toEqual(
      {
        factor: 'proximity',
        points: 10,
        detail: { match: 'park', park: '云谷园' },
      },
    )
    expect(factor(score(where, { districts: ['东湖区'] }), 'proximity')?.detail).toEqual({
      match: 'district',
      district: '东湖区',
    })
    expect(points(score(where, { districts: ['东湖区'] }), 'proximity')).toBe(7)
    expect(points(score(where, { districts: [] }), 'proximity')).toBe(3)
    expect(factor(score(where, { districts: ['西岭区'] }), 'proximity')).toBeUndefined()
  })

  it('counts free days in the window on the candidate weekdays and outside blackouts', () => {
    // 2026-03-02 is a Monday; the window is one full week.
    const week = { windowStart: '2026-03-02', windowEnd: '2026-03-08' }
    const weekdays = score(week, { weekdays: [1, 2, 3, 4, 5] })
    expect(factor(weekdays, 'availability')?.detail).toEqual({ freeDays: 5, windowDays: 7 })
    expect(points(weekdays, 'availability')).toBeCloseTo((10 * 5) / 7, 3)
    const blackout = score(week, {
      weekdays: [1, 2, 3, 4, 5],
      blackouts: [
        { from: '2026-03-03', to: '2026-03-04' },
        { from: '2026-03-04', to: '2026-03-04' }, // overlapping: counted once
        { from: '2026-03-07', to: '2026-03-20' }, // weekend: no weekday lost
      ],
    })
    expect(factor(blackout, 'availability')?.detail).toEqual({ freeDays: 3, windowDays: 7 })
    // weekends only, window Monday to Friday: no free day, not a candidate
    expect(
      score({ windowStart: '2026-03-02', windowEnd: '2026-03-06' }, { weekdays: [6, 7] }),
    ).toBeNull()
    // blacked out for the whole window: not a candidate either
    expect(score(week, { blackouts: [{ from: '2026-02-20', to: '2026-03-31' }] })).toBeNull()
  })

  it('without a window counts weekdays only', () => {
    expect(points(score({}, { weekdays: [6] }), 'availability')).toBe(10)
    const none = score({}, { weekdays: [] })
    expect(none).not.toBeNull()
    expect(factor(none, 'availability')).toBeUndefined()
  })

  it('reads a window with one end as four weeks, and a reversed one the right way round', () => {
    const open = score({ windowStart: '2026-03-02', windowEnd: null }, {})
    expect(factor(open, 'availability')?.detail).toEqual({ freeDays: 20, windowDays: 28 })
    const reversed = score({ windowStart: '2026-03-08', windowEnd: '2026-03-02' }, {})
    expect(factor(reversed, 'availability')?.detail).toEqual({ freeDays: 5, windowDays: 7 })
  })

  it('scores load, rating and continuity', () => {
    const s = score(
      { enterpriseId: 77 },
      { load: 1, capacity: 3, ratingAverage: 5, ratingCount: 4, pastEnterpriseIds: [77] },
    )
    expect(factor(s, 'load')).toEqual({
      factor: 'load',
      points: Math.round((5000 * 2) / 3) / 1000,
      detail: { load: 1, capacity: 3 },
    })
    expect(factor(s, 'rating')).toEqual({
      factor: 'rating',
      points: 5,
      detail: { average: 5, count: 4 },
    })
    expect(factor(s, 'continuity')).toEqual({
      factor: 'continuity',
      points: 3,
      detail: { served: true, enterpriseId: 77 },
    })
    expect(factor(score({}, {}), 'rating')).toEqual({
      factor: 'rating',
      points: 2.5,
      detail: { average: null, count: 0 },
    })
    expect(factor(score({}, { ratingAverage: 1, ratingCount: 2 }), 'rating')).toBeUndefined()
    expect(factor(score({}, { load: 3, capacity: 3 }), 'load')).toBeUndefined()
  })

  it('makes a volunteer a candidate whatever the fit and calendar, with the volunteer factor', () => {
    const noFit = score(
      { id: 9, skillIds: [111], windowStart: '2026-03-02', windowEnd: '2026-03-06' },
      { skills: [{ skillId: 211, proficiency: 5 }], weekdays: [6, 7], volunteeredItemIds: [9] },
    )
    expect(noFit?.skillFit).toBe('none')
    expect(factor(noFit, 'volunteer')).toEqual({
      factor: 'volunteer',
      points: 10,
      detail: { volunteered: true },
    })
    expect(factor(noFit, 'skill')).toBeUndefined()
    expect(factor(noFit, 'availability')).toBeUndefined()
    expect(
      score({ id: 9 }, { volunteeredItemIds: [8] })?.factors.map((f) => f.factor),
    ).not.toContain('volunteer')
  })

  it('sums the factors in thousandths of a point, and keeps every candidate above zero', () => {
    const s = score(
      { district: '东湖区', windowStart: '2026-03-02', windowEnd: '2026-03-04' },
      {
        districts: ['东湖区'],
        honours: [{ type: 'craftsman', level: 'city', year: 2020 }],
        load: 1,
      },
    )
    const sum = s?.factors.reduce((t, f) => t + Math.round(f.points * 1000), 0)
    expect(s?.scoreMilli).toBe(sum)
    expect(s?.score).toBe((s?.scoreMilli ?? 0) / 1000)
    const zero = { ...DEFAULT_WEIGHTS }
    for (const k of Object.keys(zero) as (keyof typeof zero)[]) zero[k] = 0
    const z = scorePair(item(), candidate(), taxonomy, zero)
    expect(z?.factors).toEqual([])
    expect(z?.scoreMilli).toBe(1)
  })

  it('explains a pair in the words the UI needs', () => {
    const s = score(
      { district: '东湖区', windowStart: '2026-03-02', windowEnd: '2026-03-06' },
      {
        skills: [{ skillId: 111, proficiency: 5 }],
        honours: [{ type: 'national_model_worker', level: 'national', year: 2015 }],
        districts: ['东湖区'],
        load: 1,
        capacity: 3,
      },
    )
    expect(s?.factors.map((f) => [f.factor, f.detail])).toEqual([
      ['skill', { fit: 'exact', skillId: 111, candidateSkillId: 111 }],
      ['proficiency', { level: 5, skillId: 111 }],
      ['honour', { type: 'national_model_worker', level: 'national', year: 2015 }],
      ['proximity', { match: 'district', district: '东湖区' }],
      ['availability', { freeDays: 5, windowDays: 5 }],
      ['load', { load: 1, capacity: 3 }],
      ['rating', { average: null, count: 0 }],
    ])
  })
})

describe('calendar arithmetic', () => {
  it('counts weekdays in a range like a day-by-day loop', () => {
    const start = dayNumber('2026-01-01')
    for (let a = start; a < start + 10; a++) {
      for (let b = a - 1; b < a + 30; b++) {
        for (const mask of [0, 1, 0b11111, 0b1100000, 0b1010101, 127]) {
          let n = 0
          for (let d = a; d <= b; d++) if (mask & (1 << (isoWeekday(d) - 1))) n++
          expect(weekdayDays(a, b, mask)).toBe(n)
        }
      }
    }
    expect(isoWeekday(dayNumber('2026-03-02'))).toBe(1)
    expect(isoWeekday(dayNumber('1969-12-28'))).toBe(7)
  })
})

describe('constraints and capacity in a batch', () => {
  const taxonomyInput = (items: MatchItem[], candidates: MatchCandidate[], constraints = {}) => ({
    items,
    candidates,
    taxonomy,
    weights: DEFAULT_WEIGHTS,
    constraints: { pinned: [], excluded: [], ...constraints },
  })

  it('never proposes an excluded pair', () => {
    const a = candidate({
      id: 1,
      honours: [{ type: 'great_craftsman', level: 'national', year: 2020 }],
    })
    const b = candidate({ id: 2 })
    const r = matchBatch(
      taxonomyInput([item({ id: 1 })], [a, b], { excluded: [{ itemId: 1, key: 'expert:1' }] }),
    )
    expect(r.assignments.map((x) => x.key)).toEqual(['expert:2'])
  })

  it('keeps a full candidate out, except where pinned (flagged over capacity)', () => {
    const full = candidate({ id: 1, load: 2, capacity: 2 })
    const r = matchBatch(taxonomyInput([item({ id: 1 }), item({ id: 2 })], [full]))
    expect(r.assignments).toEqual([])
    expect(r.unfilled.map((u) => [u.itemId, u.reason])).toEqual([
      [1, 'all_busy'],
      [2, 'all_busy'],
    ])
    const pinned = matchBatch(
      taxonomyInput([item({ id: 1 }), item({ id: 2 })], [full], {
        pinned: [{ itemId: 2, key: 'expert:1' }],
      }),
    )
    expect(pinned.assignments).toMatchObject([
      { itemId: 2, key: 'expert:1', pinned: true, warnings: ['over_capacity'] },
    ])
    expect(pinned.unfilled.map((u) => u.itemId)).toEqual([1])
  })

  it('lets a pin take a slot and capacity first and solves the rest', () => {
    const a = candidate({
      id: 1,
      capacity: 1,
      honours: [{ type: 'great_craftsman', level: 'national', year: 2020 }],
    })
    const b = candidate({ id: 2, capacity: 1 })
    // Item 1 is pinned to the weaker expert:2, so expert:1 is free for item 2.
    const r = matchBatch(
      taxonomyInput([item({ id: 1 }), item({ id: 2 })], [a, b], {
        pinned: [{ itemId: 1, key: 'expert:2' }],
      }),
    )
    expect(r.assignments.map((x) => [x.itemId, x.key, x.pinned])).toEqual([
      [1, 'expert:2', true],
      [2, 'expert:1', false],
    ])
    expect(r.totalScore).toBeCloseTo(
      r.assignments.reduce((t, x) => t + x.score, 0),
      6,
    )
  })

  it('flags pins that break a rule but keeps them', () => {
    const r = matchBatch(
      taxonomyInput(
        [item({ id: 1, headcount: 1, windowStart: '2026-03-02', windowEnd: '2026-03-06' })],
        [
          candidate({ id: 1, skills: [{ skillId: 211, proficiency: 3 }] }),
          candidate({ id: 2, weekdays: [7] }),
        ],
        {
          pinned: [
            { itemId: 1, key: 'expert:1' },
            { itemId: 1, key: 'expert:2' },
          ],
        },
      ),
    )
    // pinned first, then by score
    expect(r.assignments.map((a) => [a.key, a.skillFit, a.warnings])).toEqual([
      ['expert:2', 'exact', ['over_headcount', 'unavailable']],
      ['expert:1', 'none', ['no_fit']],
    ])
    expect(r.unfilled).toEqual([])
  })

  it('says why an item is not filled, with the counts', () => {
    const why = (items: MatchItem[], candidates: MatchCandidate[], constraints = {}) =>
      matchBatch(taxonomyInput(items, candidates, constraints)).unfilled
    const window = { windowStart: '2026-03-02', windowEnd: '2026-03-06' }
    // nobody shares the domain
    expect(why([item({ id: 1, skillIds: [221] })], [candidate({ id: 1 })])).toEqual([
      {
        itemId: 1,
        missing: 1,
        reason: 'no_skill',
        detail: {
          withSkill: 0,
          assigned: 0,
          excluded: 0,
          unavailable: 0,
          busy: 0,
          takenByOthers: 0,
        },
      },
    ])
    // the only fits are off on every day of the window
    expect(
      why([item({ id: 1, ...window })], [candidate({ id: 1, weekdays: [6, 7] })]),
    ).toMatchObject([{ reason: 'unavailable', detail: { withSkill: 1, unavailable: 1 } }])
    // the only fits are full
    expect(why([item({ id: 1 })], [candidate({ id: 1, load: 2, capacity: 2 })])).toMatchObject([
      { reason: 'all_busy', detail: { withSkill: 1, busy: 1 } },
    ])
    // the only fits are excluded
    expect(
      why([item({ id: 1 })], [candidate({ id: 1 })], {
        excluded: [{ itemId: 1, key: 'expert:1' }],
      }),
    ).toMatchObject([{ reason: 'excluded', detail: { withSkill: 1, excluded: 1 } }])
    // mixed: the biggest blocker is named, all are counted
    expect(
      why(
        [item({ id: 1, ...window })],
        [
          candidate({ id: 1, weekdays: [6] }),
          candidate({ id: 2, weekdays: [7] }),
          candidate({ id: 3, load: 1, capacity: 1 }),
        ],
      ),
    ).toMatchObject([{ reason: 'unavailable', detail: { withSkill: 3, unavailable: 2, busy: 1 } }])
    // two items, one expert with one slot: the optimum gives it to one of them
    const taken = why([item({ id: 1 }), item({ id: 2 })], [candidate({ id: 1, capacity: 1 })])
    expect(taken).toMatchObject([
      { missing: 1, reason: 'taken_by_other_items', detail: { withSkill: 1, takenByOthers: 1 } },
    ])
    // an item whose only fit it already has: nobody else has the skill
    expect(why([item({ id: 1, headcount: 2 })], [candidate({ id: 1 })])).toMatchObject([
      { missing: 1, reason: 'no_skill', detail: { withSkill: 0, assigned: 1 } },
    ])
  })

  it('is deterministic whatever the input order', () => {
    const items = [1, 2, 3, 4].map((id) =>
      item({ id, skillIds: [111 + (id % 3)], headcount: 1 + (id % 2) }),
    )
    const candidates = [1, 2, 3, 4, 5, 6].map((id) =>
      candidate({ id, skills: [{ skillId: 110 + (id % 3) + 1, proficiency: 3 }], capacity: 1 }),
    )
    const a = matchBatch(taxonomyInput(items, candidates))
    const b = matchBatch(taxonomyInput([...items].reverse(), [...candidates].reverse()))
    expect(b.assignments).toEqual(a.assignments)
    expect(b.unfilled).toEqual(a.unfilled)
    expect(b.totalScore).toBe(a.totalScore)
  })

  it('rejects duplicate ids rather than guessing', () => {
    expect(() => matchBatch(taxonomyInput([item({ id: 1 }), item({ id: 1 })], []))).toThrow(
      /duplicate item/,
    )
    expect(() =>
      matchBatch(taxonomyInput([item()], [candidate({ id: 1 }), candidate({ id: 1 })])),
    ).toThrow(/duplicate candidate/)
  })
})
