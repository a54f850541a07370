import { defineMessages } from '../define.ts'

// Keys are used as t('confirmation.<key>').
export const confirmationMessages = defineMessages({}, {})
