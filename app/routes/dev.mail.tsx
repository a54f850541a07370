import { data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { requireRole } from '#app/auth/session.server.ts'
import { devMailboxDir, mailDirOf } from '#app/env.server.ts'
import { formatDateTime } from '#app/utils/format.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { listCapturedMail, readCapturedMail } from '#jobs/delivery/file-mailbox.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'devmail.title')

/**
 * The development mailbox (jobs/delivery/file-mailbox.ts): every e-mail the
 * workers would have sent without SMTP. Federation admins only; it does not
 * exist in production. The environment was validated at start; only the
 * mailbox's own variables are read here.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  if (process.env.NODE_ENV === 'production') {
    throw new Response('errors.notFound', { status: 404 })
  }
  await requireRole(request, context, ['federation_admin'])
  const inUse = devMailboxDir(process.env)
  const dir = inUse ?? mailDirOf(process.env)
  const id = new URL(request.url).searchParams.get('id')
  const [messages, selected] = await Promise.all([
    listCapturedMail(dir),
    id ? readCapturedMail(dir, id) : Promise.resolve(null),
  ])
  const body = { dir, smtpInUse: inUse === null, messages, selected, missing: false }
  if (id && !selected) return data({ ...body, missing: true }, { status: 404 })
  return body
}

export default function DevMail() {
  const { dir, smtpInUse, messages, selected, missing } = useLoaderData<typeof loader>()
  const { t, i18n } = useTranslation()
  return (
    <section className="card">
      <h1>{t('devmail.title')}</h1>
      <p className="muted">{t('devmail.intro', { dir })}</p>
      {smtpInUse ? <p className="notice">{t('devmail.smtpInUse')}</p> : null}

      {missing ? (
        <p className="form-error" role="alert">
          {t('devmail.notFound')}
        </p>
      ) : null}
      {selected ? (
        <article aria-labelledby="mail-subject" data-testid="mail-view">
          <p>
            <Link to="/dev/mail">{t('devmail.back')}</Link>
          </p>
          <h2 id="mail-subject">{selected.subject}</h2>
          <dl>
            <dt>{t('devmail.to')}</dt>
            <dd>{selected.to}</dd>
            <dt>{t('devmail.time')}</dt>
            <dd>{formatDateTime(selected.date, i18n.language)}</dd>
            <dt>{t('devmail.messageId')}</dt>
            <dd>
              <code>{selected.messageId}</code>
            </dd>
          </dl>
          {selected.html ? (
            <>
              <h3>{t('devmail.html')}</h3>
              {/* An empty sandbox: no scripts, no forms, no access to this page. */}
              <iframe
                title={selected.subject}
                sandbox=""
                srcDoc={selected.html}
                style={{ width: '100%', minHeight: '28rem', border: '1px solid #d0d7de' }}
              />
            </>
          ) : null}
          <h3>{t('devmail.text')}</h3>
          <pre style={{ whiteSpace: 'pre-wrap' }}>{selected.text}</pre>
        </article>
      ) : null}

      {messages.length === 0 ? (
        <p className="muted">{t('devmail.empty')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>{t('devmail.time')}</th>
              <th>{t('devmail.to')}</th>
              <th>{t('devmail.subject')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {messages.map((m) => (
              <tr key={m.id} aria-current={selected?.id === m.id ? 'true' : undefined}>
                <td>{formatDateTime(m.date, i18n.language)}</td>
                <td>{m.to}</td>
                <td>{m.subject}</td>
                <td>
                  <Link to={`/dev/mail?id=${encodeURIComponent(m.id)}`}>{t('devmail.open')}</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
