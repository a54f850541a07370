import {
  unstable_parseMultipartFormData as parseMultipartFormData,
  type UploadHandler,
} from '@remix-run/node'
import { CSRF_FIELD, CsrfError, verifyCsrf } from '#app/auth/csrf.server.ts'
import type { AppContext } from '#app/context.ts'

/** The file (or the whole request) is over the limit; reading stopped there. */
export class UploadTooLargeError extends Error {}

/** Not a multipart form we can read (bad framing, a stray field, two files). */
export class BadUploadError extends Error {}

export interface UploadedForm {
  fields: Map<string, string>
  /** Null when the form had no file, or the file input was left empty. */
  file: { name: string; bytes: Uint8Array } | null
  /** Every file of the field, in order (at most `maxFiles`). */
  files: { name: string; bytes: Uint8Array }[]
}

/** Text fields are short here (token, intent); anything longer is not our form. */
const MAX_FIELD_BYTES = 4 * 1024
/** Room for the boundaries, headers and text fields around the one file. */
const FORM_OVERHEAD_BYTES = 64 * 1024

async function readText(data: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Uint8Array[] = []
  let size = 0
  for await (const chunk of data) {
    size += chunk.byteLength
    if (size > MAX_FIELD_BYTES) throw new BadUploadError('field too long')
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/**
 * Reads a multipart form with one file field, the equivalent of readForm for
 * uploads. The CSRF token must arrive before the file (CsrfInput is the first
 * field of the form): it is checked as soon as it is read, and a file part
 * before a valid token is refused unread. A file over `maxFileBytes` stops
 * the parse at the first chunk past the limit, and a Content-Length that
 * announces more than the limit is refused before reading anything.
 *
 * Throws: a 403 Response (errors.csrf) for a missing or wrong token,
 * UploadTooLargeError, BadUploadError.
 */
export async function readUploadForm(
  request: Request,
  context: Pick<AppContext, 'csrfCookie'>,
  // maxFiles: how many files the field may carry (default 1).
  options: { fileField: string; maxFileBytes: number; maxFiles?: number },
): Promise<UploadedForm> {
  const maxFiles = options.maxFiles ?? 1
  const declared = Number(request.headers.get('Content-Length'))
  if (
    Number.isFinite(declared) &&
    declared > options.maxFileBytes * maxFiles + FORM_OVERHEAD_BYTES
  ) {
    throw new UploadTooLargeError(`request of ${declared} bytes`)
  }
  const fields = new Map<string, string>()
  const files: UploadedForm['files'] = []
  let tokenChecked = false

  const handler: UploadHandler = async ({ name, filename, data }) => {
    if (filename === undefined) {
      const value = await readText(data)
      if (name === CSRF_FIELD) {
        const form = new FormData()
        form.set(CSRF_FIELD, value)
        await verifyCsrf(request, context, form)
        tokenChecked = true
      } else {
        fields.set(name, value)
      }
      return undefined
    }
    if (!tokenChecked) throw new CsrfError('file before token')
    if (name !== options.fileField) throw new BadUploadError(`unexpected file ${name}`)
    const chunks: Uint8Array[] = []
    let size = 0
    for await (const chunk of data) {
      size += chunk.byteLength
      if (size > options.maxFileBytes) throw new UploadTooLargeError(`file over ${size} bytes`)
      chunks.push(chunk)
    }
    // An empty file input still posts a part, with no name and no bytes.
    if (filename !== '' || size > 0) {
      if (files.length >= maxFiles) throw new BadUploadError(`more than ${maxFiles} file(s)`)
      files.push({ name: filename, bytes: new Uint8Array(Buffer.concat(chunks, size)) })
    }
    return undefined
  }

  try {
    await parseMultipartFormData(request, handler)
  } catch (err) {
    if (err instanceof CsrfError) throw new Response('errors.csrf', { status: 403 })
    if (err instanceof UploadTooLargeError || err instanceof BadUploadError) throw err
    throw new BadUploadError(err instanceof Error ? err.message : String(err))
  }
  if (!tokenChecked) throw new Response('errors.csrf', { status: 403 })
  return { fields, file: files[0] ?? null, files }
}

/** Whether the request carries a multipart body (uploads) rather than a plain form. */
export function isMultipart(request: Request): boolean {
  return (request.headers.get('Content-Type') ?? '').toLowerCase().startsWith('multipart/form-data')
}
