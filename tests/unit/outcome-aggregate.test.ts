import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  aggregateOutcomes,
  feedbackReadiness,
  formatYuan,
  normaliseYuan,
  type OutcomeFacts,
  parseYuan,
} from '#workflows/outcomes/aggregate.ts'
import { outcomeSchema } from '#workflows/outcomes/outcome.schema.ts'
import { ratingAverage, ratingSchema } from '#workflows/outcomes/rating.schema.ts'

const outcome = (itemId: number, over: Partial<OutcomeFacts> = {}): OutcomeFacts => ({
  itemId,
  result: 'solved',
  benefitYuan: null,
  benefitStatus: null,
  workersTrained: 0,
  personTimes: 0,
  patents: 0,
  innovations: 0,
  followUpNeeded: false,
  ...over,
})

describe('yuan amounts', () => {
  it('parses and formats exactly, in fen', () => {
    expect(parseYuan('0')).toBe(0n)
    expect(parseYuan('12.5')).toBe(1250n)
    expect(parseYuan('12.05')).toBe(1205n)
    expect(parseYuan('999999999999.99')).toBe(99999999999999n)
    expect(formatYuan(1250n)).toBe('12.50')
    expect(formatYuan(5n)).toBe('0.05')
    expect(normaliseYuan('0012.5')).toBe('12.50')
  })

  it('refuses what is not an amount', () => {
    for (const bad of ['', '-1', '1.234', '1e5', 'abc', '1,000', '1000000000000', '.5', '5.']) {
      expect(parseYuan(bad)).toBeNull()
    }
  })

  it('sums without the errors of binary fractions', () => {
    // 0.1 + 0.2 is not 0.3 in floating point; in fen it is.
    const a = aggregateOutcomes({
      itemIds: [1, 2, 3],
      outcomes: [
        outcome(1, { benefitYuan: '0.10', benefitStatus: 'estimated' }),
        outcome(2, { benefitYuan: '0.20', benefitStatus: 'estimated' }),
        outcome(3, { benefitYuan: '999999999999.99', benefitStatus: 'confirmed' }),
      ],
      pairedExpertIds: [],
      visits: [],
    })
    expect(a.benefit).toEqual({
      estimated: '0.30',
      confirmed: '999999999999.99',
      total: '1000000000000.29',
    })
  })

  it('round-trips any amount of fen', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 99_999_999_999_999n }), (fen) => {
        expect(parseYuan(formatYuan(fen))).toBe(fen)
      }),
    )
  })
})

describe('case totals', () => {
  it('counts results, solved problems apart from partly solved ones, and the sums', () => {
    const a = aggregateOutcomes({
      itemIds: [1, 2, 3, 4, 5],
      outcomes: [
        outcome(1, {
          benefitYuan: '120000.00',
          benefitStatus: 'confirmed',
          workersTrained: 20,
          personTimes: 45,
          patents: 1,
        }),
        outcome(2, {
          result: 'partly_solved',
          benefitYuan: '3500.50',
          benefitStatus: 'estimated',
          innovations: 2,
          followUpNeeded: true,
        }),
        outcome(3, { result: 'not_feasible' }),
        outcome(4, { result: 'transferred', followUpNeeded: true }),
      ],
      pairedExpertIds: [],
      visits: [],
    })
    expect(a.items).toBe(5)
    expect(a.recorded).toBe(4)
    expect(a.missingItemIds).toEqual([5])
    expect(a.byResult).toEqual({ solved: 1, partly_solved: 1, not_feasible: 1, transferred: 1 })
    expect(a.problemsSolved).toBe(1)
    expect(a.partlySolved).toBe(1)
    expect(a.benefit).toEqual({ estimated: '3500.50', confirmed: '120000.00', total: '123500.50' })
    expect(a.workersTrained).toBe(20)
    expect(a.personTimes).toBe(45)
    expect(a.patents).toBe(1)
    expect(a.innovations).toBe(2)
    expect(a.followUps).toBe(2)
  })

  it('ignores outcomes of items that are not confirmed items of the case', () => {
    const a = aggregateOutcomes({
      itemIds: [1],
      outcomes: [outcome(1), outcome(99, { patents: 5 })],
      pairedExpertIds: [],
      visits: [],
    })
    expect(a.recorded).toBe(1)
    expect(a.patents).toBe(0)
  })

  it('participations: each expert per held visit, a paired expert on no visit once', () => {
    const a = aggregateOutcomes({
      itemIds: [],
      outcomes: [],
      // 10 went on visits; 11 served remotely; 12 was on a visit but not paired.
      pairedExpertIds: [10, 11],
      visits: [
        { status: 'report_confirmed', expertIds: [10, 12] },
        { status: 'reported', expertIds: [10] },
        { status: 'on_site', expertIds: [10, 10] },
        // Never held: nobody took part.
        { status: 'cancelled', expertIds: [10, 11, 12] },
        { status: 'scheduled', expertIds: [11] },
        { status: 'proposed', expertIds: [11] },
      ],
    })
    // Visits: 2 + 1 + 1 (a duplicate member counts once); 11 remotely: 1.
    expect(a.expertParticipations).toBe(5)
    expect(a.distinctExperts).toBe(3)
    expect(a.visitsHeld).toBe(3)
  })

  it('an empty case sums to zero', () => {
    const a = aggregateOutcomes({ itemIds: [], outcomes: [], pairedExpertIds: [], visits: [] })
    expect(a).toMatchObject({
      items: 0,
      recorded: 0,
      problemsSolved: 0,
      benefit: { estimated: '0.00', confirmed: '0.00', total: '0.00' },
      expertParticipations: 0,
    })
  })
})

describe('feedback readiness', () => {
  it('needs every item to have an outcome and no visit on site', () => {
    const visits = [
      { id: 1, sequence: 1, status: 'report_confirmed' },
      { id: 2, sequence: 2, status: 'reported' },
      { id: 3, sequence: 3, status: 'scheduled' },
    ]
    expect(feedbackReadiness({ missingItemIds: [], visits })).toEqual({
      complete: true,
      missingItemIds: [],
      visitsOnSite: [],
    })
    expect(feedbackReadiness({ missingItemIds: [7], visits }).complete).toBe(false)
    const onSite = feedbackReadiness({
      missingItemIds: [],
      visits: [...visits, { id: 4, sequence: 4, status: 'on_site' }],
    })
    expect(onSite).toEqual({ complete: false, missingItemIds: [], visitsOnSite: [4] })
  })
})

describe('the outcome form', () => {
  const base = { itemId: 3, result: 'solved', description: '更换老化配电箱 3 台' }

  it('takes an outcome and normalises it', () => {
    const r = outcomeSchema.safeParse({
      ...base,
      benefitYuan: '12,000.5',
      benefitStatus: 'estimated',
      benefitBasis: '年节约电费',
      workersTrained: 5,
      personTimes: 8,
      followUpNeeded: false,
      followUpNote: 'dropped',
    })
    expect(r.success).toBe(true)
    expect(r.data).toMatchObject({
      benefitYuan: '12000.50',
      benefitStatus: 'estimated',
      workersTrained: 5,
      personTimes: 8,
      patents: 0,
      innovations: 0,
      followUpNeeded: false,
      followUpNote: null,
    })
  })

  it('parses its own output to the same value (commands parse again what routes parsed)', () => {
    for (const input of [
      { ...base },
      { ...base, benefitYuan: '5', benefitStatus: 'confirmed', benefitBasis: '财务核算' },
      { ...base, followUpNeeded: true, followUpNote: '回访' },
    ]) {
      const once = outcomeSchema.parse(input)
      expect(outcomeSchema.parse(once)).toEqual(once)
    }
    const rating = ratingSchema.parse({
      scores: { responsiveness: 5, expertise: 4, effectiveness: 3, attitude: 5 },
    })
    expect(ratingSchema.parse(rating)).toEqual(rating)
  })

  it('without an amount there is no benefit status or basis', () => {
    const r = outcomeSchema.parse({ ...base, benefitStatus: 'confirmed', benefitBasis: 'x' })
    expect(r).toMatchObject({ benefitYuan: null, benefitStatus: null, benefitBasis: null })
  })

  const issues = (input: Record<string, unknown>) => {
    const r = outcomeSchema.safeParse(input)
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}:${i.message}`)
  }

  it('refuses bad input with translated messages on the field', () => {
    expect(issues({ ...base, result: 'great' })).toEqual(['result:outcomes.errors.result'])
    expect(issues({ ...base, description: ' x ' })).toEqual([
      'description:outcomes.errors.description',
    ])
    expect(issues({ ...base, benefitYuan: '-5' })).toEqual(['benefitYuan:outcomes.errors.benefit'])
    expect(issues({ ...base, benefitYuan: '1.234' })).toEqual([
      'benefitYuan:outcomes.errors.benefit',
    ])
    expect(issues({ ...base, benefitYuan: '100' })).toEqual([
      'benefitStatus:outcomes.errors.benefitStatus',
      'benefitBasis:outcomes.errors.benefitBasis',
    ])
    expect(issues({ ...base, workersTrained: -1 })).toEqual([
      'workersTrained:outcomes.errors.count',
    ])
    expect(issues({ ...base, patents: 1.5 })).toEqual(['patents:outcomes.errors.count'])
    expect(issues({ ...base, workersTrained: 10, personTimes: 9 })).toEqual([
      'personTimes:outcomes.errors.personTimes',
    ])
    expect(issues({ ...base, followUpNeeded: true })).toEqual([
      'followUpNote:outcomes.errors.followUpNote',
    ])
  })
})

describe('the rating form', () => {
  const scores = { responsiveness: 5, expertise: 4, effectiveness: 4, attitude: 5 }

  it('averages to two decimals, half up', () => {
    expect(ratingAverage(scores)).toBe(4.5)
    expect(ratingAverage({ a: 5, b: 4, c: 4 })).toBe(4.33)
    expect(ratingAverage({ a: 5, b: 5, c: 4 })).toBe(4.67)
    expect(ratingAverage({ a: 1, b: 1, c: 1, d: 1 })).toBe(1)
  })

  it('needs every question scored 1 to 5', () => {
    expect(ratingSchema.safeParse({ scores }).success).toBe(true)
    for (const bad of [0, 6, 4.5, Number.NaN]) {
      const r = ratingSchema.safeParse({ scores: { ...scores, expertise: bad } })
      expect(r.success).toBe(false)
      expect(r.error?.issues[0]?.message).toBe('outcomes.rating.errors.score')
    }
    const { attitude: _, ...missing } = scores
    expect(ratingSchema.safeParse({ scores: missing }).success).toBe(false)
  })

  it('keeps the confirmed benefits once each', () => {
    const r = ratingSchema.parse({ scores, confirmBenefits: [3, 3, 4], comment: '  ' })
    expect(r.confirmBenefits).toEqual([3, 4])
    expect(r.comment).toBeNull()
  })
})
