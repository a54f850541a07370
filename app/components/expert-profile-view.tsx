import { Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { formatDateTime } from '#app/utils/format.ts'
import {
  gradeLabel,
  honourLabel,
  LoadMeter,
  SkillTags,
  StatusBadge,
  weekdaysLabel,
} from './expert-display.tsx'
import '#app/styles/taxonomy.css'

export interface ExpertProfileData {
  id: number
  name: string
  gender: string | null
  mobile: string
  email: string | null
  employer: string | null
  jobTitle: string | null
  grade: string | null
  districts: string[]
  parks: string[]
  weekdays: number[]
  capacity: number
  status: string
  bio: string | null
  orgName: string
  updatedAt: string | Date
  account: { id: number; name: string; email: string } | null
  skills: { skillId: number; code: string; nameZh: string; nameEn: string; proficiency: number }[]
  honours: { type: string; level: string; year: number | null }[]
  blackouts: { startsOn: string; endsOn: string; note: string | null }[]
  teams: { id: number; name: string; status: string; leads: boolean }[]
  load: number
}

/** An expert's profile, read-only (the profile page and the expert's own page). */
export function ExpertProfileView({
  expert,
  linkTeams = true,
}: {
  expert: ExpertProfileData
  linkTeams?: boolean
}) {
  const { t, i18n } = useTranslation()
  const none = t('talent.none')
  return (
    <div className="need-item-details" data-testid="expert-profile">
      <h2>{t('talent.profile.basics')}</h2>
      <dl>
        <dt>{t('talent.fields.gender')}</dt>
        <dd>{expert.gender ? t(`talent.gender.${expert.gender}`) : none}</dd>
        <dt>{t('talent.fields.mobile')}</dt>
        <dd>{expert.mobile}</dd>
        <dt>{t('talent.fields.email')}</dt>
        <dd>{expert.email ?? none}</dd>
        <dt>{t('talent.fields.employer')}</dt>
        <dd>{expert.employer ?? none}</dd>
        <dt>{t('talent.fields.jobTitle')}</dt>
        <dd>{expert.jobTitle ?? none}</dd>
        <dt>{t('talent.fields.grade')}</dt>
        <dd>{gradeLabel(t, expert.grade)}</dd>
        <dt>{t('talent.fields.org')}</dt>
        <dd>{expert.orgName}</dd>
        <dt>{t('talent.fields.status')}</dt>
        <dd>
          <StatusBadge status={expert.status} />
        </dd>
        <dt>{t('talent.fields.load')}</dt>
        <dd>
          <LoadMeter load={expert.load} capacity={expert.capacity} />
        </dd>
        <dt>{t('talent.fields.account')}</dt>
        <dd>
          {expert.account
            ? `${expert.account.name}（${expert.account.email}）`
            : t('talent.profile.notLinked')}
        </dd>
        <dt>{t('talent.fields.bio')}</dt>
        <dd>{expert.bio ?? none}</dd>
        <dt>{t('talent.fields.updatedAt')}</dt>
        <dd>{formatDateTime(expert.updatedAt, i18n.language)}</dd>
      </dl>

      <h2>{t('talent.profile.honours')}</h2>
      {expert.honours.length === 0 ? (
        <p className="muted">{t('talent.profile.noHonours')}</p>
      ) : (
        <ul>
          {expert.honours.map((h) => (
            <li key={`${h.type}:${h.level}:${h.year ?? ''}`}>{honourLabel(t, h)}</li>
          ))}
        </ul>
      )}

      <h2>{t('talent.profile.specialties')}</h2>
      {expert.skills.length === 0 ? (
        <p className="muted">{t('talent.profile.noSkills')}</p>
      ) : (
        <SkillTags skills={expert.skills} />
      )}

      <h2>{t('talent.profile.coverage')}</h2>
      <dl>
        <dt>{t('talent.fields.districts')}</dt>
        <dd>{expert.districts.join('、') || none}</dd>
        <dt>{t('talent.fields.parks')}</dt>
        <dd>{expert.parks.join('、') || none}</dd>
      </dl>

      <h2>{t('talent.profile.availability')}</h2>
      <dl>
        <dt>{t('talent.fields.weekdays')}</dt>
        <dd>{weekdaysLabel(t, expert.weekdays) || none}</dd>
        <dt>{t('talent.fields.blackouts')}</dt>
        <dd>
          {expert.blackouts.length === 0
            ? t('talent.profile.noBlackouts')
            : expert.blackouts
                .map((b) => (b.startsOn === b.endsOn ? b.startsOn : `${b.startsOn} ~ ${b.endsOn}`))
                .join('；')}
        </dd>
        <dt>{t('talent.fields.capacity')}</dt>
        <dd>{expert.capacity}</dd>
      </dl>

      <h2>{t('talent.fields.teams')}</h2>
      {expert.teams.length === 0 ? (
        <p className="muted">{t('talent.profile.noTeams')}</p>
      ) : (
        <ul>
          {expert.teams.map((team) => (
            <li key={team.id}>
              {linkTeams ? <Link to={`/teams/${team.id}`}>{team.name}</Link> : team.name}
              {team.leads ? ` · ${t('talent.profile.leads')}` : null}{' '}
              <StatusBadge status={team.status} />
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
