import { postgresGlobalSetup } from '@vbuckets/testkit/postgres-global-setup';

export default postgresGlobalSetup('express');
