import { useTranslation } from 'react-i18next'
import { formatDateTime } from '#app/utils/format.ts'

/** A conflict warning as pages receive it (flat, dates as ISO strings). */
export interface ConflictView {
  kind: 'weekday' | 'blackout' | 'overlap'
  expertId: number
  name: string
  date?: string
  weekday?: number
  startsOn?: string
  endsOn?: string
  visitId?: number
  startsAt?: string
  durationMinutes?: number
  listTitle?: string
}

/** The conflicts an action returned, if it returned any. */
export function postedConflicts(actionData: unknown): ConflictView[] | null {
  const c = (actionData as { conflicts?: unknown } | undefined)?.conflicts
  return Array.isArray(c) ? (c as ConflictView[]) : null
}

/** Conflicts as plain data for a loader or action (dates as ISO strings). */
export function conflictViews(
  conflicts: readonly ({ kind: string } & Record<string, unknown>)[],
): ConflictView[] {
  return conflicts.map((c) =>
    c.kind === 'overlap' && c.startsAt instanceof Date
      ? ({ ...c, startsAt: c.startsAt.toISOString() } as ConflictView)
      : (c as unknown as ConflictView),
  )
}

/** The scheduling conflicts of a visit's experts: warnings the steward may proceed past. */
export function VisitConflicts({ conflicts }: { conflicts: readonly ConflictView[] }) {
  const { t, i18n } = useTranslation()
  if (conflicts.length === 0) return null
  return (
    <div className="pin-warning" role="alert" data-testid="visit-conflicts">
      <strong>{t('visits.conflicts.heading')}</strong>
      <ul>
        {conflicts.map((c, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list of warnings
          <li key={i}>
            {c.kind === 'overlap'
              ? t('visits.conflicts.overlap', {
                  name: c.name,
                  when: c.startsAt ? formatDateTime(c.startsAt, i18n.language) : '',
                  case: c.listTitle ? ` · ${c.listTitle}` : '',
                })
              : c.kind === 'blackout'
                ? t('visits.conflicts.blackout', { ...c })
                : t('visits.conflicts.weekday', { ...c })}
          </li>
        ))}
      </ul>
    </div>
  )
}
