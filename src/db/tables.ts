// Every table of the schema, children before parents (the order to empty or drop them in).
export const TABLES_CHILD_FIRST = [
  'chart_link',
  'chat_seen',
  'transport_status',
  'login_attempt',
  'web_session',
  'outbox',
  'job_lease',
  'silence',
  'kpi_ignored_day',
  'room_subscription',
  'bind_code',
  'wechat_binding',
  'ingest_error',
  'ingest_cursor',
  'alarm',
  'business_daily',
  'disk_sample',
  'mem_sample',
  'cpu_sample',
  'server_node',
  'server',
  'user_site',
  'user',
  'site',
] as const;

/** The three sample tables and the column order their rows are written in (ingest, benchmarks). */
export const SAMPLE_TABLES = {
  cpu: {
    table: 'cpu_sample',
    columns: ['server_id', 'sampled_at', 'user_pct', 'sys_pct', 'io_pct', 'idle_pct'],
  },
  mem: {
    table: 'mem_sample',
    columns: ['server_id', 'sampled_at', 'used_bytes', 'free_bytes', 'buffer_bytes', 'total_bytes'],
  },
  disk: {
    table: 'disk_sample',
    columns: ['server_id', 'mount', 'sampled_at', 'used_bytes', 'total_bytes'],
  },
} as const;
export type SampleKind = keyof typeof SAMPLE_TABLES;
export const SAMPLE_KINDS = Object.keys(SAMPLE_TABLES) as SampleKind[];
