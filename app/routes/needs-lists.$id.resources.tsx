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
import { ResourceItem } from '#app/components/resource-item.tsx'
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
import {
  answerInvitation,
  requireInvitationOfList,
  withdrawInvitation,
} from '#workflows/commands/invitations.ts'
import {
  excludeCandidate,
  pinCandidate,
  removeConstraint,
  replaceProposal,
  resourceListView,
  runMatching,
  searchCandidates,
  sendInvitations,
} from '#workflows/commands/resource-list.ts'
import {
  candidateSchema,
  idSchema,
  optionalReasonSchema,
  reasonSchema,
  searchSchema,
} from '#workflows/resource-list/schema.ts'

const version = z.number({ error: 'errors.badRequest' }).int().positive()

const actionSchema = z.discriminatedUnion(
  'intent',
  [
    z.object({ intent: z.literal('run'), version }),
    z.object({ intent: z.literal('pin'), version, itemId: idSchema, candidate: candidateSchema }),
    z.object({
      intent: z.literal('exclude'),
      version,
      itemId: idSchema,
      candidate: candidateSchema,
      reason: optionalReasonSchema,
    }),
    z.object({
      intent: z.literal('replace'),
      version,
      proposalId: idSchema,
      reason: optionalReasonSchema,
    }),
    z.object({ intent: z.literal('unconstrain'), version, constraintId: idSchema }),
    z.object({ intent: z.literal('invite'), version }),
    z.object({
      intent: z.literal('withdraw'),
      invitationId: idSchema,
      reason: optionalReasonSchema,
    }),
    z.object({ intent: z.literal('accept'), invitationId: idSchema }),
    z.object({ intent: z.literal('decline'), invitationId: idSchema, reason: reasonSchema }),
  ],
  { error: 'errors.badRequest' },
)

type Intent = z.infer<typeof actionSchema>['intent']

const DONE: Record<Intent, string> = {
  run: 'matched',
  pin: 'pinned',
  exclude: 'excluded',
  replace: 'replaced',
  unconstrain: 'unconstrained',
  invite: 'invited',
  withdraw: 'withdrawn',
  accept: 'answered',
  decline: 'answered',
}
const NOTICE_KEYS = noticeKeys('matching.notice', [
  ...new Set([...Object.values(DONE), 'matchedNone']),
])

const path = (id: number) => `/needs-lists/${id}/resources`

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, 'matching.resources.title', data?.list.title)

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context)
  const id = idParam(params.id)
  const principal = principalOf(user)
  const view = await resourceListView(context.db, principal, id).catch(throwDomainError)
  const url = new URL(request.url)
  const query = searchSchema.safeParse(url.searchParams.get('q') ?? undefined)
  const q = query.success ? query.data : ''
  const found =
    view.can.constrain && q.length > 0
      ? await searchCandidates(context.db, principal, id, q).catch(throwDomainError)
      : null
  return {
    list: view.list,
    version: view.version,
    audience: view.audience,
    items: view.items,
    runs: view.runs,
    skills: view.skills,
    totals: view.totals,
    can: view.can,
    search: { q, found },
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
  let done = DONE[input.intent]
  try {
    switch (input.intent) {
      case 'run': {
        const run = await runMatching(context.db, principal, id, input.version, options)
        if (run.proposals === 0) done = 'matchedNone'
        break
      }
      case 'pin':
        await pinCandidate(context.db, principal, id, input, input.version, options)
        break
      case 'exclude':
        await excludeCandidate(context.db, principal, id, input, input.version, options)
        break
      case 'replace':
        await replaceProposal(context.db, principal, id, input, input.version, options)
        break
      case 'unconstrain':
        await removeConstraint(
          context.db,
          principal,
          id,
          input.constraintId,
          input.version,
          options,
        )
        break
      case 'invite':
        await sendInvitations(context.db, principal, id, input.version, options)
        break
      case 'withdraw':
        await requireInvitationOfList(context.db, id, input.invitationId)
        await withdrawInvitation(context.db, principal, input.invitationId, input.reason, options)
        break
      case 'accept':
        await requireInvitationOfList(context.db, id, input.invitationId)
        await answerInvitation(context.db, principal, input.invitationId, { accept: true }, options)
        break
      case 'decline':
        await requireInvitationOfList(context.db, id, input.invitationId)
        await answerInvitation(
          context.db,
          principal,
          input.invitationId,
          { decline: true, reason: input.reason },
          options,
        )
        break
    }
  } catch (err) {
    return formDomainError(submission, err)
  }
  context.pokeOutbox()
  return redirect(withNotice(path(id), done))
}

export default function Resources() {
  const page = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t, i18n } = useTranslation()
  const lng = i18n.language
  const { list } = page
  const result = actionData?.result
  const error =
    result?.error?.['']?.[0] ?? Object.values(result?.error ?? {}).find((e) => e?.length)?.[0]
  const path = `/needs-lists/${list.id}/resources`
  return (
    <>
      <section className="card">
        <p>
          <Link to={`/needs-lists/${list.id}`}>{t('matching.back')}</Link>
        </p>
        <h1>
          {t('matching.resources.title')}: {list.title}{' '}
          <span className={`status status-${list.status}`}>{t(`status.${list.status}`)}</span>
        </h1>
        <p className="muted">
          {list.enterpriseName} · {list.orgName}
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
        <p className="muted">
          {page.audience === 'enterprise'
            ? t('matching.resources.enterpriseIntro')
            : t('matching.resources.intro')}
        </p>
        {page.audience === 'union' ? (
          <p className="muted">{t('matching.resources.readOnly')}</p>
        ) : null}
        {page.items.length === 0 ? (
          <p className="muted">{t('matching.resources.notReady')}</p>
        ) : (
          <p data-testid="totals">{t('matching.resources.totals', page.totals)}</p>
        )}
        <div className="actions">
          {page.can.run ? (
            <Form method="post" action={path} className="inline">
              <CsrfInput />
              <input type="hidden" name="version" value={page.version} />
              <button type="submit" name="intent" value="run">
                {page.runs.length > 0 ? t('matching.resources.rerun') : t('matching.resources.run')}
              </button>
            </Form>
          ) : null}
          {page.can.invite ? (
            <Form method="post" action={path} className="inline">
              <CsrfInput />
              <input type="hidden" name="version" value={page.version} />
              <button type="submit" name="intent" value="invite">
                {t('matching.resources.invite')}
              </button>
            </Form>
          ) : null}
        </div>
        {page.can.run ? <p className="muted">{t('matching.resources.runHint')}</p> : null}
        {page.can.invite ? <p className="muted">{t('matching.resources.inviteHint')}</p> : null}
      </section>

      {page.items.map((item) => (
        <ResourceItem
          key={item.id}
          item={item}
          listId={list.id}
          version={page.version}
          skills={page.skills}
          actions={{ constrain: page.can.constrain, answer: page.can.answer }}
        />
      ))}

      {page.can.constrain && page.items.length > 0 ? (
        <section className="card no-print">
          <h2>{t('matching.resources.add.heading')}</h2>
          <p className="muted">{t('matching.resources.add.hint')}</p>
          <Form method="get" action={path} className="actions">
            <label htmlFor="pool-q" className="inline">
              {t('matching.resources.add.query')}
            </label>
            <input type="search" id="pool-q" name="q" defaultValue={page.search.q} maxLength={50} />
            <button type="submit" className="secondary">
              {t('matching.resources.add.search')}
            </button>
          </Form>
          {page.search.found ? (
            page.search.found.length === 0 ? (
              <p className="muted">{t('matching.resources.add.noResults')}</p>
            ) : (
              <ul className="candidates">
                {page.search.found.map((c) => (
                  <li key={`${c.kind}:${c.id}`}>
                    <Form method="post" action={path} className="row-actions">
                      <CsrfInput />
                      <input type="hidden" name="version" value={page.version} />
                      <input type="hidden" name="candidate" value={`${c.kind}:${c.id}`} />
                      <span>
                        <strong>{c.name}</strong>{' '}
                        <span className="muted">
                          {t(`matching.kind.${c.kind}`)}
                          {c.detail ? ` · ${c.detail}` : ''}
                          {c.mobile ? ` · ${c.mobile}` : ''}
                        </span>
                      </span>
                      <label className="muted" htmlFor={`pin-item-${c.kind}-${c.id}`}>
                        {t('matching.resources.add.item')}
                      </label>
                      <select id={`pin-item-${c.kind}-${c.id}`} name="itemId">
                        {page.items.map((i) => (
                          <option key={i.id} value={i.id}>
                            {i.title}
                          </option>
                        ))}
                      </select>
                      <button type="submit" name="intent" value="pin" className="secondary">
                        {t('matching.resources.add.submit')}
                      </button>
                    </Form>
                  </li>
                ))}
              </ul>
            )
          ) : null}
        </section>
      ) : null}

      {page.runs.length > 0 ? (
        <section className="card">
          <h2>{t('matching.resources.runs.heading')}</h2>
          <ul>
            {page.runs.map((r) => (
              <li key={r.id}>
                {t('matching.resources.runs.line', {
                  at: formatDateTime(r.createdAt, lng),
                  kind: t(`matching.resources.runs.kind.${r.kind}`, { defaultValue: r.kind }),
                  proposals: r.proposals,
                  score: Number(r.totalScore).toFixed(1),
                })}
                {r.missing > 0 ? t('matching.resources.runs.short', { missing: r.missing }) : ''}
                {r.createdByName ? t('matching.resources.runs.by', { name: r.createdByName }) : ''}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  )
}
