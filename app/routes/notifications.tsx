import { parseWithZod } from '@conform-to/zod/v4'
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { requireUser, safeRedirect } from '#app/auth/session.server.ts'
import { CsrfInput } from '#app/components/csrf-input.tsx'
import { formatDateTime } from '#app/utils/format.ts'
import { readForm } from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { markNotificationsRead, notificationsOf } from '#db/queries/notifications.ts'

const actionSchema = z.discriminatedUnion(
  'intent',
  [
    z.object({ intent: z.literal('read'), id: z.number().int().positive() }),
    z.object({ intent: z.literal('readAll') }),
  ],
  { error: 'errors.badRequest' },
)

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'notifications.title')

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context)
  const rows = await notificationsOf(context.db, user.id)
  return {
    notifications: rows.map((n) => ({
      id: n.id,
      kind: n.kind,
      params: (typeof n.params === 'object' && n.params !== null ? n.params : {}) as Record<
        string,
        string | number | boolean | null
      >,
      // Only same-site paths become links.
      link: n.link ? safeRedirect(n.link, '') || null : null,
      createdAt: n.created_at,
      unread: n.read_at === null,
    })),
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context)
  const form = await readForm(request, context)
  const submission = parseWithZod(form, { schema: actionSchema })
  if (submission.status !== 'success') {
    return data({ formError: 'errors.badRequest' }, { status: 400 })
  }
  const input = submission.value
  // Scoped to the user: someone else's notification id changes nothing.
  await markNotificationsRead(
    context.db,
    user.id,
    input.intent === 'readAll' ? 'all' : [input.id],
    context.now(),
  )
  return redirect('/notifications')
}

export default function Notifications() {
  const { notifications } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t, i18n } = useTranslation()
  const unread = notifications.filter((n) => n.unread).length
  return (
    <section className="card">
      <h1>
        {t('notifications.title')}{' '}
        {unread > 0 ? (
          <span className="muted">({t('notifications.unread', { count: unread })})</span>
        ) : null}
      </h1>
      {actionData?.formError ? (
        <p className="form-error" role="alert">
          {t(actionData.formError)}
        </p>
      ) : null}
      {unread > 0 ? (
        <Form method="post" className="actions">
          <CsrfInput />
          <button type="submit" name="intent" value="readAll" className="secondary">
            {t('notifications.markAllRead')}
          </button>
        </Form>
      ) : null}
      {notifications.length === 0 ? (
        <p className="muted">{t('notifications.empty')}</p>
      ) : (
        <table>
          <tbody>
            {notifications.map((n) => (
              <tr key={n.id} className={n.unread ? 'unread' : undefined}>
                <td>{t(`notifications.kinds.${n.kind}`, { ...n.params, defaultValue: n.kind })}</td>
                <td className="muted">
                  <time dateTime={new Date(n.createdAt).toISOString()}>
                    {formatDateTime(n.createdAt, i18n.language)}
                  </time>
                </td>
                <td>
                  {n.link ? (
                    <Link to={n.link}>{t('notifications.open')}</Link>
                  ) : (
                    <span className="muted">{t('notifications.none')}</span>
                  )}
                </td>
                <td>
                  {n.unread ? (
                    <Form method="post" className="inline">
                      <CsrfInput />
                      <input type="hidden" name="id" value={n.id} />
                      <button type="submit" name="intent" value="read" className="link-button">
                        {t('notifications.markRead')}
                      </button>
                    </Form>
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
