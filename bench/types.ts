/** One measured figure; `--json` prints one of these per line. */
export interface Figure {
  name: string
  value: number
  unit: string
  /** The figure must stay below this (or reach it, with `better: 'higher'`). */
  target?: number
  /** Which way is better; 'lower' (times) unless said otherwise (rates are 'higher'). */
  better?: 'lower' | 'higher'
  /** The same measurement through the code this replaced, for comparison. */
  baseline?: number
}

export interface BenchOptions {
  log: (line: string) => void
  /** Keep the generated database (and reuse a kept one of the same generator version). */
  keep: boolean
  /** Regenerate even when a kept database could be reused. */
  fresh: boolean
  /** Print the query plans of the measured queries. */
  explain: boolean
}

export interface Bench {
  description: string
  run: (options: BenchOptions) => Promise<Figure[]>
}
