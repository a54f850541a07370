import { createReadableStreamFromReadable, type LoaderFunctionArgs } from '@remix-run/node'
import { principalOf, requireUser } from '#app/auth/session.server.ts'
import { streamCaseArchive } from '#app/components/archive-export.server.tsx'
import { isLocale } from '#app/i18n/config.ts'
import { localeOf } from '#app/i18n/i18n.server.ts'
import { idParam, throwDomainError } from '#app/utils/http.server.ts'
import { caseArchive } from '#workflows/commands/case-archive.ts'
import { contentDisposition } from './attachments.$id.tsx'

/**
 * The case archive as a ZIP (printable HTML per document, photos/,
 * archive.json), streamed while it is written. In the reader's language, or
 * ?lng=zh-CN|en. Same rights as the archive page; nothing is sent before
 * they are checked.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context)
  const id = idParam(params.id)
  const now = context.now()
  const { archive, files } = await caseArchive(context.db, principalOf(user), id, {
    now,
  }).catch(throwDomainError)
  const asked = new URL(request.url).searchParams.get('lng')
  const locale = isLocale(asked) ? asked : await localeOf(request)
  const { stream, done } = streamCaseArchive({
    archive,
    files,
    storage: context.storage,
    locale,
  })
  done.catch((err) => {
    context.logger.error({ err, listId: id }, 'case archive export failed')
  })
  const day = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10)
  return new Response(createReadableStreamFromReadable(stream), {
    headers: {
      'Content-Type': 'application/zip',
      'Content-Disposition': contentDisposition(`zhuqi-case-${id}-archive-${day}.zip`),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-store',
    },
  })
}
