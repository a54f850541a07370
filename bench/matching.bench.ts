/**
 * The matching engine (workflows/matching) on generated batches, in memory
 * (no database): see bench/generate-talent.ts for the shape of the data.
 *
 * (a) City batch: 500 items × 5,000 experts. Target: engine under 200 ms.
 * (b) Province batch: 5,000 items × 50,000 experts. Target: under 5 s
 *     (aim: 1 s).
 *     For both: p50 of a few runs after warm-up runs (the JIT), the greedy
 *     baseline's time beside it, and greedy total / optimal total: what
 *     solving exactly gains over taking pairs highest score first.
 * (c) Dense baseline: 200 items × 1,000 experts of capacity 1 through the
 *     Hungarian algorithm (munkres) on the full matrix, rows = item slots
 *     (headcount), columns = experts, cost = W - score (a pair that is not a
 *     candidate costs W: an empty slot). Capacity 1 keeps the expansion
 *     exact (no pair can be taken twice). Its time (scoring every pair plus
 *     solving) is printed as the baseline of the engine's on the same batch,
 *     and both totals must be equal.
 *
 *   npm run bench -- matching
 */
import munkres from 'munkres'
import { greedyBatch } from '#workflows/matching/greedy.ts'
import { matchBatch } from '#workflows/matching/index.ts'
import { buildModel, FACTORS, pairScore, SCALE } from '#workflows/matching/score.ts'
import type { MatchInput } from '#workflows/matching/types.ts'
import { generateTalent } from './generate-talent.ts'
import type { Bench, BenchOptions, Figure } from './types.ts'

const CITY = { items: 500, experts: 5_000, warmup: 3, runs: 9, target: 200 }
const PROVINCE = { items: 5_000, experts: 50_000, warmup: 2, runs: 5, target: 5_000 }
const DENSE = { items: 200, experts: 1_000, runs: 3 }

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor((s.length - 1) / 2)] as number
}

function time<T>(fn: () => T): { ms: number; value: T } {
  const t0 = performance.now()
  const value = fn()
  return { ms: performance.now() - t0, value }
}

function batch(log: (s: string) => void, label: string, size: typeof CITY): Figure[] {
  const gen = time(() => generateTalent({ items: size.items, experts: size.experts }))
  const input = gen.value
  log(
    `${label}: generated ${size.items} items × ${size.experts} experts in ${gen.ms.toFixed(0)} ms`,
  )
  for (let k = 0; k < size.warmup; k++) matchBatch(input)
  const times: number[] = []
  let result = matchBatch(input)
  for (let k = 0; k < size.runs; k++) {
    const r = time(() => matchBatch(input))
    times.push(r.ms)
    result = r.value
  }
  const s = result.stats
  log(
    `  engine p50 ${median(times).toFixed(1)} ms (runs: ${times.map((t) => t.toFixed(0)).join(', ')}); ` +
      `${s.pairs.toLocaleString('en')} positive-fit pairs, ${s.edgesSolved.toLocaleString('en')} in the graph, ` +
      `${s.rounds} certificate round(s); ${result.assignments.length} assignments, ${result.unfilled.length} unfilled items, ` +
      `total ${result.totalScore.toFixed(3)}`,
  )
  const greedyTimes: number[] = []
  let greedy = greedyBatch(input)
  for (let k = 0; k < Math.min(3, size.runs); k++) {
    const r = time(() => greedyBatch(input))
    greedyTimes.push(r.ms)
    greedy = r.value
  }
  const ratio = (100 * greedy.totalScore) / result.totalScore
  log(
    `  greedy p50 ${median(greedyTimes).toFixed(1)} ms, total ${greedy.totalScore.toFixed(3)} ` +
      `(${ratio.toFixed(3)} % of the optimum; the optimum is ${(result.totalScore - greedy.totalScore).toFixed(3)} points higher)`,
  )
  if (greedy.totalScore > result.totalScore + 1e-9) {
    throw new Error(`${label}: greedy beat the engine, which cannot be optimal`)
  }
  return [
    {
      name: `matching.${label}.engine_ms.p50`,
      value: median(times),
      unit: 'ms',
      target: size.target,
      baseline: median(greedyTimes),
    },
    { name: `matching.${label}.greedy_over_optimal`, value: ratio, unit: '%' },
    { name: `matching.${label}.pairs`, value: s.pairs, unit: 'pairs' },
    { name: `matching.${label}.edges_solved`, value: s.edgesSolved, unit: 'pairs' },
  ]
}

/** Σ score of munkres's assignment on the dense matrix of (slot, expert), in milli-points. */
function dense(input: MatchInput): number {
  const m = buildModel(input)
  let W = 1
  for (const f of FACTORS) W += Math.round(m.weights[f])
  const rows: number[] = []
  m.items.forEach((it, i) => {
    for (let h = 0; h < it.headcount; h++) rows.push(i)
  })
  const C = m.candidates.length
  const score = rows.map((i) => {
    const row = new Float64Array(C)
    for (let c = 0; c < C; c++) {
      const s = (m.candRemaining[c] as number) > 0 ? pairScore(m, i, c) : -1
      row[c] = Math.max(s, 0)
    }
    return row
  })
  const cost = score.map((row) => row.map((s) => W - s))
  let total = 0
  for (const [r, c] of munkres(cost)) total += (score[r] as Float64Array)[c] as number
  return total
}

function denseBaseline(log: (s: string) => void): Figure[] {
  const input = generateTalent({ items: DENSE.items, experts: DENSE.experts, capacity: 1, seed: 7 })
  const slots = input.items.reduce((n, it) => n + it.headcount, 0)
  log(`dense: ${DENSE.items} items (${slots} slots) × ${DENSE.experts} experts of capacity 1`)
  matchBatch(input)
  const engine: number[] = []
  const hungarian: number[] = []
  let engineTotal = 0
  let denseTotal = 0
  for (let k = 0; k < DENSE.runs; k++) {
    const e = time(() => matchBatch(input))
    engine.push(e.ms)
    engineTotal = Math.round(e.value.totalScore * SCALE)
    const d = time(() => dense(input))
    hungarian.push(d.ms)
    denseTotal = d.value
  }
  log(
    `  engine p50 ${median(engine).toFixed(1)} ms, munkres p50 ${median(hungarian).toFixed(1)} ms; ` +
      `totals ${engineTotal / SCALE} and ${denseTotal / SCALE} (${engineTotal === denseTotal ? 'equal' : 'DIFFERENT'})`,
  )
  if (engineTotal !== denseTotal) {
    throw new Error(`dense: engine total ${engineTotal} ≠ munkres total ${denseTotal}`)
  }
  return [
    {
      name: 'matching.dense_200x1000.engine_ms.p50',
      value: median(engine),
      unit: 'ms',
      baseline: median(hungarian),
    },
    {
      name: 'matching.dense_200x1000.total_gap',
      value: Math.abs(engineTotal - denseTotal) / SCALE,
      unit: 'points',
      target: 0.01,
    },
  ]
}

export const bench: Bench = {
  description:
    'matching engine: exact b-matching on generated city (500 × 5,000) and province (5,000 × 50,000) batches, against greedy and a dense Hungarian baseline',
  async run(options: BenchOptions): Promise<Figure[]> {
    const { log } = options
    return [...batch(log, 'city', CITY), ...batch(log, 'province', PROVINCE), ...denseBaseline(log)]
  },
}
