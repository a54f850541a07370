import {
  getFormProps,
  getInputProps,
  getSelectProps,
  getTextareaProps,
  useForm,
} from '@conform-to/react'
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
import { FieldError } from '#app/components/field-error.tsx'
import { industryLabel } from '#app/components/steward-recommendations.tsx'
import {
  formDomainError,
  idParam,
  invalidForm,
  readForm,
  throwDomainError,
} from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import {
  STEWARD_MANAGER_ROLES,
  saveStewardProfile,
  stewardProfileView,
} from '#workflows/commands/stewards.ts'
import { INDUSTRY_SECTIONS } from '#workflows/enterprise-validation.ts'
import { stewardProfileSchema } from '#workflows/steward.schema.ts'
import '#app/styles/triage.css'

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, 'steward.editTitle', data?.user.name)

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, context, STEWARD_MANAGER_ROLES)
  const userId = idParam(params.userId)
  const view = await stewardProfileView(context.db, principalOf(user), userId).catch(
    throwDomainError,
  )
  const p = view.profile
  return {
    user: view.user,
    load: view.load,
    orgs: view.orgs.map((o) => ({ id: o.orgId, name: o.orgName })),
    profile: {
      exists: p !== null,
      orgId: p?.org_id ?? view.orgs[0]?.orgId ?? 0,
      capacity: p?.capacity ?? 10,
      districts: p?.districts ?? [],
      parks: p?.parks ?? [],
      industries: p?.industries ?? [],
      active: p?.active ?? true,
    },
  }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireRole(request, context, STEWARD_MANAGER_ROLES)
  const userId = idParam(params.userId)
  const form = await readForm(request, context)
  const submission = parseWithZod(form, { schema: stewardProfileSchema })
  if (submission.status !== 'success') return invalidForm(submission)
  try {
    await saveStewardProfile(context.db, principalOf(user), userId, submission.value)
  } catch (err) {
    return formDomainError(submission, err)
  }
  return redirect('/stewards?saved=1')
}

export default function StewardEdit() {
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  const { profile } = data
  const [form, fields] = useForm({
    id: 'steward-profile',
    lastResult: actionData?.result,
    defaultValue: {
      orgId: String(profile.orgId),
      capacity: String(profile.capacity),
      districts: profile.districts.join('、'),
      parks: profile.parks.join('、'),
      industries: profile.industries,
      active: profile.active ? 'on' : undefined,
    },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: stewardProfileSchema }),
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
  })
  const chosen = new Set(
    (Array.isArray(fields.industries.value)
      ? fields.industries.value
      : fields.industries.value
        ? [fields.industries.value]
        : []) as string[],
  )
  return (
    <section className="card">
      <h1>
        {t('steward.editTitle')}: {data.user.name}
      </h1>
      <p className="muted">
        {data.user.email} · {t('steward.loadOf', { load: data.load, capacity: profile.capacity })}
      </p>
      {profile.exists ? null : <p className="notice">{t('steward.newProfile')}</p>}
      {form.errors?.[0] ? (
        <p className="form-error" role="alert">
          {t(form.errors[0])}
        </p>
      ) : null}
      <Form method="post" {...getFormProps(form)}>
        <CsrfInput />
        <div className="field">
          <label htmlFor={fields.orgId.id}>{t('needsList.org')}</label>
          <select {...getSelectProps(fields.orgId)}>
            {data.orgs.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
          <FieldError errors={fields.orgId.errors} id={fields.orgId.errorId} />
        </div>
        <div className="field">
          <label htmlFor={fields.capacity.id}>{t('steward.capacity')}</label>
          <input
            {...getInputProps(fields.capacity, {
              type: 'number',
              ariaDescribedBy: fields.capacity.descriptionId,
            })}
            min={1}
            max={500}
          />
          <p className="muted" id={fields.capacity.descriptionId}>
            {t('steward.capacityHint')}
          </p>
          <FieldError errors={fields.capacity.errors} id={fields.capacity.errorId} />
        </div>
        <div className="field">
          <label htmlFor={fields.districts.id}>{t('steward.coverage.districts')}</label>
          <textarea
            {...getTextareaProps(fields.districts, {
              ariaDescribedBy: fields.districts.descriptionId,
            })}
            rows={2}
          />
          <p className="muted" id={fields.districts.descriptionId}>
            {t('steward.coverage.listHint')}
          </p>
          <FieldError errors={fields.districts.errors} id={fields.districts.errorId} />
        </div>
        <div className="field">
          <label htmlFor={fields.parks.id}>{t('steward.coverage.parks')}</label>
          <textarea {...getTextareaProps(fields.parks)} rows={2} />
          <FieldError errors={fields.parks.errors} id={fields.parks.errorId} />
        </div>
        <fieldset className="field">
          <legend>{t('steward.coverage.industries')}</legend>
          <div className="checkbox-grid">
            {INDUSTRY_SECTIONS.map((code) => (
              <label key={code} className="checkbox">
                <input
                  type="checkbox"
                  name={fields.industries.name}
                  value={code}
                  defaultChecked={chosen.has(code)}
                />{' '}
                {code} {industryLabel(t, code) === code ? '' : industryLabel(t, code)}
              </label>
            ))}
          </div>
          <FieldError errors={fields.industries.errors} id={fields.industries.errorId} />
        </fieldset>
        <div className="field">
          <label className="checkbox">
            <input {...getInputProps(fields.active, { type: 'checkbox' })} />{' '}
            {t('steward.activeLabel')}
          </label>
        </div>
        <div className="actions">
          <button type="submit">{t('needsList.save')}</button>
          <Link to="/stewards" className="button secondary">
            {t('needsList.cancel')}
          </Link>
        </div>
      </Form>
    </section>
  )
}
