import type { Kysely } from 'kysely'

// Frozen: never edit a migration that has shipped; add a new one instead.
// Indexes for the intake queue, steward load and the steward workspace at
// national scale (see bench/intake.bench.ts).
export async function up(db: Kysely<any>): Promise<void> {
  // The queue walks one status in submission order (oldest/newest first, deep pages)…
  await db.schema
    .createIndex('needs_list_status_submitted')
    .on('needs_list')
    .columns(['status', 'submitted_at', 'id'])
    .execute()
  // …or in order of time in stage (age filters, "longest in stage" sorting).
  await db.schema
    .createIndex('needs_list_status_stage')
    .on('needs_list')
    .columns(['status', 'stage_entered_at', 'id'])
    .execute()
  // An enterprise's cases in given states: steward load, open cases, reassignment.
  await db.schema
    .createIndex('needs_list_enterprise_status')
    .on('needs_list')
    .columns(['enterprise_id', 'status'])
    .execute()
  // Sorting the queue by enterprise name.
  await db.schema.createIndex('enterprise_name').on('enterprise').columns(['name', 'id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const index of [
    'enterprise_name',
    'needs_list_enterprise_status',
    'needs_list_status_stage',
    'needs_list_status_submitted',
  ]) {
    await db.schema.dropIndex(index).ifExists().execute()
  }
}
