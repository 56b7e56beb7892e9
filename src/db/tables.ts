// Every table of the schema, children before parents (the order to empty or drop them in).
export const TABLES_CHILD_FIRST = [
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
