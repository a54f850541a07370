import { useTranslation } from 'react-i18next'

/** Shows the first error of a field; errors are translation keys. */
export function FieldError({ errors, id }: { errors?: string[]; id?: string }) {
  const { t } = useTranslation()
  if (!errors?.length) return null
  return (
    <p className="field-error" id={id} role="alert">
      {t(errors[0] ?? '')}
    </p>
  )
}
