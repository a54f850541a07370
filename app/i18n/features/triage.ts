import { defineMessages } from '../define.ts'

// Keys are used as t('triage.<key>').
export const triageMessages = defineMessages({}, {})
