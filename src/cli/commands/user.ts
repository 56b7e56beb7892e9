// `sitewatch user …`: create and list users, bind codes, notification settings.
import { Option, type Command } from 'commander';
import { WechatBinding } from '../../../entities';
import { createBindCode } from '../../admin/bind-codes';
import { addUser, listUsers, setNotifySettings } from '../../admin/users';
import { formatInstant } from '../../time';
import { readAll, table } from '../io';
import type { CliContext } from '../context';

export function registerUser(program: Command, ctx: CliContext): void {
  const user = program.command('user').description('users of the portal and the bot');
  user
    .command('add <login>')
    .description('create a user; the password is read from standard input')
    .requiredOption('--password-stdin', 'read the password from standard input')
    .option('--admin', 'administrator (sees every site)')
    .option('--email <email>', 'email address for notifications')
    .option('--name <display_name>', 'display name')
    .option('--sites <codes>', 'comma-separated site_ids the user manages')
    .action(
      (login: string, o: { admin?: boolean; email?: string; name?: string; sites?: string }) =>
        ctx.withDb(async (ds) => {
          const password = (await readAll(ctx.io.stdin)).replace(/\r?\n$/, '');
          const u = await addUser(ds, {
            login,
            password,
            displayName: o.name,
            email: o.email ?? null,
            role: o.admin ? 'admin' : 'operator',
            sites: o.sites
              ? o.sites
                  .split(',')
                  .map((s) => s.trim())
                  .filter(Boolean)
              : [],
          });
          ctx.out(
            `Added ${u.role} ${u.login}${u.sites.length ? ` managing ${u.sites.map((s) => s.code).join(', ')}` : ''}\n`,
          );
        }),
    );
  user
    .command('list')
    .description('list users and their sites')
    .action(() =>
      ctx.withDb(async (ds) => {
        const users = await listUsers(ds);
        if (users.length === 0) return void ctx.out('No users.\n');
        ctx.out(
          table([
            ['LOGIN', 'NAME', 'ROLE', 'EMAIL', 'SITES'],
            ...users.map((u) => [
              u.login,
              u.displayName,
              u.role,
              u.email ?? '-',
              u.role === 'admin'
                ? '(all)'
                : u.sites
                    .map((s) => s.code)
                    .sort()
                    .join(',') || '-',
            ]),
          ]),
        );
      }),
    );
  user
    .command('bind-code <login>')
    .description('print a one-time code (10 minutes) that binds a WeChat contact to this user')
    .action((login: string) =>
      ctx.withDb(async (ds) => {
        const { code, expiresAt } = await createBindCode(ds, login);
        ctx.out(
          `Bind code for ${login}: ${code}\n` +
            `Send "绑定 ${code}" to the bot on WeChat before ${formatInstant(expiresAt, ctx.config().timezone)} (single use).\n`,
        );
      }),
    );
  const onOff = (flag: string, what: string) =>
    new Option(`${flag} <on|off>`, what).choices(['on', 'off']);
  user
    .command('notify <login>')
    .description('show or change which notifications a user gets')
    .addOption(onOff('--email-alarms', 'alarm emails for the sites the user manages'))
    .addOption(onOff('--wechat-alarms', "alarm pushes to the user's bound WeChat contact"))
    .addOption(onOff('--email-report', 'the daily report by email'))
    .option('--email <address>', 'email address ("none" removes it)')
    .action(
      (
        login: string,
        o: { emailAlarms?: string; wechatAlarms?: string; emailReport?: string; email?: string },
      ) =>
        ctx.withDb(async (ds) => {
          const flag = (v: string | undefined) => (v === undefined ? undefined : v === 'on');
          const u = await setNotifySettings(ds, login, {
            notifyEmail: flag(o.emailAlarms),
            notifyWechat: flag(o.wechatAlarms),
            reportEmail: flag(o.emailReport),
            email: o.email === undefined ? undefined : o.email === 'none' ? null : o.email,
          });
          const bound = await ds
            .getRepository(WechatBinding)
            .exists({ where: { transport: 'wechat', userId: u.id } });
          const noEmail = u.email === null ? ' (no email address: nothing is sent)' : '';
          const state = (on: boolean, note: string) => (on ? `on${note}` : 'off');
          ctx.out(
            `Notifications of ${u.login}:\n` +
              table([
                ['  email:', u.email ?? '-'],
                ['  alarm emails:', state(u.notifyEmail, noEmail)],
                [
                  '  alarm WeChat pushes:',
                  state(u.notifyWechat, bound ? '' : ' (not bound to WeChat: nothing is sent)'),
                ],
                ['  daily report email:', state(u.reportEmail, noEmail)],
              ]),
          );
        }),
    );
}
