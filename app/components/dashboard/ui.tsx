import { Link, useMatches } from '@remix-run/react'
import { useTranslation } from 'react-i18next'

/** What every dashboard page tells the layout: the org, its trail and the data time. */
export interface DashboardFrame {
  org: { id: number; name: string }
  trail: { id: number; name: string }[]
  asOf: Date | string | null
}

/** The frame of the deepest dashboard page on screen, if it has loaded one. */
export function useDashboardFrame(): DashboardFrame | null {
  const matches = useMatches()
  for (let i = matches.length - 1; i >= 0; i--) {
    const data = matches[i]?.data as { frame?: DashboardFrame } | undefined
    if (data?.frame) return data.frame
  }
  return null
}

/** A chart drawn on the server, with its caption; the data table follows it on the page. */
export function ChartFigure({
  chart,
  caption,
  id,
  children,
}: {
  chart: { svg: string; width: number; height: number } | null
  caption: string
  id: string
  children?: React.ReactNode
}) {
  const { t } = useTranslation()
  return (
    <figure className="dash-chart" aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`}>{caption}</figcaption>
      {chart ? (
        <div
          className="dash-chart-svg"
          role="img"
          aria-label={caption}
          // The SVG comes from ECharts on the server; its texts are escaped there.
          // biome-ignore lint/security/noDangerouslySetInnerHtml: server-rendered chart markup
          dangerouslySetInnerHTML={{ __html: chart.svg }}
        />
      ) : (
        <p className="muted">{t('dashboard.empty')}</p>
      )}
      {children}
    </figure>
  )
}

/** Previous / next links for a paged dashboard table. */
export function Pager({
  page,
  total,
  pageSize,
  href,
}: {
  page: number
  total: number
  pageSize: number
  href: (page: number) => string
}) {
  const { t } = useTranslation()
  const pages = Math.max(1, Math.ceil(total / pageSize))
  if (pages <= 1) return null
  return (
    <nav className="dash-pager actions" aria-label={t('dashboard.pager.page', { page, pages })}>
      {page > 1 ? <Link to={href(page - 1)}>{t('dashboard.pager.prev')}</Link> : null}
      <span className="muted">{t('dashboard.pager.page', { page, pages })}</span>
      {page < pages ? <Link to={href(page + 1)}>{t('dashboard.pager.next')}</Link> : null}
    </nav>
  )
}
