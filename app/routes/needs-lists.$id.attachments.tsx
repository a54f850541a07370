import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { principalOf, requireUser } from '#app/auth/session.server.ts'
import { AttachmentsSection } from '#app/components/attachments-section.tsx'
import {
  domainErrorResult,
  idParam,
  intField,
  readForm,
  throwDomainError,
} from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { needsListExtras, withExtrasNotice } from '#app/utils/needs-list-extras.server.ts'
import {
  BadUploadError,
  isMultipart,
  readUploadForm,
  UploadTooLargeError,
} from '#app/utils/upload.server.ts'
import { MAX_ATTACHMENT_BYTES } from '#workflows/attachments.ts'
import {
  addAttachment,
  deleteAttachment,
  requireAttachmentEditor,
} from '#workflows/commands/attachments.ts'
import { needsListView } from '#workflows/commands/needs-lists.ts'

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, 'taxonomy.attachments.pageTitle', data?.title)

/** The list's attachments on a page of their own (where upload errors show without JavaScript). */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context)
  const id = idParam(params.id)
  const view = await needsListView(context.db, principalOf(user), id).catch(throwDomainError)
  const extras = await needsListExtras(context.db, request, view)
  return { id, title: view.list.title, extras }
}

const failed = (key: string, status: number) => data({ error: key }, { status })

/** A domain error as this page's message (403/404 become error pages). */
function refused(err: unknown) {
  const result = domainErrorResult(err)
  return failed(result.data.formError, result.init?.status ?? 400)
}

/**
 * Uploads (multipart: the CSRF token, then one file) and deletions (a plain
 * form with intent=delete). Who may change attachments is checked before the
 * upload's body is read, and again by the command.
 */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context)
  const id = idParam(params.id)
  const principal = principalOf(user)
  if (isMultipart(request)) {
    try {
      await requireAttachmentEditor(context.db, principal, id)
    } catch (err) {
      return refused(err)
    }
    let upload: Awaited<ReturnType<typeof readUploadForm>>
    try {
      upload = await readUploadForm(request, context, {
        fileField: 'file',
        maxFileBytes: MAX_ATTACHMENT_BYTES,
      })
    } catch (err) {
      if (err instanceof UploadTooLargeError) return failed('taxonomy.errors.fileTooLarge', 413)
      if (err instanceof BadUploadError) return failed('taxonomy.errors.badUpload', 400)
      throw err
    }
    if (!upload.file) return failed('taxonomy.errors.noFile', 400)
    try {
      await addAttachment(context.db, context.storage, principal, id, upload.file)
    } catch (err) {
      return refused(err)
    }
    return redirect(withExtrasNotice(`/needs-lists/${id}`, 'attachmentAdded'))
  }

  const form = await readForm(request, context)
  const attachmentId = intField(form, 'attachmentId')
  if (form.get('intent') !== 'delete' || attachmentId === undefined || attachmentId <= 0) {
    return failed('errors.badRequest', 400)
  }
  try {
    await deleteAttachment(context.db, context.storage, principal, id, attachmentId)
  } catch (err) {
    return refused(err)
  }
  return redirect(withExtrasNotice(`/needs-lists/${id}`, 'attachmentDeleted'))
}

export default function NeedsListAttachments() {
  const { id, title, extras } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  return (
    <>
      <section className="card">
        <h1>
          {t('taxonomy.attachments.pageTitle')} <span className="muted">{title}</span>
        </h1>
        <p>
          <Link to={`/needs-lists/${id}`}>{t('taxonomy.attachments.back')}</Link>
        </p>
      </section>
      <AttachmentsSection listId={id} extras={extras} error={actionData?.error} />
    </>
  )
}
