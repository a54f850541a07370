import { Form, Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import type { ListKind } from '#workflows/reports/list-filters.ts'
import '#app/styles/triage.css'

/**
 * The federation lists' page: the filter form (GET, works without
 * JavaScript), the table of one page as the server formatted it, the pager
 * and the export link carrying the same query string.
 */

export interface FilterOption {
  value: string
  /** A plain label (org and steward names) or a translation key. */
  label?: string
  labelKey?: string
  /** Indent (org tree depth below the viewer's top org). */
  level?: number
}

export interface FilterField {
  name: string
  type: 'select' | 'text' | 'checkbox' | 'period'
  options?: FilterOption[]
  maxLength?: number
  placeholderKey?: string
  /** No "any" choice (the field always has a value, e.g. what the period applies to). */
  required?: boolean
}

export interface ReportListData {
  kind: ListKind
  values: Record<string, string>
  sort: { key: string; dir: 'asc' | 'desc' }
  sorts: string[]
  invalid: string[]
  fields: FilterField[]
  total: number
  page: number
  pageCount: number
  columns: { id: string; numeric: boolean }[]
  rows: { key: string; cells: { text: string; href?: string; numeric?: boolean }[] }[]
  /** The query string without the page: '' or '?…'. */
  search: string
  org: string | null
  scopes: string[]
}

function withPage(search: string, page: number): string {
  const params = new URLSearchParams(search)
  if (page > 1) params.set('page', String(page))
  const s = params.toString()
  return s ? `?${s}` : ''
}

export function ReportList({ data }: { data: ReportListData }) {
  const { t } = useTranslation()
  const base = `/reports/${data.kind}`
  const { page, pageCount } = data
  return (
    <section className="card">
      <p>
        <Link to="/reports">{t('reports.list.back')}</Link>
      </p>
      <h1>{t(`reports.kinds.${data.kind}`)}</h1>
      {(data.org ? [data.org] : data.scopes).map((org) => (
        <p key={org} className="muted">
          {t('reports.list.scope', { org })}
        </p>
      ))}
      {data.invalid.length > 0 ? (
        <p className="form-error" role="alert">
          {t('reports.list.badFilter', {
            fields: data.invalid
              .map((f) => t(`reports.filter.${f}`, { defaultValue: f }))
              .join('、'),
          })}
        </p>
      ) : null}
      <FilterForm data={data} />
      <div className="actions">
        <p className="muted" data-testid="total">
          {t('reports.list.total', { count: data.total })}
        </p>
        <a
          href={`${base}.xlsx${data.search}`}
          className="button secondary"
          download
          title={t('reports.list.exportHint')}
        >
          {t('reports.list.export', { count: data.total })}
        </a>
      </div>
      {data.rows.length === 0 ? (
        <p className="muted">{t('reports.list.empty')}</p>
      ) : (
        <div style={{ overflowX: 'auto' }}>
          <table>
            <thead>
              <tr>
                {data.columns.map((c) => (
                  <th key={c.id} scope="col" style={c.numeric ? { textAlign: 'right' } : undefined}>
                    {t(`reports.columns.${data.kind}.${c.id}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.rows.map((row) => (
                <tr key={row.key}>
                  {row.cells.map((cell, i) => (
                    <td
                      // biome-ignore lint/suspicious/noArrayIndexKey: cells follow the fixed columns
                      key={i}
                      style={
                        cell.numeric
                          ? { textAlign: 'right', fontVariantNumeric: 'tabular-nums' }
                          : undefined
                      }
                    >
                      {cell.href ? <Link to={cell.href}>{cell.text}</Link> : cell.text}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pageCount > 1 ? (
        <nav className="pager" aria-label={t('reports.list.page', { page, pages: pageCount })}>
          {page > 1 ? (
            <Link to={`${base}${withPage(data.search, page - 1)}`}>{t('reports.list.prev')}</Link>
          ) : null}
          <span className="muted">{t('reports.list.page', { page, pages: pageCount })}</span>
          {page < pageCount ? (
            <Link to={`${base}${withPage(data.search, page + 1)}`}>{t('reports.list.next')}</Link>
          ) : null}
        </nav>
      ) : null}
    </section>
  )
}

function optionLabel(t: (key: string) => string, o: FilterOption): string {
  const text = o.labelKey ? t(o.labelKey) : (o.label ?? o.value)
  return `${'\u3000'.repeat(o.level ?? 0)}${text}`
}

function FilterForm({ data }: { data: ReportListData }) {
  const { t } = useTranslation()
  const v = data.values
  const checkboxes = data.fields.filter((f) => f.type === 'checkbox')
  return (
    <Form
      method="get"
      className="filters"
      role="search"
      aria-label={t('reports.list.filters')}
      action={`/reports/${data.kind}`}
    >
      <div className="filter-grid">
        {data.fields
          .filter((f) => f.type !== 'checkbox')
          .map((f) => {
            const id = `filter-${f.name}`
            return (
              <div className="field" key={f.name}>
                <label htmlFor={id}>{t(`reports.filter.${f.name}`)}</label>
                {f.type === 'select' ? (
                  <select id={id} name={f.name} defaultValue={v[f.name] ?? ''}>
                    {f.required ? null : <option value="">{t('reports.list.any')}</option>}
                    {(f.options ?? []).map((o) => (
                      <option key={o.value} value={o.value}>
                        {optionLabel(t, o)}
                      </option>
                    ))}
                  </select>
                ) : f.type === 'period' ? (
                  <input
                    id={id}
                    type="text"
                    name={f.name}
                    defaultValue={v[f.name] ?? ''}
                    maxLength={7}
                    placeholder={t('reports.list.periodHint')}
                    pattern="\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?"
                  />
                ) : (
                  <input
                    id={id}
                    type="text"
                    name={f.name}
                    defaultValue={v[f.name] ?? ''}
                    maxLength={f.maxLength}
                    placeholder={f.placeholderKey ? t(f.placeholderKey) : undefined}
                  />
                )}
              </div>
            )
          })}
        <div className="field">
          <label htmlFor="filter-sort">{t('reports.list.sortBy')}</label>
          <select id="filter-sort" name="sort" defaultValue={data.sort.key}>
            {data.sorts.map((s) => (
              <option key={s} value={s}>
                {t(`reports.sorts.${data.kind}.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-dir">{t('reports.filter.dir')}</label>
          <select id="filter-dir" name="dir" defaultValue={data.sort.dir}>
            <option value="desc">{t('reports.list.desc')}</option>
            <option value="asc">{t('reports.list.asc')}</option>
          </select>
        </div>
      </div>
      {checkboxes.map((f) => (
        <label className="checkbox" key={f.name}>
          <input type="checkbox" name={f.name} value="1" defaultChecked={v[f.name] === '1'} />{' '}
          {t(`reports.filter.${f.name}`)}
        </label>
      ))}
      <div className="actions">
        <button type="submit">{t('reports.list.search')}</button>
        {data.search ? (
          <Link to={`/reports/${data.kind}`} className="button secondary">
            {t('reports.list.clear')}
          </Link>
        ) : null}
      </div>
    </Form>
  )
}
