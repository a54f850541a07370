/** The BullMQ job states the admin jobs page counts (shared by server and page). */
export const JOB_STATES = ['waiting', 'delayed', 'active', 'completed', 'failed'] as const
export type JobState = (typeof JOB_STATES)[number]
