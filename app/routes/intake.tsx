import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { principalOf, requireRole } from '#app/auth/session.server.ts'
import { CsrfInput } from '#app/components/csrf-input.tsx'
import { formatDateTime } from '#app/utils/format.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { noticeOf } from '#app/utils/notice.ts'
import { intakeQueue } from '#db/queries/needs-lists.ts'
import type { Role } from '#db/schema.ts'
import { scopesFor } from '#workflows/access.ts'

export const PAGE_SIZE = 20
const INTAKE_ROLES: Role[] = ['coordinator', 'federation_admin']
const DAY_MS = 24 * 3600 * 1000

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'intake.title')

function pageOf(request: Request): number {
  const raw = new URL(request.url).searchParams.get('page')
  const page = Number(raw ?? '1')
  return Number.isSafeInteger(page) && page >= 1 ? page : 1
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRole(request, context, INTAKE_ROLES)
  const principal = principalOf(user)
  const scopes = scopesFor(principal, INTAKE_ROLES)
  const page = pageOf(request)
  const found = await intakeQueue(context.db, {
    orgPaths: scopes.map((s) => s.orgPath),
    statuses: ['submitted'],
    limit: PAGE_SIZE + 1,
    offset: (page - 1) * PAGE_SIZE,
  })
  const rows = found.slice(0, PAGE_SIZE)
  const now = context.now().getTime()
  return {
    // scopesFor hands back the user's own membership objects, which carry the org name.
    scopes: [...new Set(user.memberships.filter((m) => scopes.includes(m)).map((m) => m.orgName))],
    page,
    hasNext: found.length > PAGE_SIZE,
    notice: noticeOf(request),
    lists: rows.map((r) => ({
      id: r.id,
      title: r.title,
      enterpriseName: r.enterpriseName,
      orgName: r.orgName,
      submittedAt: r.submitted_at,
      itemCount: Number(r.itemCount ?? 0),
      version: r.version,
      waitingDays: r.submitted_at
        ? Math.max(0, Math.floor((now - r.submitted_at.getTime()) / DAY_MS))
        : 0,
    })),
  }
}

export default function Intake() {
  const { lists, scopes, page, hasNext, notice } = useLoaderData<typeof loader>()
  const { t, i18n } = useTranslation()
  // Triage posts to the list's own action and comes back here (without the old notice).
  const back = `/intake${page > 1 ? `?page=${page}` : ''}`
  return (
    <section className="card">
      <h1>{t('intake.title')}</h1>
      {scopes.map((org) => (
        <p key={org} className="muted">
          {t('intake.scope', { org })}
        </p>
      ))}
      {notice ? (
        <p className="notice" role="status">
          {t(notice)}
        </p>
      ) : null}
      {lists.length === 0 ? (
        <p className="muted">{t('intake.empty')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('needsList.enterprise')}</th>
              <th scope="col">{t('needsList.title')}</th>
              <th scope="col">{t('needsList.items')}</th>
              <th scope="col">{t('needsList.submittedAt')}</th>
              <th scope="col">{t('intake.waitingHeader')}</th>
              <th scope="col">{t('needsList.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {lists.map((l) => (
              <tr key={l.id}>
                <td>
                  {l.enterpriseName}
                  <br />
                  <span className="muted">{l.orgName}</span>
                </td>
                <td>
                  <Link to={`/needs-lists/${l.id}`}>{l.title}</Link>
                </td>
                <td>{t('needsList.itemCount', { count: l.itemCount })}</td>
                <td>{l.submittedAt ? formatDateTime(l.submittedAt, i18n.language) : '—'}</td>
                <td>{t('intake.waiting', { days: l.waitingDays })}</td>
                <td>
                  <TriageForms id={l.id} version={l.version} back={back} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page > 1 || hasNext ? (
        <nav className="pager" aria-label={t('intake.page', { page })}>
          {page > 1 ? (
            <Link to={page === 2 ? '/intake' : `/intake?page=${page - 1}`}>{t('intake.prev')}</Link>
          ) : null}
          <span className="muted">{t('intake.page', { page })}</span>
          {hasNext ? <Link to={`/intake?page=${page + 1}`}>{t('intake.next')}</Link> : null}
        </nav>
      ) : null}
    </section>
  )
}

/**
 * Accept / return in place, through the list's own action (one triage
 * implementation); errors such as a missing reason or a conflict are shown
 * on the list's page, success comes back here.
 */
function TriageForms({ id, version, back }: { id: number; version: number; back: string }) {
  const { t } = useTranslation()
  return (
    <div className="row-actions">
      <Form method="post" action={`/needs-lists/${id}`} className="inline">
        <CsrfInput />
        <input type="hidden" name="redirectTo" value={back} />
        <input type="hidden" name="version" value={version} />
        <button type="submit" name="intent" value="accept">
          {t('needsList.accept')}
        </button>
      </Form>
      <details>
        <summary>{t('needsList.return')}</summary>
        <Form method="post" action={`/needs-lists/${id}`}>
          <CsrfInput />
          <input type="hidden" name="redirectTo" value={back} />
          <input type="hidden" name="version" value={version} />
          <div className="field">
            <label htmlFor={`reason-${id}`}>{t('needsList.returnReason')}</label>
            <textarea id={`reason-${id}`} name="reason" rows={2} />
          </div>
          <button type="submit" name="intent" value="return" className="secondary">
            {t('needsList.return')}
          </button>
        </Form>
      </details>
    </div>
  )
}
