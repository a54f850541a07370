import { Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'

const OUTCOMES = ['paired', 'in_service', 'outcomes', 'feedback', 'closed', 'archived']
const RATING = ['feedback', 'closed', 'archived']
const ARCHIVE = ['closed', 'archived']

/**
 * Links from a case to its outcomes, rating and archive, once it has reached
 * them (for the case page, beside ResourceLinks).
 */
export function OutcomeLinks({ listId, status }: { listId: number; status: string }) {
  const { t } = useTranslation()
  const links = [
    { to: 'outcomes', key: 'outcomes', show: OUTCOMES.includes(status) },
    { to: 'rating', key: 'rating', show: RATING.includes(status) },
    { to: 'archive', key: 'archive', show: ARCHIVE.includes(status) },
  ].filter((l) => l.show)
  if (links.length === 0) return null
  return (
    <div className="actions" data-testid="outcome-links">
      {links.map((l) => (
        <span key={l.to}>
          <Link to={`/needs-lists/${listId}/${l.to}`} className="button secondary">
            {t(`outcomes.links.${l.key}`)}
          </Link>{' '}
          <span className="muted">{t(`outcomes.links.${l.key}Hint`)}</span>
        </span>
      ))}
    </div>
  )
}
