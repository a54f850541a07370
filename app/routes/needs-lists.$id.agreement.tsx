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
import { principalOf, requireUser } from '#app/auth/session.server.ts'
import { CsrfInput } from '#app/components/csrf-input.tsx'
import { dayText } from '#app/components/resource-item.tsx'
import { formatDateTime } from '#app/utils/format.ts'
import {
  formDomainError,
  idParam,
  invalidForm,
  readForm,
  throwDomainError,
} from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { noticeKeys, readNotice, withNotice } from '#app/utils/notice.ts'
import { agreementView, confirmAgreement, generateAgreement } from '#workflows/commands/pairing.ts'
import { honourName } from '#workflows/resource-list/explain.ts'
import { beijingToday, oneYearFrom } from '#workflows/resource-list/schema.ts'
import '#app/styles/matching.css'

const version = z.number({ error: 'errors.badRequest' }).int().positive()

const actionSchema = z.discriminatedUnion(
  'intent',
  [
    z.object({ intent: z.literal('confirm'), version }),
    z.object({
      intent: z.literal('generate'),
      version,
      termStart: z.iso.date({ error: 'errors.date' }).optional(),
      termEnd: z.iso.date({ error: 'errors.date' }).optional(),
    }),
  ],
  { error: 'errors.badRequest' },
)

const NOTICE_KEYS = noticeKeys('matching.notice', ['confirmed', 'generated'])

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, 'matching.agreement.title', data?.agreement?.number ?? data?.list.title)

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context)
  const id = idParam(params.id)
  const view = await agreementView(context.db, principalOf(user), id).catch(throwDomainError)
  const today = beijingToday(context.now())
  return {
    ...view,
    term: { start: today, end: oneYearFrom(today) },
    notice: readNotice(request, NOTICE_KEYS),
  }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context)
  const id = idParam(params.id)
  const form = await readForm(request, context)
  const submission = parseWithZod(form, { schema: actionSchema })
  if (submission.status !== 'success') return invalidForm(submission)
  const input = submission.value
  const principal = principalOf(user)
  const options = { now: context.now() }
  try {
    if (input.intent === 'confirm') {
      await confirmAgreement(context.db, principal, id, input.version, options)
    } else {
      await generateAgreement(
        context.db,
        principal,
        id,
        { termStart: input.termStart, termEnd: input.termEnd },
        input.version,
        options,
      )
    }
  } catch (err) {
    return formDomainError(submission, err)
  }
  context.pokeOutbox()
  return redirect(
    withNotice(
      `/needs-lists/${id}/agreement`,
      input.intent === 'confirm' ? 'confirmed' : 'generated',
    ),
  )
}

export default function Agreement() {
  const page = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t, i18n } = useTranslation()
  const lng = i18n.language
  const { list, agreement } = page
  const result = actionData?.result
  const error =
    result?.error?.['']?.[0] ?? Object.values(result?.error ?? {}).find((e) => e?.length)?.[0]
  const postTo = `/needs-lists/${list.id}/agreement`
  const confirmationOf = (party: string, userId?: number | null) =>
    page.confirmations.find(
      (c) => c.party === party && (userId === undefined || c.userId === userId),
    )
  const content = agreement?.content
  return (
    <>
      <section className="card no-print">
        <p>
          <Link to={`/needs-lists/${list.id}`}>{t('matching.back')}</Link>
          {' · '}
          <Link to={`/needs-lists/${list.id}/pairing`}>{t('matching.links.pairing')}</Link>
        </p>
        {page.notice && !actionData ? (
          <p className="notice" role="status">
            {t(page.notice)}
          </p>
        ) : null}
        {error ? (
          <p className="form-error" role="alert">
            {t(error)}
          </p>
        ) : null}
        {agreement ? <p className="muted">{t('matching.agreement.printHint')}</p> : null}
        <div className="actions">
          {page.can.confirm ? (
            <Form method="post" action={postTo} className="inline">
              <CsrfInput />
              <input type="hidden" name="version" value={page.version} />
              <button type="submit" name="intent" value="confirm">
                {t('matching.agreement.confirm')}
              </button>
            </Form>
          ) : null}
        </div>
        {page.can.generate ? (
          <Form method="post" action={postTo} className="actions">
            <CsrfInput />
            <input type="hidden" name="version" value={page.version} />
            <div>
              <label htmlFor="termStart">{t('matching.pairing.termStart')}</label>
              <input
                type="date"
                id="termStart"
                name="termStart"
                defaultValue={agreement?.termStart ?? page.term.start}
              />
            </div>
            <div>
              <label htmlFor="termEnd">{t('matching.pairing.termEnd')}</label>
              <input
                type="date"
                id="termEnd"
                name="termEnd"
                defaultValue={agreement?.termEnd ?? page.term.end}
              />
            </div>
            <button type="submit" name="intent" value="generate" className="secondary">
              {t('matching.pairing.generate')}
            </button>
          </Form>
        ) : null}
      </section>

      {!agreement || !content ? (
        <section className="card">
          <h1>{t('matching.agreement.title')}</h1>
          <p className="muted">{t('matching.agreement.none')}</p>
        </section>
      ) : (
        <article className="card agreement-doc" data-testid="agreement">
          <h1>{t('matching.agreement.title')}</h1>
          <p className="doc-number">
            {t('matching.agreement.number', { number: agreement.number })}
          </p>
          <p>{t('matching.agreement.preamble')}</p>

          <section>
            <div className="party">
              <p>
                <strong>{t('matching.agreement.partyA')}</strong>：{content.parties.enterprise.name}
              </p>
              {content.parties.enterprise.creditCode ? (
                <p>
                  {t('matching.agreement.creditCode', {
                    code: content.parties.enterprise.creditCode,
                  })}
                </p>
              ) : null}
              {content.parties.enterprise.address ? (
                <p>
                  {t('matching.agreement.address', { address: content.parties.enterprise.address })}
                </p>
              ) : null}
              <p>
                {t('matching.agreement.contact', {
                  name: [
                    content.parties.enterprise.contact.name,
                    content.parties.enterprise.contact.mobile,
                  ]
                    .filter(Boolean)
                    .join(' '),
                })}
              </p>
            </div>
            <div className="party">
              <p>
                <strong>{t('matching.agreement.partyB')}</strong>：
                {content.parties.experts.map((x) => x.name).join('、')}
              </p>
              {content.parties.experts.map((x) => (
                <p key={x.expertId}>
                  {x.name}
                  {x.employer
                    ? `，${t('matching.agreement.employer', { employer: x.employer })}`
                    : ''}
                  {x.jobTitle ? `，${t('matching.agreement.jobTitle', { title: x.jobTitle })}` : ''}
                  {x.teamName ? `，${t('matching.agreement.team', { team: x.teamName })}` : ''}
                  {x.honours.length > 0
                    ? `，${t('matching.agreement.honours', {
                        honours: x.honours.map((h) => honourName(h.type, h.level, lng)).join('、'),
                      })}`
                    : ''}
                </p>
              ))}
            </div>
            <div className="party">
              <p>
                <strong>{t('matching.agreement.partyC')}</strong>：{content.parties.union.name}
              </p>
              {content.parties.steward ? (
                <p>
                  {t('matching.agreement.steward', {
                    name: [content.parties.steward.name, content.parties.steward.mobile]
                      .filter(Boolean)
                      .join(' '),
                  })}
                </p>
              ) : null}
            </div>
          </section>

          <h2>{t('matching.agreement.itemsHeading')}</h2>
          <ol>
            {content.items.map((item) => {
              const start = item.windowStart ? dayText(item.windowStart, lng) : null
              const end = item.windowEnd ? dayText(item.windowEnd, lng) : null
              const window =
                start && end
                  ? t('confirmation.item.window', { start, end })
                  : start
                    ? t('confirmation.item.from', { start })
                    : end
                      ? t('confirmation.item.until', { end })
                      : null
              return (
                <li key={item.itemId}>
                  <section>
                    <strong>{item.title}</strong>
                    <p className="pre-wrap">{item.description}</p>
                    <p>{t('matching.agreement.itemExperts', { names: item.experts.join('、') })}</p>
                    {item.expectedOutcome ? (
                      <p>
                        {t('matching.agreement.itemOutcome', { outcome: item.expectedOutcome })}
                      </p>
                    ) : null}
                    {window ? <p>{t('matching.agreement.itemWindow', { window })}</p> : null}
                    {item.place ? (
                      <p>{t('matching.agreement.itemPlace', { place: item.place })}</p>
                    ) : null}
                    {item.decision ? (
                      <p className="pre-wrap">
                        {t('matching.agreement.itemDecision', { decision: item.decision })}
                      </p>
                    ) : null}
                  </section>
                </li>
              )
            })}
          </ol>

          <section>
            <h2>{t('matching.agreement.termHeading')}</h2>
            <p data-testid="term">
              {t('matching.agreement.term', {
                start: dayText(agreement.termStart, lng),
                end: dayText(agreement.termEnd, lng),
              })}
            </p>
          </section>
          <section>
            <h2>{t('matching.agreement.dutiesHeading')}</h2>
            <p>{t('matching.agreement.dutyA')}</p>
            <p>{t('matching.agreement.dutyB')}</p>
            <p>{t('matching.agreement.dutyC')}</p>
          </section>
          <section>
            <h2>{t('matching.agreement.otherHeading')}</h2>
            <p>{t('matching.agreement.other')}</p>
          </section>

          <h2>{t('matching.agreement.signatures')}</h2>
          <div className="signatures" data-testid="signatures">
            <Signature
              label={`${t('matching.agreement.partyA')}：${content.parties.enterprise.name}`}
              confirmation={confirmationOf('enterprise')}
            />
            {content.parties.experts.map((x) => (
              <Signature
                key={x.expertId}
                label={`${t('matching.agreement.partyB')}：${x.name}`}
                confirmation={x.userId === null ? undefined : confirmationOf('expert', x.userId)}
              />
            ))}
            <Signature
              label={`${t('matching.agreement.partyC')}：${content.parties.union.name}${
                content.parties.steward ? `（${content.parties.steward.name}）` : ''
              }`}
              confirmation={confirmationOf('steward')}
            />
          </div>
          <p className="muted">
            {t('matching.agreement.generatedAt', { at: formatDateTime(agreement.createdAt, lng) })}
          </p>
        </article>
      )}
    </>
  )
}

function Signature({
  label,
  confirmation,
}: {
  label: string
  confirmation?: { userName: string; at: string | Date }
}) {
  const { t, i18n } = useTranslation()
  return (
    <div className="signature">
      <p>{label}</p>
      <p className={confirmation ? undefined : 'muted'}>
        {confirmation
          ? t('matching.agreement.confirmedAt', {
              name: confirmation.userName,
              at: formatDateTime(confirmation.at, i18n.language),
            })
          : t('matching.agreement.notConfirmed')}
      </p>
    </div>
  )
}
