import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireRole } from '#app/auth/session.server.ts'
import { importTemplate, TALENT_MANAGER_ROLES } from '#workflows/commands/experts.ts'
import { XLSX_TYPE, xlsxDisposition } from '#workflows/talent/spreadsheet.server.ts'

/** The import template: Chinese headers, an example row, and the guide with every code. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, context, TALENT_MANAGER_ROLES)
  const bytes = await importTemplate(context.db)
  return new Response(new Uint8Array(bytes), {
    headers: {
      'Content-Type': XLSX_TYPE,
      'Content-Length': String(bytes.byteLength),
      'Content-Disposition': xlsxDisposition('expert-import-template.xlsx', '专家导入模板.xlsx'),
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  })
}
