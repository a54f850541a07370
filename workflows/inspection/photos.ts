/**
 * Photos taken on site: which files are accepted and how their type is told —
 * by the content (magic bytes), never by the name or the type the phone sent.
 *
 * JPEG, PNG and WebP are accepted: every browser shows them, on the page and
 * in the printed report. HEIC/HEIF (and AVIF) are recognised only to refuse
 * them with their own message: most browsers cannot show them. iPhones
 * convert to JPEG when the file input asks for JPEG/PNG/WebP only (the
 * accept attribute below), so the refusal is rare in practice.
 */

export const MAX_PHOTO_BYTES = 10 * 1024 * 1024
/** Files one upload (one form post) may carry. */
export const MAX_PHOTOS_PER_UPLOAD = 5
/** Photos one visit may hold. */
export const MAX_PHOTOS_PER_VISIT = 200

export const PHOTO_KINDS = {
  jpeg: { contentType: 'image/jpeg', extensions: ['jpg', 'jpeg'] },
  png: { contentType: 'image/png', extensions: ['png'] },
  webp: { contentType: 'image/webp', extensions: ['webp'] },
} as const

export type PhotoKind = keyof typeof PHOTO_KINDS

/** For the file input's `accept` hint (the server decides by content all the same). */
export const PHOTO_ACCEPT = Object.values(PHOTO_KINDS)
  .map((k) => k.contentType)
  .join(',')

const startsWith = (bytes: Uint8Array, prefix: readonly number[], at = 0) =>
  bytes.length >= at + prefix.length && prefix.every((b, i) => bytes[at + i] === b)

const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0))

const JPEG = [0xff, 0xd8, 0xff]
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
const RIFF = ascii('RIFF')
const WEBP = ascii('WEBP')
const FTYP = ascii('ftyp')
/** ISO-BMFF major brands of HEIF images (HEIC, HEIF, AVIF). */
const HEIF_BRANDS = new Set([
  'heic',
  'heix',
  'hevc',
  'hevx',
  'heim',
  'heis',
  'mif1',
  'msf1',
  'avif',
  'avis',
])

/** 'heif' for an HEIC/HEIF/AVIF image (refused with its own message), null for anything else. */
export function sniffPhotoKind(bytes: Uint8Array): PhotoKind | 'heif' | null {
  if (startsWith(bytes, JPEG)) return 'jpeg'
  if (startsWith(bytes, PNG)) return 'png'
  if (startsWith(bytes, RIFF) && startsWith(bytes, WEBP, 8)) return 'webp'
  if (startsWith(bytes, FTYP, 4) && bytes.length >= 12) {
    const brand = String.fromCharCode(...bytes.subarray(8, 12))
    if (HEIF_BRANDS.has(brand)) return 'heif'
  }
  return null
}

/** Why a file is refused (message keys onsite.errors.<code>). */
export type PhotoErrorCode = 'photoEmpty' | 'photoTooLarge' | 'photoType' | 'photoHeif'

/** The kind of an acceptable photo, or why it is refused. */
export function checkPhoto(
  bytes: Uint8Array,
): { ok: true; kind: PhotoKind } | { ok: false; error: PhotoErrorCode } {
  if (bytes.byteLength === 0) return { ok: false, error: 'photoEmpty' }
  if (bytes.byteLength > MAX_PHOTO_BYTES) return { ok: false, error: 'photoTooLarge' }
  const kind = sniffPhotoKind(bytes)
  if (kind === 'heif') return { ok: false, error: 'photoHeif' }
  if (!kind) return { ok: false, error: 'photoType' }
  return { ok: true, kind }
}

/**
 * A file name safe to store and to send back: no directories or control
 * characters, at most 120 characters, ending in an extension of its real type.
 */
export function photoFilename(name: string, kind: PhotoKind): string {
  const base =
    (name.split(/[/\\]/).pop() ?? '')
      .normalize('NFC')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
      .replace(/[\u0000-\u001f\u007f"<>|:*?]/g, '')
      .trim()
      .replace(/^\.+/, '') || 'photo'
  const { extensions } = PHOTO_KINDS[kind]
  const dot = base.lastIndexOf('.')
  const ext = dot > 0 ? base.slice(dot + 1).toLowerCase() : ''
  const stem = (extensions as readonly string[]).includes(ext) ? base.slice(0, dot) : base
  const suffix = `.${(extensions as readonly string[]).includes(ext) ? ext : extensions[0]}`
  return `${[...stem].slice(0, 120 - suffix.length).join('')}${suffix}`
}
