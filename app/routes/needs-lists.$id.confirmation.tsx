import { getFormProps, getTextareaProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import {
  type ActionFunctionArgs,
  data,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { principalOf, requireUser } from '#app/auth/session.server.ts'
import {
  DiffView,
  type FiledLabel,
  type Labels,
  SideBySide,
} from '#app/components/confirmation-view.tsx'
import {
  ConfirmedItemsForm,
  EDITOR_FORM_ID,
  editorDefaults,
  editorSchema,
} from '#app/components/confirmed-items-form.tsx'
import { CsrfInput } from '#app/components/csrf-input.tsx'
import { FieldError } from '#app/components/field-error.tsx'
import { WorkflowTimeline } from '#app/components/workflow-timeline.tsx'
import styles from '#app/styles/confirmation.css?url'
import { formatDateTime } from '#app/utils/format.ts'
import {
  formDomainError,
  idParam,
  invalidForm,
  readForm,
  throwDomainError,
} from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { categoryOptions, skillDomains } from '#app/utils/taxonomy.server.ts'
import {
  approveRevision,
  commentOnProposal,
  confirmationView,
  editorContext,
  proposeRevision,
  saveRevision,
} from '#workflows/commands/confirmation.ts'
import {
  commentSchema,
  type LooseItem,
  mergeItems,
  nextKey,
  splitItem,
  titleFrom,
} from '#workflows/confirmation.ts'
import { ValidationError } from '#workflows/errors.ts'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }]

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, 'confirmation.title', data?.list.title)

const NOTICES = ['saved', 'proposed', 'approved', 'commented'] as const
type ConfirmationNotice = (typeof NOTICES)[number]

function noticeOf(request: Request) {
  const params = new URL(request.url).searchParams
  const done = params.get('done') ?? ''
  if (!(NOTICES as readonly string[]).includes(done)) return null
  const revision = Number(params.get('revision'))
  return {
    key: `confirmation.notice.${done}`,
    revision: Number.isSafeInteger(revision) && revision > 0 ? revision : null,
  }
}

function pagePath(id: number, done: ConfirmationNotice, revision?: number) {
  const q = new URLSearchParams({ done })
  if (revision !== undefined) q.set('revision', String(revision))
  return `/needs-lists/${id}/confirmation?${q}`
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context)
  const id = idParam(params.id)
  const page = await confirmationView(context.db, principalOf(user), id).catch(throwDomainError)
  const { view } = page
  const [categories, domains] = await Promise.all([
    categoryOptions(context.db),
    view.can.revise ? skillDomains(context.db) : Promise.resolve([]),
  ])
  const filed: FiledLabel[] = page.filed.map((f, i) => ({
    id: f.id,
    n: i + 1,
    title: f.title?.trim() ? f.title.trim() : titleFrom(f.description),
    description: f.description,
  }))
  // Titles by key, later revisions winning, for "split from" and "merged into".
  const keyTitles: Record<string, string> = {}
  for (const doc of [page.initial, ...page.documents.values()]) {
    for (const item of doc.items) keyTitles[item.key] = item.title
  }
  const approved =
    page.approvedRevision === null ? null : (page.documents.get(page.approvedRevision) ?? null)
  return {
    list: {
      id: view.list.id,
      title: view.list.title,
      status: view.list.status,
      enterpriseName: view.list.enterpriseName,
    },
    version: view.version,
    can: {
      revise: view.can.revise,
      propose: view.can.propose,
      approve: view.can.approve,
      comment: view.can.comment,
    },
    labels: {
      categories,
      skills: Object.fromEntries(
        page.skills.map((s) => [s.id, { nameZh: s.name_zh, nameEn: s.name_en }]),
      ),
      filed,
      keyTitles,
    } satisfies Labels,
    domains,
    editor: view.can.revise
      ? {
          defaultValue: editorDefaults(page.draft, filed, view.version),
          revision: page.draftRevision,
          keySeed: page.keySeed,
        }
      : null,
    proposal: page.proposal,
    approved: approved && { revision: page.approvedRevision, document: approved },
    history: page.history,
    timeline: view.timeline.map((e) => ({
      id: e.id,
      type: e.event_type,
      actorName: e.actorName,
      actorRole: e.actor_role,
      at: e.at,
      revision: typeof e.payload?.revision === 'number' ? e.payload.revision : null,
      comment: typeof e.payload?.comment === 'string' ? e.payload.comment : null,
      reason: typeof e.payload?.reason === 'string' ? e.payload.reason : null,
    })),
    notice: noticeOf(request),
  }
}

const version = z.number({ error: 'errors.badRequest' }).int().positive()

/** The enterprise's decision on the proposal. */
const decisionSchema = z.discriminatedUnion(
  'intent',
  [
    z.object({
      intent: z.literal('approve'),
      version,
      revision: z.number({ error: 'errors.badRequest' }).int().positive(),
    }),
    z.object({ intent: z.literal('comment'), version, comment: commentSchema }),
  ],
  { error: 'errors.badRequest' },
)

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context)
  const id = idParam(params.id)
  const form = await readForm(request, context)
  const principal = principalOf(user)
  const options = { now: context.now() }
  const intent = form.get('intent')

  if (intent === 'approve' || intent === 'comment') {
    const submission = parseWithZod(form, { schema: decisionSchema })
    if (submission.status !== 'success') return invalidForm(submission)
    const input = submission.value
    try {
      if (input.intent === 'approve') {
        await approveRevision(context.db, principal, id, input.revision, input.version, options)
      } else {
        await commentOnProposal(context.db, principal, id, input.comment, input.version, options)
      }
    } catch (err) {
      return formDomainError(submission, err)
    }
    context.pokeOutbox()
    return redirect(pagePath(id, input.intent === 'approve' ? 'approved' : 'commented'))
  }

  // Everything else is the steward's editor: only the case's steward gets this far.
  const editor = await editorContext(context.db, principal, id).catch(throwDomainError)
  const op = form.get('op')
  if (typeof op === 'string' && op !== '') return applyOperation(form, op, editor.keySeed)

  const submission = parseWithZod(form, { schema: editorSchema(editor.filedIds) })
  if (submission.status !== 'success') return invalidForm(submission)
  const { version: seen, intent: editIntent, ...document } = submission.value
  let done: { notice: ConfirmationNotice; revision: number }
  try {
    if (editIntent === 'save') {
      const saved = await saveRevision(context.db, principal, id, document, seen, options)
      done = { notice: 'saved', revision: saved.revision }
    } else {
      const sent = await proposeRevision(context.db, principal, id, seen, document, options)
      done = { notice: 'proposed', revision: sent.revision }
    }
  } catch (err) {
    // A rule the form could not check (a category or skill gone since) names its field.
    if (err instanceof ValidationError && typeof err.details.field === 'string') {
      const field = err.details.field
      const key = String(err.details.messageKey)
      const reply =
        field === 'items' || field === ''
          ? submission.reply({ formErrors: [key], hideFields: ['csrf'] })
          : submission.reply({ fieldErrors: { [field]: [key] }, hideFields: ['csrf'] })
      return data({ result: reply }, { status: 400 })
    }
    return formDomainError(submission, err)
  }
  context.pokeOutbox()
  return redirect(pagePath(id, done.notice, done.revision))
}

const listOf = (v: unknown): LooseItem[] =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter(
    (x): x is LooseItem => typeof x === 'object' && x !== null,
  )

/**
 * Split and merge: the posted values, rearranged, go back to the form as its new
 * values (a Conform "update"); nothing is saved until the steward saves.
 */
function applyOperation(form: FormData, op: string, keySeed: number) {
  const submission = parseWithZod(form, { schema: z.object({}) })
  const payload = submission.payload as Record<string, unknown>
  const items = listOf(payload.items)
  let next: LooseItem[] | null = null
  const split = /^split:(\d{1,3})$/.exec(op)
  if (split) {
    const index = Number(split[1])
    if (index < items.length) {
      next = splitItem(
        items,
        index,
        nextKey(
          items.map((i) => i.key),
          keySeed,
        ),
      )
    }
  } else if (op === 'merge') {
    const keys = form.getAll('mergeKeys').map(String)
    next = mergeItems(items, keys)
    if (!next) {
      return data(
        {
          result: submission.reply({
            formErrors: ['confirmation.errors.mergeNeedsTwo'],
            hideFields: ['csrf'],
          }),
        },
        { status: 400 },
      )
    }
  }
  if (!next) {
    return data(
      { result: submission.reply({ formErrors: ['errors.badRequest'], hideFields: ['csrf'] }) },
      { status: 400 },
    )
  }
  const value = {
    version: payload.version,
    items: next,
    dropped: payload.dropped,
  } as Record<string, unknown>
  const result: SubmissionResult<string[]> = {
    initialValue: value as SubmissionResult<string[]>['initialValue'],
    intent: { type: 'update', payload: { value } },
    error: {},
  }
  return data({ result }, { status: 200 })
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>

export default function Confirmation() {
  const page = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t, i18n } = useTranslation()
  const lng = i18n.language
  const { list, labels } = page
  const result = actionData?.result
  const decisionIntent = result?.initialValue?.intent
  const forDecision = decisionIntent === 'approve' || decisionIntent === 'comment'
  const decisionError = forDecision
    ? (result?.error?.['']?.[0] ??
      (result?.error?.intent || result?.error?.version || result?.error?.revision
        ? 'errors.badRequest'
        : null))
    : null
  return (
    <>
      <section className="card">
        <p>
          <Link to={`/needs-lists/${list.id}`}>{t('confirmation.back')}</Link>
        </p>
        <h1>
          {t('confirmation.title')}: {list.title}{' '}
          <span className={`status status-${list.status}`}>{t(`status.${list.status}`)}</span>
        </h1>
        <p className="muted">{list.enterpriseName}</p>
        {page.notice && !actionData ? (
          <p className="notice" role="status">
            {t(page.notice.key, { revision: page.notice.revision })}
          </p>
        ) : null}
        {decisionError ? (
          <p className="form-error" role="alert">
            {t(decisionError)}
          </p>
        ) : null}
        <p>{stateLine(page, t)}</p>
      </section>

      {page.editor ? (
        <section className="card">
          <h2>{t('confirmation.editor.heading')}</h2>
          <p className="muted">{t('confirmation.editor.intro')}</p>
          <p>
            {page.editor.revision === null
              ? t('confirmation.editor.basedOnFiled')
              : t('confirmation.editor.basedOnRevision', { revision: page.editor.revision })}
          </p>
          <ConfirmedItemsForm
            // A new version (after a save) starts the form afresh from what was saved.
            key={`${EDITOR_FORM_ID}-${page.version}`}
            lastResult={forDecision ? undefined : result}
            defaultValue={page.editor.defaultValue}
            filed={labels.filed}
            categories={labels.categories}
            domains={page.domains}
            keySeed={page.editor.keySeed}
          />
        </section>
      ) : null}

      {page.proposal ? (
        <section className="card">
          <h2>{t('confirmation.proposal.heading', { revision: page.proposal.revision })}</h2>
          <p className="muted">
            {t('confirmation.proposal.sentBy', {
              name: page.proposal.authorName,
              at: formatDateTime(page.proposal.at, lng),
            })}
          </p>
          <SideBySide document={page.proposal.document} labels={labels} />
          {page.proposal.diff ? (
            <>
              <h3>
                {page.proposal.againstPrevious
                  ? t('confirmation.proposal.diffPrevious')
                  : t('confirmation.proposal.diffFiled')}
              </h3>
              <DiffView diff={page.proposal.diff} labels={labels} />
            </>
          ) : null}
          {page.can.approve || page.can.comment ? (
            <Decision
              listId={list.id}
              version={page.version}
              revision={page.proposal.revision}
              canApprove={page.can.approve}
              canComment={page.can.comment}
              lastResult={forDecision ? result : undefined}
            />
          ) : null}
        </section>
      ) : null}

      {page.approved && page.approved.revision !== null ? (
        <section className="card">
          <h2>{t('confirmation.approved.heading', { revision: page.approved.revision })}</h2>
          <SideBySide document={page.approved.document} labels={labels} />
        </section>
      ) : null}

      <section className="card">
        <h2>{t('confirmation.history.heading')}</h2>
        {page.history.length === 0 ? (
          <p className="muted">{t('confirmation.history.empty')}</p>
        ) : (
          <ol className="timeline revision-history">
            {page.history.map((entry, index) => (
              <li key={entry.revision}>
                <strong>{t('confirmation.history.revision', { revision: entry.revision })}</strong>{' '}
                · {t(`confirmation.history.kind.${entry.kind}`)} ·{' '}
                {t('confirmation.history.by', {
                  name: entry.authorName,
                  role: t(`roles.${entry.authorRole}`),
                })}{' '}
                <time className="muted" dateTime={new Date(entry.at).toISOString()}>
                  {formatDateTime(entry.at, lng)}
                </time>
                {entry.kind === 'proposal' && entry.subjectRevision !== null ? (
                  <p>{t('confirmation.history.proposes', { revision: entry.subjectRevision })}</p>
                ) : null}
                {entry.kind === 'approval' && entry.subjectRevision !== null ? (
                  <p>{t('confirmation.history.approves', { revision: entry.subjectRevision })}</p>
                ) : null}
                {entry.kind === 'comment' ? (
                  <p className="pre-wrap">
                    {t('confirmation.history.commentsOn', {
                      revision: entry.subjectRevision ?? '—',
                      comment: entry.comment ?? '',
                    })}
                  </p>
                ) : null}
                {entry.diff ? (
                  <>
                    <p className="muted">
                      {!page.history.slice(0, index).some((e) => e.kind === entry.kind)
                        ? t('confirmation.history.firstAgainstFiled')
                        : entry.kind === 'proposal'
                          ? t('confirmation.history.againstPreviousProposal')
                          : t('confirmation.history.againstPrevious')}
                    </p>
                    <DiffView diff={entry.diff} labels={labels} />
                  </>
                ) : null}
              </li>
            ))}
          </ol>
        )}
      </section>

      <section className="card">
        <h2>{t('confirmation.timeline.heading')}</h2>
        <WorkflowTimeline entries={page.timeline} />
      </section>
    </>
  )
}

function stateLine(page: LoaderData, t: (key: string, o?: Record<string, unknown>) => string) {
  switch (page.list.status) {
    case 'confirming':
      return t('confirmation.state.confirming')
    case 'awaiting_approval':
      return t('confirmation.state.awaitingApproval')
    case 'ready_for_matching':
      return t('confirmation.state.approved', { revision: page.approved?.revision ?? '—' })
    default:
      return t('confirmation.state.notYet')
  }
}

const commentFormSchema = z.object({ comment: commentSchema })

/** The enterprise approves the revision on offer or sends it back with a comment. */
function Decision({
  listId,
  version,
  revision,
  canApprove,
  canComment,
  lastResult,
}: {
  listId: number
  version: number
  revision: number
  canApprove: boolean
  canComment: boolean
  lastResult?: SubmissionResult<string[]>
}) {
  const { t } = useTranslation()
  const [form, fields] = useForm({
    id: 'confirmation-comment',
    lastResult: lastResult?.initialValue?.intent === 'comment' ? lastResult : undefined,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: commentFormSchema }),
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
  })
  const action = `/needs-lists/${listId}/confirmation`
  return (
    <div className="decision">
      {canApprove ? (
        <Form method="post" action={action} className="approve-form">
          <CsrfInput />
          <input type="hidden" name="version" value={version} />
          <input type="hidden" name="revision" value={revision} />
          <p className="muted">{t('confirmation.proposal.approveHint')}</p>
          <button type="submit" name="intent" value="approve">
            {t('confirmation.proposal.approve')}
          </button>
        </Form>
      ) : null}
      {canComment ? (
        <Form method="post" action={action} {...getFormProps(form)} className="comment-form">
          <CsrfInput />
          <input type="hidden" name="version" value={version} />
          <div className="field">
            <label htmlFor={fields.comment.id}>{t('confirmation.proposal.commentLabel')}</label>
            <textarea
              {...getTextareaProps(fields.comment, {
                ariaDescribedBy: fields.comment.descriptionId,
              })}
              rows={3}
            />
            <p className="muted" id={fields.comment.descriptionId}>
              {t('confirmation.proposal.commentHint')}
            </p>
            <FieldError errors={fields.comment.errors} id={fields.comment.errorId} />
          </div>
          <button type="submit" name="intent" value="comment" className="secondary">
            {t('confirmation.proposal.comment')}
          </button>
        </Form>
      ) : null}
    </div>
  )
}
