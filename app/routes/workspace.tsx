import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { principalOf, requireRole } from '#app/auth/session.server.ts'
import { DueDate, isOverdue } from '#app/components/due-date.tsx'
import { throwDomainError } from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { stewardWorkspace } from '#workflows/commands/stewards.ts'
import '#app/styles/triage.css'

const DAY_MS = 24 * 3600 * 1000

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'steward.workspaceTitle')

function intParam(params: URLSearchParams, name: string): number {
  const n = Number(params.get(name) ?? '1')
  return Number.isSafeInteger(n) && n >= 1 && n <= 100_000 ? n : 1
}

/** The steward's own work: what waits on them, their cases by stage, their enterprises. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRole(request, context, ['steward'])
  const params = new URL(request.url).searchParams
  const stage = params.get('stage')
  const casePage = intParam(params, 'page')
  const enterprisePage = intParam(params, 'epage')
  const ws = await stewardWorkspace(context.db, principalOf(user), {
    stage,
    casePage,
    enterprisePage,
  }).catch(throwDomainError)
  const nowDate = context.now()
  const now = nowDate.getTime()
  const row = (c: (typeof ws.cases)[number]) => ({
    id: c.id,
    title: c.title,
    status: c.status,
    enterpriseName: c.enterpriseName,
    stageDays: Math.max(0, Math.floor((now - c.stage_entered_at.getTime()) / DAY_MS)),
    dueAt: c.due_at,
    overdue: isOverdue(c.due_at, nowDate),
  })
  return {
    stage: ws.stages.some((s) => s.state === stage) ? stage : null,
    stages: ws.stages,
    casePage,
    enterprisePage,
    cases: ws.cases.map(row),
    casesHasNext: ws.casesHasNext,
    waiting: ws.waiting.map(row),
    waitingHasMore: ws.waitingHasMore,
    enterprises: ws.enterprises,
    enterprisesHasNext: ws.enterprisesHasNext,
  }
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>

function search(data: Data, patch: { stage?: string | null; page?: number; epage?: number }) {
  const params = new URLSearchParams()
  const stage = patch.stage === undefined ? data.stage : patch.stage
  const page = patch.page ?? (patch.stage === undefined ? data.casePage : 1)
  const epage = patch.epage ?? data.enterprisePage
  if (stage) params.set('stage', stage)
  if (page > 1) params.set('page', String(page))
  if (epage > 1) params.set('epage', String(epage))
  const s = params.toString()
  return `/workspace${s ? `?${s}` : ''}`
}

export default function Workspace() {
  const data = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  const total = data.stages.reduce((n, s) => n + s.count, 0)
  return (
    <>
      <section className="card" aria-labelledby="waiting-heading">
        <h1>{t('steward.workspaceTitle')}</h1>
        <h2 id="waiting-heading">{t('steward.waitingOnMe')}</h2>
        {data.waiting.length === 0 ? (
          <p className="muted">{t('steward.nothingWaiting')}</p>
        ) : (
          <CaseTable rows={data.waiting} />
        )}
        {data.waitingHasMore ? (
          <p>
            <Link to={search(data, { stage: 'confirming' })}>{t('steward.moreWaiting')}</Link>
          </p>
        ) : null}
      </section>

      <section className="card" aria-labelledby="cases-heading">
        <h2 id="cases-heading">{t('steward.myCases')}</h2>
        <nav className="tabs" aria-label={t('steward.byStage')}>
          <Link to={search(data, { stage: null })} aria-current={data.stage ? undefined : 'page'}>
            {t('steward.allStages', { count: total })}
          </Link>
          {data.stages.map((s) => (
            <Link
              key={s.state}
              to={search(data, { stage: s.state })}
              aria-current={data.stage === s.state ? 'page' : undefined}
            >
              {t(`status.${s.state}`)} ({s.count})
            </Link>
          ))}
        </nav>
        {data.cases.length === 0 ? (
          <p className="muted">{t('steward.noCases')}</p>
        ) : (
          <CaseTable rows={data.cases} />
        )}
        {data.casePage > 1 || data.casesHasNext ? (
          <nav className="pager" aria-label={t('intake.page', { page: data.casePage })}>
            {data.casePage > 1 ? (
              <Link to={search(data, { page: data.casePage - 1 })}>{t('intake.prev')}</Link>
            ) : null}
            <span className="muted">{t('intake.page', { page: data.casePage })}</span>
            {data.casesHasNext ? (
              <Link to={search(data, { page: data.casePage + 1 })}>{t('intake.next')}</Link>
            ) : null}
          </nav>
        ) : null}
      </section>

      <section className="card" aria-labelledby="enterprises-heading">
        <h2 id="enterprises-heading">{t('steward.myEnterprises')}</h2>
        {data.enterprises.length === 0 ? (
          <p className="muted">{t('steward.noEnterprises')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('needsList.enterprise')}</th>
                <th scope="col">{t('needsList.org')}</th>
                <th scope="col">{t('steward.openCases')}</th>
              </tr>
            </thead>
            <tbody>
              {data.enterprises.map((e) => (
                <tr key={e.id}>
                  <td>
                    <Link to={`/enterprises/${e.id}/steward`}>{e.name}</Link>
                    <br />
                    <span className="muted">
                      {[e.district, e.park].filter(Boolean).join(' · ')}
                    </span>
                  </td>
                  <td>{e.orgName}</td>
                  <td>{e.openCases}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {data.enterprisePage > 1 || data.enterprisesHasNext ? (
          <nav className="pager" aria-label={t('intake.page', { page: data.enterprisePage })}>
            {data.enterprisePage > 1 ? (
              <Link to={search(data, { epage: data.enterprisePage - 1 })}>{t('intake.prev')}</Link>
            ) : null}
            <span className="muted">{t('intake.page', { page: data.enterprisePage })}</span>
            {data.enterprisesHasNext ? (
              <Link to={search(data, { epage: data.enterprisePage + 1 })}>{t('intake.next')}</Link>
            ) : null}
          </nav>
        ) : null}
      </section>
    </>
  )
}

function CaseTable({ rows }: { rows: Data['cases'] }) {
  const { t } = useTranslation()
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">{t('needsList.title')}</th>
          <th scope="col">{t('needsList.enterprise')}</th>
          <th scope="col">{t('needsList.status')}</th>
          <th scope="col">{t('steward.timeInStage')}</th>
          <th scope="col">{t('deadlines.due.header')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((c) => (
          <tr key={c.id} className={c.overdue ? 'overdue' : undefined}>
            <td>
              <Link to={`/needs-lists/${c.id}`}>{c.title}</Link>
            </td>
            <td>{c.enterpriseName}</td>
            <td>
              <span className={`status status-${c.status}`}>{t(`status.${c.status}`)}</span>
            </td>
            <td>{t('triage.inStage', { days: c.stageDays })}</td>
            <td>
              <DueDate dueAt={c.dueAt} overdue={c.overdue} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
