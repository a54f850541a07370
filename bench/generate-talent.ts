/**
 * Generates a matching batch in memory (no database): the real reference
 * taxonomy (db/reference/skills.ts) with synthetic ids, a talent pool and a
 * batch of confirmed need items, from a seeded PRNG, so the same seed always
 * gives the same batch.
 *
 * Shape (roughly what a city or a province federation holds):
 * - fields have Zipf-like popularity (a few fields — electrical equipment,
 *   PV, safety — carry most experts and most needs), skills within a field too;
 * - experts hold 1–4 skills (35/35/20/10 %), mostly in their home field,
 *   some elsewhere in its domain, a few anywhere, 5 % a whole field;
 *   proficiency 1–5 centred on 3–4;
 * - honours: national 1.5 %, provincial 6 %, city 20 %, district 10 %,
 *   enterprise 10 %, none for the rest;
 * - 16 districts and 24 parks (invented names); 15 % of experts serve the
 *   whole city (no district), the rest 1–2 districts, a quarter a park;
 * - weekdays: Mon–Fri 55 %, all week 15 %, weekends + one day 15 %, 2–4
 *   random days 15 %; 30 % have 1–2 blackouts of 2–14 days in the horizon;
 * - capacity 1–3 (50/35/15 %), 40 % already hold some load (some at capacity);
 * - 60 % rated (average 3–5), 15 % served 1–3 of the batch's enterprises;
 * - items: 1 skill (70 %) or 2 (mostly the same domain), 10 % ask for a whole
 *   field; headcount 1–3 (55/30/15 %); 80 % have a window of 3–30 days within
 *   the next 60; a district each, a park for 30 %; 3 % are open challenges
 *   with 1–3 volunteers.
 */
import { referenceSkills } from '#db/reference/skills.ts'
import { DEFAULT_WEIGHTS } from '#workflows/matching/index.ts'
import type {
  CandidateHonour,
  MatchCandidate,
  MatchInput,
  MatchItem,
  TaxonomyIndex,
} from '#workflows/matching/types.ts'

/** Deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface TalentTaxonomy {
  taxonomy: TaxonomyIndex
  /** Field ids with their skill ids and domain id. */
  fields: { id: number; domain: number; skills: number[] }[]
}

/** The reference taxonomy with ids 1…n in reference order. */
export function referenceTaxonomy(): TalentTaxonomy {
  const rows = referenceSkills()
  const idOf = new Map<string, number>()
  rows.forEach((r, k) => {
    idOf.set(r.code, k + 1)
  })
  const parentOf = new Map<number, number | null>()
  const fields = new Map<number, { id: number; domain: number; skills: number[] }>()
  for (const r of rows) {
    const id = idOf.get(r.code) as number
    const parent = r.parentCode === null ? null : (idOf.get(r.parentCode) as number)
    parentOf.set(id, parent)
    if (r.level === 'field') fields.set(id, { id, domain: parent as number, skills: [] })
    if (r.level === 'skill') fields.get(parent as number)?.skills.push(id)
  }
  return { taxonomy: { parentOf }, fields: [...fields.values()].filter((f) => f.skills.length > 0) }
}

const DISTRICTS = [
  '青禾区',
  '云栖区',
  '澄江区',
  '梧桐区',
  '临湾区',
  '松岭区',
  '明湖区',
  '北川区',
  '南屏区',
  '东溪区',
  '西塘区',
  '金沙区',
  '石桥区',
  '柳岸区',
  '白鹭区',
  '新港区',
]
const PARKS = Array.from({ length: 24 }, (_, k) => `模拟产业园${k + 1}号`)
const BASE_DAY = Date.UTC(2026, 11, 1)
const HORIZON_DAYS = 90
const day = (offset: number) => new Date(BASE_DAY + offset * 86_400_000).toISOString().slice(0, 10)

/** Index drawn with probability ∝ weights (cumulative weights given). */
function draw(cumulative: number[], r: number): number {
  const total = cumulative[cumulative.length - 1] as number
  const x = r * total
  let lo = 0
  let hi = cumulative.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((cumulative[mid] as number) > x) hi = mid
    else lo = mid + 1
  }
  return lo
}

const cumulate = (ws: number[]) => {
  let s = 0
  return ws.map((w) => {
    s += w
    return s
  })
}

export interface TalentOptions {
  items: number
  experts: number
  seed?: number
  /** Every expert's capacity (for the dense baseline, which cannot bound a pair to once). */
  capacity?: number
}

export function generateTalent(options: TalentOptions): MatchInput {
  const r = rng(options.seed ?? 20261201)
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1))
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)] as T
  const { taxonomy, fields } = referenceTaxonomy()

  // Popularity: a shuffled Zipf over fields, and over skills within each field.
  const order = fields.map((_, k) => k).sort(() => r() - 0.5)
  const fieldWeight = new Array<number>(fields.length)
  order.forEach((f, rank) => {
    fieldWeight[f] = 1 / (rank + 1) ** 0.8
  })
  const fieldCum = cumulate(fieldWeight)
  const skillCum = fields.map((f) => cumulate(f.skills.map((_, k) => 1 / (k + 1) ** 0.6)))
  const byDomain = new Map<number, number[]>()
  fields.forEach((f, k) => {
    byDomain.set(f.domain, [...(byDomain.get(f.domain) ?? []), k])
  })
  const popularField = () => draw(fieldCum, r())
  const skillOf = (f: number) => {
    const field = fields[f] as (typeof fields)[number]
    return field.skills[draw(skillCum[f] as number[], r())] as number
  }
  const sameDomainField = (f: number) =>
    pick(byDomain.get((fields[f] as (typeof fields)[number]).domain) ?? [f])

  const enterprises = Math.max(1, Math.floor(options.items / 3))
  const items: MatchItem[] = Array.from({ length: options.items }, (_, k) => {
    const f = popularField()
    const first = r() < 0.1 ? (fields[f] as (typeof fields)[number]).id : skillOf(f)
    const skillIds = [first]
    if (r() < 0.3) {
      const second = skillOf(r() < 0.8 ? sameDomainField(f) : popularField())
      if (second !== first) skillIds.push(second)
    }
    const x = r()
    const headcount = x < 0.55 ? 1 : x < 0.85 ? 2 : 3
    const hasWindow = r() < 0.8
    const start = int(0, 60)
    return {
      id: k + 1,
      headcount,
      skillIds,
      windowStart: hasWindow ? day(start) : null,
      windowEnd: hasWindow ? day(start + int(2, 29)) : null,
      district: pick(DISTRICTS),
      park: r() < 0.3 ? pick(PARKS) : null,
      enterpriseId: int(1, enterprises),
    }
  })
  const challenges = items.filter(() => r() < 0.03)

  const profCum = cumulate([5, 15, 35, 30, 15])
  const honour = (): CandidateHonour[] => {
    const x = r()
    const year = int(2005, 2025)
    if (x < 0.015)
      return [
        {
          type: pick(['great_craftsman', 'national_model_worker', 'may_day_medal']),
          level: 'national',
          year,
        },
      ]
    if (x < 0.075) return [{ type: 'provincial_model_worker', level: 'provincial', year }]
    if (x < 0.275) return [{ type: pick(['city_model_worker', 'craftsman']), level: 'city', year }]
    if (x < 0.375) return [{ type: 'craftsman', level: 'district', year }]
    if (x < 0.475)
      return [{ type: pick(['chief_technician', 'innovation_talent']), level: 'enterprise', year }]
    return []
  }
  const weekdays = (): number[] => {
    const x = r()
    if (x < 0.55) return [1, 2, 3, 4, 5]
    if (x < 0.7) return [1, 2, 3, 4, 5, 6, 7]
    if (x < 0.85) return [6, 7, int(1, 5)]
    return [...new Set(Array.from({ length: int(2, 4) }, () => int(1, 7)))]
  }
  const candidates: MatchCandidate[] = Array.from({ length: options.experts }, (_, k) => {
    const home = popularField()
    const x = r()
    const nSkills = x < 0.35 ? 1 : x < 0.7 ? 2 : x < 0.9 ? 3 : 4
    const skills = new Map<number, number>()
    for (let s = 0; s < nSkills; s++) {
      const y = r()
      const f = y < 0.7 ? home : y < 0.9 ? sameDomainField(home) : popularField()
      const id = r() < 0.05 ? (fields[f] as (typeof fields)[number]).id : skillOf(f)
      skills.set(id, Math.max(skills.get(id) ?? 0, draw(profCum, r()) + 1))
    }
    const cx = r()
    const capacity = options.capacity ?? (cx < 0.5 ? 1 : cx < 0.85 ? 2 : 3)
    const load = r() < 0.4 ? int(0, capacity) : 0
    const rated = r() < 0.6
    const districts =
      r() < 0.15 ? [] : [...new Set(Array.from({ length: int(1, 2) }, () => pick(DISTRICTS)))]
    const blackouts =
      r() < 0.3
        ? Array.from({ length: int(1, 2) }, () => {
            const start = int(0, HORIZON_DAYS)
            return { from: day(start), to: day(start + int(1, 13)) }
          })
        : []
    return {
      kind: 'expert',
      id: k + 1,
      name: `模拟专家${k + 1}`,
      skills: [...skills].map(([skillId, proficiency]) => ({ skillId, proficiency })),
      honours: honour(),
      districts,
      parks: r() < 0.25 ? [pick(PARKS)] : [],
      weekdays: weekdays(),
      blackouts,
      capacity,
      load,
      ratingAverage: rated ? Math.round((3 + r() * 2) * 100) / 100 : null,
      ratingCount: rated ? int(1, 10) : 0,
      pastEnterpriseIds:
        r() < 0.15
          ? [...new Set(Array.from({ length: int(1, 3) }, () => int(1, enterprises)))]
          : [],
      volunteeredItemIds: [],
    }
  })
  for (const it of challenges) {
    for (let v = int(1, 3); v > 0; v--) pick(candidates).volunteeredItemIds.push(it.id)
  }
  for (const c of candidates) c.volunteeredItemIds = [...new Set(c.volunteeredItemIds)]
  return {
    items,
    candidates,
    taxonomy,
    weights: DEFAULT_WEIGHTS,
    constraints: { pinned: [], excluded: [] },
  }
}
