import { randomBytes } from 'node:crypto'
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node'
import {
  type ClientActionFunctionArgs,
  Form,
  Link,
  type ShouldRevalidateFunction,
  useActionData,
  useLoaderData,
} from '@remix-run/react'
import { useCallback, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { principalOf, requireUser } from '#app/auth/session.server.ts'
import { CsrfInput } from '#app/components/csrf-input.tsx'
import {
  FindingList,
  FollowUpList,
  NewFindingForm,
  NewFollowUpForm,
  PhotoGrid,
  PhotoUpload,
  type Rejected,
} from '#app/components/onsite-findings.tsx'
import { type LineStatus, OnsiteLine } from '#app/components/onsite-line.tsx'
import { type OnsiteReply, skipsRevalidation } from '#app/components/onsite-sync.tsx'
import { formatDateTime } from '#app/utils/format.ts'
import { domainErrorResult, idParam, intField, readForm } from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { noticeKeys, readNotice, withNotice } from '#app/utils/notice.ts'
import {
  BadUploadError,
  isMultipart,
  readUploadForm,
  UploadTooLargeError,
} from '#app/utils/upload.server.ts'
import {
  addPhotos,
  checkIn,
  deleteFinding,
  deleteFollowUpAction,
  deletePhoto,
  onsiteView,
  recordLine,
  requirePhotoUploader,
  saveFinding,
  saveFollowUpAction,
} from '#workflows/commands/onsite.ts'
import { submitReport } from '#workflows/commands/reports.ts'
import { ForbiddenError, ValidationError } from '#workflows/errors.ts'
import { MAX_PHOTO_BYTES, MAX_PHOTOS_PER_UPLOAD } from '#workflows/inspection/photos.ts'
import '#app/styles/onsite.css'

const NOTICES = [
  'checkedIn',
  'saved',
  'findingSaved',
  'findingDeleted',
  'photosUploaded',
  'photoDeleted',
  'actionSaved',
  'actionDeleted',
] as const
type Notice = (typeof NOTICES)[number]
const NOTICE_KEYS = noticeKeys('onsite.notice', NOTICES)

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, 'onsite.pageTitle', data?.visit.listTitle)

const freshKey = () => randomBytes(16).toString('hex')

/** The phone page of a visit: check in, record the checklist, findings, photos, actions. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context)
  const id = idParam(params.id)
  const view = await onsiteView(context.db, principalOf(user), id).catch((err) => {
    // The enterprise reads the report, not the working record.
    if (err instanceof ForbiddenError) throw redirect(`/visits/${id}/report`)
    domainErrorResult(err)
    throw err
  })
  return {
    ...view,
    // Client keys of the blank forms, for a page without scripts.
    keys: { finding: freshKey(), followUp: freshKey() },
    notice: readNotice(request, NOTICE_KEYS),
  }
}

/** Line saves change one line only: nothing else on the page needs reloading. */
export const shouldRevalidate: ShouldRevalidateFunction = (args) =>
  skipsRevalidation(args) ? false : args.defaultShouldRevalidate

/** A request that never reached the server (no connection) is an answer the page can retry. */
export async function clientAction({ serverAction }: ClientActionFunctionArgs) {
  try {
    return await serverAction<typeof action>()
  } catch (err) {
    if (err instanceof TypeError) return { offline: true } satisfies OnsiteReply
    throw err
  }
}

type Reply = OnsiteReply & Partial<Rejected> & { values?: Record<string, string> }

const text = (form: FormData, name: string) => {
  const v = form.get(name)
  return typeof v === 'string' ? v : undefined
}
const optionalId = (raw: string | undefined) =>
  raw === undefined || raw.trim() === '' ? undefined : Number(raw)

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context)
  const id = idParam(params.id)
  const principal = principalOf(user)
  const options = { now: context.now() }
  const here = `/visits/${id}/onsite`

  /** Saved: the fetcher gets a notice; a page without scripts comes back to the section. */
  const done = (js: boolean, intent: string, notice: Notice, hash: string) =>
    js
      ? data<Reply>({ intent, ok: true, notice: NOTICE_KEYS[notice] })
      : redirect(`${withNotice(here, notice)}#${hash}`)
  /** Refused: 403/404 become error pages; the rest a translated message on the form. */
  const refused = (err: unknown, reply: Reply) => {
    const result = domainErrorResult(err)
    return data<Reply>(
      { ...reply, error: result.data.formError },
      { status: result.init?.status ?? 400 },
    )
  }

  if (isMultipart(request)) {
    try {
      await requirePhotoUploader(context.db, principal, id)
    } catch (err) {
      return refused(err, { intent: 'photos' })
    }
    let upload: Awaited<ReturnType<typeof readUploadForm>>
    try {
      upload = await readUploadForm(request, context, {
        fileField: 'photos',
        maxFileBytes: MAX_PHOTO_BYTES,
        maxFiles: MAX_PHOTOS_PER_UPLOAD,
      })
    } catch (err) {
      if (err instanceof UploadTooLargeError) {
        return data<Reply>(
          { intent: 'photos', error: 'onsite.errors.photoTooLarge' },
          { status: 413 },
        )
      }
      if (err instanceof BadUploadError) {
        const key = err.message.startsWith('more than')
          ? 'onsite.errors.tooManyPhotosAtOnce'
          : 'onsite.errors.badUpload'
        return data<Reply>({ intent: 'photos', error: key }, { status: 400 })
      }
      throw err
    }
    const js = upload.fields.get('js') === '1'
    const findingId = optionalId(upload.fields.get('findingId'))
    try {
      await addPhotos(context.db, context.storage, principal, id, upload.files, {
        findingId,
        caption: upload.fields.get('caption'),
      })
    } catch (err) {
      return refused(err, { intent: 'photos', findingId })
    }
    return done(js, 'photos', 'photosUploaded', findingId ? `finding-${findingId}` : 'photos')
  }

  const form = await readForm(request, context)
  const js = form.get('js') === '1'
  const intent = text(form, 'intent') ?? ''
  switch (intent) {
    case 'record': {
      const planItemId = intField(form, 'planItemId')
      const value = text(form, 'value') ?? ''
      const note = text(form, 'note') ?? ''
      try {
        const saved = await recordLine(
          context.db,
          principal,
          id,
          { planItemId, value, note },
          options,
        )
        return js
          ? data<Reply>({ intent, saved })
          : redirect(`${withNotice(here, 'saved')}#line-${saved.planItemId}`)
      } catch (err) {
        return refused(err, { intent, planItemId, values: { value, note } })
      }
    }
    case 'finding': {
      const values = {
        clientKey: text(form, 'clientKey') ?? '',
        severity: text(form, 'severity') ?? '',
        title: text(form, 'title') ?? '',
        description: text(form, 'description') ?? '',
        recommendation: text(form, 'recommendation') ?? '',
        planItemId: text(form, 'planItemId') ?? '',
      }
      try {
        await saveFinding(
          context.db,
          principal,
          id,
          {
            ...values,
            severity: values.severity || undefined,
            planItemId: optionalId(values.planItemId),
          },
          options,
        )
      } catch (err) {
        return refused(err, { intent, clientKey: values.clientKey, values })
      }
      return done(js, intent, 'findingSaved', 'findings')
    }
    case 'deleteFinding': {
      const findingId = intField(form, 'findingId')
      try {
        if (findingId === undefined) throw new ValidationError('findingId', 'errors.badRequest')
        await deleteFinding(context.db, context.storage, principal, id, findingId)
      } catch (err) {
        return refused(err, { intent })
      }
      return done(js, intent, 'findingDeleted', 'findings')
    }
    case 'deletePhoto': {
      const photoId = intField(form, 'photoId')
      try {
        if (photoId === undefined) throw new ValidationError('photoId', 'errors.badRequest')
        await deletePhoto(context.db, context.storage, principal, id, photoId)
      } catch (err) {
        return refused(err, { intent })
      }
      return done(js, intent, 'photoDeleted', 'photos')
    }
    case 'followUp': {
      const values = {
        clientKey: text(form, 'clientKey') ?? '',
        description: text(form, 'description') ?? '',
        owner: text(form, 'owner') ?? '',
        dueOn: text(form, 'dueOn') ?? '',
      }
      try {
        await saveFollowUpAction(
          context.db,
          principal,
          id,
          { ...values, dueOn: values.dueOn || undefined },
          options,
        )
      } catch (err) {
        return refused(err, { intent, clientKey: values.clientKey, values })
      }
      return done(js, intent, 'actionSaved', 'actions')
    }
    case 'deleteFollowUp': {
      const actionId = intField(form, 'actionId')
      try {
        if (actionId === undefined) throw new ValidationError('actionId', 'errors.badRequest')
        await deleteFollowUpAction(context.db, principal, id, actionId)
      } catch (err) {
        return refused(err, { intent })
      }
      return done(js, intent, 'actionDeleted', 'actions')
    }
    case 'checkIn': {
      try {
        await checkIn(context.db, principal, id, options)
      } catch (err) {
        return refused(err, { intent })
      }
      context.pokeOutbox()
      return redirect(withNotice(here, 'checkedIn'))
    }
    case 'submitReport': {
      const values = {
        summary: text(form, 'summary') ?? '',
        recommendations: text(form, 'recommendations') ?? '',
      }
      try {
        await submitReport(context.db, principal, id, values, options)
      } catch (err) {
        return refused(err, { intent, values })
      }
      context.pokeOutbox()
      return redirect(withNotice(`/visits/${id}/report`, 'submitted'))
    }
    default:
      return data<Reply>({ intent, error: 'errors.badRequest' }, { status: 400 })
  }
}

export default function OnsitePage() {
  const page = useLoaderData<typeof loader>()
  const reply = useActionData<typeof clientAction>() as Reply | undefined
  const { t, i18n } = useTranslation()
  const lng = i18n.language
  const en = lng === 'en'
  const { visit, can } = page
  const here = `/visits/${visit.id}/onsite`
  const editable = can.record
  const [statuses, setStatuses] = useState<Record<number, LineStatus>>({})
  const onStatus = useCallback(
    (planItemId: number, status: LineStatus) =>
      setStatuses((prev) =>
        prev[planItemId] === status ? prev : { ...prev, [planItemId]: status },
      ),
    [],
  )
  const counts = { pending: 0, offline: 0, error: 0 }
  for (const s of Object.values(statuses)) {
    if (s === 'dirty' || s === 'saving') counts.pending++
    else if (s === 'offline') counts.offline++
    else if (s === 'error') counts.error++
  }
  const rejected: Rejected | null =
    reply?.error && reply.intent ? { ...reply, intent: reply.intent, error: reply.error } : null
  const lineOptions = page.lines.map(({ item }) => ({
    id: item.id,
    label: en ? item.label_en : item.label_zh,
  }))
  // A page without scripts that was refused a new finding keeps its key and values.
  const existingKeys = new Set([
    ...page.findings.map((f) => f.client_key),
    ...page.actions.map((a) => a.client_key),
  ])
  const keyFor = (intent: string, fresh: string) =>
    rejected?.intent === intent && rejected.clientKey && !existingKeys.has(rejected.clientKey)
      ? rejected.clientKey
      : fresh
  const sections = groupBySection(page.lines, en)
  const visitPhotos = page.photos.filter((p) => p.finding_id === null)
  const barText =
    counts.offline > 0
      ? t('onsite.bar.offline', { count: counts.offline + counts.pending })
      : counts.pending > 0
        ? t('onsite.bar.saving', { count: counts.pending })
        : counts.error > 0
          ? t('onsite.bar.errors', { count: counts.error })
          : t('onsite.bar.allSaved')

  return (
    <div className="onsite">
      <header className="card onsite-head">
        <p className="onsite-back">
          <Link to={`/visits/${visit.id}`}>{t('onsite.back')}</Link>
        </p>
        <h1>{visit.listTitle}</h1>
        <p className="onsite-sub">
          {t('onsite.visitOf', {
            sequence: visit.sequence,
            kind: t(`onsite.kind.${visit.kind}`),
          })}{' '}
          <span className={`status visit-status-${visit.status}`} data-testid="visit-status">
            {t(`onsite.status.${visit.status}`)}
          </span>
        </p>
        <dl className="onsite-facts">
          <dt>{t('onsite.when')}</dt>
          <dd>{formatDateTime(visit.starts_at, lng)}</dd>
          <dt>{t('onsite.place')}</dt>
          <dd>{visit.place}</dd>
        </dl>
        {visit.checked_in_at ? (
          <p className="muted">
            {t('onsite.checkIn.done', {
              name: visit.checkedInByName ?? '',
              at: formatDateTime(visit.checked_in_at, lng),
            })}
          </p>
        ) : null}
        {page.notice ? (
          <p className="notice" role="status">
            {t(page.notice)}
          </p>
        ) : null}
        {reply?.offline ? (
          <p className="offline-note" role="status">
            {t('onsite.offline')}
          </p>
        ) : null}
        {rejected &&
        (rejected.intent === 'checkIn' ||
          rejected.intent === 'deleteFinding' ||
          rejected.intent === 'deletePhoto' ||
          rejected.intent === 'deleteFollowUp') ? (
          <p className="form-error" role="alert">
            {t(rejected.error)}
          </p>
        ) : null}
        {can.checkIn ? <p className="muted">{t('onsite.checkIn.hint')}</p> : null}
        {!editable && !can.checkIn ? <p className="muted">{t('onsite.readOnly')}</p> : null}
      </header>

      <section id="checklist" className="card" aria-labelledby="checklist-heading">
        <h2 id="checklist-heading">{t('onsite.checklist')}</h2>
        {page.plan ? (
          <>
            <p className="muted">{t('onsite.planVersion', { version: page.plan.version })}</p>
            {page.plan.objectives ? (
              <p className="pre-wrap">
                <strong>{t('onsite.objectives')}：</strong>
                {page.plan.objectives}
              </p>
            ) : null}
            {sections.map((section) => (
              <div key={section.key} className="line-section">
                {section.title ? <h3>{section.title}</h3> : null}
                <ul className="line-list">
                  {section.lines.map(({ item, record }) => (
                    <OnsiteLine
                      key={item.id}
                      visitId={visit.id}
                      item={item}
                      record={record}
                      editable={editable}
                      action={here}
                      rejected={
                        rejected?.intent === 'record' && rejected.planItemId === item.id
                          ? {
                              error: rejected.error,
                              value: rejected.values?.value ?? '',
                              note: rejected.values?.note ?? '',
                            }
                          : null
                      }
                      onStatus={onStatus}
                    />
                  ))}
                </ul>
              </div>
            ))}
          </>
        ) : (
          <p className="muted">{t('onsite.noPlan')}</p>
        )}
      </section>

      <section id="findings" className="card" aria-labelledby="findings-heading">
        <h2 id="findings-heading">{t('onsite.findings.heading')}</h2>
        <FindingList
          findings={page.findings}
          photos={page.photos}
          lines={lineOptions}
          editable={editable}
          action={here}
          rejected={rejected}
        />
        {editable ? (
          <details
            className="add-block"
            open={
              rejected?.intent === 'finding' && !existingKeys.has(rejected.clientKey ?? '')
                ? true
                : undefined
            }
          >
            <summary>{t('onsite.findings.add')}</summary>
            <NewFindingForm
              action={here}
              lines={lineOptions}
              initialKey={keyFor('finding', page.keys.finding)}
              rejected={rejected}
            />
          </details>
        ) : null}
      </section>

      <section id="photos" className="card" aria-labelledby="photos-heading">
        <h2 id="photos-heading">{t('onsite.photos.heading')}</h2>
        {visitPhotos.length === 0 ? <p className="muted">{t('onsite.photos.none')}</p> : null}
        <PhotoGrid photos={visitPhotos} editable={editable} action={here} />
        {editable ? (
          <PhotoUpload
            action={here}
            label={t('onsite.photos.add')}
            error={
              rejected?.intent === 'photos' && rejected.findingId === undefined
                ? rejected.error
                : null
            }
          />
        ) : null}
      </section>

      <section id="actions" className="card" aria-labelledby="actions-heading">
        <h2 id="actions-heading">{t('onsite.actions.heading')}</h2>
        <FollowUpList
          actions={page.actions}
          editable={editable}
          action={here}
          rejected={rejected}
        />
        {editable ? (
          <details
            className="add-block"
            open={
              rejected?.intent === 'followUp' && !existingKeys.has(rejected.clientKey ?? '')
                ? true
                : undefined
            }
          >
            <summary>{t('onsite.actions.add')}</summary>
            <NewFollowUpForm
              action={here}
              initialKey={keyFor('followUp', page.keys.followUp)}
              rejected={rejected}
            />
          </details>
        ) : null}
      </section>

      <section id="report" className="card" aria-labelledby="report-heading">
        <h2 id="report-heading">{t('onsite.submit.heading')}</h2>
        <h3>{t('onsite.team')}</h3>
        <ul className="team-list">
          {page.members.map((m) => (
            <li key={m.id}>
              {m.name} <span className="muted">{t(`onsite.memberRole.${m.role}`)}</span>
            </li>
          ))}
        </ul>
        {can.submit ? (
          <Form method="post" action={here} className="stack">
            <CsrfInput />
            <input type="hidden" name="intent" value="submitReport" />
            <label htmlFor="summary">{t('onsite.submit.summary')}</label>
            <textarea
              id="summary"
              name="summary"
              rows={5}
              required
              defaultValue={
                rejected?.intent === 'submitReport'
                  ? rejected.values?.summary
                  : (page.report?.summary ?? '')
              }
            />
            <label htmlFor="recommendations">{t('onsite.submit.recommendations')}</label>
            <textarea
              id="recommendations"
              name="recommendations"
              rows={4}
              defaultValue={
                rejected?.intent === 'submitReport'
                  ? rejected.values?.recommendations
                  : (page.report?.recommendations ?? '')
              }
            />
            {rejected?.intent === 'submitReport' ? (
              <p className="form-error" role="alert">
                {t(rejected.error)}
              </p>
            ) : null}
            <p className="muted">{t('onsite.submit.hint')}</p>
            <button type="submit" className="big">
              {page.report ? t('onsite.submit.resubmit') : t('onsite.submit.button')}
            </button>
          </Form>
        ) : (
          <p className="muted">{t('onsite.submit.onlySteward')}</p>
        )}
        <p>
          <Link to={`/visits/${visit.id}/report`}>{t('onsite.report.title')}</Link>
        </p>
      </section>

      <nav className="onsite-bar" aria-label={t('onsite.pageTitle')}>
        {can.checkIn ? (
          <Form method="post" action={here} className="bar-primary">
            <CsrfInput />
            <input type="hidden" name="intent" value="checkIn" />
            <button type="submit" className="big">
              {t('onsite.checkIn.button')}
            </button>
          </Form>
        ) : (
          <>
            {editable ? (
              <p className="bar-status" role="status" data-testid="bar-status">
                {barText}
              </p>
            ) : null}
            <div className="bar-links">
              <a href="#checklist">{t('onsite.bar.checklist')}</a>
              <a href="#findings">{t('onsite.bar.findings')}</a>
              <a href="#photos">{t('onsite.bar.photos')}</a>
              <a href="#actions">{t('onsite.bar.actions')}</a>
              <a href="#report">{t('onsite.bar.report')}</a>
            </div>
          </>
        )}
      </nav>
    </div>
  )
}

type Line = ReturnType<typeof useLoaderData<typeof loader>>['lines'][number]

/** Consecutive lines of the same section, under its title. */
function groupBySection(lines: Line[], en: boolean) {
  const groups: { key: string; title: string | null; lines: Line[] }[] = []
  for (const line of lines) {
    const title = (en ? line.item.section_en : line.item.section_zh) ?? null
    const last = groups[groups.length - 1]
    if (last && last.title === title) last.lines.push(line)
    else groups.push({ key: `${line.item.id}`, title, lines: [line] })
  }
  return groups
}
