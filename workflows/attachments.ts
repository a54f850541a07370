/**
 * What a needs list may carry as attachments, and how a file's type is told:
 * by its content (magic bytes and, for Office files, the names inside the
 * ZIP container), never by its name or the Content-Type the browser sent.
 */

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
export const MAX_ATTACHMENTS_PER_LIST = 10

export const ATTACHMENT_KINDS = {
  pdf: { contentType: 'application/pdf', extensions: ['pdf'] },
  jpeg: { contentType: 'image/jpeg', extensions: ['jpg', 'jpeg'] },
  png: { contentType: 'image/png', extensions: ['png'] },
  docx: {
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    extensions: ['docx'],
  },
  xlsx: {
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    extensions: ['xlsx'],
  },
} as const

export type AttachmentKind = keyof typeof ATTACHMENT_KINDS

/** For the file input's `accept` hint (the server decides by content all the same). */
export const ACCEPT_ATTRIBUTE = Object.values(ATTACHMENT_KINDS)
  .flatMap((k) => [k.contentType, ...k.extensions.map((e) => `.${e}`)])
  .join(',')

/** Where workflows keep file bodies; app/storage implements it. */
export interface BlobStore {
  put(key: string, data: Uint8Array): Promise<void>
  get(key: string): Promise<Uint8Array<ArrayBuffer> | null>
  delete(key: string): Promise<void>
}

const startsWith = (bytes: Uint8Array, prefix: readonly number[], at = 0) =>
  bytes.length >= at + prefix.length && prefix.every((b, i) => bytes[at + i] === b)

const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d] // %PDF-
const JPEG = [0xff, 0xd8, 0xff]
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
const ZIP_LOCAL = [0x50, 0x4b, 0x03, 0x04]

/** The kind of file these bytes are, or null when it is not one we accept. */
export function sniffAttachmentKind(bytes: Uint8Array): AttachmentKind | null {
  if (startsWith(bytes, PDF)) return 'pdf'
  if (startsWith(bytes, PNG)) return 'png'
  if (startsWith(bytes, JPEG)) return 'jpeg'
  if (startsWith(bytes, ZIP_LOCAL)) return officeKind(bytes)
  return null
}

/**
 * An Office Open XML document is a ZIP with [Content_Types].xml and its main
 * part under word/ (DOCX) or xl/ (XLSX). Macro-enabled files (a vbaProject.bin
 * inside) are refused, whatever their name says.
 */
function officeKind(bytes: Uint8Array): AttachmentKind | null {
  const names = zipEntryNames(bytes)
  if (!names?.has('[Content_Types].xml')) return null
  if ([...names].some((n) => n.toLowerCase().endsWith('vbaproject.bin'))) return null
  const hasWord = names.has('word/document.xml')
  const hasExcel = names.has('xl/workbook.xml')
  if (hasWord && !hasExcel) return 'docx'
  if (hasExcel && !hasWord) return 'xlsx'
  return null
}

/** Entry names from a ZIP's central directory, or null when it is not a readable ZIP. */
export function zipEntryNames(bytes: Uint8Array): Set<string> | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const EOCD = 0x06054b50
  const minEocd = 22
  if (bytes.length < minEocd) return null
  // The end-of-central-directory record sits in the last 22 + 65535 (comment) bytes.
  let eocd = -1
  for (let i = bytes.length - minEocd; i >= Math.max(0, bytes.length - minEocd - 0xffff); i--) {
    if (view.getUint32(i, true) === EOCD) {
      eocd = i
      break
    }
  }
  if (eocd < 0) return null
  const count = view.getUint16(eocd + 10, true)
  const size = view.getUint32(eocd + 12, true)
  let offset = view.getUint32(eocd + 16, true)
  // ZIP64 markers, or a directory outside the file: not something we read.
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) return null
  if (offset + size > eocd) return null
  const names = new Set<string>()
  const decoder = new TextDecoder('utf-8', { fatal: false })
  for (let n = 0; n < count; n++) {
    if (offset + 46 > eocd || view.getUint32(offset, true) !== 0x02014b50) return null
    const nameLength = view.getUint16(offset + 28, true)
    const extraLength = view.getUint16(offset + 30, true)
    const commentLength = view.getUint16(offset + 32, true)
    const end = offset + 46 + nameLength
    if (end > eocd) return null
    names.add(decoder.decode(bytes.subarray(offset + 46, end)))
    offset = end + extraLength + commentLength
  }
  return names
}

/**
 * A file name safe to store and to send back: no directories or control
 * characters, at most 200 characters, and ending in an extension that fits
 * its real type (appended when it does not).
 */
export function safeFilename(name: string, kind: AttachmentKind): string {
  const base =
    (name.split(/[/\\]/).pop() ?? '')
      .normalize('NFC')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
      .replace(/[\u0000-\u001f\u007f"<>|:*?]/g, '')
      .trim()
      .replace(/^\.+/, '') || 'attachment'
  const { extensions } = ATTACHMENT_KINDS[kind]
  const ext = base.includes('.') ? (base.split('.').pop() ?? '').toLowerCase() : ''
  const named = (extensions as readonly string[]).includes(ext) ? base : `${base}.${extensions[0]}`
  if ([...named].length <= 200) return named
  const suffix = `.${named.split('.').pop()}`
  return `${[...named].slice(0, 200 - suffix.length).join('')}${suffix}`
}
