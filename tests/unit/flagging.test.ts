import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  deviationOf,
  evaluateLine,
  formValueOf,
  type LineSpec,
  parseDecimal,
  rangeDeviation,
} from '#workflows/inspection/flagging.ts'
import { checkPhoto, photoFilename, sniffPhotoKind } from '#workflows/inspection/photos.ts'

const measurement = (min: number | null, max: number | null): LineSpec => ({
  kind: 'measurement',
  min,
  max,
})
const ok = (spec: LineSpec, raw: string | number) => {
  const r = evaluateLine(spec, raw)
  if (!r.ok) throw new Error(`refused ${raw}: ${r.error}`)
  return r
}
const refusal = (spec: LineSpec, raw: string | number) => {
  const r = evaluateLine(spec, raw)
  return r.ok ? null : r.error
}

describe('range flagging', () => {
  const voltage = measurement(353.4, 406.6)

  it('accepts both bounds (inclusive) and flags just outside them', () => {
    expect(ok(voltage, '353.4')).toMatchObject({ passed: true, flagged: false, deviation: null })
    expect(ok(voltage, '406.6')).toMatchObject({ passed: true, flagged: false })
    expect(ok(voltage, '380')).toMatchObject({ valueNumber: 380, passed: true, flagged: false })
    expect(ok(voltage, '353.39')).toMatchObject({
      passed: false,
      flagged: true,
      deviation: 'below',
    })
    expect(ok(voltage, '406.61')).toMatchObject({
      passed: false,
      flagged: true,
      deviation: 'above',
    })
  })

  it('with only a minimum: anything at or above it passes, however large', () => {
    const attendance = measurement(10, null)
    expect(ok(attendance, '10')).toMatchObject({ flagged: false, passed: true })
    expect(ok(attendance, '1e9')).toMatchObject({ flagged: false })
    expect(ok(attendance, '9.999')).toMatchObject({ flagged: true, deviation: 'below' })
  })

  it('with only a maximum: anything at or below it passes, negatives included', () => {
    const temperature = measurement(null, 70)
    expect(ok(temperature, '70')).toMatchObject({ flagged: false, passed: true })
    expect(ok(temperature, '-20')).toMatchObject({ flagged: false, passed: true })
    expect(ok(temperature, '70.1')).toMatchObject({ flagged: true, deviation: 'above' })
  })

  it('without a range nothing is flagged and nothing is judged', () => {
    const free = measurement(null, null)
    expect(ok(free, '-1e6')).toMatchObject({ flagged: false, passed: null, deviation: null })
    expect(rangeDeviation(5, { min: null, max: null })).toBeNull()
  })

  it('treats a non-finite bound as no bound', () => {
    expect(rangeDeviation(5, { min: Number.NaN, max: 4 })).toBe('above')
    expect(rangeDeviation(5, { min: Number.NEGATIVE_INFINITY, max: null })).toBeNull()
  })

  it('refuses what is not a number, and NaN and Infinity in any spelling', () => {
    for (const raw of [
      'abc',
      '12 V',
      '1,5',
      '1.2.3',
      'NaN',
      'Infinity',
      '-Infinity',
      '0x10',
      '--1',
    ]) {
      expect(refusal(voltage, raw), raw).toBe('notANumber')
    }
    expect(refusal(voltage, '1e999')).toBe('notFinite')
    expect(refusal(voltage, Number.NaN)).toBe('notFinite')
    expect(refusal(voltage, Number.POSITIVE_INFINITY)).toBe('notFinite')
    expect(refusal(voltage, Number.NEGATIVE_INFINITY)).toBe('notFinite')
  })

  it('reads full-width digits and signs from Chinese input methods', () => {
    expect(ok(voltage, '３８０．５')).toMatchObject({ valueNumber: 380.5, flagged: false })
    expect(parseDecimal('－３')).toEqual({ ok: true, value: -3 })
    expect(parseDecimal('  ')).toEqual({ ok: true, value: null })
    expect(parseDecimal('-0')).toEqual({ ok: true, value: 0 })
  })

  it('an empty value records nothing', () => {
    for (const raw of ['', '   ']) {
      expect(ok(voltage, raw)).toMatchObject({ empty: true, flagged: false, valueNumber: null })
    }
    expect(evaluateLine(voltage, null)).toMatchObject({ ok: true, empty: true })
  })

  it('a count must be a whole number, not negative, and is checked against its range', () => {
    const count: LineSpec = { kind: 'count', min: 12, max: 40 }
    expect(ok(count, '12')).toMatchObject({ valueNumber: 12, flagged: false, passed: true })
    expect(ok(count, '41')).toMatchObject({ flagged: true, deviation: 'above' })
    expect(ok(count, '3')).toMatchObject({ flagged: true, deviation: 'below' })
    expect(refusal(count, '12.5')).toBe('notWhole')
    expect(refusal(count, '-1')).toBe('negative')
    expect(refusal(count, 'twelve')).toBe('notANumber')
    expect(ok({ kind: 'count', min: null, max: null }, '0')).toMatchObject({
      valueNumber: 0,
      passed: null,
    })
  })

  it('a check passes or fails; a failure is flagged', () => {
    const check: LineSpec = { kind: 'check', min: null, max: null }
    expect(ok(check, 'pass')).toMatchObject({ passed: true, flagged: false, deviation: null })
    expect(ok(check, 'fail')).toMatchObject({ passed: false, flagged: true, deviation: 'failed' })
    expect(refusal(check, 'yes')).toBe('notPassFail')
  })

  it('a text line keeps its trimmed text and is never flagged', () => {
    const text: LineSpec = { kind: 'text', min: null, max: null }
    expect(ok(text, '  配电房潮湿  ')).toMatchObject({ valueText: '配电房潮湿', flagged: false })
    expect(refusal(text, 'x'.repeat(2001))).toBe('tooLong')
  })

  it('inside the range is never flagged, outside always is (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
        fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
        fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e7, max: 1e7 }),
        (a, b, v) => {
          const [min, max] = a <= b ? [a, b] : [b, a]
          const r = ok(measurement(min, max), v)
          expect(r.flagged).toBe(v < min || v > max)
          expect(r.passed).toBe(!(v < min || v > max))
          // The typed text of the number gives the same answer.
          expect(ok(measurement(min, max), String(v)).flagged).toBe(r.flagged)
        },
      ),
    )
  })

  it('round-trips a stored record to the form and back', () => {
    const spec = measurement(0, 10)
    const r = ok(spec, '12.5')
    const shown = formValueOf('measurement', { ...r })
    expect(shown).toBe('12.5')
    expect(ok(spec, shown).flagged).toBe(true)
    expect(deviationOf(spec, r)).toBe('above')
    expect(formValueOf('check', { valueNumber: null, valueText: null, passed: false })).toBe('fail')
    expect(formValueOf('text', null)).toBe('')
  })
})

describe('photo checks', () => {
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0])
  const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10])
  const webp = new TextEncoder().encode('RIFF\u0000\u0000\u0000\u0000WEBPVP8 ')
  const heic = new Uint8Array([0, 0, 0, 0x18, ...new TextEncoder().encode('ftypheic'), 0, 0])

  it('tells the kind by content', () => {
    expect(sniffPhotoKind(png)).toBe('png')
    expect(sniffPhotoKind(jpeg)).toBe('jpeg')
    expect(sniffPhotoKind(webp)).toBe('webp')
    expect(sniffPhotoKind(heic)).toBe('heif')
    expect(sniffPhotoKind(new TextEncoder().encode('%PDF-1.7'))).toBeNull()
    expect(sniffPhotoKind(new TextEncoder().encode('<svg xmlns="…"/>'))).toBeNull()
  })

  it('refuses empty, oversized, HEIC and other files with their own reasons', () => {
    expect(checkPhoto(new Uint8Array())).toEqual({ ok: false, error: 'photoEmpty' })
    const big = new Uint8Array(10 * 1024 * 1024 + 1)
    big.set(png)
    expect(checkPhoto(big)).toEqual({ ok: false, error: 'photoTooLarge' })
    const exact = new Uint8Array(10 * 1024 * 1024)
    exact.set(png)
    expect(checkPhoto(exact)).toEqual({ ok: true, kind: 'png' })
    expect(checkPhoto(heic)).toEqual({ ok: false, error: 'photoHeif' })
    expect(checkPhoto(new TextEncoder().encode('GIF89a'))).toEqual({
      ok: false,
      error: 'photoType',
    })
  })

  it('names the stored file after its real type', () => {
    expect(photoFilename('IMG_0001.HEIC', 'jpeg')).toBe('IMG_0001.HEIC.jpg')
    expect(photoFilename('配电箱.PNG', 'png')).toBe('配电箱.png')
    expect(photoFilename('../../etc/passwd', 'png')).toBe('passwd.png')
    expect(photoFilename('', 'webp')).toBe('photo.webp')
    expect([...photoFilename(`${'长'.repeat(300)}.jpg`, 'jpeg')].length).toBeLessThanOrEqual(120)
  })
})
