import { getFormProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { Form, Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import type { SkillDomainOption } from '#app/utils/taxonomy.ts'
import { formatBlackouts } from '#workflows/talent/cells.ts'
import { expertProfileSchema, ownProfileSchema, toSkillsField } from '#workflows/talent/schema.ts'
import { CsrfInput } from './csrf-input.tsx'
import { TalentError } from './expert-display.tsx'
import {
  ChoiceField,
  ExpertSkillsField,
  GenderField,
  GradeField,
  HonoursField,
  honourRowsOf,
  StatusField,
  skillLevelsOf,
  TalentTextArea,
  TalentTextField,
  WeekdaysField,
} from './expert-fields.tsx'

/** A profile as the form's default values (strings, as posted). */
export interface ExpertFormDefaults {
  name: string
  mobile: string
  gender: string
  email: string
  employer: string
  jobTitle: string
  grade: string
  orgId: string
  accountEmail: string
  districts: string
  parks: string
  weekdays: string[]
  blackouts: string
  capacity: string
  status: string
  bio: string
  honours: { type: string; level: string; year: string }[]
  skills: Record<string, string>
}

interface ProfileLike {
  name: string
  mobile: string
  gender: string | null
  email: string | null
  employer: string | null
  jobTitle: string | null
  grade: string | null
  orgId: number
  account: { email: string } | null
  districts: string[]
  parks: string[]
  weekdays: number[]
  blackouts: { startsOn: string; endsOn: string }[]
  capacity: number
  status: string
  bio: string | null
  honours: { type: string; level: string; year: number | null }[]
  skills: { skillId: number; proficiency: number }[]
}

/** Defaults of the form for a profile, or for a new expert under `orgId`. */
export function expertFormDefaults(
  profile: ProfileLike | null,
  orgId?: number,
): ExpertFormDefaults {
  if (!profile) {
    return {
      name: '',
      mobile: '',
      gender: '',
      email: '',
      employer: '',
      jobTitle: '',
      grade: '',
      orgId: orgId ? String(orgId) : '',
      accountEmail: '',
      districts: '',
      parks: '',
      weekdays: ['1', '2', '3', '4', '5'],
      blackouts: '',
      capacity: '2',
      status: 'active',
      bio: '',
      honours: [],
      skills: {},
    }
  }
  return {
    name: profile.name,
    mobile: profile.mobile,
    gender: profile.gender ?? '',
    email: profile.email ?? '',
    employer: profile.employer ?? '',
    jobTitle: profile.jobTitle ?? '',
    grade: profile.grade ?? '',
    orgId: String(profile.orgId),
    accountEmail: profile.account?.email ?? '',
    districts: profile.districts.join('、'),
    parks: profile.parks.join('、'),
    weekdays: profile.weekdays.map(String),
    blackouts: formatBlackouts(profile.blackouts).replaceAll('; ', '\n'),
    capacity: String(profile.capacity),
    status: profile.status,
    bio: profile.bio ?? '',
    honours: profile.honours.map((h) => ({
      type: h.type,
      level: h.level,
      year: h.year === null ? '' : String(h.year),
    })),
    skills: toSkillsField(profile.skills),
  }
}

/**
 * The expert profile form: `manager` (coordinators: every field, the
 * managing org and the linked account) or `own` (the expert at /experts/me:
 * the fields of ownProfileSchema). Posts to the page's own action.
 */
export function ExpertProfileForm({
  id,
  mode,
  defaults,
  lastResult,
  orgs,
  domains,
  cancelTo,
}: {
  id: string
  mode: 'manager' | 'own'
  defaults: ExpertFormDefaults
  lastResult: SubmissionResult<string[]> | undefined
  orgs: { id: number; name: string }[]
  domains: readonly SkillDomainOption[]
  cancelTo: string
}) {
  const { t } = useTranslation()
  const schema = mode === 'manager' ? expertProfileSchema : ownProfileSchema
  const [form, fields] = useForm<{ [K in keyof ExpertFormDefaults]: unknown }>({
    id,
    lastResult,
    defaultValue: defaults as never,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }) as never,
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })
  const initial = (form.initialValue ?? {}) as Record<string, unknown>
  const posted = lastResult !== undefined
  return (
    <Form method="post" {...getFormProps(form)}>
      <CsrfInput />
      {form.errors?.length ? (
        <div className="form-error" role="alert" id={form.errorId}>
          <TalentError errors={form.errors} />
        </div>
      ) : null}
      <h2>{t('talent.form.basics')}</h2>
      <div className="item-grid">
        {mode === 'manager' ? (
          <>
            <TalentTextField field={fields.name} label={t('talent.fields.name')} />
            <TalentTextField
              field={fields.mobile}
              label={t('talent.fields.mobile')}
              inputMode="tel"
            />
          </>
        ) : null}
        <GenderField field={fields.gender} />
        <TalentTextField field={fields.email} label={t('talent.fields.email')} type="email" />
        <TalentTextField field={fields.employer} label={t('talent.fields.employer')} />
        <TalentTextField field={fields.jobTitle} label={t('talent.fields.jobTitle')} />
      </div>
      <TalentTextArea field={fields.bio} label={t('talent.fields.bio')} rows={3} />

      {mode === 'manager' ? (
        <>
          <h2>{t('talent.form.credentials')}</h2>
          <GradeField field={fields.grade} />
          <HonoursField
            key={`honours-${form.key ?? ''}`}
            formId={form.id}
            errors={form.allErrors}
            rows={honourRowsOf(initial.honours, posted)}
          />
        </>
      ) : null}

      <ExpertSkillsField
        key={`skills-${form.key ?? ''}`}
        name="skills"
        domains={domains}
        levels={skillLevelsOf(initial.skills)}
        errors={fields.skills.errors}
      />

      <h2>{t('talent.form.coverage')}</h2>
      <div className="item-grid">
        <TalentTextField
          field={fields.districts}
          label={t('talent.fields.districts')}
          hint={t('talent.hints.list')}
        />
        <TalentTextField
          field={fields.parks}
          label={t('talent.fields.parks')}
          hint={t('talent.hints.list')}
        />
      </div>
      <WeekdaysField field={fields.weekdays} />
      <TalentTextArea
        field={fields.blackouts}
        label={t('talent.fields.blackouts')}
        hint={t('talent.hints.blackouts')}
        rows={3}
      />
      <div className="item-grid">
        <TalentTextField
          field={fields.capacity}
          label={t('talent.fields.capacity')}
          type="number"
          hint={t('talent.hints.capacity')}
        />
        <StatusField
          field={fields.status}
          hint={mode === 'own' ? t('talent.me.pause') : undefined}
        />
      </div>

      {mode === 'manager' ? (
        <>
          <h2>{t('talent.form.management')}</h2>
          <ChoiceField
            field={fields.orgId}
            label={t('talent.fields.org')}
            blank={t('talent.choose')}
            options={orgs.map((o) => ({ value: String(o.id), label: o.name }))}
          />
          <TalentTextField
            field={fields.accountEmail}
            label={t('talent.fields.account')}
            type="email"
            hint={t('talent.hints.account')}
          />
        </>
      ) : null}
      <div className="actions">
        <button type="submit">{t('talent.form.submit')}</button>
        <Link to={cancelTo} className="button secondary">
          {t('talent.form.cancel')}
        </Link>
      </div>
    </Form>
  )
}

/** Fields a talent form's domain error may point at (shown at the field). */
export const EXPERT_FORM_FIELDS = ['mobile', 'orgId', 'accountEmail', 'skills', 'name'] as const
