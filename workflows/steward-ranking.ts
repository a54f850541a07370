/**
 * Ranking of candidate dedicated stewards (专属管家) for one enterprise.
 *
 * Pure: the caller loads the enterprise, the candidates with their current
 * load and their history with this enterprise; this module scores and orders
 * them and explains every score with translation keys (t('steward.reason.*'))
 * and their parameters, so the page renders the reasons in either language.
 *
 * Who is a candidate is decided by the caller (see candidateStewards in
 * db/queries/stewards.ts): active stewards whose org is the enterprise's org
 * or one of its ancestors (they serve the whole subtree), or whose org lies in
 * the assigning coordinator's own subtree. The current steward is never a
 * candidate: reassigning to the same person changes nothing.
 *
 * Score (higher is better), from these factors:
 * - coverage fit: park +30, district +25, industry (GB/T 4754 section) +20,
 *   each when the steward's coverage lists the enterprise's value;
 * - union line: the steward's org is the enterprise's own org +15, an
 *   ancestor of it +10, another branch of the coordinator's subtree 0;
 * - load versus capacity: up to +20 in proportion to the free share of
 *   capacity; a steward whose load would exceed capacity with this enterprise
 *   is "full": ranked after every available steward and not assignable;
 * - continuity: +25 when the steward served this enterprise before.
 * Ties go to the lower load ratio, then the name, then the user id.
 */

export const WEIGHTS = {
  park: 30,
  district: 25,
  industry: 20,
  sameOrg: 15,
  ancestorOrg: 10,
  /** The most a completely free steward gets; scaled by the free share of capacity. */
  load: 20,
  continuity: 25,
} as const

export interface RankingEnterprise {
  orgPath: string
  district: string | null
  park: string | null
  /** GB/T 4754 section letter. */
  industry: string | null
  /** The enterprise's current dedicated steward, if any (never ranked). */
  currentStewardId: number | null
}

export interface StewardCandidate {
  userId: number
  name: string
  orgId: number
  orgPath: string
  orgName: string
  capacity: number
  districts: readonly string[]
  parks: readonly string[]
  industries: readonly string[]
  /** Active enterprises (with at least one open case) they are the steward of now. */
  load: number
  /** Their last assignment to this enterprise, when they had one that has ended. */
  servedBefore: { from: Date | string; until: Date | string } | null
}

export interface RankingReason {
  /** A translation key under steward.reason. */
  key: string
  params?: Record<string, string | number>
  /** Points this reason added (0 for explanations that add nothing). */
  points: number
}

export interface RankedSteward extends StewardCandidate {
  rank: number
  score: number
  /** Taking this enterprise would put them over capacity. */
  full: boolean
  /** Whether the coordinator may pick them (not full). */
  assignable: boolean
  reasons: RankingReason[]
}

const norm = (s: string) => s.trim().toLowerCase()
const listed = (values: readonly string[], value: string) =>
  values.some((v) => norm(v) === norm(value))

function coverage(
  reasons: RankingReason[],
  value: string | null,
  covered: readonly string[],
  points: number,
  what: 'park' | 'district' | 'industry',
) {
  if (!value || covered.length === 0) return
  if (listed(covered, value)) {
    reasons.push({ key: `${what}Match`, params: { [what]: value }, points })
  } else {
    reasons.push({ key: `${what}Other`, params: { [what]: value }, points: 0 })
  }
}

/** Scores one candidate; `rank` is filled in by rankStewards. */
export function scoreSteward(
  enterprise: RankingEnterprise,
  c: StewardCandidate,
): Omit<RankedSteward, 'rank'> {
  const reasons: RankingReason[] = []

  coverage(reasons, enterprise.park, c.parks, WEIGHTS.park, 'park')
  coverage(reasons, enterprise.district, c.districts, WEIGHTS.district, 'district')
  coverage(reasons, enterprise.industry, c.industries, WEIGHTS.industry, 'industry')
  if (c.parks.length + c.districts.length + c.industries.length === 0) {
    reasons.push({ key: 'noCoverage', points: 0 })
  }

  if (c.orgPath === enterprise.orgPath) {
    reasons.push({ key: 'sameOrg', params: { org: c.orgName }, points: WEIGHTS.sameOrg })
  } else if (enterprise.orgPath.startsWith(c.orgPath)) {
    reasons.push({ key: 'ancestorOrg', params: { org: c.orgName }, points: WEIGHTS.ancestorOrg })
  } else {
    reasons.push({ key: 'otherBranch', params: { org: c.orgName }, points: 0 })
  }

  if (c.servedBefore) {
    reasons.push({
      key: 'servedBefore',
      params: { until: new Date(c.servedBefore.until).toISOString() },
      points: WEIGHTS.continuity,
    })
  }

  const capacity = Math.max(1, c.capacity)
  const load = Math.max(0, c.load)
  const full = load + 1 > capacity
  if (full) {
    reasons.push({ key: 'full', params: { load, capacity }, points: 0 })
  } else {
    const points = Math.round((WEIGHTS.load * (capacity - load)) / capacity)
    reasons.push({ key: 'load', params: { load, capacity }, points })
  }

  const score = reasons.reduce((sum, r) => sum + r.points, 0)
  return { ...c, score, full, assignable: !full, reasons }
}

/**
 * Ranks the candidates for one enterprise: available stewards by score, then
 * the full ones (with the reason), each with its reasons. The current steward
 * and duplicate entries are left out.
 */
export function rankStewards(
  enterprise: RankingEnterprise,
  candidates: readonly StewardCandidate[],
): RankedSteward[] {
  const seen = new Set<number>()
  const scored = candidates
    .filter((c) => {
      if (c.userId === enterprise.currentStewardId || seen.has(c.userId)) return false
      seen.add(c.userId)
      return true
    })
    .map((c) => scoreSteward(enterprise, c))
  scored.sort(
    (a, b) =>
      Number(a.full) - Number(b.full) ||
      b.score - a.score ||
      a.load / Math.max(1, a.capacity) - b.load / Math.max(1, b.capacity) ||
      a.name.localeCompare(b.name, 'zh-CN') ||
      a.userId - b.userId,
  )
  return scored.map((s, i) => ({ ...s, rank: i + 1 }))
}
