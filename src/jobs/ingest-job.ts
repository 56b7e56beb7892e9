// The scheduled ingest of every enabled site.
import type { IngestService } from '../ingest/ingest-service';
import { summarize } from '../ingest/ingest-service';
import type { Logger } from '../log';
import { slotOf } from '../scheduler/scheduler';
import type { Job } from '../types/job';

export function createIngestJob(deps: {
  ingest: IngestService;
  schedule: string;
  timezone: string;
  log: Logger;
  /** Runs after every ingest (alarm checks, sending the notifications it queued). */
  after?: () => Promise<void>;
}): Job {
  return {
    name: 'ingest',
    schedule: deps.schedule,
    timezone: deps.timezone,
    // Every hub ingests: the sites are split between hubs by per-site leases.
    cluster: 'shared',
    async run(ctx) {
      const results = await deps.ingest.run(ctx.scheduled ? { slot: slotOf(ctx.firedAt) } : {});
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
      await deps.after?.();
    },
  };
}
