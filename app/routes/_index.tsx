import { type LoaderFunctionArgs, redirect } from '@remix-run/node'
import { homePathOf, requireUser } from '#app/auth/session.server.ts'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context)
  throw redirect(homePathOf(user))
}
