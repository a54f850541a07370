import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { principalOf, requireUser } from '#app/auth/session.server.ts'
import { formatDateTime } from '#app/utils/format.ts'
import { throwDomainError } from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { type ChallengeStatusFilter, challengesPage } from '#workflows/commands/challenges.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'challenges.title')

function statusParam(params: URLSearchParams): ChallengeStatusFilter {
  return params.get('status') === 'closed' ? 'closed' : 'open'
}

/** Experts: the challenges they may volunteer for. Union users: those of their subtree. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context)
  const status = statusParam(new URL(request.url).searchParams)
  const page = await challengesPage(context.db, principalOf(user), {
    status,
    now: context.now(),
  }).catch(throwDomainError)
  return {
    expert: page.expert && {
      profile: page.expert.profile,
      challenges: page.expert.challenges.map((c) => ({
        id: c.id,
        title: c.title,
        description: c.description,
        headcount: c.headcount,
        mode: c.mode,
        place: c.place,
        windowStart: c.windowStart,
        windowEnd: c.windowEnd,
        skills: c.skills,
        enterpriseName: c.enterpriseName,
        district: c.district,
        note: c.note,
        closesOn: c.closesOn,
        publishedAt: c.publishedAt,
        volunteered: c.volunteered,
        closedReason: c.closedReason,
      })),
    },
    union: page.union && {
      status: page.union.status,
      canPublish: page.union.canPublish,
      challenges: page.union.challenges.map((c) => ({
        id: c.id,
        title: c.title,
        listId: c.listId,
        listTitle: c.listTitle,
        listStatus: c.listStatus,
        enterpriseName: c.enterpriseName,
        orgName: c.orgName,
        closesOn: c.closesOn,
        publishedAt: c.publishedAt,
        closedReason: c.closedReason,
        volunteerCount: c.volunteerCount,
        volunteers: c.volunteers,
      })),
    },
  }
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>
type Skill = { id: number; nameZh: string; nameEn: string }

function skillLabel(skill: Skill, lng: string): string {
  return lng.startsWith('zh') ? skill.nameZh : skill.nameEn
}

export default function Challenges() {
  const data = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  return (
    <>
      {data.expert ? <ExpertChallenges expert={data.expert} /> : null}
      {data.union ? <UnionChallenges union={data.union} /> : null}
      {!data.expert && !data.union ? (
        <section className="card">
          <h1>{t('challenges.title')}</h1>
        </section>
      ) : null}
    </>
  )
}

function ExpertChallenges({ expert }: { expert: NonNullable<Data['expert']> }) {
  const { t, i18n } = useTranslation()
  const lng = i18n.language
  return (
    <section className="card">
      <h1>{t('challenges.expertHeading')}</h1>
      <p className="muted">{t('challenges.expertIntro')}</p>
      {expert.profile === null ? (
        <p className="notice" role="status">
          {t('challenges.noProfile')}
        </p>
      ) : expert.profile.status !== 'active' ? (
        <p className="notice" role="status">
          {t('challenges.paused')}
        </p>
      ) : null}
      {expert.challenges.length === 0 ? (
        <p className="muted">{t('challenges.none')}</p>
      ) : (
        <ul className="challenge-list">
          {expert.challenges.map((c) => (
            <li key={c.id}>
              <article aria-labelledby={`challenge-${c.id}`}>
                <h2 id={`challenge-${c.id}`}>
                  <Link to={`/challenges/${c.id}`}>{c.title}</Link>
                  {c.volunteered ? (
                    <>
                      {' '}
                      <span className="status status-accepted">{t('challenges.volunteered')}</span>
                    </>
                  ) : null}
                </h2>
                <p>{c.description}</p>
                <dl className="facts">
                  <dt>{t('challenges.field.enterprise')}</dt>
                  <dd>{c.enterpriseName}</dd>
                  <dt>{t('challenges.field.district')}</dt>
                  <dd>{c.district ?? '—'}</dd>
                  <dt>{t('challenges.field.skills')}</dt>
                  <dd>
                    {c.skills.length === 0
                      ? t('challenges.field.noSkills')
                      : c.skills.map((s) => skillLabel(s, lng)).join('、')}
                  </dd>
                  <dt>{t('challenges.field.window')}</dt>
                  <dd>
                    {c.windowStart || c.windowEnd
                      ? `${c.windowStart ?? ''} – ${c.windowEnd ?? ''}`
                      : t('challenges.field.windowOpen')}
                  </dd>
                  <dt>{t('confirmation.field.mode')}</dt>
                  <dd>
                    {t(`confirmation.mode.${c.mode}`)}
                    {c.place ? ` · ${c.place}` : ''}
                  </dd>
                  <dt>{t('confirmation.field.headcount')}</dt>
                  <dd>{c.headcount}</dd>
                  <dt>{t('challenges.field.closesOn')}</dt>
                  <dd>
                    {c.closesOn ?? t('challenges.field.noClosingDate')}
                    {c.closedReason ? ` (${t(`challenges.state.${c.closedReason}`)})` : ''}
                  </dd>
                  <dt>{t('challenges.field.publishedAt')}</dt>
                  <dd>{formatDateTime(c.publishedAt, lng)}</dd>
                </dl>
                {c.note ? <p className="muted">{c.note}</p> : null}
              </article>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

function UnionChallenges({ union }: { union: NonNullable<Data['union']> }) {
  const { t, i18n } = useTranslation()
  const lng = i18n.language
  return (
    <section className="card">
      <h1>{t('challenges.unionHeading')}</h1>
      <p className="muted">{t('challenges.unionIntro')}</p>
      <Form method="get" action="/challenges" className="filters">
        <div className="field">
          <label htmlFor="status">{t('challenges.statusFilter')}</label>
          <select id="status" name="status" defaultValue={union.status}>
            <option value="open">{t('challenges.filter.open')}</option>
            <option value="closed">{t('challenges.filter.closed')}</option>
          </select>
        </div>
        <div className="actions">
          <button type="submit" className="secondary">
            {t('challenges.show')}
          </button>
        </div>
      </Form>
      {union.canPublish ? (
        <p>
          <Link to="/challenges/new">{t('challenges.nav.publish')}</Link>
        </p>
      ) : null}
      {union.challenges.length === 0 ? (
        <p className="muted">{t('challenges.noneUnion')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('challenges.publish.item')}</th>
              <th scope="col">{t('challenges.field.enterprise')}</th>
              <th scope="col">{t('challenges.field.case')}</th>
              <th scope="col">{t('challenges.field.closesOn')}</th>
              <th scope="col">{t('challenges.field.volunteers')}</th>
            </tr>
          </thead>
          <tbody>
            {union.challenges.map((c) => (
              <tr key={c.id}>
                <td>
                  <Link to={`/challenges/${c.id}`}>{c.title}</Link>
                  <br />
                  <span className="muted">
                    {c.orgName} · {formatDateTime(c.publishedAt, lng)}
                  </span>
                </td>
                <td>{c.enterpriseName}</td>
                <td>
                  <Link to={`/needs-lists/${c.listId}`}>{c.listTitle}</Link>{' '}
                  <span className={`status status-${c.listStatus}`}>
                    {t(`status.${c.listStatus}`)}
                  </span>
                </td>
                <td>
                  {c.closesOn ?? t('challenges.field.noClosingDate')}
                  {c.closedReason ? (
                    <>
                      <br />
                      <span className="muted">{t(`challenges.state.${c.closedReason}`)}</span>
                    </>
                  ) : null}
                </td>
                <td>
                  {c.volunteerCount}
                  {c.volunteers.length > 0 ? (
                    <>
                      <br />
                      <span className="muted">{c.volunteers.map((v) => v.name).join('、')}</span>
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
