import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { PHOTO_ACCEPT } from '#workflows/inspection/photos.ts'
import { SEVERITIES } from '#workflows/inspection/records.schema.ts'
import { OnsiteForm } from './onsite-form.tsx'
import { newClientKey } from './onsite-sync.tsx'

export interface FindingView {
  id: number
  client_key: string
  severity: (typeof SEVERITIES)[number]
  title: string
  description: string | null
  recommendation: string | null
  plan_item_id: number | null
  authorName: string | null
}

export interface PhotoView {
  id: number
  finding_id: number | null
  filename: string
  caption: string | null
}

export interface LineOption {
  id: number
  label: string
}

export interface FollowUpView {
  id: number
  client_key: string
  description: string
  owner: string
  due_on: string | null
  status: 'open' | 'done'
}

/** A no-script refusal: which form (by client key or id) and what it sent. */
export interface Rejected {
  intent: string
  error: string
  clientKey?: string
  findingId?: number
  planItemId?: number
  values?: Record<string, string>
}

export function SeverityChip({ severity }: { severity: FindingView['severity'] }) {
  const { t } = useTranslation()
  return <span className={`severity severity-${severity}`}>{t(`onsite.severity.${severity}`)}</span>
}

function FindingFields({
  finding,
  lines,
  values,
  idPrefix,
}: {
  finding?: FindingView
  lines: LineOption[]
  values?: Record<string, string>
  idPrefix: string
}) {
  const { t } = useTranslation()
  const v = (name: string, current: string | null | undefined) => values?.[name] ?? current ?? ''
  return (
    <>
      <fieldset className="severity-choice">
        <legend>{t('onsite.findings.severity')}</legend>
        {SEVERITIES.map((s) => (
          <label key={s} className={`choice severity-${s}`}>
            <input
              type="radio"
              name="severity"
              value={s}
              defaultChecked={v('severity', finding?.severity ?? 'medium') === s}
              required
            />
            {t(`onsite.severity.${s}`)}
          </label>
        ))}
      </fieldset>
      <label htmlFor={`${idPrefix}-title`}>{t('onsite.findings.title')}</label>
      <input
        id={`${idPrefix}-title`}
        name="title"
        type="text"
        required
        maxLength={200}
        defaultValue={v('title', finding?.title)}
      />
      <label htmlFor={`${idPrefix}-description`}>{t('onsite.findings.description')}</label>
      <textarea
        id={`${idPrefix}-description`}
        name="description"
        rows={3}
        maxLength={4000}
        defaultValue={v('description', finding?.description)}
      />
      <label htmlFor={`${idPrefix}-recommendation`}>{t('onsite.findings.recommendation')}</label>
      <textarea
        id={`${idPrefix}-recommendation`}
        name="recommendation"
        rows={2}
        maxLength={4000}
        defaultValue={v('recommendation', finding?.recommendation)}
      />
      {lines.length > 0 ? (
        <>
          <label htmlFor={`${idPrefix}-line`}>{t('onsite.findings.line')}</label>
          <select
            id={`${idPrefix}-line`}
            name="planItemId"
            defaultValue={v(
              'planItemId',
              finding?.plan_item_id ? String(finding.plan_item_id) : '',
            )}
          >
            <option value="">{t('onsite.findings.noLine')}</option>
            {lines.map((l) => (
              <option key={l.id} value={l.id}>
                {l.label}
              </option>
            ))}
          </select>
        </>
      ) : null}
    </>
  )
}

/** A new finding: its client key is fixed until it is saved, so retries never duplicate it. */
export function NewFindingForm({
  action,
  lines,
  initialKey,
  rejected,
}: {
  action: string
  lines: LineOption[]
  initialKey: string
  rejected?: Rejected | null
}) {
  const { t } = useTranslation()
  const mine = rejected?.intent === 'finding' && rejected.clientKey === initialKey ? rejected : null
  const [clientKey, setClientKey] = useState(initialKey)
  const [round, setRound] = useState(0)
  return (
    <OnsiteForm
      key={round}
      id={`finding-new-${round}`}
      action={action}
      intent="finding"
      className="stack"
      submitLabel={t('onsite.findings.save')}
      error={mine?.error}
      onSaved={() => {
        setClientKey(newClientKey())
        setRound((r) => r + 1)
      }}
    >
      <input type="hidden" name="clientKey" value={clientKey} />
      <FindingFields lines={lines} values={mine?.values} idPrefix={`finding-new-${round}`} />
    </OnsiteForm>
  )
}

export function FindingList({
  findings,
  photos,
  lines,
  editable,
  action,
  rejected,
}: {
  findings: FindingView[]
  photos: PhotoView[]
  lines: LineOption[]
  editable: boolean
  action: string
  rejected?: Rejected | null
}) {
  const { t } = useTranslation()
  const lineLabel = new Map(lines.map((l) => [l.id, l.label]))
  if (findings.length === 0) return <p className="muted">{t('onsite.findings.none')}</p>
  return (
    <ul className="finding-list">
      {findings.map((f) => {
        const mine = rejected?.clientKey === f.client_key ? rejected : null
        const own = photos.filter((p) => p.finding_id === f.id)
        return (
          <li key={f.id} className={`finding severity-${f.severity}`} data-testid="finding">
            <h3>
              <SeverityChip severity={f.severity} /> {f.title}
            </h3>
            {f.plan_item_id && lineLabel.has(f.plan_item_id) ? (
              <p className="muted">{lineLabel.get(f.plan_item_id)}</p>
            ) : null}
            {f.description ? <p className="pre-wrap">{f.description}</p> : null}
            {f.recommendation ? (
              <p className="pre-wrap">
                <strong>{t('onsite.findings.recommendation')}：</strong>
                {f.recommendation}
              </p>
            ) : null}
            {f.authorName ? (
              <p className="muted">{t('onsite.findings.by', { name: f.authorName })}</p>
            ) : null}
            <PhotoGrid photos={own} editable={editable} action={action} />
            {editable ? (
              <>
                <details className="finding-edit" open={mine ? true : undefined}>
                  <summary>{t('onsite.findings.edit')}</summary>
                  <OnsiteForm
                    id={`finding-${f.id}`}
                    action={action}
                    intent="finding"
                    className="stack"
                    submitLabel={t('onsite.findings.save')}
                    error={mine?.error}
                    onSaved={(_, form) => form.closest('details')?.removeAttribute('open')}
                  >
                    <input type="hidden" name="clientKey" value={f.client_key} />
                    <FindingFields
                      finding={f}
                      lines={lines}
                      values={mine?.values}
                      idPrefix={`finding-${f.id}`}
                    />
                  </OnsiteForm>
                  <OnsiteForm
                    id={`finding-delete-${f.id}`}
                    action={action}
                    intent="deleteFinding"
                    submitLabel={t('onsite.findings.delete')}
                    submitClass="danger"
                    confirmText={t('onsite.findings.delete')}
                  >
                    <input type="hidden" name="findingId" value={f.id} />
                  </OnsiteForm>
                </details>
                <PhotoUpload
                  action={action}
                  findingId={f.id}
                  label={t('onsite.photos.addToFinding')}
                  error={
                    rejected?.intent === 'photos' && rejected.findingId === f.id
                      ? rejected.error
                      : null
                  }
                />
              </>
            ) : null}
          </li>
        )
      })}
    </ul>
  )
}

export function PhotoGrid({
  photos,
  editable,
  action,
}: {
  photos: PhotoView[]
  editable: boolean
  action: string
}) {
  const { t } = useTranslation()
  if (photos.length === 0) return null
  return (
    <ul className="photo-grid">
      {photos.map((p) => (
        <li key={p.id} data-testid="photo">
          <a href={`/visit-photos/${p.id}`} target="_blank" rel="noreferrer">
            <img
              src={`/visit-photos/${p.id}`}
              alt={t('onsite.photos.alt', { name: p.caption ?? p.filename })}
              loading="lazy"
            />
          </a>
          {p.caption ? <span className="caption">{p.caption}</span> : null}
          {editable ? (
            <OnsiteForm
              id={`photo-delete-${p.id}`}
              action={action}
              intent="deletePhoto"
              submitLabel={t('onsite.photos.delete')}
              submitClass="link-button"
              confirmText={t('onsite.photos.delete')}
            >
              <input type="hidden" name="photoId" value={p.id} />
            </OnsiteForm>
          ) : null}
        </li>
      ))}
    </ul>
  )
}

/** Uploads up to five photos at once (the CSRF token goes first, as uploads need). */
export function PhotoUpload({
  action,
  findingId,
  label,
  error,
}: {
  action: string
  findingId?: number
  label: string
  error?: string | null
}) {
  const { t } = useTranslation()
  const idPrefix = `photos-${findingId ?? 'visit'}`
  return (
    <details className="photo-upload" open={error ? true : undefined}>
      <summary>{label}</summary>
      <OnsiteForm
        id={idPrefix}
        action={action}
        intent="photos"
        multipart
        className="stack"
        submitLabel={t('onsite.photos.upload')}
        error={error}
        onSaved={(_, form) => form.reset()}
      >
        {findingId ? <input type="hidden" name="findingId" value={findingId} /> : null}
        <label htmlFor={`${idPrefix}-caption`}>{t('onsite.photos.caption')}</label>
        <input id={`${idPrefix}-caption`} name="caption" type="text" maxLength={200} />
        <label htmlFor={`${idPrefix}-files`}>{t('onsite.photos.files')}</label>
        <input
          id={`${idPrefix}-files`}
          name="photos"
          type="file"
          accept={PHOTO_ACCEPT}
          multiple
          required
        />
        <p className="muted">{t('onsite.photos.hint')}</p>
      </OnsiteForm>
    </details>
  )
}

function FollowUpFields({
  action: a,
  values,
  idPrefix,
}: {
  action?: FollowUpView
  values?: Record<string, string>
  idPrefix: string
}) {
  const { t } = useTranslation()
  const v = (name: string, current: string | null | undefined) => values?.[name] ?? current ?? ''
  return (
    <>
      <label htmlFor={`${idPrefix}-description`}>{t('onsite.actions.description')}</label>
      <textarea
        id={`${idPrefix}-description`}
        name="description"
        rows={2}
        required
        maxLength={1000}
        defaultValue={v('description', a?.description)}
      />
      <label htmlFor={`${idPrefix}-owner`}>{t('onsite.actions.owner')}</label>
      <input
        id={`${idPrefix}-owner`}
        name="owner"
        type="text"
        required
        maxLength={100}
        defaultValue={v('owner', a?.owner)}
      />
      <label htmlFor={`${idPrefix}-due`}>{t('onsite.actions.dueOn')}</label>
      <input id={`${idPrefix}-due`} name="dueOn" type="date" defaultValue={v('dueOn', a?.due_on)} />
    </>
  )
}

export function NewFollowUpForm({
  action,
  initialKey,
  rejected,
}: {
  action: string
  initialKey: string
  rejected?: Rejected | null
}) {
  const { t } = useTranslation()
  const mine =
    rejected?.intent === 'followUp' && rejected.clientKey === initialKey ? rejected : null
  const [clientKey, setClientKey] = useState(initialKey)
  const [round, setRound] = useState(0)
  return (
    <OnsiteForm
      key={round}
      id={`follow-up-new-${round}`}
      action={action}
      intent="followUp"
      className="stack"
      submitLabel={t('onsite.actions.save')}
      error={mine?.error}
      onSaved={() => {
        setClientKey(newClientKey())
        setRound((r) => r + 1)
      }}
    >
      <input type="hidden" name="clientKey" value={clientKey} />
      <FollowUpFields values={mine?.values} idPrefix={`follow-up-new-${round}`} />
    </OnsiteForm>
  )
}

export function FollowUpList({
  actions,
  editable,
  action,
  rejected,
}: {
  actions: FollowUpView[]
  editable: boolean
  action: string
  rejected?: Rejected | null
}) {
  const { t, i18n } = useTranslation()
  if (actions.length === 0) return <p className="muted">{t('onsite.actions.none')}</p>
  return (
    <ul className="follow-up-list">
      {actions.map((a) => {
        const mine = rejected?.clientKey === a.client_key ? rejected : null
        return (
          <li key={a.id} data-testid="follow-up">
            <p className="pre-wrap">{a.description}</p>
            <p className="muted">
              {t('onsite.actions.owner')}：{a.owner}
              {a.due_on
                ? ` · ${t('onsite.actions.dueOn')}：${dueText(a.due_on, i18n.language)}`
                : ''}
            </p>
            {editable ? (
              <details open={mine ? true : undefined}>
                <summary>{t('onsite.findings.edit')}</summary>
                <OnsiteForm
                  id={`follow-up-${a.id}`}
                  action={action}
                  intent="followUp"
                  className="stack"
                  submitLabel={t('onsite.actions.save')}
                  error={mine?.error}
                  onSaved={(_, form) => form.closest('details')?.removeAttribute('open')}
                >
                  <input type="hidden" name="clientKey" value={a.client_key} />
                  <FollowUpFields action={a} values={mine?.values} idPrefix={`follow-up-${a.id}`} />
                </OnsiteForm>
                <OnsiteForm
                  id={`follow-up-delete-${a.id}`}
                  action={action}
                  intent="deleteFollowUp"
                  submitLabel={t('onsite.actions.delete')}
                  submitClass="danger"
                  confirmText={t('onsite.actions.delete')}
                >
                  <input type="hidden" name="actionId" value={a.id} />
                </OnsiteForm>
              </details>
            ) : null}
          </li>
        )
      })}
    </ul>
  )
}

/** 'YYYY-MM-DD' as a date of the page's language. */
export function dueText(ymd: string, lng: string): string {
  const [y, m, d] = ymd.split('-').map(Number)
  if (!y || !m || !d) return ymd
  return new Intl.DateTimeFormat(lng, { dateStyle: 'medium', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, m - 1, d)),
  )
}
