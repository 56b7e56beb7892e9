// The entity list handed to the DataSource.
import { Alarm } from './Alarm';
import { BusinessDaily } from './BusinessDaily';
import { CpuSample } from './CpuSample';
import { DiskSample } from './DiskSample';
import { IngestCursor } from './IngestCursor';
import { IngestError } from './IngestError';
import { MemSample } from './MemSample';
import { Server } from './Server';
import { ServerNode } from './ServerNode';
import { Site } from './Site';
import { User, type Role } from './User';

export {
  Alarm,
  BusinessDaily,
  CpuSample,
  DiskSample,
  IngestCursor,
  IngestError,
  MemSample,
  Server,
  ServerNode,
  Site,
  User,
  type Role,
};

export const entities = [
  Alarm,
  BusinessDaily,
  CpuSample,
  DiskSample,
  IngestCursor,
  IngestError,
  MemSample,
  Server,
  ServerNode,
  Site,
  User,
];
