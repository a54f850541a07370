// Pure: which experts of a visit's team cannot well be there. Warnings only;
// the steward may schedule anyway once they have seen them.

const HOUR_MS = 3_600_000
const BEIJING_OFFSET_MS = 8 * HOUR_MS

export interface BusyVisit {
  visitId: number
  startsAt: Date
  durationMinutes: number
  /** The other visit's case, to name it in the warning. */
  listTitle?: string
}

export interface ExpertAvailability {
  expertId: number
  name: string
  /** ISO weekdays (1 = Monday … 7 = Sunday) the expert usually serves; empty: any day. */
  weekdays: readonly number[]
  /** Inclusive 'YYYY-MM-DD' ranges. */
  blackouts: readonly { startsOn: string; endsOn: string }[]
  /** The expert's other visits that still hold their time (proposed, scheduled, on site). */
  visits: readonly BusyVisit[]
}

export type VisitConflict =
  | { kind: 'weekday'; expertId: number; name: string; date: string; weekday: number }
  | {
      kind: 'blackout'
      expertId: number
      name: string
      date: string
      startsOn: string
      endsOn: string
    }
  | {
      kind: 'overlap'
      expertId: number
      name: string
      visitId: number
      startsAt: Date
      durationMinutes: number
      listTitle?: string
    }

export interface Slot {
  startsAt: Date
  durationMinutes: number
}

/** The Beijing calendar date ('YYYY-MM-DD') of a moment. */
export function beijingDate(at: Date): string {
  return new Date(at.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 10)
}

/** ISO weekday (1 = Monday) of a 'YYYY-MM-DD' date. */
export function isoWeekday(date: string): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay()
  return day === 0 ? 7 : day
}

/** The Beijing dates a slot touches (usually one; two when it runs past midnight). */
export function slotDates(slot: Slot): string[] {
  const first = beijingDate(slot.startsAt)
  // The last minute inside the slot.
  const last = beijingDate(new Date(slot.startsAt.getTime() + slot.durationMinutes * 60_000 - 1))
  const dates = [first]
  let d = first
  while (d < last) {
    d = new Date(Date.parse(`${d}T00:00:00Z`) + 24 * HOUR_MS).toISOString().slice(0, 10)
    dates.push(d)
  }
  return dates
}

export function overlaps(a: Slot, b: Slot): boolean {
  const aEnd = a.startsAt.getTime() + a.durationMinutes * 60_000
  const bEnd = b.startsAt.getTime() + b.durationMinutes * 60_000
  return a.startsAt.getTime() < bEnd && b.startsAt.getTime() < aEnd
}

/**
 * For each expert: the days of the slot that are not among their weekdays or
 * fall in a blackout, and their other visits the slot overlaps. `excludeVisitId`
 * leaves out the visit being rescheduled itself.
 */
export function visitConflicts(
  slot: Slot,
  experts: readonly ExpertAvailability[],
  excludeVisitId?: number,
): VisitConflict[] {
  const out: VisitConflict[] = []
  const dates = slotDates(slot)
  for (const e of experts) {
    for (const date of dates) {
      const weekday = isoWeekday(date)
      if (e.weekdays.length > 0 && !e.weekdays.includes(weekday)) {
        out.push({ kind: 'weekday', expertId: e.expertId, name: e.name, date, weekday })
      }
      for (const b of e.blackouts) {
        if (b.startsOn <= date && date <= b.endsOn) {
          out.push({
            kind: 'blackout',
            expertId: e.expertId,
            name: e.name,
            date,
            startsOn: b.startsOn,
            endsOn: b.endsOn,
          })
        }
      }
    }
    for (const v of e.visits) {
      if (v.visitId === excludeVisitId) continue
      if (overlaps(slot, v)) {
        out.push({
          kind: 'overlap',
          expertId: e.expertId,
          name: e.name,
          visitId: v.visitId,
          startsAt: v.startsAt,
          durationMinutes: v.durationMinutes,
          ...(v.listTitle === undefined ? {} : { listTitle: v.listTitle }),
        })
      }
    }
  }
  return out
}
