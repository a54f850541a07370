import { type LoaderFunctionArgs, type MetaFunction, redirect } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { principalOf, requireUser } from '#app/auth/session.server.ts'
import {
  gradeLabel,
  HonourTags,
  LoadMeter,
  SkillTags,
  StatusBadge,
} from '#app/components/expert-display.tsx'
import { throwDomainError } from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { skillDomains } from '#app/utils/taxonomy.server.ts'
import { localName } from '#app/utils/taxonomy.ts'
import { HONOUR_LEVELS } from '#db/schema.ts'
import { hasRole } from '#workflows/access.ts'
import {
  listExperts,
  TALENT_READER_ROLES,
  talentManagerScopes,
  talentReaderScopes,
} from '#workflows/commands/experts.ts'
import { EXPERT_SORTS, expertSearchString, parseExpertFilters } from '#workflows/talent/filters.ts'
import { HONOUR_TYPES } from '#workflows/talent/honours.ts'
import { EXPERT_STATUSES } from '#workflows/talent/schema.ts'
import '#app/styles/taxonomy.css'
import '#app/styles/triage.css'

export const PAGE_SIZE = 20

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'talent.list.title')

/**
 * The talent pool of the user's subtrees (coordinators, federation admins,
 * stewards), filtered on the server by GET parameters. An expert without a
 * union role is sent to their own profile.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context)
  const principal = principalOf(user)
  if (!user.memberships.some((m) => TALENT_READER_ROLES.includes(m.role))) {
    if (hasRole(principal, 'expert')) throw redirect('/experts/me')
    throw new Response('errors.forbidden', { status: 403 })
  }
  const url = new URL(request.url)
  const { filters, invalid } = parseExpertFilters(url.searchParams)
  const [found, domains] = await Promise.all([
    listExperts(context.db, principal, filters, { pageSize: PAGE_SIZE }).catch(throwDomainError),
    skillDomains(context.db),
  ])
  const scopes = talentReaderScopes(principal)
  return {
    filters,
    invalid,
    search: expertSearchString(filters),
    total: found.total,
    page: found.page,
    pageCount: found.pageCount,
    experts: found.rows,
    domains,
    canManage: talentManagerScopes(principal).length > 0,
    scopes: [...new Set(user.memberships.filter((m) => scopes.includes(m)).map((m) => m.orgName))],
  }
}

export default function Experts() {
  const data = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  const { filters, experts, page, pageCount } = data
  const pageLink = (n: number) => `/experts${expertSearchString(filters, { page: n })}`
  return (
    <section className="card">
      <h1>{t('talent.list.title')}</h1>
      {data.scopes.map((org) => (
        <p key={org} className="muted">
          {t('talent.list.scope', { org })}
        </p>
      ))}
      <div className="actions">
        {data.canManage ? (
          <>
            <Link to="/experts/new" className="button">
              {t('talent.list.newButton')}
            </Link>
            <Link to="/experts/import" className="button secondary">
              {t('talent.list.importButton')}
            </Link>
          </>
        ) : null}
        <a href={`/experts/export.xlsx${data.search}`} className="button secondary" download>
          {t('talent.list.exportButton')}
        </a>
        <Link to="/teams" className="button secondary">
          {t('talent.list.teamsLink')}
        </Link>
      </div>
      {data.invalid.length > 0 ? (
        <p className="form-error" role="alert">
          {t('talent.list.badFilter', {
            fields: data.invalid.map((f) => t(`talent.list.${f}`, { defaultValue: f })).join('、'),
          })}
        </p>
      ) : null}
      <Filters data={data} />
      <p className="muted" data-testid="total">
        {t('talent.list.total', { count: data.total })}
      </p>
      {experts.length === 0 ? (
        <p className="muted">{t('talent.list.empty')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('talent.list.expert')}</th>
              <th scope="col">{t('talent.fields.grade')}</th>
              <th scope="col">{t('talent.fields.honours')}</th>
              <th scope="col">{t('talent.fields.skills')}</th>
              <th scope="col">{t('talent.fields.districts')}</th>
              <th scope="col">{t('talent.fields.load')}</th>
              <th scope="col">{t('talent.fields.status')}</th>
            </tr>
          </thead>
          <tbody>
            {experts.map((e) => (
              <tr key={e.id}>
                <td>
                  <Link to={`/experts/${e.id}`}>{e.name}</Link>
                  <br />
                  <span className="muted">
                    {[e.employer, e.jobTitle].filter(Boolean).join(' · ')}
                  </span>
                  <br />
                  <span className="muted">
                    {e.mobile} · {e.orgName}
                  </span>
                </td>
                <td>{gradeLabel(t, e.grade)}</td>
                <td>
                  <HonourTags honours={e.honours} />
                </td>
                <td>
                  <SkillTags skills={e.skills} max={3} />
                </td>
                <td>{e.districts.join('、') || t('talent.none')}</td>
                <td>
                  <LoadMeter load={e.load} capacity={e.capacity} />
                </td>
                <td>
                  <StatusBadge status={e.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pageCount > 1 ? (
        <nav className="pager" aria-label={t('talent.list.page', { page, pages: pageCount })}>
          {page > 1 ? <Link to={pageLink(page - 1)}>{t('talent.list.prev')}</Link> : null}
          <span className="muted">{t('talent.list.page', { page, pages: pageCount })}</span>
          {page < pageCount ? <Link to={pageLink(page + 1)}>{t('talent.list.next')}</Link> : null}
        </nav>
      ) : null}
    </section>
  )
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>

function Filters({ data }: { data: Data }) {
  const { t, i18n } = useTranslation()
  const lng = i18n.language
  const f = data.filters
  const indent = (n: number) => '\u3000'.repeat(n)
  return (
    <Form method="get" className="filters" role="search" aria-label={t('talent.list.filters')}>
      <div className="filter-grid">
        <div className="field">
          <label htmlFor="filter-q">{t('talent.list.q')}</label>
          <input id="filter-q" type="text" name="q" defaultValue={f.q ?? ''} maxLength={100} />
        </div>
        <div className="field">
          <label htmlFor="filter-skill">{t('talent.list.skill')}</label>
          <select id="filter-skill" name="skill" defaultValue={f.skill ? String(f.skill) : ''}>
            <option value="">{t('talent.any')}</option>
            {data.domains.map((d) => [
              <option key={d.id} value={d.id}>
                {localName(d, lng)}
              </option>,
              ...d.fields.flatMap((field) => [
                <option key={field.id} value={field.id}>
                  {indent(1)}
                  {localName(field, lng)}
                </option>,
                ...field.skills.map((s) => (
                  <option key={s.id} value={s.id}>
                    {indent(2)}
                    {localName(s, lng)}
                  </option>
                )),
              ]),
            ])}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-min">{t('talent.list.minLevel')}</label>
          <select
            id="filter-min"
            name="minLevel"
            defaultValue={f.minLevel ? String(f.minLevel) : ''}
          >
            <option value="">{t('talent.any')}</option>
            {[1, 2, 3, 4, 5].map((l) => (
              <option key={l} value={l}>
                {t(`talent.proficiency.${l}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-honour">{t('talent.list.honourType')}</label>
          <select id="filter-honour" name="honourType" defaultValue={f.honourType ?? ''}>
            <option value="">{t('talent.any')}</option>
            {HONOUR_TYPES.map((code) => (
              <option key={code} value={code}>
                {t(`talent.honourType.${code}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-level">{t('talent.list.honourLevel')}</label>
          <select id="filter-level" name="honourLevel" defaultValue={f.honourLevel ?? ''}>
            <option value="">{t('talent.any')}</option>
            {HONOUR_LEVELS.map((code) => (
              <option key={code} value={code}>
                {t(`talent.honourLevel.${code}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-district">{t('talent.list.district')}</label>
          <input
            id="filter-district"
            type="text"
            name="district"
            defaultValue={f.district ?? ''}
            maxLength={60}
          />
        </div>
        <div className="field">
          <label htmlFor="filter-from">{t('talent.list.from')}</label>
          <input
            id="filter-from"
            type="date"
            name="from"
            defaultValue={f.from ?? ''}
            aria-describedby="filter-window-hint"
          />
        </div>
        <div className="field">
          <label htmlFor="filter-to">{t('talent.list.to')}</label>
          <input
            id="filter-to"
            type="date"
            name="to"
            defaultValue={f.to ?? ''}
            aria-describedby="filter-window-hint"
          />
        </div>
        <div className="field">
          <label htmlFor="filter-status">{t('talent.list.status')}</label>
          <select id="filter-status" name="status" defaultValue={f.status ?? ''}>
            <option value="">{t('talent.any')}</option>
            {EXPERT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`talent.status.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-sort">{t('talent.list.sort')}</label>
          <select id="filter-sort" name="sort" defaultValue={f.sort}>
            {EXPERT_SORTS.map((s) => (
              <option key={s} value={s}>
                {t(`talent.list.sorts.${s}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <p className="muted" id="filter-window-hint">
        {t('talent.list.windowHint')}
      </p>
      <label className="checkbox">
        <input type="checkbox" name="free" value="1" defaultChecked={f.free === true} />{' '}
        {t('talent.list.free')}
      </label>
      <div className="actions">
        <button type="submit">{t('talent.list.search')}</button>
        {data.search ? (
          <Link to="/experts" className="button secondary">
            {t('talent.list.clear')}
          </Link>
        ) : null}
      </div>
    </Form>
  )
}
