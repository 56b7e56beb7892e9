// Shared parts of the administration area (admins only): its texts, body parsing, and actions answered as JSON or as a page.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { SitewatchError } from '../../errors';
import { formatInstant } from '../../time';
import type { Messages } from '../i18n';
import { redirectLocal } from '../redirect';

export const adminMessages: Messages = {
  zh: {
    adminTitle: '管理',
    adminUsers: '用户',
    adminSites: '局点',
    adminRooms: '群订阅',
    adminOutbox: '通知队列',
    // users
    usersTitle: '用户管理',
    login: '登录名',
    displayName: '姓名',
    role: '角色',
    roleAdmin: '管理员',
    roleOperator: '运维',
    email: '邮箱',
    sites: '局点',
    allSites: '（全部）',
    notifications: '通知',
    notifyEmail: '告警邮件',
    notifyWechat: '微信告警',
    reportEmail: '日报邮件',
    wechat: '微信',
    wechatBound: '已绑定',
    wechatUnbound: '未绑定',
    manage: '管理',
    createUser: '新建用户',
    initialPassword: '初始密码（至少 10 位）',
    create: '创建',
    save: '保存',
    resetPassword: '重置密码',
    newPassword: '新密码（至少 10 位）',
    assignSites: '分配局点',
    notifySettings: '通知设置',
    bindCode: '微信绑定码',
    generateBindCode: '生成绑定码',
    bindCodeShown: '绑定码（只显示这一次）：',
    bindCodeHint: '在 {expires} 之前向机器人发送“绑定 {code}”（仅可使用一次）。',
    on: '开',
    off: '关',
    noUsers: '没有用户。',
    backToUsers: '← 用户列表',
    // sites
    sitesAdminTitle: '局点管理',
    code: '编号',
    name: '名称',
    baseUrl: '地址',
    encoding: '编码',
    timezone: '时区',
    timezoneDefault: '默认（{tz}）',
    token: '令牌',
    tokenSet: '已设置',
    tokenNone: '无',
    tokenKeep: '留空则不变',
    clearToken: '清除令牌',
    enabled: '状态',
    siteEnabled: '启用',
    siteDisabled: '停用',
    enable: '启用',
    disable: '停用',
    lastIngest: '最近采集',
    lastSuccess: '最近成功',
    lastError: '最近错误',
    addSite: '添加局点',
    add: '添加',
    editSite: '编辑局点',
    noSitesAdmin: '没有局点。',
    backToSites: '← 局点列表',
    // rooms
    roomsTitle: '群订阅',
    roomTopic: '群名称（企业微信：群 chatid）',
    transport: '通道',
    transportWechat: '微信',
    transportWecom: '企业微信',
    wecomNotSeen:
      '该群尚未与企业微信机器人对话，企业微信不允许向其推送：请先在群里 @机器人 说一句话。',
    site: '局点',
    createdBy: '创建人',
    createdAt: '创建时间',
    addRoom: '添加订阅',
    remove: '移除',
    noRooms: '没有群订阅。',
    // outbox
    outboxTitle: '通知队列',
    status: '状态',
    statusAll: '全部',
    status_pending: '待发送',
    status_sending: '发送中',
    status_sent: '已发送',
    status_failed: '失败',
    channel: '渠道',
    recipient: '接收者',
    kind: '类型',
    attempts: '尝试次数',
    partsSent: '已送达 {n} 段',
    nextTry: '下次尝试',
    retry: '重试',
    payload: '内容',
    noMessages: '没有消息。',
    // notices after an action
    done_userCreated: '已创建用户。',
    done_passwordReset: '已重置密码。',
    done_sitesSaved: '已保存局点分配。',
    done_notifySaved: '已保存通知设置。',
    done_siteAdded: '已添加局点。',
    done_siteSaved: '已保存局点。',
    done_siteEnabled: '已启用局点。',
    done_siteDisabled: '已停用局点。',
    done_roomAdded: '已添加群订阅。',
    done_roomRemoved: '已移除群订阅。',
    done_retried: '消息已重新排队发送。',
  },
  en: {
    adminTitle: 'Administration',
    adminUsers: 'Users',
    adminSites: 'Sites',
    adminRooms: 'Rooms',
    adminOutbox: 'Outbox',
    usersTitle: 'Users',
    login: 'Login',
    displayName: 'Name',
    role: 'Role',
    roleAdmin: 'Admin',
    roleOperator: 'Operator',
    email: 'Email',
    sites: 'Sites',
    allSites: '(all)',
    notifications: 'Notifications',
    notifyEmail: 'Alarm emails',
    notifyWechat: 'WeChat alarms',
    reportEmail: 'Report email',
    wechat: 'WeChat',
    wechatBound: 'bound',
    wechatUnbound: 'not bound',
    manage: 'Manage',
    createUser: 'New user',
    initialPassword: 'Initial password (10+ characters)',
    create: 'Create',
    save: 'Save',
    resetPassword: 'Reset password',
    newPassword: 'New password (10+ characters)',
    assignSites: 'Sites managed',
    notifySettings: 'Notifications',
    bindCode: 'WeChat bind code',
    generateBindCode: 'Generate a bind code',
    bindCodeShown: 'Bind code (shown only this once):',
    bindCodeHint: 'Send "绑定 {code}" to the bot before {expires} (single use).',
    on: 'on',
    off: 'off',
    noUsers: 'No users.',
    backToUsers: '← Users',
    sitesAdminTitle: 'Sites',
    code: 'Code',
    name: 'Name',
    baseUrl: 'Base URL',
    encoding: 'Encoding',
    timezone: 'Time zone',
    timezoneDefault: 'default ({tz})',
    token: 'Token',
    tokenSet: 'set',
    tokenNone: 'none',
    tokenKeep: 'leave empty to keep',
    clearToken: 'Remove the token',
    enabled: 'State',
    siteEnabled: 'enabled',
    siteDisabled: 'disabled',
    enable: 'Enable',
    disable: 'Disable',
    lastIngest: 'Last ingest',
    lastSuccess: 'Last success',
    lastError: 'Last error',
    addSite: 'Add a site',
    add: 'Add',
    editSite: 'Edit site',
    noSitesAdmin: 'No sites.',
    backToSites: '← Sites',
    roomsTitle: 'Room subscriptions',
    roomTopic: 'Room topic (WeCom: the chat id)',
    transport: 'Transport',
    transportWechat: 'WeChat',
    transportWecom: 'WeCom',
    wecomNotSeen:
      'This chat has not talked to the WeCom robot yet, and WeCom refuses pushes to it: @-mention the robot in the chat once first.',
    site: 'Site',
    createdBy: 'Created by',
    createdAt: 'Created at',
    addRoom: 'Add a subscription',
    remove: 'Remove',
    noRooms: 'No room subscriptions.',
    outboxTitle: 'Notification outbox',
    status: 'Status',
    statusAll: 'All',
    status_pending: 'pending',
    status_sending: 'sending',
    status_sent: 'sent',
    status_failed: 'failed',
    channel: 'Channel',
    recipient: 'Recipient',
    kind: 'Kind',
    attempts: 'Attempts',
    partsSent: '{n} part(s) delivered',
    nextTry: 'Next try',
    retry: 'Retry',
    payload: 'Payload',
    noMessages: 'No messages.',
    done_userCreated: 'User created.',
    done_passwordReset: 'Password reset.',
    done_sitesSaved: 'Sites saved.',
    done_notifySaved: 'Notification settings saved.',
    done_siteAdded: 'Site added.',
    done_siteSaved: 'Site saved.',
    done_siteEnabled: 'Site enabled.',
    done_siteDisabled: 'Site disabled.',
    done_roomAdded: 'Room subscription added.',
    done_roomRemoved: 'Room subscription removed.',
    done_retried: 'Message queued to be sent now.',
  },
};

/** zod issues in one line, worded like the domain code's: "field message; …". */
export function zodMessage(err: z.ZodError): string {
  return err.issues.map((i) => `${i.path.join('.')} ${i.message}`.trim()).join('; ');
}

/** The body parsed by `schema`, or a USAGE error (400) carrying zod's message. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const r = schema.safeParse(body ?? {});
  if (!r.success) throw new SitewatchError('USAGE', zodMessage(r.error));
  return r.data;
}

/** A form field that may come once (string), repeatedly (array) or not at all. */
export const stringList = z.preprocess(
  (v) => (v === undefined || v === null || v === '' ? [] : Array.isArray(v) ? v : [v]),
  z.array(z.string().trim().min(1)),
);

/** A checkbox or JSON boolean: "on"/"1"/"true" and true are on; "0"/"false"/"off" and false are off. */
export const flag = z.preprocess((v) => {
  if (v === true || v === 'on' || v === '1' || v === 'true') return true;
  if (v === false || v === 'off' || v === '0' || v === 'false') return false;
  return v;
}, z.boolean());

/** Text where an empty field means "none": null. */
export const optionalText = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() === '' ? null : typeof v === 'string' ? v.trim() : v),
  z.string().nullable(),
);

/** The notice keys a page may show after a redirect (?done=…); anything else is ignored. */
const DONE_KEYS = new Set(
  Object.keys(adminMessages.en)
    .filter((k) => k.startsWith('done_'))
    .map((k) => k.slice('done_'.length)),
);

export function doneOf(req: FastifyRequest): string | null {
  const d = (req.query as { done?: unknown }).done;
  return typeof d === 'string' && DONE_KEYS.has(d) ? `done_${d}` : null;
}

export function redirectDone(reply: FastifyReply, url: string, done: string): FastifyReply {
  return redirectLocal(reply, `${url}${url.includes('?') ? '&' : '?'}done=${done}`);
}

export const formatAt = (ms: number | null, tz: string) =>
  ms === null ? null : formatInstant(ms, tz);

/** The status a failed form shows itself again with; other errors go to the error page. */
function formStatus(err: unknown): number | null {
  if (!(err instanceof SitewatchError)) return null;
  if (err.code === 'USAGE') return 400;
  if (err.code === 'CONFLICT') return 409;
  return null;
}

export interface AdminAction<T> {
  /** '/users' serves POST /api/admin/users (JSON) and POST /admin/users (form). */
  path: string;
  /** Parse and perform; `form` is true for the page's form post. */
  run(req: FastifyRequest, form: boolean): Promise<T>;
  /** The JSON answer. */
  json(result: T): unknown;
  /** The page after success: usually a redirect with a notice. */
  done(req: FastifyRequest, reply: FastifyReply, result: T): Promise<FastifyReply> | FastifyReply;
  /** The page again with the form's error message (the status is already set: 400 or 409). */
  failed(req: FastifyRequest, reply: FastifyReply, message: string): Promise<FastifyReply>;
}

/** One state change, under /api/admin (JSON) and /admin (form); both behind requireAdmin and CSRF. */
export function adminAction<T>(app: FastifyInstance, a: AdminAction<T>): void {
  app.post(`/api/admin${a.path}`, async (req, reply) => {
    const result = await a.run(req, false);
    reply.header('cache-control', 'no-store');
    return a.json(result);
  });
  app.post(`/admin${a.path}`, async (req, reply) => {
    let result: T;
    try {
      result = await a.run(req, true);
    } catch (err) {
      const status = formStatus(err);
      if (status === null) throw err;
      reply.code(status);
      return a.failed(req, reply, (err as Error).message);
    }
    return a.done(req, reply, result);
  });
}
