import { createReadableStreamFromReadable, type LoaderFunctionArgs } from '@remix-run/node'
import { principalOf, requireRole } from '#app/auth/session.server.ts'
import { throwDomainError } from '#app/utils/http.server.ts'
import { exportExperts, TALENT_READER_ROLES } from '#workflows/commands/experts.ts'
import { parseExpertFilters } from '#workflows/talent/filters.ts'
import { XLSX_TYPE, xlsxDisposition } from '#workflows/talent/spreadsheet.server.ts'

/**
 * The pool as filtered on /experts (all matching experts, not one page) as a
 * streamed .xlsx with the import template's columns, so it can be imported
 * again. Malformed filters are dropped, as on the list.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRole(request, context, TALENT_READER_ROLES)
  const { filters } = parseExpertFilters(new URL(request.url).searchParams)
  const stream = await exportExperts(context.db, principalOf(user), filters).catch(throwDomainError)
  const day = context.now().toISOString().slice(0, 10)
  stream.on('error', (err) => context.logger.error({ err }, 'expert export failed'))
  return new Response(createReadableStreamFromReadable(stream), {
    headers: {
      'Content-Type': XLSX_TYPE,
      'Content-Disposition': xlsxDisposition(`experts-${day}.xlsx`, `人才库-${day}.xlsx`),
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  })
}
