/**
 * The greedy baseline: take pairs highest score first while the item has a
 * slot and the candidate capacity (pins first). Not used to propose anything;
 * the tests and the bench compare it with the exact optimum of matchBatch.
 *
 * Pairs come lazily, per item in exact descending score order, from the same
 * bounded taxonomy lists as matchBatch, so it runs on a province batch without
 * scoring every pair.
 */
import { Streams } from './match.ts'
import { buildModel, explainPair, keyOf, pairScore, SCALE } from './score.ts'
import type { CandidateKey, MatchInput } from './types.ts'

export interface GreedyResult {
  assignments: { itemId: number; key: CandidateKey; score: number; pinned: boolean }[]
  totalScore: number
}

/** Max-heap of (score, candidate), higher score then lower candidate first. */
class PairHeap {
  s: number[] = []
  c: number[] = []
  private above(a: number, b: number) {
    const sa = this.s[a] as number
    const sb = this.s[b] as number
    return sa > sb || (sa === sb && (this.c[a] as number) < (this.c[b] as number))
  }
  private swap(a: number, b: number) {
    const s = this.s[a] as number
    const c = this.c[a] as number
    this.s[a] = this.s[b] as number
    this.c[a] = this.c[b] as number
    this.s[b] = s
    this.c[b] = c
  }
  get size() {
    return this.s.length
  }
  push(score: number, cand: number) {
    this.s.push(score)
    this.c.push(cand)
    let j = this.s.length - 1
    while (j > 0) {
      const p = (j - 1) >> 1
      if (!this.above(j, p)) break
      this.swap(j, p)
      j = p
    }
  }
  pop() {
    const last = this.s.length - 1
    this.swap(0, last)
    this.s.pop()
    this.c.pop()
    const n = this.s.length
    let j = 0
    for (;;) {
      let l = 2 * j + 1
      if (l >= n) break
      if (l + 1 < n && this.above(l + 1, l)) l++
      if (!this.above(l, j)) break
      this.swap(l, j)
      j = l
    }
  }
}

export function greedyBatch(input: MatchInput): GreedyResult {
  const m = buildModel(input)
  const I = m.items.length
  const C = m.candidates.length
  const streams = new Streams(m, new Set<number>())
  const capLeft = Int32Array.from(m.candRemaining)
  const slots = Int32Array.from(m.itemSupply)
  const assignments: GreedyResult['assignments'] = []
  let total = 0
  for (const [i, c] of m.pins) {
    const score = explainPair(m, i, c, true).scoreMilli
    total += score
    assignments.push({
      itemId: (m.items[i] as { id: number }).id,
      key: keyOf(m, c),
      score: score / SCALE,
      pinned: true,
    })
  }
  const local: PairHeap[] = Array.from({ length: I }, () => new PairHeap())
  for (const key of m.volunteer) {
    const i = Math.floor(key / C)
    const c = key - i * C
    if (m.excluded.has(key) || m.pinned.has(key) || (m.candRemaining[c] as number) <= 0) continue
    const s = pairScore(m, i, c)
    if (s > 0) (local[i] as PairHeap).push(s, c)
  }
  /** Makes item i's local top its true next-best pair; false when it has none left. */
  const settle = (i: number): boolean => {
    const h = local[i] as PairHeap
    streams.begin(i)
    for (;;) {
      const c = streams.next(i, h.size > 0 ? (h.s[0] as number) : Number.NEGATIVE_INFINITY)
      if (c < 0) break
      const s = pairScore(m, i, c)
      if (s > 0) h.push(s, c)
    }
    return h.size > 0
  }
  // Global order: best local top first, then candidate, then item.
  const global = new PairHeap()
  const offer = (i: number) => {
    if ((slots[i] as number) > 0 && settle(i)) {
      const h = local[i] as PairHeap
      // encode (candidate, item) so ties go to the lower candidate, then the lower item
      global.push(h.s[0] as number, (h.c[0] as number) * I + i)
    }
  }
  for (let i = 0; i < I; i++) offer(i)
  while (global.size > 0) {
    const code = global.c[0] as number
    global.pop()
    const i = code % I
    const h = local[i] as PairHeap
    const c = h.c[0] as number
    const s = h.s[0] as number
    h.pop()
    if ((capLeft[c] as number) > 0 && (slots[i] as number) > 0) {
      capLeft[c] = (capLeft[c] as number) - 1
      slots[i] = (slots[i] as number) - 1
      total += s
      assignments.push({
        itemId: (m.items[i] as { id: number }).id,
        key: keyOf(m, c),
        score: s / SCALE,
        pinned: false,
      })
    }
    offer(i)
  }
  return { assignments, totalScore: total / SCALE }
}
