// Pure: the figures federations report and set yearly targets for.

/**
 * Outcome figures (助企成效), all counted for cases that closed (service
 * completed) in the period, except agreements, counted when fully signed:
 * - enterprises_served 服务企业数: distinct enterprises with a case closed;
 * - problems_solved 解决问题数: items whose outcome is `solved` (partly solved apart);
 * - expert_participations 参与劳模工匠人次: each expert once per visit held,
 *   plus paired experts who served without a visit (workflows/outcomes/aggregate.ts);
 * - workers_trained 培训职工人次: summed from item outcomes;
 * - benefit_yuan 经济效益: estimated plus confirmed, shown apart;
 * - agreements_signed 签订协议数: pairing agreements confirmed by every party.
 */
export const TARGET_METRICS = [
  'enterprises_served',
  'problems_solved',
  'expert_participations',
  'workers_trained',
  'benefit_yuan',
  'agreements_signed',
] as const
export type TargetMetric = (typeof TARGET_METRICS)[number]

export function isTargetMetric(v: unknown): v is TargetMetric {
  return typeof v === 'string' && (TARGET_METRICS as readonly string[]).includes(v)
}

/** Breakdown dimensions besides the child orgs and the months. */
export const BREAKDOWN_DIMS = ['category', 'industry', 'district', 'park', 'tag'] as const
export type BreakdownDim = (typeof BREAKDOWN_DIMS)[number]
