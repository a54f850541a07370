import type { TFunction } from 'i18next'
import { useTranslation } from 'react-i18next'
import { localName } from '#app/utils/taxonomy.ts'
import { decodeMessage } from '#workflows/talent/cells.ts'

/** Label of a code list entry, or the code itself when it is not (or no longer) known. */
const codeLabel = (t: TFunction, ns: string, code: string) =>
  t(`talent.${ns}.${code}`, { defaultValue: code })

export function gradeLabel(t: TFunction, grade: string | null): string {
  return grade ? codeLabel(t, 'grade', grade) : t('talent.none')
}

export function honourLabel(
  t: TFunction,
  h: { type: string; level: string; year: number | null },
): string {
  const type = codeLabel(t, 'honourType', h.type)
  const level = codeLabel(t, 'honourLevel', h.level)
  return h.year === null
    ? t('talent.honourLine', { type, level })
    : t('talent.honourLineYear', { type, level, year: h.year })
}

export function weekdaysLabel(t: TFunction, days: readonly number[]): string {
  return days.map((d) => t(`talent.weekday.${d}`)).join(' ')
}

/** A talent-pool form message (a key, maybe with parameters after '|'), translated. */
export function TalentError({ errors, id }: { errors?: string[]; id?: string }) {
  const { t } = useTranslation()
  const first = errors?.[0]
  if (!first) return null
  const { key, params } = decodeMessage(first)
  return (
    <p className="field-error" id={id} role="alert">
      {t(key, params)}
    </p>
  )
}

export function HonourTags({
  honours,
}: {
  honours: readonly { type: string; level: string; year: number | null }[]
}) {
  const { t } = useTranslation()
  if (honours.length === 0) return null
  return (
    <ul className="skill-tags">
      {honours.map((h) => (
        <li key={`${h.type}:${h.level}:${h.year ?? ''}`}>{honourLabel(t, h)}</li>
      ))}
    </ul>
  )
}

export function SkillTags({
  skills,
  max,
}: {
  skills: readonly { skillId: number; nameZh: string; nameEn: string; proficiency: number }[]
  max?: number
}) {
  const { t, i18n } = useTranslation()
  const shown = max === undefined ? skills : skills.slice(0, max)
  if (skills.length === 0) return null
  return (
    <ul className="skill-tags">
      {shown.map((s) => (
        <li key={s.skillId} title={t(`talent.proficiency.${s.proficiency}`)}>
          {localName(s, i18n.language)} · {s.proficiency}
        </li>
      ))}
      {shown.length < skills.length ? (
        <li>{t('talent.list.moreSkills', { count: skills.length - shown.length })}</li>
      ) : null}
    </ul>
  )
}

export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation()
  return (
    <span className={status === 'active' ? 'status status-accepted' : 'status status-returned'}>
      {t(`talent.status.${status}`, { defaultValue: status })}
    </span>
  )
}

/** "1/3": engagements held against capacity. */
export function LoadMeter({ load, capacity }: { load: number; capacity: number }) {
  const { t } = useTranslation()
  return (
    <span data-testid="load">
      <meter min={0} max={capacity} value={Math.min(load, capacity)} />{' '}
      {t('talent.loadOf', { load, capacity })}
    </span>
  )
}
