import { Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'

const MATCHING = ['ready_for_matching', 'matching', 'inviting', 'pairing', 'paired']
const AFTER_PAIRING = ['paired', 'in_service', 'outcomes', 'feedback', 'closed', 'archived']

/** The case's later pages, each shown once the case has reached its stage. */
const LINKS: { to: string; label: string; hint: string; states: readonly string[] }[] = [
  {
    to: 'resources',
    label: 'matching.links.resources',
    hint: 'matching.links.resourcesHint',
    states: MATCHING,
  },
  {
    to: 'pairing',
    label: 'matching.links.pairing',
    hint: 'matching.links.pairingHint',
    states: ['inviting', 'pairing', 'paired'],
  },
  {
    to: 'agreement',
    label: 'matching.links.agreement',
    hint: 'matching.links.agreementHint',
    states: AFTER_PAIRING,
  },
  { to: 'visits', label: 'visits.list.title', hint: 'visits.links.hint', states: AFTER_PAIRING },
  {
    to: 'outcomes',
    label: 'outcomes.links.outcomes',
    hint: 'outcomes.links.outcomesHint',
    states: AFTER_PAIRING,
  },
  {
    to: 'rating',
    label: 'outcomes.links.rating',
    hint: 'outcomes.links.ratingHint',
    states: ['feedback', 'closed', 'archived'],
  },
  {
    to: 'archive',
    label: 'outcomes.links.archive',
    hint: 'outcomes.links.archiveHint',
    states: ['closed', 'archived'],
  },
]

/** Links from a case page to its resource list, pairing, agreement, visits, outcomes, rating and archive. */
export function CaseLinks({ listId, status }: { listId: number; status: string }) {
  const { t } = useTranslation()
  const links = LINKS.filter((l) => l.states.includes(status))
  if (links.length === 0) return null
  return (
    <div className="actions" data-testid="case-links">
      {links.map((l) => (
        <span key={l.to}>
          <Link to={`/needs-lists/${listId}/${l.to}`} className="button secondary">
            {t(l.label)}
          </Link>{' '}
          <span className="muted">{t(l.hint)}</span>
        </span>
      ))}
    </div>
  )
}
