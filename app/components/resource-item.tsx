import { Form } from '@remix-run/react'
import type { TFunction } from 'i18next'
import { useTranslation } from 'react-i18next'
import { CsrfInput } from '#app/components/csrf-input.tsx'
import { MatchExplanation } from '#app/components/match-explanation.tsx'
import { ResourceStatus } from '#app/components/resource-status.tsx'
import { formatDate, formatDateTime } from '#app/utils/format.ts'
import { localName, type Named } from '#app/utils/taxonomy.ts'
import type { ScoreFactor } from '#workflows/matching/types.ts'
import '#app/styles/matching.css'

export interface ResourceCandidateView {
  proposalId: number
  kind: 'expert' | 'team'
  key: string
  name: string
  detail: string
  leaderName: string | null
  mobile: string | null
  score: number | null
  factors: ScoreFactor[]
  source: string
  status: string
  warnings: string[]
  invitation: {
    id: number
    status: string
    reason: string | null
    dueAt: string | Date | null
    respondedAt: string | Date | null
  } | null
}

export interface ResourceItemView {
  id: number
  title: string
  headcount: number
  skillIds: number[]
  windowStart: string | null
  windowEnd: string | null
  place: string | null
  candidates: ResourceCandidateView[]
  coverage: { proposed: number; invited: number; accepted: number; covered: number; full: boolean }
  unfilled: { missing: number; reason: string; detail: Record<string, number> } | null
  constraints: {
    id: number
    kind: 'pin' | 'exclude'
    reason: string | null
    expertName: string | null
    teamName: string | null
  }[]
}

export interface ResourceActions {
  constrain: boolean
  answer: boolean
}

/** A calendar day 'YYYY-MM-DD' in the UI language (noon in Beijing: no day shift). */
export function dayText(day: string, lng: string) {
  return formatDate(`${day}T12:00:00+08:00`, lng)
}

export function windowText(
  item: { windowStart: string | null; windowEnd: string | null },
  t: TFunction,
  lng: string,
): string | null {
  const start = item.windowStart ? dayText(item.windowStart, lng) : null
  const end = item.windowEnd ? dayText(item.windowEnd, lng) : null
  if (start && end) return t('confirmation.item.window', { start, end })
  if (start) return t('confirmation.item.from', { start })
  if (end) return t('confirmation.item.until', { end })
  return null
}

/** One confirmed item of the resource list: its candidates, coverage, and the steward's actions. */
export function ResourceItem({
  item,
  listId,
  version,
  skills,
  actions,
}: {
  item: ResourceItemView
  listId: number
  version: number
  skills: Record<string, Named>
  actions: ResourceActions
}) {
  const { t, i18n } = useTranslation()
  const lng = i18n.language
  const action = `/needs-lists/${listId}/resources`
  const window = windowText(item, t, lng)
  const skillText = item.skillIds
    .map((id) => {
      const s = skills[String(id)]
      return s ? localName(s, lng) : `#${id}`
    })
    .join('、')
  return (
    <section className="card resource-item" id={`item-${item.id}`} data-item={item.id}>
      <h2>
        <span>{item.title}</span>
        <span className="muted">
          {t('matching.resources.headcount', { count: item.headcount })}
        </span>
        <span className={`chip ${item.coverage.full ? 'chip-accepted' : 'chip-invited'}`}>
          {item.coverage.full
            ? t('matching.resources.covered')
            : t('matching.resources.notCovered')}
        </span>
      </h2>
      {skillText ? (
        <p className="facts-line">{t('matching.resources.skills', { skills: skillText })}</p>
      ) : null}
      {window ? <p className="facts-line">{t('matching.resources.window', { window })}</p> : null}
      {item.place ? (
        <p className="facts-line">{t('matching.resources.place', { place: item.place })}</p>
      ) : null}
      <p data-testid="coverage">
        {t('matching.resources.coverage', { ...item.coverage, headcount: item.headcount })}
      </p>
      {item.unfilled ? (
        <div className="unfilled" data-testid="unfilled" data-reason={item.unfilled.reason}>
          <strong>{t('matching.unfilled.heading')}：</strong>
          {t(`matching.unfilled.${item.unfilled.reason}`)}
          {' · '}
          {t('matching.unfilled.missing', { count: item.unfilled.missing })}
          <br />
          <span className="muted">
            {t('matching.unfilled.detail', {
              withSkill: item.unfilled.detail.withSkill ?? 0,
              unavailable: item.unfilled.detail.unavailable ?? 0,
              busy: item.unfilled.detail.busy ?? 0,
              excluded: item.unfilled.detail.excluded ?? 0,
            })}
          </span>
        </div>
      ) : null}
      {item.candidates.length === 0 ? (
        <p className="muted">{t('matching.resources.noCandidates')}</p>
      ) : (
        <ul className="candidates">
          {item.candidates.map((c) => (
            <li key={c.proposalId} data-candidate={c.key}>
              <div className="candidate-head">
                <strong>{c.name}</strong>
                <span className="muted">{t(`matching.kind.${c.kind}`)}</span>
                {c.detail ? <span className="muted">{c.detail}</span> : null}
                {c.leaderName ? (
                  <span className="muted">
                    {t('matching.resources.leader', { name: c.leaderName })}
                  </span>
                ) : null}
                <ResourceStatus status={c.status} />
                <span className="muted">{t(`matching.source.${c.source}`)}</span>
                {c.score !== null ? (
                  <span className="score">
                    {t('matching.explain.score', { score: c.score.toFixed(1) })}
                  </span>
                ) : null}
              </div>
              {c.factors.length > 0 ? (
                <MatchExplanation factors={c.factors} skills={skills} />
              ) : null}
              {c.warnings.length > 0 ? (
                <p className="pin-warning" data-testid="pin-warning">
                  {c.warnings
                    .map((w) => t(`matching.warning.${w}`, { defaultValue: w }))
                    .join(t('matching.explain.separator'))}
                </p>
              ) : null}
              {c.mobile ? (
                <p className="muted">{t('matching.resources.mobile', { mobile: c.mobile })}</p>
              ) : null}
              {c.invitation?.status === 'pending' && c.invitation.dueAt ? (
                <p className="muted">
                  {t('matching.resources.dueAt', { at: formatDateTime(c.invitation.dueAt, lng) })}
                </p>
              ) : null}
              {c.invitation?.respondedAt ? (
                <p className="muted">
                  {t('matching.resources.answeredAt', {
                    at: formatDateTime(c.invitation.respondedAt, lng),
                  })}
                </p>
              ) : null}
              {c.invitation?.reason ? (
                <p className="muted">
                  {t('matching.resources.reason', { reason: c.invitation.reason })}
                </p>
              ) : null}
              <CandidateActions
                candidate={c}
                itemId={item.id}
                action={action}
                version={version}
                actions={actions}
              />
            </li>
          ))}
        </ul>
      )}
      {actions.constrain && item.constraints.length > 0 ? (
        <div>
          <h3>{t('matching.resources.constraints')}</h3>
          <ul>
            {item.constraints.map((c) => (
              <li key={c.id}>
                {t(c.kind === 'pin' ? 'matching.resources.pinned' : 'matching.resources.excluded', {
                  name: c.teamName ?? c.expertName ?? '',
                })}
                {c.reason ? <span className="muted"> · {c.reason}</span> : null}{' '}
                <Form method="post" action={action} className="inline compact">
                  <CsrfInput />
                  <input type="hidden" name="version" value={version} />
                  <input type="hidden" name="constraintId" value={c.id} />
                  <button type="submit" name="intent" value="unconstrain" className="secondary">
                    {t('matching.resources.remove')}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  )
}

function CandidateActions({
  candidate: c,
  itemId,
  action,
  version,
  actions,
}: {
  candidate: ResourceCandidateView
  itemId: number
  action: string
  version: number
  actions: ResourceActions
}) {
  const { t } = useTranslation()
  const drafted = c.status === 'proposed'
  const open =
    c.invitation && (c.invitation.status === 'pending' || c.invitation.status === 'accepted')
  const showConstrain = actions.constrain && drafted
  const showAnswer = actions.answer && c.invitation !== null && open
  if (!showConstrain && !showAnswer) return null
  const reasonId = (what: string) => `${what}-${c.proposalId}`
  return (
    <div className="row-actions">
      {showConstrain ? (
        <>
          {c.source !== 'pinned' ? (
            <Form method="post" action={action}>
              <CsrfInput />
              <input type="hidden" name="version" value={version} />
              <input type="hidden" name="itemId" value={itemId} />
              <input type="hidden" name="candidate" value={c.key} />
              <button type="submit" name="intent" value="pin" className="secondary">
                {t('matching.resources.pin')}
              </button>
            </Form>
          ) : null}
          <Form method="post" action={action}>
            <CsrfInput />
            <input type="hidden" name="version" value={version} />
            <input type="hidden" name="itemId" value={itemId} />
            <input type="hidden" name="candidate" value={c.key} />
            <input type="hidden" name="proposalId" value={c.proposalId} />
            <div>
              <label htmlFor={reasonId('exclude')} className="muted">
                {t('matching.resources.excludeReason')}
              </label>
              <input type="text" id={reasonId('exclude')} name="reason" maxLength={500} />
            </div>
            <button type="submit" name="intent" value="replace" className="secondary">
              {t('matching.resources.replace')}
            </button>
            <button type="submit" name="intent" value="exclude" className="secondary">
              {t('matching.resources.exclude')}
            </button>
          </Form>
        </>
      ) : null}
      {showAnswer && c.invitation ? (
        <>
          {c.invitation.status === 'pending' ? (
            <Form method="post" action={action}>
              <CsrfInput />
              <input type="hidden" name="invitationId" value={c.invitation.id} />
              <button type="submit" name="intent" value="accept" className="secondary">
                {t('matching.resources.accept')}
              </button>
            </Form>
          ) : null}
          <Form method="post" action={action}>
            <CsrfInput />
            <input type="hidden" name="invitationId" value={c.invitation.id} />
            <div>
              <label htmlFor={reasonId('decline')} className="muted">
                {t('matching.resources.declineReason')}
              </label>
              <input type="text" id={reasonId('decline')} name="reason" maxLength={500} />
            </div>
            <button type="submit" name="intent" value="decline" className="secondary">
              {t('matching.resources.decline')}
            </button>
          </Form>
          <Form method="post" action={action}>
            <CsrfInput />
            <input type="hidden" name="invitationId" value={c.invitation.id} />
            <div>
              <label htmlFor={reasonId('withdraw')} className="muted">
                {t('matching.resources.withdrawReason')}
              </label>
              <input type="text" id={reasonId('withdraw')} name="reason" maxLength={500} />
            </div>
            <button type="submit" name="intent" value="withdraw" className="secondary">
              {t('matching.resources.withdraw')}
            </button>
          </Form>
        </>
      ) : null}
    </div>
  )
}
