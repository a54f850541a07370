import type { LoaderFunctionArgs } from '@remix-run/node'
import { principalOf, requireUser } from '#app/auth/session.server.ts'
import { idParam, throwDomainError } from '#app/utils/http.server.ts'
import { photoForDownload } from '#workflows/commands/onsite.ts'
import { contentDisposition } from './attachments.$id.tsx'

/**
 * A visit photo, shown inline (pages and the printed report) to whoever may
 * see the visit's records: the team, the case steward and union roles in
 * scope; the enterprise once the report is submitted. Anyone else: 404.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context)
  const id = idParam(params.id)
  const photo = await photoForDownload(context.db, principalOf(user), id).catch(throwDomainError)
  const bytes = await context.storage.get(photo.storage_key)
  if (!bytes) {
    context.logger.error({ photoId: id, key: photo.storage_key }, 'visit photo file missing')
    throw new Response('errors.notFound', { status: 404 })
  }
  return new Response(bytes, {
    headers: {
      // The type the server told from the content when it was uploaded.
      'Content-Type': photo.content_type,
      'Content-Length': String(bytes.byteLength),
      'Content-Disposition': contentDisposition(photo.filename).replace(/^attachment/, 'inline'),
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
      // Photos never change under an id; only this browser may keep them.
      'Cache-Control': 'private, max-age=86400',
    },
  })
}
