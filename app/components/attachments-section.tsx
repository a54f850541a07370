import { Form } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { formatDateTime } from '#app/utils/format.ts'
import type { NeedsListExtras } from '#app/utils/needs-list-extras.server.ts'
import { ACCEPT_ATTRIBUTE } from '#workflows/attachments.ts'
import { CsrfInput } from './csrf-input.tsx'
import '#app/styles/taxonomy.css'

type Extras = Pick<NeedsListExtras, 'attachments' | 'canManageAttachments' | 'limits'>

export function formatSize(bytes: number, lng: string): string {
  const n = new Intl.NumberFormat(lng, { maximumFractionDigits: 1 })
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${n.format(bytes / 1024)} KB`
  return `${n.format(bytes / 1024 / 1024)} MB`
}

/**
 * The list's attachments: download links for every reader; upload and delete
 * for the enterprise while the list is editable. Plain forms: the upload is a
 * multipart post whose first field is the CSRF token.
 */
export function AttachmentsSection({
  listId,
  extras,
  error,
}: {
  listId: number
  extras: Extras
  /** A translation key from a failed upload or delete. */
  error?: string | null
}) {
  const { t, i18n } = useTranslation()
  const lng = i18n.language
  const { attachments, canManageAttachments: canManage, limits } = extras
  const action = `/needs-lists/${listId}/attachments`
  return (
    <section className="card attachments" id="attachments">
      <h2>{t('taxonomy.attachments.title')}</h2>
      {error ? (
        <p className="form-error" role="alert">
          {t(error)}
        </p>
      ) : null}
      {attachments.length === 0 ? (
        <p className="muted">{t('taxonomy.attachments.empty')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('taxonomy.attachments.name')}</th>
              <th scope="col">{t('taxonomy.attachments.size')}</th>
              <th scope="col">{t('taxonomy.attachments.uploadedBy')}</th>
              <th scope="col">{t('taxonomy.attachments.uploadedAt')}</th>
              {canManage ? (
                <th scope="col">
                  <span className="visually-hidden">{t('taxonomy.attachments.delete')}</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {attachments.map((a) => (
              <tr key={a.id}>
                <td>
                  {/* A file, not a page: a plain link outside client-side routing. */}
                  <a href={`/attachments/${a.id}`} download={a.filename}>
                    {a.filename}
                  </a>
                </td>
                <td>{formatSize(a.sizeBytes, lng)}</td>
                <td>{a.uploaderName}</td>
                <td>{formatDateTime(a.createdAt, lng)}</td>
                {canManage ? (
                  <td>
                    <Form method="post" action={action} className="inline">
                      <CsrfInput />
                      <input type="hidden" name="attachmentId" value={a.id} />
                      <button
                        type="submit"
                        name="intent"
                        value="delete"
                        className="secondary"
                        aria-label={t('taxonomy.attachments.deleteLabel', { name: a.filename })}
                      >
                        {t('taxonomy.attachments.delete')}
                      </button>
                    </Form>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canManage ? (
        attachments.length < limits.maxFiles ? (
          <Form method="post" action={action} encType="multipart/form-data" className="upload-form">
            {/* First field: the server checks the token before it reads the file. */}
            <CsrfInput />
            <div className="field">
              <label htmlFor="attachment-file">{t('taxonomy.attachments.file')}</label>
              <input
                id="attachment-file"
                type="file"
                name="file"
                accept={ACCEPT_ATTRIBUTE}
                required
                aria-describedby="attachment-limits"
              />
              <p className="muted" id="attachment-limits">
                {t('taxonomy.attachments.limits')}{' '}
                {t('taxonomy.attachments.count', {
                  count: attachments.length,
                  max: limits.maxFiles,
                })}
              </p>
            </div>
            <button type="submit">{t('taxonomy.attachments.upload')}</button>
          </Form>
        ) : (
          <p className="muted">{t('taxonomy.errors.tooManyFiles')}</p>
        )
      ) : null}
    </section>
  )
}
