// Portal texts in Chinese (default) and English: each page module declares its own messages; t() looks them up.
export type WebLang = 'zh' | 'en';

export type Messages = Record<WebLang, Record<string, string>>;

/** Texts of the layout, login and errors; page modules pass their own alongside. */
export const commonMessages: Messages = {
  zh: {
    appName: 'Sitewatch 监控平台',
    navSites: '局点',
    navAlarms: '告警',
    navIngest: '采集状态',
    navAdmin: '管理',
    logout: '退出',
    login: '登录',
    loginTitle: '登录 Sitewatch',
    username: '用户名',
    password: '密码',
    loginFailed: '用户名或密码错误。',
    loginThrottled: '尝试次数过多，请稍后再试。',
    loggedOut: '已退出登录。',
    sessionExpired: '登录已过期，请重新登录。',
    notFound: '页面不存在。',
    forbidden: '没有权限访问此页面。',
    badRequest: '请求无效：{message}',
    csrf: '页面已过期，请刷新后重试。',
    serverError: '服务器出错，请稍后再试。',
    switchLang: 'English',
    never: '从未',
  },
  en: {
    appName: 'Sitewatch',
    navSites: 'Sites',
    navAlarms: 'Alarms',
    navIngest: 'Ingest',
    navAdmin: 'Admin',
    logout: 'Log out',
    login: 'Log in',
    loginTitle: 'Log in to Sitewatch',
    username: 'User name',
    password: 'Password',
    loginFailed: 'Wrong user name or password.',
    loginThrottled: 'Too many attempts; try again later.',
    loggedOut: 'You have logged out.',
    sessionExpired: 'Your session has expired; please log in again.',
    notFound: 'Page not found.',
    forbidden: 'You may not open this page.',
    badRequest: 'Bad request: {message}',
    csrf: 'This page has expired; reload it and try again.',
    serverError: 'Something went wrong; try again later.',
    switchLang: '中文',
    never: 'never',
  },
};

export type Translate = (key: string, vars?: Record<string, string | number>) => string;

/** A translator over the common texts and `extra` (a page's); an unknown key shows as itself. */
export function translator(lang: WebLang, ...extra: Messages[]): Translate {
  const tables = [...extra, commonMessages].map((m) => m[lang]);
  return (key, vars) => {
    let s = key;
    for (const t of tables) {
      if (key in t) {
        s = t[key];
        break;
      }
    }
    if (vars) s = s.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
    return s;
  };
}
