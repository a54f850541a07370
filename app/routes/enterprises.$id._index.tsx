import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { principalOf, requireUser } from '#app/auth/session.server.ts'
import { formatDate, formatDateTime } from '#app/utils/format.ts'
import { idParam, throwDomainError } from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { enterpriseProfile } from '#workflows/commands/enterprises.ts'

/** Outcomes announced after a redirect here (post/redirect/get). */
const NOTICES = ['registered', 'created', 'joined'] as const

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, 'enterprise.profile.title', data?.enterprise.name)

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context)
  const id = idParam(params.id)
  const view = await enterpriseProfile(context.db, principalOf(user), id, {
    now: context.now(),
  }).catch(throwDomainError)
  const e = view.enterprise
  const done = new URL(request.url).searchParams.get('done')
  return {
    enterprise: {
      id: e.id,
      name: e.name,
      creditCode: e.credit_code,
      industry: e.industry,
      size: e.size,
      tags: e.tags,
      address: e.address,
      district: e.district,
      park: e.park,
      orgName: e.orgName,
      createdAt: e.created_at,
    },
    steward: view.steward,
    needsLists: view.needsLists.map((l) => ({
      id: l.id,
      title: l.title,
      status: l.status,
      updatedAt: l.updated_at,
      itemCount: l.itemCount,
    })),
    contacts: view.contacts,
    invitations: view.invitations,
    can: view.can,
    notice: (NOTICES as readonly string[]).includes(done ?? '')
      ? `enterprise.notices.${done}`
      : null,
  }
}

export default function EnterpriseProfile() {
  const view = useLoaderData<typeof loader>()
  const { t, i18n } = useTranslation()
  const lng = i18n.language
  const e = view.enterprise
  const none = t('enterprise.profile.none')
  return (
    <>
      <section className="card">
        <h1>{e.name}</h1>
        {view.notice ? (
          <p className="notice" role="status">
            {t(view.notice)}
          </p>
        ) : null}
        <h2>{t('enterprise.profile.facts')}</h2>
        <dl className="facts">
          <dt>{t('enterprise.fields.creditCode')}</dt>
          <dd>{e.creditCode ?? none}</dd>
          <dt>{t('enterprise.fields.industry')}</dt>
          <dd>{e.industry ? `${e.industry} ${t(`enterprise.industry.${e.industry}`)}` : none}</dd>
          <dt>{t('enterprise.fields.size')}</dt>
          <dd>{e.size ? t(`enterprise.size.${e.size}`) : none}</dd>
          <dt>{t('enterprise.fields.tags')}</dt>
          <dd>
            {e.tags.length > 0 ? e.tags.map((tag) => t(`enterprise.tag.${tag}`)).join('、') : none}
          </dd>
          <dt>{t('enterprise.fields.org')}</dt>
          <dd>{e.orgName}</dd>
          <dt>{t('enterprise.fields.district')}</dt>
          <dd>{e.district ?? none}</dd>
          <dt>{t('enterprise.fields.park')}</dt>
          <dd>{e.park ?? none}</dd>
          <dt>{t('enterprise.fields.address')}</dt>
          <dd>{e.address ?? none}</dd>
          <dt>{t('enterprise.fields.createdAt')}</dt>
          <dd>{formatDate(e.createdAt, lng)}</dd>
        </dl>
      </section>

      <section className="card">
        <h2>{t('enterprise.profile.steward')}</h2>
        <p data-testid="steward">
          {view.steward ? (
            view.steward.name
          ) : (
            <span className="muted">{t('enterprise.profile.noSteward')}</span>
          )}
        </p>
        {view.can.stewardSection ? (
          <p>
            <Link to={`/enterprises/${e.id}/steward`}>
              {t('enterprise.profile.stewardSection')}
            </Link>
          </p>
        ) : null}
      </section>

      <section className="card">
        <h2>{t('enterprise.profile.needsLists')}</h2>
        {view.needsLists.length === 0 ? (
          <p className="muted">{t('enterprise.profile.noLists')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('enterprise.profile.listTitle')}</th>
                <th scope="col">{t('enterprise.profile.status')}</th>
                <th scope="col">{t('needsList.items')}</th>
                <th scope="col">{t('enterprise.profile.updatedAt')}</th>
              </tr>
            </thead>
            <tbody>
              {view.needsLists.map((l) => (
                <tr key={l.id}>
                  <td>
                    <Link to={`/needs-lists/${l.id}`}>{l.title}</Link>
                  </td>
                  <td>
                    <span className={`status status-${l.status}`}>{t(`status.${l.status}`)}</span>
                  </td>
                  <td>{t('needsList.itemCount', { count: l.itemCount })}</td>
                  <td>{formatDateTime(l.updatedAt, lng)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="card">
        <h2>{t('enterprise.profile.contacts')}</h2>
        {view.contacts.length === 0 ? (
          <p className="muted">{t('enterprise.profile.noContacts')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('enterprise.profile.contactName')}</th>
                <th scope="col">{t('enterprise.profile.email')}</th>
                <th scope="col">{t('enterprise.profile.mobile')}</th>
              </tr>
            </thead>
            <tbody>
              {view.contacts.map((c) => (
                <tr key={c.id}>
                  <td>{c.name}</td>
                  <td>{c.email}</td>
                  <td>
                    {c.mobile === null ? (
                      none
                    ) : view.can.seeFullMobiles ? (
                      c.mobile
                    ) : (
                      <span title={t('enterprise.profile.mobileMasked')}>{c.mobile}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {view.can.invite ? (
          <>
            {view.invitations.length > 0 ? (
              <>
                <h3>{t('enterprise.profile.invitations')}</h3>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('enterprise.profile.contactName')}</th>
                      <th scope="col">{t('enterprise.profile.email')}</th>
                      <th scope="col">{t('enterprise.profile.invitedAt')}</th>
                      <th scope="col">{t('enterprise.profile.expiresAt')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {view.invitations.map((i) => (
                      <tr key={i.id}>
                        <td>{i.name}</td>
                        <td>{i.email}</td>
                        <td>{formatDateTime(i.createdAt, lng)}</td>
                        <td>
                          {i.expired ? (
                            <span className="muted">{t('enterprise.profile.expired')}</span>
                          ) : (
                            formatDateTime(i.expiresAt, lng)
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            ) : null}
            <div className="actions">
              <Link to={`/enterprises/${e.id}/invite`} className="button">
                {t('enterprise.profile.invite')}
              </Link>
            </div>
          </>
        ) : null}
      </section>
    </>
  )
}
