/**
 * Batches of an export, with the next one already being read while the
 * caller writes the current one: the database and the workbook writer work
 * at the same time instead of taking turns.
 */
export async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]()
  let next = it.next()
  try {
    for (;;) {
      const result = await next
      if (result.done) return
      next = it.next()
      yield result.value
    }
  } finally {
    // Stopped early (the download went away): let the read in flight settle, then close.
    await next.catch(() => undefined)
    await it.return?.()
  }
}
