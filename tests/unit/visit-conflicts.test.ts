import { describe, expect, it } from 'vitest'
import {
  beijingDate,
  type ExpertAvailability,
  isoWeekday,
  overlaps,
  slotDates,
  visitConflicts,
} from '#workflows/inspection/conflicts.ts'

/** 'YYYY-MM-DDTHH:mm' in Beijing as a Date. */
const bj = (local: string) => new Date(`${local}:00+08:00`)

const expert = (over: Partial<ExpertAvailability> = {}): ExpertAvailability => ({
  expertId: 1,
  name: '王建国',
  weekdays: [1, 2, 3, 4, 5],
  blackouts: [],
  visits: [],
  ...over,
})

describe('Beijing dates and weekdays', () => {
  it('reads the calendar day in Beijing, whatever UTC says', () => {
    // 23:30 UTC on Tuesday is already Wednesday morning in Beijing.
    expect(beijingDate(new Date('2026-03-10T23:30:00Z'))).toBe('2026-03-11')
    expect(beijingDate(new Date('2026-03-10T15:59:59Z'))).toBe('2026-03-10')
    expect(isoWeekday('2026-03-09')).toBe(1)
    expect(isoWeekday('2026-03-14')).toBe(6)
    expect(isoWeekday('2026-03-15')).toBe(7)
  })

  it('a slot running past midnight touches two days; one ending at midnight only one', () => {
    expect(slotDates({ startsAt: bj('2026-03-13T22:00'), durationMinutes: 180 })).toEqual([
      '2026-03-13',
      '2026-03-14',
    ])
    expect(slotDates({ startsAt: bj('2026-03-13T22:00'), durationMinutes: 120 })).toEqual([
      '2026-03-13',
    ])
    expect(slotDates({ startsAt: bj('2026-02-28T20:00'), durationMinutes: 1440 })).toEqual([
      '2026-02-28',
      '2026-03-01',
    ])
  })

  it('overlap is strict: back to back is fine', () => {
    const a = { startsAt: bj('2026-03-11T09:00'), durationMinutes: 120 }
    expect(overlaps(a, { startsAt: bj('2026-03-11T11:00'), durationMinutes: 60 })).toBe(false)
    expect(overlaps(a, { startsAt: bj('2026-03-11T10:59'), durationMinutes: 60 })).toBe(true)
    expect(overlaps(a, { startsAt: bj('2026-03-11T08:00'), durationMinutes: 60 })).toBe(false)
    expect(overlaps(a, { startsAt: bj('2026-03-11T08:00'), durationMinutes: 61 })).toBe(true)
    expect(overlaps(a, { startsAt: bj('2026-03-11T09:30'), durationMinutes: 15 })).toBe(true)
  })
})

describe('visitConflicts', () => {
  const wednesday = { startsAt: bj('2026-03-11T09:30'), durationMinutes: 120 }

  it('finds nothing on a usual weekday with a free calendar', () => {
    expect(visitConflicts(wednesday, [expert()])).toEqual([])
  })

  it('warns when the day is not one of the expert’s weekdays; no weekdays means any day', () => {
    const saturday = { startsAt: bj('2026-03-14T09:30'), durationMinutes: 60 }
    expect(visitConflicts(saturday, [expert()])).toEqual([
      { kind: 'weekday', expertId: 1, name: '王建国', date: '2026-03-14', weekday: 6 },
    ])
    expect(visitConflicts(saturday, [expert({ weekdays: [6, 7] })])).toEqual([])
    expect(visitConflicts(saturday, [expert({ weekdays: [] })])).toEqual([])
  })

  it('warns for a blackout covering the day (inclusive ends)', () => {
    const blackouts = [{ startsOn: '2026-03-09', endsOn: '2026-03-11' }]
    expect(visitConflicts(wednesday, [expert({ blackouts })])).toEqual([
      {
        kind: 'blackout',
        expertId: 1,
        name: '王建国',
        date: '2026-03-11',
        startsOn: '2026-03-09',
        endsOn: '2026-03-11',
      },
    ])
    expect(
      visitConflicts(wednesday, [
        expert({ blackouts: [{ startsOn: '2026-03-12', endsOn: '2026-03-20' }] }),
      ]),
    ).toEqual([])
  })

  it('warns for an overlapping visit of the expert, except the visit itself', () => {
    const visits = [
      { visitId: 7, startsAt: bj('2026-03-11T11:00'), durationMinutes: 60, listTitle: '其他企业' },
      { visitId: 8, startsAt: bj('2026-03-11T11:30'), durationMinutes: 60 },
    ]
    const found = visitConflicts(wednesday, [expert({ visits })])
    expect(found).toEqual([
      {
        kind: 'overlap',
        expertId: 1,
        name: '王建国',
        visitId: 7,
        startsAt: bj('2026-03-11T11:00'),
        durationMinutes: 60,
        listTitle: '其他企业',
      },
    ])
    expect(visitConflicts(wednesday, [expert({ visits })], 7)).toEqual([])
  })

  it('reports each expert separately, several reasons each', () => {
    const sunday = { startsAt: bj('2026-03-15T10:00'), durationMinutes: 60 }
    const found = visitConflicts(sunday, [
      expert({ blackouts: [{ startsOn: '2026-03-15', endsOn: '2026-03-15' }] }),
      expert({ expertId: 2, name: '李工匠', weekdays: [7] }),
    ])
    expect(found.map((c) => [c.expertId, c.kind])).toEqual([
      [1, 'weekday'],
      [1, 'blackout'],
    ])
  })
})
