// Ordered list of schema migrations; add new ones at the end.
import { InitialSchema1764028800000 } from './1764028800000-initial-schema';
import { BotBindings1764115200000 } from './1764115200000-bot-bindings';
import { Notifications1764288000000 } from './1764288000000-notifications';
import { WebSessions1764374400000 } from './1764374400000-web-sessions';
import { OutboxParts1764460800000 } from './1764460800000-outbox-parts';
import { LoginAttempts1764547200000 } from './1764547200000-login-attempts';
import { WebSessionUser1764633600000 } from './1764633600000-web-session-user';
import { ChatTransport1764720000000 } from './1764720000000-chat-transport';
import { ChartLinks1764806400000 } from './1764806400000-chart-links';
import { TransportStatus1764849600000 } from './1764849600000-transport-status';
import { WecomRooms1764892800000 } from './1764892800000-wecom-rooms';
import { AlarmSeverity1764979200000 } from './1764979200000-alarm-severity';
import { KpiIgnoredDays1765065600000 } from './1765065600000-kpi-ignored-days';

export const migrations = [
  InitialSchema1764028800000,
  BotBindings1764115200000,
  Notifications1764288000000,
  WebSessions1764374400000,
  OutboxParts1764460800000,
  LoginAttempts1764547200000,
  WebSessionUser1764633600000,
  ChatTransport1764720000000,
  ChartLinks1764806400000,
  TransportStatus1764849600000,
  WecomRooms1764892800000,
  AlarmSeverity1764979200000,
  KpiIgnoredDays1765065600000,
];
