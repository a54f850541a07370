import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { principalOf, requireRole } from '#app/auth/session.server.ts'
import { CsrfInput } from '#app/components/csrf-input.tsx'
import { domainFormError } from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import {
  BadUploadError,
  isMultipart,
  readUploadForm,
  UploadTooLargeError,
} from '#app/utils/upload.server.ts'
import {
  type ImportOutcome,
  importExperts,
  manageableOrgs,
  TALENT_MANAGER_ROLES,
} from '#workflows/commands/experts.ts'
import { MAX_IMPORT_BYTES } from '#workflows/talent/import.ts'
import '#app/styles/taxonomy.css'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'talent.import.title')

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRole(request, context, TALENT_MANAGER_ROLES)
  const orgs = await manageableOrgs(context.db, principalOf(user))
  return { orgs: orgs.map((o) => ({ id: o.id, name: o.name })) }
}

type Reply = { outcome: ImportOutcome | null; formError: string | null; orgId: number | null }

const fileProblem = (key: string, status: number, orgId: number | null = null) =>
  data<Reply>(
    {
      outcome: { status: 'invalid', issues: [{ row: null, column: null, key }], issueCount: 1 },
      formError: null,
      orgId,
    },
    { status },
  )

/**
 * Upload (multipart: the CSRF token, the org, then the file), validate every
 * row, and import all or nothing. The errors table or the summary comes back
 * on this page.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRole(request, context, TALENT_MANAGER_ROLES)
  if (!isMultipart(request)) return fileProblem('talent.import.errors.badUpload', 400)
  let upload: Awaited<ReturnType<typeof readUploadForm>>
  try {
    upload = await readUploadForm(request, context, {
      fileField: 'file',
      maxFileBytes: MAX_IMPORT_BYTES,
    })
  } catch (err) {
    if (err instanceof UploadTooLargeError) return fileProblem('talent.import.errors.tooLarge', 413)
    if (err instanceof BadUploadError) return fileProblem('talent.import.errors.badUpload', 400)
    throw err
  }
  const rawOrg = Number(upload.fields.get('orgId') ?? '')
  const orgId = Number.isSafeInteger(rawOrg) && rawOrg > 0 ? rawOrg : null
  if (orgId === null) {
    return data<Reply>({ outcome: null, formError: 'talent.errors.org', orgId }, { status: 400 })
  }
  if (!upload.file || upload.file.bytes.byteLength === 0) {
    return fileProblem('talent.import.errors.noFile', 400, orgId)
  }
  let outcome: ImportOutcome
  try {
    outcome = await importExperts(context.db, principalOf(user), {
      orgId,
      bytes: upload.file.bytes,
    })
  } catch (err) {
    const { key, status } = domainFormError(err)
    return data<Reply>({ outcome: null, formError: key, orgId }, { status })
  }
  return data<Reply>(
    { outcome, formError: null, orgId },
    { status: outcome.status === 'invalid' ? 400 : 200 },
  )
}

export default function ImportExperts() {
  const { orgs } = useLoaderData<typeof loader>()
  const reply = useActionData<typeof action>()
  const { t } = useTranslation()
  const outcome = reply?.outcome ?? null
  return (
    <>
      <section className="card">
        <h1>{t('talent.import.title')}</h1>
        <p>{t('talent.import.intro')}</p>
        <p className="muted">{t('talent.import.rekey')}</p>
        <p>
          <a href="/experts/import/template.xlsx" download>
            {t('talent.import.template')}
          </a>{' '}
          <span className="muted">{t('talent.import.limits')}</span>
        </p>
        {reply?.formError ? (
          <p className="form-error" role="alert">
            {t(reply.formError)}
          </p>
        ) : null}
        <Form method="post" encType="multipart/form-data" className="upload-form">
          <CsrfInput />
          <div className="field">
            <label htmlFor="import-org">{t('talent.import.org')}</label>
            <select
              id="import-org"
              name="orgId"
              required
              defaultValue={String(reply?.orgId ?? (orgs.length === 1 ? orgs[0]?.id : '') ?? '')}
              aria-describedby="import-org-hint"
            >
              <option value="">{t('talent.choose')}</option>
              {orgs.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
            <p className="muted" id="import-org-hint">
              {t('talent.import.orgHint')}
            </p>
          </div>
          <div className="field">
            <label htmlFor="import-file">{t('talent.import.file')}</label>
            <input
              id="import-file"
              type="file"
              name="file"
              required
              accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
            />
          </div>
          <div className="actions">
            <button type="submit">{t('talent.import.submit')}</button>
            <Link to="/experts" className="button secondary">
              {t('talent.form.cancel')}
            </Link>
          </div>
        </Form>
      </section>
      {outcome?.status === 'imported' ? (
        <section className="card">
          <p className="notice" role="status" data-testid="import-done">
            {t('talent.import.done', {
              rows: outcome.rows,
              created: outcome.created,
              updated: outcome.updated,
            })}
          </p>
          <p>
            <Link to="/experts?sort=recent">{t('talent.import.backToList')}</Link>
          </p>
        </section>
      ) : null}
      {outcome?.status === 'invalid' ? <ImportErrors outcome={outcome} /> : null}
    </>
  )
}

function ImportErrors({ outcome }: { outcome: Extract<ImportOutcome, { status: 'invalid' }> }) {
  const { t } = useTranslation()
  return (
    <section className="card" data-testid="import-errors">
      <h2 className="form-error" role="alert">
        {t('talent.import.errorsTitle', { count: outcome.issueCount })}
      </h2>
      <p className="muted">{t('talent.import.errorsHint')}</p>
      {outcome.issueCount > outcome.issues.length ? (
        <p className="muted">{t('talent.import.truncated', { shown: outcome.issues.length })}</p>
      ) : null}
      <table>
        <thead>
          <tr>
            <th scope="col">{t('talent.import.row')}</th>
            <th scope="col">{t('talent.import.column')}</th>
            <th scope="col">{t('talent.import.message')}</th>
          </tr>
        </thead>
        <tbody>
          {outcome.issues.map((issue, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the report never changes order
            <tr key={i}>
              <td>{issue.row ?? t('talent.import.wholeFile')}</td>
              <td>{issue.column ?? t('talent.none')}</td>
              <td>{t(issue.key, issue.params)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
