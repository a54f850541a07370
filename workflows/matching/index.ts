export { type MatchOptions, matchBatch } from './match.ts'
export {
  DEFAULT_WEIGHTS,
  FIT_VALUE,
  HONOUR_VALUE,
  OPEN_WINDOW_DAYS,
  type PairExplanation,
  PROXIMITY_VALUE,
  SCALE,
  scorePair,
} from './score.ts'
export * from './types.ts'
