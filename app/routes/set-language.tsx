import { type ActionFunctionArgs, redirect } from '@remix-run/node'
import { getCurrentUser, safeRedirect } from '#app/auth/session.server.ts'
import { isLocale } from '#app/i18n/config.ts'
import { localeCookie } from '#app/i18n/i18n.server.ts'
import { readForm } from '#app/utils/http.server.ts'
import { setUserLocale } from '#db/queries/users.ts'

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request, context)
  const lng = form.get('lng')
  if (!isLocale(lng)) throw new Response('errors.badRequest', { status: 400 })
  const user = await getCurrentUser(request, context)
  if (user) await setUserLocale(context.db, user.id, lng)
  return redirect(safeRedirect(form.get('redirectTo')), {
    headers: { 'Set-Cookie': await localeCookie.serialize(lng) },
  })
}

export async function loader() {
  return redirect('/')
}
