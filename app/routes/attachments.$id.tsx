import type { LoaderFunctionArgs } from '@remix-run/node'
import { principalOf, requireUser } from '#app/auth/session.server.ts'
import { idParam, throwDomainError } from '#app/utils/http.server.ts'
import { attachmentForDownload } from '#workflows/commands/attachments.ts'

/** RFC 6266 / 5987: an ASCII fallback plus the UTF-8 name. */
export function contentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_') || 'attachment'
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  )
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`
}

/** Downloads an attachment, for whoever may read its list. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context)
  const id = idParam(params.id)
  const row = await attachmentForDownload(context.db, principalOf(user), id).catch(throwDomainError)
  const bytes = await context.storage.get(row.storage_key)
  if (!bytes) {
    context.logger.error({ attachmentId: id, key: row.storage_key }, 'attachment file missing')
    throw new Response('errors.notFound', { status: 404 })
  }
  return new Response(bytes, {
    headers: {
      'Content-Type': row.content_type,
      'Content-Length': String(bytes.byteLength),
      'Content-Disposition': contentDisposition(row.filename),
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Cache-Control': 'private, no-store',
    },
  })
}
