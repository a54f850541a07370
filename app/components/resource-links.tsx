import { Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'

const RESOURCES = ['ready_for_matching', 'matching', 'inviting', 'pairing', 'paired']
const PAIRING = ['inviting', 'pairing', 'paired']
const AGREEMENT = ['paired']

/** Links from a case to its resource list, pairing and agreement, once it has reached them. */
export function ResourceLinks({ listId, status }: { listId: number; status: string }) {
  const { t } = useTranslation()
  if (!RESOURCES.includes(status)) return null
  const links = [
    { to: 'resources', label: 'resources', hint: 'resourcesHint', show: true },
    { to: 'pairing', label: 'pairing', hint: 'pairingHint', show: PAIRING.includes(status) },
    {
      to: 'agreement',
      label: 'agreement',
      hint: 'agreementHint',
      show: AGREEMENT.includes(status),
    },
  ].filter((l) => l.show)
  return (
    <div className="actions" data-testid="matching-links">
      {links.map((l) => (
        <span key={l.to}>
          <Link to={`/needs-lists/${listId}/${l.to}`} className="button secondary">
            {t(`matching.links.${l.label}`)}
          </Link>{' '}
          <span className="muted">{t(`matching.links.${l.hint}`)}</span>
        </span>
      ))}
    </div>
  )
}
