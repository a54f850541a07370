/** Dates are shown in the programme's time zone, whatever the server's or browser's is. */
export const TIME_ZONE = 'Asia/Shanghai'

type DateLike = Date | string | number

function toDate(value: DateLike): Date {
  return value instanceof Date ? value : new Date(value)
}

/** Date and time, e.g. 2026年3月2日 14:05 / Mar 2, 2026, 2:05 PM. */
export function formatDateTime(value: DateLike, locale: string): string {
  return new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: TIME_ZONE,
  }).format(toDate(value))
}

/** Date only. */
export function formatDate(value: DateLike, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: TIME_ZONE }).format(
    toDate(value),
  )
}
