import { data, type LinksFunction, type LoaderFunctionArgs } from '@remix-run/node'
import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  type ShouldRevalidateFunction,
  useRouteError,
} from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { unreadCount } from '#db/queries/notifications.ts'
import { csrfToken } from './auth/csrf.server.ts'
import { getCurrentUser } from './auth/session.server.ts'
import { AppShell } from './components/app-shell.tsx'
import { skipsRevalidation } from './components/onsite-sync.tsx'
import { localeOf } from './i18n/i18n.server.ts'
import stylesUrl from './styles/app.css?url'
import { useRootData } from './utils/root-data.ts'

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: stylesUrl },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const [user, locale, csrf] = await Promise.all([
    getCurrentUser(request, context),
    localeOf(request),
    csrfToken(request, context),
  ])
  const unread = user ? await unreadCount(context.db, user.id) : 0
  return data(
    {
      locale,
      csrf: csrf.token,
      user: user && {
        name: user.name,
        roles: [...new Set(user.memberships.map((m) => m.role))],
        orgs: [...new Set(user.memberships.map((m) => m.orgName))],
      },
      unread,
    },
    { headers: csrf.setCookie ? { 'Set-Cookie': csrf.setCookie } : undefined },
  )
}

/** On-site line saves (and requests that never got through) leave the layout's data as it is. */
export const shouldRevalidate: ShouldRevalidateFunction = (args) =>
  skipsRevalidation(args) ? false : args.defaultShouldRevalidate

export function Layout({ children }: { children: React.ReactNode }) {
  const root = useRootData()
  const { i18n } = useTranslation()
  return (
    <html lang={root?.locale ?? i18n.language ?? 'zh-CN'}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  )
}

export default function App() {
  return (
    <AppShell>
      <Outlet />
    </AppShell>
  )
}

export function ErrorBoundary() {
  const error = useRouteError()
  const { t } = useTranslation()
  let message = t('errors.server')
  let status = 500
  if (isRouteErrorResponse(error)) {
    status = error.status
    const key =
      typeof error.data === 'string' && error.data.startsWith('errors.') ? error.data : null
    message = key
      ? t(key)
      : status === 404
        ? t('errors.notFound')
        : status === 403
          ? t('errors.forbidden')
          : status === 400
            ? t('errors.badRequest')
            : t('errors.server')
  }
  return (
    <AppShell>
      <section className="card error-page" role="alert">
        <h1>
          {t('errors.pageTitle')} <span className="muted">({status})</span>
        </h1>
        <p>{message}</p>
        <p>
          <a href="/">{t('errors.backHome')}</a>
        </p>
      </section>
    </AppShell>
  )
}
