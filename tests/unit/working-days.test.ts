import { describe, expect, it } from 'vitest'
import { shanghaiDate, shanghaiInstant, WorkingDayCalendar } from '#jobs/calendar/working-days.ts'

const cal = new WorkingDayCalendar()

function range(from: string, to: string): string[] {
  const out: string[] = []
  for (let d = from; d <= to; ) {
    out.push(d)
    d = new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
  }
  return out
}

describe('official calendar', () => {
  it('knows the adjusted working Sundays of 2024 and 2025', () => {
    expect(cal.isWorkingDay('2024-02-04')).toBe(true)
    expect(cal.isWorkingDay('2024-02-18')).toBe(true)
    expect(cal.isWorkingDay('2025-01-26')).toBe(true)
  })

  it('knows the National Day holidays', () => {
    for (const d of range('2024-10-01', '2024-10-07')) expect(cal.isWorkingDay(d), d).toBe(false)
    for (const d of range('2025-10-01', '2025-10-08')) expect(cal.isWorkingDay(d), d).toBe(false)
    expect(cal.isWorkingDay('2024-10-08')).toBe(true)
    expect(cal.isWorkingDay('2025-10-09')).toBe(true)
  })

  it('knows 2026 as published: Spring Festival 02-15..02-23, adjusted Saturdays 02-14 and 02-28', () => {
    for (const d of range('2026-02-15', '2026-02-23')) expect(cal.isWorkingDay(d), d).toBe(false)
    expect(cal.isWorkingDay('2026-02-14')).toBe(true)
    expect(cal.isWorkingDay('2026-02-28')).toBe(true)
    for (const d of range('2026-10-01', '2026-10-07')) expect(cal.isWorkingDay(d), d).toBe(false)
    expect(cal.isWorkingDay('2026-10-10')).toBe(true)
    expect(WorkingDayCalendar.coveredUntil()).toBeGreaterThanOrEqual(2026)
  })

  it('plain weekends and weekdays', () => {
    expect(cal.isWorkingDay('2026-11-28')).toBe(false) // Saturday
    expect(cal.isWorkingDay('2026-11-30')).toBe(true) // Monday
  })

  it('local overrides win over the official data', () => {
    const local = new WorkingDayCalendar(
      new Map([
        ['2026-11-30', 'holiday'],
        ['2026-11-28', 'workday'],
      ]),
    )
    expect(local.isWorkingDay('2026-11-30')).toBe(false)
    expect(local.isWorkingDay('2026-11-28')).toBe(true)
  })
})

describe('working-day arithmetic in Asia/Shanghai', () => {
  it('maps instants to Shanghai calendar days', () => {
    expect(shanghaiDate(new Date('2026-09-30T16:30:00Z'))).toBe('2026-10-01')
    expect(shanghaiInstant('2026-10-08', 9 * 60).toISOString()).toBe('2026-10-08T01:00:00.000Z')
  })

  it('3 working days after the eve of National Day 2025 skip the whole holiday', () => {
    expect(cal.addWorkingDays('2025-09-30', 1)).toBe('2025-10-09')
    expect(cal.addWorkingDays('2025-09-30', 3)).toBe('2025-10-11') // Saturday 10-11 was a working day
  })

  it('counts an adjusted working Sunday', () => {
    expect(cal.addWorkingDays('2025-01-24', 1)).toBe('2025-01-26')
  })

  it('a deadline is the end of working hours on the N-th working day', () => {
    const submitted = new Date('2026-11-27T07:00:00Z') // Friday 15:00 in Shanghai
    expect(cal.dueAfterWorkingDays(submitted, 3).toISOString()).toBe('2026-12-02T10:00:00.000Z')
  })

  it('adds working hours across nights, weekends and holidays', () => {
    const fridayAfternoon = new Date('2026-11-27T08:00:00Z') // 16:00 Friday
    expect(cal.addWorkingHours(fridayAfternoon, 4).toISOString()).toBe('2026-11-30T03:00:00.000Z') // Monday 11:00
    const beforeHoliday = new Date('2025-09-30T09:00:00Z') // 17:00 on 09-30
    expect(cal.addWorkingHours(beforeHoliday, 2).toISOString()).toBe('2025-10-09T02:00:00.000Z') // 10:00 on 10-09
  })

  it('counts working days between two instants', () => {
    expect(
      cal.workingDaysBetween(new Date('2025-09-30T02:00:00Z'), new Date('2025-10-10T02:00:00Z')),
    ).toBe(2)
    expect(
      cal.workingDaysBetween(new Date('2025-10-10T02:00:00Z'), new Date('2025-09-30T02:00:00Z')),
    ).toBe(-2)
  })

  it('knows working time', () => {
    expect(cal.isWorkingTime(new Date('2026-11-30T02:00:00Z'))).toBe(true) // Monday 10:00
    expect(cal.isWorkingTime(new Date('2026-11-30T11:00:00Z'))).toBe(false) // Monday 19:00
    expect(cal.isWorkingTime(new Date('2026-11-28T02:00:00Z'))).toBe(false) // Saturday
  })
})
