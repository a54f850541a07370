import chineseDays from 'chinese-days/dist/chinese-days.json' with { type: 'json' }

/**
 * China's official working-day calendar: weekends and public holidays are off,
 * adjusted working days (调休) are on. Data from the chinese-days package,
 * with local overrides on top (a federation may add a local holiday).
 *
 * Times are in Asia/Shanghai, which has been UTC+8 all year since 1991, so a
 * fixed offset is exact.
 */
const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000
const DAY_MS = 24 * 3600 * 1000

export type DayKind = 'workday' | 'holiday'

export interface WorkingHours {
  /** Minutes after local midnight. */
  start: number
  end: number
}

export const DEFAULT_WORKING_HOURS: WorkingHours = { start: 9 * 60, end: 18 * 60 }

const officialHolidays = new Set(Object.keys(chineseDays.holidays))
const officialWorkdays = new Set(Object.keys(chineseDays.workdays))

/** 'YYYY-MM-DD' of the Shanghai calendar day containing `instant`. */
export function shanghaiDate(instant: Date): string {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10)
}

/** The instant of `minutes` after midnight, Shanghai time, on `date` ('YYYY-MM-DD'). */
export function shanghaiInstant(date: string, minutes = 0): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) - SHANGHAI_OFFSET_MS + minutes * 60_000)
}

function nextDate(date: string, delta = 1): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + delta * DAY_MS).toISOString().slice(0, 10)
}

export class WorkingDayCalendar {
  constructor(
    private readonly overrides: ReadonlyMap<string, DayKind> = new Map(),
    readonly hours: WorkingHours = DEFAULT_WORKING_HOURS,
  ) {}

  isWorkingDay(date: string): boolean {
    const override = this.overrides.get(date)
    if (override) return override === 'workday'
    if (officialWorkdays.has(date)) return true
    if (officialHolidays.has(date)) return false
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay()
    return weekday !== 0 && weekday !== 6
  }

  isWorkingTime(instant: Date): boolean {
    const date = shanghaiDate(instant)
    if (!this.isWorkingDay(date)) return false
    const minutes = (instant.getTime() - shanghaiInstant(date).getTime()) / 60_000
    return minutes >= this.hours.start && minutes < this.hours.end
  }

  /** The `n`-th working day after the day of `from` (n ≥ 1), or the day itself when it works and n is 0. */
  addWorkingDays(from: Date | string, n: number): string {
    let date = typeof from === 'string' ? from : shanghaiDate(from)
    if (n === 0) {
      while (!this.isWorkingDay(date)) date = nextDate(date)
      return date
    }
    const step = n > 0 ? 1 : -1
    let left = Math.abs(n)
    while (left > 0) {
      date = nextDate(date, step)
      if (this.isWorkingDay(date)) left--
    }
    return date
  }

  /** Deadline "N working days after": the end of working hours on that day. */
  dueAfterWorkingDays(from: Date, n: number): Date {
    return shanghaiInstant(this.addWorkingDays(from, n), this.hours.end)
  }

  /** `hours` of working time after `from`, skipping nights, weekends and holidays. */
  addWorkingHours(from: Date, hours: number): Date {
    let remaining = hours * 60
    let cursor = from
    for (let guard = 0; guard < 4000; guard++) {
      const date = shanghaiDate(cursor)
      const dayStart = shanghaiInstant(date, this.hours.start)
      const dayEnd = shanghaiInstant(date, this.hours.end)
      if (this.isWorkingDay(date) && cursor < dayEnd) {
        const begin = Math.max(cursor.getTime(), dayStart.getTime())
        const available = (dayEnd.getTime() - begin) / 60_000
        if (remaining <= available) return new Date(begin + remaining * 60_000)
        remaining -= available
      }
      cursor = shanghaiInstant(nextDate(date))
    }
    throw new Error('working-hours arithmetic ran past its horizon')
  }

  /** Working days strictly after `from`'s day up to and including `to`'s day (negative if `to` is earlier). */
  workingDaysBetween(from: Date, to: Date): number {
    let a = shanghaiDate(from)
    const b = shanghaiDate(to)
    if (a === b) return 0
    const sign = a < b ? 1 : -1
    let count = 0
    while (a !== b) {
      a = nextDate(a, sign)
      if (this.isWorkingDay(a)) count += sign
    }
    return count
  }

  /** The last year the bundled official data covers; later years fall back to weekends only. */
  static coveredUntil(): number {
    return Math.max(...[...officialHolidays].map((d) => Number(d.slice(0, 4))))
  }
}
