/**
 * matchBatch: the resource list for a batch of need items, as the exact
 * maximum of the total score (see score.ts for the score, solver.ts for the
 * flow).
 *
 * The optimum is over every pair with a positive skill fit (and every
 * volunteer pair), but the solver only ever holds a small part of them
 * (column generation with an LP-duality certificate):
 *
 * 1. Lists. For every taxonomy node, the candidates holding a skill under it,
 *    sorted by their part of an upper bound on any pair's score (best
 *    proficiency there + honour + load + rating), also split by where they
 *    serve (city-wide, each district, each park). An item reads, per skill,
 *    the lists of the node (exact), its field (sibling) and its domain (same
 *    domain), merged by bound: fit points + list key + proximity points of
 *    the list + the most availability and continuity could add.
 * 2. First graph. Per item, pairs are scored in bound order until the bound
 *    falls to the k-th best score (threshold algorithm); the k best go to
 *    the graph, capacity-aware (a candidate already taken by as many items as
 *    it has slots does not count towards k). Everything else pulled goes to
 *    the item's pool, scored or with its tighter per-pair bound only.
 * 3. The flow solver finds the optimum on the graph, with duals u_i, v_c ≥ 0.
 * 4. Certificate: a pair outside the graph can only improve the total if its
 *    score exceeds u_i + v_c. Pooled pairs are checked (scored when their
 *    bound exceeds u_i + v_c); the lists are read further while their head
 *    bound exceeds u_i + min v, after which no unread pair can. Violating
 *    pairs (the most violated first, a few per item) are added, the solver
 *    repairs its optimum (warm start), and the check runs again. When it
 *    finds nothing, u and v are a feasible dual of the full problem with the
 *    graph's objective: the graph's optimum is the global optimum (the
 *    bipartite b-matching LP is integral).
 *
 * Every bound is exact integer arithmetic on milli-points, so the
 * certificate is exact too.
 */
import {
  buildModel,
  ENTRY_FULL,
  ENTRY_PAST,
  ENTRY_WEEKMASK,
  explainPair,
  FACTORS,
  freeCapacity,
  freeDays,
  IntBuf,
  keyOf,
  type Model,
  pairScore,
  R_NSKILL,
  R_VAR,
  REC,
  SCALE,
  SLOT_ALL,
  SLOT_CITY,
  weekdayDays,
} from './score.ts'
import { FlowSolver } from './solver.ts'
import type {
  Assignment,
  AssignmentWarning,
  MatchCandidate,
  MatchInput,
  MatchItem,
  MatchResult,
  Unfilled,
  UnfilledReason,
} from './types.ts'

export interface MatchOptions {
  /**
   * Pairs per item in the first graph, given the item's free headcount
   * (default 2 × headcount + 3); also the most pairs one item gets per round
   * of the certificate. The optimum is the same whatever it is; it only moves
   * work between the first solve and the rounds.
   */
  initialPairs?: (headcount: number) => number
  /** Verify the solver's invariants after every round (tests). */
  selfCheck?: boolean
  /** Receives a line per phase with its timing (bench, diagnostics). */
  trace?: (line: string) => void
}

const defaultInitialPairs = (h: number) => 2 * h + 3

/**
 * The taxonomy lists one item reads, with where each has got to: per (node,
 * fit tier) of its skills, the node's list of all holders (bound without
 * proximity) and its lists of holders serving the whole city, the item's
 * district and the item's park (bounds with those proximity points).
 *
 * Merging the lists by head bound pulls each candidate first from the list
 * where its bound is highest (its own proximity class, its best fit), so the
 * first pull is the one that counts and later pulls of the same candidate for
 * the same item are skipped. Each pull also gets a tighter bound from the
 * entry alone (the availability its weekdays allow in the item's window, and
 * continuity only for candidates with past enterprises in the batch), so a
 * pair whose bound cannot matter is pooled without reading the candidate.
 */
export class Streams {
  readonly start: Int32Array
  /** tier points + proximity points of the list's class */
  readonly base: Int32Array
  readonly pos: Int32Array
  readonly end: Int32Array
  /** Bound of the list returned by the last bestList call (every unread pair is below it). */
  headBound = 0
  /** Bound of the pair returned by the last next call. */
  entryBound = 0
  private readonly seen: Int32Array
  private stamp = 0
  private readonly availUB = new Int32Array(128)
  private readonly continuity: number
  private readonly C: number

  /** With `seenPairs`, pairs already pulled are remembered across items (greedy interleaves them). */
  constructor(
    private readonly m: Model,
    private readonly seenPairs?: Set<number>,
  ) {
    const I = m.items.length
    const S = m.listSlots
    this.C = m.candidates.length
    this.seen = new Int32Array(seenPairs ? 0 : this.C)
    this.continuity = Math.round(m.weights.continuity)
    const start = new Int32Array(I + 1)
    const base: number[] = []
    const pos: number[] = []
    const end: number[] = []
    const classPts = [
      0,
      m.proxPoints[2] as number,
      m.proxPoints[1] as number,
      m.proxPoints[0] as number,
    ]
    const best = new Map<number, number>()
    for (let i = 0; i < I; i++) {
      // (node, tier) per item skill, one per node at its best tier
      best.clear()
      const put = (n: number, t: number) => {
        if ((best.get(n) ?? 0) < t) best.set(n, t)
      }
      for (let s = m.itemSkillStart[i] as number; s < (m.itemSkillStart[i + 1] as number); s++) {
        const n = m.itemSkillNode[s] as number
        put(n, 3)
        const f = m.nodeField[n] as number
        if (f !== -1 && f !== n) put(f, 2)
        const d = m.nodeDomain[n] as number
        if (d !== n) put(d, 1)
      }
      const d = m.itemDistrict[i] as number
      const p = m.itemPark[i] as number
      for (const [n, t] of best) {
        for (let k = 0; k < 4; k++) {
          if ((k === 2 && d < 0) || (k === 3 && p < 0)) continue
          const slot =
            k === 0 ? SLOT_ALL : k === 1 ? SLOT_CITY : k === 2 ? 2 + d : 2 + m.districtCount + p
          const l = n * S + slot
          if (m.listStart[l] === m.listStart[l + 1]) continue
          base.push((m.tierPoints[t] as number) + (classPts[k] as number))
          pos.push(m.listStart[l] as number)
          end.push(m.listStart[l + 1] as number)
        }
      }
      start[i + 1] = base.length
    }
    this.start = start
    this.base = Int32Array.from(base)
    this.pos = Int32Array.from(pos)
    this.end = Int32Array.from(end)
  }

  /** The list of item i with the highest head bound, or -1 when all are read. */
  bestList(i: number): number {
    const data = this.m.listData
    let best = -1
    let bestUb = -1
    for (let j = this.start[i] as number; j < (this.start[i + 1] as number); j++) {
      const p = this.pos[j] as number
      if (p >= (this.end[j] as number)) continue
      const ub = (this.base[j] as number) + (data[3 * p + 1] as number)
      if (ub > bestUb) {
        bestUb = ub
        best = j
      }
    }
    this.headBound = best === -1 ? 0 : Math.max(1, bestUb + this.m.pairSlack)
    return best
  }

  /**
   * Starts reading item i's lists (again): `known` are the candidates already
   * taken for it (in its graph or pool), which the lists must not offer twice.
   */
  begin(i: number, known?: (mark: (c: number) => void) => void) {
    const m = this.m
    const days = m.itemWinDays[i] as number
    const wa = m.weights.availability
    if (days === 0) {
      const full = Math.round(wa)
      for (let mask = 0; mask < 128; mask++) this.availUB[mask] = mask === 0 ? 0 : full
    } else {
      const a = m.itemWinFrom[i] as number
      const b = m.itemWinTo[i] as number
      for (let mask = 0; mask < 128; mask++) {
        this.availUB[mask] = Math.round((wa * weekdayDays(a, b, mask)) / days)
      }
    }
    if (this.seenPairs) return
    const stamp = ++this.stamp
    const seen = this.seen
    known?.((c) => {
      seen[c] = stamp
    })
  }

  /**
   * The next candidate of item i not offered before, eligible (capacity left,
   * not excluded, pinned or a volunteer's), with its bound in entryBound; -1
   * once every unread pair's bound is ≤ stop.
   */
  next(i: number, stop: number): number {
    const m = this.m
    const data = m.listData
    const constrained = m.excluded.size > 0 || m.pinned.size > 0 || m.volunteer.size > 0
    for (;;) {
      const j = this.bestList(i)
      if (j === -1 || this.headBound <= stop) return -1
      const p = this.pos[j] as number
      this.pos[j] = p + 1
      const flags = data[3 * p + 2] as number
      if ((flags & ENTRY_FULL) !== 0) continue
      const c = data[3 * p] as number
      const key = i * this.C + c
      if (this.seenPairs) {
        if (this.seenPairs.has(key)) continue
        this.seenPairs.add(key)
      } else {
        if (this.seen[c] === this.stamp) continue
        this.seen[c] = this.stamp
      }
      if (constrained && (m.excluded.has(key) || m.pinned.has(key) || m.volunteer.has(key)))
        continue
      this.entryBound = Math.max(
        1,
        (this.base[j] as number) +
          (data[3 * p + 1] as number) +
          (this.availUB[flags & ENTRY_WEEKMASK] as number) +
          ((flags & ENTRY_PAST) !== 0 ? this.continuity : 0),
      )
      return c
    }
  }
}

/** Min-heap of (score, candidate) keeping an item's k best pairs. */
class TopK {
  score: number[] = []
  cand: number[] = []
  // smaller score first; on equal scores the higher candidate index leaves first
  private less(a: number, b: number) {
    const sa = this.score[a] as number
    const sb = this.score[b] as number
    return sa < sb || (sa === sb && (this.cand[a] as number) > (this.cand[b] as number))
  }
  private swap(a: number, b: number) {
    const s = this.score[a] as number
    const c = this.cand[a] as number
    this.score[a] = this.score[b] as number
    this.cand[a] = this.cand[b] as number
    this.score[b] = s
    this.cand[b] = c
  }
  get size() {
    return this.score.length
  }
  clear() {
    this.score.length = 0
    this.cand.length = 0
  }
  minScore() {
    return this.score[0] as number
  }
  /** Whether (s, c) ranks above the current minimum. */
  beats(s: number, c: number) {
    const s0 = this.score[0] as number
    return s > s0 || (s === s0 && c < (this.cand[0] as number))
  }
  push(s: number, c: number) {
    this.score.push(s)
    this.cand.push(c)
    let j = this.score.length - 1
    while (j > 0) {
      const p = (j - 1) >> 1
      if (!this.less(j, p)) break
      this.swap(j, p)
      j = p
    }
  }
  /** Replaces the minimum with (s, c). */
  replaceMin(s: number, c: number) {
    this.score[0] = s
    this.cand[0] = c
    let j = 0
    const n = this.score.length
    for (;;) {
      let l = 2 * j + 1
      if (l >= n) break
      if (l + 1 < n && this.less(l + 1, l)) l++
      if (!this.less(l, j)) break
      this.swap(l, j)
      j = l
    }
  }
}

/**
 * Per item, pairs pulled from the lists but not in the graph: candidate and
 * score (exact when ≥ 1, 0 when not a candidate, -bound when not scored yet),
 * as linked lists in typed arrays (no per-item arrays for the GC to copy).
 */
class Pools {
  readonly head: Int32Array
  next = new Int32Array(1024)
  cand = new Int32Array(1024)
  score = new Int32Array(1024)
  n = 0
  constructor(I: number) {
    this.head = new Int32Array(I).fill(-1)
  }
  add(i: number, c: number, s: number) {
    if (this.n === this.next.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2)
        b.set(a)
        return b
      }
      this.next = grow(this.next)
      this.cand = grow(this.cand)
      this.score = grow(this.score)
    }
    const e = this.n++
    this.cand[e] = c
    this.score[e] = s
    this.next[e] = this.head[i] as number
    this.head[i] = e
  }
}

export function matchBatch(input: MatchInput, options: MatchOptions = {}): MatchResult {
  const t0 = performance.now()
  const trace = options.trace
  const mark = (label: string) => trace?.(`${label}: ${(performance.now() - t0).toFixed(1)} ms`)
  const m = buildModel(input)
  mark('model')
  const I = m.items.length
  const C = m.candidates.length
  const initialPairs = options.initialPairs ?? defaultInitialPairs
  const supply = m.itemSupply
  const perItem = (i: number) => Math.max(0, Math.floor(initialPairs(supply[i] as number)))

  // W bounds every pair's score (the sum of all weights at full value).
  let W = 1
  for (const f of FACTORS) W += Math.round(m.weights[f])

  const streams = new Streams(m)
  const pools = new Pools(I)
  const edgeItem = new IntBuf()
  const edgeCand = new IntBuf()
  const edgeW = new IntBuf()
  let scored = 0

  // Volunteers are always in the graph.
  for (const key of m.volunteer) {
    const i = Math.floor(key / C)
    const c = key - i * C
    if ((supply[i] as number) === 0 || (m.candRemaining[c] as number) <= 0) continue
    if (m.excluded.has(key) || m.pinned.has(key)) continue
    const s = pairScore(m, i, c)
    if (s > 0) {
      edgeItem.push(i)
      edgeCand.push(c)
      edgeW.push(s)
    }
  }

  // 1. The first graph: each item's k best pairs by the threshold algorithm,
  // capacity-aware: a candidate already chosen by as many items as it has
  // free slots still goes in (when it beats the k-th pair) but does not count
  // towards k, so a popular expert does not leave every item of its skill
  // with nobody else.
  const top = new TopK()
  const demand = new Int32Array(C)
  const sideC: number[] = []
  const sideS: number[] = []
  for (let i = 0; i < I; i++) {
    if ((supply[i] as number) === 0) continue
    const k = perItem(i)
    top.clear()
    sideC.length = 0
    sideS.length = 0
    streams.begin(i)
    for (;;) {
      const full = top.size >= k
      const c = streams.next(
        i,
        !full ? Number.NEGATIVE_INFINITY : k === 0 ? Number.POSITIVE_INFINITY : top.minScore(),
      )
      if (c < 0) break
      if (full && streams.entryBound <= top.minScore()) {
        pools.add(i, c, -streams.entryBound)
        continue
      }
      scored++
      const s = pairScore(m, i, c)
      if (s < 0) {
        pools.add(i, c, 0)
        continue
      }
      if ((demand[c] as number) >= (m.candRemaining[c] as number) && sideC.length < 2 * k) {
        sideC.push(c)
        sideS.push(s)
      } else if (!full) top.push(s, c)
      else if (top.beats(s, c)) {
        pools.add(i, top.cand[0] as number, top.score[0] as number)
        top.replaceMin(s, c)
      } else pools.add(i, c, s)
    }
    const floor = top.size >= k && k > 0 ? top.minScore() : -1
    for (let t = 0; t < sideC.length; t++) {
      const c = sideC[t] as number
      const s = sideS[t] as number
      if (s > floor) {
        edgeItem.push(i)
        edgeCand.push(c)
        edgeW.push(s)
        demand[c] = (demand[c] as number) + 1
      } else pools.add(i, c, s)
    }
    for (let t = 0; t < top.size; t++) {
      const c = top.cand[t] as number
      edgeItem.push(i)
      edgeCand.push(c)
      edgeW.push(top.score[t] as number)
      demand[c] = (demand[c] as number) + 1
    }
  }
  mark(`first graph (${edgeItem.n} pairs, ${scored} scored)`)

  const solver = new FlowSolver(
    supply,
    Int32Array.from(m.candRemaining, (r) => Math.max(r, 0)),
    W,
  )
  solver.addEdges(edgeItem.done(), edgeCand.done(), edgeW.done())
  solver.solve()
  if (options.selfCheck) selfCheck(solver)
  mark('first solve')

  // 2-3. Certify; add the violating pairs and repair until none is left.
  let rounds = 0
  const v = new Float64Array(C)
  const vc: number[] = []
  const vs: number[] = []
  const vg: number[] = []
  for (;;) {
    let minV = Number.POSITIVE_INFINITY
    for (let c = 0; c < C; c++) {
      if ((m.candRemaining[c] as number) <= 0) continue
      v[c] = solver.candidateDual(c)
      if ((v[c] as number) < minV) minV = v[c] as number
    }
    if (minV === Number.POSITIVE_INFINITY) break // nobody has capacity
    const addI: number[] = []
    const addC: number[] = []
    const addW: number[] = []
    for (let i = 0; i < I; i++) {
      if ((supply[i] as number) === 0) continue
      const u = solver.itemDual(i)
      // Pooled pairs first, then unread ones while their bound could still beat
      // u + min v. At most `limit` violators per item and round (the most
      // violated): enough to fix the item, few enough to keep the graph sparse.
      const limit = Math.max(1, perItem(i))
      vc.length = 0
      vs.length = 0
      vg.length = 0
      for (let e = pools.head[i] as number, prev = -1; e >= 0; ) {
        const c = pools.cand[e] as number
        let s = pools.score[e] as number
        const room = u + (v[c] as number)
        if (s < 0 && -s > room) {
          scored++
          s = Math.max(0, pairScore(m, i, c))
          pools.score[e] = s
        }
        const next = pools.next[e] as number
        if (s > room) {
          vc.push(c)
          vs.push(s)
          vg.push(s - room)
          if (prev < 0) pools.head[i] = next
          else pools.next[prev] = next
        } else prev = e
        e = next
      }
      if (vc.length < limit && streams.bestList(i) !== -1 && streams.headBound > u + minV) {
        streams.begin(i, (markSeen) => {
          for (let e = pools.head[i] as number; e >= 0; e = pools.next[e] as number) {
            markSeen(pools.cand[e] as number)
          }
          for (const c of vc) markSeen(c)
          for (let e = solver.adjStart[i] as number; e < (solver.adjStart[i + 1] as number); e++) {
            markSeen(solver.eCand[e] as number)
          }
        })
        while (vc.length < limit) {
          const c = streams.next(i, u + minV)
          if (c < 0) break
          const room = u + (v[c] as number)
          if (streams.entryBound <= room) {
            pools.add(i, c, -streams.entryBound)
            continue
          }
          scored++
          const s = pairScore(m, i, c)
          if (s > room) {
            vc.push(c)
            vs.push(s)
            vg.push(s - room)
          } else pools.add(i, c, Math.max(0, s))
        }
      }
      let order = vc.map((_, k) => k)
      if (order.length > limit) {
        order.sort(
          (a, b) => (vg[b] as number) - (vg[a] as number) || (vc[a] as number) - (vc[b] as number),
        )
        for (const k of order.slice(limit)) pools.add(i, vc[k] as number, vs[k] as number)
        order = order.slice(0, limit)
      }
      for (const k of order) {
        addI.push(i)
        addC.push(vc[k] as number)
        addW.push(vs[k] as number)
      }
    }
    mark(`round ${rounds + 1} check: ${addI.length} pairs to add (${scored} scored so far)`)
    if (addI.length === 0) break
    rounds++
    const cycles = solver.addEdges(addI, addC, addW)
    solver.solve()
    if (options.selfCheck) selfCheck(solver)
    mark(`round ${rounds} repaired (${cycles} cycles cancelled)`)
  }

  const result = assemble(m, solver)
  const pairs = countPairs(m)
  mark('assembled')
  return {
    ...result,
    stats: {
      items: I,
      candidates: C,
      pairs,
      edgesSolved: solver.E,
      rounds,
      ms: performance.now() - t0,
    },
  }
}

function selfCheck(solver: FlowSolver) {
  const problems = solver.check()
  if (problems.length > 0)
    throw new Error(`matching self-check: ${problems.slice(0, 5).join('; ')}`)
}

function assemble(m: Model, solver: FlowSolver): Omit<MatchResult, 'stats'> {
  const I = m.items.length
  const C = m.candidates.length
  const perItem: { c: number; a: Assignment }[][] = Array.from({ length: I }, () => [])
  let totalMilli = 0
  // Pins: over-capacity / over-headcount ones are flagged, never dropped.
  const pinsOfCand = new Int32Array(C)
  const pinsOfItem = new Int32Array(I)
  for (const [i, c] of m.pins) {
    const item = m.items[i] as MatchItem
    const warnings: AssignmentWarning[] = []
    if ((pinsOfCand[c] as number) >= freeCapacity(m.candidates[c] as MatchCandidate)) {
      warnings.push('over_capacity')
    }
    if ((pinsOfItem[i] as number) >= Math.max(0, Math.floor(item.headcount)))
      warnings.push('over_headcount')
    pinsOfCand[c] = (pinsOfCand[c] as number) + 1
    pinsOfItem[i] = (pinsOfItem[i] as number) + 1
    const ex = explainPair(m, i, c, true)
    if (ex.skillFit === 'none' && !m.volunteer.has(i * C + c)) warnings.push('no_fit')
    if (m.itemWinDays[i] !== 0 && freeDays(m, i, c) === 0) warnings.push('unavailable')
    totalMilli += ex.scoreMilli
    ;(perItem[i] as { c: number; a: Assignment }[]).push({
      c,
      a: {
        itemId: item.id,
        key: keyOf(m, c),
        score: ex.score,
        skillFit: ex.skillFit,
        factors: ex.factors,
        pinned: true,
        ...(warnings.length > 0 ? { warnings } : {}),
      },
    })
  }
  const assigned = new Int32Array(I)
  for (let e = 0; e < solver.E; e++) {
    if (!solver.eFlow[e]) continue
    const i = solver.eItem[e] as number
    const c = solver.eCand[e] as number
    const ex = explainPair(m, i, c, true)
    totalMilli += ex.scoreMilli
    assigned[i] = (assigned[i] as number) + 1
    ;(perItem[i] as { c: number; a: Assignment }[]).push({
      c,
      a: {
        itemId: (m.items[i] as MatchItem).id,
        key: keyOf(m, c),
        score: ex.score,
        skillFit: ex.skillFit,
        factors: ex.factors,
        pinned: false,
      },
    })
  }
  const assignments: Assignment[] = []
  const unfilled: Unfilled[] = []
  for (let i = 0; i < I; i++) {
    const list = perItem[i] as { c: number; a: Assignment }[]
    list.sort((x, y) =>
      x.a.pinned !== y.a.pinned ? (x.a.pinned ? -1 : 1) : y.a.score - x.a.score || x.c - y.c,
    )
    for (const x of list) assignments.push(x.a)
    const missing = (m.itemSupply[i] as number) - (assigned[i] as number)
    if (missing > 0) {
      unfilled.push(
        whyUnfilled(
          m,
          i,
          missing,
          list.map((x) => x.c),
        ),
      )
    }
  }
  return { assignments, unfilled, totalScore: totalMilli / SCALE }
}

/** Each candidate with a positive fit for item i, once. */
function forEachWithSkill(
  m: Model,
  i: number,
  mark: Int32Array,
  stamp: number,
  fn: (c: number) => void,
) {
  for (let s = m.itemSkillStart[i] as number; s < (m.itemSkillStart[i + 1] as number); s++) {
    const l = (m.nodeDomain[m.itemSkillNode[s] as number] as number) * m.listSlots + SLOT_ALL
    for (let k = m.listStart[l] as number; k < (m.listStart[l + 1] as number); k++) {
      const c = m.listData[3 * k] as number
      if (mark[c] === stamp) continue
      mark[c] = stamp
      fn(c)
    }
  }
}

/** Why item i has `missing` empty slots, given the candidates it got. */
function whyUnfilled(m: Model, i: number, missing: number, got: number[]): Unfilled {
  const C = m.candidates.length
  const mark = new Int32Array(C)
  const here = new Set(got)
  const detail = {
    withSkill: 0,
    assigned: here.size,
    excluded: 0,
    unavailable: 0,
    busy: 0,
    takenByOthers: 0,
  }
  const classify = (c: number) => {
    if (here.has(c)) return
    const key = i * C + c
    const vol = m.volunteer.has(key)
    detail.withSkill++
    if (m.excluded.has(key)) detail.excluded++
    else if (!vol && m.itemWinDays[i] !== 0 && freeDays(m, i, c) === 0) detail.unavailable++
    else if ((m.candRemaining[c] as number) <= 0) detail.busy++
    else detail.takenByOthers++
  }
  forEachWithSkill(m, i, mark, 1, classify)
  for (const key of m.volunteer) {
    const c = key - i * C
    if (c >= 0 && c < C && mark[c] !== 1) {
      mark[c] = 1
      classify(c)
    }
  }
  let reason: UnfilledReason
  if (detail.takenByOthers > 0) reason = 'taken_by_other_items'
  else if (detail.withSkill === 0) reason = 'no_skill'
  else {
    const options: [UnfilledReason, number][] = [
      ['unavailable', detail.unavailable],
      ['all_busy', detail.busy],
      ['excluded', detail.excluded],
    ]
    reason = options.reduce((a, b) => (b[1] > a[1] ? b : a))[0]
  }
  return { itemId: (m.items[i] as MatchItem).id, missing, reason, detail }
}

/** Pairs with a positive skill fit, plus volunteer pairs without one. */
function countPairs(m: Model): number {
  const I = m.items.length
  const C = m.candidates.length
  const cache = new Map<string, number>()
  const mark = new Int32Array(C)
  let stamp = 0
  let total = 0
  for (let i = 0; i < I; i++) {
    const domains = new Set<number>()
    for (let s = m.itemSkillStart[i] as number; s < (m.itemSkillStart[i + 1] as number); s++) {
      domains.add(m.nodeDomain[m.itemSkillNode[s] as number] as number)
    }
    const ds = [...domains].sort((a, b) => a - b)
    const key = ds.join(',')
    let n = cache.get(key)
    if (n === undefined) {
      n = 0
      stamp++
      for (const d of ds) {
        const l = d * m.listSlots + SLOT_ALL
        for (let k = m.listStart[l] as number; k < (m.listStart[l + 1] as number); k++) {
          const c = m.listData[3 * k] as number
          if (mark[c] !== stamp) {
            mark[c] = stamp
            n++
          }
        }
      }
      cache.set(key, n)
    }
    total += n
  }
  for (const key of m.volunteer) {
    const i = Math.floor(key / C)
    if (!hasFit(m, i, key - i * C)) total++
  }
  return total
}

/** Whether candidate c shares a domain with one of item i's skills (a positive fit). */
function hasFit(m: Model, i: number, c: number): boolean {
  const v = m.candRec[c * REC + R_VAR] as number
  const ns = m.candRec[c * REC + R_NSKILL] as number
  for (let s = m.itemSkillStart[i] as number; s < (m.itemSkillStart[i + 1] as number); s++) {
    const d = m.nodeDomain[m.itemSkillNode[s] as number] as number
    for (let k = 0; k < ns; k++) {
      if (m.nodeDomain[m.candVar[v + 2 * k] as number] === d) return true
    }
  }
  return false
}
