import { useTranslation } from 'react-i18next'

const CHIP: Record<string, string> = {
  proposed: 'chip-invited',
  scheduled: 'chip-accepted',
  on_site: 'chip-accepted',
  reported: 'chip-pending',
  report_confirmed: 'chip-accepted',
  cancelled: 'chip-withdrawn',
}

/** A visit's state as a chip. */
export function VisitStatus({ status }: { status: string }) {
  const { t } = useTranslation()
  return (
    <span className={`chip ${CHIP[status] ?? ''}`} data-status={status}>
      {t(`visits.status.${status}`, { defaultValue: status })}
    </span>
  )
}
