import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { greedyBatch } from '#workflows/matching/greedy.ts'
import {
  candidateKey,
  DEFAULT_WEIGHTS,
  type MatchInput,
  type MatchResult,
  matchBatch,
} from '#workflows/matching/index.ts'
import {
  candidate,
  feasibilityProblems,
  glpkOptimum,
  instanceArb,
  item,
  samePairScores,
  seededInstance,
  taxonomy,
} from './matching-fixtures.ts'

const milli = (x: number) => Math.round(x * 1000)
const pinnedMilli = (r: MatchResult) =>
  r.assignments.filter((a) => a.pinned).reduce((t, a) => t + milli(a.score), 0)

/** Positive-fit pairs (a shared domain) plus volunteer pairs, counted the slow way. */
function bruteForcePairs(input: MatchInput): number {
  const rootOf = (id: number) => {
    let x = id
    for (let guard = 0; guard < 10; guard++) {
      const p = input.taxonomy.parentOf.get(x)
      if (p === null || p === undefined) return x
      x = p
    }
    return x
  }
  let n = 0
  for (const it of input.items) {
    const domains = new Set(it.skillIds.map(rootOf))
    for (const c of input.candidates) {
      const fit = c.skills.some((s) => domains.has(rootOf(s.skillId)))
      if (fit || c.volunteeredItemIds.includes(it.id)) n++
    }
  }
  return n
}

function checkUnfilled(input: MatchInput, r: MatchResult) {
  const pins = new Map<number, Set<string>>()
  for (const p of input.constraints?.pinned ?? []) {
    pins.set(p.itemId, (pins.get(p.itemId) ?? new Set()).add(p.key))
  }
  for (const it of input.items) {
    const free = Math.max(0, it.headcount - (pins.get(it.id)?.size ?? 0))
    const got = r.assignments.filter((a) => a.itemId === it.id && !a.pinned).length
    const u = r.unfilled.find((x) => x.itemId === it.id)
    expect(u?.missing ?? 0).toBe(free - got)
  }
}

describe('optimality against an independent solver (glpk)', () => {
  it('equals the MIP optimum on random small batches, feasibly', async () => {
    await fc.assert(
      fc.asyncProperty(instanceArb({ randomWeights: true }), async (input) => {
        const r = matchBatch(input)
        expect(feasibilityProblems(input, r)).toEqual([])
        expect(samePairScores(input)).toEqual([])
        expect(milli(r.totalScore) - pinnedMilli(r)).toBe(await glpkOptimum(input))
        expect(r.stats.pairs).toBe(bruteForcePairs(input))
        checkUnfilled(input, r)
      }),
      { numRuns: 200 },
    )
  })

  it('reaches the same optimum from any first graph, through the certificate rounds', async () => {
    await fc.assert(
      fc.asyncProperty(
        instanceArb({ randomWeights: true, maxCandidates: 16 }),
        fc.integer({ min: 0, max: 3 }),
        async (input, k) => {
          const full = matchBatch(input)
          const small = matchBatch(input, { initialPairs: () => k, selfCheck: true })
          expect(feasibilityProblems(input, small)).toEqual([])
          expect(small.totalScore).toBe(full.totalScore)
        },
      ),
      { numRuns: 200 },
    )
  })

  it('certifies from any first graph what the complete graph gives (bigger pools, tight bounds)', () => {
    fc.assert(
      fc.property(
        instanceArb({
          minItems: 3,
          maxItems: 12,
          minCandidates: 20,
          maxCandidates: 50,
          randomWeights: true,
        }),
        fc.integer({ min: 0, max: 2 }),
        (input, k) => {
          // Every pair in the first graph: plain successive shortest paths, no certificate needed.
          const complete = matchBatch(input, { initialPairs: () => 1_000_000 })
          expect(complete.stats.rounds).toBe(0)
          const small = matchBatch(input, { initialPairs: () => k, selfCheck: true })
          expect(feasibilityProblems(input, small)).toEqual([])
          expect(small.totalScore).toBe(complete.totalScore)
        },
      ),
      { numRuns: 150 },
    )
  })

  it('certifies medium batches from a tiny first graph (column generation) and matches glpk', async () => {
    for (const seed of [11, 12]) {
      const input = seededInstance(seed, 30, 200)
      const r = matchBatch(input, { initialPairs: () => 1, selfCheck: true })
      expect(r.stats.rounds).toBeGreaterThan(0)
      expect(r.stats.edgesSolved).toBeLessThan(r.stats.pairs)
      expect(feasibilityProblems(input, r)).toEqual([])
      const optimum = await glpkOptimum(input)
      expect(milli(r.totalScore) - pinnedMilli(r)).toBe(optimum)
      expect(matchBatch(input).totalScore).toBe(r.totalScore)
      checkUnfilled(input, r)
    }
  })
})

describe('exact versus greedy', () => {
  it('beats taking pairs highest score first on a crafted batch', () => {
    // Expert 1 is the best for both items but has one slot; expert 2 only fits
    // item 1 (a sibling skill). Greedy gives expert 1 to item 1 and leaves
    // item 2 empty; the optimum gives item 1 expert 2 and item 2 expert 1.
    const input: MatchInput = {
      items: [item({ id: 1, skillIds: [111] }), item({ id: 2, skillIds: [221] })],
      candidates: [
        candidate({
          id: 1,
          capacity: 1,
          skills: [
            { skillId: 111, proficiency: 5 },
            { skillId: 221, proficiency: 5 },
          ],
        }),
        candidate({ id: 2, capacity: 1, skills: [{ skillId: 112, proficiency: 3 }] }),
      ],
      taxonomy,
      weights: DEFAULT_WEIGHTS,
    }
    const greedy = greedyBatch(input)
    const exact = matchBatch(input)
    expect(greedy.assignments.map((a) => [a.itemId, a.key])).toEqual([[1, 'expert:1']])
    expect(exact.assignments.map((a) => [a.itemId, a.key])).toEqual([
      [1, 'expert:2'],
      [2, 'expert:1'],
    ])
    expect(exact.totalScore).toBeGreaterThan(greedy.totalScore)
    expect(exact.unfilled).toEqual([])
  })

  it('is never beaten by greedy', () => {
    fc.assert(
      fc.property(instanceArb(), (input) => {
        expect(matchBatch(input).totalScore).toBeGreaterThanOrEqual(greedyBatch(input).totalScore)
      }),
      { numRuns: 100 },
    )
  })
})

describe('explanations', () => {
  it('explains every assignment with factors that add up to its score', () => {
    fc.assert(
      fc.property(instanceArb(), (input) => {
        const r = matchBatch(input)
        for (const a of r.assignments) {
          const sum = a.factors.reduce((t, f) => t + milli(f.points), 0)
          if (a.pinned) expect(milli(a.score)).toBe(sum)
          else expect(milli(a.score)).toBe(Math.max(1, sum))
          expect(a.factors.every((f) => f.points > 0)).toBe(true)
          const c = input.candidates.find((x) => candidateKey(x.kind, x.id) === a.key)
          expect(c).toBeDefined()
        }
      }),
      { numRuns: 100 },
    )
  })
})
