/**
 * Turns a named deadline into a due time. The default counts calendar time;
 * a working-day policy can be supplied wherever dispatch is wired.
 */
export type DeadlinePolicy = (deadline: string, from: Date) => Date

const DAY_MS = 24 * 60 * 60 * 1000

export const DEFAULT_DEADLINE_DAYS: Record<string, number> = {
  triage: 3,
}

export const calendarDeadlines: DeadlinePolicy = (deadline, from) => {
  const days = DEFAULT_DEADLINE_DAYS[deadline]
  if (days === undefined) throw new Error(`unknown deadline ${deadline}`)
  return new Date(from.getTime() + days * DAY_MS)
}
