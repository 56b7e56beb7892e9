// The hub npm run bench:chat kills: a hub in a process of its own, its config from SITEWATCH_CONFIG; prints "ready <state>" once its WeCom robot is connected or standing by.
import { loadConfig, processEnv } from '../config/schema';
import { silentLogger } from '../src/log';
import { createApp } from '../src/main';

async function main(): Promise<void> {
  // The benchmark holds our stdin: when it dies without killing us, we go too instead of holding the robot.
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
  const app = await createApp(loadConfig({ env: processEnv() }), silentLogger, { schedule: false });
  await app.start();
  const wecom = app.transports.find((t) => t.name === 'wecom');
  if (!wecom) throw new Error('this hub runs no WeCom robot');
  const timer = setInterval(() => {
    const state = wecom.health().state;
    if (state !== 'authenticated' && state !== 'standby') return;
    clearInterval(timer);
    process.stdout.write(`ready ${state}\n`);
  }, 10);
}

main().catch((err: unknown) => {
  process.stderr.write(`hub failed: ${String(err)}\n`);
  process.exit(1);
});
