import { type LoaderFunctionArgs, redirect } from '@remix-run/node'
import { principalOf, requireRole } from '#app/auth/session.server.ts'
import { ownEnterpriseIds } from '#workflows/commands/enterprises.ts'

/** "My enterprise" in the nav: the contact's own enterprise profile. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRole(request, context, ['enterprise_contact'])
  const [first] = ownEnterpriseIds(principalOf(user))
  if (first === undefined) throw new Response('errors.notFound', { status: 404 })
  throw redirect(`/enterprises/${first}`)
}
