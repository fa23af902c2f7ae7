export {
  withDeployLock, acquireLock, releaseLock, readLock, forceRelease, lockHost, DeployLockedError, LEASE_MS, type LockAudit, type LockOptions, type TakeOver,
} from './deploy-lock.js';
export { describeHolder, newHolder, parseHolder, staleReason, whoAmI, type LockHolder } from './holder.js';
export { appendAudit, auditRecord, localAuditLog, REMOTE_AUDIT_LOG, type AuditRecord } from './audit.js';
export { LOCK_FILE } from './lock-commands.js';
export { lockStatus, lockRelease } from './lock-admin.js';
