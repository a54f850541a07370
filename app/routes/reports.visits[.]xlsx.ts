import type { LoaderFunctionArgs } from '@remix-run/node'
import { exportReportList } from '#app/components/report-list.server.ts'

/** The whole filtered visits list (not one page) as a streamed .xlsx. */
export function loader(args: LoaderFunctionArgs) {
  return exportReportList('visits', args)
}
