/**
 * The archive's own styles: on the archive page (beside the app's), and as
 * the whole style sheet of every exported HTML file, which must print well
 * and read well with nothing else loaded (A4, black on white, no navigation).
 */

/** The base a standalone exported file needs (the app's style sheet is not there). */
export const ARCHIVE_BASE_CSS = `
:root { --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --flag: #b42318; }
* { box-sizing: border-box; }
body {
  margin: 0 auto; max-width: 960px; padding: 24px;
  color: var(--ink); background: #fff; line-height: 1.7;
  font-family: "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC",
    "Source Han Sans SC", system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
}
h1 { font-size: 1.5rem; margin: 0 0 8px; }
h2 { font-size: 1.2rem; margin: 24px 0 8px; }
h3 { font-size: 1.05rem; margin: 16px 0 6px; }
h4 { font-size: 1rem; margin: 12px 0 4px; }
p { margin: 4px 0; }
a { color: #0969da; }
.muted { color: var(--muted); }
.pre-wrap { white-space: pre-wrap; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; }
.status { display: inline-block; padding: 0 8px; border: 1px solid var(--line); border-radius: 10px; }
.timeline { list-style: none; padding-left: 0; }
.timeline li { padding: 4px 0; border-bottom: 1px dotted var(--line); }
nav.archive-index ol { padding-left: 1.4em; }
`

/** Archive layout, for the page and the exported files alike. */
export const ARCHIVE_CSS = `
.case-archive .archive-section, .archive-doc .archive-section { margin: 0 0 16px; }
.archive-heading h1 { margin-bottom: 0; }
.archive-section { break-inside: auto; }
.archive-visit { border-top: 2px solid var(--line, #d1d9e0); padding-top: 8px; }
.archive-plan table tr.flagged td { background: #fff4f2; }
.archive-plan .flag, .severity-high, .severity-critical { color: var(--flag, #b42318); }
.archive-photos { display: grid; grid-template-columns: repeat(auto-fill, minmax(160px, 1fr)); gap: 8px; }
.archive-photos figure { margin: 0; break-inside: avoid; page-break-inside: avoid; }
.archive-photos img { width: 100%; height: 140px; object-fit: cover; border: 1px solid var(--line, #d1d9e0); }
.archive-photos figcaption { font-size: 0.85rem; color: var(--muted, #59636e); overflow-wrap: anywhere; }
.archive-report { border-left: 3px solid var(--line, #d1d9e0); padding-left: 12px; }
.outcome-totals table { max-width: 560px; }
.outcome-totals td { text-align: right; font-variant-numeric: tabular-nums; }
@media print {
  @page { size: A4; margin: 18mm 16mm 20mm; }
  body { max-width: none; padding: 0; font-size: 11pt; color: #000; }
  a { color: inherit; text-decoration: none; }
  .no-print, .topbar, .skip, nav.app-nav { display: none !important; }
  .archive-visit { break-before: page; page-break-before: always; }
  .archive-photos { grid-template-columns: repeat(3, 1fr); }
  .archive-photos img { height: 45mm; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  tr { break-inside: avoid; page-break-inside: avoid; }
}
`

/** The archive styles on a page of the app. */
export function ArchiveStyles() {
  // biome-ignore lint/security/noDangerouslySetInnerHtml: a constant of ours, no user input
  return <style dangerouslySetInnerHTML={{ __html: ARCHIVE_CSS }} />
}
