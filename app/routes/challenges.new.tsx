import { parseWithZod } from '@conform-to/zod/v4'
import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { principalOf, requireRole } from '#app/auth/session.server.ts'
import { CsrfInput } from '#app/components/csrf-input.tsx'
import {
  formDomainError,
  idParam,
  invalidForm,
  readForm,
  throwDomainError,
} from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { withNotice } from '#app/utils/notice.ts'
import { MAX_CHALLENGE_NOTE, publishChallengeSchema } from '#workflows/challenge.schema.ts'
import { publishChallenge, publishPage, todayOf } from '#workflows/commands/challenges.ts'

const PUBLISHERS = ['coordinator', 'federation_admin', 'steward'] as const

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'challenges.publish.title')

function itemParam(params: URLSearchParams): number | null {
  const raw = params.get('item')
  return raw ? idParam(raw) : null
}

/** With ?item=<confirmed item id>: the form to publish it; without: the items one may publish. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRole(request, context, [...PUBLISHERS])
  const page = await publishPage(
    context.db,
    principalOf(user),
    itemParam(new URL(request.url).searchParams),
  ).catch(throwDomainError)
  return { ...page, today: todayOf(context.now()) }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRole(request, context, [...PUBLISHERS])
  const form = await readForm(request, context)
  const submission = parseWithZod(form, { schema: publishChallengeSchema })
  if (submission.status !== 'success') return invalidForm(submission)
  let id: number
  try {
    id = (await publishChallenge(context.db, principalOf(user), submission.value, context.now())).id
  } catch (err) {
    return formDomainError(submission, err)
  }
  return redirect(withNotice(`/challenges/${id}`, 'published'))
}

export default function PublishChallenge() {
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  const errors = actionData?.result?.error ?? {}
  const formError = errors['']?.[0] ?? errors.itemId?.[0]
  return (
    <section className="card">
      <h1>{t('challenges.publish.title')}</h1>
      <p className="muted">{t('challenges.publish.intro')}</p>
      {formError ? (
        <p className="form-error" role="alert">
          {t(formError)}
        </p>
      ) : null}
      {data.item ? (
        <PublishForm item={data.item} today={data.today} />
      ) : (
        <ItemList items={data.items} />
      )}
    </section>
  )
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>

function ItemList({ items }: { items: Data['items'] }) {
  const { t } = useTranslation()
  return (
    <>
      <h2>{t('challenges.publish.choose')}</h2>
      {items.length === 0 ? (
        <p className="muted">{t('challenges.publish.noItems')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('challenges.publish.item')}</th>
              <th scope="col">{t('challenges.field.enterprise')}</th>
              <th scope="col">{t('challenges.field.case')}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr key={i.id}>
                <td>
                  {i.title}
                  {i.challengeId !== null ? (
                    <>
                      <br />
                      <span className="muted">{t('challenges.publish.previouslyClosed')}</span>
                    </>
                  ) : null}
                </td>
                <td>{i.enterpriseName}</td>
                <td>
                  <Link to={`/needs-lists/${i.listId}`}>{i.listTitle}</Link>{' '}
                  <span className={`status status-${i.listStatus}`}>
                    {t(`status.${i.listStatus}`)}
                  </span>
                </td>
                <td>
                  <Link to={`/challenges/new?item=${i.id}`}>{t('challenges.publish.link')}</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  )
}

function PublishForm({ item, today }: { item: NonNullable<Data['item']>; today: string }) {
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  const errors = actionData?.result?.error ?? {}
  const posted = actionData?.result?.initialValue as Record<string, unknown> | undefined
  const text = (name: string) =>
    typeof posted?.[name] === 'string' ? (posted[name] as string) : ''
  return (
    <>
      <dl className="facts">
        <dt>{t('challenges.publish.item')}</dt>
        <dd>{item.title}</dd>
        <dt>{t('challenges.field.enterprise')}</dt>
        <dd>{item.enterpriseName}</dd>
        <dt>{t('challenges.field.case')}</dt>
        <dd>
          <Link to={`/needs-lists/${item.listId}`}>{item.listTitle}</Link>{' '}
          <span className={`status status-${item.listStatus}`}>
            {t(`status.${item.listStatus}`)}
          </span>
        </dd>
        <dt>{t('confirmation.field.headcount')}</dt>
        <dd>{item.headcount}</dd>
      </dl>
      <p>{item.description}</p>
      {item.challengeStatus === 'open' && item.challengeId !== null ? (
        <p className="notice" role="status">
          {t('challenges.publish.alreadyOpen')}{' '}
          <Link to={`/challenges/${item.challengeId}`}>{t('challenges.publish.view')}</Link>
        </p>
      ) : !item.publishable ? (
        <p className="notice" role="status">
          {t('challenges.publish.notPublishable')}
        </p>
      ) : (
        <Form method="post" action={`/challenges/new?item=${item.id}`}>
          <CsrfInput />
          <input type="hidden" name="itemId" value={item.id} />
          {item.challengeStatus === 'closed' ? (
            <p className="muted">{t('challenges.publish.reopenHint')}</p>
          ) : null}
          <div className="field">
            <label htmlFor="note">{t('challenges.publish.note')}</label>
            <textarea
              id="note"
              name="note"
              rows={4}
              maxLength={MAX_CHALLENGE_NOTE}
              defaultValue={text('note')}
              aria-describedby="note-help"
              aria-invalid={errors.note ? true : undefined}
            />
            <p className="muted" id="note-help">
              {t('challenges.publish.noteHelp')}
            </p>
            {errors.note?.[0] ? <p className="field-error">{t(errors.note[0])}</p> : null}
          </div>
          <div className="field">
            <label htmlFor="closesOn">{t('challenges.publish.closesOn')}</label>
            <input
              id="closesOn"
              name="closesOn"
              type="date"
              min={today}
              defaultValue={text('closesOn')}
              aria-describedby="closes-help"
              aria-invalid={errors.closesOn ? true : undefined}
            />
            <p className="muted" id="closes-help">
              {t('challenges.publish.closesOnHelp')}
            </p>
            {errors.closesOn?.[0] ? <p className="field-error">{t(errors.closesOn[0])}</p> : null}
          </div>
          <div className="actions">
            <button type="submit">{t('challenges.publish.submit')}</button>
          </div>
        </Form>
      )}
    </>
  )
}
