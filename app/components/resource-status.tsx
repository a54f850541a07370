import { useTranslation } from 'react-i18next'
import '#app/styles/matching.css'

/** A proposal's or invitation's status as a chip: proposed, invited, accepted, declined… */
export function ResourceStatus({ status }: { status: string }) {
  const { t } = useTranslation()
  return (
    <span className={`chip chip-${status}`} data-status={status}>
      {t(`matching.status.${status}`, { defaultValue: status })}
    </span>
  )
}
