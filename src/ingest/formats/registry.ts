// The registry of site file formats; adding a format is one file and one line here.
import { createRegistry } from '../../registry';
import { systemAlarm } from './system-alarm';
import { systemInfo } from './system-info';
import { systemService } from './system-service';
import type { FileFormat } from './types';

export function createFormatRegistry(
  formats: FileFormat[] = [systemInfo, systemAlarm, systemService],
) {
  return createRegistry<FileFormat>('file format', formats);
}
