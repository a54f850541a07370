/**
 * What a value recorded on site means for its checklist line: parsed, checked
 * against the line's acceptable range (bounds inclusive) and flagged when it
 * falls outside. Pure: the server decides with it, the phone page shows the
 * same answer live.
 */

export type LineKind = 'check' | 'measurement' | 'count' | 'text'

export interface LineSpec {
  kind: LineKind
  /** Inclusive bounds; null (or a non-finite number) is no bound. */
  min: number | null
  max: number | null
}

/** Why a typed value cannot be recorded (message keys onsite.errors.<code>). */
export type LineErrorCode =
  | 'notANumber'
  | 'notFinite'
  | 'notWhole'
  | 'negative'
  | 'notPassFail'
  | 'tooLong'

/** Where a value sits against its line: outside the range, or a failed check. */
export type Deviation = 'below' | 'above' | 'failed' | null

export interface LineResult {
  ok: true
  /** Nothing recorded (an empty value). */
  empty: boolean
  valueNumber: number | null
  valueText: string | null
  /** A check: passed or not; a number with a range: inside it; otherwise null. */
  passed: boolean | null
  flagged: boolean
  deviation: Deviation
}

export type LineEvaluation = LineResult | { ok: false; error: LineErrorCode }

export const MAX_TEXT_LENGTH = 2000

/** The pass/fail values of a check line, as forms post them. */
export const CHECK_VALUES = ['pass', 'fail'] as const

const EMPTY: LineResult = {
  ok: true,
  empty: true,
  valueNumber: null,
  valueText: null,
  passed: null,
  flagged: false,
  deviation: null,
}

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/

/** Full-width digits, point and signs (Chinese input methods) as ASCII; no thousands separators. */
function asciiNumber(raw: string): string {
  return raw
    .trim()
    .replace(/[\uff10-\uff19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/[\uff0e\u3002]/g, '.')
    .replace(/[\uff0d\u2212]/g, '-')
    .replace(/\uff0b/g, '+')
}

/**
 * A typed decimal number. Empty text is null; "NaN", "Infinity", "1,5",
 * "12 V" and numbers too large to represent are refused.
 */
export function parseDecimal(
  raw: string,
): { ok: true; value: number | null } | { ok: false; error: 'notANumber' | 'notFinite' } {
  const text = asciiNumber(raw)
  if (text === '') return { ok: true, value: null }
  if (!DECIMAL.test(text)) return { ok: false, error: 'notANumber' }
  const value = Number(text)
  if (!Number.isFinite(value)) return { ok: false, error: 'notFinite' }
  // -0 reads back as 0.
  return { ok: true, value: value === 0 ? 0 : value }
}

const bound = (b: number | null | undefined) =>
  typeof b === 'number' && Number.isFinite(b) ? b : null

/** Whether the line has a range at all. */
export function hasRange(spec: Pick<LineSpec, 'min' | 'max'>): boolean {
  return bound(spec.min) !== null || bound(spec.max) !== null
}

/** Below the minimum, above the maximum, or inside (bounds inclusive); null without a range. */
export function rangeDeviation(
  value: number,
  spec: Pick<LineSpec, 'min' | 'max'>,
): 'below' | 'above' | 'inside' | null {
  const min = bound(spec.min)
  const max = bound(spec.max)
  if (min === null && max === null) return null
  if (min !== null && value < min) return 'below'
  if (max !== null && value > max) return 'above'
  return 'inside'
}

function numberResult(value: number, spec: LineSpec): LineEvaluation {
  if (!Number.isFinite(value)) return { ok: false, error: 'notFinite' }
  if (spec.kind === 'count') {
    if (!Number.isInteger(value)) return { ok: false, error: 'notWhole' }
    if (value < 0) return { ok: false, error: 'negative' }
  }
  const where = rangeDeviation(value, spec)
  return {
    ok: true,
    empty: false,
    valueNumber: value,
    valueText: null,
    passed: where === null ? null : where === 'inside',
    flagged: where === 'below' || where === 'above',
    deviation: where === 'below' || where === 'above' ? where : null,
  }
}

/**
 * The value typed for a line: for a measurement or count its number (text),
 * for a check 'pass' or 'fail', for a text line the text. A number may also
 * come as a number (NaN and ±Infinity are refused).
 */
export function evaluateLine(
  spec: LineSpec,
  raw: string | number | null | undefined,
): LineEvaluation {
  if (raw === null || raw === undefined) return EMPTY
  switch (spec.kind) {
    case 'measurement':
    case 'count': {
      if (typeof raw === 'number') return numberResult(raw, spec)
      const parsed = parseDecimal(raw)
      if (!parsed.ok) return parsed
      return parsed.value === null ? EMPTY : numberResult(parsed.value, spec)
    }
    case 'check': {
      const text = String(raw).trim()
      if (text === '') return EMPTY
      if (text !== 'pass' && text !== 'fail') return { ok: false, error: 'notPassFail' }
      const passed = text === 'pass'
      return {
        ok: true,
        empty: false,
        valueNumber: null,
        valueText: null,
        passed,
        flagged: !passed,
        deviation: passed ? null : 'failed',
      }
    }
    case 'text': {
      const text = String(raw).trim()
      if (text === '') return EMPTY
      if ([...text].length > MAX_TEXT_LENGTH) return { ok: false, error: 'tooLong' }
      return {
        ok: true,
        empty: false,
        valueNumber: null,
        valueText: text,
        passed: null,
        flagged: false,
        deviation: null,
      }
    }
  }
}

/** A stored record back as the text a form shows (the inverse of evaluateLine). */
export function formValueOf(
  kind: LineKind,
  record: { valueNumber: number | null; valueText: string | null; passed: boolean | null } | null,
): string {
  if (!record) return ''
  if (kind === 'check') return record.passed === null ? '' : record.passed ? 'pass' : 'fail'
  if (kind === 'text') return record.valueText ?? ''
  return record.valueNumber === null ? '' : String(record.valueNumber)
}

/** The deviation of a stored record (the report marks it). */
export function deviationOf(
  spec: LineSpec,
  record: { valueNumber: number | null; passed: boolean | null },
): Deviation {
  if (spec.kind === 'check') return record.passed === false ? 'failed' : null
  if ((spec.kind === 'measurement' || spec.kind === 'count') && record.valueNumber !== null) {
    const where = rangeDeviation(record.valueNumber, spec)
    return where === 'below' || where === 'above' ? where : null
  }
  return null
}
