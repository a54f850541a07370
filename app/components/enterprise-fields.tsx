import {
  type FieldMetadata,
  getCollectionProps,
  getInputProps,
  getSelectProps,
} from '@conform-to/react'
import { Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import type { ExistingEnterprise, SimilarEnterprise } from '#workflows/enterprise-errors.ts'
import {
  ENTERPRISE_SIZES,
  ENTERPRISE_TAGS,
  INDUSTRY_SECTIONS,
} from '#workflows/enterprise-validation.ts'
import { FieldError } from './field-error.tsx'

type Field = FieldMetadata<unknown>

const CHECKBOX_LABEL = { fontWeight: 400 } as const

export type EnterpriseFieldMetas = Record<
  'name' | 'creditCode' | 'industry' | 'size' | 'tags' | 'address' | 'district' | 'park' | 'orgId',
  Field
>

/** A labelled text input with its hint and first error. */
export function TextField({
  field,
  label,
  hint,
  type = 'text',
  autoComplete,
  inputMode,
}: {
  field: Field
  label: string
  hint?: string
  type?: 'text' | 'email' | 'password'
  autoComplete?: string
  inputMode?: 'tel'
}) {
  return (
    <div className="field">
      <label htmlFor={field.id}>{label}</label>
      <input
        {...getInputProps(field, {
          type,
          ariaDescribedBy: hint ? field.descriptionId : undefined,
        })}
        autoComplete={autoComplete}
        inputMode={inputMode}
      />
      {hint ? (
        <p className="muted" id={field.descriptionId}>
          {hint}
        </p>
      ) : null}
      <FieldError errors={field.errors} id={field.errorId} />
    </div>
  )
}

/** The enterprise's own fields, shared by self-registration and coordinator creation. */
export function EnterpriseFieldset({
  fields,
  orgs,
}: {
  fields: EnterpriseFieldMetas
  orgs: { id: number; name: string }[]
}) {
  const { t } = useTranslation()
  return (
    <>
      <TextField
        field={fields.name}
        label={t('enterprise.fields.name')}
        autoComplete="organization"
      />
      <TextField
        field={fields.creditCode}
        label={t('enterprise.fields.creditCode')}
        hint={t('enterprise.fields.creditCodeHint')}
      />
      <div className="field">
        <label htmlFor={fields.industry.id}>{t('enterprise.fields.industry')}</label>
        <select {...getSelectProps(fields.industry)}>
          <option value="">{t('enterprise.fields.choose')}</option>
          {INDUSTRY_SECTIONS.map((code) => (
            <option key={code} value={code}>
              {code} {t(`enterprise.industry.${code}`)}
            </option>
          ))}
        </select>
        <FieldError errors={fields.industry.errors} id={fields.industry.errorId} />
      </div>
      <div className="field">
        <label htmlFor={fields.size.id}>{t('enterprise.fields.size')}</label>
        <select {...getSelectProps(fields.size)}>
          <option value="">{t('enterprise.fields.choose')}</option>
          {ENTERPRISE_SIZES.map((code) => (
            <option key={code} value={code}>
              {t(`enterprise.size.${code}`)}
            </option>
          ))}
        </select>
        <FieldError errors={fields.size.errors} id={fields.size.errorId} />
      </div>
      <fieldset className="field">
        <legend>{t('enterprise.fields.tags')}</legend>
        {getCollectionProps(fields.tags, { type: 'checkbox', options: [...ENTERPRISE_TAGS] }).map(
          ({ key, ...props }) => (
            <label key={key} className="checkbox" style={CHECKBOX_LABEL}>
              <input {...props} /> {t(`enterprise.tag.${props.value}`)}
            </label>
          ),
        )}
        <FieldError errors={fields.tags.errors} id={fields.tags.errorId} />
      </fieldset>
      <div className="field">
        <label htmlFor={fields.orgId.id}>{t('enterprise.fields.org')}</label>
        <select {...getSelectProps(fields.orgId, { ariaDescribedBy: fields.orgId.descriptionId })}>
          <option value="">{t('enterprise.fields.choose')}</option>
          {orgs.map((o) => (
            <option key={o.id} value={String(o.id)}>
              {o.name}
            </option>
          ))}
        </select>
        <p className="muted" id={fields.orgId.descriptionId}>
          {t('enterprise.fields.orgHint')}
        </p>
        <FieldError errors={fields.orgId.errors} id={fields.orgId.errorId} />
      </div>
      <TextField field={fields.district} label={t('enterprise.fields.district')} />
      <TextField field={fields.park} label={t('enterprise.fields.park')} />
      <TextField
        field={fields.address}
        label={t('enterprise.fields.address')}
        autoComplete="street-address"
      />
    </>
  )
}

/**
 * The credit code is taken. Anonymous visitors learn whom to ask for an
 * invitation; union users get a link when the record is in their scope.
 */
export function DuplicateNotice({
  existing,
  audience,
}: {
  existing: ExistingEnterprise
  audience: 'visitor' | 'union'
}) {
  const { t } = useTranslation()
  const params = { name: existing.name, org: existing.orgName }
  const text =
    audience === 'union'
      ? t('enterprise.duplicate.coordinator', params)
      : existing.hasContacts
        ? t('enterprise.duplicate.register', params)
        : t('enterprise.duplicate.registerNoContacts', params)
  return (
    <div className="form-error" role="alert" data-testid="duplicate-notice">
      <strong>{t('enterprise.duplicate.title')}</strong>
      <p>{text}</p>
      {existing.canOpen ? (
        <p>
          <Link to={`/enterprises/${existing.id}`}>{t('enterprise.duplicate.open')}</Link>
        </p>
      ) : null}
    </div>
  )
}

/** Similar names found: lists them and offers the box that saves anyway on the next post. */
export function SimilarWarning({
  name,
  candidates,
  field,
  askPasswordAgain,
}: {
  name: string
  candidates: SimilarEnterprise[]
  field: Field
  askPasswordAgain?: boolean
}) {
  const { t } = useTranslation()
  return (
    <div className="notice" role="alert" data-testid="similar-warning">
      <strong>{t('enterprise.similar.title')}</strong>
      <p>{t('enterprise.similar.intro', { name })}</p>
      <ul>
        {candidates.map((c) => (
          <li key={c.id}>
            {c.name} <span className="muted">{c.orgName}</span>{' '}
            {c.canOpen ? (
              <Link to={`/enterprises/${c.id}`}>{t('enterprise.similar.open')}</Link>
            ) : null}
          </li>
        ))}
      </ul>
      <label className="checkbox" style={CHECKBOX_LABEL}>
        <input {...getInputProps(field, { type: 'checkbox' })} /> {t('enterprise.similar.confirm')}
      </label>
      {askPasswordAgain ? <p className="muted">{t('enterprise.similar.passwordAgain')}</p> : null}
    </div>
  )
}

/** A freshly issued invitation link: shown this once, since only its hash is stored. */
export function InvitationLink({ url, name, days }: { url: string; name: string; days: number }) {
  const { t } = useTranslation()
  return (
    <div className="notice" role="status" data-testid="invitation-link">
      <strong>{t('enterprise.invite.linkTitle')}</strong>
      <p>
        <input
          type="text"
          readOnly
          value={url}
          aria-label={t('enterprise.invite.linkTitle')}
          onFocus={(e) => e.currentTarget.select()}
        />
      </p>
      <p>{t('enterprise.invite.linkHint', { name, days })}</p>
    </div>
  )
}
