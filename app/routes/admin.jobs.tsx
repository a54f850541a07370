import { parseWithZod } from '@conform-to/zod/v4'
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { type CurrentUser, principalOf, requireRole } from '#app/auth/session.server.ts'
import { CsrfInput } from '#app/components/csrf-input.tsx'
import { formatDateTime } from '#app/utils/format.ts'
import { readForm } from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { JOB_STATES } from '#jobs/delivery/job-states.ts'
import { scopesFor } from '#workflows/access.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'delivery.jobs.title')

const PATH = '/admin/jobs'

const actionSchema = z.discriminatedUnion(
  'intent',
  [
    z.object({
      intent: z.literal('retryJob'),
      queue: z.string().min(1).max(50),
      jobId: z.string().min(1).max(200),
    }),
    z.object({
      intent: z.literal('retrySend'),
      kind: z.enum(['delivery', 'digest']),
      id: z.number().int().positive(),
    }),
  ],
  { error: 'errors.badRequest' },
)

/** The org subtrees whose users' failed messages this admin may see and retry. */
function adminScopes(user: CurrentUser): string[] {
  return scopesFor(principalOf(user), ['federation_admin']).map((m) => m.orgPath)
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRole(request, context, ['federation_admin'])
  const jobs = context.jobs
  const [queues, backlog] = jobs
    ? await Promise.all([jobs.queues(), jobs.backlog(adminScopes(user))])
    : [null, null]
  return {
    queues,
    backlog,
    retried: new URL(request.url).searchParams.get('done') === 'retried',
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRole(request, context, ['federation_admin'])
  const form = await readForm(request, context)
  const submission = parseWithZod(form, { schema: actionSchema })
  if (submission.status !== 'success') {
    return data({ formError: 'errors.badRequest' }, { status: 400 })
  }
  const jobs = context.jobs
  if (!jobs) return data({ formError: 'delivery.jobs.unavailable' }, { status: 503 })
  const input = submission.value
  const result =
    input.intent === 'retryJob'
      ? await jobs.retryJob(input.queue, input.jobId)
      : await jobs.retrySend(input.kind, input.id, adminScopes(user))
  switch (result) {
    case 'retried':
      return redirect(`${PATH}?done=retried`)
    case 'unavailable':
      return data({ formError: 'delivery.jobs.unavailable' }, { status: 503 })
    case 'notFound':
      return data({ formError: 'errors.notFound' }, { status: 404 })
    case 'notFailed':
      return data({ formError: 'delivery.jobs.notRetryable' }, { status: 409 })
  }
}

export default function AdminJobs() {
  const { queues, backlog, retried } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t, i18n } = useTranslation()
  const when = (value: string | Date | null) => (value ? formatDateTime(value, i18n.language) : '—')
  const failedJobs = (queues ?? []).flatMap((q) =>
    q.failed.map((job) => ({ ...job, queue: q.name })),
  )
  return (
    <section className="card">
      <h1>{t('delivery.jobs.title')}</h1>
      <p className="muted">{t('delivery.jobs.intro')}</p>
      {retried && !actionData ? (
        <p className="notice" role="status">
          {t('delivery.jobs.retried')}
        </p>
      ) : null}
      {actionData?.formError ? (
        <p className="form-error" role="alert">
          {t(actionData.formError)}
        </p>
      ) : null}

      {queues ? (
        <table>
          <thead>
            <tr>
              <th>{t('delivery.jobs.queue')}</th>
              {JOB_STATES.map((s) => (
                <th key={s}>{t(`delivery.jobs.${s}`)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {queues.map((q) => (
              <tr key={q.name}>
                <td>{q.name}</td>
                {JOB_STATES.map((s) => (
                  <td key={s} data-testid={`${q.name}-${s}`}>
                    {q.counts[s]}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="form-error">{t('delivery.jobs.unavailable')}</p>
      )}

      <h2>{t('delivery.jobs.latestFailed')}</h2>
      {failedJobs.length === 0 ? (
        <p className="muted">{t('delivery.jobs.noFailed')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>{t('delivery.jobs.queue')}</th>
              <th>{t('delivery.jobs.job')}</th>
              <th>{t('delivery.jobs.error')}</th>
              <th>{t('delivery.jobs.attempts')}</th>
              <th>{t('delivery.jobs.at')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {failedJobs.map((job) => (
              <tr key={`${job.queue}:${job.id}`}>
                <td>{job.queue}</td>
                <td>
                  {job.name} <span className="muted">#{job.id}</span>
                </td>
                <td>{job.error}</td>
                <td>{job.attemptsMade}</td>
                <td>{when(job.finishedAt)}</td>
                <td>
                  <Form method="post" className="inline">
                    <CsrfInput />
                    <input type="hidden" name="queue" value={job.queue} />
                    <input type="hidden" name="jobId" value={job.id} />
                    <button type="submit" name="intent" value="retryJob" className="link-button">
                      {t('delivery.jobs.retry')}
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>{t('delivery.jobs.outbox')}</h2>
      {!backlog || backlog.outbox.pending === 0 ? (
        <p className="muted">{t('delivery.jobs.outboxEmpty')}</p>
      ) : (
        <>
          <p>{t('delivery.jobs.outboxPending', { count: backlog.outbox.pending })}</p>
          <table>
            <thead>
              <tr>
                <th>#</th>
                <th>{t('delivery.jobs.queue')}</th>
                <th>{t('delivery.jobs.oldest')}</th>
                <th>{t('delivery.jobs.attempts')}</th>
                <th>{t('delivery.jobs.error')}</th>
              </tr>
            </thead>
            <tbody>
              {backlog.outbox.oldest.map((row) => (
                <tr key={row.id}>
                  <td>{row.id}</td>
                  <td>
                    {row.queue} / {row.job_name}
                  </td>
                  <td>{when(row.created_at)}</td>
                  <td>{row.attempts}</td>
                  <td>{row.last_error ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}

      <h2>{t('delivery.jobs.deliveries')}</h2>
      {!backlog || backlog.deliveries.length + backlog.digests.length === 0 ? (
        <p className="muted">{t('delivery.jobs.deliveriesEmpty')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>#</th>
              <th>{t('delivery.jobs.channel')}</th>
              <th>{t('delivery.jobs.user')}</th>
              <th>{t('delivery.jobs.kind')}</th>
              <th>{t('delivery.jobs.status')}</th>
              <th>{t('delivery.jobs.attempts')}</th>
              <th>{t('delivery.jobs.error')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {[
              ...backlog.deliveries.map((d) => ({
                key: `delivery-${d.id}`,
                kind: 'delivery' as const,
                id: d.id,
                channel: d.channel as string,
                user: d.user_name,
                what: t(`notifications.kinds.${d.kind}`, { defaultValue: d.kind }),
                status: d.status as string,
                attempts: d.attempts,
                error: d.last_error,
              })),
              ...backlog.digests.map((g) => ({
                key: `digest-${g.id}`,
                kind: 'digest' as const,
                id: g.id,
                channel: 'digest',
                user: g.user_name,
                what: g.digest_date,
                status: g.status as string,
                attempts: g.attempts,
                error: g.last_error,
              })),
            ].map((row) => (
              <tr key={row.key} data-testid={row.key}>
                <td>{row.id}</td>
                <td>{t(`delivery.channel.${row.channel}`)}</td>
                <td>{row.user}</td>
                <td>{row.what}</td>
                <td>{t(`delivery.status.${row.status}`)}</td>
                <td>{row.attempts}</td>
                <td>{row.error ?? '—'}</td>
                <td>
                  <Form method="post" className="inline">
                    <CsrfInput />
                    <input type="hidden" name="kind" value={row.kind} />
                    <input type="hidden" name="id" value={row.id} />
                    <button type="submit" name="intent" value="retrySend" className="link-button">
                      {t('delivery.jobs.retry')}
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
