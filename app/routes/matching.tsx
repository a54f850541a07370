import { parseWithZod } from '@conform-to/zod/v4'
import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { principalOf, requireRole } from '#app/auth/session.server.ts'
import { CsrfInput } from '#app/components/csrf-input.tsx'
import { formatDateTime } from '#app/utils/format.ts'
import { formDomainError, invalidForm, readForm, throwDomainError } from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { matchingDesk, runBatchMatching } from '#workflows/commands/resource-list.ts'

const PATH = '/matching'
const ROLES = ['coordinator', 'federation_admin'] as const

const actionSchema = z.discriminatedUnion('intent', [z.object({ intent: z.literal('matchAll') })], {
  error: 'errors.badRequest',
})

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'matching.desk.title')

const count = (v: string | null) => {
  const n = Number(v)
  return v !== null && Number.isFinite(n) && n >= 0 && n < 1e9 ? n : null
}

/** The last batch's summary, from the redirect after it (post/redirect/get). */
function summaryOf(request: Request) {
  const q = new URL(request.url).searchParams
  if (q.get('done') !== 'batch') return null
  const lists = count(q.get('lists'))
  const filled = count(q.get('filled'))
  const missing = count(q.get('missing'))
  const score = count(q.get('score'))
  return lists === null || filled === null || missing === null || score === null
    ? null
    : { lists, filled, missing, score }
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRole(request, context, [...ROLES])
  const lists = await matchingDesk(context.db, principalOf(user)).catch(throwDomainError)
  return { lists, summary: summaryOf(request) }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRole(request, context, [...ROLES])
  const form = await readForm(request, context)
  const submission = parseWithZod(form, { schema: actionSchema })
  if (submission.status !== 'success') return invalidForm(submission)
  let outcome: Awaited<ReturnType<typeof runBatchMatching>>
  try {
    outcome = await runBatchMatching(context.db, principalOf(user), { now: context.now() })
  } catch (err) {
    return formDomainError(submission, err)
  }
  context.pokeOutbox()
  const q = new URLSearchParams({
    done: 'batch',
    lists: String(outcome.lists.length),
    filled: String(outcome.filled),
    missing: String(outcome.missing),
    score: String(Math.round(outcome.totalScore * 10) / 10),
  })
  return redirect(`${PATH}?${q}`)
}

export default function MatchingDesk() {
  const { lists, summary } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t, i18n } = useTranslation()
  const error = actionData?.result?.error?.['']?.[0] ?? (actionData ? 'errors.badRequest' : null)
  return (
    <section className="card">
      <h1>{t('matching.desk.title')}</h1>
      <p className="muted">{t('matching.desk.intro')}</p>
      {summary && !actionData ? (
        <p className="notice" role="status" data-testid="summary">
          {t('matching.notice.batch')}：
          {t('matching.desk.summary', { ...summary, score: summary.score.toFixed(1) })}
        </p>
      ) : null}
      {error ? (
        <p className="form-error" role="alert">
          {t(error)}
        </p>
      ) : null}
      {lists.length === 0 ? (
        <p className="muted">{t('matching.desk.empty')}</p>
      ) : (
        <>
          <Form method="post" action={PATH} className="actions">
            <CsrfInput />
            <button type="submit" name="intent" value="matchAll">
              {t('matching.desk.matchAll')}
            </button>
          </Form>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('matching.desk.list')}</th>
                <th scope="col">{t('matching.desk.enterprise')}</th>
                <th scope="col">{t('matching.desk.steward')}</th>
                <th scope="col">{t('matching.desk.items')}</th>
                <th scope="col">{t('matching.desk.headcount')}</th>
                <th scope="col">{t('matching.desk.proposals')}</th>
                <th scope="col">{t('matching.desk.lastScore')}</th>
              </tr>
            </thead>
            <tbody>
              {lists.map((l) => (
                <tr key={l.id} data-list={l.id}>
                  <td>
                    <Link to={`/needs-lists/${l.id}/resources`}>{l.title}</Link>{' '}
                    <span className={`status status-${l.status}`}>{t(`status.${l.status}`)}</span>
                    <br />
                    <span className="muted">
                      {l.orgName} · {formatDateTime(l.stageEnteredAt, i18n.language)}
                    </span>
                  </td>
                  <td>{l.enterpriseName}</td>
                  <td>{l.stewardName ?? '—'}</td>
                  <td>{l.itemCount}</td>
                  <td>{l.headcount}</td>
                  <td>{l.proposals}</td>
                  <td>{l.lastScore === null ? '—' : l.lastScore.toFixed(1)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  )
}
