/**
 * Benchmark runner.
 *
 *   npm run bench                      every benchmark, as a table
 *   npm run bench -- intake            one benchmark by name
 *   npm run bench -- --json            one JSON line per figure: {name, value, unit, target, baseline?}
 *   npm run bench -- --keep            keep the generated database (and reuse it next time)
 *   npm run bench -- --fresh           regenerate even when a kept database exists
 *   npm run bench -- --explain         also print the query plans
 *
 * The exit code is 1 when a figure misses its target.
 */
import type { Bench, Figure } from './types.ts'

const BENCHES: Record<string, () => Promise<Bench>> = {
  archive: async () => (await import('./archive.bench.ts')).bench,
  dashboard: async () => (await import('./dashboard.bench.ts')).bench,
  intake: async () => (await import('./intake.bench.ts')).bench,
  matching: async () => (await import('./matching.bench.ts')).bench,
  reminders: async () => (await import('./reminders.bench.ts')).bench,
}

const args = process.argv.slice(2)
const flags = new Set(args.filter((a) => a.startsWith('--')))
const names = args.filter((a) => !a.startsWith('--'))
const json = flags.has('--json')
const unknown = names.filter((n) => !(n in BENCHES))
if (unknown.length > 0) {
  console.error(
    `unknown benchmark: ${unknown.join(', ')} (known: ${Object.keys(BENCHES).join(', ')})`,
  )
  process.exit(2)
}
// With --json, progress goes to stderr so stdout carries only the figures.
const log = (line: string) => (json ? console.error(line) : console.log(line))

/** Whether a figure meets its target (lower is better unless the figure says otherwise). */
function meets(f: Figure): boolean {
  if (f.target === undefined) return true
  return f.better === 'higher' ? f.value >= f.target : f.value < f.target
}

function table(figures: Figure[]): string {
  const rows = figures.map((f) => [
    f.name,
    `${f.value.toFixed(2)} ${f.unit}`,
    f.target === undefined
      ? ''
      : `${f.better === 'higher' ? '≥' : '<'} ${f.target.toFixed(2).replace(/\.00$/, '')} ${f.unit}`,
    f.baseline === undefined ? '' : `${f.baseline.toFixed(2)} ${f.unit}`,
    f.target === undefined ? '' : meets(f) ? 'ok' : f.better === 'higher' ? 'UNDER' : 'OVER',
  ])
  const head = ['figure', 'value', 'target', 'baseline', '']
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd()
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n')
}

let missed = 0
for (const name of names.length > 0 ? names : Object.keys(BENCHES)) {
  const bench = await (BENCHES[name] as () => Promise<Bench>)()
  log(`\n# ${name}: ${bench.description}`)
  const t0 = performance.now()
  const figures = await bench.run({
    log,
    keep: flags.has('--keep'),
    fresh: flags.has('--fresh'),
    explain: flags.has('--explain'),
  })
  missed += figures.filter((f) => !meets(f)).length
  if (json) {
    for (const f of figures) console.log(JSON.stringify(f))
  } else {
    console.log(`\n${table(figures)}`)
  }
  log(`\n${name} took ${((performance.now() - t0) / 1000).toFixed(1)} s`)
}
if (missed > 0) {
  log(`${missed} figure(s) missed their target`)
  process.exitCode = 1
}
