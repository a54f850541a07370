import { useTranslation } from 'react-i18next'

export interface TeamOptions {
  experts: { expertId: number; name: string; items: string[]; hasSignIn: boolean }[]
  unionUsers: { id: number; name: string; orgName: string }[]
}

export interface TeamValue {
  expertIds: number[]
  cadre: { name: string; userId: string }
  others: { name: string; userId: string }[]
}

/** Rows for other people the form offers (a form without JavaScript cannot add rows). */
export const OTHER_ROWS = 3

function UserSelect({
  name,
  value,
  users,
  label,
}: {
  name: string
  value: string
  users: TeamOptions['unionUsers']
  label: string
}) {
  const { t } = useTranslation()
  return (
    <select name={name} defaultValue={value} aria-label={label}>
      <option value="">{t('visits.field.noUser')}</option>
      {users.map((u) => (
        <option key={u.id} value={u.id}>
          {u.name}（{u.orgName}）
        </option>
      ))}
    </select>
  )
}

/** The team of a visit: paired experts (checkboxes), a stationed cadre, others by name. */
export function VisitTeamFields({ options, value }: { options: TeamOptions; value: TeamValue }) {
  const { t } = useTranslation()
  const others = Array.from(
    { length: Math.max(OTHER_ROWS, value.others.length + 1) },
    (_, i) => value.others[i] ?? { name: '', userId: '' },
  )
  return (
    <>
      <fieldset className="field">
        <legend>{t('visits.field.experts')}</legend>
        {options.experts.map((e) => (
          <label key={e.expertId} className="checkbox">
            <input
              type="checkbox"
              name="expertIds"
              value={e.expertId}
              defaultChecked={value.expertIds.includes(e.expertId)}
            />{' '}
            {e.name}
            <span className="muted">
              {' '}
              · {e.items.join('、')}
              {e.hasSignIn ? '' : ` ${t('visits.field.noSignIn')}`}
            </span>
          </label>
        ))}
      </fieldset>
      <fieldset className="field">
        <legend>{t('visits.field.cadre')}</legend>
        <input
          type="text"
          name="cadre.name"
          maxLength={50}
          defaultValue={value.cadre.name}
          aria-label={`${t('visits.field.cadre')} ${t('visits.field.memberName')}`}
          placeholder={t('visits.field.memberName')}
        />{' '}
        <UserSelect
          name="cadre.userId"
          value={value.cadre.userId}
          users={options.unionUsers}
          label={`${t('visits.field.cadre')} ${t('visits.field.memberUser')}`}
        />
      </fieldset>
      <fieldset className="field">
        <legend>{t('visits.field.others')}</legend>
        {others.map((o, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: fixed rows of a form without JavaScript
          <div className="attendee-row" key={i}>
            <input
              type="text"
              name={`others[${i}].name`}
              maxLength={50}
              defaultValue={o.name}
              aria-label={`${t('visits.field.others')} ${i + 1}`}
              placeholder={t('visits.field.memberName')}
            />{' '}
            <UserSelect
              name={`others[${i}].userId`}
              value={o.userId}
              users={options.unionUsers}
              label={`${t('visits.field.others')} ${i + 1} ${t('visits.field.memberUser')}`}
            />
          </div>
        ))}
      </fieldset>
    </>
  )
}
