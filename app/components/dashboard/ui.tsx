import { Form, Link, useMatches } from '@remix-run/react'
import type { ReactNode } from 'react'
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

/** A person's name linking to their page, their org below it. */
export function NameWithOrg({ to, name, orgName }: { to: string; name: string; orgName: string }) {
  return (
    <>
      <Link to={to}>{name}</Link>
      <br />
      <span className="muted">{orgName}</span>
    </>
  )
}

/** One column of a dashboard table: its header and how a row fills it. */
export interface Column<R> {
  label: string
  /** Right-aligned number column. */
  num?: boolean
  /** The row's header cell (`<th scope="row">`). */
  rowHead?: boolean
  cell: (row: R) => ReactNode
}

/** A dashboard table: one header row, then a row per item, column by column. */
export function DashTable<R>({
  columns,
  rows,
  rowKey,
  rowProps,
  caption,
  hiddenCaption = false,
  className = 'dash-table',
  testId,
}: {
  columns: readonly Column<NoInfer<R>>[]
  rows: readonly R[]
  rowKey: (row: R) => string | number
  /** Attributes of a row's `<tr>` (class, test id). */
  rowProps?: (row: R) => { className?: string; 'data-testid'?: string }
  caption?: string
  /** Caption for screen readers only (the chart or heading beside it says the same). */
  hiddenCaption?: boolean
  className?: string
  testId?: string
}) {
  const num = (c: Column<R>) => (c.num ? 'num' : undefined)
  return (
    <table className={className} data-testid={testId}>
      {caption === undefined ? null : (
        <caption className={hiddenCaption ? 'visually-hidden' : undefined}>{caption}</caption>
      )}
      <thead>
        <tr>
          {columns.map((c, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: columns are fixed per table
            <th key={i} scope="col" className={num(c)}>
              {c.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={rowKey(r)} {...rowProps?.(r)}>
            {columns.map((c, i) =>
              c.rowHead ? (
                // biome-ignore lint/suspicious/noArrayIndexKey: columns are fixed per table
                <th key={i} scope="row">
                  {c.cell(r)}
                </th>
              ) : (
                // biome-ignore lint/suspicious/noArrayIndexKey: columns are fixed per table
                <td key={i} className={num(c)}>
                  {c.cell(r)}
                </td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/**
 * The sort picker of a paged dashboard list (a GET form, org and period kept);
 * `children` are further fields before the button.
 */
export function SortForm({
  action,
  orgId,
  periodKey,
  id,
  sort,
  sorts,
  labelPrefix,
  children,
}: {
  action: string
  orgId: number
  periodKey: string
  /** The select's id. */
  id: string
  sort: string
  sorts: readonly string[]
  /** Message prefix of the sort names (`${labelPrefix}.${sort}`). */
  labelPrefix: string
  children?: ReactNode
}) {
  const { t } = useTranslation()
  return (
    <Form method="get" action={action} className="filters dash-noprint">
      <input type="hidden" name="org" value={orgId} />
      <input type="hidden" name="period" value={periodKey} />
      <div className="field">
        <label htmlFor={id}>{t('dashboard.sort.label')}</label>
        <select id={id} name="sort" defaultValue={sort}>
          {sorts.map((s) => (
            <option key={s} value={s}>
              {t(`${labelPrefix}.${s}`)}
            </option>
          ))}
        </select>
      </div>
      {children}
      <div className="actions">
        <button type="submit" className="secondary">
          {t('dashboard.sort.apply')}
        </button>
      </div>
    </Form>
  )
}
