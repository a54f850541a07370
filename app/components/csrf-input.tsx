import { useRootData } from '#app/utils/root-data.ts'

/** Every form that changes something carries this; the action checks it. */
export function CsrfInput() {
  const root = useRootData()
  return <input type="hidden" name="csrf" value={root?.csrf ?? ''} />
}
