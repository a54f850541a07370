import { Form } from '@remix-run/react'
import { useTranslation } from 'react-i18next'

export interface PickableOrg {
  id: number
  name: string
  depth: number
}

/** The org select of a GET form (name `org`), indented by depth in the tree. */
export function OrgField({
  orgs,
  current,
  label,
}: {
  orgs: PickableOrg[]
  current: number
  label: string
}) {
  return (
    <div className="field">
      <label htmlFor="org">{label}</label>
      <select id="org" name="org" defaultValue={String(current)}>
        {orgs.map((o) => (
          <option key={o.id} value={o.id}>
            {'\u3000'.repeat(o.depth)}
            {o.name}
          </option>
        ))}
      </select>
    </div>
  )
}

/**
 * A GET form choosing the org an admin page shows (the org is a query
 * parameter, so the page can be linked); indented by depth in the tree.
 */
export function OrgPicker({
  action,
  orgs,
  current,
  labelKey,
  buttonKey,
  children,
}: {
  action: string
  orgs: PickableOrg[]
  current: number
  labelKey: string
  buttonKey: string
  /** More fields submitted with the org (e.g. a period), after the org select. */
  children?: React.ReactNode
}) {
  const { t } = useTranslation()
  if (orgs.length <= 1) return null
  return (
    <Form method="get" action={action} className="filters">
      <OrgField orgs={orgs} current={current} label={t(labelKey)} />
      {children}
      <div className="actions">
        <button type="submit" className="secondary">
          {t(buttonKey)}
        </button>
      </div>
    </Form>
  )
}
