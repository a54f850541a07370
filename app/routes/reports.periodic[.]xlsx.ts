import { createReadableStreamFromReadable, type LoaderFunctionArgs } from '@remix-run/node'
import { principalOf, requireRole } from '#app/auth/session.server.ts'
import { queryId, throwDomainError } from '#app/utils/http.server.ts'
import { DASHBOARD_ROLES } from '#workflows/commands/dashboard.ts'
import { periodicReportWorkbook } from '#workflows/commands/periodic-report.ts'
import { currentYear, parsePeriod } from '#workflows/dashboard/period.ts'
import { reportFileNames } from '#workflows/reports/periodic-format.ts'
import { XLSX_TYPE, xlsxDisposition } from '#workflows/talent/spreadsheet.server.ts'

/**
 * The periodic report of /reports/periodic (same query) as a streamed .xlsx,
 * every case closed in the period included. Parameters that do not parse
 * fall back to the page's defaults (this Beijing year, the viewer's union).
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRole(request, context, DASHBOARD_ROLES)
  const params = new URL(request.url).searchParams
  const now = context.now()
  const period = parsePeriod(params.get('period')) ?? currentYear(now)
  const stream = await periodicReportWorkbook(context.db, principalOf(user), {
    orgId: queryId(params, 'org'),
    period,
    now,
  }).catch(throwDomainError)
  const names = reportFileNames(stream.report.org, stream.report.period)
  stream.on('error', (err) => context.logger.error({ err }, 'periodic report export failed'))
  return new Response(createReadableStreamFromReadable(stream), {
    headers: {
      'Content-Type': XLSX_TYPE,
      'Content-Disposition': xlsxDisposition(names.ascii, names.name),
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  })
}
