import { shanghaiDate, shanghaiInstant, WorkingDayCalendar } from '../calendar/working-days.ts'

/**
 * Notification kinds that go out at once whatever the recipient's quiet hours
 * or digest setting: the reminder the day before a visit, and a visit called
 * off or moved, must not wait for the morning or the next working day.
 */
export const URGENT_KINDS: readonly string[] = [
  'visit.dayBefore',
  'visit.cancelled',
  'visit.rescheduled',
]

export function isUrgentKind(kind: string): boolean {
  return URGENT_KINDS.includes(kind)
}

export interface QuietPolicy {
  /** Minutes after midnight, Asia/Shanghai; start = end means no quiet hours. */
  quietStart: number
  quietEnd: number
  quietOnNonWorkingDays: boolean
}

const defaultCalendar = new WorkingDayCalendar()

function minutesOfDay(at: Date, date: string): number {
  return Math.floor((at.getTime() - shanghaiInstant(date).getTime()) / 60_000)
}

function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
}

/** The end of the quiet window `minutes` falls in, or undefined when it is not quiet then. */
function quietUntil(policy: QuietPolicy, date: string, minutes: number): Date | undefined {
  const { quietStart: start, quietEnd: end } = policy
  if (start === end) return undefined
  if (start < end) {
    return minutes >= start && minutes < end ? shanghaiInstant(date, end) : undefined
  }
  // The window wraps midnight, e.g. 22:00–08:00.
  if (minutes >= start) return shanghaiInstant(nextDate(date), end)
  if (minutes < end) return shanghaiInstant(date, end)
  return undefined
}

/**
 * The first moment at or after `at` when a non-urgent message may reach the
 * user: outside their quiet hours and, unless they allow it, on a working day
 * of China's official calendar (adjusted working days count as working days).
 */
export function nextAllowedMoment(
  policy: QuietPolicy,
  at: Date,
  calendar: WorkingDayCalendar = defaultCalendar,
): Date {
  let cursor = at
  // Each step jumps to the end of a quiet window or to the next midnight; a year is plenty.
  for (let guard = 0; guard < 2 * 366; guard++) {
    const date = shanghaiDate(cursor)
    if (policy.quietOnNonWorkingDays && !calendar.isWorkingDay(date)) {
      cursor = shanghaiInstant(nextDate(date))
      continue
    }
    const until = quietUntil(policy, date, minutesOfDay(cursor, date))
    if (!until) return cursor
    cursor = until
  }
  throw new Error('quiet-hours arithmetic ran past its horizon')
}

/** When a delivery of `kind` created at `at` may go out. */
export function sendTimeFor(
  kind: string,
  policy: QuietPolicy,
  at: Date,
  calendar?: WorkingDayCalendar,
): Date {
  return isUrgentKind(kind) ? at : nextAllowedMoment(policy, at, calendar)
}
