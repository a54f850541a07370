import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { principalOf, requireRole } from '#app/auth/session.server.ts'
import { CsrfInput } from '#app/components/csrf-input.tsx'
import { DueDate, isOverdue } from '#app/components/due-date.tsx'
import { triageNoticeOf } from '#app/components/triage-panel.tsx'
import { formatDateTime } from '#app/utils/format.ts'
import { throwDomainError } from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { noticeOf } from '#app/utils/notice.ts'
import { INTAKE_STATUSES } from '#workflows/case-states.ts'
import { INTAKE_ROLES, intakeQueuePage, intakeScopes } from '#workflows/commands/triage.ts'
import { ENTERPRISE_TAGS } from '#workflows/enterprise-validation.ts'
import { parseIntakeFilters } from '#workflows/intake-filters.ts'
import { NEED_CATEGORIES } from '#workflows/needs-list.schema.ts'
import {
  AGE_FILTERS,
  INTAKE_SORTS,
  type IntakeFilters,
  intakeSearch,
} from '#workflows/triage.schema.ts'
import '#app/styles/triage.css'

export const PAGE_SIZE = 20
const DAY_MS = 24 * 3600 * 1000

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'intake.title')

const daysSince = (at: Date | null, now: number) =>
  at ? Math.max(0, Math.floor((now - at.getTime()) / DAY_MS)) : 0

/**
 * The intake queue of the coordinator's org subtrees. Filters and sorting are
 * GET parameters (the form works without JavaScript); a malformed filter is
 * dropped and named on the page.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRole(request, context, INTAKE_ROLES)
  const principal = principalOf(user)
  const scopes = intakeScopes(principal)
  const url = new URL(request.url)
  const { filters, invalid } = parseIntakeFilters(url.searchParams)
  const nowDate = context.now()
  const { rows, hasNext } = await intakeQueuePage(context.db, principal, filters, {
    pageSize: PAGE_SIZE,
    now: nowDate,
  }).catch(throwDomainError)
  const now = nowDate.getTime()
  return {
    // scopesFor hands back the user's own membership objects, which carry the org name.
    scopes: [...new Set(user.memberships.filter((m) => scopes.includes(m)).map((m) => m.orgName))],
    page: filters.page,
    hasNext,
    filters,
    invalid,
    notice: noticeOf(request) ?? triageNoticeOf(url.searchParams),
    statuses: INTAKE_STATUSES,
    lists: rows.map((r) => ({
      id: r.id,
      title: r.title,
      status: r.status,
      enterpriseId: r.enterprise_id,
      enterpriseName: r.enterpriseName,
      district: r.district,
      park: r.park,
      orgName: r.orgName,
      stewardName: r.stewardName,
      submittedAt: r.submitted_at,
      itemCount: Number(r.itemCount ?? 0),
      version: r.version,
      waitingDays: daysSince(r.submitted_at, now),
      stageDays: daysSince(r.stage_entered_at, now),
      dueAt: r.due_at,
      overdue: isOverdue(r.due_at, nowDate),
    })),
  }
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>

export default function Intake() {
  const data = useLoaderData<typeof loader>()
  const { lists, scopes, page, hasNext, notice, filters } = data
  const { t, i18n } = useTranslation()
  const search = intakeSearch(filters)
  // Triage posts to the list's own action and comes back here (without the old notice).
  const back = `/intake${search}`
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
      {data.invalid.length > 0 ? (
        <p className="form-error" role="alert">
          {t('triage.errors.badFilter', {
            fields: data.invalid.map((f) => t(`triage.filter.${f}`)).join('、'),
          })}
        </p>
      ) : null}
      <Filters data={data} />
      {lists.length === 0 ? (
        <p className="muted">
          {filters.status === 'submitted' && search === '' ? t('intake.empty') : t('triage.none')}
        </p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('needsList.enterprise')}</th>
              <th scope="col">{t('needsList.title')}</th>
              <th scope="col">{t('needsList.items')}</th>
              <th scope="col">{t('needsList.status')}</th>
              <th scope="col">{t('needsList.submittedAt')}</th>
              <th scope="col">{t('intake.waitingHeader')}</th>
              <th scope="col">{t('deadlines.due.header')}</th>
              <th scope="col">{t('needsList.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {lists.map((l) => (
              <tr key={l.id} className={l.overdue ? 'overdue' : undefined}>
                <td>
                  {l.enterpriseName}
                  <br />
                  <span className="muted">
                    {[l.orgName, l.district, l.park].filter(Boolean).join(' · ')}
                  </span>
                </td>
                <td>
                  <Link to={`/needs-lists/${l.id}`}>{l.title}</Link>
                </td>
                <td>{t('needsList.itemCount', { count: l.itemCount })}</td>
                <td>
                  <span className={`status status-${l.status}`}>{t(`status.${l.status}`)}</span>
                  {l.stewardName ? (
                    <>
                      <br />
                      <span className="muted">
                        {t('triage.stewardLine', { name: l.stewardName })}
                      </span>
                    </>
                  ) : null}
                </td>
                <td>{l.submittedAt ? formatDateTime(l.submittedAt, i18n.language) : '—'}</td>
                <td>
                  {t('intake.waiting', { days: l.waitingDays })}
                  <br />
                  <span className="muted">{t('triage.inStage', { days: l.stageDays })}</span>
                </td>
                <td>
                  <DueDate dueAt={l.dueAt} overdue={l.overdue} />
                </td>
                <td>
                  <RowActions row={l} back={back} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page > 1 || hasNext ? (
        <nav className="pager" aria-label={t('intake.page', { page })}>
          {page > 1 ? (
            <Link to={`/intake${intakeSearch(filters, { page: page - 1 })}`}>
              {t('intake.prev')}
            </Link>
          ) : null}
          <span className="muted">{t('intake.page', { page })}</span>
          {hasNext ? (
            <Link to={`/intake${intakeSearch(filters, { page: page + 1 })}`}>
              {t('intake.next')}
            </Link>
          ) : null}
        </nav>
      ) : null}
    </section>
  )
}

/** GET form: every filter is a query parameter, so links and the back button keep them. */
function Filters({ data }: { data: Data }) {
  const { t } = useTranslation()
  const f: IntakeFilters = data.filters
  return (
    <Form method="get" action="/intake" className="filters" aria-label={t('triage.filters')}>
      <div className="filter-grid">
        <div className="field">
          <label htmlFor="f-status">{t('triage.filter.status')}</label>
          <select id="f-status" name="status" defaultValue={f.status}>
            {data.statuses.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-category">{t('triage.filter.category')}</label>
          <select id="f-category" name="category" defaultValue={f.category ?? ''}>
            <option value="">{t('triage.any')}</option>
            {NEED_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {t(`category.${c}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-district">{t('triage.filter.district')}</label>
          <input id="f-district" name="district" type="text" defaultValue={f.district ?? ''} />
        </div>
        <div className="field">
          <label htmlFor="f-park">{t('triage.filter.park')}</label>
          <input id="f-park" name="park" type="text" defaultValue={f.park ?? ''} />
        </div>
        <div className="field">
          <label htmlFor="f-tag">{t('triage.filter.tag')}</label>
          <select id="f-tag" name="tag" defaultValue={f.tag ?? ''}>
            <option value="">{t('triage.any')}</option>
            {ENTERPRISE_TAGS.map((tag) => (
              <option key={tag} value={tag}>
                {t(`enterprise.tag.${tag}`, { defaultValue: tag })}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-age">{t('triage.filter.age')}</label>
          <select id="f-age" name="age" defaultValue={f.age ? String(f.age) : ''}>
            <option value="">{t('triage.any')}</option>
            {AGE_FILTERS.map((d) => (
              <option key={d} value={d}>
                {t('triage.olderThan', { days: d })}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-overdue" className="checkbox">
            <input
              id="f-overdue"
              name="overdue"
              type="checkbox"
              value="1"
              defaultChecked={f.overdue === true}
            />{' '}
            {t('triage.overdueOnly')}
          </label>
        </div>
        <div className="field">
          <label htmlFor="f-sort">{t('triage.filter.sort')}</label>
          <select id="f-sort" name="sort" defaultValue={f.sort}>
            {INTAKE_SORTS.map((s) => (
              <option key={s} value={s}>
                {t(`triage.sort.${s}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="actions">
        <button type="submit">{t('triage.apply')}</button>
        <Link to="/intake" className="button secondary">
          {t('triage.reset')}
        </Link>
      </div>
    </Form>
  )
}

function RowActions({ row, back }: { row: Data['lists'][number]; back: string }) {
  const { t } = useTranslation()
  if (row.status === 'submitted') {
    return (
      <>
        <TriageForms id={row.id} version={row.version} back={back} />
        <Link to={`/needs-lists/${row.id}/triage?${new URLSearchParams({ redirectTo: back })}`}>
          {t('triage.rejectOrRoute')}
        </Link>
      </>
    )
  }
  if (row.status === 'awaiting_steward') {
    return <Link to={`/needs-lists/${row.id}#steward`}>{t('steward.assign')}</Link>
  }
  return <Link to={`/needs-lists/${row.id}`}>{t('intake.open')}</Link>
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
