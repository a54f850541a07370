/**
 * Service outcomes of a case, summed up (pure: no I/O). What the outcomes page,
 * the archive and its export show, and what reports across cases build on.
 *
 * Definitions (the programme's statistics, 助企成效统计):
 * - 解决问题数 (problems solved) counts the items whose result is `solved`;
 *   `partly_solved` items are counted on their own (partlySolved), never in it.
 * - Economic benefit (经济效益) is summed exactly, in fen (1/100 yuan) as
 *   bigints, separately for estimated and confirmed amounts; `total` is both.
 * - 参与劳模工匠人次 (model-worker participations, person-times): every expert
 *   member of every visit that took place (checked in: on_site, reported,
 *   report_confirmed) counts once per visit; a paired expert who took part in
 *   no such visit (a remote-only service) counts once for the pairing. So an
 *   expert on three visits counts three times, and every paired expert at
 *   least once. Cancelled and never-held visits count for nothing.
 */

export const OUTCOME_RESULTS = ['solved', 'partly_solved', 'not_feasible', 'transferred'] as const
export type OutcomeResult = (typeof OUTCOME_RESULTS)[number]

export const BENEFIT_STATUSES = ['estimated', 'confirmed'] as const
export type BenefitStatus = (typeof BENEFIT_STATUSES)[number]

/** Visit states in which the visit took place (the team checked in). */
export const HELD_VISIT_STATES: readonly string[] = ['on_site', 'reported', 'report_confirmed']

// ---------------------------------------------------------------------------
// Money: yuan as decimal strings with at most two decimals, summed in fen.

/** Up to 12 integer digits (numeric(14,2)), an optional one- or two-digit fraction. */
export const YUAN_PATTERN = /^(\d{1,12})(?:\.(\d{1,2}))?$/

/** Fen (1/100 yuan) of a yuan amount like '1234.5', or null when it is not one. */
export function parseYuan(value: string): bigint | null {
  const m = YUAN_PATTERN.exec(value.trim())
  if (!m) return null
  const whole = BigInt(m[1] as string)
  const fraction = BigInt((m[2] ?? '').padEnd(2, '0') || '0')
  return whole * 100n + fraction
}

/** '1234.50' for 123450 fen. */
export function formatYuan(fen: bigint): string {
  const sign = fen < 0n ? '-' : ''
  const abs = fen < 0n ? -fen : fen
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`
}

/** A yuan amount in its canonical form ('0012.5' → '12.50'), or null. */
export function normaliseYuan(value: string): string | null {
  const fen = parseYuan(value)
  return fen === null ? null : formatYuan(fen)
}

// ---------------------------------------------------------------------------

export interface OutcomeFacts {
  itemId: number
  result: OutcomeResult
  /** Yuan as stored (numeric comes back from PostgreSQL as a string). */
  benefitYuan: string | null
  benefitStatus: BenefitStatus | null
  workersTrained: number
  personTimes: number
  patents: number
  innovations: number
  followUpNeeded: boolean
}

export interface VisitFacts {
  status: string
  /** The expert members of the visit (expert.id), each counted once per visit. */
  expertIds: readonly number[]
}

export interface AggregateInput {
  /** The case's confirmed items (each should have one outcome). */
  itemIds: readonly number[]
  outcomes: readonly OutcomeFacts[]
  /** Experts paired on the case (pairing.expert_id; a team by its leader). */
  pairedExpertIds: readonly number[]
  visits: readonly VisitFacts[]
}

export interface CaseAggregate {
  items: number
  /** Confirmed items with an outcome, and those still without one. */
  recorded: number
  missingItemIds: number[]
  byResult: Record<OutcomeResult, number>
  /** 解决问题数: items solved (partly solved ones are in `partlySolved`). */
  problemsSolved: number
  partlySolved: number
  /** Yuan, two decimals, exact. */
  benefit: { estimated: string; confirmed: string; total: string }
  workersTrained: number
  personTimes: number
  patents: number
  innovations: number
  /** Items whose outcome calls for follow-up. */
  followUps: number
  /** 参与劳模工匠人次 (see the module comment). */
  expertParticipations: number
  /** Distinct experts who took part (paired or on a held visit). */
  distinctExperts: number
  /** Visits that took place. */
  visitsHeld: number
}

/** The case totals from its outcomes, pairings and visits. */
export function aggregateOutcomes(input: AggregateInput): CaseAggregate {
  const items = new Set(input.itemIds)
  // An outcome of an item that is not (or no longer) confirmed is not counted.
  const outcomes = input.outcomes.filter((o) => items.has(o.itemId))
  const withOutcome = new Set(outcomes.map((o) => o.itemId))
  const byResult = Object.fromEntries(OUTCOME_RESULTS.map((r) => [r, 0])) as Record<
    OutcomeResult,
    number
  >
  let estimated = 0n
  let confirmed = 0n
  const sums = { workersTrained: 0, personTimes: 0, patents: 0, innovations: 0, followUps: 0 }
  for (const o of outcomes) {
    byResult[o.result]++
    const fen = o.benefitYuan === null ? null : parseYuan(String(o.benefitYuan))
    if (fen !== null) {
      if (o.benefitStatus === 'confirmed') confirmed += fen
      else estimated += fen
    }
    sums.workersTrained += o.workersTrained
    sums.personTimes += o.personTimes
    sums.patents += o.patents
    sums.innovations += o.innovations
    if (o.followUpNeeded) sums.followUps++
  }

  const held = input.visits.filter((v) => HELD_VISIT_STATES.includes(v.status))
  const onVisits = new Set<number>()
  let participations = 0
  for (const v of held) {
    const experts = new Set(v.expertIds)
    participations += experts.size
    for (const id of experts) onVisits.add(id)
  }
  const paired = new Set(input.pairedExpertIds)
  for (const id of paired) if (!onVisits.has(id)) participations++

  return {
    items: items.size,
    recorded: withOutcome.size,
    missingItemIds: [...items].filter((id) => !withOutcome.has(id)),
    byResult,
    problemsSolved: byResult.solved,
    partlySolved: byResult.partly_solved,
    benefit: {
      estimated: formatYuan(estimated),
      confirmed: formatYuan(confirmed),
      total: formatYuan(estimated + confirmed),
    },
    ...sums,
    expertParticipations: participations,
    distinctExperts: new Set([...paired, ...onVisits]).size,
    visitsHeld: held.length,
  }
}

/**
 * Whether the steward may ask for the enterprise's feedback: every confirmed
 * item has an outcome and no visit is under way on site (its report pending).
 */
export function feedbackReadiness(input: {
  missingItemIds: readonly number[]
  visits: readonly { id: number; sequence: number; status: string }[]
}) {
  const onSite = input.visits.filter((v) => v.status === 'on_site')
  return {
    complete: input.missingItemIds.length === 0 && onSite.length === 0,
    missingItemIds: [...input.missingItemIds],
    visitsOnSite: onSite.map((v) => v.sequence),
  }
}
