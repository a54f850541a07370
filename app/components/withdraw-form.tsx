import {
  getFormProps,
  getInputProps,
  getTextareaProps,
  type SubmissionResult,
  useForm,
} from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { Form } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { CsrfInput } from './csrf-input.tsx'
import { FieldError } from './field-error.tsx'

/** The withdraw form as posted: an optional reason and a ticked confirmation. */
export const withdrawFormSchema = z.object({
  version: z.number({ error: 'errors.badRequest' }).int().positive(),
  reason: z
    .string()
    .trim()
    .max(1000, { error: 'taxonomy.errors.reasonTooLong' })
    .optional()
    .transform((v) => (v ? v : undefined)),
  confirm: z
    .boolean({ error: 'taxonomy.errors.confirmWithdraw' })
    .refine((v) => v, { error: 'taxonomy.errors.confirmWithdraw' }),
})

/**
 * Withdrawing closes the list for good, so it asks for a confirmation tick.
 * `collapsed` puts it in a disclosure (on the detail page, next to the other
 * actions); the withdraw page shows it open.
 */
export function WithdrawForm({
  id,
  version,
  lastResult,
  collapsed = true,
}: {
  id: number
  version: number
  lastResult?: SubmissionResult<string[]> | null
  collapsed?: boolean
}) {
  const { t } = useTranslation()
  const [form, fields] = useForm({
    id: 'withdraw',
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: withdrawFormSchema }),
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
  })
  const body = (
    <Form method="post" action={`/needs-lists/${id}/withdraw`} {...getFormProps(form)}>
      <CsrfInput />
      {/* Plain, not Conform's: it must follow the page when the list moves on. */}
      <input type="hidden" name="version" value={version} />
      {form.errors?.length ? (
        <p className="form-error" role="alert" id={form.errorId}>
          {t(form.errors[0] ?? '')}
        </p>
      ) : null}
      <p className="muted">{t('taxonomy.withdraw.intro')}</p>
      <div className="field">
        <label htmlFor={fields.reason.id}>{t('taxonomy.withdraw.reason')}</label>
        <textarea {...getTextareaProps(fields.reason)} rows={2} />
        <FieldError errors={fields.reason.errors} id={fields.reason.errorId} />
      </div>
      <div className="field">
        <label className="checkbox" htmlFor={fields.confirm.id}>
          <input {...getInputProps(fields.confirm, { type: 'checkbox' })} />{' '}
          {t('taxonomy.withdraw.confirm')}
        </label>
        <FieldError errors={fields.confirm.errors} id={fields.confirm.errorId} />
      </div>
      <button type="submit" className="secondary">
        {t('taxonomy.withdraw.submit')}
      </button>
    </Form>
  )
  if (!collapsed) return body
  return (
    <details className="withdraw" open={Boolean(lastResult)}>
      <summary>{t('taxonomy.withdraw.title')}</summary>
      {body}
    </details>
  )
}
