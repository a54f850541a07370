import { type ActionFunctionArgs, redirect } from '@remix-run/node'
import { endSession } from '#app/auth/session.server.ts'
import { readForm } from '#app/utils/http.server.ts'

export async function action({ request, context }: ActionFunctionArgs) {
  await readForm(request, context)
  return redirect('/sign-in', { headers: { 'Set-Cookie': await endSession(request, context) } })
}

export async function loader() {
  return redirect('/')
}
