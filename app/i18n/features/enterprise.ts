import { defineMessages } from '../define.ts'

// Keys are used as t('enterprise.<key>').
export const enterpriseMessages = defineMessages({}, {})
