import { getFormProps, getTextareaProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { principalOf, requireUser } from '#app/auth/session.server.ts'
import { CsrfInput } from '#app/components/csrf-input.tsx'
import { FieldError } from '#app/components/field-error.tsx'
import { groupYuan } from '#app/components/outcome-details.tsx'
import { formatDateTime } from '#app/utils/format.ts'
import {
  formDomainError,
  idParam,
  intField,
  invalidForm,
  readForm,
  throwDomainError,
} from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { noticeKeys, readNotice, withNotice } from '#app/utils/notice.ts'
import { rateService, ratingView } from '#workflows/commands/rating.ts'
import { RATING_QUESTIONS, ratingSchema } from '#workflows/outcomes/rating.schema.ts'

const NOTICE_KEYS = noticeKeys('outcomes.notice', ['rated'])

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, 'outcomes.rating.title', data?.list.title)

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context)
  const id = idParam(params.id)
  const view = await ratingView(context.db, principalOf(user), id).catch(throwDomainError)
  return { ...view, notice: readNotice(request, NOTICE_KEYS) }
}

/** The enterprise's rating: scores.<question> 1–5, comment, confirmBenefits (outcome ids). */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context)
  const id = idParam(params.id)
  const form = await readForm(request, context)
  const submission = parseWithZod(form, { schema: ratingSchema })
  if (submission.status !== 'success') return invalidForm(submission)
  try {
    await rateService(
      context.db,
      principalOf(user),
      id,
      submission.value,
      intField(form, 'version'),
      {
        now: context.now(),
      },
    )
  } catch (err) {
    return formDomainError(submission, err)
  }
  context.pokeOutbox()
  return redirect(withNotice(`/needs-lists/${id}/rating`, 'rated'))
}

export default function Rating() {
  const page = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t, i18n } = useTranslation()
  const lng = i18n.language
  const { list, rating } = page
  return (
    <>
      <section className="card">
        <p>
          <Link to={`/needs-lists/${list.id}`}>{t('outcomes.back')}</Link>
          {' · '}
          <Link to={`/needs-lists/${list.id}/outcomes`}>{t('outcomes.links.outcomes')}</Link>
          {' · '}
          <Link to={`/needs-lists/${list.id}/archive`}>{t('outcomes.links.archive')}</Link>
        </p>
        <h1>
          {t('outcomes.rating.title')} · {list.title}{' '}
          <span className={`status status-${list.status}`}>{t(`status.${list.status}`)}</span>
        </h1>
        <p className="muted">{list.enterpriseName}</p>
        {page.notice && !actionData ? (
          <p className="notice" role="status">
            {t(page.notice)}
          </p>
        ) : null}
      </section>
      {rating ? (
        <section className="card" data-testid="rating">
          <p>
            <strong>{t('outcomes.rating.average', { average: rating.average })}</strong>
          </p>
          <table>
            <tbody>
              {RATING_QUESTIONS.map((q) => (
                <tr key={q}>
                  <th scope="row">{t(`outcomes.rating.questions.${q}`)}</th>
                  <td>{rating.scores[q] ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="pre-wrap">{rating.comment ?? t('outcomes.rating.noComment')}</p>
          <p className="muted">
            {t('outcomes.rating.by', {
              name: rating.ratedByName ?? '',
              at: formatDateTime(rating.ratedAt, lng),
            })}
          </p>
          {rating.experts.length > 0 ? (
            <>
              <h2>{t('outcomes.rating.experts')}</h2>
              <ul>
                {rating.experts.map((e) => (
                  <li key={e.name}>
                    {e.name}：{e.score}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      ) : page.can.rate ? (
        <RatingForm
          listId={list.id}
          version={page.version}
          estimated={page.estimated}
          lastResult={actionData?.result}
        />
      ) : (
        <section className="card">
          <p className="muted">
            {list.closeKind === 'feedback_timeout'
              ? t('outcomes.rating.timedOut')
              : list.status === 'feedback'
                ? t('outcomes.rating.notYet')
                : t('outcomes.rating.waiting')}
          </p>
        </section>
      )}
    </>
  )
}

function RatingForm({
  listId,
  version,
  estimated,
  lastResult,
}: {
  listId: number
  version: number
  estimated: { id: number; itemTitle: string; benefitYuan: string; benefitBasis: string | null }[]
  lastResult?: SubmissionResult<string[]>
}) {
  const { t } = useTranslation()
  const [form, fields] = useForm({
    id: 'rating',
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ratingSchema }),
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
  })
  const scores = fields.scores.getFieldset()
  const formError =
    form.errors?.[0] ?? (fields.scores.errors?.length ? fields.scores.errors[0] : undefined)
  return (
    <Form
      method="post"
      action={`/needs-lists/${listId}/rating`}
      {...getFormProps(form)}
      className="card"
    >
      <CsrfInput />
      <input type="hidden" name="version" value={version} />
      <p>{t('outcomes.rating.intro')}</p>
      {formError ? (
        <p className="form-error" role="alert">
          {t(formError)}
        </p>
      ) : null}
      {RATING_QUESTIONS.map((q) => {
        const field = scores[q]
        return (
          <fieldset key={q} className="field" aria-describedby={field.errorId}>
            <legend>{t(`outcomes.rating.questions.${q}`)}</legend>
            {[1, 2, 3, 4, 5].map((n) => (
              <label key={n} className="checkbox">
                <input
                  type="radio"
                  name={field.name}
                  value={n}
                  defaultChecked={field.initialValue === String(n)}
                />
                {t(`outcomes.rating.scale.${n}`)}
              </label>
            ))}
            <FieldError errors={field.errors} id={field.errorId} />
          </fieldset>
        )
      })}
      <div className="field">
        <label htmlFor={fields.comment.id}>{t('outcomes.rating.comment')}</label>
        <textarea {...getTextareaProps(fields.comment)} rows={4} />
        <FieldError errors={fields.comment.errors} id={fields.comment.errorId} />
      </div>
      {estimated.length > 0 ? (
        <fieldset className="field">
          <legend>{t('outcomes.rating.confirmHeading')}</legend>
          <p className="muted">{t('outcomes.rating.confirmHint')}</p>
          {estimated.map((o) => (
            <label key={o.id} className="checkbox">
              <input type="checkbox" name={fields.confirmBenefits.name} value={o.id} />
              {t('outcomes.rating.confirmBenefit', {
                item: o.itemTitle,
                amount: groupYuan(o.benefitYuan),
                basis: o.benefitBasis ?? '',
              })}
            </label>
          ))}
        </fieldset>
      ) : null}
      <button type="submit">{t('outcomes.rating.submit')}</button>
    </Form>
  )
}
