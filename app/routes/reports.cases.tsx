import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { loadReportList } from '#app/components/report-list.server.ts'
import { ReportList } from '#app/components/report-list.tsx'
import { pageTitle } from '#app/utils/meta.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'reports.kinds.cases')

/** The federation's cases list, filtered, sorted and paginated on the server. */
export function loader(args: LoaderFunctionArgs) {
  return loadReportList('cases', args)
}

export default function ReportCases() {
  return <ReportList data={useLoaderData<typeof loader>()} />
}
