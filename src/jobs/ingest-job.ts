// The scheduled ingest of every enabled site.
import type { IngestService } from '../ingest/ingest-service';
import { summarize } from '../ingest/ingest-service';
import type { Logger } from '../log';
import type { Job } from '../scheduler/types';

export function createIngestJob(deps: {
  ingest: IngestService;
  schedule: string;
  timezone: string;
  log: Logger;
}): Job {
  return {
    name: 'ingest',
    schedule: deps.schedule,
    timezone: deps.timezone,
    async run() {
      const results = await deps.ingest.run();
      for (const r of results) {
        const t = summarize(r.files);
        const fields = {
          site: r.site,
          inserted: t.inserted,
          duplicate: t.duplicate,
          quarantined: t.quarantined,
          bytes: t.bytes,
        };
        if (r.ok) deps.log.info(fields, 'site ingested');
        else deps.log.warn({ ...fields, err: r.error }, 'site ingest failed');
      }
    },
  };
}
