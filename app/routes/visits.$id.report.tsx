import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { principalOf, requireUser } from '#app/auth/session.server.ts'
import { CsrfInput } from '#app/components/csrf-input.tsx'
import { dueText, SeverityChip } from '#app/components/onsite-findings.tsx'
import { rangeText } from '#app/components/onsite-line.tsx'
import { useHydrated } from '#app/components/onsite-sync.tsx'
import { formatDateTime } from '#app/utils/format.ts'
import { domainErrorResult, idParam, readForm, throwDomainError } from '#app/utils/http.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { noticeKeys, readNotice, withNotice } from '#app/utils/notice.ts'
import { confirmReport, reportView } from '#workflows/commands/reports.ts'
import '#app/styles/onsite.css'

const NOTICE_KEYS = noticeKeys('onsite.notice', ['submitted', 'confirmed'])

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, 'onsite.report.title', data?.visit.listTitle)

/** The inspection report, print-ready; the enterprise confirms it here. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context)
  const id = idParam(params.id)
  const view = await reportView(context.db, principalOf(user), id).catch(throwDomainError)
  return { ...view, notice: readNotice(request, NOTICE_KEYS) }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context)
  const id = idParam(params.id)
  const form = await readForm(request, context)
  const values = {
    name: typeof form.get('name') === 'string' ? String(form.get('name')) : '',
    remarks: typeof form.get('remarks') === 'string' ? String(form.get('remarks')) : '',
  }
  if (form.get('intent') !== 'confirm') {
    return data({ error: 'errors.badRequest', values }, { status: 400 })
  }
  try {
    await confirmReport(context.db, principalOf(user), id, values, { now: context.now() })
  } catch (err) {
    const result = domainErrorResult(err)
    return data({ error: result.data.formError, values }, { status: result.init?.status ?? 400 })
  }
  context.pokeOutbox()
  return redirect(withNotice(`/visits/${id}/report`, 'confirmed'))
}

export default function VisitReport() {
  const page = useLoaderData<typeof loader>()
  const refused = useActionData<typeof action>()
  const { t, i18n } = useTranslation()
  const hydrated = useHydrated()
  const lng = i18n.language
  const en = lng === 'en'
  const { visit } = page
  const when = (at: Date | string) => formatDateTime(at, lng)

  return (
    <>
      <section className="card no-print">
        <p>
          <Link to={`/visits/${visit.id}`}>{t('onsite.back')}</Link>
          {page.can.onsite ? (
            <>
              {' · '}
              <Link to={`/visits/${visit.id}/onsite`}>{t('onsite.report.toOnsite')}</Link>
            </>
          ) : null}
        </p>
        {page.notice ? (
          <p className="notice" role="status">
            {t(page.notice)}
          </p>
        ) : null}
        {page.ready ? (
          hydrated ? (
            <button type="button" className="secondary" onClick={() => window.print()}>
              {t('onsite.report.print')}
            </button>
          ) : (
            <p className="muted">{t('onsite.report.printHint')}</p>
          )
        ) : null}
      </section>

      {!page.ready ? (
        <section className="card">
          <h1>{t('onsite.report.title')}</h1>
          <p>{visit.listTitle}</p>
          <p className="muted" data-testid="report-not-ready">
            {t('onsite.report.notReady')}
          </p>
        </section>
      ) : (
        <article className="card report-doc" data-testid="report">
          <h1>{t('onsite.report.title')}</h1>
          <p className="doc-sub">
            {visit.enterpriseName} ·{' '}
            {t('onsite.visitOf', {
              sequence: visit.sequence,
              kind: t(`onsite.kind.${visit.kind}`),
            })}
          </p>

          <dl className="report-facts">
            <dt>{t('onsite.report.enterprise')}</dt>
            <dd>
              {visit.enterpriseName}
              {visit.enterpriseAddress ? `（${visit.enterpriseAddress}）` : ''}
            </dd>
            <dt>{t('onsite.report.case')}</dt>
            <dd>{visit.listTitle}</dd>
            <dt>{t('onsite.report.org')}</dt>
            <dd>{visit.orgName}</dd>
            {visit.stewardName ? (
              <>
                <dt>{t('onsite.report.steward')}</dt>
                <dd>{visit.stewardName}</dd>
              </>
            ) : null}
            <dt>{t('onsite.place')}</dt>
            <dd>{visit.place}</dd>
            <dt>{t('onsite.report.scheduled')}</dt>
            <dd>
              {when(visit.starts_at)} ·{' '}
              {t('onsite.report.duration', { minutes: visit.duration_minutes })}
            </dd>
            <dt>{t('onsite.report.timeOnSite')}</dt>
            <dd data-testid="time-on-site">
              {visit.checked_in_at
                ? t('onsite.report.onSiteFrom', {
                    at: when(visit.checked_in_at),
                    name: visit.checkedInByName ?? '',
                    minutes: visit.duration_minutes,
                  })
                : t('onsite.report.notCheckedIn')}
            </dd>
            {page.plan ? (
              <>
                <dt>{t('onsite.report.plan')}</dt>
                <dd>{t('onsite.report.planOf', { version: page.plan.version })}</dd>
              </>
            ) : null}
            {page.report ? (
              <>
                <dt>{t('onsite.report.submittedAt')}</dt>
                <dd>
                  {t('onsite.report.submittedBy', {
                    name: page.report.submitterName ?? '',
                    at: when(page.report.submitted_at),
                  })}
                </dd>
              </>
            ) : null}
          </dl>

          {page.plan?.objectives ? (
            <>
              <h2>{t('onsite.objectives')}</h2>
              <p className="pre-wrap">{page.plan.objectives}</p>
            </>
          ) : null}

          <h2>{t('onsite.report.measurements')}</h2>
          <p className="legend">{t('onsite.report.legend')}</p>
          <p data-testid="flagged-count">
            {page.flaggedCount > 0
              ? t('onsite.report.flaggedCount', { count: page.flaggedCount })
              : t('onsite.report.noFlags')}
          </p>
          <table className="report-table">
            <thead>
              <tr>
                <th scope="col">{t('onsite.report.col.item')}</th>
                <th scope="col">{t('onsite.report.col.value')}</th>
                <th scope="col">{t('onsite.report.col.range')}</th>
                <th scope="col">{t('onsite.report.col.flag')}</th>
                <th scope="col">{t('onsite.report.col.note')}</th>
              </tr>
            </thead>
            <tbody>
              {page.lines.map(({ item, record, deviation }, i) => {
                const section = en ? item.section_en : item.section_zh
                const before = page.lines[i - 1]?.item
                const newSection =
                  section && section !== (en ? before?.section_en : before?.section_zh)
                const flagged = record?.flagged ?? false
                return [
                  newSection ? (
                    <tr key={`s-${item.id}`} className="section-row">
                      <td colSpan={5}>{section}</td>
                    </tr>
                  ) : null,
                  <tr
                    key={item.id}
                    className={flagged ? 'flagged' : undefined}
                    data-testid={`report-line-${item.id}`}
                    data-flagged={flagged ? 'true' : 'false'}
                  >
                    <td>{en ? item.label_en : item.label_zh}</td>
                    <td>
                      {!record || record.value === '' ? (
                        <span className="muted">{t('onsite.report.notRecorded')}</span>
                      ) : item.kind === 'check' ? (
                        t(`onsite.line.${record.value}`)
                      ) : (
                        `${record.value}${item.unit ? ` ${item.unit}` : ''}`
                      )}
                    </td>
                    <td>{rangeText(t, item) ?? t('onsite.report.noRange')}</td>
                    <td className="mark">
                      {deviation ? t(`onsite.line.flag.${deviation}`) : record?.passed ? '✓' : ''}
                    </td>
                    <td className="pre-wrap">{record?.note ?? ''}</td>
                  </tr>,
                ]
              })}
            </tbody>
          </table>

          <h2>{t('onsite.findings.heading')}</h2>
          {page.findings.length === 0 ? <p>{t('onsite.findings.none')}</p> : null}
          {page.findings.map((f, n) => (
            <section key={f.id} className="report-finding" data-testid="report-finding">
              <h3>
                {n + 1}. <SeverityChip severity={f.severity} /> {f.title}
              </h3>
              {f.description ? <p className="pre-wrap">{f.description}</p> : null}
              {f.recommendation ? (
                <p className="pre-wrap">
                  <strong>{t('onsite.findings.recommendation')}：</strong>
                  {f.recommendation}
                </p>
              ) : null}
              <ReportPhotos photos={f.photos} />
            </section>
          ))}
          {page.visitPhotos.length > 0 ? (
            <>
              <h2>{t('onsite.report.otherPhotos')}</h2>
              <ReportPhotos photos={page.visitPhotos} />
            </>
          ) : null}

          <h2>{t('onsite.report.summary')}</h2>
          <p className="pre-wrap" data-testid="summary">
            {page.report?.summary ?? ''}
          </p>
          {page.report?.recommendations ? (
            <>
              <h2>{t('onsite.report.recommendations')}</h2>
              <p className="pre-wrap">{page.report.recommendations}</p>
            </>
          ) : null}

          <h2>{t('onsite.actions.heading')}</h2>
          {page.actions.length === 0 ? (
            <p>{t('onsite.actions.none')}</p>
          ) : (
            <table className="report-table">
              <thead>
                <tr>
                  <th scope="col">{t('onsite.report.actionNo')}</th>
                  <th scope="col">{t('onsite.actions.description')}</th>
                  <th scope="col">{t('onsite.actions.owner')}</th>
                  <th scope="col">{t('onsite.actions.dueOn')}</th>
                </tr>
              </thead>
              <tbody>
                {page.actions.map((a, n) => (
                  <tr key={a.id}>
                    <td>{n + 1}</td>
                    <td className="pre-wrap">{a.description}</td>
                    <td>{a.owner}</td>
                    <td>{a.due_on ? dueText(a.due_on, lng) : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}

          <h2>{t('onsite.report.members')}</h2>
          <p>
            {page.members.map((m) => `${m.name}（${t(`onsite.memberRole.${m.role}`)}）`).join('、')}
          </p>

          <div className="confirm-block" data-testid="confirmation">
            <h2>{t('onsite.report.confirmation.heading')}</h2>
            {page.report?.confirmed_at ? (
              <>
                <p>
                  {t('onsite.report.confirmation.confirmedBy', {
                    name: page.report.confirmed_name ?? '',
                    user: page.report.confirmerUserName ?? '',
                    at: when(page.report.confirmed_at),
                  })}
                </p>
                {page.report.enterprise_remarks ? (
                  <p className="pre-wrap">
                    {t('onsite.report.confirmation.remarksShown', {
                      remarks: page.report.enterprise_remarks,
                    })}
                  </p>
                ) : null}
              </>
            ) : (
              <p className="muted">{t('onsite.report.confirmation.pending')}</p>
            )}
          </div>
        </article>
      )}

      {page.can.confirm ? (
        <section className="card no-print">
          <h2>{t('onsite.report.confirmation.heading')}</h2>
          <p className="muted">{t('onsite.report.confirmation.hint')}</p>
          <Form method="post" className="stack">
            <CsrfInput />
            <input type="hidden" name="intent" value="confirm" />
            <label htmlFor="confirm-name">{t('onsite.report.confirmation.name')}</label>
            <input
              id="confirm-name"
              name="name"
              type="text"
              required
              maxLength={50}
              autoComplete="name"
              defaultValue={refused?.values.name}
              aria-invalid={refused ? true : undefined}
            />
            <label htmlFor="confirm-remarks">{t('onsite.report.confirmation.remarks')}</label>
            <textarea
              id="confirm-remarks"
              name="remarks"
              rows={3}
              maxLength={2000}
              defaultValue={refused?.values.remarks}
            />
            {refused ? (
              <p className="form-error" role="alert">
                {t(refused.error)}
              </p>
            ) : null}
            <div className="actions">
              <button type="submit">{t('onsite.report.confirmation.button')}</button>
            </div>
          </Form>
        </section>
      ) : null}
    </>
  )
}

function ReportPhotos({
  photos,
}: {
  photos: { id: number; filename: string; caption: string | null }[]
}) {
  const { t } = useTranslation()
  if (photos.length === 0) return null
  return (
    <ul className="report-photos">
      {photos.map((p) => (
        <li key={p.id}>
          <figure>
            <img
              src={`/visit-photos/${p.id}`}
              alt={t('onsite.photos.alt', { name: p.caption ?? p.filename })}
            />
            {p.caption ? <figcaption>{p.caption}</figcaption> : null}
          </figure>
        </li>
      ))}
    </ul>
  )
}
