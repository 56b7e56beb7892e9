// The entity list handed to the DataSource.
import { Alarm, type AlarmSource, type AlarmState } from './Alarm';
import { BindCode } from './BindCode';
import { BusinessDaily } from './BusinessDaily';
import { ChartLink } from './ChartLink';
import { ChatSeen } from './ChatSeen';
import { CpuSample } from './CpuSample';
import { DiskSample } from './DiskSample';
import { IngestCursor } from './IngestCursor';
import { IngestError } from './IngestError';
import { JobLease } from './JobLease';
import { KpiIgnoredDay } from './KpiIgnoredDay';
import { LoginAttempt } from './LoginAttempt';
import { MemSample } from './MemSample';
import { OutboxMessage, type OutboxStatus } from './OutboxMessage';
import { RoomSubscription } from './RoomSubscription';
import { Server } from './Server';
import { ServerNode } from './ServerNode';
import { Silence } from './Silence';
import { Site } from './Site';
import { TransportStatus } from './TransportStatus';
import { User, type Role } from './User';
import { WebSession } from './WebSession';
import { WechatBinding } from './WechatBinding';

export {
  Alarm,
  BindCode,
  ChatSeen,
  RoomSubscription,
  WebSession,
  WechatBinding,
  BusinessDaily,
  ChartLink,
  CpuSample,
  DiskSample,
  IngestCursor,
  IngestError,
  JobLease,
  KpiIgnoredDay,
  LoginAttempt,
  MemSample,
  OutboxMessage,
  Server,
  ServerNode,
  Silence,
  Site,
  TransportStatus,
  User,
  type Role,
  type AlarmSource,
  type AlarmState,
  type OutboxStatus,
};

export const entities = [
  Alarm,
  BindCode,
  ChatSeen,
  RoomSubscription,
  WebSession,
  WechatBinding,
  BusinessDaily,
  ChartLink,
  CpuSample,
  DiskSample,
  IngestCursor,
  IngestError,
  JobLease,
  KpiIgnoredDay,
  LoginAttempt,
  MemSample,
  OutboxMessage,
  Server,
  ServerNode,
  Silence,
  Site,
  TransportStatus,
  User,
];
