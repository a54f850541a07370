/**
 * Scoring of (need item, candidate) pairs for the matching engine.
 *
 * score(i, c) = Σ over factors of weight × normalised value (each in [0, 1]):
 *
 * | factor       | default | normalised value                                              |
 * |--------------|---------|---------------------------------------------------------------|
 * | skill        | 40      | best fit over item skills × candidate skills: exact 1, sibling |
 * |              |         | (same field) 0.6, same domain 0.3, none 0                      |
 * | proficiency  | 15      | level (1..5) of the best-fitting skill / 5                     |
 * | honour       | 10      | best honour: national 1, provincial 0.7, city 0.5, district    |
 * |              |         | 0.3, enterprise 0.15 (大国工匠, 全国劳动模范, 全国五一劳动奖章 |
 * |              |         | and 全国技术能手 count as national whatever level was entered)  |
 * | proximity    | 10      | same park 1, same district 0.7, candidate covering the whole   |
 * |              |         | city (no districts listed) 0.3, else 0                         |
 * | availability | 10      | free days in the item's window / window days (a free day is on |
 * |              |         | one of the candidate's weekdays and outside every blackout);   |
 * |              |         | no window: 1 when the candidate has any weekday                |
 * | load         | 5       | 1 - load / capacity                                            |
 * | rating       | 5       | (average - 1) / 4, unrated 0.5                                 |
 * | continuity   | 3       | 1 when the candidate served the item's enterprise before        |
 * | volunteer    | 10      | 1 when the candidate volunteered for the item (揭榜挂帅)        |
 *
 * Skill is worth the most: an exact specialist beats a sibling one unless the
 * sibling is much stronger on everything else. The other factors break ties
 * between people of the same fit, roughly in the order a steward would.
 *
 * Fit on the taxonomy (domain → field → skill): 'exact' when the candidate's
 * node is the item's node or lies under it (an item asking for a field or a
 * domain is met exactly by any skill under it); 'sibling' when both lie in the
 * same field (the same parent field for two skills; an expert listing the
 * item's field itself also counts as sibling); 'field' when both lie in the
 * same domain; 'none' otherwise. The best-fitting skill is the one with the
 * highest fit, then the highest proficiency.
 *
 * Who is a candidate for an item: anyone with a positive fit who has at least
 * one free day in the item's window (when it has one), and anyone who
 * volunteered for the item (whatever their fit or calendar; their factors
 * still show both).
 *
 * Integer arithmetic: each factor's points are rounded to thousandths of a
 * point ("milli-points", weight × value × 1000, rounded) and a pair's score
 * is the sum of its factors' milli-points, at least 1 for every feasible pair
 * so taking a feasible pair never lowers the total. The solver works on these
 * integers, so its optimum is exact; results report score / 1000.
 *
 * Windows: 'YYYY-MM-DD' inclusive. A window with only one end is taken as the
 * OPEN_WINDOW_DAYS days from its start (or up to its end); a reversed window
 * is read the right way round.
 */
import { IMPLIED_LEVEL, isHonourType, resolveHonourType } from '#workflows/talent/honours.ts'
import type {
  CandidateHonour,
  CandidateKey,
  FactorName,
  MatchCandidate,
  MatchInput,
  MatchItem,
  MatchWeights,
  Pin,
  ScoreFactor,
  SkillFit,
  TaxonomyIndex,
} from './types.ts'

export const DEFAULT_WEIGHTS: MatchWeights = {
  skill: 40,
  proficiency: 15,
  honour: 10,
  proximity: 10,
  availability: 10,
  load: 5,
  rating: 5,
  continuity: 3,
  volunteer: 10,
}

export const FACTORS: readonly FactorName[] = [
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

/** Points are kept as integers in thousandths. */
export const SCALE = 1000

/** How long a window with only one end lasts. */
export const OPEN_WINDOW_DAYS = 28

export const FIT_VALUE: Record<SkillFit, number> = { exact: 1, sibling: 0.6, field: 0.3, none: 0 }
const FIT_BY_TIER: readonly SkillFit[] = ['none', 'field', 'sibling', 'exact']
export const TIER_OF_FIT: Record<SkillFit, number> = { none: 0, field: 1, sibling: 2, exact: 3 }

export const HONOUR_VALUE: Record<CandidateHonour['level'], number> = {
  national: 1,
  provincial: 0.7,
  city: 0.5,
  district: 0.3,
  enterprise: 0.15,
}
const LEVEL_RANK: Record<CandidateHonour['level'], number> = {
  enterprise: 1,
  district: 2,
  city: 3,
  provincial: 4,
  national: 5,
}

export const PROXIMITY_VALUE = { park: 1, district: 0.7, city: 0.3, none: 0 } as const
export type ProximityMatch = keyof typeof PROXIMITY_VALUE

/** The level an honour counts at: the entered one, raised to the one its title implies. */
export function honourLevel(h: CandidateHonour): CandidateHonour['level'] {
  const implied = impliedLevel(h.type)
  if (implied && (LEVEL_RANK[implied] ?? 0) > (LEVEL_RANK[h.level] ?? 0)) return implied
  return h.level
}

const impliedCache = new Map<string, CandidateHonour['level'] | null>()
function impliedLevel(type: string): CandidateHonour['level'] | null {
  let level = impliedCache.get(type)
  if (level === undefined) {
    const code = isHonourType(type) ? type : resolveHonourType(type)?.type
    level = (code && IMPLIED_LEVEL[code]) || null
    if (impliedCache.size < 1000) impliedCache.set(type, level)
  }
  return level
}

// ---------------------------------------------------------------------------
// Dates as day numbers (days since 1970-01-01, UTC)

const DAY_MS = 86_400_000
const NO_DAY = -2_147_483_648

/** Day number of 'YYYY-MM-DD', or NO_DAY when it is not such a date. */
export function dayNumber(s: string | null | undefined): number {
  if (typeof s !== 'string' || s.length < 10) return NO_DAY
  const y = Number(s.slice(0, 4))
  const m = Number(s.slice(5, 7))
  const d = Number(s.slice(8, 10))
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d)) return NO_DAY
  if (m < 1 || m > 12 || d < 1 || d > 31) return NO_DAY
  return Math.floor(Date.UTC(y, m - 1, d) / DAY_MS)
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a day number. */
export const isoWeekday = (day: number): number => ((((day + 3) % 7) + 7) % 7) + 1

const POPCOUNT7 = new Uint8Array(128)
for (let m = 1; m < 128; m++) POPCOUNT7[m] = (POPCOUNT7[m >> 1] ?? 0) + (m & 1)
/** REM_MASK[start weekday - 1][r]: the weekday bits of r consecutive days from that weekday. */
const REM_MASK = new Uint8Array(49)
for (let s = 0; s < 7; s++) {
  let mask = 0
  for (let r = 0; r < 7; r++) {
    REM_MASK[s * 7 + r] = mask
    mask |= 1 << ((s + r) % 7)
  }
}

/** How many days in [a, b] fall on the weekdays of `mask` (bit w-1 = ISO weekday w). */
export function weekdayDays(a: number, b: number, mask: number): number {
  if (b < a || mask === 0) return 0
  const n = b - a + 1
  const full = Math.floor(n / 7)
  const rem = n - full * 7
  const start = isoWeekday(a) - 1
  return full * (POPCOUNT7[mask] ?? 0) + (POPCOUNT7[mask & (REM_MASK[start * 7 + rem] ?? 0)] ?? 0)
}

/** An item's window as day numbers, or null when it has none. */
export function itemWindow(item: MatchItem): { from: number; to: number } | null {
  let from = dayNumber(item.windowStart)
  let to = dayNumber(item.windowEnd)
  if (from === NO_DAY && to === NO_DAY) return null
  if (from === NO_DAY) from = to - (OPEN_WINDOW_DAYS - 1)
  if (to === NO_DAY) to = from + (OPEN_WINDOW_DAYS - 1)
  if (to < from) [from, to] = [to, from]
  return { from, to }
}

// ---------------------------------------------------------------------------
// The prepared model: typed arrays over items (sorted by id) and candidates
// (sorted by key), so the solver scores millions of pairs without allocating.
// A candidate's hot data sits in one 64-byte record (candRec, REC ints per
// candidate) and one contiguous run of candVar, so scoring a pair costs a
// couple of cache misses, not one per field.

const compareKeys = (a: MatchCandidate, b: MatchCandidate) =>
  a.kind === b.kind ? a.id - b.id : a.kind < b.kind ? -1 : 1

/** Integer points of each factor at full value. */
export type IntWeights = Record<FactorName, number>

/** Ints per candidate record, and the fields of a record. */
export const REC = 16
/** Offset of the candidate's run in candVar: skills (node, proficiency) pairs, districts, parks, past enterprises, blackouts (from, to) pairs. */
export const R_VAR = 0
export const R_NSKILL = 1
export const R_NDIST = 2
export const R_NPARK = 3
export const R_NPAST = 4
export const R_NBLACK = 5
/** Honour + load + rating milli-points: the part that does not depend on the item. */
export const R_BASE = 6
export const R_WEEKMASK = 7
/** 1 when the candidate lists no district (serves the whole city). */
export const R_CITYWIDE = 8
/** Capacity - load - pins in this batch (may be ≤ 0). */
export const R_REMAINING = 9
export const R_HONOUR = 10
export const R_LOAD = 11
export const R_RATING = 12
/** Index of the best honour in candidate.honours, or -1. */
export const R_BESTHONOUR = 13

export interface Model {
  items: MatchItem[]
  candidates: MatchCandidate[]
  itemIndex: Map<number, number>
  weights: IntWeights
  /** Milli-points of the skill factor by tier (0 none, 1 field, 2 sibling, 3 exact). */
  tierPoints: Int32Array
  /** Milli-points of the proficiency factor by level (0 = no skill). */
  profPoints: Int32Array
  /** Milli-points of proximity for a park, district, city-wide match. */
  proxPoints: Int32Array
  /** Most points availability and continuity can add. */
  pairSlack: number

  // taxonomy, as dense node indices
  nodeCount: number
  nodeSkillId: number[]
  nodeDepth: Int32Array
  nodeDomain: Int32Array
  /** The depth-1 ancestor (or the node itself at depth 1); -1 for a domain. */
  nodeField: Int32Array
  /** Ancestors from the root down to the node itself. */
  ancStart: Int32Array
  anc: Int32Array
  /** Lists per node: SLOT_ALL, SLOT_CITY, 2 + district, 2 + districtCount + park. */
  listSlots: number
  districtCount: number
  parkCount: number
  /**
   * Candidates holding a skill in the node's subtree (list id = node ×
   * listSlots + slot), best key first. Entry k in [listStart[l],
   * listStart[l + 1]) is listData[3k] = candidate, listData[3k + 1] = key =
   * profPoints[best proficiency in the subtree] + base, listData[3k + 2] =
   * flags (ENTRY_* bits): enough to bound the pair without touching the
   * candidate's record. The SLOT_ALL lists hold every holder; the others only
   * candidates with capacity left.
   */
  listStart: Int32Array
  listData: Int32Array

  // items
  itemSkillStart: Int32Array
  itemSkillNode: Int32Array
  itemWinFrom: Int32Array
  itemWinTo: Int32Array
  /** 0 when the item has no window. */
  itemWinDays: Int32Array
  itemDistrict: Int32Array
  itemPark: Int32Array
  itemEnterprise: Int32Array

  // candidates
  candRec: Int32Array
  candVar: Int32Array
  /** Capacity - load - pins taken in this batch (may be ≤ 0); the same as R_REMAINING. */
  candRemaining: Int32Array

  // constraints, as pair keys i * C + c
  volunteer: Set<number>
  excluded: Set<number>
  pinned: Set<number>
  /** Pins as [item, candidate] indices, deduplicated, in input order. */
  pins: [number, number][]
  /** Headcount left once pins take their slots. */
  itemSupply: Int32Array
}

export const keyOf = (m: Model, c: number): CandidateKey => {
  const cand = m.candidates[c] as MatchCandidate
  return `${cand.kind}:${cand.id}`
}

const nonNegative = (x: number) => (Number.isFinite(x) && x > 0 ? x : 0)

export function intWeights(w: MatchWeights): IntWeights {
  const out = {} as IntWeights
  for (const f of FACTORS) out[f] = nonNegative(w[f]) * SCALE
  return out
}

const clamp01 = (x: number) => (x < 0 ? 0 : Math.min(x, 1))

export function loadValue(c: MatchCandidate): number {
  const cap = nonNegative(c.capacity)
  return cap === 0 ? 0 : clamp01(1 - Math.max(0, c.load || 0) / cap)
}

export function ratingValue(c: MatchCandidate): number {
  if (c.ratingAverage === null || !Number.isFinite(c.ratingAverage) || c.ratingCount <= 0)
    return 0.5
  return clamp01((c.ratingAverage - 1) / 4)
}

/** Free capacity before pins: capacity - load. */
export const freeCapacity = (c: MatchCandidate): number =>
  Math.floor(nonNegative(c.capacity)) - Math.max(0, Math.floor(c.load || 0))

/** Growable Int32 buffer. */
export class IntBuf {
  a = new Int32Array(1024)
  n = 0
  push(v: number) {
    if (this.n === this.a.length) {
      const b = new Int32Array(this.a.length * 2)
      b.set(this.a)
      this.a = b
    }
    this.a[this.n++] = v
  }
  done(): Int32Array {
    return this.a.slice(0, this.n)
  }
}

/** The prepared model; `lists: false` skips the candidate lists (scoring single pairs). */
export function buildModel(input: MatchInput, options: { lists?: boolean } = {}): Model {
  const items = [...input.items].sort((a, b) => a.id - b.id)
  const candidates = [...input.candidates].sort(compareKeys)
  const I = items.length
  const C = candidates.length
  const itemIndex = new Map<number, number>()
  items.forEach((it, i) => {
    if (itemIndex.has(it.id)) throw new Error(`matching: duplicate item id ${it.id}`)
    itemIndex.set(it.id, i)
  })
  for (let c = 1; c < C; c++) {
    if (compareKeys(candidates[c - 1] as MatchCandidate, candidates[c] as MatchCandidate) === 0) {
      const d = candidates[c] as MatchCandidate
      throw new Error(`matching: duplicate candidate ${d.kind}:${d.id}`)
    }
  }

  const weights = intWeights(input.weights)
  const tierPoints = Int32Array.from(
    FIT_BY_TIER.map((f) => Math.round(weights.skill * FIT_VALUE[f])),
  )
  const profPoints = Int32Array.from(
    [0, 1, 2, 3, 4, 5].map((p) => Math.round(weights.proficiency * (p / 5))),
  )
  const proxPoints = Int32Array.from(
    (['park', 'district', 'city'] as const).map((k) =>
      Math.round(weights.proximity * PROXIMITY_VALUE[k]),
    ),
  )
  const pairSlack = Math.round(weights.availability) + Math.round(weights.continuity)

  // --- taxonomy nodes
  const nodeOf = new Map<number, number>()
  const nodeSkillId: number[] = []
  const parentOf = input.taxonomy.parentOf
  const node = (skillId: number): number => {
    let n = nodeOf.get(skillId)
    if (n === undefined) {
      n = nodeSkillId.length
      nodeOf.set(skillId, n)
      nodeSkillId.push(skillId)
    }
    return n
  }
  for (const [id, parent] of parentOf) {
    node(id)
    if (parent !== null) node(parent)
  }
  for (const it of items) for (const s of it.skillIds) node(s)
  for (const c of candidates) for (const s of c.skills) node(s.skillId)
  const N = nodeSkillId.length
  const nodeDepth = new Int32Array(N)
  const nodeDomain = new Int32Array(N)
  const nodeField = new Int32Array(N)
  const ancStart = new Int32Array(N + 1)
  const ancAll: number[] = []
  for (let n = 0; n < N; n++) {
    const chain = [n]
    let id = nodeSkillId[n] as number
    for (let guard = 0; guard < 64; guard++) {
      const p = parentOf.get(id)
      if (p === null || p === undefined) break
      const pn = nodeOf.get(p) as number
      if (chain.includes(pn)) break // a cycle: stop at the repeat
      chain.push(pn)
      id = p
    }
    chain.reverse()
    nodeDepth[n] = chain.length - 1
    nodeDomain[n] = chain[0] as number
    nodeField[n] = chain.length > 1 ? (chain[1] as number) : -1
    for (const a of chain) ancAll.push(a)
    ancStart[n + 1] = ancAll.length
  }
  const anc = Int32Array.from(ancAll)

  // --- items
  const districts = new Map<string, number>()
  const parks = new Map<string, number>()
  const enterprises = new Map<number, number>()
  const intern = <K>(map: Map<K, number>, k: K) => {
    if (!map.has(k)) map.set(k, map.size)
  }
  for (const it of items) {
    if (it.district !== null) intern(districts, it.district)
    if (it.park !== null) intern(parks, it.park)
    intern(enterprises, it.enterpriseId)
  }
  const itemSkillStart = new Int32Array(I + 1)
  const itemSkills: number[] = []
  const itemWinFrom = new Int32Array(I)
  const itemWinTo = new Int32Array(I)
  const itemWinDays = new Int32Array(I)
  const itemDistrict = new Int32Array(I)
  const itemPark = new Int32Array(I)
  const itemEnterprise = new Int32Array(I)
  items.forEach((it, i) => {
    for (const s of new Set(it.skillIds)) itemSkills.push(nodeOf.get(s) as number)
    itemSkillStart[i + 1] = itemSkills.length
    const w = itemWindow(it)
    if (w) {
      itemWinFrom[i] = w.from
      itemWinTo[i] = w.to
      itemWinDays[i] = w.to - w.from + 1
    }
    itemDistrict[i] = it.district === null ? -1 : (districts.get(it.district) as number)
    itemPark[i] = it.park === null ? -1 : (parks.get(it.park) as number)
    itemEnterprise[i] = enterprises.get(it.enterpriseId) as number
  })

  // --- candidates
  const rec = new Int32Array(C * REC)
  const cvar = new IntBuf()
  const candRemaining = new Int32Array(C)
  const ranges: [number, number][] = []
  const skNode: number[] = []
  const skProf: number[] = []
  for (let c = 0; c < C; c++) {
    const cand = candidates[c] as MatchCandidate
    const r = c * REC
    rec[r + R_VAR] = cvar.n
    // skills: one entry per node, at its best proficiency
    skNode.length = 0
    skProf.length = 0
    for (const s of cand.skills) {
      const n = nodeOf.get(s.skillId) as number
      const p = Math.min(
        5,
        Math.max(1, Math.round(Number.isFinite(s.proficiency) ? s.proficiency : 1)),
      )
      const at = skNode.indexOf(n)
      if (at === -1) {
        skNode.push(n)
        skProf.push(p)
      } else if ((skProf[at] as number) < p) skProf[at] = p
    }
    for (let k = 0; k < skNode.length; k++) {
      cvar.push(skNode[k] as number)
      cvar.push(skProf[k] as number)
    }
    rec[r + R_NSKILL] = skNode.length
    let k = 0
    for (const d of cand.districts) {
      const v = districts.get(d)
      if (v !== undefined) {
        cvar.push(v)
        k++
      }
    }
    rec[r + R_NDIST] = k
    k = 0
    for (const p of cand.parks) {
      const v = parks.get(p)
      if (v !== undefined) {
        cvar.push(v)
        k++
      }
    }
    rec[r + R_NPARK] = k
    k = 0
    for (const e of cand.pastEnterpriseIds) {
      const v = enterprises.get(e)
      if (v !== undefined) {
        cvar.push(v)
        k++
      }
    }
    rec[r + R_NPAST] = k
    // blackouts, merged and sorted
    ranges.length = 0
    for (const b of cand.blackouts) {
      let a = dayNumber(b.from)
      let z = dayNumber(b.to)
      if (a === NO_DAY && z === NO_DAY) continue
      if (a === NO_DAY) a = z
      if (z === NO_DAY) z = a
      if (z < a) [a, z] = [z, a]
      ranges.push([a, z])
    }
    if (ranges.length > 1) ranges.sort((x, y) => x[0] - y[0])
    k = 0
    let cur0 = 0
    let cur1 = 0
    for (let q = 0; q < ranges.length; q++) {
      const [a, z] = ranges[q] as [number, number]
      if (q > 0 && a <= cur1 + 1) cur1 = Math.max(cur1, z)
      else {
        if (q > 0) {
          cvar.push(cur0)
          cvar.push(cur1)
          k++
        }
        cur0 = a
        cur1 = z
      }
    }
    if (ranges.length > 0) {
      cvar.push(cur0)
      cvar.push(cur1)
      k++
    }
    rec[r + R_NBLACK] = k
    // item-independent factors
    let best = -1
    let bestValue = 0
    for (let h = 0; h < cand.honours.length; h++) {
      const v = HONOUR_VALUE[honourLevel(cand.honours[h] as CandidateHonour)] ?? 0
      if (v > bestValue) {
        bestValue = v
        best = h
      }
    }
    const hp = Math.round(weights.honour * bestValue)
    const lp = Math.round(weights.load * loadValue(cand))
    const rp = Math.round(weights.rating * ratingValue(cand))
    rec[r + R_HONOUR] = hp
    rec[r + R_LOAD] = lp
    rec[r + R_RATING] = rp
    rec[r + R_BESTHONOUR] = best
    rec[r + R_BASE] = hp + lp + rp
    let mask = 0
    for (const w of cand.weekdays) if (Number.isInteger(w) && w >= 1 && w <= 7) mask |= 1 << (w - 1)
    rec[r + R_WEEKMASK] = mask
    rec[r + R_CITYWIDE] = cand.districts.length === 0 ? 1 : 0
    candRemaining[c] = freeCapacity(cand)
  }

  // --- constraints
  const pairKey = (i: number, c: number) => i * C + c
  const volunteer = new Set<number>()
  candidates.forEach((cand, c) => {
    for (const itemId of cand.volunteeredItemIds) {
      const i = itemIndex.get(itemId)
      if (i !== undefined) volunteer.add(pairKey(i, c))
    }
  })
  const pinned = new Set<number>()
  const pins: [number, number][] = []
  const excluded = new Set<number>()
  const constraints = input.constraints
  if (constraints && (constraints.pinned.length > 0 || constraints.excluded.length > 0)) {
    const candidateIndex = new Map<string, number>()
    candidates.forEach((cand, c) => {
      candidateIndex.set(`${cand.kind}:${cand.id}`, c)
    })
    const resolve = (p: Pin): [number, number] | null => {
      const i = itemIndex.get(p.itemId)
      const c = candidateIndex.get(p.key)
      return i === undefined || c === undefined ? null : [i, c]
    }
    for (const p of constraints.pinned) {
      const r = resolve(p)
      if (r && !pinned.has(pairKey(r[0], r[1]))) {
        pinned.add(pairKey(r[0], r[1]))
        pins.push(r)
      }
    }
    for (const p of constraints.excluded) {
      const r = resolve(p)
      // A pin wins over an exclusion of the same pair.
      if (r && !pinned.has(pairKey(r[0], r[1]))) excluded.add(pairKey(r[0], r[1]))
    }
  }
  const itemSupply = new Int32Array(I)
  items.forEach((it, i) => {
    itemSupply[i] = Math.max(0, Math.floor(nonNegative(it.headcount)))
  })
  for (const [i, c] of pins) {
    itemSupply[i] = Math.max(0, (itemSupply[i] as number) - 1)
    candRemaining[c] = (candRemaining[c] as number) - 1
  }
  for (let c = 0; c < C; c++) rec[c * REC + R_REMAINING] = candRemaining[c] as number

  const model: Model = {
    items,
    candidates,
    itemIndex,
    weights,
    tierPoints,
    profPoints,
    proxPoints,
    pairSlack,
    nodeCount: N,
    nodeSkillId,
    nodeDepth,
    nodeDomain,
    nodeField,
    ancStart,
    anc,
    listSlots: 2 + districts.size + parks.size,
    districtCount: districts.size,
    parkCount: parks.size,
    listStart: new Int32Array(0),
    listData: new Int32Array(0),
    itemSkillStart,
    itemSkillNode: Int32Array.from(itemSkills),
    itemWinFrom,
    itemWinTo,
    itemWinDays,
    itemDistrict,
    itemPark,
    itemEnterprise,
    candRec: rec,
    candVar: cvar.done(),
    candRemaining,
    volunteer,
    excluded,
    pinned,
    pins,
    itemSupply,
  }
  if (options.lists !== false) buildLists(model)
  return model
}

/** List slots per node: all holders, city-wide ones, then one per district, one per park. */
export const SLOT_ALL = 0
export const SLOT_CITY = 1
/** Entry flags: the candidate's weekday mask in the low 7 bits, then these. */
export const ENTRY_WEEKMASK = 0x7f
export const ENTRY_PAST = 0x80
export const ENTRY_FULL = 0x100

/**
 * For every taxonomy node, the candidates holding a skill in its subtree with
 * their best proficiency there, sorted by the bound key (best first); and the
 * same split by where they serve (city-wide, each district, each park of the
 * batch's items), so an item reads the candidates near it under a bound with
 * the proximity points and the rest under a bound without them.
 */
function buildLists(m: Model) {
  const C = m.candidates.length
  const N = m.nodeCount
  const S = m.listSlots
  const D = m.districtCount
  const L = N * S
  const rec = m.candRec
  const cv = m.candVar
  // best proficiency per (node, candidate)
  const eNode = new IntBuf()
  const eCand = new IntBuf()
  const eProf = new IntBuf()
  const mark = new Int32Array(N).fill(-1)
  const markAt = new Int32Array(N)
  for (let c = 0; c < C; c++) {
    const v = rec[c * REC + R_VAR] as number
    const ns = rec[c * REC + R_NSKILL] as number
    for (let s = 0; s < ns; s++) {
      const x = cv[v + 2 * s] as number
      const p = cv[v + 2 * s + 1] as number
      for (let a = m.ancStart[x] as number; a < (m.ancStart[x + 1] as number); a++) {
        const n = m.anc[a] as number
        if (mark[n] === c) {
          const at = markAt[n] as number
          if ((eProf.a[at] as number) < p) eProf.a[at] = p
        } else {
          mark[n] = c
          markAt[n] = eNode.n
          eNode.push(n)
          eCand.push(c)
          eProf.push(p)
        }
      }
    }
  }
  const total0 = eNode.n
  const en = eNode.a
  const ec = eCand.a
  // Where each candidate's entries go: its node's SLOT_ALL list and, when it
  // has capacity left, the lists of where it serves.
  const slotStart = new Int32Array(C + 1)
  const slots = new IntBuf()
  for (let c = 0; c < C; c++) {
    const r = c * REC
    slots.push(SLOT_ALL)
    if ((rec[r + R_REMAINING] as number) > 0) {
      if (rec[r + R_CITYWIDE] === 1) slots.push(SLOT_CITY)
      const v = (rec[r + R_VAR] as number) + 2 * (rec[r + R_NSKILL] as number)
      const nd = rec[r + R_NDIST] as number
      for (let k = 0; k < nd; k++) slots.push(2 + (cv[v + k] as number))
      const np = rec[r + R_NPARK] as number
      for (let k = 0; k < np; k++) slots.push(2 + D + (cv[v + nd + k] as number))
    }
    slotStart[c + 1] = slots.n
  }
  const sl = slots.a
  const count = new Int32Array(L + 1)
  const keys = new Int32Array(total0)
  let maxKey = 0
  for (let e = 0; e < total0; e++) {
    const c = ec[e] as number
    const key = (m.profPoints[eProf.a[e] as number] as number) + (rec[c * REC + R_BASE] as number)
    keys[e] = key
    if (key > maxKey) maxKey = key
    const base = (en[e] as number) * S + 1
    for (let k = slotStart[c] as number; k < (slotStart[c + 1] as number); k++) {
      const l = base + (sl[k] as number)
      count[l] = (count[l] as number) + 1
    }
  }
  for (let l = 0; l < L; l++) count[l + 1] = (count[l + 1] as number) + (count[l] as number)
  const start = Int32Array.from(count)
  const total = start[L] as number
  // Each list sorted by key desc, then candidate asc: the entries, in
  // candidate order, are counting-sorted by key, then stably by list.
  const byKey = new Int32Array(maxKey + 2)
  for (let e = 0; e < total0; e++) {
    const b = maxKey - (keys[e] as number) + 1
    byKey[b] = (byKey[b] as number) + 1
  }
  for (let b = 0; b <= maxKey; b++) byKey[b + 1] = (byKey[b + 1] as number) + (byKey[b] as number)
  const order = new Int32Array(total0)
  for (let e = 0; e < total0; e++) {
    const b = maxKey - (keys[e] as number)
    order[byKey[b] as number] = e
    byKey[b] = (byKey[b] as number) + 1
  }
  const data = new Int32Array(3 * total)
  const fill = count
  for (let o = 0; o < total0; o++) {
    const e = order[o] as number
    const c = ec[e] as number
    const r = c * REC
    const key = keys[e] as number
    const flags =
      ((rec[r + R_WEEKMASK] as number) & ENTRY_WEEKMASK) |
      ((rec[r + R_NPAST] as number) > 0 ? ENTRY_PAST : 0) |
      ((rec[r + R_REMAINING] as number) <= 0 ? ENTRY_FULL : 0)
    const base = (en[e] as number) * S
    for (let k = slotStart[c] as number; k < (slotStart[c + 1] as number); k++) {
      const l = base + (sl[k] as number)
      const at = fill[l] as number
      fill[l] = at + 1
      data[3 * at] = c
      data[3 * at + 1] = key
      data[3 * at + 2] = flags
    }
  }
  m.listStart = start
  m.listData = data
}

// ---------------------------------------------------------------------------
// Pair scoring (hot path)

/** Whether node x lies in the subtree of node n (n itself included). */
export function inSubtree(m: Model, x: number, n: number): boolean {
  const d = m.nodeDepth[n] as number
  return (m.nodeDepth[x] as number) >= d && m.anc[(m.ancStart[x] as number) + d] === n
}

/** Fit tier of candidate node x for item node n: 3 exact, 2 sibling, 1 same domain, 0 none. */
export function tierOf(m: Model, n: number, x: number): number {
  if (inSubtree(m, x, n)) return 3
  const f = m.nodeField[n] as number
  if (f !== -1 && m.nodeField[x] === f) return 2
  return m.nodeDomain[n] === m.nodeDomain[x] ? 1 : 0
}

/** Scratch output of the last bestFit call. */
export const fitOut = { tier: 0, prof: 0, itemNode: -1, candNode: -1 }

/** The best (fit, then proficiency) over the item's skills × the candidate's; tier 0 when none. */
export function bestFit(m: Model, i: number, c: number): number {
  let bestTier = 0
  let bestProf = 0
  let bestN = -1
  let bestX = -1
  const s0 = m.itemSkillStart[i] as number
  const s1 = m.itemSkillStart[i + 1] as number
  const cv = m.candVar
  const v = m.candRec[c * REC + R_VAR] as number
  const ns = m.candRec[c * REC + R_NSKILL] as number
  for (let s = s0; s < s1; s++) {
    const n = m.itemSkillNode[s] as number
    for (let k = 0; k < ns; k++) {
      const x = cv[v + 2 * k] as number
      const t = tierOf(m, n, x)
      if (t === 0) continue
      const p = cv[v + 2 * k + 1] as number
      if (t > bestTier || (t === bestTier && p > bestProf)) {
        bestTier = t
        bestProf = p
        bestN = n
        bestX = x
      }
    }
  }
  fitOut.tier = bestTier
  fitOut.prof = bestProf
  fitOut.itemNode = bestN
  fitOut.candNode = bestX
  return bestTier
}

/** Best proficiency of candidate c among its skills in the subtree of node n (0 when none). */
export function profIn(m: Model, c: number, n: number): number {
  const cv = m.candVar
  const v = m.candRec[c * REC + R_VAR] as number
  const ns = m.candRec[c * REC + R_NSKILL] as number
  let prof = 0
  for (let k = 0; k < ns; k++) {
    const p = cv[v + 2 * k + 1] as number
    if (p > prof && inSubtree(m, cv[v + 2 * k] as number, n)) prof = p
  }
  return prof
}

/** Free days of candidate c in item i's window (0 when the item has none). */
export function freeDays(m: Model, i: number, c: number): number {
  const days = m.itemWinDays[i] as number
  if (days === 0) return 0
  const a = m.itemWinFrom[i] as number
  const b = m.itemWinTo[i] as number
  const r = c * REC
  const mask = m.candRec[r + R_WEEKMASK] as number
  let free = weekdayDays(a, b, mask)
  const nb = m.candRec[r + R_NBLACK] as number
  if (free === 0 || nb === 0) return free
  const cv = m.candVar
  const v =
    (m.candRec[r + R_VAR] as number) +
    2 * (m.candRec[r + R_NSKILL] as number) +
    (m.candRec[r + R_NDIST] as number) +
    (m.candRec[r + R_NPARK] as number) +
    (m.candRec[r + R_NPAST] as number)
  for (let k = 0; k < nb; k++) {
    const lo = Math.max(a, cv[v + 2 * k] as number)
    const hi = Math.min(b, cv[v + 2 * k + 1] as number)
    if (lo <= hi) free -= weekdayDays(lo, hi, mask)
  }
  return free
}

/** Proximity class of a pair: 0 none, 1 city-wide, 2 same district, 3 same park. */
export function proximityClass(m: Model, i: number, c: number): number {
  const r = c * REC
  const cv = m.candVar
  const v = (m.candRec[r + R_VAR] as number) + 2 * (m.candRec[r + R_NSKILL] as number)
  const nd = m.candRec[r + R_NDIST] as number
  const park = m.itemPark[i] as number
  if (park >= 0) {
    const np = m.candRec[r + R_NPARK] as number
    for (let k = 0; k < np; k++) if (cv[v + nd + k] === park) return 3
  }
  const d = m.itemDistrict[i] as number
  if (d >= 0) {
    for (let k = 0; k < nd; k++) if (cv[v + k] === d) return 2
  }
  return m.candRec[r + R_CITYWIDE] === 1 ? 1 : 0
}

const PROXIMITY_BY_CLASS: readonly ProximityMatch[] = ['none', 'city', 'district', 'park']

/** Proximity match of candidate c to item i. */
export function proximityOf(m: Model, i: number, c: number): ProximityMatch {
  return PROXIMITY_BY_CLASS[proximityClass(m, i, c)] as ProximityMatch
}

/** Whether candidate c served item i's enterprise before. */
export function servedBefore(m: Model, i: number, c: number): boolean {
  const r = c * REC
  const np = m.candRec[r + R_NPAST] as number
  if (np === 0) return false
  const e = m.itemEnterprise[i] as number
  const v =
    (m.candRec[r + R_VAR] as number) +
    2 * (m.candRec[r + R_NSKILL] as number) +
    (m.candRec[r + R_NDIST] as number) +
    (m.candRec[r + R_NPARK] as number)
  for (let k = 0; k < np; k++) if (m.candVar[v + k] === e) return true
  return false
}

/**
 * The pair's score in milli-points, or -1 when c is not a candidate for i
 * (no fit and not a volunteer, or no free day in the window and not a volunteer).
 * Does not look at capacity, pins or exclusions.
 */
export function pairScore(m: Model, i: number, c: number): number {
  const vol = m.volunteer.size > 0 && m.volunteer.has(i * m.candidates.length + c)
  const tier = bestFit(m, i, c)
  if (tier === 0 && !vol) return -1
  const w = m.weights
  const r = c * REC
  let score =
    (m.tierPoints[tier] as number) +
    (m.profPoints[fitOut.prof] as number) +
    (m.candRec[r + R_BASE] as number)
  const days = m.itemWinDays[i] as number
  if (days > 0) {
    const free = freeDays(m, i, c)
    if (free === 0 && !vol) return -1
    score += Math.round((w.availability * free) / days)
  } else if (m.candRec[r + R_WEEKMASK] !== 0) {
    score += Math.round(w.availability)
  }
  const cls = proximityClass(m, i, c)
  if (cls > 0) score += m.proxPoints[3 - cls] as number
  if (servedBefore(m, i, c)) score += Math.round(w.continuity)
  if (vol) score += Math.round(w.volunteer)
  return score > 0 ? score : 1
}

// ---------------------------------------------------------------------------
// Explanations

export interface PairExplanation {
  /** Score in points (milli-points / 1000). */
  score: number
  /** Score in integer milli-points, as the solver sees it. */
  scoreMilli: number
  skillFit: SkillFit
  factors: ScoreFactor[]
}

const points = (milli: number) => milli / SCALE

/**
 * The factors behind pairScore(m, i, c), one per non-zero factor; null when c
 * is not a candidate for i, unless `force` (a pinned pair is explained
 * whatever it is; its score is then the plain sum of its factors).
 */
export function explainPair(m: Model, i: number, c: number, force: true): PairExplanation
export function explainPair(m: Model, i: number, c: number, force?: boolean): PairExplanation | null
export function explainPair(m: Model, i: number, c: number, force = false): PairExplanation | null {
  const feasible = pairScore(m, i, c)
  if (feasible < 0 && !force) return null
  const C = m.candidates.length
  const cand = m.candidates[c] as MatchCandidate
  const w = m.weights
  const factors: ScoreFactor[] = []
  let sum = 0
  const add = (factor: FactorName, milli: number, detail: Record<string, unknown>) => {
    if (milli <= 0) return
    sum += milli
    factors.push({ factor, points: points(milli), detail })
  }
  const tier = bestFit(m, i, c)
  const skillFit = FIT_BY_TIER[tier] as SkillFit
  if (tier > 0) {
    const itemSkillId = m.nodeSkillId[fitOut.itemNode] as number
    const candSkillId = m.nodeSkillId[fitOut.candNode] as number
    const level = fitOut.prof
    add('skill', m.tierPoints[tier] as number, {
      fit: skillFit,
      skillId: itemSkillId,
      candidateSkillId: candSkillId,
    })
    add('proficiency', m.profPoints[level] as number, { level, skillId: candSkillId })
  }
  const hi = m.candRec[c * REC + R_BESTHONOUR] as number
  if (hi >= 0) {
    const h = cand.honours[hi] as CandidateHonour
    add('honour', m.candRec[c * REC + R_HONOUR] as number, {
      type: h.type,
      level: honourLevel(h),
      year: h.year,
    })
  }
  const match = proximityOf(m, i, c)
  const item = m.items[i] as MatchItem
  const proxMilli =
    match === 'none'
      ? 0
      : (m.proxPoints[match === 'park' ? 0 : match === 'district' ? 1 : 2] as number)
  add('proximity', proxMilli, {
    match,
    ...(match === 'park'
      ? { park: item.park }
      : match === 'district'
        ? { district: item.district }
        : {}),
  })
  const days = m.itemWinDays[i] as number
  if (days > 0) {
    const free = freeDays(m, i, c)
    add('availability', Math.round((w.availability * free) / days), {
      freeDays: free,
      windowDays: days,
    })
  } else if (m.candRec[c * REC + R_WEEKMASK] !== 0) {
    add('availability', Math.round(w.availability), {
      freeDays: null,
      windowDays: 0,
      weekdays: [...new Set(cand.weekdays)].sort((a, b) => a - b),
    })
  }
  add('load', m.candRec[c * REC + R_LOAD] as number, { load: cand.load, capacity: cand.capacity })
  add('rating', m.candRec[c * REC + R_RATING] as number, {
    average: cand.ratingCount > 0 ? cand.ratingAverage : null,
    count: cand.ratingCount,
  })
  if (servedBefore(m, i, c)) {
    add('continuity', Math.round(w.continuity), { served: true, enterpriseId: item.enterpriseId })
  }
  if (m.volunteer.has(i * C + c)) add('volunteer', Math.round(w.volunteer), { volunteered: true })
  const scoreMilli = feasible >= 0 ? feasible : sum
  return { score: points(scoreMilli), scoreMilli, skillFit, factors }
}

/**
 * Scores one pair outside a batch (for a profile page or a test): null when
 * the candidate is not a candidate for the item (no skill fit and not a
 * volunteer, or no free day in the window).
 */
export function scorePair(
  item: MatchItem,
  candidate: MatchCandidate,
  taxonomy: TaxonomyIndex,
  weights: MatchWeights = DEFAULT_WEIGHTS,
): PairExplanation | null {
  const m = buildModel(
    { items: [item], candidates: [candidate], taxonomy, weights },
    { lists: false },
  )
  return explainPair(m, 0, 0)
}
