/**
 * The shape of Tend's database, shared by SQLite and PostgreSQL. Timestamps are ISO-8601 UTC
 * strings (`2026-11-24T08:00:00.000Z`): they sort as text and read the same on both engines.
 * Each capability adds its tables here, next to the migration that creates them.
 */
export interface InstanceSettingsTable {
  key: string;
  value: string;
  updated_at: string;
}

export interface Database {
  instance_settings: InstanceSettingsTable;
}
