import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { principalOf, requireRole } from '#app/auth/session.server.ts'
import { CsrfInput } from '#app/components/csrf-input.tsx'
import { dashboardSearch } from '#app/components/dashboard/format.ts'
import { dashboardRequest, pageFrame } from '#app/components/dashboard/query.server.ts'
import {
  childrenTargetColumn,
  formatTarget,
  metricColumn,
  targetColumn,
} from '#app/components/dashboard/target-columns.tsx'
import { type Column, DashTable } from '#app/components/dashboard/ui.tsx'
import { FieldError } from '#app/components/field-error.tsx'
import { formDomainError, invalidForm, readForm, throwDomainError } from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { noticeKeys, readNotice, withNotice } from '#app/utils/notice.ts'
import { loadTargets, saveTargets, TARGET_SETTER_ROLES } from '#workflows/commands/dashboard.ts'
import { TARGET_METRICS, type TargetMetric } from '#workflows/dashboard/metrics.ts'
import { parsePeriod } from '#workflows/dashboard/period.ts'
import {
  MONEY_METRICS,
  targetsSchema,
  targetYearSchema,
} from '#workflows/dashboard/targets.schema.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'dashboard.tabs.targets')

const PATH = '/dashboard/targets'
const NOTICE_KEYS = noticeKeys('dashboard.targets', ['saved'])

/** The form: every metric (blank deletes its target), the org and the year. */
const formSchema = targetsSchema.extend({
  orgId: z.coerce
    .number({ error: 'dashboard.errors.org' })
    .int({ error: 'dashboard.errors.org' })
    .positive({ error: 'dashboard.errors.org' })
    .max(2_147_483_647, { error: 'dashboard.errors.org' }),
  year: targetYearSchema,
})

// Blank must stay '' (it deletes a target), so Conform's coercion (blank → absent) is off.
const parseForm = (form: FormData) =>
  parseWithZod(form, { schema: formSchema, disableAutoCoercion: true })

/** Unit shown after each input. */
const UNIT: Record<TargetMetric, string> = {
  enterprises_served: 'enterprises',
  problems_solved: 'count',
  expert_participations: 'people',
  workers_trained: 'people',
  benefit_yuan: 'yuan',
  agreements_signed: 'count',
}

/** The targets of the chosen org for the period's year, and its children's. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user, query } = await dashboardRequest(request, context)
  const found = await loadTargets(context.db, principalOf(user), {
    orgId: query.orgId,
    year: query.period.year,
  }).catch(throwDomainError)
  return {
    ...(await pageFrame(context.db, found)),
    period: { key: query.period.key },
    year: found.year,
    canEdit: found.canEdit,
    rows: found.rows,
    children: found.children,
    notice: readNotice(request, NOTICE_KEYS),
  }
}

/** Saves the yearly targets (federation admins of the org or above only). */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRole(request, context, TARGET_SETTER_ROLES)
  const form = await readForm(request, context)
  const submission = parseForm(form)
  if (submission.status !== 'success') return invalidForm(submission)
  const { orgId, year, ...values } = submission.value
  try {
    await saveTargets(context.db, principalOf(user), { orgId, year, values, now: context.now() })
  } catch (err) {
    return formDomainError(submission, err)
  }
  const period = parsePeriod(new URL(request.url).searchParams.get('period'))?.key ?? String(year)
  return redirect(withNotice(`${PATH}${dashboardSearch(orgId, period)}`, 'saved'))
}

export default function DashboardTargets() {
  const data = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  return (
    <section className="card dash-section" aria-labelledby="targets-title">
      <h2 id="targets-title">
        {t('dashboard.targets.formTitle', { org: data.org.name, year: data.year })}
      </h2>
      {data.notice ? (
        <p className="notice" role="status">
          {t(data.notice)}
        </p>
      ) : null}
      {data.canEdit ? <TargetsForm data={data} /> : <ReadOnly data={data} />}
      {data.children.length > 0 ? (
        <div className="dash-scroll">
          <DashTable
            testId="child-targets"
            caption={t('dashboard.targets.childrenTitle')}
            columns={[
              { label: t('dashboard.children.org'), rowHead: true, cell: (c) => c.org.name },
              ...TARGET_METRICS.map(
                (m): Column<Data['children'][number]> => ({
                  label: t(`dashboard.metric.${m}`),
                  num: true,
                  cell: (c) => formatTarget(m, c.targets[m]) ?? t('dashboard.none'),
                }),
              ),
            ]}
            rows={data.children}
            rowKey={(c) => c.org.id}
          />
        </div>
      ) : null}
    </section>
  )
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>

function ReadOnly({ data }: { data: Data }) {
  const { t } = useTranslation()
  return (
    <>
      <p className="muted">{t('dashboard.targets.readOnly')}</p>
      <DashTable
        className="dash-table dash-narrow"
        testId="targets"
        columns={[metricColumn(t), targetColumn(t), childrenTargetColumn(t)]}
        rows={data.rows}
        rowKey={(r) => r.metric}
      />
    </>
  )
}

function TargetsForm({ data }: { data: Data }) {
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  const [form, fields] = useForm({
    id: `targets-${data.org.id}-${data.year}`,
    lastResult: actionData?.result,
    defaultValue: {
      ...Object.fromEntries(data.rows.map((r) => [r.metric, r.target ?? ''])),
      orgId: String(data.org.id),
      year: String(data.year),
    },
    onValidate: ({ formData }) => parseForm(formData),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })
  return (
    <Form
      method="post"
      action={`${PATH}${dashboardSearch(data.org.id, data.period.key)}`}
      {...getFormProps(form)}
      className="dash-targets-form"
    >
      <CsrfInput />
      <input type="hidden" name="orgId" value={data.org.id} />
      <input type="hidden" name="year" value={data.year} />
      <p className="muted">{t('dashboard.targets.formIntro')}</p>
      {form.errors?.length ? (
        <p className="form-error" role="alert" id={form.errorId}>
          {t(form.errors[0] ?? '')}
        </p>
      ) : null}
      <DashTable
        className="dash-table dash-narrow"
        columns={[
          {
            label: t('dashboard.targets.metric'),
            rowHead: true,
            cell: ({ metric }) => (
              <label htmlFor={fields[metric].id}>{t(`dashboard.metric.${metric}`)}</label>
            ),
          },
          {
            label: t('dashboard.targets.target'),
            cell: ({ metric }) => {
              const field = fields[metric]
              return (
                <>
                  <input
                    {...getInputProps(field, { type: 'text' })}
                    key={field.key}
                    inputMode={MONEY_METRICS.includes(metric) ? 'decimal' : 'numeric'}
                    autoComplete="off"
                    className="dash-target-input"
                  />{' '}
                  <span className="muted">{t(`dashboard.targets.unit.${UNIT[metric]}`)}</span>
                  <FieldError errors={field.errors} id={field.errorId} />
                </>
              )
            },
          },
          childrenTargetColumn(t),
        ]}
        rows={data.rows}
        rowKey={(r) => r.metric}
      />
      <div className="actions">
        <button type="submit">{t('dashboard.targets.save')}</button>
      </div>
    </Form>
  )
}
