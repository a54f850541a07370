import { Form, Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { CsrfInput } from './csrf-input.tsx'
import '#app/styles/taxonomy.css'

export interface SimilarItemView {
  itemIndex: number
  itemId: number
  title: string
  description: string
  listId: number
  listTitle: string
  listStatus: string
}

/**
 * The submit action's warning: items of the enterprise's other open lists
 * that resemble this list's items, with a confirmation to submit anyway.
 */
export function SimilarItemsWarning({
  listId,
  version,
  similar,
  items,
}: {
  listId: number
  version: number
  similar: readonly SimilarItemView[]
  /** This list's items, to name the ones that matched. */
  items: readonly { title: string; description: string }[]
}) {
  const { t } = useTranslation()
  const byItem = new Map<number, SimilarItemView[]>()
  for (const s of similar) byItem.set(s.itemIndex, [...(byItem.get(s.itemIndex) ?? []), s])
  const label = (i: { title: string; description: string }) =>
    i.title || (i.description.length > 40 ? `${i.description.slice(0, 40)}…` : i.description)
  return (
    <section className="card similar-items" role="alert" aria-labelledby="similar-items-title">
      <h2 id="similar-items-title">{t('taxonomy.similar.title')}</h2>
      <p>{t('taxonomy.similar.intro')}</p>
      <ul>
        {[...byItem.entries()].map(([index, matches]) => {
          const own = items[index]
          return (
            <li key={index}>
              {t('taxonomy.similar.itemLine', { n: index + 1, item: own ? label(own) : '' })}
              <ul>
                {matches.map((m) => (
                  <li key={m.itemId}>
                    <Link to={`/needs-lists/${m.listId}#item-${m.itemId}`}>
                      {t('taxonomy.similar.matches', {
                        other: label(m),
                        list: m.listTitle,
                        status: t(`status.${m.listStatus}`),
                      })}
                    </Link>
                  </li>
                ))}
              </ul>
            </li>
          )
        })}
      </ul>
      <Form method="post" action={`/needs-lists/${listId}`}>
        <CsrfInput />
        <input type="hidden" name="version" value={version} />
        <div className="field">
          <label className="checkbox">
            <input type="checkbox" name="confirmSimilar" value="on" required />{' '}
            {t('taxonomy.similar.confirm')}
          </label>
        </div>
        <button type="submit" name="intent" value="submit">
          {t('taxonomy.similar.submitAnyway')}
        </button>
      </Form>
    </section>
  )
}
