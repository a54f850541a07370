import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { principalOf, requireUser } from '#app/auth/session.server.ts'
import { formatDate } from '#app/utils/format.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { archivedCasesFor } from '#workflows/commands/case-archive.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'archive.listTitle')

/** GET filters; anything malformed falls back to "no filter" (a list page never fails on its URL). */
const filtersSchema = z.object({
  q: z.string().trim().max(50).catch(''),
  year: z.coerce.number().int().min(2000).max(2100).nullable().catch(null),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
})

/**
 * Archived cases: union users see those of their org subtrees, enterprise
 * contacts their enterprise's, experts the ones they took part in.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context)
  const params = new URL(request.url).searchParams
  const filters = filtersSchema.parse({
    q: params.get('q') ?? '',
    year: params.get('year') || null,
    page: params.get('page') ?? 1,
  })
  const result = await archivedCasesFor(context.db, principalOf(user), filters)
  const thisYear = Number(
    new Date(context.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 4),
  )
  return {
    ...result,
    filters,
    years: Array.from({ length: 6 }, (_, k) => thisYear - k),
  }
}

export default function ArchivedCases() {
  const page = useLoaderData<typeof loader>()
  const { t, i18n } = useTranslation()
  const lng = i18n.language
  const { filters } = page
  const link = (p: number) => {
    const q = new URLSearchParams()
    if (filters.q) q.set('q', filters.q)
    if (filters.year) q.set('year', String(filters.year))
    q.set('page', String(p))
    return `/archive?${q}`
  }
  const hasNext = page.page * page.pageSize < page.total
  return (
    <section className="card">
      <h1>{t('archive.listTitle')}</h1>
      <Form method="get" className="actions">
        <label htmlFor="q">{t('archive.list.search')}</label>
        <input id="q" name="q" type="search" defaultValue={filters.q} maxLength={50} />
        <label htmlFor="year">{t('archive.list.year')}</label>
        <select id="year" name="year" defaultValue={filters.year ?? ''}>
          <option value="">{t('archive.list.anyYear')}</option>
          {page.years.map((y) => (
            <option key={y} value={y}>
              {y}
            </option>
          ))}
        </select>
        <button type="submit">{t('archive.list.filter')}</button>
      </Form>
      <p className="muted">{t('archive.list.count', { count: page.total })}</p>
      {page.cases.length === 0 ? (
        <p className="muted">{t('archive.list.empty')}</p>
      ) : (
        <table data-testid="archived-cases">
          <thead>
            <tr>
              <th scope="col">{t('archive.list.title')}</th>
              <th scope="col">{t('archive.list.enterprise')}</th>
              <th scope="col">{t('archive.list.steward')}</th>
              <th scope="col">{t('archive.list.archivedAt')}</th>
              <th scope="col">{t('archive.list.closeKind')}</th>
              <th scope="col">{t('archive.list.rating')}</th>
              <th scope="col">{t('archive.list.solved')}</th>
            </tr>
          </thead>
          <tbody>
            {page.cases.map((c) => (
              <tr key={c.id}>
                <td>
                  <Link to={`/needs-lists/${c.id}/archive`}>{c.title}</Link>
                  <br />
                  <span className="muted">{c.orgName}</span>
                </td>
                <td>{c.enterpriseName}</td>
                <td>{c.stewardName ?? '—'}</td>
                <td>{c.archivedAt ? formatDate(c.archivedAt, lng) : '—'}</td>
                <td>{c.closeKind ? t(`archive.closeKind.${c.closeKind}`) : '—'}</td>
                <td>{c.average ?? t('archive.list.noRating')}</td>
                <td>{t('archive.list.solvedOf', { solved: c.solved, items: c.items })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page.page > 1 || hasNext ? (
        <p className="actions">
          {page.page > 1 ? <Link to={link(page.page - 1)}>{t('archive.list.prev')}</Link> : null}
          <span>{t('archive.list.page', { page: page.page })}</span>
          {hasNext ? <Link to={link(page.page + 1)}>{t('archive.list.next')}</Link> : null}
        </p>
      ) : null}
    </section>
  )
}
