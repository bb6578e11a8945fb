import type { HostInfo } from '../host-info';
import type { Route } from '../route-kit';
import { bucketRoutes } from './buckets';
import { categorizeRoutes } from './categorize';
import { identityRoutes } from './identity';
import { insightRoutes } from './insights';
import { jobRoutes } from './jobs';
import { marketRoutes } from './market';
import { segmentRoutes } from './segments';
import { sessionRoutes } from './sessions';
import { systemRoutes } from './system';
import { taskRoutes } from './tasks';
import { uploadRoutes } from './uploads';
import { videoRoutes } from './videos';

/** Every route of the host, in the order they are documented. */
export function allRoutes(host: HostInfo): Route[] {
  return [
    ...systemRoutes(host),
    ...identityRoutes(host),
    ...bucketRoutes(),
    ...categorizeRoutes(host),
    ...sessionRoutes(host),
    ...videoRoutes(host),
    ...uploadRoutes(host),
    ...marketRoutes(host),
    ...taskRoutes(host),
    ...segmentRoutes(host),
    ...insightRoutes(host),
    ...jobRoutes(host),
  ];
}
