import { describe, expect, it } from 'vitest'
import { periodsOfMonth } from '#db/queries/dashboard/refresh.ts'
import {
  beijingMonth,
  currentYear,
  makePeriod,
  monthsOf,
  parsePeriod,
  previousPeriod,
} from '#workflows/dashboard/period.ts'

describe('reporting periods', () => {
  it('parses a year, a quarter and a month, and nothing else', () => {
    expect(parsePeriod('2026')).toMatchObject({ kind: 'year', key: '2026', fromMonth: '2026-01' })
    expect(parsePeriod(' 2026-Q4 ')).toMatchObject({
      kind: 'quarter',
      index: 4,
      fromMonth: '2026-10',
      toMonth: '2026-12',
    })
    expect(parsePeriod('2026-02')).toMatchObject({ kind: 'month', key: '2026-02' })
    for (const bad of ['', '26', '2026-Q5', '2026-13', '2026-00', '1999', '2101', '2026-1', null]) {
      expect(parsePeriod(bad), String(bad)).toBeNull()
    }
  })

  it('bounds a period at Beijing midnight', () => {
    const q1 = makePeriod('quarter', 2026, 1)
    expect(q1.start.toISOString()).toBe('2025-12-31T16:00:00.000Z')
    expect(q1.end.toISOString()).toBe('2026-03-31T16:00:00.000Z')
    const year = makePeriod('year', 2026)
    expect(year.end.toISOString()).toBe('2026-12-31T16:00:00.000Z')
    expect(monthsOf(q1)).toEqual(['2026-01', '2026-02', '2026-03'])
    expect(monthsOf(year)).toHaveLength(12)
  })

  it('dates an instant by the Beijing calendar', () => {
    expect(beijingMonth(new Date('2025-12-31T15:59:59Z'))).toBe('2025-12')
    expect(beijingMonth(new Date('2025-12-31T16:00:00Z'))).toBe('2026-01')
    expect(currentYear(new Date('2026-12-31T16:30:00Z')).key).toBe('2027')
  })

  it('steps back to the period before, across years', () => {
    expect(previousPeriod(makePeriod('year', 2026)).key).toBe('2025')
    expect(previousPeriod(makePeriod('quarter', 2026, 1)).key).toBe('2025-Q4')
    expect(previousPeriod(makePeriod('month', 2026, 1)).key).toBe('2025-12')
    expect(previousPeriod(makePeriod('month', 2026, 7)).key).toBe('2026-06')
  })

  it('files a month under itself, its quarter and its year (as the summaries key them)', () => {
    expect(periodsOfMonth('2026-01')).toEqual(['2026-01', '2026-Q1', '2026'])
    expect(periodsOfMonth('2026-03')).toEqual(['2026-03', '2026-Q1', '2026'])
    expect(periodsOfMonth('2026-04')).toEqual(['2026-04', '2026-Q2', '2026'])
    expect(periodsOfMonth('2026-12')).toEqual(['2026-12', '2026-Q4', '2026'])
    // Every month's quarter and year are the keys parsePeriod gives for them.
    for (let m = 1; m <= 12; m++) {
      const month = `2026-${String(m).padStart(2, '0')}`
      const [, quarter, year] = periodsOfMonth(month)
      expect(
        monthsOf(parsePeriod(quarter) as NonNullable<ReturnType<typeof parsePeriod>>),
      ).toContain(month)
      expect(parsePeriod(year)?.kind).toBe('year')
    }
  })
})
