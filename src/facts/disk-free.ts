/** The parser lives in model/ so steps (which explain a full disk) share it; facts reads disk space with it. */
export { parseDfPk, type DiskFree } from '../model/disk-free.js';
