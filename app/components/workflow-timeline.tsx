import { useTranslation } from 'react-i18next'
import { formatDateTime } from '#app/utils/format.ts'

export interface TimelineEntry {
  id: number
  type: string
  actorName: string | null
  actorRole: string
  at: string | Date
  reason?: string | null
  deadline?: { phase: string; stage: string } | null
  /** The needs revision a confirmation step refers to. */
  revision?: number | null
  comment?: string | null
  /** What the event is about when it is not the case itself (an invitation, a visit), translated. */
  subject?: string | null
  /** The label's translation key when it is not `event.<type>` (another workflow's events). */
  labelKey?: string | null
}

const REVISION_EVENTS = ['REVISE', 'PROPOSE', 'APPROVE']

/** A case's audit trail as both sides read it: what happened, who did it, when, and why. */
export function WorkflowTimeline({ entries }: { entries: TimelineEntry[] }) {
  const { t, i18n } = useTranslation()
  return (
    <ol className="timeline">
      {entries.map((e) => (
        <li key={e.id}>
          <strong>
            {e.deadline
              ? `${t(`deadlines.phase.${e.deadline.phase}`)} · ${t(`deadlines.stage.${e.deadline.stage}`)}`
              : t(e.labelKey ?? `event.${e.type}`)}
          </strong>{' '}
          {e.subject ? (
            <>
              <span className="muted">[{e.subject}]</span>{' '}
            </>
          ) : null}
          <span>
            {t('event.by', {
              name: e.actorName ?? t('roles.system'),
              role: t(`roles.${e.actorRole}`),
            })}
          </span>{' '}
          <time className="muted" dateTime={new Date(e.at).toISOString()}>
            {formatDateTime(e.at, i18n.language)}
          </time>
          {e.revision != null && REVISION_EVENTS.includes(e.type) ? (
            <span className="muted">
              {' '}
              · {t('confirmation.timeline.revision', { revision: e.revision })}
            </span>
          ) : null}
          {e.comment ? (
            <p className="muted pre-wrap">
              {t('confirmation.timeline.comment', { comment: e.comment })}
            </p>
          ) : null}
          {e.reason ? (
            <p className="muted">{t('needsList.reasonLine', { reason: e.reason })}</p>
          ) : null}
        </li>
      ))}
    </ol>
  )
}
