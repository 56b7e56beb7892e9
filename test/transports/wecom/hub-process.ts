// A hub in a process of its own (the takeover test kills it): its config from the environment; prints "ready <state>" once the WeCom robot is connected or standing by.
import { loadConfig, processEnv } from '../../../config/schema';
import { silentLogger } from '../../../src/log';
import { createApp } from '../../../src/main';

async function main(): Promise<void> {
  const app = await createApp(loadConfig({ env: processEnv() }), silentLogger, { schedule: false });
  await app.start();
  const wecom = app.transports.find((t) => t.name === 'wecom');
  if (!wecom) throw new Error('this hub runs no WeCom robot');
  const timer = setInterval(() => {
    const state = wecom.health().state;
    if (state !== 'authenticated' && state !== 'standby') return;
    clearInterval(timer);
    process.stdout.write(`ready ${state}\n`);
  }, 20);
}

main().catch((err: unknown) => {
  process.stderr.write(`hub failed: ${String(err)}\n`);
  process.exit(1);
});
