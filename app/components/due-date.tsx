import { useTranslation } from 'react-i18next'
import { formatDateTime } from '#app/utils/format.ts'
import '#app/styles/deadlines.css'

/**
 * A stage deadline, flagged when it has passed. `overdue` comes from the
 * loader (the server's clock), so server and browser render the same.
 */
export function DueDate({ dueAt, overdue }: { dueAt: Date | string | null; overdue: boolean }) {
  const { t, i18n } = useTranslation()
  if (!dueAt) return <span className="muted">{t('deadlines.due.none')}</span>
  return (
    <span className={overdue ? 'due overdue' : 'due'}>
      <time dateTime={new Date(dueAt).toISOString()}>{formatDateTime(dueAt, i18n.language)}</time>
      {overdue ? <span className="overdue-flag">{t('deadlines.due.overdue')}</span> : null}
    </span>
  )
}

/** Whether a deadline has passed at `now` (for loaders). */
export function isOverdue(dueAt: Date | null, now: Date): boolean {
  return dueAt !== null && dueAt.getTime() < now.getTime()
}
