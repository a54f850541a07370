import { type FieldMetadata, getFormProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { Form, Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { teamSchema } from '#workflows/talent/schema.ts'
import { CsrfInput } from './csrf-input.tsx'
import { TalentError } from './expert-display.tsx'
import { ChoiceField, StatusField, TalentTextArea, TalentTextField } from './expert-fields.tsx'

export interface TeamFormDefaults {
  name: string
  orgId: string
  leaderId: string
  capacity: string
  status: string
  bio: string
}

/** A service team's own fields (name, org, leader, capacity, status, bio); posts intent=save. */
export function TeamForm({
  id,
  defaults,
  lastResult,
  orgs,
  leaders,
  cancelTo,
}: {
  id: string
  defaults: TeamFormDefaults
  lastResult: SubmissionResult<string[]> | undefined
  orgs: { id: number; name: string }[]
  leaders: { id: number; name: string; detail?: string | null }[]
  cancelTo: string
}) {
  const { t } = useTranslation()
  const [form, fields] = useForm<{ [K in keyof TeamFormDefaults]: unknown }>({
    id,
    lastResult,
    defaultValue: defaults as never,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: teamSchema }) as never,
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })
  const f = fields as Record<keyof TeamFormDefaults, FieldMetadata<unknown>>
  return (
    <Form method="post" {...getFormProps(form)}>
      <CsrfInput />
      <input type="hidden" name="intent" value="save" />
      {form.errors?.length ? (
        <div className="form-error" role="alert" id={form.errorId}>
          <TalentError errors={form.errors} />
        </div>
      ) : null}
      <TalentTextField field={f.name} label={t('talent.teams.name')} />
      <div className="item-grid">
        <ChoiceField
          field={f.orgId}
          label={t('talent.teams.org')}
          blank={t('talent.choose')}
          options={orgs.map((o) => ({ value: String(o.id), label: o.name }))}
        />
        <ChoiceField
          field={f.leaderId}
          label={t('talent.teams.leader')}
          blank={t('talent.choose')}
          hint={t('talent.teams.leaderHint')}
          options={leaders.map((e) => ({
            value: String(e.id),
            label: e.detail ? `${e.name}（${e.detail}）` : e.name,
          }))}
        />
        <TalentTextField
          field={f.capacity}
          label={t('talent.teams.capacity')}
          type="number"
          hint={t('talent.hints.capacity')}
        />
        <StatusField field={f.status} />
      </div>
      <TalentTextArea field={f.bio} label={t('talent.teams.bio')} rows={3} />
      <div className="actions">
        <button type="submit">{t('talent.teams.submit')}</button>
        <Link to={cancelTo} className="button secondary">
          {t('talent.teams.cancel')}
        </Link>
      </div>
    </Form>
  )
}

export const TEAM_FORM_FIELDS = ['name', 'orgId', 'leaderId'] as const
