import { Form, Link, NavLink, useLocation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { useRootData } from '#app/utils/root-data.ts'
import { CsrfInput } from './csrf-input.tsx'

export function AppShell({ children }: { children: React.ReactNode }) {
  const root = useRootData()
  const { t } = useTranslation()
  const location = useLocation()
  const user = root?.user
  const roles = new Set(user?.roles ?? [])
  const here = `${location.pathname}${location.search}`
  return (
    <>
      <a className="skip" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          <span className="brand-mark">{t('app.name')}</span>
          <span className="brand-sub">{t('app.tagline')}</span>
        </Link>
        {user ? (
          <nav aria-label={t('nav.home')} className="nav">
            {roles.has('enterprise_contact') ? (
              <>
                <NavLink to="/needs-lists" end>
                  {t('nav.myNeedsLists')}
                </NavLink>
                <NavLink to="/needs-lists/new">{t('nav.newNeedsList')}</NavLink>
                <NavLink to="/enterprises/mine">{t('enterprise.nav.mine')}</NavLink>
              </>
            ) : null}
            {roles.has('coordinator') || roles.has('federation_admin') ? (
              <NavLink to="/intake">{t('nav.intake')}</NavLink>
            ) : null}
            {roles.has('coordinator') || roles.has('federation_admin') ? (
              <NavLink to="/stewards">{t('steward.nav.stewards')}</NavLink>
            ) : null}
            {roles.has('steward') ? (
              <NavLink to="/workspace">{t('steward.nav.workspace')}</NavLink>
            ) : null}
            {roles.has('coordinator') || roles.has('federation_admin') ? (
              <NavLink to="/enterprises">{t('enterprise.nav.list')}</NavLink>
            ) : null}
            {roles.has('coordinator') || roles.has('federation_admin') || roles.has('steward') ? (
              <NavLink to="/experts">{t('nav.talentPool')}</NavLink>
            ) : null}
            {roles.has('coordinator') || roles.has('federation_admin') ? (
              <NavLink to="/matching">{t('nav.matching')}</NavLink>
            ) : null}
            {roles.has('coordinator') || roles.has('federation_admin') ? (
              <>
                <NavLink to="/dashboard">{t('dashboard.nav')}</NavLink>
                <NavLink to="/reports">{t('reports.nav')}</NavLink>
              </>
            ) : null}
            {roles.has('expert') ? (
              <>
                <NavLink to="/my-invitations">{t('nav.myInvitations')}</NavLink>
                <NavLink to="/experts/me">{t('nav.myProfile')}</NavLink>
              </>
            ) : null}
            {roles.has('expert') || roles.has('steward') || roles.has('enterprise_contact') ? (
              <NavLink to="/my-visits">{t('visits.nav.myVisits')}</NavLink>
            ) : null}
            {roles.has('coordinator') ||
            roles.has('federation_admin') ||
            roles.has('steward') ||
            roles.has('enterprise_contact') ? (
              <NavLink to="/archive">{t('archive.nav')}</NavLink>
            ) : null}
            {roles.has('expert') ||
            roles.has('coordinator') ||
            roles.has('federation_admin') ||
            roles.has('steward') ? (
              <NavLink to="/challenges">{t('nav.challenges')}</NavLink>
            ) : null}
            <NavLink to="/taxonomy">{t('taxonomy.nav.skills')}</NavLink>
            <NavLink to="/notifications" className="inbox-link">
              {t('nav.notifications')}
              {root.unread > 0 ? (
                <span
                  className="badge"
                  data-testid="unread-count"
                  title={t('notifications.unread', { count: root.unread })}
                >
                  {root.unread}
                </span>
              ) : null}
            </NavLink>
            <NavLink to="/settings/notifications">{t('delivery.nav.settings')}</NavLink>
            {roles.has('federation_admin') ? (
              // The admin pages in one menu, so the bar stays short; a <details> needs no script.
              <details
                key={location.pathname}
                className="nav-menu"
                style={{ position: 'relative' }}
                data-testid="admin-menu"
              >
                <summary
                  style={{ cursor: 'pointer', padding: '4px 2px' }}
                  className={location.pathname.startsWith('/admin') ? 'active' : undefined}
                >
                  {t('dashboard.adminMenu')}
                </summary>
                <div
                  style={{
                    position: 'absolute',
                    zIndex: 20,
                    display: 'flex',
                    flexDirection: 'column',
                    gap: '4px',
                    minWidth: '10em',
                    padding: '8px 12px',
                    background: 'var(--card)',
                    border: '1px solid var(--line)',
                    borderRadius: '6px',
                    boxShadow: '0 4px 12px rgba(0, 0, 0, 0.12)',
                  }}
                >
                  <NavLink to="/admin/categories">{t('taxonomy.nav.categories')}</NavLink>
                  <NavLink to="/admin/jobs">{t('delivery.nav.jobs')}</NavLink>
                  <NavLink to="/admin/deadlines">{t('deadlines.nav.deadlines')}</NavLink>
                  <NavLink to="/admin/matching">{t('nav.matchingWeights')}</NavLink>
                  <NavLink to="/admin/checklists">{t('visits.nav.checklists')}</NavLink>
                </div>
              </details>
            ) : null}
          </nav>
        ) : null}
        <div className="account">
          <Form method="post" action="/set-language" reloadDocument className="inline">
            <CsrfInput />
            <input type="hidden" name="redirectTo" value={here} />
            <button
              type="submit"
              name="lng"
              value={root?.locale === 'en' ? 'zh-CN' : 'en'}
              className="link-button"
              // The target language's own name, so each reader recognises it.
              lang={root?.locale === 'en' ? 'zh-CN' : 'en'}
              title={t('nav.language')}
            >
              {root?.locale === 'en' ? '中文' : 'English'}
            </button>
          </Form>
          {user ? (
            <>
              <span className="muted" title={user.orgs.join('、')}>
                {t('nav.signedInAs', { name: user.name })} ·{' '}
                {user.roles.map((r) => t(`roles.${r}`)).join('、')}
              </span>
              <Form method="post" action="/sign-out" className="inline">
                <CsrfInput />
                <button type="submit" className="link-button">
                  {t('nav.signOut')}
                </button>
              </Form>
            </>
          ) : (
            <Link to="/sign-in">{t('nav.signIn')}</Link>
          )}
        </div>
      </header>
      <main id="main" className="main">
        {children}
      </main>
    </>
  )
}
