// The matching engine's contract: plain data in, plain data out. Pure (no DB,
// no I/O), so the same code runs in a request, a job, the tests and the bench.

/** A candidate is an expert or a service team matched as one unit. */
export type CandidateKind = 'expert' | 'team'

/** 'expert:12' or 'team:3': unique across both kinds. */
export type CandidateKey = `${CandidateKind}:${number}`

export const candidateKey = (kind: CandidateKind, id: number): CandidateKey => `${kind}:${id}`

/** One confirmed need item to staff. */
export interface MatchItem {
  id: number
  /** Experts (or teams) the item needs. */
  headcount: number
  /** Skills on the taxonomy (leaf skills or fields/domains) the item asks for. */
  skillIds: number[]
  /** 'YYYY-MM-DD' inclusive, or null when the item has no time window. */
  windowStart: string | null
  windowEnd: string | null
  /** Where the work is: the enterprise's district and park. */
  district: string | null
  park: string | null
  enterpriseId: number
}

export interface CandidateSkill {
  skillId: number
  /** 1 (basic) to 5 (master). */
  proficiency: number
}

export interface CandidateHonour {
  type: string
  level: 'national' | 'provincial' | 'city' | 'district' | 'enterprise'
  year: number | null
}

export interface MatchCandidate {
  kind: CandidateKind
  id: number
  name: string
  skills: CandidateSkill[]
  honours: CandidateHonour[]
  districts: string[]
  parks: string[]
  /** ISO weekdays (1 = Monday) usually available. */
  weekdays: number[]
  /** Inclusive 'YYYY-MM-DD' ranges when unavailable. */
  blackouts: { from: string; to: string }[]
  capacity: number
  /** Engagements already held (pending or accepted invitations on open cases). */
  load: number
  /** Average of enterprises' past ratings (1-5), null when never rated. */
  ratingAverage: number | null
  ratingCount: number
  /** Enterprises served before: continuity counts. */
  pastEnterpriseIds: number[]
  /** Items this candidate volunteered for through an open challenge (揭榜挂帅). */
  volunteeredItemIds: number[]
}

/** The skills taxonomy as the engine needs it: each node's parent (null at a domain). */
export interface TaxonomyIndex {
  parentOf: ReadonlyMap<number, number | null>
}

/** Relative weights of the scoring factors (any non-negative numbers). */
export interface MatchWeights {
  skill: number
  proficiency: number
  honour: number
  proximity: number
  availability: number
  load: number
  rating: number
  continuity: number
  volunteer: number
}

export type FactorName = keyof MatchWeights

/**
 * One factor's contribution to a pair's score, with what the explanation needs
 * to say it in words (the UI renders it in the user's language).
 */
export interface ScoreFactor {
  factor: FactorName
  /** Weighted points this factor adds. */
  points: number
  /**
   * What was found, e.g. { fit: 'exact', skillId: 42 } for skill,
   * { level: 5 } for proficiency, { type, level } for honour,
   * { match: 'district' | 'park' | 'none' } for proximity,
   * { freeDays, windowDays } for availability, { load, capacity } for load,
   * { average, count } for rating, { served: true } for continuity.
   *
   * As the engine (score.ts) writes them, one entry per factor with points:
   * skill { fit, skillId (the item's), candidateSkillId }; proficiency
   * { level, skillId (the candidate's) }; honour { type, level (as counted),
   * year }; proximity { match: 'park' | 'district' | 'city', park | district }
   * ('city': the candidate lists no district, i.e. serves the whole city);
   * availability { freeDays, windowDays }, or { freeDays: null, windowDays: 0,
   * weekdays } when the item has no window; load { load, capacity }; rating
   * { average (null when unrated), count }; continuity { served: true,
   * enterpriseId }; volunteer { volunteered: true }.
   */
  detail: Record<string, unknown>
}

export type SkillFit = 'exact' | 'sibling' | 'field' | 'none'

export interface Pin {
  itemId: number
  key: CandidateKey
}

export interface MatchConstraints {
  /** Must be in the result for that item (they take a slot and capacity first). */
  pinned: Pin[]
  /** Never proposed for that item. */
  excluded: Pin[]
}

export interface MatchInput {
  items: MatchItem[]
  candidates: MatchCandidate[]
  taxonomy: TaxonomyIndex
  weights: MatchWeights
  constraints?: MatchConstraints
}

/**
 * Why a pinned pair would not have been proposed on its own: the candidate is
 * over capacity, the item over headcount, there is no skill fit, or no free
 * day in the window. Pins are kept whatever; the UI shows these.
 */
export type AssignmentWarning = 'over_capacity' | 'over_headcount' | 'no_fit' | 'unavailable'

export interface Assignment {
  itemId: number
  key: CandidateKey
  score: number
  skillFit: SkillFit
  factors: ScoreFactor[]
  pinned: boolean
  /** Only on pinned pairs, when a pin overrides a rule. */
  warnings?: AssignmentWarning[]
}

/** Why an item is not (fully) filled, most specific first. */
export type UnfilledReason =
  /** Nobody in the pool has a matching skill. */
  | 'no_skill'
  /** People with the skill exist but none is available in the window. */
  | 'unavailable'
  /** People with the skill exist but are all at capacity. */
  | 'all_busy'
  /** Candidates exist but were excluded by the steward. */
  | 'excluded'
  /** Candidates exist but went to other items with a higher total score. */
  | 'taken_by_other_items'

export interface Unfilled {
  itemId: number
  missing: number
  reason: UnfilledReason
  /** Counts behind the reason, e.g. { withSkill, busy, unavailable, excluded }. */
  detail: Record<string, number>
}

export interface MatchResult {
  assignments: Assignment[]
  unfilled: Unfilled[]
  totalScore: number
  stats: {
    items: number
    candidates: number
    /** Pairs with a positive skill fit (the optimum is over all of them). */
    pairs: number
    /** Pairs the solver's graph held when it proved optimality. */
    edgesSolved: number
    /** Rounds of adding pairs the dual check found could improve the total. */
    rounds: number
    ms: number
  }
}
