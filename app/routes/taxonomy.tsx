import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { requireUser } from '#app/auth/session.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { skillDomains } from '#app/utils/taxonomy.server.ts'
import { localName, type SkillOption } from '#app/utils/taxonomy.ts'
import '#app/styles/taxonomy.css'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'taxonomy.skills.title')

const hit = (node: SkillOption, q: string) =>
  node.nameZh.toLowerCase().includes(q) ||
  node.nameEn.toLowerCase().includes(q) ||
  node.code.toLowerCase().includes(q)

/** The skills taxonomy, read-only, for anyone signed in; ?q= narrows it (server-side). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context)
  const q = (new URL(request.url).searchParams.get('q') ?? '').trim().slice(0, 50)
  const all = await skillDomains(context.db)
  const counts = {
    domains: all.length,
    fields: all.reduce((n, d) => n + d.fields.length, 0),
    skills: all.reduce((n, d) => n + d.fields.reduce((m, f) => m + f.skills.length, 0), 0),
  }
  const needle = q.toLowerCase()
  // A matching domain or field keeps all it holds; otherwise only matching skills stay.
  const domains = needle
    ? all.flatMap((d) => {
        if (hit(d, needle)) return [d]
        const fields = d.fields.flatMap((f) => {
          if (hit(f, needle)) return [f]
          const skills = f.skills.filter((s) => hit(s, needle))
          return skills.length ? [{ ...f, skills }] : []
        })
        return fields.length ? [{ ...d, fields }] : []
      })
    : all
  return { q, domains, counts }
}

export default function Taxonomy() {
  const { q, domains, counts } = useLoaderData<typeof loader>()
  const { t, i18n } = useTranslation()
  const lng = i18n.language
  return (
    <section className="card taxonomy-tree">
      <h1>{t('taxonomy.skills.title')}</h1>
      <p className="muted">{t('taxonomy.skills.intro')}</p>
      <p className="muted">{t('taxonomy.skills.counts', counts)}</p>
      <Form method="get" className="actions" role="search">
        <label htmlFor="taxonomy-q" className="visually-hidden">
          {t('taxonomy.skills.search')}
        </label>
        <input
          id="taxonomy-q"
          type="search"
          name="q"
          defaultValue={q}
          placeholder={t('taxonomy.skills.search')}
          style={{ maxWidth: '24em' }}
        />
        <button type="submit">{t('taxonomy.skills.searchButton')}</button>
        {q ? (
          <Link to="/taxonomy" className="button secondary">
            {t('taxonomy.skills.clear')}
          </Link>
        ) : null}
      </Form>
      {domains.length === 0 ? <p>{t('taxonomy.skills.noMatch', { q })}</p> : null}
      {domains.map((d) => (
        <details key={d.id} className="domain" open={Boolean(q)}>
          <summary>
            <strong>{localName(d, lng)}</strong> <code>{d.code}</code>
          </summary>
          {d.fields.map((f) => (
            <div key={f.id} className="field-row">
              <h3 style={{ fontSize: '1rem', margin: '4px 0' }}>
                {localName(f, lng)} <code>{f.code}</code>
              </h3>
              <ul className="skill-tags">
                {f.skills.map((s) => (
                  <li key={s.id} title={s.code}>
                    {localName(s, lng)}
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </details>
      ))}
    </section>
  )
}
