import { Link } from '@remix-run/react'
import type { TFunction } from 'i18next'
import { useTranslation } from 'react-i18next'
import { formatDate } from '#app/utils/format.ts'
import { type CategoryOption, categoryLabel, localName, type Named } from '#app/utils/taxonomy.ts'
import type {
  ConfirmationDocument,
  ConfirmedItem,
  DocumentDiff,
  FieldChange,
} from '#workflows/confirmation.ts'

/** A filed item as the page shows it: its number in the list and a short title. */
export interface FiledLabel {
  id: number
  n: number
  title: string
  description: string
}

/** Names the page needs to show documents and diffs. */
export interface Labels {
  categories: CategoryOption[]
  skills: Record<number, Named>
  filed: FiledLabel[]
  /** Titles of confirmed items by key, for "split from" / "merged into". */
  keyTitles: Record<string, string>
}

const ACTIVE_STATES = new Set(['confirming', 'awaiting_approval', 'ready_for_matching'])

/** The way to the confirmation page from a list's detail page, when there is something there. */
export function ConfirmationLink({
  listId,
  status,
  can,
}: {
  listId: number
  status: string
  can?: { revise?: boolean; propose?: boolean; approve?: boolean; comment?: boolean }
}) {
  const { t } = useTranslation()
  const canAct = Boolean(can?.revise || can?.propose || can?.approve || can?.comment)
  if (!ACTIVE_STATES.has(status) && !canAct) return null
  return (
    <div className="actions">
      <Link
        to={`/needs-lists/${listId}/confirmation`}
        className={canAct ? 'button' : 'button secondary'}
      >
        {t('confirmation.open')}
      </Link>
      <span className="muted">{t('confirmation.openHint')}</span>
    </div>
  )
}

export function filedName(labels: Labels, id: number, t: TFunction): string {
  const f = labels.filed.find((x) => x.id === id)
  return f ? `#${f.n} ${f.title}` : t('confirmation.diff.unknownItem', { id })
}

function skillName(labels: Labels, id: number, t: TFunction, lng: string): string {
  const s = labels.skills[id]
  return s ? localName(s, lng) : t('confirmation.diff.unknownSkill', { id })
}

function windowText(item: ConfirmedItem, t: TFunction, lng: string): string {
  const start = item.windowStart ? formatDate(`${item.windowStart}T12:00:00+08:00`, lng) : null
  const end = item.windowEnd ? formatDate(`${item.windowEnd}T12:00:00+08:00`, lng) : null
  if (start && end) return t('confirmation.item.window', { start, end })
  if (start) return t('confirmation.item.from', { start })
  if (end) return t('confirmation.item.until', { end })
  return t('confirmation.item.anyTime')
}

/** One confirmed item, read-only. */
export function ItemSummary({ item, labels }: { item: ConfirmedItem; labels: Labels }) {
  const { t, i18n } = useTranslation()
  const lng = i18n.language
  return (
    <div className="confirmed-item">
      <strong>{item.title}</strong>
      <p className="muted">
        {[
          categoryLabel(labels.categories, item.category, t, lng),
          t(`urgency.${item.urgency}`),
          t('confirmation.item.headcount', { count: item.headcount }),
          t(`confirmation.mode.${item.mode}`),
          windowText(item, t, lng),
          item.place,
        ]
          .filter(Boolean)
          .join(' · ')}
      </p>
      <p className="pre-wrap">{item.description}</p>
      {item.expectedOutcome ? (
        <p>
          {t('confirmation.field.expectedOutcome')}: {item.expectedOutcome}
        </p>
      ) : null}
      <p className="muted">
        {t('confirmation.field.skillIds')}:{' '}
        {item.skillIds.length > 0
          ? item.skillIds.map((id) => skillName(labels, id, t, lng)).join('、')
          : t('confirmation.item.noSkills')}
      </p>
    </div>
  )
}

/**
 * The confirmed items next to the filed items they come from: one row per
 * confirmed item, then the filed items that were dropped, with the reason.
 */
export function SideBySide({
  document,
  labels,
}: {
  document: ConfirmationDocument
  labels: Labels
}) {
  const { t } = useTranslation()
  return (
    <table className="side-by-side">
      <thead>
        <tr>
          <th scope="col">{t('confirmation.proposal.filed')}</th>
          <th scope="col">{t('confirmation.proposal.confirmed')}</th>
        </tr>
      </thead>
      <tbody>
        {document.items.map((item) => (
          <tr key={item.key}>
            <td>
              {item.sourceItemIds.length === 0 ? (
                <span className="muted">{t('confirmation.proposal.newItem')}</span>
              ) : (
                item.sourceItemIds.map((id) => {
                  const f = labels.filed.find((x) => x.id === id)
                  return (
                    <div key={id} className="source">
                      <strong>{filedName(labels, id, t)}</strong>
                      {f ? <p className="pre-wrap muted">{f.description}</p> : null}
                    </div>
                  )
                })
              )}
            </td>
            <td>
              <ItemSummary item={item} labels={labels} />
            </td>
          </tr>
        ))}
        {document.dropped.map((d) => {
          const f = labels.filed.find((x) => x.id === d.sourceItemId)
          return (
            <tr key={`dropped-${d.sourceItemId}`}>
              <td>
                <strong>{filedName(labels, d.sourceItemId, t)}</strong>
                {f ? <p className="pre-wrap muted">{f.description}</p> : null}
              </td>
              <td>
                <del>{t('confirmation.proposal.dropped', { reason: d.reason })}</del>
              </td>
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}

function valueText(
  change: Extract<FieldChange, { from: unknown }>,
  value: string | number | null,
  labels: Labels,
  t: TFunction,
  lng: string,
): string {
  if (value === null || value === '') return t('confirmation.diff.blank')
  if (change.field === 'category') return categoryLabel(labels.categories, String(value), t, lng)
  if (change.field === 'urgency') return t(`urgency.${value}`)
  if (change.field === 'mode') return t(`confirmation.mode.${value}`)
  return String(value)
}

function ChangeLine({ change, labels }: { change: FieldChange; labels: Labels }) {
  const { t, i18n } = useTranslation()
  const lng = i18n.language
  const field = t(`confirmation.field.${change.field}`)
  if ('added' in change) {
    const name = (id: number) =>
      change.field === 'skillIds' ? skillName(labels, id, t, lng) : filedName(labels, id, t)
    return (
      <>
        {change.added.length > 0 ? (
          <li>
            <ins>
              {t('confirmation.diff.setAdded', { field, names: change.added.map(name).join('、') })}
            </ins>
          </li>
        ) : null}
        {change.removed.length > 0 ? (
          <li>
            <del>
              {t('confirmation.diff.setRemoved', {
                field,
                names: change.removed.map(name).join('、'),
              })}
            </del>
          </li>
        ) : null}
      </>
    )
  }
  return (
    <li>
      {t('confirmation.diff.field', {
        field,
        from: valueText(change, change.from, labels, t, lng),
        to: valueText(change, change.to, labels, t, lng),
      })}
    </li>
  )
}

/** A diff between two revisions, in words. */
export function DiffView({ diff, labels }: { diff: DocumentDiff; labels: Labels }) {
  const { t } = useTranslation()
  if (diff.unchanged) return <p className="muted">{t('confirmation.diff.none')}</p>
  const title = (key: string) => labels.keyTitles[key] ?? key
  return (
    <ul className="diff">
      {diff.added.map((a) => (
        <li key={`a-${a.item.key}`} className="diff-added">
          <ins>{t('confirmation.diff.added', { title: a.item.title })}</ins>
          {a.splitFrom ? t('confirmation.diff.splitFrom', { title: title(a.splitFrom) }) : null}
          {a.mergedFrom.length > 0
            ? t('confirmation.diff.mergedFrom', {
                titles: a.mergedFrom.map((k) => `“${title(k)}”`).join('、'),
              })
            : null}
        </li>
      ))}
      {diff.removed.map((r) => (
        <li key={`r-${r.item.key}`} className="diff-removed">
          <del>{t('confirmation.diff.removed', { title: r.item.title })}</del>
          {r.mergedInto ? t('confirmation.diff.mergedInto', { title: title(r.mergedInto) }) : null}
        </li>
      ))}
      {diff.changed.map((c) => (
        <li key={`c-${c.key}`}>
          {t('confirmation.diff.changed', { title: c.title })}
          <ul>
            {c.changes.map((change) => (
              <ChangeLine key={change.field} change={change} labels={labels} />
            ))}
          </ul>
        </li>
      ))}
      {diff.reordered ? <li>{t('confirmation.diff.reordered')}</li> : null}
      {diff.dropped.map((d) => {
        const item = filedName(labels, d.sourceItemId, t)
        return (
          <li key={`d-${d.sourceItemId}`}>
            {d.from === null
              ? t('confirmation.diff.dropped', { item, reason: d.to })
              : d.to === null
                ? t('confirmation.diff.undropped', { item })
                : t('confirmation.diff.dropReason', { item, from: d.from, to: d.to })}
          </li>
        )
      })}
    </ul>
  )
}
