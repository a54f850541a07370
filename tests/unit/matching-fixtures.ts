/**
 * Shared fixtures of the matching engine tests: a small taxonomy, builders,
 * random instances (fast-check arbitraries and a seeded generator), and an
 * independent optimum through glpk.js.
 */
import fc from 'fast-check'
import GLPK from 'glpk.js/node'
import { scorePair } from '#workflows/matching/index.ts'
import { buildModel, pairScore } from '#workflows/matching/score.ts'
import {
  type CandidateKey,
  candidateKey,
  type MatchCandidate,
  type MatchInput,
  type MatchItem,
  type MatchResult,
  type Pin,
  type TaxonomyIndex,
} from '#workflows/matching/types.ts'

/**
 * Two domains (1, 2), each with two fields, each with three skills:
 *   1 → 11 → 111 112 113 ; 1 → 12 → 121 122 123
 *   2 → 21 → 211 212 213 ; 2 → 22 → 221 222 223
 */
export const DOMAINS = [1, 2]
export const FIELDS = [11, 12, 21, 22]
export const SKILLS = FIELDS.flatMap((f) => [f * 10 + 1, f * 10 + 2, f * 10 + 3])
export const NODES = [...DOMAINS, ...FIELDS, ...SKILLS]

export const taxonomy: TaxonomyIndex = {
  parentOf: new Map<number, number | null>([
    ...DOMAINS.map((d) => [d, null] as [number, null]),
    ...FIELDS.map((f) => [f, Math.floor(f / 10)] as [number, number]),
    ...SKILLS.map((s) => [s, Math.floor(s / 10)] as [number, number]),
  ]),
}

export function item(patch: Partial<MatchItem> = {}): MatchItem {
  return {
    id: 1,
    headcount: 1,
    skillIds: [111],
    windowStart: null,
    windowEnd: null,
    district: null,
    park: null,
    enterpriseId: 500,
    ...patch,
  }
}

export function candidate(patch: Partial<MatchCandidate> = {}): MatchCandidate {
  return {
    kind: 'expert',
    id: 1,
    name: '测试专家',
    skills: [{ skillId: 111, proficiency: 3 }],
    honours: [],
    districts: ['东湖区'],
    parks: [],
    weekdays: [1, 2, 3, 4, 5],
    blackouts: [],
    capacity: 2,
    load: 0,
    ratingAverage: null,
    ratingCount: 0,
    pastEnterpriseIds: [],
    volunteeredItemIds: [],
    ...patch,
  }
}

const DISTRICTS = ['东湖区', '西岭区', '南港区']
const PARKS = ['云谷园', '星河园']

const itemArb = fc.record({
  headcount: fc.integer({ min: 1, max: 3 }),
  skillIds: fc.uniqueArray(
    fc.oneof(
      { weight: 5, arbitrary: fc.constantFrom(...SKILLS) },
      fc.constantFrom(...FIELDS),
      fc.constantFrom(...DOMAINS),
    ),
    {
      minLength: 1,
      maxLength: 2,
    },
  ),
  window: fc.option(
    fc.record({ start: fc.integer({ min: 0, max: 20 }), length: fc.integer({ min: 0, max: 13 }) }),
    { nil: null },
  ),
  district: fc.option(fc.constantFrom(...DISTRICTS), { nil: null }),
  park: fc.option(fc.constantFrom(...PARKS), { nil: null }),
  enterpriseId: fc.integer({ min: 1, max: 4 }),
})

const day = (offset: number) => {
  const d = new Date(Date.UTC(2026, 2, 2 + offset))
  return d.toISOString().slice(0, 10)
}

const candidateArb = fc.record({
  skills: fc.uniqueArray(
    fc.record({
      skillId: fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...SKILLS) },
        fc.constantFrom(...FIELDS),
        fc.constantFrom(...DOMAINS),
      ),
      proficiency: fc.integer({ min: 1, max: 5 }),
    }),
    { maxLength: 3, selector: (s) => s.skillId },
  ),
  honours: fc.array(
    fc.record({
      type: fc.constantFrom(
        'great_craftsman',
        'city_model_worker',
        'craftsman',
        'innovation_talent',
      ),
      level: fc.constantFrom(
        'national',
        'provincial',
        'city',
        'district',
        'enterprise',
      ) as fc.Arbitrary<MatchCandidate['honours'][number]['level']>,
      year: fc.constant(2020),
    }),
    { maxLength: 2 },
  ),
  districts: fc.subarray(DISTRICTS),
  parks: fc.subarray(PARKS),
  weekdays: fc.subarray([1, 2, 3, 4, 5, 6, 7]),
  blackouts: fc.array(
    fc.record({ start: fc.integer({ min: 0, max: 30 }), length: fc.integer({ min: 0, max: 10 }) }),
    { maxLength: 2 },
  ),
  capacity: fc.integer({ min: 0, max: 3 }),
  load: fc.integer({ min: 0, max: 3 }),
  rating: fc.option(fc.double({ min: 1, max: 5, noNaN: true }), { nil: null }),
  pastEnterpriseIds: fc.subarray([1, 2, 3, 4]),
  volunteer: fc.subarray([0, 1, 2, 3, 4, 5, 6, 7]),
})

export const DEFAULT_TEST_WEIGHTS = {
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

const weight = (max: number) => fc.oneof(fc.constant(0), fc.integer({ min: 1, max }))
const weightsArb = fc.record({
  skill: weight(40),
  proficiency: weight(20),
  honour: weight(20),
  proximity: weight(20),
  availability: weight(20),
  load: weight(10),
  rating: weight(10),
  continuity: weight(10),
  volunteer: weight(20),
})

/**
 * Random small batches. With `randomWeights`, weights vary too (zeros
 * included), which makes the solver's bounds tight and ties frequent.
 */
export const instanceArb = (
  opts: {
    minItems?: number
    maxItems?: number
    minCandidates?: number
    maxCandidates?: number
    randomWeights?: boolean
  } = {},
) =>
  fc
    .record({
      weights: opts.randomWeights
        ? fc.oneof(fc.constant(DEFAULT_TEST_WEIGHTS), weightsArb)
        : fc.constant(DEFAULT_TEST_WEIGHTS),
      items: fc.array(itemArb, { minLength: opts.minItems ?? 1, maxLength: opts.maxItems ?? 8 }),
      candidates: fc.array(candidateArb, {
        minLength: opts.minCandidates ?? 1,
        maxLength: opts.maxCandidates ?? 10,
      }),
      pins: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 3 }),
      excluded: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 4 }),
      volunteers: fc.boolean(),
    })
    .map((r): MatchInput => {
      const items = r.items.map(
        (x, i): MatchItem => ({
          id: 100 + i * 7,
          headcount: x.headcount,
          skillIds: x.skillIds,
          windowStart: x.window ? day(x.window.start) : null,
          windowEnd: x.window ? day(x.window.start + x.window.length) : null,
          district: x.district,
          park: x.park,
          enterpriseId: x.enterpriseId,
        }),
      )
      const candidates = r.candidates.map(
        (x, c): MatchCandidate => ({
          kind: c % 4 === 3 ? 'team' : 'expert',
          id: 10 + c,
          name: `候选${c}`,
          skills: x.skills,
          honours: x.honours,
          districts: x.districts,
          parks: x.parks,
          weekdays: x.weekdays,
          blackouts: x.blackouts.map((b) => ({ from: day(b.start), to: day(b.start + b.length) })),
          capacity: x.capacity,
          load: x.load,
          ratingAverage: x.rating,
          ratingCount: x.rating === null ? 0 : 3,
          pastEnterpriseIds: x.pastEnterpriseIds,
          volunteeredItemIds: r.volunteers
            ? x.volunteer.filter((i) => i < items.length).map((i) => (items[i] as MatchItem).id)
            : [],
        }),
      )
      const pin = ([i, c]: [number, number]): Pin => {
        const it = items[i % items.length] as MatchItem
        const ca = candidates[c % candidates.length] as MatchCandidate
        return { itemId: it.id, key: candidateKey(ca.kind, ca.id) }
      }
      const pinned = r.pins.map(pin)
      const pinnedKeys = new Set(pinned.map((p) => `${p.itemId}/${p.key}`))
      const excluded = r.excluded.map(pin).filter((p) => !pinnedKeys.has(`${p.itemId}/${p.key}`))
      return { items, candidates, taxonomy, weights: r.weights, constraints: { pinned, excluded } }
    })

/** Deterministic PRNG (mulberry32). */
export function rng(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A medium random instance from a seed (for the column generation tests). */
export function seededInstance(seed: number, nItems: number, nCandidates: number): MatchInput {
  const r = rng(seed)
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)] as T
  const items: MatchItem[] = Array.from({ length: nItems }, (_, i) => {
    const start = Math.floor(r() * 20)
    const hasWindow = r() < 0.8
    return {
      id: i + 1,
      headcount: 1 + Math.floor(r() * 3),
      skillIds: r() < 0.7 ? [pick(SKILLS)] : [pick(SKILLS), pick(NODES)],
      windowStart: hasWindow ? day(start) : null,
      windowEnd: hasWindow ? day(start + Math.floor(r() * 14)) : null,
      district: r() < 0.8 ? pick(DISTRICTS) : null,
      park: r() < 0.3 ? pick(PARKS) : null,
      enterpriseId: 1 + Math.floor(r() * 10),
    }
  })
  const candidates: MatchCandidate[] = Array.from({ length: nCandidates }, (_, c) => {
    const nSkills = 1 + Math.floor(r() * 3)
    const skills = new Map<number, number>()
    for (let k = 0; k < nSkills; k++)
      skills.set(r() < 0.9 ? pick(SKILLS) : pick(FIELDS), 1 + Math.floor(r() * 5))
    const capacity = 1 + Math.floor(r() * 3)
    return candidate({
      id: c + 1,
      name: `专家${c}`,
      skills: [...skills].map(([skillId, proficiency]) => ({ skillId, proficiency })),
      honours:
        r() < 0.3
          ? [
              {
                type: pick(['great_craftsman', 'craftsman', 'city_model_worker']),
                level: pick(['city', 'provincial', 'district'] as const),
                year: 2021,
              },
            ]
          : [],
      districts: r() < 0.15 ? [] : [pick(DISTRICTS)],
      parks: r() < 0.3 ? [pick(PARKS)] : [],
      weekdays:
        r() < 0.7 ? [1, 2, 3, 4, 5] : [pick([1, 2, 3, 4, 5, 6, 7]), pick([1, 2, 3, 4, 5, 6, 7])],
      blackouts:
        r() < 0.3 ? [{ from: day(Math.floor(r() * 20)), to: day(Math.floor(r() * 30)) }] : [],
      capacity,
      load: r() < 0.3 ? Math.floor(r() * (capacity + 1)) : 0,
      ratingAverage: r() < 0.5 ? 1 + r() * 4 : null,
      ratingCount: 2,
      pastEnterpriseIds: r() < 0.2 ? [1 + Math.floor(r() * 10)] : [],
      volunteeredItemIds: r() < 0.05 ? [1 + Math.floor(r() * nItems)] : [],
    })
  })
  const key = (c: MatchCandidate): CandidateKey => candidateKey(c.kind, c.id)
  const pinned: Pin[] = []
  const excluded: Pin[] = []
  for (let k = 0; k < Math.floor(nItems / 10); k++) {
    pinned.push({ itemId: pick(items).id, key: key(pick(candidates)) })
    excluded.push({ itemId: pick(items).id, key: key(pick(candidates)) })
  }
  const pinnedKeys = new Set(pinned.map((p) => `${p.itemId}/${p.key}`))
  return {
    items,
    candidates,
    taxonomy,
    weights: DEFAULT_TEST_WEIGHTS,
    constraints: {
      pinned,
      excluded: excluded.filter((p) => !pinnedKeys.has(`${p.itemId}/${p.key}`)),
    },
  }
}

const glpkReady = GLPK()

/**
 * Every pair's score in milli-points (-1 when not a candidate), from one model
 * of the whole batch (scorePair builds one per pair: the same numbers, slower;
 * `samePairScores` checks that).
 */
export function pairScores(input: MatchInput): (itemId: number, key: CandidateKey) => number {
  const m = buildModel(input, { lists: false })
  const cand = new Map(m.candidates.map((c, k) => [candidateKey(c.kind, c.id) as string, k]))
  return (itemId, key) => pairScore(m, m.itemIndex.get(itemId) as number, cand.get(key) as number)
}

/** Pairs where scorePair and the batch model disagree (empty when they agree). */
export function samePairScores(input: MatchInput): string[] {
  const score = pairScores(input)
  const out: string[] = []
  for (const it of input.items) {
    for (const ca of input.candidates) {
      const key = candidateKey(ca.kind, ca.id)
      const one = scorePair(it, ca, input.taxonomy, input.weights)?.scoreMilli ?? -1
      if (one !== score(it.id, key)) out.push(`${it.id}/${key}: ${one} ≠ ${score(it.id, key)}`)
    }
  }
  return out
}

/**
 * The optimum of the same problem by glpk's MIP solver, from the rules as
 * the brief states them and the scores of scorePair, in milli-points:
 * maximise Σ score·x over feasible, non-excluded, non-pinned pairs, each item
 * at most (headcount - its pins), each candidate at most
 * (capacity - load - its pins), x binary.
 */
export async function glpkOptimum(input: MatchInput): Promise<number> {
  const glpk = await glpkReady
  const pinned = new Set((input.constraints?.pinned ?? []).map((p) => `${p.itemId}/${p.key}`))
  const excluded = new Set((input.constraints?.excluded ?? []).map((p) => `${p.itemId}/${p.key}`))
  const pinsOfItem = new Map<number, number>()
  const pinsOfCand = new Map<string, number>()
  const uniquePins = new Map(
    (input.constraints?.pinned ?? []).map((p) => [`${p.itemId}/${p.key}`, p]),
  )
  for (const p of uniquePins.values()) {
    if (!input.items.some((i) => i.id === p.itemId)) continue
    if (!input.candidates.some((c) => candidateKey(c.kind, c.id) === p.key)) continue
    pinsOfItem.set(p.itemId, (pinsOfItem.get(p.itemId) ?? 0) + 1)
    pinsOfCand.set(p.key, (pinsOfCand.get(p.key) ?? 0) + 1)
  }
  const vars: { name: string; coef: number }[] = []
  const byItem = new Map<number, string[]>()
  const byCand = new Map<string, string[]>()
  const score = pairScores(input)
  for (const it of input.items) {
    for (const ca of input.candidates) {
      const key = candidateKey(ca.kind, ca.id)
      const pair = `${it.id}/${key}`
      if (pinned.has(pair) || excluded.has(pair)) continue
      const s = score(it.id, key)
      if (s < 0) continue
      const name = `x_${it.id}_${ca.kind}_${ca.id}`
      vars.push({ name, coef: s })
      byItem.set(it.id, [...(byItem.get(it.id) ?? []), name])
      byCand.set(key, [...(byCand.get(key) ?? []), name])
    }
  }
  if (vars.length === 0) return 0
  const subjectTo = [
    ...input.items.map((it) => ({
      name: `item_${it.id}`,
      vars: (byItem.get(it.id) ?? []).map((name) => ({ name, coef: 1 })),
      bnds: {
        type: glpk.GLP_UP,
        lb: 0,
        ub: Math.max(0, it.headcount - (pinsOfItem.get(it.id) ?? 0)),
      },
    })),
    ...input.candidates.map((ca) => {
      const key = candidateKey(ca.kind, ca.id)
      return {
        name: `cand_${ca.kind}_${ca.id}`,
        vars: (byCand.get(key) ?? []).map((name) => ({ name, coef: 1 })),
        bnds: {
          type: glpk.GLP_UP,
          lb: 0,
          ub: Math.max(0, ca.capacity - ca.load - (pinsOfCand.get(key) ?? 0)),
        },
      }
    }),
  ].filter((r) => r.vars.length > 0)
  const res = glpk.solve(
    {
      name: 'matching',
      objective: { direction: glpk.GLP_MAX, name: 'total', vars },
      subjectTo,
      binaries: vars.map((v) => v.name),
    },
    { msglev: glpk.GLP_MSG_OFF },
  )
  if (res.result.status !== glpk.GLP_OPT) throw new Error(`glpk status ${res.result.status}`)
  return Math.round(res.result.z)
}

/** Problems with the result's feasibility (empty when feasible). */
export function feasibilityProblems(input: MatchInput, result: MatchResult): string[] {
  const problems: string[] = []
  const pinned = input.constraints?.pinned ?? []
  const pinnedKeys = new Set(pinned.map((p) => `${p.itemId}/${p.key}`))
  const excluded = new Set((input.constraints?.excluded ?? []).map((p) => `${p.itemId}/${p.key}`))
  const seen = new Set<string>()
  const perItem = new Map<number, number>()
  const perCand = new Map<string, number>()
  for (const a of result.assignments) {
    const pair = `${a.itemId}/${a.key}`
    if (seen.has(pair)) problems.push(`${pair} twice`)
    seen.add(pair)
    if (a.pinned !== pinnedKeys.has(pair)) problems.push(`${pair} pinned flag wrong`)
    if (a.pinned) continue
    if (excluded.has(pair)) problems.push(`${pair} is excluded`)
    perItem.set(a.itemId, (perItem.get(a.itemId) ?? 0) + 1)
    perCand.set(a.key, (perCand.get(a.key) ?? 0) + 1)
    const it = input.items.find((x) => x.id === a.itemId) as MatchItem
    const ca = input.candidates.find((x) => candidateKey(x.kind, x.id) === a.key) as MatchCandidate
    if (!scorePair(it, ca, input.taxonomy, input.weights))
      problems.push(`${pair} is not a candidate`)
  }
  for (const p of pinned) {
    const known =
      input.items.some((i) => i.id === p.itemId) &&
      input.candidates.some((c) => candidateKey(c.kind, c.id) === p.key)
    if (known && !seen.has(`${p.itemId}/${p.key}`))
      problems.push(`pin ${p.itemId}/${p.key} missing`)
  }
  const pinsOf = (pred: (p: Pin) => boolean) =>
    new Set(pinned.filter(pred).map((p) => `${p.itemId}/${p.key}`)).size
  for (const it of input.items) {
    const n = perItem.get(it.id) ?? 0
    if (n > Math.max(0, it.headcount - pinsOf((p) => p.itemId === it.id))) {
      problems.push(`item ${it.id} over headcount`)
    }
  }
  for (const ca of input.candidates) {
    const key = candidateKey(ca.kind, ca.id)
    const n = perCand.get(key) ?? 0
    if (n > Math.max(0, ca.capacity - ca.load - pinsOf((p) => p.key === key))) {
      problems.push(`candidate ${key} over capacity`)
    }
  }
  return problems
}
