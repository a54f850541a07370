import type { TFunction } from 'i18next'
import { useTranslation } from 'react-i18next'
import { type TimelineEntry, WorkflowTimeline } from '#app/components/workflow-timeline.tsx'
import { formatDate, formatDateTime } from '#app/utils/format.ts'
import type { CaseArchive } from '#workflows/commands/case-archive.ts'
import type { AgreementContent } from '#workflows/commands/pairing.ts'
import { honourName } from '#workflows/resource-list/explain.ts'
import { OutcomeDetails, OutcomeTotals } from './outcome-details.tsx'

/**
 * The documents of a case archive. The archive page shows them all in
 * order; the ZIP export renders each one to a printable HTML file
 * (archive-export.server.tsx). Everything comes from the archive object
 * (archive.json), so the page, the files and the data always agree.
 */

type Archive = CaseArchive
type Visit = Archive['visits'][number]
type Photo = Visit['photos'][number]

/** Where a photo's image comes from: a URL on the page, a relative path in the ZIP. */
export type PhotoSource = (photo: Photo, visit: Visit) => string

/** An item's time window as text (the confirmation pages' wording), or null. */
function windowText(
  item: { windowStart: string | null; windowEnd: string | null },
  t: TFunction,
  lng: string,
): string | null {
  const day = (d: string) => formatDate(`${d}T12:00:00+08:00`, lng)
  const start = item.windowStart ? day(item.windowStart) : null
  const end = item.windowEnd ? day(item.windowEnd) : null
  if (start && end) return t('confirmation.item.window', { start, end })
  if (start) return t('confirmation.item.from', { start })
  if (end) return t('confirmation.item.until', { end })
  return null
}

function pick(label: { zh: string | null; en: string | null }, lng: string): string {
  return (lng.startsWith('zh') ? (label.zh ?? label.en) : (label.en ?? label.zh)) ?? ''
}

function dt(at: string | null | undefined, lng: string) {
  return at ? formatDateTime(at, lng) : '—'
}

/** The case's title block: what every document starts with. */
export function ArchiveHeading({ archive, title }: { archive: Archive; title: string }) {
  const { t, i18n } = useTranslation()
  const c = archive.case
  return (
    <header className="archive-heading">
      <p className="muted">
        {c.enterprise.name} · {c.title}
      </p>
      <h1>{title}</h1>
      {c.archivedAt ? (
        <p className="muted">{t('archive.archivedAt', { at: dt(c.archivedAt, i18n.language) })}</p>
      ) : null}
    </header>
  )
}

export function CaseOverview({ archive }: { archive: Archive }) {
  const { t, i18n } = useTranslation()
  const lng = i18n.language
  const c = archive.case
  return (
    <section className="archive-section" data-testid="archive-case">
      <h2>{t('archive.section.case')}</h2>
      <dl className="facts">
        <dt>{t('archive.case.enterprise')}</dt>
        <dd>{c.enterprise.name}</dd>
        {c.enterprise.creditCode ? (
          <>
            <dt>{t('archive.case.creditCode')}</dt>
            <dd>{c.enterprise.creditCode}</dd>
          </>
        ) : null}
        {c.enterprise.address ? (
          <>
            <dt>{t('archive.case.address')}</dt>
            <dd>{c.enterprise.address}</dd>
          </>
        ) : null}
        <dt>{t('archive.case.org')}</dt>
        <dd>{c.org.name}</dd>
        <dt>{t('archive.case.steward')}</dt>
        <dd>{c.steward?.name ?? '—'}</dd>
        <dt>{t('archive.case.filedBy')}</dt>
        <dd>{c.createdByName}</dd>
        <dt>{t('archive.case.status')}</dt>
        <dd>{t(`status.${c.status}`)}</dd>
        <dt>{t('archive.case.createdAt')}</dt>
        <dd>{dt(c.createdAt, lng)}</dd>
        <dt>{t('archive.case.submittedAt')}</dt>
        <dd>{dt(c.submittedAt, lng)}</dd>
        <dt>{t('archive.case.closedAt')}</dt>
        <dd>{dt(c.closedAt, lng)}</dd>
        <dt>{t('archive.case.archivedAt')}</dt>
        <dd>{dt(c.archivedAt, lng)}</dd>
        {c.closeKind ? (
          <>
            <dt>{t('archive.case.closeKind')}</dt>
            <dd data-testid="close-kind">{t(`archive.closeKind.${c.closeKind}`)}</dd>
          </>
        ) : null}
      </dl>
    </section>
  )
}

interface ItemLike {
  title: string | null
  description: string
  urgency: string
  headcount: number
  mode: string
  place: string | null
  expectedOutcome: string | null
  windowStart: string | null
  windowEnd: string | null
  categoryLabel: { zh: string; en: string }
  skills: { id: number; zh: string; en: string }[]
}

function ItemBlock({ item, t, lng }: { item: ItemLike; t: TFunction; lng: string }) {
  const window = windowText(item, t, lng)
  return (
    <>
      <p>
        <strong>{item.title || pick(item.categoryLabel, lng)}</strong>{' '}
        <span className="muted">
          {pick(item.categoryLabel, lng)} · {t(`urgency.${item.urgency}`)} ·{' '}
          {t(`confirmation.mode.${item.mode}`)} ·{' '}
          {t('archive.item.headcount', { count: item.headcount })}
        </span>
      </p>
      <p className="pre-wrap">{item.description}</p>
      {item.skills.length > 0 ? (
        <p>
          {t('archive.item.skills', { skills: item.skills.map((s) => pick(s, lng)).join('、') })}
        </p>
      ) : null}
      {window ? <p>{t('archive.item.window', { window })}</p> : null}
      {item.place ? <p>{t('archive.item.place', { place: item.place })}</p> : null}
      {item.expectedOutcome ? (
        <p>{t('archive.item.outcome', { outcome: item.expectedOutcome })}</p>
      ) : null}
    </>
  )
}

/** The needs list as the enterprise filed it, its intake and its steward. */
export function NeedsListDoc({ archive }: { archive: Archive }) {
  const { t, i18n } = useTranslation()
  const lng = i18n.language
  return (
    <>
      <section className="archive-section" data-testid="archive-filed">
        <h2>{t('archive.section.filed')}</h2>
        <ol>
          {archive.filed.items.map((item) => (
            <li key={item.id}>
              <ItemBlock item={item} t={t} lng={lng} />
            </li>
          ))}
        </ol>
        {archive.filed.attachments.length > 0 ? (
          <>
            <h3>{t('archive.section.attachments')}</h3>
            <ul>
              {archive.filed.attachments.map((a) => (
                <li key={`${a.filename}-${a.createdAt}`}>
                  {a.filename}{' '}
                  <span className="muted">
                    ({a.uploadedByName}，{dt(a.createdAt, lng)})
                  </span>
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>
      <section className="archive-section" data-testid="archive-triage">
        <h2>{t('archive.section.triage')}</h2>
        {archive.triage.length === 0 ? <p className="muted">{t('archive.none')}</p> : null}
        <ul>
          {archive.triage.map((e) => (
            <li key={`${e.type}-${e.at}`}>
              <strong>{t(`event.${e.type}`)}</strong>{' '}
              {t('archive.triage.by', {
                name: e.actorName ?? t('roles.system'),
                role: t(`roles.${e.actorRole}`),
                at: dt(e.at, lng),
              })}
              {e.reason ? (
                <p className="muted">{t('archive.triage.reason', { reason: e.reason })}</p>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
      <section className="archive-section" data-testid="archive-stewards">
        <h2>{t('archive.section.stewards')}</h2>
        {archive.stewards.length === 0 ? (
          <p className={archive.case.steward ? undefined : 'muted'}>
            {archive.case.steward?.name ?? t('archive.none')}
          </p>
        ) : null}
        <ul>
          {archive.stewards.map((s) => (
            <li key={`${s.stewardName}-${s.assignedAt}`}>
              {t('archive.steward.line', {
                name: s.stewardName,
                from: dt(s.assignedAt, lng),
                by: s.assignedByName,
              })}
              {s.endedAt ? ` · ${t('archive.steward.ended', { at: dt(s.endedAt, lng) })}` : ''}
              {s.reason ? (
                <p className="muted">{t('archive.steward.reason', { reason: s.reason })}</p>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
    </>
  )
}

/** The confirmation history and the confirmed items the service worked on. */
export function ConfirmedNeedsDoc({ archive }: { archive: Archive }) {
  const { t, i18n } = useTranslation()
  const lng = i18n.language
  const { confirmation } = archive
  return (
    <section className="archive-section" data-testid="archive-confirmation">
      <h2>{t('archive.section.confirmed')}</h2>
      {confirmation.approvedRevision !== null ? (
        <p className="muted">
          {t('archive.revision.approved', { revision: confirmation.approvedRevision })}
        </p>
      ) : null}
      <ol>
        {confirmation.items.map((item) => (
          <li key={item.id}>
            <ItemBlock item={item} t={t} lng={lng} />
          </li>
        ))}
      </ol>
      <h3>{t('archive.section.revisions')}</h3>
      {confirmation.revisions.length === 0 ? <p className="muted">{t('archive.none')}</p> : null}
      <ol className="archive-revisions">
        {confirmation.revisions.map((r) => (
          <li key={r.revision}>
            <strong>
              {t(`archive.revision.kind.${r.kind}`, {
                revision: r.revision,
                subject: r.subjectRevision ?? '',
              })}
            </strong>{' '}
            <span className="muted">
              {t('archive.revision.by', { name: r.authorName, at: dt(r.createdAt, lng) })}
            </span>
            {r.comment ? <p className="pre-wrap">{r.comment}</p> : null}
            {r.items ? (
              <ul>
                {r.items.map((i) => (
                  <li key={i.key}>
                    {i.title}{' '}
                    <span className="muted">
                      {pick(i.categoryLabel, lng)} ·{' '}
                      {t('archive.item.headcount', { count: i.headcount })}
                    </span>
                  </li>
                ))}
              </ul>
            ) : null}
            {r.dropped?.map((d) => (
              <p key={d.sourceItemId} className="muted">
                {t('archive.revision.dropped', { reason: d.reason })}
              </p>
            ))}
          </li>
        ))}
      </ol>
    </section>
  )
}

/** The resource list, the invitations, the pairing meeting and the pairs. */
export function ResourceListDoc({ archive }: { archive: Archive }) {
  const { t, i18n } = useTranslation()
  const lng = i18n.language
  const titleOf = (itemId: number) =>
    archive.confirmation.items.find((i) => i.id === itemId)?.title ?? `#${itemId}`
  const meeting = archive.pairing.meeting
  return (
    <>
      {archive.resources ? (
        <section className="archive-section" data-testid="archive-resources">
          <h2>{t('archive.section.resources')}</h2>
          {archive.resources.runs.length > 0 ? (
            <ul>
              {archive.resources.runs.map((r) => (
                <li key={r.id}>
                  {t('archive.resources.run', {
                    id: r.id,
                    at: dt(r.createdAt, lng),
                    by: r.createdByName ?? t('roles.system'),
                  })}
                </li>
              ))}
            </ul>
          ) : null}
          {archive.resources.proposals.length === 0 ? (
            <p className="muted">{t('archive.none')}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th>{t('archive.resources.item')}</th>
                  <th>{t('archive.resources.candidate')}</th>
                  <th>{t('archive.resources.score')}</th>
                  <th>{t('archive.resources.source')}</th>
                  <th>{t('archive.resources.status')}</th>
                </tr>
              </thead>
              <tbody>
                {archive.resources.proposals.map((p) => (
                  <tr key={p.id}>
                    <td>{titleOf(p.itemId)}</td>
                    <td>
                      {p.name}
                      {p.kind === 'team' && p.leaderName ? `（${p.leaderName}）` : ''}
                      {p.employer ? <span className="muted"> · {p.employer}</span> : null}
                    </td>
                    <td>{Number(p.score).toFixed(1)}</td>
                    <td>{t(`matching.source.${p.source}`)}</td>
                    <td>{t(`matching.status.${p.status}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ) : null}
      <section className="archive-section" data-testid="archive-invitations">
        <h2>{t('archive.section.invitations')}</h2>
        {archive.invitations.length === 0 ? <p className="muted">{t('archive.none')}</p> : null}
        <ul>
          {archive.invitations.map((i) => (
            <li key={i.id}>
              {t('archive.invitation.line', { name: i.name, item: i.itemTitle })} ·{' '}
              {t(`matching.status.${i.status}`)}{' '}
              <span className="muted">
                {t('archive.invitation.sent', { at: dt(i.createdAt, lng) })}
                {i.respondedAt
                  ? `，${t('archive.invitation.answered', { at: dt(i.respondedAt, lng) })}`
                  : ''}
              </span>
              {i.reason ? (
                <p className="muted">{t('needsList.reasonLine', { reason: i.reason })}</p>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
      <section className="archive-section" data-testid="archive-pairing">
        <h2>{t('archive.section.pairing')}</h2>
        {meeting ? (
          <>
            <p>
              {t('archive.pairing.meeting', { at: dt(meeting.heldAt, lng), place: meeting.place })}
            </p>
            {meeting.attendees.length > 0 ? (
              <p>
                {t('archive.pairing.attendees', {
                  names: meeting.attendees
                    .map((a) => (a.role ? `${a.name}（${a.role}）` : a.name))
                    .join('、'),
                })}
              </p>
            ) : null}
            {meeting.notes ? (
              <p className="pre-wrap">{t('archive.pairing.notes', { notes: meeting.notes })}</p>
            ) : null}
          </>
        ) : (
          <p className="muted">{t('archive.pairing.noMeeting')}</p>
        )}
        <ul>
          {archive.pairing.pairings.map((p) => (
            <li key={`${p.itemId}-${p.expertId}`}>
              {t('archive.pairing.pair', { item: p.itemTitle, name: p.name })}
              {p.decision ? (
                <p className="pre-wrap muted">
                  {t('archive.pairing.decision', { decision: p.decision })}
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
    </>
  )
}

/** The pairing service agreement as generated, and who confirmed it. */
export function AgreementDoc({ archive }: { archive: Archive }) {
  const { t, i18n } = useTranslation()
  const lng = i18n.language
  const agreement = archive.agreement
  if (!agreement) {
    return (
      <section className="archive-section" data-testid="archive-agreement">
        <h2>{t('archive.section.agreement')}</h2>
        <p className="muted">{t('archive.agreement.none')}</p>
      </section>
    )
  }
  const content = agreement.content as unknown as AgreementContent
  const day = (d: string) => formatDate(`${d}T12:00:00+08:00`, lng)
  return (
    <section className="archive-section agreement-doc" data-testid="archive-agreement">
      <h2>{t('archive.section.agreement')}</h2>
      <p className="muted">{t('archive.agreement.number', { number: agreement.number })}</p>
      <p>{t('archive.agreement.partyA', { name: content.parties?.enterprise?.name ?? '' })}</p>
      <p>
        {t('archive.agreement.partyB', {
          names: (content.parties?.experts ?? [])
            .map((x) => {
              const honours = x.honours.map((h) => honourName(h.type, h.level, lng)).join('、')
              return [x.name, x.employer, x.teamName, honours].filter(Boolean).join('，')
            })
            .join('；'),
        })}
      </p>
      <p>
        {t('archive.agreement.partyC', {
          name: `${content.parties?.union?.name ?? ''}${
            content.parties?.steward ? `（${content.parties.steward.name}）` : ''
          }`,
        })}
      </p>
      <p>
        {t('archive.agreement.term', {
          start: day(agreement.termStart),
          end: day(agreement.termEnd),
        })}
      </p>
      <h3>{t('archive.agreement.items')}</h3>
      <ol>
        {(content.items ?? []).map((item) => (
          <li key={item.itemId}>
            <strong>{item.title}</strong>
            <p className="pre-wrap">{item.description}</p>
            <p>{t('matching.agreement.itemExperts', { names: item.experts.join('、') })}</p>
            {item.expectedOutcome ? (
              <p>{t('matching.agreement.itemOutcome', { outcome: item.expectedOutcome })}</p>
            ) : null}
            {item.decision ? (
              <p className="pre-wrap">
                {t('matching.agreement.itemDecision', { decision: item.decision })}
              </p>
            ) : null}
          </li>
        ))}
      </ol>
      <h3>{t('archive.agreement.confirmations')}</h3>
      <ul data-testid="agreement-confirmations">
        {agreement.confirmations.map((c) => (
          <li key={`${c.party}-${c.userName}-${c.confirmedAt}`}>
            {t('archive.agreement.confirmed', {
              party: t(`archive.agreement.party.${c.party}`),
              name: c.userName,
              at: dt(c.confirmedAt, lng),
            })}
          </li>
        ))}
      </ul>
      <p className="muted">
        {t('archive.agreement.generated', {
          name: agreement.generatedByName ?? '',
          at: dt(agreement.createdAt, lng),
        })}
      </p>
    </section>
  )
}

function recordText(line: Visit['plans'][number]['lines'][number], t: TFunction): string {
  const r = line.record
  if (!r) return t('archive.visit.notRecorded')
  if (line.kind === 'check') {
    return r.passed === null
      ? (r.valueText ?? '')
      : t(r.passed ? 'archive.visit.pass' : 'archive.visit.fail')
  }
  if (line.kind === 'measurement' || line.kind === 'count') {
    return r.valueNumber === null ? '' : `${r.valueNumber}${line.unit ? ` ${line.unit}` : ''}`
  }
  return r.valueText ?? ''
}

function rangeText(line: Visit['plans'][number]['lines'][number]): string {
  if (line.min === null && line.max === null) return ''
  const unit = line.unit ? ` ${line.unit}` : ''
  if (line.min !== null && line.max !== null) return `${line.min}–${line.max}${unit}`
  return line.min !== null ? `≥ ${line.min}${unit}` : `≤ ${line.max}${unit}`
}

/** One visit: its plan versions with what was recorded, findings, photos, actions and report. */
export function VisitDoc({ visit, photoSrc }: { visit: Visit; photoSrc: PhotoSource }) {
  const { t, i18n } = useTranslation()
  const lng = i18n.language
  const report = visit.report
  return (
    <section
      className="archive-section archive-visit"
      data-testid={`archive-visit-${visit.sequence}`}
    >
      <h2>
        {t('archive.visit.heading', {
          sequence: visit.sequence,
          kind: t(`archive.visit.kind.${visit.kind}`),
        })}{' '}
        <span className="muted">{t(`archive.visit.status.${visit.status}`)}</span>
      </h2>
      <p>
        {t('archive.visit.when', { at: dt(visit.startsAt, lng), minutes: visit.durationMinutes })}
      </p>
      <p>{t('archive.visit.place', { place: visit.place })}</p>
      {visit.members.length > 0 ? (
        <p>
          {t('archive.visit.team', {
            names: visit.members
              .map((m) => `${m.name}（${t(`archive.visit.role.${m.role}`)}）`)
              .join('、'),
          })}
        </p>
      ) : null}
      {visit.checkedInAt ? (
        <p>
          {t('archive.visit.checkedIn', {
            name: visit.checkedInByName ?? '',
            at: dt(visit.checkedInAt, lng),
          })}
        </p>
      ) : null}
      {visit.cancelReason ? (
        <p>{t('archive.visit.cancelled', { reason: visit.cancelReason })}</p>
      ) : null}

      {visit.recordsShown ? null : <p className="muted">{t('archive.visit.recordsLater')}</p>}
      {visit.plans.map((plan) => (
        <div key={plan.version} className="archive-plan">
          <h3>{t('archive.visit.plan', { version: plan.version, at: dt(plan.createdAt, lng) })}</h3>
          {plan.objectives ? (
            <p className="pre-wrap">{t('archive.visit.objectives', { text: plan.objectives })}</p>
          ) : null}
          {plan.notes ? (
            <p className="pre-wrap">{t('archive.visit.notes', { text: plan.notes })}</p>
          ) : null}
          {plan.lines.length > 0 ? (
            <table>
              <thead>
                <tr>
                  <th>{t('archive.visit.line')}</th>
                  <th>{t('archive.visit.value')}</th>
                  <th>{t('archive.visit.range')}</th>
                </tr>
              </thead>
              <tbody>
                {plan.lines.map((line) => (
                  <tr key={line.id} className={line.record?.flagged ? 'flagged' : undefined}>
                    <td>
                      {line.section.zh || line.section.en ? (
                        <span className="muted">{pick(line.section, lng)} · </span>
                      ) : null}
                      {pick(line.label, lng)}
                    </td>
                    <td>
                      {recordText(line, t)}
                      {line.record?.flagged ? (
                        <strong className="flag"> ⚠ {t('archive.visit.flagged')}</strong>
                      ) : null}
                      {line.record?.note ? (
                        <p className="muted pre-wrap">{line.record.note}</p>
                      ) : null}
                    </td>
                    <td>{rangeText(line)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </div>
      ))}

      {visit.findings.length > 0 ? (
        <>
          <h3>{t('archive.visit.findings')}</h3>
          <ol>
            {visit.findings.map((f) => (
              <li key={f.id}>
                <strong>{f.title}</strong>{' '}
                <span className={`severity severity-${f.severity}`}>
                  {t(`archive.visit.severity.${f.severity}`)}
                </span>
                {f.description ? <p className="pre-wrap">{f.description}</p> : null}
                {f.recommendation ? (
                  <p className="pre-wrap">
                    {t('archive.visit.recommendation', { text: f.recommendation })}
                  </p>
                ) : null}
              </li>
            ))}
          </ol>
        </>
      ) : null}

      {visit.photos.length > 0 ? (
        <>
          <h3>{t('archive.visit.photos')}</h3>
          <div className="archive-photos">
            {visit.photos.map((p) => (
              <figure key={p.id}>
                <a href={photoSrc(p, visit)}>
                  <img src={photoSrc(p, visit)} alt={p.caption ?? p.filename} loading="lazy" />
                </a>
                <figcaption>{p.caption ?? p.filename}</figcaption>
              </figure>
            ))}
          </div>
        </>
      ) : null}

      {visit.followUps.length > 0 ? (
        <>
          <h3>{t('archive.visit.followUps')}</h3>
          <ul>
            {visit.followUps.map((a) => (
              <li key={`${a.description}-${a.createdAt}`}>
                {t('archive.visit.followUp', {
                  description: a.description,
                  owner: a.owner,
                  due: a.dueOn ?? '—',
                })}{' '}
                <span className="muted">{t(`archive.visit.followUpStatus.${a.status}`)}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}

      <h3>{t('archive.visit.report')}</h3>
      {report ? (
        <div className="archive-report" data-testid={`archive-report-${visit.sequence}`}>
          <h4>{t('archive.visit.summary')}</h4>
          <p className="pre-wrap">{report.summary}</p>
          {report.recommendations ? (
            <>
              <h4>{t('archive.visit.recommendations')}</h4>
              <p className="pre-wrap">{report.recommendations}</p>
            </>
          ) : null}
          <p className="muted">
            {t('archive.visit.submitted', {
              name: report.submittedByName ?? '',
              at: dt(report.submittedAt, lng),
            })}
          </p>
          <p>
            {report.confirmedAt
              ? t('archive.visit.confirmedBy', {
                  name: report.confirmedName ?? '',
                  at: dt(report.confirmedAt, lng),
                })
              : t('archive.visit.notConfirmed')}
          </p>
          {report.enterpriseRemarks ? (
            <p className="pre-wrap">
              {t('archive.visit.remarks', { text: report.enterpriseRemarks })}
            </p>
          ) : null}
        </div>
      ) : (
        <p className="muted">{t('archive.visit.noReport')}</p>
      )}
    </section>
  )
}

/** The outcome of every confirmed item, the totals, and the enterprise's rating. */
export function OutcomesRatingDoc({ archive }: { archive: Archive }) {
  const { t, i18n } = useTranslation()
  const lng = i18n.language
  const rating = archive.rating
  return (
    <>
      <section className="archive-section" data-testid="archive-outcomes">
        <h2>{t('archive.section.outcomes')}</h2>
        <ol>
          {archive.outcomes.items.map((i) => (
            <li key={i.itemId}>
              <strong>{i.itemTitle}</strong>
              {i.outcome ? (
                <OutcomeDetails outcome={i.outcome} />
              ) : (
                <p className="muted">{t('outcomes.notRecorded')}</p>
              )}
            </li>
          ))}
        </ol>
        <OutcomeTotals aggregate={archive.outcomes.aggregate} />
      </section>
      <section className="archive-section" data-testid="archive-rating">
        <h2>{t('archive.section.rating')}</h2>
        {rating ? (
          <>
            <p>
              <strong>{t('outcomes.rating.average', { average: rating.average })}</strong>
            </p>
            <ul>
              {Object.entries(rating.scores).map(([q, s]) => (
                <li key={q}>
                  {t(`outcomes.rating.questions.${q}`)}：{s}
                </li>
              ))}
            </ul>
            <p className="pre-wrap">{rating.comment ?? t('outcomes.rating.noComment')}</p>
            <p className="muted">
              {t('outcomes.rating.by', {
                name: rating.ratedByName ?? '',
                at: dt(rating.ratedAt, lng),
              })}
            </p>
            {rating.experts.length > 0 ? (
              <>
                <h3>{t('outcomes.rating.experts')}</h3>
                <ul>
                  {rating.experts.map((e) => (
                    <li key={e.expertId}>
                      {e.name}：{e.score}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </>
        ) : (
          <p className="muted">
            {archive.case.closeKind === 'feedback_timeout'
              ? t('outcomes.rating.timedOut')
              : t('outcomes.rating.notYet')}
          </p>
        )}
      </section>
    </>
  )
}

/** The archive's timeline as the shared timeline component shows it. */
export function timelineEntries(archive: Archive, t: TFunction): TimelineEntry[] {
  return archive.timeline.map((e) => ({
    id: e.id,
    type: e.type,
    actorName: e.actorName,
    actorRole: e.actorRole,
    at: e.at,
    reason: e.reason,
    comment: e.comment,
    revision: e.revision,
    deadline: e.deadline,
    labelKey: e.subjectType === 'needs_list' ? null : `archive.timeline.${e.subjectType}.${e.type}`,
    subject:
      e.subject?.kind === 'invitation'
        ? t('archive.timeline.subject.invitation', { name: e.subject.name })
        : e.subject?.kind === 'visit'
          ? t('archive.timeline.subject.visit', { sequence: e.subject.sequence })
          : null,
  }))
}

export function TimelineDoc({ archive }: { archive: Archive }) {
  const { t } = useTranslation()
  return (
    <section className="archive-section" data-testid="archive-timeline">
      <h2>{t('archive.section.timeline')}</h2>
      <WorkflowTimeline entries={timelineEntries(archive, t)} />
    </section>
  )
}

/** Every document of the case in order: the archive page. */
export function CaseArchiveView({
  archive,
  photoSrc,
}: {
  archive: Archive
  photoSrc: PhotoSource
}) {
  const { t } = useTranslation()
  return (
    <div className="case-archive">
      <CaseOverview archive={archive} />
      <NeedsListDoc archive={archive} />
      <ConfirmedNeedsDoc archive={archive} />
      <ResourceListDoc archive={archive} />
      <AgreementDoc archive={archive} />
      <section className="archive-section" data-testid="archive-visits">
        <h2>{t('archive.section.visits')}</h2>
        {archive.visits.length === 0 ? <p className="muted">{t('archive.visit.none')}</p> : null}
      </section>
      {archive.visits.map((v) => (
        <VisitDoc key={v.id} visit={v} photoSrc={photoSrc} />
      ))}
      <OutcomesRatingDoc archive={archive} />
      <TimelineDoc archive={archive} />
    </div>
  )
}
