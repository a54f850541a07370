import { useTranslation } from 'react-i18next'
import { formatDate } from '#app/utils/format.ts'
import type { NeedsListExtras } from '#app/utils/needs-list-extras.server.ts'
import { categoryLabel, localName } from '#app/utils/taxonomy.ts'
import '#app/styles/taxonomy.css'

type Extras = Pick<NeedsListExtras, 'items' | 'categories'>
type Item = Extras['items'][number]

/** A calendar day (YYYY-MM-DD) shown in the UI language; noon keeps it on that day everywhere. */
function day(value: string, lng: string): string {
  return formatDate(new Date(`${value}T12:00:00+08:00`), lng)
}

export function WindowText({ item }: { item: Pick<Item, 'windowStart' | 'windowEnd'> }) {
  const { t, i18n } = useTranslation()
  const lng = i18n.language
  const { windowStart: start, windowEnd: end } = item
  if (start && end) {
    return <>{t('taxonomy.item.windowRange', { start: day(start, lng), end: day(end, lng) })}</>
  }
  if (start) return <>{t('taxonomy.item.windowFrom', { start: day(start, lng) })}</>
  if (end) return <>{t('taxonomy.item.windowUntil', { end: day(end, lng) })}</>
  return <>{t('taxonomy.item.anyTime')}</>
}

/** The list's need items with everything the enterprise filed, names in the UI language. */
export function NeedItemsSection({ extras }: { extras: Extras }) {
  const { t, i18n } = useTranslation()
  const lng = i18n.language
  const { items, categories } = extras
  return (
    <section className="card need-item-details">
      <h2>{t('needsList.items')}</h2>
      {items.length === 0 ? (
        <p className="muted">{t('needsList.noItems')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{t('needsList.category')}</th>
              <th scope="col">{t('needsList.description')}</th>
              <th scope="col">{t('needsList.urgency')}</th>
              <th scope="col">{t('needsList.headcount')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item, index) => (
              <tr key={item.id} id={`item-${item.id}`}>
                <td>{index + 1}</td>
                <td>{categoryLabel(categories, item.category, t, lng)}</td>
                <td>
                  {item.title ? <strong>{item.title}</strong> : null}
                  <p style={{ whiteSpace: 'pre-wrap', margin: '0 0 4px' }}>{item.description}</p>
                  <dl>
                    <dt>{t('taxonomy.item.skills')}</dt>
                    <dd>
                      {item.skills.length === 0 ? (
                        <span className="muted">{t('taxonomy.item.noSkills')}</span>
                      ) : (
                        <ul className="skill-tags">
                          {item.skills.map((s) => (
                            <li key={s.id} title={lng.startsWith('en') ? s.pathEn : s.pathZh}>
                              {localName(s, lng)}
                            </li>
                          ))}
                        </ul>
                      )}
                    </dd>
                    <dt>{t('taxonomy.item.window')}</dt>
                    <dd>
                      <WindowText item={item} />
                    </dd>
                    <dt>{t('taxonomy.item.mode')}</dt>
                    <dd>{t(`taxonomy.mode.${item.mode}`)}</dd>
                    {item.place ? (
                      <>
                        <dt>{t('taxonomy.item.place')}</dt>
                        <dd>{item.place}</dd>
                      </>
                    ) : null}
                    {item.expectedOutcome ? (
                      <>
                        <dt>{t('taxonomy.item.expectedOutcome')}</dt>
                        <dd>{item.expectedOutcome}</dd>
                      </>
                    ) : null}
                  </dl>
                </td>
                <td>{t(`urgency.${item.urgency}`)}</td>
                <td>{item.headcount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

/** This feature's outcome notices (withdrawn, attachment added or deleted). */
export function ExtrasNoticeLine({ notice }: { notice: string | null }) {
  const { t } = useTranslation()
  if (!notice) return null
  return (
    <p className="notice" role="status">
      {t(notice)}
    </p>
  )
}
